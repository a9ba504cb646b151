"""How much one render may do: steps, time, text length, widths, numbers.

A template is edited by hand and travels between desks; whatever it says, a render ends
within its bounds with an error naming the limit, the template and the line. Loops and
calls count as steps; every text a render builds (a filter's result, `~`, `+`, a block's
output, the document) is measured before it is joined; widths, counts and the sizes of
numbers are checked before the work is done.

>>> budget = Budget(steps=3)
>>> for _ in range(3): budget.step()
>>> budget.step()
Traceback (most recent call last):
...
generator.render.limits.RenderLimit: more than 3 loop rounds, calls and filters in one render
"""

from __future__ import annotations

import contextvars
import re
import string
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from jinja2.sandbox import SecurityError

MAX_STEPS = 100_000  # loop rounds, calls and filters in one render (a shipped brief: < 2,000)
MAX_SECONDS = 10.0  # one render's time, for whatever the steps do not count
MAX_TEXT = 10_000_000  # characters in any text a render builds, the document included
MAX_MADE = 50_000_000  # characters of all the texts one render builds, added up
MAX_WIDTH = 1_000  # a width, precision, indent or count given to a filter or a format
MAX_REPEAT = 10_000  # characters or items made by repeating (`'-' * 40`)
MAX_BITS = 1_024  # size of a whole number a template computes (about 300 digits)


class RenderLimit(SecurityError):
    """A render went past one of its limits; the message names which."""


@dataclass
class Budget:
    """The steps and time left to one render."""

    steps: int = MAX_STEPS
    seconds: float = MAX_SECONDS
    characters: int = MAX_MADE
    started: float = field(default_factory=time.monotonic)
    used: int = 0
    made: int = 0

    def step(self, count: int = 1) -> None:
        self.used += count
        if self.used > self.steps:
            raise RenderLimit(
                f"more than {self.steps:,} loop rounds, calls and filters in one render"
            )
        if self.used % 256 == 0:
            self.clock()

    def make(self, length: int) -> None:
        self.made += length
        if self.made > self.characters:
            raise RenderLimit(
                f"more than {self.characters:,} characters of text made in one render"
            )

    def clock(self) -> None:
        if time.monotonic() - self.started > self.seconds:
            raise RenderLimit(f"the render took longer than {self.seconds:g} seconds")


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)


def start(budget: Budget | None = None) -> contextvars.Token:
    """Give the renders of this thread a new budget (undo with `stop`)."""
    return _current.set(budget or Budget())


def stop(token: contextvars.Token) -> None:
    _current.reset(token)


def step(count: int = 1) -> None:
    """Spend steps of the current render's budget (none outside a render)."""
    budget = _current.get()
    if budget is not None:
        budget.step(count)


def counted(items: Iterable[Any]) -> Iterator[Any]:
    """The items of a loop, one step each."""
    budget = _current.get()
    for item in items:
        if budget is not None:
            budget.step()
        yield item


# ---- sizes -------------------------------------------------------------------------------


def text(value: Any) -> Any:
    """`value`, if it is not a text or list longer than MAX_TEXT (a text made counts
    against the render's budget of characters)."""
    if isinstance(value, str | list | tuple):
        if len(value) > MAX_TEXT:
            raise RenderLimit(f"a text or list longer than {MAX_TEXT:,} characters or items")
        budget = _current.get()
        if budget is not None:
            budget.make(len(value))
    if isinstance(value, int) and not isinstance(value, bool):
        number(value)
    return value


def joined(pieces: Iterable[str]) -> str:
    """The pieces of a template's output, joined once their total length is known to fit.

    >>> joined(iter(["a", "b"]))
    'ab'
    """
    parts: list[str] = []
    total = 0
    budget = _current.get()
    for piece in pieces:
        total += len(piece)
        if total > MAX_TEXT:
            raise RenderLimit(f"output longer than {MAX_TEXT:,} characters")
        parts.append(piece)
        if budget is not None and len(parts) % 1024 == 0:
            budget.clock()
    return "".join(parts)


