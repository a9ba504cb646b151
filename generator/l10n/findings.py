"""What a render showed in a form nobody reviewed, as the build's warnings with file and line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..errors import Finding
from ..values import FuzzyDate, Text
from .format import Formatter

if TYPE_CHECKING:
    from ..catalogs import Untranslated
    from ..project import Project


def render_findings(
    project: Project, pair: str, formatter: Formatter, untranslated: Iterable[Untranslated] = ()
) -> list[Finding]:
    """Warnings for texts shown in another language, unreviewed names and fixed strings."""
    out: list[Finding] = []
    places = None
    house = formatter.house
    for note in formatter.notes:
        if note.kind == "fallback-text":
            if places is None:
                places = text_places(project, pair)
            path, where = places.get(id(note.text), (project.dossier_path(pair), ()))
            field = next((p for p in reversed(where) if isinstance(p, str)), "text")
            out.append(
                Finding(
                    path,
                    project.line(path, where),
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


def text_places(project: Project, pair: str) -> dict[int, tuple[str, tuple]]:
    """Where each text of a pair's brief is written: id(text) → (file, key path)."""
    places: dict[int, tuple[str, tuple]] = {}

    def add(path: str, model: Any, where: tuple = ()) -> None:
        for inner, text in texts(model, where):
            places.setdefault(id(text), (path, inner))

    dossier = project.dossiers.get(pair)
    if dossier is not None:
        add(project.dossier_path(pair), dossier)
    for sid, source in project.sources.items():
        add(project.source_files[sid], source)
    for name, registry in (("people", project.people), ("organisations", project.organisations)):
        path = f"briefs/{name}.yaml"
        doc = project.docs.get(path)
        rows = doc.data.get(name, []) if doc is not None and isinstance(doc.data, dict) else []
        ids = [row.get("id") if isinstance(row, dict) else None for row in rows]
        for ident, item in registry.items():
            add(path, item, (name, ids.index(ident)) if ident in ids else (name,))
    add("brief.yaml", project.config)
    return places


def texts(model: Any, where: tuple) -> Iterator[tuple[tuple, Text]]:
    """Every multilingual text inside a record, with its key path."""
    if isinstance(model, Text):
        yield where, model
    elif isinstance(model, FuzzyDate):
        if isinstance(model.note, Text):
            yield where + ("note",), model.note
    elif isinstance(model, BaseModel):
        for name, f in type(model).model_fields.items():
            yield from texts(getattr(model, name), where + (f.alias or name,))
    elif isinstance(model, list | tuple):
        for i, item in enumerate(model):
            yield from texts(item, where + (i,))


def _short(text: Text, width: int = 60) -> str:
    value = text.get("en") or text.any()
    return value if len(value) <= width else value[: width - 1] + "…"
