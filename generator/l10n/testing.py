"""Formatters for doctests and tests, built from the repository's own templates."""

from __future__ import annotations

from pathlib import Path

from generator.l10n.format import Formatter
from generator.l10n.house import load_house

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def formatter(lang: str, templates: Path = TEMPLATES) -> Formatter:
    """A fresh formatter for `lang` using the shipped house style."""
    return Formatter(load_house(templates, lang))
