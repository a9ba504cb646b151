"""One resource policy for every writer and for `brief check`: files under templates/
(symlinks resolved) and data: URIs, each at most 5 MB; nothing from the network, nothing
from elsewhere on the disk. Stylesheets are read as CSS is, every url() held to the same
policy (images: generator.writers.images; the rendered brief: generator.writers.preflight)."""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlparse

import tinycss2

from generator.errors import BriefError, Finding
from generator.facts.files import MB, InputFileError, read_input, size_words

SIZE_LIMIT = 5 * MB  # bytes of a file, characters of a data: URI (libxml2 cuts at 10 MB)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
HINT = (
    "briefs may only use files inside templates/ (no web addresses, no other folders) "
    "and data: URIs; copy the file into templates/ and refer to it by its relative path"
)


@dataclass(frozen=True)
class Resource:
    """The bytes a reference names, their media type, and the file (None: a data: URI)."""

    data: bytes
    media_type: str
    path: Path | None = None


def refused(message: str, code: str = "resource", hint: str = HINT) -> BriefError:
    """A refusal of the policy, not located yet (the preflight finds where it is written)."""
    return BriefError(message, path="templates", hint=hint, code=code)


def shown(reference: str) -> str:
    """A reference as a message quotes it: at most 80 characters, on one line.

    >>> shown("a\\nb")
    'a\\\\x0ab'
    """
    cut = reference if len(reference) <= 80 else reference[:77] + "..."
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", cut)


def template_file(templates: Path, reference: str, base: Path | None = None) -> Path | None:
    """The file a relative reference names (from `base`, by default templates/ itself), if it
    is a regular file inside templates/ once symlinks are resolved; None for anything else.

    >>> template_file(Path("templates"), "/etc/passwd") is None
    True
    >>> template_file(Path("templates"), "file:///etc/passwd") is None
    True
    >>> template_file(Path("templates"), "../briefs/kz-tr.yaml") is None
    True
    """
    reference = reference.strip()
    if not reference or _SCHEME.match(reference) or reference.startswith(("/", "\\")):
        return None
    root = templates.resolve()
    relative = unquote(reference.split("#", 1)[0].split("?", 1)[0])
    if not relative or "\0" in relative:
        return None
    try:
        path = ((base or root) / relative).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return path if path.is_relative_to(root) and path.is_file() else None


def _read_file(path: Path, what: str, reference: str) -> Resource:
    too_big = refused(
        f"the {what} '{shown(reference)}' is {size_words(path.stat().st_size)}, over the "
        f"limit of {size_words(SIZE_LIMIT)}",
        code="resource-size",
        hint="make the file smaller (for an image: fewer pixels, or SVG)",
    )
    if path.stat().st_size > SIZE_LIMIT:
        raise too_big
    try:
        data = read_input(path, limit=SIZE_LIMIT)
    except InputFileError as exc:  # replaced or grown since: said where it is used
        if exc.problem == "too-big":
            raise too_big from None
        raise refused(f"the {what} '{shown(reference)}' cannot be read: {exc.message}") from None
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Resource(data, media_type, path)


def data_resource(reference: str, what: str) -> Resource:
    """The bytes of a data: URI, refused past the size limit or when malformed."""
    if len(reference) > SIZE_LIMIT:
        raise refused(
            f"the {what} is a data: URI of {size_words(len(reference))}, over the limit of "
            f"{size_words(SIZE_LIMIT)}",
            code="resource-size",
            hint="make the image smaller (fewer pixels, or SVG), or put it in a file "
            "under templates/ and refer to it by its relative path",
        )
    header, comma, payload = reference.strip()[5:].partition(",")
    params = [p.strip().lower() for p in header.split(";")]
    media_type = params[0] or "text/plain"
    try:
        if not comma:
            raise ValueError("no comma before the data")
        if params[-1] == "base64":
            data = base64.b64decode(re.sub(r"\s", "", unquote(payload)), validate=True)
        else:
            data = unquote_to_bytes(payload)
    except (ValueError, binascii.Error):
        raise refused(
            f"the {what} '{shown(reference)}' is not a well-formed data: URI",
            code="resource-data",
            hint="write it as data:<type>;base64,<data>, e.g. data:image/png;base64,iVBOR...",
        ) from None
    return Resource(data, media_type)


def load(templates: Path, reference: str, what: str, base: Path | None = None) -> Resource:
    """What a reference in a brief names: a data: URI, or a file under templates/ (relative to
    `base`); a BriefError (not located yet) for anything else."""
    if reference.strip().lower().startswith("data:"):
        return data_resource(reference, what)
    path = template_file(templates, reference, base)
    if path is None:
        raise refused(f"the {what} '{shown(reference)}' is not a file under templates/")
    return _read_file(path, what, reference)


