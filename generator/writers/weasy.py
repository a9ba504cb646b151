"""WeasyPrint, loaded once for every stage that uses it (the PDF writer, the theme check),
and the one way it reads a file: through the policy of generator.writers.resources.

WeasyPrint opens Pango, HarfBuzz and fontconfig by trying several names each
(``libpango-1.0-0``, ``pango-1.0`` … ``libpango-1.0.so.0``). For every name that is not a
file the loader knows, cffi asks ``ctypes.util.find_library``, which on Linux runs
``ldconfig`` and then the C compiler: about fifty processes and 0.3 s before the first
page. The sonames further down the list are opened by the dynamic loader directly, so
while WeasyPrint is imported the other names are simply not found; if that ever leaves a
library unopened, the import is tried again the usual way.
"""

from __future__ import annotations

import ctypes.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree

from generator.errors import BriefError
from generator.writers.resources import fetched


@contextmanager
def _loader_names_only() -> Iterator[None]:
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = search


def load() -> None:
    """Import WeasyPrint (once), its libraries opened by their sonames."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        return
    try:
        with _loader_names_only():
            import weasyprint  # noqa: F401
    except OSError:  # a system whose libraries have other names: the usual search
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]


load()

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration, get_hb_object_data  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError  # noqa: E402

__all__ = ["CSS", "HTML", "FontConfiguration", "TemplatesOnly", "document", "get_hb_object_data"]


def document(html: str, base_url: str, url_fetcher: URLFetcher) -> HTML:
    """WeasyPrint's HTML of a brief, read by libxml2 (as the brief's document model is, which
    the DOCX writer and the checks read) instead of WeasyPrint's own parser, written in
    Python and ten times slower. The tree is given as that parser gives it: plain element
    names, no comments, the page's text within <body> (for the briefs the templates make,
    the same tree, tested)."""
    import cssselect2  # type: ignore[import-untyped]
    import lxml.html

    root = _plain(lxml.html.document_fromstring(html))
    root.text = None  # before <head>: an HTML parser keeps no text there
    body = root.find("body")
    if body is not None and body.tail:  # after </body>: the text belongs to the body
        if len(body):
            body[-1].tail = (body[-1].tail or "") + body.tail
        else:
            body.text = (body.text or "") + body.tail
        body.tail = None
    page = HTML.__new__(HTML)
    page.base_url = base_url
    first_base = root.find(".//base[@href]")
    if first_base is not None and first_base.get("href", "").strip():
        page.base_url = urljoin(base_url, first_base.get("href", "").strip())
    page.url_fetcher = url_fetcher
    page.media_type = "print"
    page.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
    page.etree_element = page.wrapper_element.etree_element
    return page


def _plain(element) -> ElementTree.Element:
    """An lxml element as the standard library's, without comments (their text after them
    joins the text before), a table's rows in a row group."""
    out = ElementTree.Element(element.tag, dict(element.attrib))
    out.text = element.text
    last = None
    rows = None  # the row group an HTML parser opens for rows written straight in a table
    for child in element:
        if not isinstance(child.tag, str):  # a comment or a processing instruction
            if child.tail and last is None:
                out.text = (out.text or "") + child.tail
            elif child.tail and last is not None:
                last.tail = (last.tail or "") + child.tail
            continue
        last = _plain(child)
        last.tail = child.tail
        if element.tag == "table" and child.tag == "tr":
            if rows is None:
                rows = ElementTree.SubElement(out, "tbody")
            rows.append(last)
        else:
            rows = None
            out.append(last)
    return out


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
