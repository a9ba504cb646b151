"""Read YAML files into plain data plus the line of every key, with errors said plainly."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from generator.errors import Finding

Path_ = tuple  # a path into the data: keys and list indexes

_ALLOWED_TAGS = {None, "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


@dataclass
class YamlFile:
    """A loaded YAML file: its plain data and the line of each path inside it."""

    path: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, where: Path_ = ()) -> int:
        """The line of `where`, or of its nearest ancestor that exists."""
        where = tuple(where)
        while where:
            if where in self.lines:
                return self.lines[where]
            where = where[:-1]
        return self.lines.get((), 1)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.allow_duplicate_keys = False
    # Dates stay text: we parse them ourselves, with the precision the analyst wrote
    # ("2009-10" is a month), and with a located message for "2026-02-30".
    y.constructor.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda c, n: str(c.construct_scalar(n))
    )
    return y


def _tag(node: Any) -> str | None:
    tag = getattr(node, "tag", None)
    return getattr(tag, "value", tag) if tag is not None else None


MAX_DEPTH = 60  # lists and mappings inside each other; a dossier needs fewer than 10
MAX_VALUES = 200_000  # values after expanding aliases; a large dossier has a few thousand
MAX_BYTES = 2_000_000  # a dossier of a few hundred facts is well under 1 MB


class _TooBig(Exception):
    """The document expands to more values than any dossier needs (an alias bomb)."""


def _plain(
    node: Any, where: Path_, doc: YamlFile, problems: list[Finding], budget: list[int] | None = None
) -> Any:
    """Convert ruamel's round-trip objects to plain Python, recording lines."""
    budget = budget if budget is not None else [MAX_VALUES]
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig
    if len(where) > MAX_DEPTH:
        problems.append(
            _problem(
                doc.path,
                doc.line(where),
                "yaml-depth",
                f"lists and mappings are nested more than {MAX_DEPTH} levels deep here",
                "a fact is a few levels deep at most; check for brackets that are not closed",
            )
        )
        return None
    tag = _tag(node)
    if tag not in _ALLOWED_TAGS:
        problems.append(
            _problem(
                doc.path,
                doc.line(where),
                "yaml-tag",
                f"the YAML tag '{tag}' is not allowed",
                "remove the tag: facts are plain text, numbers, dates, lists and mappings",
            )
        )
        return None
    if isinstance(node, CommentedMap):
        out = {}
        for key in node:
            kline = node.lc.key(key)[0] + 1
            sub = where + (str(key),)
            doc.lines[sub] = kline
            out[str(key)] = _plain(node[key], sub, doc, problems, budget)
        return out
    if isinstance(node, CommentedSeq):
        out_list = []
        for i, item in enumerate(node):
            sub = where + (i,)
            doc.lines[sub] = node.lc.item(i)[0] + 1
            out_list.append(_plain(item, sub, doc, problems, budget))
        return out_list
    if isinstance(node, TaggedScalar):
        return str(node.value)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        # Keep what the analyst typed: 4.1 stays "4.1", never 4.0999999.
        return _FloatText(str(node))
    if isinstance(node, str):
        return str(node)
    if node is None:
        return None
    what = {"CommentedSet": "a set (!!set)", "bytes": "binary data (!!binary)"}.get(
        type(node).__name__, f"a value of the kind {type(node).__name__}"
    )
    problems.append(
        _problem(
            doc.path,
            doc.line(where),
            "yaml-tag",
            f"{what} is not allowed here",
            "facts are plain text, numbers, dates, lists and mappings",
        )
    )
    return None


def _problem(
    path: str, line: int | None, code: str, message: str, hint: str, column: int | None = None
) -> Finding:
    """An error in a YAML file, said with its line and what to do."""
    return Finding(path, line, column, "error", code, message, hint)


class _FloatText(float):
    """A float that remembers the text it was written as (for exact Decimals)."""

    def __new__(cls, text: str):
        obj = super().__new__(cls, text)
        obj.text = text
        return obj


_TAB_INDENT = re.compile(r"^[ ]*\t", re.M)


