"""Read YAML files into plain data plus the line of every key, with errors said plainly.

One converter builds the data from the parser's events, without recursion: nesting deeper
than any fact file needs is refused as it is met, before anything deep is built. libyaml
(ruamel.yaml.clib) parses when it is installed; a file it cannot parse is parsed again by
ruamel's own parser, whose messages are the ones shown, so a message never depends on which
parser ran. A file's result, good or bad, is kept for the process: loading it again costs
a dictionary look-up.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    DocumentStartEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.reader import ReaderError

from generator.errors import Finding
from generator.facts.files import InputFileError, read_input

KeyPath = tuple  # a path into the data: keys and list indexes

MAX_DEPTH = 60  # lists and mappings inside each other; a dossier needs fewer than 10
MAX_VALUES = 200_000  # values after expanding aliases; a large dossier has a few thousand
MAX_BYTES = 2_000_000  # a dossier of a few hundred facts is well under 1 MB

STR, MAP, SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_ALLOWED_TAGS = {None, "!", STR, MAP, SEQ}
_TAB_INDENT = re.compile(r"^[ ]*\t", re.M)
_NOT_A_CHARACTER = re.compile("[\ud800-\udfff\ufffe\uffff]")


@dataclass
class YamlFile:
    """A loaded YAML file: its plain data and the line of each path inside it."""

    path: str
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, where: KeyPath = ()) -> int:
        """The line of `where`, or of its nearest ancestor that exists."""
        where = tuple(where)
        while where:
            if where in self.lines:
                return self.lines[where]
            where = where[:-1]
        return self.lines.get((), 1)


class _FloatText(float):
    """A float that remembers the text it was written as (for exact Decimals)."""

    text: str

    def __new__(cls, text: str) -> _FloatText:
        obj = super().__new__(cls, text)
        obj.text = text
        return obj


def load(path: Path, root: Path) -> tuple[YamlFile | None, list[Finding]]:
    """Load one YAML file; return the document (or None) and every problem found."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    try:
        raw = read_input(
            path,
            limit=MAX_BYTES,
            rel=rel,
            advice="check that it is the right file; split a very long dossier's "
            "texts into shorter facts",
        )
    except InputFileError as exc:
        code = "yaml-too-big" if exc.problem == "too-big" else "yaml-unreadable"
        return None, [_problem(rel, None, code, exc.message, exc.hint or "")]
    return _load_bytes(rel, raw)


class _Kept:
    """What reading files gave, kept while their bytes are the same (`brief check`, the
    preview and a build read the same files again and again), up to a number of bytes read
    (not of files): a process going through many dossiers keeps the latest, not all."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.found: OrderedDict[tuple[str, bytes], Any] = OrderedDict()
        self.lock = threading.Lock()

    def __call__(self, rel: str, raw: bytes) -> tuple[YamlFile | None, list[Finding]]:
        key = (rel, raw)
        with self.lock:
            if key in self.found:
                self.found.move_to_end(key)
                return self.found[key]
        result = _read_bytes(rel, raw)
        with self.lock:
            if key not in self.found:
                self.found[key] = result
                self.size += len(raw)
            while self.size > self.limit and len(self.found) > 1:
                (_, dropped), _ = self.found.popitem(last=False)
                self.size -= len(dropped)
        return result

    def cache_clear(self) -> None:
        with self.lock:
            self.found.clear()
            self.size = 0


_load_bytes = _Kept(limit=1_000_000)


def _read_bytes(rel: str, raw: bytes) -> tuple[YamlFile | None, list[Finding]]:
    """The result of reading one file's bytes (the same bytes give the same answer)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            _problem(
                rel,
                line,
                "yaml-encoding",
                f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                "save the file as UTF-8 (in most editors: Save As → Encoding → UTF-8)",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    tabs = [
        _problem(
            rel,
            text[: m.start()].count("\n") + 1,
            "yaml-tab",
            "a tab character is used for indentation",
            "indent with spaces only (YAML does not allow tabs)",
        )
        for m in _TAB_INDENT.finditer(text)
    ]
    if tabs:
        return None, tabs
    if _FAST is not _CAREFUL:
        try:
            return _Builder(rel).build(_FAST.parse(text))
        except _ParserFailed:
            pass  # libyaml says little: the careful parser reads it again and says it well
    try:
        return _Builder(rel).build(_CAREFUL.parse(text))
    except _ParserFailed as failed:
        return None, [_syntax_problem(rel, text, failed.error)]


