"""The resident build process: after a build makes one PDF, a process that has the facts
model, the templates, Babel's data and WeasyPrint (with the fonts and the stylesheets)
loaded stays for a while (`BRIEF_RESIDENT` minutes, 10 unless set; `off` for none), and
the next build of a single PDF has it rendered and laid out there, by a process that need
not load them again, while it checks the pair and records its inputs itself.

It is reached through a Unix socket in the user's cache folder (generator.cache: a folder
of the user's own alone), named by a hash of this program's code, of the Python that runs
it and of the environment that WeasyPrint, Pango and fontconfig read, so a build only ever
meets a process that builds as it would. What it is sent is plain data (JSON): the project
folder, the pair, kind, language, date and marks of one brief; it reads what the build
itself would read (the project's files), runs the project's templates in the same sandbox,
runs no code it is sent, and answers only a process of its own user (checked on every
connection). It ends when it has been idle for its minutes, when its socket is removed or
taken over by a newer one, or on SIGTERM; its fonts' temporary folder goes with it.

A build of several documents has it fork workers instead, one a job: each is a copy of the
resident process, loaded and readied, that builds the documents the build hands it one
after another, as the build's own worker processes would (the same function, the same
verdicts, the file written in the same way), and ends with the build's connection. A
batch that found no resident process leaves one, as a build of one PDF does.

A build that finds none, or finds it busy, makes the PDF as it did before; a brief the
resident process could not make (whatever the reason) is made again by the build itself,
and the pair's verdict is always the build's own, so the bytes and the messages are those
of a build without it. So are the documents a worker could not build: the build builds
them itself.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator import cache
from generator.errors import Finding

Make = Callable[[dict], "tuple[bytes, list[Finding]]"]  # a build's request → its PDF, warnings
Work = Callable[[dict, dict], dict]  # a build's header, one document's task → its result


@dataclass(frozen=True)
class Services:
    """What the resident process does, given by the build (which this module never
    imports): make one PDF; ready itself for the other formats once the first brief is
    made; build one document of a batch in a forked worker; and a worker's last act,
    before it ends without the exit handlers of the process it was forked from."""

    make: Make
    ready: Callable[[], None]
    work: Work
    done: Callable[[], None]


ENV = "BRIEF_RESIDENT"
MINUTES = 10.0  # idle minutes before the resident process ends, unless BRIEF_RESIDENT says
# what WeasyPrint, Pango, fontconfig and the C library read from the environment
ENVIRONMENT = (
    "SOURCE_DATE_EPOCH", "FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT",
    "PANGOCAIRO_BACKEND", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "HOME",
    "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_DATA_DIRS", "TMPDIR", "PYTHONHASHSEED",
    "BRIEF_CACHE",
)  # fmt: skip
GREETING = 0.2  # seconds a build waits for the resident process to take it (else: busy)
MAKE_WAIT = 600.0  # seconds a build waits for its PDF (a 100-page brief takes ~30)
JOB_WAIT = 60.0  # seconds the resident process waits for a build to say what it wants
LOOK_EVERY = 5.0  # seconds between looks at its socket and at this program's code
JOB_LIMIT = 1024 * 1024  # bytes: what a build asks for is a few hundred
PDF_LIMIT = 2 * 1024 * 1024 * 1024
HELLO = b"brief-resident 1 "
_PATH_MAX = 100  # bytes a Unix socket's path may have (108 on Linux, less elsewhere)


def idle_minutes(chosen: str | None = None) -> float:
    """How long the resident process stays idle (0: none), from BRIEF_RESIDENT.

    >>> idle_minutes("off"), idle_minutes("2.5"), idle_minutes(""), idle_minutes("soon")
    (0.0, 2.5, 0.0, 10.0)
    """
    chosen = os.environ.get(ENV) if chosen is None else chosen
    if chosen is None:
        return MINUTES
    if chosen.strip().lower() in cache.OFF:
        return 0.0
    try:
        return max(0.0, float(chosen))
    except ValueError:
        return MINUTES


def address() -> Path | None:
    """The socket of the resident process a build of this code and environment may use
    (None when there is to be none)."""
    if idle_minutes() <= 0 or not hasattr(socket, "AF_UNIX") or not hasattr(os, "getuid"):
        return None
    root = cache.folder()
    if root is None:
        return None
    seen = [f"{name}={os.environ.get(name, '')}" for name in ENVIRONMENT]
    path = root / "resident" / f"{cache.key(sys.executable, *seen)[:32]}.sock"
    return path if len(os.fsencode(path)) <= _PATH_MAX else None


def _peer(conn: socket.socket) -> tuple[int, int]:
    """The process id and user id at the other end of a local socket."""
    if hasattr(socket, "SO_PEERCRED"):
        pid, uid, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                          struct.calcsize("3i")))  # fmt: skip
        return pid, uid
    return 0, os.getuid()  # elsewhere: the folder's permissions alone keep others out


def _send(conn: socket.socket, kind: bytes, payload: bytes) -> None:
    conn.sendall(kind + struct.pack(">Q", len(payload)) + payload)


def _exactly(conn: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = conn.recv(min(left, 1 << 20))
        if not chunk:
            raise ConnectionError("the other end went away")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(conn: socket.socket, limit: int) -> tuple[bytes, bytes]:
    head = _exactly(conn, 9)
    (size,) = struct.unpack(">Q", head[1:])
    if size > limit:
        raise ConnectionError("a message beyond its limit")
    return head[:1], _exactly(conn, size)


class Resident:
    """The resident process, taken by one build for its one PDF."""

    def __init__(self, conn: socket.socket):
        self.conn = conn

    def make(self, request: dict) -> Making:
        """Have it make the brief of `request` (the build goes on meanwhile)."""
        try:
            _send(self.conn, b"B", json.dumps(request).encode("utf-8"))
        except OSError:
            return Making(None)
        return Making(self.conn)

    def close(self) -> None:
        """Let it go (a brief it is still making is dropped)."""
        self.conn.close()


class Making:
    """A PDF the resident process is making."""

    def __init__(self, conn: socket.socket | None):
        self.conn = conn

    def result(self) -> tuple[bytes, list[Finding]] | None:
        """The PDF and the brief's warnings; None when it was not made there."""
        if self.conn is None:
            return None
        try:
            self.conn.settimeout(MAKE_WAIT)
            kind, warnings = _receive(self.conn, JOB_LIMIT * 64)
            if kind != b"W":
                return None
            kind, data = _receive(self.conn, PDF_LIMIT)
            if kind != b"P":
                return None
            return data, [Finding(**f) for f in json.loads(warnings)]
        except (OSError, ValueError, TypeError):
            return None


