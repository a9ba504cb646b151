"""Read the analyst's input files safely: only regular files, only up to a size limit, both
checked before a byte is read.

A dossier that is a named pipe would block a build forever and one that is a link to
/dev/zero would be read until memory runs out; both are refused with the file's name and
what to do. Every input (dossiers, sources, brief.yaml, house style, catalogs, templates,
stylesheets, fonts, images) is read through `read_input`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.errors import BriefError

MB = 1_000_000
INPUT_LIMIT = 20 * MB  # fonts and reference.docx are a few hundred kB; a large image a few MB
TEXT_LIMIT = 4 * MB  # a template, a stylesheet or a catalog is tens of kB

_CHUNK = 1 << 20
_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


class InputFileError(BriefError):
    """An input that cannot be read: missing, not a regular file, too big or unreadable.

    `problem` says which: missing | not-a-file | too-big | unreadable.
    """

    def __init__(self, message: str, path: str, hint: str, problem: str):
        super().__init__(message, path=path, hint=hint, code=f"input-{problem}")
        self.problem = problem


def describe(mode: int) -> str:
    """What a file that is not a regular file is, in words.

    >>> describe(stat.S_IFIFO)
    'a named pipe (FIFO)'
    """
    for test, words in _KINDS:
        if test(mode):
            return words
    return "not a regular file"


def size_words(size: int) -> str:
    """A size as people say it.

    >>> size_words(2_000_000), size_words(450_000)
    ('2.0 MB', '450 kB')
    """
    return f"{size / MB:.1f} MB" if size >= MB else f"{max(1, round(size / 1000))} kB"


def read_input(
    path: Path | str,
    *,
    limit: int = INPUT_LIMIT,
    rel: str | None = None,
    advice: str | None = None,
) -> bytes:
    """The bytes of one input file, if it is a regular file (a link to one is followed) of at
    most `limit` bytes; otherwise an InputFileError located at `rel` (default: the path).

    The file is opened without blocking (a named pipe answers at once) and its type and size
    are checked on the open file before anything is read. `advice` is what to do about a
    file over the limit.
    """
    shown = rel or str(path)
    try:
        before = os.stat(path)  # no open() of a device at all: opening some has effects
    except FileNotFoundError:
        raise InputFileError(
            "the file does not exist (or is a link to nothing)",
            shown,
            "create it, or correct the name that refers to it",
            "missing",
        ) from None
    except OSError as exc:
        raise _unreadable(shown, exc) from None
    _require_regular(before.st_mode, shown)
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise _unreadable(shown, exc) from None
    try:
        info = os.fstat(fd)  # the file itself, as opened: it may have been replaced meanwhile
        _require_regular(info.st_mode, shown)
        if info.st_size > limit:
            raise _too_big(shown, info.st_size, limit, advice)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while being read
                raise _too_big(shown, total, limit, advice)
    except OSError as exc:
        raise _unreadable(shown, exc) from None
    finally:
        os.close(fd)


def read_text(
    path: Path | str,
    *,
    limit: int = TEXT_LIMIT,
    rel: str | None = None,
    advice: str | None = None,
) -> str:
    """An input text file read as UTF-8 (see `read_input`); other bytes are a located error."""
    shown = rel or str(path)
    raw = read_input(path, limit=limit, rel=shown, advice=advice)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BriefError(
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at position {exc.start})",
            path=shown,
            line=raw[: exc.start].count(b"\n") + 1,
            hint="save the file as UTF-8 (in most editors: Save As → Encoding → UTF-8)",
            code="input-encoding",
        ) from None


def _require_regular(mode: int, shown: str) -> None:
    if not stat.S_ISREG(mode):
        raise InputFileError(
            f"this is {describe(mode)}, not a regular file; brief reads only regular files",
            shown,
            "replace it with the file itself (a symbolic link must point to a regular file)",
            "not-a-file",
        )


def _too_big(shown: str, size: int, limit: int, advice: str | None) -> InputFileError:
    return InputFileError(
        f"the file is {size_words(size)}; brief reads input files of up to {size_words(limit)}",
        shown,
        advice
        or "check that it is the right file; make it smaller (split it, or compress "
        "images and fonts) to stay under the limit",
        "too-big",
    )


def _unreadable(shown: str, exc: OSError) -> InputFileError:
    return InputFileError(
        f"the file cannot be read: {exc.strerror or exc}",
        shown,
        "check that it is a file (not a folder) and that you may read it",
        "unreadable",
    )