def width(value: Any, what: str = "a width") -> Any:
    """A width, precision, indent or count, if it is within MAX_WIDTH."""
    size = len(value) if isinstance(value, str) else value
    if isinstance(size, int | float) and abs(size) > MAX_WIDTH:
        raise RenderLimit(f"{what} of {size:,} (the limit is {MAX_WIDTH:,})")
    return value


def number(value: int) -> int:
    if value.bit_length() > MAX_BITS:
        raise RenderLimit(f"a number with more than {MAX_BITS * 3 // 10:,} digits")
    return value


def growth(length: int, what: str) -> None:
    """Refuse work whose result would be longer than MAX_TEXT (known before doing it)."""
    if length > MAX_TEXT:
        raise RenderLimit(
            f"{what} would make a text of {length:,} characters (the limit is {MAX_TEXT:,})"
        )


# ---- format strings ----------------------------------------------------------------------

_PRINTF = re.compile(
    r"%(?:\([^)]*\))?[-#0 +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d*))?[hlL]?(?P<type>.)",
    re.S,
)


def printf(template: str, args: Any) -> None:
    """Refuse `%` formats with widths or precisions past MAX_WIDTH.

    >>> printf("%5.2f", (1.5,))
    >>> printf("%*s", (10**9, "x"))
    Traceback (most recent call last):
    ...
    generator.render.limits.RenderLimit: a width in a format of 1,000,000,000 (the limit is 1,000)
    """
    values = list(args) if isinstance(args, tuple | list) else [args]
    for match in _PRINTF.finditer(template):
        if match["type"] == "%":
            continue
        for part in (match["width"], match["precision"]):
            if part == "*":
                given = values.pop(0) if values else 0
                width(given if isinstance(given, int) else 0, "a width in a format")
            elif part:
                width(int(part), "a width in a format")


def format_spec(template: str) -> None:
    """Refuse `str.format` fields whose width or precision is past MAX_WIDTH, or given by a
    value (a nested field).

    >>> format_spec("{:>8}")
    >>> format_spec("{:>{}}")
    Traceback (most recent call last):
    ...
    generator.render.limits.RenderLimit: a width or precision given by a value in a format
    """
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # str.format reports the mistake itself
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            raise RenderLimit("a width or precision given by a value in a format")
        for digits in re.findall(r"\d+", spec):
            width(int(digits), "a width in a format")


# ---- filters, globals and text methods -----------------------------------------------------


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str) else 0


def _items(value: Any) -> list:
    items = list(counted(value)) if not isinstance(value, list | tuple | str) else list(value)
    return items


def _check_join(items: list, separator: Any) -> None:
    growth(
        sum(_length(item) for item in items) + _length(separator) * max(len(items) - 1, 0),
        "joining",
    )


def _check_replace(value: Any, old: Any, new: Any, count: Any = None) -> None:
    value, old, new = str(value), str(old), str(new)
    times = value.count(old) if old else len(value) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    growth(len(value) + times * max(len(new) - len(old), 0), "replacing")


def _check_indent(value: Any, indent: Any = 4, *args: Any, **kwargs: Any) -> None:
    width(indent, "an indent")
    step = len(indent) if isinstance(indent, str) else int(indent or 0)
    growth(len(str(value)) + (str(value).count("\n") + 1) * max(step, 0), "indenting")


def _check_wordwrap(
    value: Any,
    wrap: int = 79,
    long_words: bool = True,
    wrapstring: Any = None,
    *args: Any,
    **kwargs: Any,
) -> None:
    wrapstring = kwargs.get("wrapstring", wrapstring)
    width(wrapstring or "", "a line break text")
    lines = len(str(value)) // max(int(wrap) if isinstance(wrap, int) else 1, 1) + 1
    growth(len(str(value)) + lines * len(wrapstring or "\n"), "wrapping")


def _check_sum(value: Any, attribute: Any = None, start: Any = 0) -> None:
    if not isinstance(start, int | float) and start.__class__.__name__ != "Decimal":
        raise RenderLimit("sum adds numbers; to put texts or lists together use join")