class Worker:
    """A worker the resident process forked for one build: a copy of it, loaded and
    readied, that builds the documents it is handed one after another."""

    def __init__(self, conn: socket.socket):
        self.conn = conn

    def build(self, task: dict) -> dict | None:
        """The result of one document (as the build's own worker gives it); None when this
        worker could not build it (the build builds it itself)."""
        try:
            _send(self.conn, b"T", json.dumps(task).encode("utf-8"))
            kind, payload = _receive(self.conn, JOB_LIMIT * 64)
            if kind != b"R":
                return None
            answer = json.loads(payload)
        except (OSError, ValueError):
            return None
        return answer if isinstance(answer, dict) else None

    def close(self) -> None:
        """Let it go: it ends (a document it is still building is dropped, and whoever
        waits for that document's result here is woken)."""
        with contextlib.suppress(OSError):
            self.conn.shutdown(socket.SHUT_RDWR)
        self.conn.close()


def workers(count: int, header: dict) -> list[Worker]:
    """Up to `count` workers forked by the resident process for a build whose documents
    share `header` (none when there is no resident process, or it does not answer)."""
    path = address()
    found: list[Worker] = []
    for _ in range(count if path is not None else 0):
        taken = connect(path)
        if taken is None:
            break
        try:
            _send(taken.conn, b"J", json.dumps(header).encode("utf-8"))
            taken.conn.settimeout(JOB_WAIT)
            kind, _ = _receive(taken.conn, 0)
            if kind != b"O":
                raise ConnectionError("no worker")
        except (OSError, ValueError):
            taken.close()
            break
        taken.conn.settimeout(MAKE_WAIT)
        found.append(Worker(taken.conn))
    return found


