"""A dossier as it stood on the brief's date: what was known then, and what had happened."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from generator.facts.model import Agreement, Cited, Dossier, Event, Person, Source
from generator.facts.values import FuzzyDate
from generator.facts.walk import KeyPath, key_of

# the field that says when a record happened, in the order they are looked for
WHEN_FIELDS = ("date", "opened", "since", "established", "set_on")

Reason = Literal["source-later", "source-undecided", "not-yet", "undecided"]

REASONS: dict[str, str] = {
    "source-later": "its source is dated after the brief",
    "source-undecided": "its source's date cannot be placed on or before the brief's",
    "not-yet": "it happens after the brief's date",
    "undecided": "its date cannot be placed on or before the brief's",
}


@dataclass(frozen=True)
class Omission:
    """A record a brief leaves out, where it is written and why."""

    where: KeyPath
    record: Cited
    reason: Reason
    date: FuzzyDate  # the source's date or the record's own


def placed(date: FuzzyDate, on: dt.date) -> Literal["before", "after", "undecided"]:
    """Whether a date is surely on or before `on`, surely after, or cannot be placed
    (its precision spans `on`, as February 2026 does for 2 February 2026).

    >>> [placed(FuzzyDate(2026, 2), dt.date(2026, d, 1)) for d in (1, 2, 3)]
    ['after', 'undecided', 'before']
    """
    if date.last_day() <= on:
        return "before"
    return "after" if date.first_day() > on else "undecided"


def when(record: BaseModel) -> FuzzyDate | None:
    """When a record happened (None for what is not an occurrence: plans, events ahead)."""
    if isinstance(record, Event) or (isinstance(record, Agreement) and record.status == "planned"):
        return None
    for name in WHEN_FIELDS:
        value = getattr(record, name, None)
        if isinstance(value, FuzzyDate):
            return value
    return None


def _why(record: Cited, sources: dict[str, Source], on: dt.date) -> tuple[Reason, FuzzyDate] | None:
    source = sources.get(record.source)
    if source is not None and source.date is not None:
        place = placed(source.date, on)
        if place != "before":
            return ("source-later" if place == "after" else "source-undecided"), source.date
    date = when(record)
    if date is not None:
        place = placed(date, on)
        if place != "before":
            return ("not-yet" if place == "after" else "undecided"), date
    return None


def as_of(
    dossier: Dossier, sources: dict[str, Source], on: dt.date
) -> tuple[Dossier, list[Omission]]:
    """The dossier a brief dated `on` may use, and what it leaves out.

    Left out: a fact whose source is dated after `on` (or in a period that includes `on`),
    and anything reported as done — a visit, a session, a signing, an opening — dated after
    `on` or too loosely to be placed before it. Events ahead stay: they are the agenda.
    """
    omitted: list[Omission] = []
    kept = _kept(dossier, sources, on, (), omitted)
    return kept, omitted


def people_as_of(
    people: dict[str, Person], sources: dict[str, Source], on: dt.date
) -> dict[str, Person]:
    """The people as a brief dated `on` knows them: offices from later sources left out."""
    return {pid: _kept(person, sources, on, (), []) for pid, person in people.items()}


def _kept(model: Any, sources: dict[str, Source], on: dt.date, where: KeyPath, out: list) -> Any:
    update: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if not isinstance(value, list) or not value or not isinstance(value[0], BaseModel):
            continue
        key = key_of(name, field)
        items = []
        for i, item in enumerate(value):
            why = _why(item, sources, on) if isinstance(item, Cited) else None
            if why is not None:
                out.append(Omission(where + (key, i), item, *why))
            else:
                items.append(_kept(item, sources, on, where + (key, i), out))
        if len(items) != len(value) or any(a is not b for a, b in zip(items, value, strict=True)):
            update[name] = items
    return model.model_copy(update=update) if update else model
