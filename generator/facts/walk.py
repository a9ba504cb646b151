"""The one walker over the facts model: every record and every text, with its key path."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.facts.reader import YamlFile
from generator.facts.values import FuzzyDate, Origin, Text

KeyPath = tuple  # YAML keys and list indexes, e.g. ("trade", 3, "turnover")


def key_of(name: str, field: FieldInfo) -> str:
    """The YAML key a field is written under (its alias, or the key it is read from)."""
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    return str(extra.get("written_as") or field.alias or name)


def records(model: Any, where: KeyPath = ()) -> Iterator[tuple[KeyPath, BaseModel]]:
    """Every record inside a model with its key path (YAML keys, list indexes)."""
    if isinstance(model, BaseModel):
        yield where, model
        for name, f in type(model).model_fields.items():
            value = getattr(model, name)
            if isinstance(value, BaseModel | list):
                yield from records(value, where + (key_of(name, f),))
    elif isinstance(model, list):
        for i, item in enumerate(model):
            yield from records(item, where + (i,))


def texts(model: Any, where: KeyPath = ()) -> Iterator[tuple[KeyPath, Text]]:
    """Every multilingual text inside a record (notes of dates included), with its key path."""
    if isinstance(model, Text):
        yield where, model
    elif isinstance(model, FuzzyDate):
        if isinstance(model.note, Text):
            yield where + ("note",), model.note
    elif isinstance(model, BaseModel):
        for name, f in type(model).model_fields.items():
            yield from texts(getattr(model, name), where + (key_of(name, f),))
    elif isinstance(model, list | tuple):
        for i, item in enumerate(model):
            yield from texts(item, where + (i,))


def locate_texts(model: Any, doc: YamlFile, where: KeyPath = ()) -> None:
    """Tell every text of a freshly validated record where it is written in `doc`."""
    for inner, text in texts(model, where):
        lines = tuple(
            (lang, doc.lines[inner + (lang,)])
            for lang in text.languages
            if inner + (lang,) in doc.lines
        )
        field = next((p for p in reversed(inner) if isinstance(p, str)), "text")
        text.locate(Origin(doc.path, doc.line(inner), lines, field))


def cited_sources(model: Any) -> set[str]:
    """The ids of every source a record (a dossier, a registry) cites."""
    return {
        source
        for _, record in records(model)
        if isinstance(source := getattr(record, "source", None), str)
        and "source" in type(record).model_fields
    }