def connect(path: Path | None = None) -> Resident | None:
    """The resident process for this build (at `path`, else its `address()`), taken for it;
    None if there is none, or it is busy with another build."""
    path = path or address()
    if path is None:
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(GREETING)
        conn.connect(str(path))
        _, uid = _peer(conn)
        expected = _hello()
        greeting = b""
        while len(greeting) < len(expected):
            chunk = conn.recv(len(expected) - len(greeting))
            if not chunk:
                break
            greeting += chunk
        if uid != os.getuid() or greeting != expected:
            conn.close()
            return None
    except OSError:  # none there, gone, or busy
        conn.close()
        return None
    return Resident(conn)


def _hello() -> bytes:
    return HELLO + cache.code_stamp().encode("ascii") + b"\n"


def stay(entry: str, first: dict) -> None:
    """Leave a resident process for the next builds, if there is to be one and none is
    there or starting: a new process of its own, apart from this one's session and files,
    whose `entry` (a module's function) serves with what it makes, readied by making the
    brief of `first`."""
    path = address()
    if path is None:
        return
    module, function = entry.rsplit(".", 1)
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        with _lock(path) as alone:
            if not alone:
                return
        # the first brief on its standard input: what is on a command line, anyone sees
        started = subprocess.Popen(
            [sys.executable, "-c", f"from {module} import {function}; {function}()",
             str(path), str(idle_minutes())],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd="/", start_new_session=True, close_fds=True,
        )  # fmt: skip
        assert started.stdin is not None
        with started.stdin:
            started.stdin.write(json.dumps(first).encode("utf-8"))
    except OSError:
        return


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[bool]:
    """Whether no resident process holds the lock of `path` (held while in the block)."""
    import fcntl

    handle = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(handle)


def main(services: Services) -> None:
    """The resident process (started by `stay`): it serves with `services`."""
    path, minutes = sys.argv[1:3]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # exit handlers remove its fonts
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a build's Ctrl-C is not meant for it
    first = json.loads(sys.stdin.buffer.read(JOB_LIMIT) or b"{}")
    serve(Path(path), float(minutes), first, services)


def serve(path: Path, minutes: float, first: dict, services: Services) -> None:
    """Make the PDFs builds ask for at `path`, and fork the workers they ask for, until
    idle for `minutes` or until this program's code changes (an upgrade, seen within
    seconds); readied first by making the brief of `first` (what the build that started it
    made). One process a socket: the others leave at once."""
    code = cache.code_seen()
    with _lock(path) as alone:
        if not alone:
            return
        try:
            services.make(first)
            services.ready()
        except Exception:  # noqa: BLE001 - readied as far as it went
            pass
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        own = path.with_name(f".{os.getpid()}.sock")
        mine = None
        try:
            own.unlink(missing_ok=True)
            listener.bind(str(own))
            os.chmod(own, 0o600)
            listener.listen(8)
            os.replace(own, path)
            mine = os.stat(path).st_ino
            _serve(listener, path, mine, minutes * 60, code, services)
        finally:
            listener.close()
            own.unlink(missing_ok=True)
            try:
                if mine is not None and os.stat(path).st_ino == mine:
                    path.unlink()
            except OSError:
                pass


def _current(code: str) -> None:
    if cache.code_seen() != code:  # a new version: the build makes it, this process ends
        raise _Outdated


class _Outdated(Exception):
    """This program's code changed since the resident process started."""


def _serve(
    listener: socket.socket, path: Path, mine: int, idle: float, code: str, services: Services
) -> None:
    until = time.monotonic() + idle
    while (left := until - time.monotonic()) > 0:
        ready, _, _ = select.select([listener], [], [], min(left, LOOK_EVERY))
        _reap()
        try:
            if os.stat(path).st_ino != mine:
                return  # removed, or a newer one took the name
        except OSError:
            return
        if not ready:
            if cache.code_seen() != code:  # upgraded: no build of the new code will come
                return
            continue
        conn, _ = listener.accept()
        with conn:
            if not _take(conn, listener, code, services):
                return
        until = time.monotonic() + idle


