"""House style per language, read from templates/house/<lang>.yaml and checked once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import yamlio
from ..errors import BriefError, Finding, InputErrors

ROLES = ("plain", "dateline", "on", "of", "since", "by")
PRECISIONS = ("day", "month", "year")
QUALIFIER_ROLES = ("plain", "over", "about", "nearly", "under", "up_to", "to")


@dataclass(frozen=True)
class HouseStyle:
    """The reviewed style data of one language."""

    lang: str
    locale: str
    data: dict[str, Any]
    path: str

    def date_pattern(self, role: str, precision: str) -> str:
        roles = self.data["dates"]
        if role not in roles or role == "range_sep":
            raise BriefError(
                f"unknown date role '{role}'",
                hint=f"use one of: {', '.join(r for r in roles if r != 'range_sep')}",
                code="unknown-role",
            )
        return roles[role][precision]

    def month_form(self, form: str, month: int) -> str:
        months = self.data["months"]
        table = months.get(form) or months["nominative"]
        return table[month - 1]

    def currency_phrase(self, currency: str, role: str) -> str | None:
        phrases = self.data.get("amounts", {}).get("currencies", {}).get(currency)
        return phrases.get(role) if phrases else None


def load_house(templates: Path, lang: str) -> HouseStyle:
    """Read and check the house style of `lang`; every problem at once, with lines."""
    path = templates / "house" / f"{lang}.yaml"
    root = templates.parent
    rel = path.relative_to(root).as_posix()
    if not path.exists():
        raise BriefError(f"{rel} is missing: the house style of '{lang}' is needed",
                         path=rel, hint="copy templates/house/en.yaml and translate it",
                         code="house-missing")
    doc, problems = yamlio.load(path, root)
    if doc is None:
        raise InputErrors(problems)
    problems = list(problems) + _check(doc)
    if problems:
        raise InputErrors(problems)
    return HouseStyle(lang, doc.data["locale"], doc.data, rel)


def _check(doc: yamlio.Document) -> list[Finding]:
    data = doc.data if isinstance(doc.data, dict) else {}
    out: list[Finding] = []

    def bad(where: tuple, message: str, hint: str | None = None) -> None:
        out.append(Finding(doc.path, doc.line(where), None, "error", "house-style", message, hint))

    for key in ("locale", "dates", "months", "lists"):
        if key not in data:
            bad((), f"'{key}' is missing from the house style", "see templates/house/en.yaml")
    for key in ("dates", "months", "lists", "amounts", "ordinals", "countries"):
        if key in data and not isinstance(data[key], dict):
            bad((key,), f"'{key}' must be a mapping of keys and values",
                "see templates/house/en.yaml")
            data = {k: v for k, v in data.items() if k != key}
    if "locale" in data:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(str(data["locale"]))
        except (UnknownLocaleError, ValueError, TypeError):
            bad(("locale",), f"'locale' must be a locale Babel knows, like kk_KZ, ru_KZ or en, "
                f"got {data['locale']!r}")
    for role, forms in (data.get("dates") or {}).items():
        if role == "range_sep":
            continue
        if not isinstance(forms, dict):
            bad(("dates", role), f"the date role '{role}' must map day, month and year to patterns")
            continue
        for precision in PRECISIONS:
            if precision not in forms:
                bad(("dates", role), f"the date role '{role}' has no pattern for '{precision}'")
    for name, table in (data.get("months") or {}).items():
        if not isinstance(table, list) or len(table) != 12:
            bad(("months", name), f"the month table '{name}' must list exactly 12 forms")
    return out
