"""PDF writer: WeasyPrint with the theme CSS and shipped fonts; tagged PDF/A-3a and PDF/UA-1.

Two steps: `layout` turns a rendered brief into what WeasyPrint needs (plain data, so it may
be laid out in another process), `lay_out` makes the PDF of it. WeasyPrint is imported by
the second only.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator.writers.typefaces import font_files

if TYPE_CHECKING:  # the process that only lays out never loads the facts or the templates
    from generator.render.brief import RenderedBrief

PDF_OPTIONS = {"pdf_variant": "pdf/a-3a", "pdf_tags": True}
LAYOUT_GC_THRESHOLD = 10_000  # new objects between collections while a brief is laid out


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
    kind: str  # whose page and Word's styles (generator.writers.wordstyles) it takes
    page_css: str
    templates: Path
    identifier: bytes  # the PDF's /ID, from the file name: the same bytes for the same brief


def layout(brief: RenderedBrief) -> Layout:
    """What WeasyPrint needs of a rendered brief (its resources checked first).

    The stylesheets the HTML links are taken out of it and given to WeasyPrint parsed, in
    the same order, followed by Word's named styles of the brief's kind (so that what they
    set wins over theme.css) and the page's words: a process laying out many briefs parses
    each once.
    """
    from lxml import etree

    from generator.writers.preflight import require_document

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
        brief.document.meta("brief:kind"),
        page_css(brief),
        templates,
        identifier,
    )


def lay_out(job: Layout) -> bytes:
    """The PDF of a laid-out brief (reproducible for the same inputs)."""
    from generator.writers.archival import finish
    from generator.writers.weasy import CSS, TemplatesOnly, document
    from generator.writers.wordstyles import word_css

    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    base = job.templates.as_uri() + "/"
    fetcher = TemplatesOnly(job.templates)
    html = document(job.html, base, fetcher)
    with _ONE_AT_A_TIME, _collecting_the_layout_only():
        kept = _kept(job.templates)
        fonts = kept.fonts
        sheets = [kept.linked(href) for href in job.sheets]
        sheets.append(kept.stylesheet(word_css(job.templates, job.kind)))
        sheets.append(
            CSS(string=job.page_css, url_fetcher=fetcher, base_url=base, font_config=fonts)
        )
        return html.write_pdf(
            stylesheets=sheets,
            font_config=fonts,
            pdf_identifier=job.identifier,
            finisher=finish,
            **PDF_OPTIONS,
        )


@contextmanager
def _collecting_the_layout_only() -> Iterator[None]:
    """While WeasyPrint lays out a brief, Python's garbage collector looks only at what the
    layout makes (and less often), not at what the process holds (the facts model, Babel's
    data, the templates, the fonts): in a process that has them loaded, it otherwise spends
    about a tenth of the layout's time going over them again. What the layout leaves behind
    is collected at its end, so memory stays what it was."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], LAYOUT_GC_THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.collect()
        gc.unfreeze()


# every face of the shipped fonts, Latin and Cyrillic, a table, a citation mark, a running head
_SAMPLE = Layout(
    html="<!DOCTYPE html>\n"
    '<html lang="kk"><head><meta charset="utf-8"><title>Brief</title></head><body>'
    "<h1>Қазақстан – Türkiye</h1><h2>Heading</h2><h3>Бөлім</h3>"
    "<p>Text 2026 <b>bold</b> <i>italic</i> <b><i>both</i></b>"
    '<sup class="cite"><a href="#s">[1]</a></sup></p>'
    "<p style=\"font-family: 'Brief Sans'\">Мәтін <b>bold</b> <i>italic</i> <b><i>both</i></b></p>"
    '<table><tr><th scope="col">Year</th><th scope="col">US$</th></tr>'
    "<tr><td>2025</td><td>1,5</td></tr></table></body></html>",
    sheets=(),
    kind="",
    page_css="@page { @top-left { content: 'Brief' } @top-center { content: counter(page) } }",
    templates=Path("."),
    identifier=b"0" * 32,
)


