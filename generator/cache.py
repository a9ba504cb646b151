"""What one run leaves for the next, in the user's cache folder: the templates compiled to
Python code, the hyphenation patterns read from their files, the shipped fonts' character
maps, which templates a kind needs, this program's code stamp (and the socket of the
resident build process, generator.commands.resident).

Every entry is named by a hash of what it was made from and of this code (with the versions
of what renders with it), so an edited template, font or dossier is never hidden by it: it
is simply not found, and made anew. The folder is `$BRIEF_CACHE`, else
`$XDG_CACHE_HOME/brief`, else `~/.cache/brief`; `BRIEF_CACHE=off` turns it off. A folder
that cannot be used (not writable, or not the user's own alone: its entries are code this
program runs) is not used: nothing fails for want of it, each run just makes all anew.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from generator import __version__

ENV = "BRIEF_CACHE"
OFF = ("", "0", "off", "no", "false")
T = TypeVar("T")

# what renders with our code: a new version of one may change every output
RENDERING = ("weasyprint", "pydyf", "python-docx", "babel", "jinja2", "fonttools", "cairosvg")


def folder() -> Path | None:
    """The cache folder, made if missing; None when off or not safe to use."""
    chosen = os.environ.get(ENV)
    if chosen is not None and chosen.strip().lower() in OFF:
        return None
    try:
        if chosen:
            path = Path(chosen).expanduser()
        else:
            base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
            path = Path(base) / "brief"
        return _usable(path.resolve())
    except (RuntimeError, OSError):  # no home folder to be found
        return None


@functools.cache
def _usable(path: Path) -> Path | None:
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.stat()
    except OSError:
        return None
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    if not mine or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        return None
    return path


def code_stamp() -> str:
    """A hash of this program's code and of the versions of what renders with it."""
    return _code_stamp(Path(__file__).resolve().parent)


def code_seen(package: Path | None = None) -> str:
    """A hash of the times of change of this program's modules and of the library folders:
    an edited module, or a package installed or removed, changes it. Cheap (no file is
    read), unlike the code stamp, which it names."""
    package = package or Path(__file__).resolve().parent
    seen = hashlib.sha256(f"{sys.executable}\n{__version__}\n".encode())
    for path in [*sorted(package.rglob("*.py")), *(Path(entry) for entry in sys.path if entry)]:
        try:
            info = path.stat()
        except OSError:
            continue
        seen.update(f"{path}\0{info.st_mtime_ns}\0{info.st_size}\n".encode())
    return seen.hexdigest()


@functools.cache
def _code_stamp(package: Path) -> str:
    """Kept in the cache folder under `code_seen`: reading every module and asking for each
    library's version takes a tenth of a second."""
    root = folder()
    entry = None if root is None else root / "code" / f"{code_seen(package)}.stamp"
    if entry is not None:
        try:
            kept = entry.read_text(encoding="ascii")
            if len(kept) == 64:
                return kept
        except (OSError, ValueError):
            pass
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for name, number in sorted(rendering_versions().items()):
        digest.update(f"{name}={number}\n".encode())
    if entry is not None:
        _keep(entry, digest.hexdigest().encode("ascii"))
    return digest.hexdigest()


@functools.cache
def rendering_versions() -> dict[str, str]:
    """The installed versions of what renders the outputs, and Babel's CLDR data."""
    from importlib.metadata import PackageNotFoundError, version

    from babel.core import get_cldr_version

    versions = {"cldr": get_cldr_version()}
    for name in RENDERING:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "-"
    return versions


def key(*parts: str | bytes) -> str:
    """An entry's name: a hash of what it is made from and of this code."""
    digest = hashlib.sha256(code_stamp().encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def remembered(kind: str, name: str, make: Callable[[], T]) -> T:
    """What `make()` gives, kept as entry `name` among `kind`: read back while it exists,
    made and kept otherwise (an entry that cannot be read is made anew)."""
    root = folder()
    if root is None:
        return make()
    path = root / kind / f"{name}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - our own entries, in the user's own folder
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - a torn or outdated entry is made anew
        pass
    value = make()
    _keep(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value


def _keep(path: Path, data: bytes) -> None:
    """Write an entry whole or not at all (other runs read it meanwhile)."""
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        return  # a full disk or a read-only folder: the next run makes it again