# user-visible arguments of Jinja's own filters, checked before the filter runs
_FILTER_CHECKS: dict[str, Any] = {
    "center": lambda value, size=80: width(size),
    "indent": _check_indent,
    "format": lambda value, *args, **kwargs: printf(str(value), kwargs or args),
    "replace": _check_replace,
    "batch": lambda value, size, *args: width(size, "a batch size"),
    "slice": lambda value, size, *args: width(size, "a number of slices"),
    "wordwrap": _check_wordwrap,
    "tojson": lambda value, indent=None: width(indent or 0, "an indent"),
    "sum": _check_sum,
    "truncate": lambda value, size=255, *args, **kwargs: width(
        kwargs.get("leeway", 0) or 0, "a leeway"
    ),
}


def bounded_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """Jinja's filters with their widths and counts checked before they run and every result
    measured; `join` materialises and measures its items first."""
    from functools import wraps

    def bounded(name: str, apply: Any) -> Any:
        check = _FILTER_CHECKS.get(name)
        passes = getattr(apply, "jinja_pass_arg", None)

        @wraps(apply)
        def run(*args: Any, **kwargs: Any) -> Any:
            step()
            own = args[1:] if passes else args  # the value and the template's arguments
            if name == "join" and own:
                items = _items(own[0])
                _check_join(items, own[1] if len(own) > 1 else kwargs.get("d", ""))
                args = (*args[: len(args) - len(own)], items, *own[1:])
            elif check is not None:
                check(*own, **kwargs)
            return text(apply(*args, **kwargs))

        return run

    return {name: bounded(name, apply) for name, apply in filters.items()}


def lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
    """Jinja's placeholder text, in bounded amounts."""
    from jinja2.utils import generate_lorem_ipsum

    width(n, "a number of paragraphs")
    width(max, "a number of words")
    width(min, "a number of words")
    return generate_lorem_ipsum(n, html, min, max)


def method_call(method: Any, args: tuple, kwargs: dict) -> tuple:
    """Check a call of a text or number method before it runs; the arguments to call with
    (a `join`'s items, materialised)."""
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if isinstance(owner, str):
        if name in ("center", "ljust", "rjust", "zfill") and args:
            width(args[0])
        elif name == "expandtabs":
            size = args[0] if args else kwargs.get("tabsize", 8)
            width(size, "a tab size")
            growth(len(owner) + owner.count("\t") * int(size), "expanding tabs")
        elif name == "join" and args:
            items = _items(args[0])
            _check_join(items, owner)
            args = (items, *args[1:])
        elif name == "replace" and len(args) >= 2:
            _check_replace(owner, args[0], args[1], args[2] if len(args) > 2 else None)
        elif name == "translate" and args and isinstance(args[0], dict):
            longest = max((_length(v) for v in args[0].values()), default=1)
            growth(len(owner) * max(longest, 1), "translating")
    elif isinstance(owner, int) and name == "to_bytes":
        width(args[0] if args else kwargs.get("length", 1), "a length")
    return args, kwargs


def binop(operator: str, left: Any, right: Any) -> None:
    """Check `*`, `**`, `+` and `%` before they run.

    >>> binop("*", "-", 40)
    >>> binop("**", 9, 9 ** 9)
    Traceback (most recent call last):
    ...
    generator.render.limits.RenderLimit: a number with more than 307 digits
    """
    if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
        if max(left.bit_length() - 1, 0) * right > MAX_BITS:
            raise RenderLimit(f"a number with more than {MAX_BITS * 3 // 10:,} digits")
    elif operator == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and isinstance(count, int):
                if count * max(len(seq), 1) > MAX_REPEAT:
                    raise RenderLimit(
                        f"repeating a text or list {count:,} times (the limit is "
                        f"{MAX_REPEAT:,} characters or items)"
                    )
    elif operator == "%" and isinstance(left, str):
        printf(left, right)
