"""Read YAML files into plain data plus the line of every key, with errors said plainly."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError

from .errors import Finding

Path_ = tuple  # a path into the data: keys and list indexes

_ALLOWED_TAGS = {None, "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


@dataclass
class Document:
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


def _plain(node: Any, where: Path_, doc: Document, problems: list[Finding]) -> Any:
    """Convert ruamel's round-trip objects to plain Python, recording lines."""
    tag = _tag(node)
    if tag not in _ALLOWED_TAGS:
        problems.append(
            Finding(
                doc.path,
                doc.line(where),
                None,
                "error",
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
            out[str(key)] = _plain(node[key], sub, doc, problems)
        return out
    if isinstance(node, CommentedSeq):
        out_list = []
        for i, item in enumerate(node):
            sub = where + (i,)
            doc.lines[sub] = node.lc.item(i)[0] + 1
            out_list.append(_plain(item, sub, doc, problems))
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
    return node


class _FloatText(float):
    """A float that remembers the text it was written as (for exact Decimals)."""

    def __new__(cls, text: str):
        obj = super().__new__(cls, text)
        obj.text = text
        return obj


_TAB_INDENT = re.compile(r"^[ ]*\t", re.M)


def load(path: Path, root: Path) -> tuple[Document | None, list[Finding]]:
    """Load one YAML file; return the document (or None) and every problem found."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    problems: list[Finding] = []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Finding(
                rel,
                line,
                None,
                "error",
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
            Finding(
                rel,
                line,
                None,
                "error",
                "yaml-tab",
                "a tab character is used for indentation",
                "indent with spaces only (YAML does not allow tabs)",
            )
        )
    if problems:
        return None, problems
    doc = Document(rel, None, {(): 1})
    try:
        node = _yaml().load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        key = re.search(r'duplicate key "([^"]*)"', str(exc.problem))
        first = exc.context_mark.line + 1 if exc.context_mark else None
        return None, [
            Finding(
                rel,
                mark.line + 1 if mark else None,
                None,
                "error",
                "yaml-duplicate-key",
                f"the key '{key.group(1) if key else '?'}' appears twice in the same mapping",
                "keep one of them"
                + (f" (the mapping starts on line {first})" if first else ""),
            )
        ]
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        hint = _syntax_hint(problem)
        context = (exc.context or "")
        if exc.context_mark is not None and "flow" in context and exc.problem_mark is not None \
                and exc.context_mark.line != exc.problem_mark.line:
            opener = "[" if "sequence" in context else "{"
            hint = (f"the '{opener}' opened on line {exc.context_mark.line + 1} is not closed; "
                    "close it or remove it")
        return None, [
            Finding(
                rel,
                mark.line + 1 if mark else None,
                mark.column + 1 if mark else None,
                "error",
                "yaml-syntax",
                f"YAML syntax error: {problem}",
                hint,
            )
        ]
    doc.data = _plain(node, (), doc, problems)
    return doc, problems


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
