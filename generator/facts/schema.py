"""Validate loaded YAML against the facts model and say each problem with its file and line."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.errors import Finding
from generator.facts.reader import YamlFile
from generator.facts.values import DEFAULT_LANGUAGES
from generator.facts.walk import key_of

M = TypeVar("M", bound=BaseModel)


def validate(
    model: type[M], doc: YamlFile, languages: tuple[str, ...] | None = None
) -> tuple[M | None, list[Finding]]:
    """Build `model` from the document's data; on failure return every problem, located.

    `languages` are the brief's languages: a text may be written in these (default kk, ru, en).
    """
    if not isinstance(doc.data, dict):
        return None, [
            Finding(
                doc.path,
                1,
                None,
                "error",
                "schema-type",
                "the file must be a mapping of keys and values",
                f"start with the keys of a {model.__name__.lower()}, e.g. "
                f"'{next(iter(model.model_fields))}: ...'",
            )
        ]
    try:
        return model.model_validate(doc.data, context={"languages": languages}), []
    except ValidationError as exc:
        return None, [
            _finding(model, doc, err, languages or DEFAULT_LANGUAGES)
            for err in exc.errors(include_url=False)
        ]


def _finding(
    model: type[BaseModel], doc: YamlFile, err: Any, languages: tuple[str, ...]
) -> Finding:
    loc = tuple(err["loc"])
    # pydantic adds the branch name of unions and validators into loc; keep only data keys
    loc = tuple(p for p in loc if isinstance(p, int) or not _is_branch(p))
    kind = err["type"]
    field = next((p for p in reversed(loc) if isinstance(p, str)), None)
    name = f"'{field}'" if field else "the value"
    got = err.get("input")
    hint = None
    code = "schema-value"
    if kind == "missing":
        parent = loc[:-1]
        message = f"{name} is missing"
        hint = f"add '{field}: ...' to this entry"
        code = "schema-missing"
        return Finding(doc.path, doc.line(parent), None, "error", code, message, hint)
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        message = f"unknown key {name}"
        near = difflib.get_close_matches(field or "", allowed, n=1, cutoff=0.6)
        if near:
            message += f" — did you mean '{near[0]}'?"
        hint = "allowed keys here: " + ", ".join(allowed) if allowed else None
        code = "schema-unknown-key"
    elif kind == "value":
        text = err["msg"]
        message = f"{name} {text}" if text.startswith(("must ", "cannot ")) else f"{name}: {text}"
    elif kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        message = f"{name} must be one of {expected}, got {got!r}"
    elif kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        if "A-Z]{2}" in pattern:
            message = f"{name} must be a two-letter ISO country code like KZ or TR, got {got!r}"
        elif pattern.startswith("^[a-z]{2}-"):
            message = f"{name} must be a pair like kz-tr, got {got!r}"
        else:
            message = (
                f"{name} must be an id of lower-case letters, digits and hyphens, "
                f"like kz-tr-jspg-8, got {got!r}"
            )
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        message = f"{name} must be a whole number, got {got!r}"
    elif kind in ("string_type",):
        message = f"{name} must be text, got {got!r}"
    elif kind in ("list_type",):
        message = f"{name} must be a list (each item on its own line starting with '- ')"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"{name} must be a mapping of keys and values, got {_short(got)!r}"
    elif kind in ("bool_type", "bool_parsing"):
        message = f"{name} must be true or false, got {got!r}"
    elif kind in ("too_short", "too_long"):
        message = f"{name} {err['msg'].lower()}"
        if field == "countries":
            message = f"{name} must list exactly two ISO country codes, ours first: [KZ, TR]"
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(err.get("ctx", {}).values()), "")
        words = {
            "greater_than": "more than",
            "greater_than_equal": "at least",
            "less_than": "less than",
            "less_than_equal": "at most",
        }[kind]
        message = f"{name} must be {words} {bound}, got {got!r}"
    else:
        message = f"{name}: {err['msg']}"
    if hint is None:
        hint = _hint(kind, message, field, languages)
    return Finding(doc.path, doc.line(loc), None, "error", code, message, hint)


def _hint(kind: str, message: str, field: str | None, languages: tuple[str, ...]) -> str:
    """What to write instead, for each kind of wrong value."""
    if kind == "value":
        if "a comma inside a one-line" in message:
            return (
                "quote a text that has a comma, or write each of its languages on a line of its own"
            )
        if "date" in message:
            return "write a date as 2024-03-01 (a day), 2024-03 (a month) or 2024 (a year)"
        if "amount" in message or "currency" in message or "trade figure" in message:
            return "write an amount as a number, a scale and a currency code: 4.1 bn USD"
        if "language" in message or " text" in message:
            example = "{" + ", ".join(f"{lang}: ..." for lang in languages) + "}"
            return f"write the text in the brief's languages (brief.yaml languages:): {example}"
        return "correct the value on this line"
    return {
        "literal_error": "write one of the listed values, spelled exactly as shown",
        "string_pattern_mismatch": "use the form shown, without spaces or capital letters "
        "unless shown",
        "int_type": "write digits only, e.g. 2024",
        "int_parsing": "write digits only, e.g. 2024",
        "int_from_float": "write a whole number, without a decimal point",
        "string_type": "put the value in quotes to make it text",
        "list_type": f"write each item of '{field}' on its own line starting with '- '",
        "model_type": "write the entry as 'key: value' lines, indented under it",
        "dict_type": "write the entry as 'key: value' lines, indented under it",
        "model_attributes_type": "write the entry as 'key: value' lines, indented under it",
        "bool_type": "write true or false",
        "bool_parsing": "write true or false",
    }.get(kind, "correct the value on this line")


def _is_branch(part: str) -> bool:
    return part.startswith(("function-", "union[", "tagged-union[")) or "[" in part


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) < 40 else text[:39] + "…"


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys allowed by the model found at `loc` (for 'did you mean')."""
    current: Any = model
    for part in loc:
        current = _inner(current, part)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(dict.fromkeys(key_of(name, f) for name, f in current.model_fields.items()))
    return []


def _inner(tp: Any, part: Any) -> Any:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if not isinstance(part, str):
            return None
        for name, f in tp.model_fields.items():
            if key_of(name, f) == part:
                return _unwrap(f.annotation)
        return None
    if isinstance(part, int):
        origin = typing.get_origin(tp)
        if origin in (list, tuple):
            return _unwrap(typing.get_args(tp)[0])
    return None


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp
        else:
            return tp