def load(path: Path, root: Path) -> tuple[YamlFile | None, list[Finding]]:
    """Load one YAML file; return the document (or None) and every problem found."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    problems: list[Finding] = []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [
            _problem(
                rel,
                None,
                "yaml-unreadable",
                f"the file cannot be read: {exc.strerror or exc}",
                "check that it is a file (not a folder) and that you may read it",
            )
        ]
    if len(raw) > MAX_BYTES:
        return None, [
            _problem(
                rel,
                None,
                "yaml-too-big",
                f"the file is {len(raw) / 1e6:.1f} MB; a fact file is expected "
                f"to be under {MAX_BYTES / 1e6:.0f} MB",
                "check that it is the right file; split a very long dossier's "
                "texts into shorter facts",
            )
        ]
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
    for m in _TAB_INDENT.finditer(text):
        line = text[: m.start()].count("\n") + 1
        problems.append(
            _problem(
                rel,
                line,
                "yaml-tab",
                "a tab character is used for indentation",
                "indent with spaces only (YAML does not allow tabs)",
            )
        )
    if problems:
        return None, problems
    fast = _fast_load(text, rel)
    if fast is not None:
        return fast, []
    doc = YamlFile(rel, None, {(): 1})
    try:
        node = _yaml().load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        key = re.search(r'duplicate key "([^"]*)"', str(exc.problem))
        first = exc.context_mark.line + 1 if exc.context_mark else None
        return None, [
            _problem(
                rel,
                mark.line + 1 if mark else None,
                "yaml-duplicate-key",
                f"the key '{key.group(1) if key else '?'}' appears twice in the same mapping",
                "keep one of them" + (f" (the mapping starts on line {first})" if first else ""),
            )
        ]
    except RecursionError:
        return None, [
            _problem(
                rel,
                _deep_line(text),
                "yaml-depth",
                f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
                "a fact is a few levels deep at most; check for brackets '[' "
                "and '{' that are not closed",
            )
        ]
    except MarkedYAMLError as exc:
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
        return None, [
            _problem(
                rel,
                mark.line + 1 if mark else None,
                "yaml-syntax",
                f"YAML syntax error: {problem}",
                hint,
                column=mark.column + 1 if mark else None,
            )
        ]
    except ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        char = exc.character
        shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        return None, [
            _problem(
                rel,
                line,
                "yaml-character",
                f"the file contains the control character {shown}, which YAML does not allow",
                "delete it (it is often pasted in invisibly from a PDF or Word)",
            )
        ]
    except YAMLError as exc:
        return None, [
            _problem(
                rel,
                None,
                "yaml-syntax",
                f"YAML syntax error: {str(exc).splitlines()[0] if str(exc) else exc}",
                "check the quoting and indentation",
            )
        ]
    try:
        doc.data = _plain(node, (), doc, problems)
    except _TooBig:
        return None, [
            _problem(
                rel,
                None,
                "yaml-too-big",
                f"the file expands to more than {MAX_VALUES:,} values "
                "(aliases '*name' repeat what their anchor '&name' holds)",
                "write the facts out instead of repeating anchors inside anchors",
            )
        ]
    return doc, problems


class _Unusual(Exception):
    """Something only the careful reader can report well: leave it to the round-trip path."""


_SCALARS = {
    "tag:yaml.org,2002:str": lambda v: v,
    "tag:yaml.org,2002:timestamp": lambda v: v,  # dates stay text (see _yaml)
    "tag:yaml.org,2002:null": lambda v: None,
    "tag:yaml.org,2002:bool": lambda v: v.lower() == "true",
    "tag:yaml.org,2002:int": lambda v: int(v.replace("_", ""), 10),
    "tag:yaml.org,2002:float": lambda v: _FloatText(str(float(v.replace("_", "")))),
}


_COMPOSER = YAML(typ="safe", pure=False)  # libyaml's parser and composer when available


def _fast_load(text: str, rel: str) -> YamlFile | None:
    """Compose with libyaml (ruamel.yaml.clib) and convert the nodes ourselves.

    About ten times faster than the round-trip loader for a valid file. Anything unusual
    (an error, a duplicate key, a tag, a merge key, deep nesting, a special number)
    returns None, and the round-trip loader reads the file again and says what is wrong,
    so messages never depend on which path ran.
    """
    if _COMPOSER.Parser.__name__ != "CParser":  # ruamel.yaml.clib is not installed
        return None
    try:
        node = _COMPOSER.compose(text)
    except Exception:  # noqa: BLE001 - any trouble: the careful path reports it
        return None
    doc = YamlFile(rel, None, {(): 1})
    try:
        doc.data = _convert(node, (), doc, [MAX_VALUES]) if node is not None else None
    except (_Unusual, ValueError, RecursionError):
        return None
    return doc


def _convert(node: Any, where: Path_, doc: YamlFile, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0 or len(where) > MAX_DEPTH:
        raise _Unusual
    kind = type(node).__name__
    if kind == "MappingNode":
        if node.tag != "tag:yaml.org,2002:map":
            raise _Unusual
        out: dict = {}
        for key_node, value_node in node.value:
            if type(key_node).__name__ != "ScalarNode" or key_node.tag not in _SCALARS:
                raise _Unusual
            if key_node.tag == "tag:yaml.org,2002:str" and key_node.value == "<<":
                raise _Unusual  # a merge key
            key = _SCALARS[key_node.tag](key_node.value)
            key = str(key.text if isinstance(key, _FloatText) else key)
            if key in out:
                raise _Unusual  # a duplicate key
            sub = where + (key,)
            doc.lines[sub] = key_node.start_mark.line + 1
            out[key] = _convert(value_node, sub, doc, budget)
        return out
    if kind == "SequenceNode":
        if node.tag != "tag:yaml.org,2002:seq":
            raise _Unusual
        items = []
        for i, item in enumerate(node.value):
            sub = where + (i,)
            doc.lines[sub] = item.start_mark.line + 1
            items.append(_convert(item, sub, doc, budget))
        return items
    if kind == "ScalarNode" and node.tag in _SCALARS:
        if node.tag == "tag:yaml.org,2002:float" and not any(c.isdigit() for c in node.value):
            raise _Unusual  # .inf, .nan
        return _SCALARS[node.tag](node.value)
    raise _Unusual


def _deep_line(text: str) -> int | None:
    """The first line where '[' and '{' are nested deeper than MAX_DEPTH."""
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for char in line:
            depth += char in "[{"
            depth -= char in "]}"
            if depth > MAX_DEPTH:
                return number
    return None


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
