"""One registry of output formats: a format is one module with `write(brief) -> bytes`."""

from __future__ import annotations

import importlib
from types import ModuleType

# format → module; imported only when a document of that format is written
WRITERS: dict[str, str] = {
    "pdf": "generator.writers.pdf",
    "docx": "generator.writers.docx",
    "html": "generator.writers.html",
}


def writer(fmt: str) -> ModuleType:
    """The writer module of a format."""
    return importlib.import_module(WRITERS[fmt])