def fetched(templates: Path, url: str) -> Resource:
    """What the PDF writer may fetch: a data: URI, or a file:// URL (WeasyPrint's spelling of
    a relative reference) of a file under templates/."""
    if url.lower().startswith("data:"):
        return data_resource(url, "resource")
    if url.startswith("file://"):
        root = templates.resolve()
        try:
            path = Path(unquote(urlparse(url).path)).resolve()
        except (OSError, RuntimeError, ValueError):
            path = None
        if path is not None and path.is_relative_to(root) and path.is_file():
            return _read_file(path, "resource", url)
    raise refused(f"the resource '{shown(url)}' is not a file under templates/")


# ---- stylesheets -------------------------------------------------------------------------


@dataclass(frozen=True)
class CssReference:
    """A url() (or an @import: reference None) in a stylesheet, and its line."""

    line: int
    reference: str | None


def _walk(nodes) -> Iterator:
    for node in nodes or ():
        yield node
        for part in ("prelude", "content", "arguments"):
            inner = getattr(node, part, None)
            if isinstance(inner, list):
                yield from _walk(inner)


def css_references(text: str) -> list[CssReference]:
    """Every url() of a stylesheet, and its @imports (read as CSS is: escapes, comments).

    >>> [(r.line, r.reference) for r in css_references('a { b: url(x.png) }\\n@import "y";')]
    [(1, 'x.png'), (2, None)]
    """
    out = []
    for node in _walk(tinycss2.parse_stylesheet(text, skip_comments=True)):
        kind = node.type
        if kind == "at-rule" and node.lower_at_keyword == "import":
            out.append(CssReference(node.source_line, None))
        elif kind == "url":
            out.append(CssReference(node.source_line, node.value))
        elif kind == "function" and node.lower_name in ("url", "src"):
            strings = [a for a in node.arguments if a.type == "string"]
            if strings:
                out.append(CssReference(node.source_line, strings[0].value))
        elif kind == "function" and node.lower_name.endswith("image-set"):
            strings = [a for a in node.arguments if a.type == "string"]
            out += [CssReference(a.source_line, a.value) for a in strings]
    return out


def stylesheet_problems(templates: Path, sheet: Path) -> list[Finding]:
    """The references of a stylesheet under templates/ the policy refuses, by line."""
    stat = sheet.stat()
    return list(_stylesheet_problems(templates.resolve(), sheet, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=64)
def _stylesheet_problems(
    templates: Path, sheet: Path, _mtime: int, _size: int
) -> tuple[Finding, ...]:
    rel = f"templates/{sheet.relative_to(templates).as_posix()}"
    try:
        text = read_input(sheet, limit=SIZE_LIMIT, rel=rel).decode("utf-8")
    except InputFileError as exc:
        return tuple(exc.findings)
    except UnicodeDecodeError as exc:
        return (
            Finding(rel, None, None, "error", "stylesheet-encoding",
                    f"the stylesheet is not UTF-8 (byte at position {exc.start})",
                    "save the file as UTF-8"),
        )  # fmt: skip
    out = []
    control = _control(text)
    if control is not None:
        line, char = control
        out.append(
            Finding(rel, line, None, "error", "stylesheet-character",
                    f"the stylesheet has the control character U+{ord(char):04X}",
                    "delete it (it is invisible in most editors: retype the line)")
        )  # fmt: skip
    for found in css_references(text):
        if found.reference is None:
            out.append(
                Finding(rel, found.line, None, "error", "resource-import",
                        "@import is not supported in a brief's stylesheet",
                        'link each stylesheet from the template with <link rel="stylesheet" '
                        'href="...">')
            )  # fmt: skip
            continue
        try:
            load(templates, found.reference, "url()", base=sheet.parent)
        except BriefError as exc:
            out.append(Finding(rel, found.line, None, "error", exc.code, exc.message, exc.hint))
    return tuple(out)


def stylesheet(templates: Path, reference: str) -> tuple[Path, str]:
    """A stylesheet under templates/ and its text, or a BriefError."""
    resource = load(templates, reference, "stylesheet")
    if resource.path is None:
        raise refused(
            "the stylesheet is a data: URI",
            hint='put it in a file under templates/ and link it with <link rel="stylesheet" '
            'href="theme.css">',
        )
    try:
        text = resource.data.decode("utf-8")
    except UnicodeDecodeError:
        raise refused(
            f"the stylesheet '{shown(reference)}' is not UTF-8",
            code="stylesheet-encoding",
            hint="save the file as UTF-8",
        ) from None
    control = _control(text)
    if control is not None:
        raise refused(
            f"the stylesheet '{shown(reference)}' has the control character "
            f"U+{ord(control[1]):04X} on line {control[0]}",
            code="stylesheet-character",
            hint="delete it (it is invisible in most editors: retype the line)",
        )
    return resource.path, text


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _control(text: str) -> tuple[int, str] | None:
    """The line and character of the first control character a document cannot carry.

    >>> _control("a {}\\nb { color: red }\\x15")
    (2, '\\x15')
    """
    found = _CONTROL.search(text)
    return None if found is None else (text.count("\n", 0, found.start()) + 1, found.group())


def data_uri(resource: Resource) -> str:
    """The resource as a data: URI (what the HTML writer inlines)."""
    return f"data:{resource.media_type};base64," + base64.b64encode(resource.data).decode("ascii")