_FAST = YAML(typ="safe", pure=False)  # libyaml's parser when ruamel.yaml.clib is installed
_CAREFUL = YAML(typ="safe", pure=True)  # ruamel's own parser: its messages are shown
_RESOLVER = _CAREFUL.resolver


class _ParserFailed(Exception):
    """The parser could not go on: the file is not valid YAML."""

    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error


class _Stop(Exception):
    """A problem that ends the reading of the file (said by the finding it carries)."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


@dataclass
class _Open:
    """A mapping or list being built: its key path, value, and the key waiting for a value."""

    where: KeyPath
    value: Any
    line: int
    anchor: str | None
    key: str | None = None
    key_line: int = 0
    values: int = 1  # values inside it, itself included (what an alias of it costs)
    flow: bool = False  # written on one line in braces: {a: 1, b: 2}
    first_lines: dict[str, int] = field(default_factory=dict)  # key → line, for duplicates


class _Builder:
    """Builds plain data and lines from parser events, in one pass and without recursion."""

    def __init__(self, rel: str):
        self.doc = YamlFile(rel, None, {(): 1})
        self.problems: list[Finding] = []
        self.stack: list[_Open] = []
        self.anchors: dict[str, tuple[Any, dict[KeyPath, int], int]] = {}
        self.budget = MAX_VALUES
        self.documents = 0

    def build(self, events: Iterator[Any]) -> tuple[YamlFile | None, list[Finding]]:
        """Take the events as the parser makes them: nesting too deep stops the reading
        before the parser has gone further than it."""
        try:
            while True:
                try:
                    event = next(events)
                except StopIteration:
                    break
                except _Stop:
                    raise
                except Exception as exc:  # noqa: BLE001 - any parser failure: said as syntax
                    raise _ParserFailed(exc) from None
                self.event(event)
        except _Stop as stop:
            return None, [stop.finding]
        if self.problems:
            return None, self.problems
        return self.doc, []

    # ---- events --------------------------------------------------------------------------

    def event(self, event: Any) -> None:
        if isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _Stop(
                    self.bad(
                        _line(event),
                        "yaml-syntax",
                        "YAML syntax error: the file holds more than one document ('---')",
                        "keep one document per file: remove the second '---' and what follows, "
                        "or merge it into the first",
                    )
                )
        elif isinstance(event, MappingStartEvent | SequenceStartEvent):
            self.open(event)
        elif isinstance(event, CollectionEndEvent):
            self.close()
        elif isinstance(event, ScalarEvent):
            self.scalar(event)
        elif isinstance(event, AliasEvent):
            self.alias(event)

    def open(self, event: Any) -> None:
        line = _line(event)
        where = self.child_path(line)
        if len(where) >= MAX_DEPTH or len(self.stack) >= MAX_DEPTH:
            raise _Stop(_depth_problem(self.doc.path, line))
        self.spend(1, line)
        tag = _tag(event)
        if tag not in _ALLOWED_TAGS:
            self.tag_problem(line, tag)
        is_map = isinstance(event, MappingStartEvent)
        self.stack.append(
            _Open(where, {} if is_map else [], line, event.anchor, flow=bool(event.flow_style))
        )

    def close(self) -> None:
        done = self.stack.pop()
        if done.anchor:
            self.anchors[done.anchor] = (done.value, self.lines_under(done.where), done.values)
        self.put(done.value, done.line, done.values, None)

    def scalar(self, event: Any) -> None:
        line = _line(event)
        self.spend(1, line)
        value = self.convert(event, line)
        if event.anchor:
            self.anchors[event.anchor] = (value, {}, 1)
        self.put(value, line, 1, None, scalar_event=event)

    def alias(self, event: Any) -> None:
        line = _line(event)
        if event.anchor not in self.anchors:
            raise _Stop(
                self.bad(
                    line,
                    "yaml-syntax",
                    f"YAML syntax error: the alias '*{event.anchor}' refers to no anchor "
                    f"'&{event.anchor}' above it",
                    "define the anchor before its first use, or write the value out",
                )
            )
        value, lines, count = self.anchors[event.anchor]
        self.spend(count, line)
        self.put(value, line, count, lines)

    # ---- building ------------------------------------------------------------------------

    def put(
        self,
        value: Any,
        line: int,
        count: int,
        lines: dict[KeyPath, int] | None,
        scalar_event: Any = None,
    ) -> None:
        """Place a finished value in the mapping or list being built (or as the document)."""
        if not self.stack:
            self.doc.data = value
            return
        parent = self.stack[-1]
        if isinstance(parent.value, dict) and parent.key is None:
            self.take_key(parent, value, line, scalar_event)
            return
        parent.values += count
        self.place(value, line, lines or {})

    def place(self, value: Any, line: int, lines: dict[KeyPath, int]) -> None:
        parent = self.stack[-1]
        if isinstance(parent.value, dict):
            key = parent.key
            assert key is not None
            where = parent.where + (key,)
            parent.value[key] = value
            self.doc.lines[where] = parent.key_line
            parent.key = None
        else:
            where = parent.where + (len(parent.value),)
            parent.value.append(value)
            self.doc.lines[where] = line
        for sub, sub_line in lines.items():  # the lines of an alias: its anchor's
            self.doc.lines[where + sub] = sub_line

    def take_key(self, parent: _Open, key: Any, line: int, event: Any) -> None:
        if event is None:
            self.bad(
                line,
                "yaml-key",
                "a key must be plain text, not a list or a mapping",
                "write 'key: value' with a word or a number as the key",
            )
            key = f"?{line}"
        elif event.value == "<<" and event.implicit[0]:
            self.bad(
                line,
                "yaml-merge",
                "a merge key '<<' is not allowed in fact files",
                "write the keys out in this mapping instead of merging another one in",
            )
        key = str(key.text if isinstance(key, _FloatText) else key)
        if key in parent.first_lines:
            if parent.flow and parent.value.get(key) is None:
                # {kk: Бір, екі, ru: Раз, екі}: the words after a comma read as keys
                raise _Stop(
                    self.bad(
                        line,
                        "yaml-duplicate-key",
                        f"the key '{key}' appears twice in the same mapping — most likely it "
                        f"is a word after a comma inside a text: a comma splits a one-line "
                        f"{{kk: …, ru: …}} text",
                        f'put each text that has a comma in quotes: {{kk: "…, {key}", …}}',
                    )
                )
            raise _Stop(
                self.bad(
                    line,
                    "yaml-duplicate-key",
                    f"the key '{key}' appears twice in the same mapping",
                    f"keep one of them (the mapping starts on line {parent.line})",
                )
            )
        parent.first_lines[key] = line
        parent.key, parent.key_line = key, line

    def child_path(self, line: int) -> KeyPath:
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if isinstance(parent.value, dict):
            if parent.key is None:  # a mapping or list used as a key
                return parent.where + (f"?{line}",)
            return parent.where + (parent.key,)
        return parent.where + (len(parent.value),)

    def lines_under(self, where: KeyPath) -> dict[KeyPath, int]:
        """The lines recorded inside `where`, relative to it (for aliases of an anchor)."""
        size = len(where)
        return {
            path[size:]: line
            for path, line in self.doc.lines.items()
            if len(path) > size and path[:size] == where
        }

    def spend(self, count: int, line: int) -> None:
        self.budget -= count
        if self.budget < 0:
            raise _Stop(
                _problem(
                    self.doc.path,
                    None,
                    "yaml-too-big",
                    f"the file expands to more than {MAX_VALUES:,} values "
                    "(aliases '*name' repeat what their anchor '&name' holds)",
                    "write the facts out instead of repeating anchors inside anchors",
                )
            )

    # ---- scalars -------------------------------------------------------------------------

    def convert(self, event: Any, line: int) -> Any:
        """A scalar's value as YAML 1.2 types it (dates stay text, read later with their
        precision; a float keeps the text it was written as)."""
        value = event.value
        bad = _NOT_A_CHARACTER.search(value)
        if bad:
            self.bad(
                line,
                "yaml-character",
                f"the text contains U+{ord(bad.group()):04X}, which is not a character "
                "(it cannot be written to a PDF or a Word file)",
                "delete it, or write the character that was meant",
            )
            return None
        tag = _tag(event)
        if tag not in _ALLOWED_TAGS:
            self.tag_problem(line, tag)
            return None
        if tag == STR or tag == "!" or not event.implicit[0]:
            return value
        resolved = str(_RESOLVER.resolve(ScalarNode, value, event.implicit))
        try:
            return _SCALARS.get(resolved, str)(value)
        except (ValueError, OverflowError):
            self.bad(
                line,
                "yaml-number",
                f"the number {value[:20]}{'…' if len(value) > 20 else ''} cannot be read",
                "write a number of at most 15 digits, or put the value in quotes to make it text",
            )
            return None

    def tag_problem(self, line: int, tag: str | None) -> None:
        what = {
            "tag:yaml.org,2002:set": "a set (!!set)",
            "tag:yaml.org,2002:omap": "an ordered mapping (!!omap)",
            "tag:yaml.org,2002:pairs": "a list of pairs (!!pairs)",
            "tag:yaml.org,2002:binary": "binary data (!!binary)",
        }.get(tag or "")
        if what:
            self.bad(
                line,
                "yaml-tag",
                f"{what} is not allowed here",
                "facts are plain text, numbers, dates, lists and mappings",
            )
        else:
            self.bad(
                line,
                "yaml-tag",
                f"the YAML tag '{tag}' is not allowed",
                "remove the tag: facts are plain text, numbers, dates, lists and mappings",
            )

    def bad(self, line: int | None, code: str, message: str, hint: str) -> Finding:
        finding = _problem(self.doc.path, line, code, message, hint)
        self.problems.append(finding)
        return finding


def _int(text: str) -> int:
    text = text.replace("_", "")
    sign, digits = (text[0], text[1:]) if text[:1] in "+-" else ("", text)
    base = 16 if digits[:2] in ("0x", "0X") else 8 if digits[:2] in ("0o", "0O") else 10
    number = int(digits[2:] if base != 10 else digits, base)
    if len(str(number)) > 30:
        raise ValueError("too many digits")
    return -number if sign == "-" else number


def _float(text: str) -> _FloatText:
    lowered = text.lower().replace("_", "")
    special = {".inf": "inf", "+.inf": "inf", "-.inf": "-inf", ".nan": "nan"}
    if lowered in special:
        return _FloatText(special[lowered])
    return _FloatText(str(float(lowered)))


_SCALARS: dict[str, Callable[[str], Any]] = {
    STR: str,
    "tag:yaml.org,2002:timestamp": str,  # dates stay text: read with their precision later
    "tag:yaml.org,2002:null": lambda v: None,
    "tag:yaml.org,2002:bool": lambda v: v.lower() == "true",
    "tag:yaml.org,2002:int": _int,
    "tag:yaml.org,2002:float": _float,
    "tag:yaml.org,2002:merge": str,
}


def _tag(event: Any) -> str | None:
    tag = getattr(event, "tag", None)
    if tag is None:
        return None
    return str(getattr(tag, "value", tag))


def _line(event: Any) -> int:
    return event.start_mark.line + 1 if event.start_mark is not None else 1


def _problem(
    path: str, line: int | None, code: str, message: str, hint: str, column: int | None = None
) -> Finding:
    """An error in a YAML file, said with its line and what to do."""
    return Finding(path, line, column, "error", code, message, hint)


def _depth_problem(path: str, line: int | None) -> Finding:
    return _problem(
        path,
        line,
        "yaml-depth",
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
        "a fact is a few levels deep at most; check for brackets '[' and '{' that are not closed",
    )


def _syntax_problem(rel: str, text: str, exc: Exception) -> Finding:
    """What the careful parser says of a file it cannot read, in the analyst's words."""
    if isinstance(exc, ReaderError):
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        char = exc.character
        shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        return _problem(
            rel,
            line,
            "yaml-character",
            f"the file contains the control character {shown}, which YAML does not allow",
            "delete it (it is often pasted in invisibly from a PDF or Word)",
        )
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        hint = _syntax_hint(problem)
        context = exc.context or ""
        if (
            exc.context_mark is not None
            and "flow" in context
            and exc.problem_mark is not None
            and exc.context_mark.line != exc.problem_mark.line
        ):
            opener = "[" if "sequence" in context else "{"
            hint = (
                f"the '{opener}' opened on line {exc.context_mark.line + 1} is not closed; "
                "close it or remove it"
            )
        return _problem(
            rel,
            mark.line + 1 if mark else None,
            "yaml-syntax",
            f"YAML syntax error: {problem}",
            hint,
            column=mark.column + 1 if mark else None,
        )
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return _problem(rel, None, "yaml-syntax", f"YAML syntax error: {first}", _syntax_hint(first))


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a value that contains ': ' must be quoted, e.g. title: \"Astana: summit\""
    if "could not find expected ':'" in problem:
        return "each line of a mapping needs 'key: value'; check the line above for a missing ':'"
    if "found character '\\t'" in problem:
        return "indent with spaces only (YAML does not allow tabs)"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return "check the indentation: items of the same list or mapping must line up"
    if "found unexpected end of stream" in problem or "stream end" in problem:
        return "a quote or bracket is not closed"
    return "check the quoting and indentation around this line"