def prepare(templates: Path, kind: str) -> None:
    """Ready this process for a brief of `kind`: its fonts loaded, the templates' stylesheets
    and Word's styles parsed, and a sample page laid out with them, so that what WeasyPrint
    and Pango do once a process is done before the brief is due. A failure here is left for
    the brief's own layout to report."""
    templates = templates.resolve()
    sheets = tuple(sorted(p.name for p in templates.glob("*.css")))
    try:
        lay_out(replace(_SAMPLE, sheets=sheets, kind=kind, templates=templates))
    except Exception:  # noqa: BLE001 - the brief's layout reports what is wrong
        return


# the fonts and stylesheets are shared by every layout of a process, and Pango is not made
# for threads: a process that serves several (the preview) lays out one brief at a time
_ONE_AT_A_TIME = threading.Lock()


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError:
        return (0, 0)
    return (info.st_mtime_ns, info.st_size)


class _Kept:
    """What a process keeps of the templates for the briefs it lays out: the fonts of
    theme.css's @font-face rules (with Pango's measures of them) and the stylesheets parsed
    with them, while the font files stay as they are."""

    def __init__(self, templates: Path, stamp: tuple):
        from generator.writers.weasy import FontConfiguration

        self.templates, self.stamp, self.pid = templates, stamp, os.getpid()
        self.fonts = FontConfiguration()
        self.sheets: dict[tuple, object] = {}

    def linked(self, href: str):
        """A stylesheet of the templates, parsed once while the file stays as it is."""
        from urllib.parse import urljoin

        key = ("linked", href, _stamp(self.templates / href))
        if key not in self.sheets:
            self.sheets[key] = self._parse(url=urljoin(self.templates.as_uri() + "/", href))
        return self.sheets[key]

    def stylesheet(self, css: str):
        """A stylesheet made here (Word's styles of a kind), parsed once."""
        key = ("string", css)
        if key not in self.sheets:
            self.sheets[key] = self._parse(string=css, base_url=self.templates.as_uri() + "/")
        return self.sheets[key]

    def _parse(self, **source):
        from generator.writers.weasy import CSS, TemplatesOnly

        return CSS(**source, url_fetcher=TemplatesOnly(self.templates), font_config=self.fonts)


_KEPT: dict[Path, _Kept] = {}
# what a forked process found kept by its parent: never let go here, where letting go would
# remove the parent's font folder (a forked process ends without finalising it anyway)
_INHERITED: list[dict[Path, _Kept]] = []


def _kept(templates: Path) -> _Kept:
    """What this process keeps for `templates` (made anew when a font file changed)."""
    global _KEPT
    if any(k.pid != os.getpid() for k in _KEPT.values()):
        _INHERITED.append(_KEPT)
        _KEPT = {}
    stamp = font_files(templates / "fonts")
    kept = _KEPT.get(templates)
    if kept is None or kept.stamp != stamp:
        while len(_KEPT) >= 2:  # the preview and a build see one folder of templates
            _KEPT.pop(next(iter(_KEPT)))
        kept = _KEPT[templates] = _Kept(templates, stamp)
    return kept


@atexit.register
def let_fonts_go() -> None:
    """Give the kept fonts back, so WeasyPrint removes their temporary folder: at exit,
    while the interpreter still runs (at its very end, the means to do so are gone), and
    by a build's worker processes, which end without running exit handlers."""
    mine = [t for t, k in _KEPT.items() if k.pid == os.getpid()]
    if not mine:
        return
    for templates in mine:
        del _KEPT[templates]
    gc.collect()  # the configuration is held in reference cycles of Pango's objects


def write(brief: RenderedBrief) -> bytes:
    """Lay out the brief and return the PDF bytes."""
    return lay_out(layout(brief))