def _reap() -> None:
    """Forked workers that have ended are let go of (no zombie is left)."""
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _take(conn: socket.socket, listener: socket.socket, code: str, services: Services) -> bool:
    """One build: greet it, then make the brief it asks for ("B": its warnings and PDF sent
    back, or "F" when it could not be made here: the build makes it itself, and says why)
    or fork a worker for it ("J"). False when this process is to end."""
    try:
        if _peer(conn)[1] != os.getuid():
            return True
        conn.settimeout(JOB_WAIT)
        conn.sendall(_hello())
        kind, payload = _receive(conn, JOB_LIMIT)
        if kind not in (b"B", b"J"):
            return True
        request = json.loads(payload)
        if not isinstance(request, dict):
            return True
    except (OSError, ValueError):
        return True
    try:
        _current(code)
    except _Outdated:
        _answer(conn, [(b"F", b"")])
        return False
    if kind == b"J":
        _fork_worker(conn, listener, request, services)
        return True
    try:
        data, warnings = services.make(request)
    except _Outdated:
        _answer(conn, [(b"F", b"")])
        return False
    except Exception:  # noqa: BLE001 - the build makes it again and says what is wrong
        _answer(conn, [(b"F", b"")])
        return True
    findings = json.dumps([dataclasses.asdict(f) for f in warnings]).encode("utf-8")
    _answer(conn, [(b"W", findings), (b"P", data)])
    return True


def _fork_worker(
    conn: socket.socket, listener: socket.socket, header: dict, services: Services
) -> None:
    """A copy of this process that builds the documents of one build (`header`: what they
    share) until that build lets it go; this process goes back to its socket at once."""
    try:
        pid = os.fork()
    except OSError:
        return  # the build finds no worker here, and builds the documents itself
    if pid:
        return
    try:  # the worker: it never returns into the resident process's loop
        listener.close()
        _work(conn, header, services)
    finally:
        os._exit(0)


class _Gone(BaseException):  # not an Exception: nothing on the way may take it for an error
    """The build a worker works for went away while it was building."""


def _work(conn: socket.socket, header: dict, services: Services) -> None:
    """A worker's life: build each document it is handed and send its result back ("R",
    or "F" when it could not be built here), until the build lets it go. A build that ends
    while a document is being built ends that too (it is not written)."""
    busy = threading.Event()

    def gone(*_):
        if busy.is_set():
            raise _Gone

    signal.signal(signal.SIGTERM, gone)
    threading.Thread(target=_watch, args=(conn, busy), daemon=True).start()
    try:
        conn.settimeout(None)
        _send(conn, b"O", b"")
        while True:
            kind, payload = _receive(conn, JOB_LIMIT)
            if kind != b"T":
                return
            busy.set()
            try:
                result = services.work(header, json.loads(payload))
                reply = (b"R", json.dumps(result).encode("utf-8"))
            except _Gone:
                return
            except Exception:  # noqa: BLE001 - the build builds it itself, and says why
                reply = (b"F", b"")
            finally:
                busy.clear()
            _send(conn, *reply)
    except (OSError, ValueError, _Gone):
        return
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        services.done()


def _watch(conn: socket.socket, busy: threading.Event) -> None:
    """A worker's watch on its build: when the build goes away while a document is being
    built, the worker is told (SIGTERM, raised where it works) instead of finishing it."""
    while True:
        select.select([conn], [], [])
        try:
            ahead = conn.recv(1, socket.MSG_PEEK)
        except OSError:
            ahead = b""
        if not ahead:
            if busy.is_set():
                os.kill(os.getpid(), signal.SIGTERM)
            return
        time.sleep(0.05)  # the next task, not yet read


def _answer(conn: socket.socket, parts: list[tuple[bytes, bytes]]) -> None:
    try:
        for kind, payload in parts:
            _send(conn, kind, payload)
    except OSError:
        return  # the build went away
