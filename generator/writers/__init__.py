"""One registry of output formats: a format is one module with `write(brief) -> bytes`."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..document import Document

# format → module; imported only when a document of that format is written
WRITERS: dict[str, str] = {
    "pdf": "generator.writers.pdf",
    "docx": "generator.writers.docx",
    "html": "generator.writers.html",
}


@dataclass(frozen=True)
class RenderedBrief:
    """What every writer gets: the checked document and where the templates live."""

    document: Document
    templates: Path
    name: str  # the output file name without extension


def writer(fmt: str) -> ModuleType:
    """The writer module of a format."""
    return importlib.import_module(WRITERS[fmt])
