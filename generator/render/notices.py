"""What a render showed in a form nobody reviewed, as the build's warnings with file and line."""

from __future__ import annotations

from collections.abc import Iterable

from generator.errors import Finding
from generator.facts.values import Text
from generator.l10n.catalogs import Untranslated
from generator.l10n.format import Formatter


def render_findings(
    formatter: Formatter, untranslated: Iterable[Untranslated] = ()
) -> list[Finding]:
    """Warnings for texts shown in another language, unreviewed names and fixed strings."""
    out: list[Finding] = []
    house = formatter.house
    for note in formatter.notes:
        if note.kind == "fallback-text" and note.text is not None:
            origin = note.text.origin
            field = origin.field if origin else "text"
            out.append(
                Finding(
                    origin.path if origin else "brief",
                    origin.line if origin else None,
                    None,
                    "warning",
                    "missing-text",
                    f"the text of '{field}' has no {house.lang} version: '{_short(note.text, 50)}'",
                    f"add '{house.lang}: ...'; until then the {house.lang} brief shows the "
                    f"{note.shown} text, marked",
                )
            )
        elif note.kind == "country-form":
            code, form = note.subject.split()
            out.append(
                Finding(
                    house.path,
                    house.line(("countries",)),
                    None,
                    "warning",
                    "house-country",
                    f"the house style has no '{form}' form of the country {code}; the brief shows "
                    f"'{note.shown}'",
                    f"add it under 'countries:', e.g. {code}: {{short: ..., long: ..., of: ...}}",
                )
            )
        elif note.kind == "currency-phrase":
            out.append(
                Finding(
                    house.path,
                    house.line(("amounts", "currencies")),
                    None,
                    "warning",
                    "house-currency",
                    f"the house style has no phrase for amounts in {note.subject}; the brief shows "
                    f"the code {note.subject}",
                    f"add {note.subject} under 'amounts: currencies:' like the USD entry",
                )
            )
    seen = set()
    for item in untranslated:
        if (item.msgid, item.path, item.line) not in seen:
            seen.add((item.msgid, item.path, item.line))
            out.append(item.finding())
    return out


def _short(text: Text, width: int = 60) -> str:
    value = text.get("en") or text.any()
    return value if len(value) <= width else value[: width - 1] + "…"
