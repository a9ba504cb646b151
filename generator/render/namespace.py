"""What a template may read: the records of the facts model and of the derived values, their
fields and the kinds of value they hold (for the render's messages and for `brief check`)."""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any

from pydantic import BaseModel


@dataclasses.dataclass(frozen=True)
class ListOf:
    """A list whose items are of one known kind."""

    item: Any


@dataclasses.dataclass(frozen=True)
class MapOf:
    """A mapping from ids to values of one known kind."""

    value: Any


@dataclasses.dataclass(frozen=True)
class Method:
    """A method of a record; calling it gives `result`."""

    result: Any


def is_record(tp: Any) -> bool:
    """True for the generator's own records (facts, derived values), whose fields are known."""
    return (
        isinstance(tp, type)
        and tp.__module__.startswith("generator.")
        and (issubclass(tp, BaseModel) or dataclasses.is_dataclass(tp))
    )


def kind_of(tp: Any) -> Any:
    """A type annotation as a kind: a record class, ListOf, MapOf, or None (unknown)."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return None
            tp = args[0]
            continue
        break
    if origin in (list, tuple) and typing.get_args(tp):
        return ListOf(kind_of(typing.get_args(tp)[0]))
    if origin is dict and len(typing.get_args(tp)) == 2:
        return MapOf(kind_of(typing.get_args(tp)[1]))
    return tp if is_record(tp) else None


def kind_of_value(value: Any) -> Any:
    """The kind of a value in the template context."""
    if is_record(type(value)):
        return type(value)
    if isinstance(value, dict) and value:
        first = kind_of_value(next(iter(value.values())))
        return MapOf(first) if first is not None else None
    return None


@cache
def _hints(obj: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(obj)
    except Exception:  # an annotation that cannot be resolved: the kind stays unknown
        return {}


@cache
def fields(cls: type) -> dict[str, Any]:
    """The fields of a record by the name a template uses (the Python name)."""
    if issubclass(cls, BaseModel):
        hints = _hints(cls)
        return {name: hints.get(name, f.annotation) for name, f in cls.model_fields.items()}
    return _hints(cls) if dataclasses.is_dataclass(cls) else {}


def attribute(cls: type, attr: str) -> tuple[bool, Any]:
    """(exists, kind) of `record.attr`, as a template may read it."""
    own = fields(cls)
    if attr in own:
        return True, kind_of(own[attr])
    if attr not in exposed(cls):
        return False, None
    member = getattr(cls, attr, None)
    if isinstance(member, property):
        return True, kind_of(_hints(member.fget).get("return"))
    if callable(member):
        return True, Method(kind_of(_hints(member).get("return")))
    return True, None


def members(cls: type) -> list[str]:
    """What a template may read from a record: its fields, then its reviewed methods."""
    names = list(fields(cls))
    return names + sorted(exposed(cls) - set(names))


def reviewed() -> dict[type, frozenset[str]]:
    """The methods and properties of the records that templates may use besides their fields.

    Each one reads the facts and returns data; nothing else of a record reaches a template
    (not pydantic's parse_raw, parse_file, model_copy and the like).
    """
    from generator.facts import model, values
    from generator.render import context

    return {
        model.Dossier: frozenset({"key_date", "mechanism"}),
        model.Mechanism: frozenset({"latest"}),
        model.Office: frozenset({"current"}),
        values.FuzzyDate: frozenset({"precision", "first_day", "last_day", "iso"}),
        values.Text: frozenset({"get", "languages"}),
        context.TargetProgress: frozenset({"at_least"}),
    }


def exposed(cls: type) -> frozenset[str]:
    """Every attribute of a record that a template may read: its fields and reviewed methods."""
    return _exposed(cls)


@cache
def _exposed(cls: Any) -> frozenset[str]:
    methods = reviewed()  # a dossier with declared sections is a subclass of Dossier
    bases = getattr(cls, "__mro__", (cls,))
    found = next((methods[base] for base in bases if base in methods), frozenset())
    return frozenset(fields(cls)) | found
