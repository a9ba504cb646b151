"""PDF writer: WeasyPrint with the theme CSS and shipped fonts; tagged PDF/A-3a and PDF/UA-1."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

from generator.errors import BriefError
from generator.render.brief import RenderedBrief
from generator.writers.archival import finish
from generator.writers.preflight import require_document
from generator.writers.resources import fetched
from generator.writers.wordstyles import word_css

PDF_OPTIONS = {"pdf_variant": "pdf/a-3a", "pdf_tags": True}


class TemplatesOnly(URLFetcher):
    """Serve data: URIs and files under templates/ within the size limit (the one policy of
    generator.writers.resources); refuse the network and every other file."""

    def __init__(self, templates: Path):
        super().__init__()
        self.templates = templates.resolve()

    def fetch(self, url, headers=None):  # noqa: D401 - WeasyPrint's API
        try:
            resource = fetched(self.templates, url)
        except BriefError as exc:
            raise URLFetchingError(f"refused {url[:80]}: {exc.message}") from None
        return URLFetcherResponse(url, resource.data, {"Content-Type": resource.media_type})


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


def write(brief: RenderedBrief) -> bytes:
    """Lay out the brief and return the PDF bytes (reproducible for the same inputs)."""
    require_document(brief)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    templates = brief.templates.resolve()
    # Word's named styles as the author's own, after theme.css, so that what they set wins
    styled = brief.document.html.replace(
        "</head>",
        f"<style>{word_css(templates, brief.document.meta('brief:kind'))}</style>\n</head>",
        1,
    )
    html = HTML(
        string=styled,
        base_url=templates.as_uri() + "/",
        url_fetcher=TemplatesOnly(templates),
    )
    identifier = hashlib.sha256(brief.name.encode("utf-8")).hexdigest()[:32].encode("ascii")
    extra = CSS(
        string=page_css(brief),
        url_fetcher=TemplatesOnly(templates),
        base_url=templates.as_uri() + "/",
    )
    return html.write_pdf(
        stylesheets=[extra], pdf_identifier=identifier, finisher=finish, **PDF_OPTIONS
    )
