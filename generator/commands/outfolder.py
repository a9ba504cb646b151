"""The output folder: checked before anything is written, built into by one build at a time.

A build holds `out/.brief.lock` (an flock, released by the system when the build ends in
any way, even killed) from reading the manifest to writing it; the file says who holds it.
A second build waits, saying who it waits for, up to a bound, then stops naming the holder.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import socket
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import BriefError

LOCK = ".brief.lock"
SYSTEM_FOLDERS = {  # the system's own: what is there is not a file
    "/dev": "the system's devices",
    "/proc": "the system's view of its processes",
    "/sys": "the system's view of its kernel",
}
# write_atomic's temporary files of the manifest and of the briefs ({date}_{pair}_...)
STRAY = re.compile(r"^\.(manifest\.json|\d{4}-\d{2}-\d{2}_[^/]+)\.[a-z0-9_]{8}\.tmp$")
_POLL = 0.2  # seconds between tries of a held lock


def require_out(out: Path) -> Path:
    """The output folder, absolute and resolved, created if missing; a clear error (and
    nothing written) when it is a system folder, a file, or a folder that cannot be written."""
    given = str(out)
    try:
        folder = Path(out).expanduser().resolve()
    except (OSError, RuntimeError) as exc:  # a loop of symbolic links
        raise _out_error(given, f"cannot be followed ({exc})") from None
    for system, what in SYSTEM_FOLDERS.items():
        if folder.is_relative_to(system):
            raise _out_error(given, f"is in {system}, {what}")
    existing = folder
    while True:
        try:
            mode = existing.stat().st_mode
            break
        except (FileNotFoundError, NotADirectoryError):
            existing = existing.parent
        except OSError as exc:
            raise _out_error(given, f"cannot be looked at: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(mode):
        what = "a file" if stat.S_ISREG(mode) else "not a folder"
        if existing == folder:
            raise _out_error(given, f"is {what}")
        raise _out_error(given, f"cannot be made: {existing} is {what}")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise _out_error(given, f"cannot be written: {existing} is a folder you may not write in")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _out_error(given, f"cannot be made: {exc.strerror or exc}") from None
    return folder


def _out_error(given: str, what: str) -> BriefError:
    return BriefError(
        f"the output folder (--out) {what}; nothing was written",
        path=given,
        hint="give a folder of your own that you may write in, e.g. --out out "
        "(it is made if it does not exist)",
        code="out-folder",
    )


def holder_text(raw: bytes) -> str:
    """Who holds a lock, from what the lock file says.

    >>> holder_text(b'{"pid": 7, "host": "h", "command": "brief build kz-tr",'
    ...             b' "started": "2026-02-02T10:00:00"}')
    "pid 7 on h ('brief build kz-tr', since 2026-02-02T10:00:00)"
    >>> holder_text(b"")
    'another build (it has not said who it is yet)'
    """
    try:
        info = json.loads(raw.decode("utf-8"))
        return (
            f"pid {int(info['pid'])} on {info['host']} "
            f"('{info['command']}', since {info['started']})"
        )
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return "another build (it has not said who it is yet)"


@contextmanager
def hold(out: Path, *, wait: float, notify: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the output folder for one build: wait up to `wait` seconds for another build
    to finish (saying once who it is), then fail naming it."""
    path = out / LOCK
    deadline = time.monotonic() + wait
    told = False
    while True:
        fd = _open_lock(path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = holder_text(os.pread(fd, 4096, 0))
            os.close(fd)
            if time.monotonic() >= deadline:
                raise BriefError(
                    f"{out} is being built by {holder}; waited {wait:g} s for it to finish",
                    path=str(out),
                    hint="wait for that build to end and run this one again, or give a "
                    "longer --wait; a build that was stopped frees the folder at once",
                    code="out-busy",
                ) from None
            if not told and notify:
                notify(f"{out} is being built by {holder}; waiting up to {wait:g} s")
                told = True
            time.sleep(max(0.0, min(_POLL, deadline - time.monotonic())))
            continue
        if _still_there(fd, path):
            break
        os.close(fd)  # a finishing build removed the file between our open and lock
    try:
        _say_who(fd)
        yield
    finally:
        try:
            path.unlink()  # while still held: a waiter on this file tries again (above)
        except OSError:
            pass
        os.close(fd)


def _open_lock(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        raise BriefError(
            f"the build's lock file cannot be made: {exc.strerror or exc}; nothing was written",
            path=str(path),
            hint="give --out a folder you may write in; if this is a link or a folder, remove it",
            code="out-folder",
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise BriefError(
            "the build's lock file is not a regular file",
            path=str(path),
            hint="remove it; brief makes it again",
            code="out-folder",
        )
    return fd


def _still_there(fd: int, path: Path) -> bool:
    try:
        now = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)


def _say_who(fd: int) -> None:
    """Write who holds the lock into it, for a build that has to wait."""
    command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])[:300]
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": command,
        "started": dt.datetime.now().isoformat(timespec="seconds"),
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info, ensure_ascii=False).encode("utf-8"), 0)


def remove_stray(out: Path) -> list[str]:
    """Remove the temporary files a killed build left (only with the folder held).

    >>> [bool(STRAY.match(n)) for n in (".manifest.json.k1ll3d_x.tmp", ".notes.abcdefgh.tmp")]
    [True, False]
    """
    removed = []
    for entry in os.scandir(out):
        if STRAY.match(entry.name) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
                removed.append(entry.name)
            except OSError:
                pass
    return removed
