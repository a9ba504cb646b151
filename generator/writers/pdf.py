"""PDF writer: WeasyPrint with the theme CSS and shipped fonts; tagged PDF/A-3a and PDF/UA-1.

Two steps: `layout` turns a rendered brief into what WeasyPrint needs (plain data, so it may
be laid out in another process), `lay_out` makes the PDF of it. WeasyPrint is imported by
the second only.
"""

from __future__ import annotations

import atexit
import functools
import gc
import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from generator.render.brief import RenderedBrief
from generator.writers.preflight import require_document
from generator.writers.wordstyles import word_css

PDF_OPTIONS = {"pdf_variant": "pdf/a-3a", "pdf_tags": True}


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_css(brief: RenderedBrief) -> str:
    """Running head, page numbers (at the head or the foot, from the first page or the second)
    and the draft mark, with the brief's own words."""
    doc = brief.document
    page_of = doc.meta("brief:page-of", "{page} / {pages}")
    parts = []
    for chunk in page_of.replace("{pages}", "\0pages\0").replace("{page}", "\0page\0").split("\0"):
        if chunk in ("page", "pages"):
            parts.append(f"counter({chunk})")
        elif chunk:
            parts.append(_css_string(chunk))
    number = "top-center" if doc.meta("brief:page-number", "bottom") == "top" else "bottom-center"
    css = (
        "@page { "
        f"@top-left {{ content: {_css_string(doc.meta('brief:marking'))}; }} "
        f"@top-right {{ content: {_css_string(doc.meta('brief:running'))}; }} "
        f"@{number} {{ content: {' '.join(parts) or 'counter(page)'}; }} "
        "}"
    )
    if doc.meta("brief:page-number-first", "yes") == "no":
        css += f" @page :first {{ @{number} {{ content: none; }} }}"
    draft = doc.meta("brief:draft")
    if draft:
        from generator.render.chart import data_uri, draft_svg

        place = "bottom-center" if number == "top-center" else "top-center"
        css += (
            f" @page {{ background: url({data_uri(draft_svg(draft))}) no-repeat center; "
            "background-size: 100% 100%; "
            f"@{place} {{ content: {_css_string(draft)}; font: bold 9pt 'Brief Sans'; "
            "color: #c00000; } }"
        )
    return css


@dataclass(frozen=True)
class Layout:
    """One brief as WeasyPrint lays it out: its HTML, and its stylesheets in cascade order
    (the templates' own, Word's styles, the page's words)."""

    html: str
    sheets: tuple[str, ...]  # stylesheets the HTML links, relative to templates/
    word_css: str
    page_css: str
    templates: Path
    identifier: bytes  # the PDF's /ID, from the file name: the same bytes for the same brief


def layout(brief: RenderedBrief) -> Layout:
    """What WeasyPrint needs of a rendered brief (its resources checked first).

    The stylesheets the HTML links are taken out of it and given to WeasyPrint parsed, in
    the same order, followed by Word's named styles (so that what they set wins over
    theme.css) and the page's words: a process laying out many briefs parses each once.
    """
    require_document(brief)
    templates = brief.templates.resolve()
    root = etree.fromstring(etree.tostring(brief.document.root))  # a copy we may change
    sheets = []
    for link in list(root.iter("link")):
        if "stylesheet" in (link.get("rel") or "").lower().split():
            sheets.append(link.get("href", ""))
            link.getparent().remove(link)
    html = "<!DOCTYPE html>\n" + etree.tostring(root, method="html", encoding="unicode")
    identifier = hashlib.sha256(brief.name.encode("utf-8")).hexdigest()[:32].encode("ascii")
    return Layout(
        html,
        tuple(sheets),
        word_css(templates, brief.document.meta("brief:kind")),
        page_css(brief),
        templates,
        identifier,
    )


def lay_out(job: Layout) -> bytes:
    """The PDF of a laid-out brief (reproducible for the same inputs)."""
    from generator.writers.archival import finish
    from generator.writers.weasy import CSS, HTML, TemplatesOnly

    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    base = job.templates.as_uri() + "/"
    fonts = font_configuration(job.templates)
    fetcher = TemplatesOnly(job.templates)
    html = HTML(string=job.html, base_url=base, url_fetcher=fetcher)
    sheets = [
        _linked(job.templates, href, _stamp(job.templates / href), fonts) for href in job.sheets
    ]
    sheets.append(_stylesheet(job.templates, job.word_css, fonts))
    sheets.append(CSS(string=job.page_css, url_fetcher=fetcher, base_url=base, font_config=fonts))
    with _ONE_AT_A_TIME:
        return html.write_pdf(
            stylesheets=sheets,
            font_config=fonts,
            pdf_identifier=job.identifier,
            finisher=finish,
            **PDF_OPTIONS,
        )


# the fonts and stylesheets are shared by every layout of a process, and Pango is not made
# for threads: a process that serves several (the preview) lays out one brief at a time
_ONE_AT_A_TIME = threading.Lock()


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError:
        return (0, 0)
    return (info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=8)
def _linked(templates: Path, href: str, stamp: tuple[int, int], fonts):
    """A stylesheet of the templates, parsed once while the file and the fonts its
    @font-face rules load (into `fonts`) stay as they are."""
    from urllib.parse import urljoin

    from generator.writers.weasy import CSS, TemplatesOnly

    base = templates.as_uri() + "/"
    return CSS(
        url=urljoin(base, href),
        url_fetcher=TemplatesOnly(templates),
        font_config=fonts,
    )


@functools.lru_cache(maxsize=8)
def _stylesheet(templates: Path, css: str, fonts):
    """Word's styles as a parsed stylesheet, once per kind and reference.docx."""
    from generator.writers.weasy import CSS, TemplatesOnly

    return CSS(
        string=css,
        base_url=templates.as_uri() + "/",
        url_fetcher=TemplatesOnly(templates),
        font_config=fonts,
    )


def font_configuration(templates: Path):
    """The fonts of theme.css's @font-face rules, loaded by the first brief a process lays
    out and kept for the next ones (with Pango's measures of them), while the font files
    stay as they are."""
    fonts = templates / "fonts"
    stamp = tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(fonts.glob("*"))
    ) if fonts.is_dir() else ()  # fmt: skip
    return _font_configuration(templates, stamp)


@functools.lru_cache(maxsize=2)
def _font_configuration(templates: Path, stamp: tuple):
    from generator.writers.weasy import FontConfiguration

    return FontConfiguration()


@atexit.register
def let_fonts_go() -> None:
    """Give the kept fonts back, so WeasyPrint removes their temporary folder: at exit,
    while the interpreter still runs (at its very end, the means to do so are gone), and
    by a build's worker processes, which end without running exit handlers."""
    if not _font_configuration.cache_info().currsize:
        return
    for kept in (_linked, _stylesheet, _font_configuration):
        kept.cache_clear()
    gc.collect()  # the configuration is held in reference cycles of Pango's objects


def write(brief: RenderedBrief) -> bytes:
    """Lay out the brief and return the PDF bytes."""
    return lay_out(layout(brief))
