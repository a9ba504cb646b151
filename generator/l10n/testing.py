"""Formatters for doctests and tests, built from the repository's own templates."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .format import Formatter
from .house import load_house

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@cache
def _house(lang: str, templates: Path = TEMPLATES):
    return load_house(templates, lang)


def formatter(lang: str, templates: Path = TEMPLATES) -> Formatter:
    """A fresh formatter for `lang` using the shipped house style."""
    return Formatter(_house(lang, templates))
