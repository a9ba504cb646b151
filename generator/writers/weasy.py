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

__all__ = ["CSS", "HTML", "FontConfiguration", "TemplatesOnly", "get_hb_object_data"]


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
