"""`brief serve`: a live preview for template editors that re-renders on save.

The preview shows documents marked for official use, so it answers only requests addressed to
itself (a web page elsewhere cannot read it through DNS rebinding), only GET and HEAD, only the
briefs the project defines (names are looked up, never handed to the file system), bounds what a
request may send and how long it may take, and forbids the pages to fetch anything elsewhere.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import http.client
import io
import os
import queue
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, unquote

from generator.errors import BriefError, Finding, Findings

WATCHED = ("templates", "briefs", "sources", "brief.yaml")

HOST = "127.0.0.1"
READ_TIMEOUT = 5.0  # seconds: to send a request's line and headers once begun; to take an answer
IDLE_TIMEOUT = 5.0  # seconds: an open connection may wait before it sends its (next) request
KEEPALIVE = 15.0  # seconds between the keep-alive comments of /events
MAX_REQUEST_LINE = 2048  # bytes of "GET /brief/... HTTP/1.1\r\n"
MAX_HEADER_BYTES = 16 * 1024  # bytes of every header line together
MAX_HEADERS = 64
METHODS = ("GET", "HEAD")
DOWNLOADS = {  # the formats a brief's page offers, with their media types
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

RELOAD_JS = """
(function () {
  var events = new EventSource("/events");
  events.onmessage = function (e) { if (e.data === "reload") { location.reload(); } };
})();
"""
RELOAD_SCRIPT = f"<script>{RELOAD_JS}</script>\n"
_RELOAD_HASH = base64.b64encode(hashlib.sha256(RELOAD_JS.encode("utf-8")).digest()).decode()

# The brief's own styles and data: images and fonts, the reload script (by its hash) and its
# connection back here; nothing else, from nowhere else.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; "
    f"script-src 'sha256-{_RELOAD_HASH}'; "
    "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Cache-Control", "no-store"),
)

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 15px/1.5 "Noto Sans", "DejaVu Sans", sans-serif; max-width: 60em; margin: 2em auto;
       padding: 0 1.5em; color: #111; }}
h1 {{ color: #1f3a5f; font-size: 1.4em; }}
.finding {{ border-left: 4px solid #c00; background: #fff3f3; padding: .5em 1em; margin: .8em 0;
           font-family: "DejaVu Sans Mono", monospace; white-space: pre-wrap; }}
.finding.warning {{ border-color: #c90; background: #fffbea; }}
.hint {{ color: #444; }}
table {{ border-collapse: collapse; }} td, th {{ padding: .2em .8em; text-align: left; }}
.problems {{ color: #a60; font-size: .85em; text-decoration: none; }}
.problems.errors {{ color: #c00; }}
</style></head>
<body>{body}{script}</body></html>
"""

NOT_FOUND = PAGE.format(
    title="Not found", body="<h1>Not found</h1><p><a href='/'>All briefs</a></p>", script=""
)

# at the top of a brief's page: back to the index, and the brief as build writes it
TOOLBAR = (
    '<nav class="preview-toolbar" style="font: 13px/1.6 sans-serif; padding: .3em 0 1em;">'
    '<a href="/">All briefs</a> · Download {links}</nav>'
)


class Known(NamedTuple):
    """What the preview can show: the project's pairs, kinds of brief and languages."""

    pairs: tuple[str, ...]
    kinds: tuple[str, ...]
    languages: tuple[str, ...]


class Rendered(NamedTuple):
    """A brief's page as the preview renders it: its HTML (None when it cannot be rendered)
    and its problems (the errors that stop it, else its warnings)."""

    page: bytes | None
    findings: tuple[Finding, ...]


class Preview:
    """Renders briefs on request from the files as they are now."""

    def __init__(self, root: Path, date: dt.date, draft: bool = True):
        self.root = Path(root).resolve()
        self.date = date
        self.draft = draft
        self.listeners: list[queue.Queue] = []
        self.lock = threading.Lock()
        self.pages: dict[tuple[str, str, str], tuple[str, Rendered]] = {}  # by (pair, kind, lang)
        self.pages_lock = threading.Lock()

    # ---- pages ---------------------------------------------------------------------------

    def known(self) -> Known:
        """The pairs, kinds and languages as the project folder defines them now."""
        from generator.facts.paths import kinds, pair_names
        from generator.facts.settings import load_config

        return Known(
            tuple(pair_names(self.root)),
            tuple(kinds(self.root / "templates")),
            tuple(load_config(self.root, Findings()).languages),
        )

    def index(self) -> str:
        """Links to every pair × kind × language, each marked with its number of problems."""
        known = self.known()
        stamp = self.stamp()
        rows = []
        for pair in known.pairs:
            for kind in known.kinds:
                links = " ".join(
                    f'<a href="/brief/{_href(pair)}/{_href(kind)}/{_href(lang)}">'
                    f"{html.escape(lang)}</a>"
                    + _mark(self.rendered(pair, kind, lang, stamp).findings)
                    for lang in known.languages
                )
                rows.append(
                    f"<tr><td>{html.escape(pair)}</td><td>{html.escape(kind)}</td>"
                    f"<td>{links}</td></tr>"
                )
        body = (
            "<h1>Brief preview</h1><p>Pages reload when a template, dossier or source is "
            f"saved. Brief date: {self.date.isoformat()}. ⚠ marks a brief with problems "
            "(errors or warnings): open it to see them.</p>"
            "<table><tr><th>pair</th><th>kind</th><th>language</th></tr>"
            + "".join(rows)
            + "</table>"
        )
        return PAGE.format(title="Brief preview", body=body, script=RELOAD_SCRIPT)

    def render(self, pair: str, kind: str, lang: str, fmt: str) -> tuple[bytes, list[Finding]]:
        """One brief in one format as `brief build` writes it, for the preview's date (and
        draft or final as the preview is): its bytes and warnings, or a BriefError."""
        from generator.commands.build import Options, Task, plan, produce
        from generator.facts.project import load_project

        project = load_project(self.root, [pair])
        project.require([pair])
        options = Options(
            pairs=(pair,),
            langs=(lang,),
            formats=(fmt,),
            kinds=(kind,),
            date=self.date,
            draft=self.draft,
        )
        plan(project.templates, options, project.languages)
        if fmt != "html":  # characters no font can draw stop a build of the file, so here too
            from generator.checks.styles import glyph_errors
            from generator.errors import InputErrors

            stops = glyph_errors(project, [pair]).get((pair, lang))
            if stops:
                raise InputErrors(stops)
        return produce(project, Task(pair, kind, lang, fmt), options)

    def stamp(self) -> str:
        """A fingerprint of the watched files (names, sizes, times of change): it changes
        whenever a template, dossier, source or the settings are saved."""
        digest = hashlib.sha256()
        for top in WATCHED:
            for path in _files(self.root / top):
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
        return digest.hexdigest()

    def rendered(self, pair: str, kind: str, lang: str, stamp: str) -> Rendered:
        """The brief's page and problems, rendered again only when a watched file changed."""
        key = (pair, kind, lang)
        with self.pages_lock:
            cached = self.pages.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            data, warnings = self.render(pair, kind, lang, "html")
            result = Rendered(data, tuple(warnings))
        except BriefError as exc:
            result = Rendered(None, tuple(exc.findings))
        with self.pages_lock:
            self.pages[key] = (stamp, result)
        return result

    def brief(self, pair: str, kind: str, lang: str) -> tuple[int, str]:
        """The brief as standalone HTML with its downloads, or its problems shown in place."""
        result = self.rendered(pair, kind, lang, self.stamp())
        if result.page is None:
            return HTTPStatus.OK, self.problems(list(result.findings), f"{pair} · {kind} · {lang}")
        page = result.page.decode("utf-8")
        where = f"/brief/{_href(pair)}/{_href(kind)}/{_href(lang)}"
        links = " · ".join(
            f'<a href="{where}/{fmt}" download>{fmt.upper()}</a>' for fmt in DOWNLOADS
        )
        toolbar = TOOLBAR.format(links=links)
        page = re.sub(r"<body\b[^>]*>", lambda m: m.group(0) + toolbar, page, count=1)
        if result.findings:
            notes = "".join(self._finding(f) for f in result.findings)
            page = page.replace("<body", "<body data-warnings", 1)
            page = page.replace("</body>", f'<div class="preview-warnings">{notes}</div></body>')
        return HTTPStatus.OK, page.replace("</body>", RELOAD_SCRIPT + "</body>")

    def download(
        self, pair: str, kind: str, lang: str, fmt: str
    ) -> tuple[int, bytes | str, str, tuple[tuple[str, str], ...]]:
        """The brief as a PDF or DOCX file named as `brief build` names it (status, body,
        media type, headers), or its problems as a page."""
        from generator.commands.build import Task

        try:
            data, _ = self.render(pair, kind, lang, fmt)
        except BriefError as exc:
            title = f"{pair} · {kind} · {lang} · {fmt.upper()}"
            page = self.problems(exc.findings, title)
            return HTTPStatus.UNPROCESSABLE_ENTITY, page, "text/html; charset=utf-8", ()
        name = Task(pair, kind, lang, fmt).name(self.date, self.draft)
        disposition = ("Content-Disposition", f'attachment; filename="{name}"')
        return HTTPStatus.OK, data, DOWNLOADS[fmt], (disposition,)

    def problems(self, findings: list[Finding], title: str) -> str:
        body = (
            f"<h1>{html.escape(title)}: {len(findings)} problem"
            f"{'s' if len(findings) != 1 else ''}</h1>"
            + "".join(self._finding(f) for f in findings)
            + "<p>Fix the file and save: this page reloads by itself.</p>"
        )
        return PAGE.format(title=html.escape(title), body=body, script=RELOAD_SCRIPT)

    @staticmethod
    def _finding(f: Finding) -> str:
        text = html.escape(f.format().split("\n    ")[0])
        hint = f'\n<span class="hint">{html.escape(f.hint)}</span>' if f.hint else ""
        return f'<div class="finding {f.severity}">{text}{hint}</div>'

    # ---- change notification -------------------------------------------------------------

    def listen(self) -> queue.Queue:
        q: queue.Queue = queue.Queue()
        with self.lock:
            self.listeners.append(q)
        return q

    def forget(self, q: queue.Queue) -> None:
        with self.lock:
            if q in self.listeners:
                self.listeners.remove(q)

    def changed(self) -> None:
        """Forget the rendered pages and tell every open page to reload."""
        with self.pages_lock:
            self.pages.clear()
        with self.lock:
            for q in self.listeners:
                q.put("reload")

    def close(self) -> None:
        """End every open stream of changes (the server stops)."""
        with self.lock:
            for q in self.listeners:
                q.put(None)

    def watch(self, stop: threading.Event) -> None:
        """Watch the project's inputs and announce each change (debounced)."""
        from watchfiles import watch

        paths = [str(self.root / p) for p in WATCHED if (self.root / p).exists()]
        for _ in watch(*paths, debounce=200, stop_event=stop, raise_interrupt=False):
            self.changed()


def report(error: BaseException) -> None:
    """A bug of the preview: one line on the terminal, no traceback."""
    print(f"internal error in the preview: {type(error).__name__}: {error}", file=sys.stderr)


def _href(name: str) -> str:
    return html.escape(quote(name, safe=""))


def _mark(findings: tuple[Finding, ...]) -> str:
    """The index's mark of a brief with problems: ⚠ and their number (none when clean).

    >>> _mark(())
    ''
    >>> from generator.errors import Finding
    >>> _mark((Finding("briefs/kz-tr.yaml", 3, None, "warning", "x", "m", ""),))
    ' <span class="problems" title="1 warning">⚠ 1</span>'
    """
    if not findings:
        return ""
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    counts = [
        f"{n} {word}{'s' if n != 1 else ''}"
        for n, word in ((errors, "error"), (warnings, "warning"))
        if n
    ]
    kind = "problems errors" if errors else "problems"
    return f' <span class="{kind}" title="{", ".join(counts)}">⚠ {len(findings)}</span>'


def _files(top: Path) -> list[str]:
    """Every file in a watched folder (or the watched file itself), in a stable order."""
    if top.is_file():
        return [str(top)]
    found = []
    for folder, dirs, names in os.walk(top):
        dirs.sort()
        found += [os.path.join(folder, name) for name in sorted(names)]
    return found


def _segment(text: str) -> str | None:
    """One percent-decoded path segment, or None when it is not valid UTF-8."""
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        return None


def route(target: str, known: Known) -> tuple[str, ...] | None:
    """What a request target asks for: ("index",), ("events",), ("brief", pair, kind, lang),
    ("download", pair, kind, lang, format), or None. Names must equal a known pair, kind,
    language and downloadable format exactly, once decoded.

    >>> known = Known(("kz-tr",), ("background",), ("kk", "en"))
    >>> route("/brief/kz-tr/background/%65n", known)
    ('brief', 'kz-tr', 'background', 'en')
    >>> route("/brief/kz-tr/background/en/docx", known)
    ('download', 'kz-tr', 'background', 'en', 'docx')
    >>> [route(t, known) for t in ("/brief/../background/en", "/brief/kz%2Dtr/..%2f../en")]
    [None, None]
    >>> [route(t, known) for t in ("/brief/kz-tr/background/en/html", "/brief/kz-tr/x/en/pdf")]
    [None, None]
    """
    path = target.split("?", 1)[0]
    if path == "/":
        return ("index",)
    if path == "/events":
        return ("events",)
    parts = path.split("/")
    if len(parts) not in (5, 6) or parts[:2] != ["", "brief"]:
        return None
    pair, kind, lang = (_segment(p) for p in parts[2:5])
    if pair not in known.pairs or kind not in known.kinds or lang not in known.languages:
        return None
    assert pair is not None and kind is not None and lang is not None
    if len(parts) == 5:
        return ("brief", pair, kind, lang)
    fmt = _segment(parts[5])
    return ("download", pair, kind, lang, fmt) if fmt in DOWNLOADS else None


class Refusal(Exception):
    """A request answered with an error status and a short plain text, then the connection
    is closed."""

    def __init__(self, status: HTTPStatus, text: str, headers: tuple = ()):
        super().__init__(text)
        self.status = status
        self.text = text
        self.headers = headers


class HeadReader(io.RawIOBase):
    """The connection as the handler reads it: the wait for a request is bounded by the idle
    timeout, and the whole request line and headers, once begun, by the read timeout."""

    def __init__(self, sock: socket.socket, idle_timeout: float, read_timeout: float):
        self.sock = sock
        self.idle_timeout = idle_timeout
        self.read_timeout = read_timeout
        self.deadline: float | None = None
        self.waiting = False
        self.begun = False

    def expect_request(self) -> None:
        self.deadline = time.monotonic() + self.idle_timeout
        self.waiting = True
        self.begun = False

    def head_done(self) -> None:
        self.deadline = None
        self.sock.settimeout(self.read_timeout)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the request took too long")
            self.sock.settimeout(left)
        count = self.sock.recv_into(buffer)
        if count and self.waiting:
            self.waiting = False
            self.begun = True
            self.deadline = time.monotonic() + self.read_timeout
        return count


class PreviewHandler(BaseHTTPRequestHandler):
    """One connection: bounded, checked requests; pages, briefs and the stream of changes."""

    server: PreviewServer
    protocol_version = "HTTP/1.1"
    server_version = "brief-preview"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # the buffered file of the socket, replaced by the bounded one
        self.reader = HeadReader(
            self.connection, self.server.idle_timeout, self.server.read_timeout
        )
        self.rfile = io.BufferedReader(self.reader)

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args) -> None:  # quiet: the terminal shows changes only
        pass

    # ---- reading a request ---------------------------------------------------------------

    def handle_one_request(self) -> None:
        self.close_connection = True
        self.command, self.requestline, self.request_version = "", "", "HTTP/1.1"
        self.reader.expect_request()
        try:
            if not self.read_head():
                return
            self.reader.head_done()
            self.check()
            self.dispatch()
        except Refusal as refusal:
            self.close_connection = True
            self.refuse(refusal)
        except TimeoutError:
            if self.reader.begun and self.reader.deadline is not None:
                self.refuse(Refusal(HTTPStatus.REQUEST_TIMEOUT, "The request came too slowly."))
        except OSError:  # the client went away
            pass

    def read_head(self) -> bool:
        """Read and check the request line and headers; False if the client left first."""
        line = self.rfile.readline(MAX_REQUEST_LINE + 1)
        if not line:
            return False
        if len(line) > MAX_REQUEST_LINE:
            raise Refusal(HTTPStatus.REQUEST_URI_TOO_LONG, "The address is too long.")
        self.raw_requestline = line
        self.requestline = line.decode("latin-1").rstrip("\r\n")
        words = self.requestline.split(" ")
        if len(words) != 3 or not words[2].startswith("HTTP/"):
            raise Refusal(HTTPStatus.BAD_REQUEST, "This is not an HTTP request.")
        self.command, self.path, version = words
        if version not in ("HTTP/1.0", "HTTP/1.1"):
            raise Refusal(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED, "Use HTTP/1.1.")
        self.request_version = version
        lines: list[bytes] = []
        size = 0
        while True:
            header = self.rfile.readline(MAX_HEADER_BYTES + 1)
            size += len(header)
            if header in (b"\r\n", b"\n"):
                break
            if not header:
                return False
            if size > MAX_HEADER_BYTES or len(lines) >= MAX_HEADERS:
                raise Refusal(
                    HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "The request's headers are too large.",
                )
            lines.append(header)
        try:
            self.headers = http.client.parse_headers(io.BytesIO(b"".join(lines) + b"\r\n"))
        except http.client.HTTPException:
            raise Refusal(HTTPStatus.BAD_REQUEST, "The request's headers cannot be read.") from None
        connection = self.headers.get("Connection", "").lower()
        self.close_connection = version == "HTTP/1.0" or "close" in connection
        return True

    def check(self) -> None:
        """Refuse requests addressed to another host, from another site, or not to read."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or hosts[0].strip().lower() not in self.server.hosts:
            raise Refusal(
                HTTPStatus.MISDIRECTED_REQUEST,
                f"This preview answers only at {self.server.origin}/",
            )
        origin = self.headers.get("Origin")
        if origin is not None and origin.strip().lower() not in self.server.origins:
            raise Refusal(HTTPStatus.FORBIDDEN, "Requests from other sites are refused.")
        if self.command not in METHODS:
            raise Refusal(
                HTTPStatus.METHOD_NOT_ALLOWED,
                "This preview only shows pages.",
                (("Allow", ", ".join(METHODS)),),
            )
        if self.headers.get("Content-Length", "0").strip() != "0" or self.headers.get(
            "Transfer-Encoding"
        ):
            self.close_connection = True  # a body is never read: the connection cannot go on

    # ---- answering -----------------------------------------------------------------------

    def dispatch(self) -> None:
        preview = self.server.preview
        try:
            what = route(self.path, preview.known())
            if what is None:
                self.answer(HTTPStatus.NOT_FOUND, NOT_FOUND)
            elif what[0] == "index":
                self.answer(HTTPStatus.OK, preview.index())
            elif what[0] == "events":
                self.events()
            elif what[0] == "download":
                status, body, media, headers = preview.download(*what[1:])
                self.answer(status, body, media, headers)
            else:
                self.answer(*preview.brief(*what[1:]))
        except BriefError as exc:
            self.answer(HTTPStatus.OK, preview.problems(exc.findings, "Brief preview"))
        except OSError:
            raise
        except Exception as exc:  # a bug: a short answer and a line on the terminal
            report(exc)
            raise Refusal(
                HTTPStatus.INTERNAL_SERVER_ERROR, "Internal error; see the terminal."
            ) from None

    def end_headers(self) -> None:
        for name, value in SECURITY_HEADERS:
            self.send_header(name, value)
        super().end_headers()

    def answer(
        self,
        status: int,
        body: str | bytes,
        content_type: str = "text/html; charset=utf-8",
        headers=(),
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def refuse(self, refusal: Refusal) -> None:
        """Answer with a short plain text, then close without resetting the connection."""
        try:
            self.answer(
                refusal.status, refusal.text + "\n", "text/plain; charset=utf-8", refusal.headers
            )
            self.linger()
        except OSError:
            pass

    def linger(self) -> None:
        """Drop what the client still sends (a bounded amount, for a bounded time), so that
        closing does not reset the connection before the client has read the answer."""
        sock = self.connection
        sock.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + min(self.server.read_timeout, 1.0)
        left = MAX_HEADER_BYTES * 4
        while left > 0 and (wait := deadline - time.monotonic()) > 0:
            sock.settimeout(wait)
            chunk = sock.recv(min(left, 8192))
            if not chunk:
                break
            left -= len(chunk)

    def events(self) -> None:
        """Server-sent events: "reload" after each change, a comment every keep-alive period;
        ends when the page goes away or the server stops."""
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        preview = self.server.preview
        q = preview.listen()
        try:
            self.wfile.write(b": connected\n\n")
            while not self.server.stopping.is_set():
                try:
                    message = q.get(timeout=self.server.keepalive)
                except queue.Empty:
                    message = ""
                if message is None or self.peer_gone():
                    break
                data = f"data: {message}\n\n" if message else ": keep-alive\n\n"
                self.wfile.write(data.encode())
        except OSError:  # reset, broken pipe, or a client that takes nothing: the page is gone
            pass
        finally:
            preview.forget(q)

    def peer_gone(self) -> bool:
        """Whether the client has closed its end (it sends nothing after asking for events)."""
        sock = self.connection
        sock.settimeout(0)
        try:
            return sock.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True
        finally:
            sock.settimeout(self.server.read_timeout)


class PreviewServer(ThreadingHTTPServer):
    """The preview on 127.0.0.1, answering only requests addressed to itself."""

    daemon_threads = True
    request_queue_size = 64  # a page opens several connections at once

    def __init__(
        self,
        preview: Preview,
        port: int = 0,
        *,
        read_timeout: float = READ_TIMEOUT,
        idle_timeout: float = IDLE_TIMEOUT,
        keepalive: float = KEEPALIVE,
    ):
        self.preview = preview
        self.read_timeout = read_timeout
        self.idle_timeout = idle_timeout
        self.keepalive = keepalive
        self.stopping = threading.Event()
        super().__init__((HOST, port), PreviewHandler)
        self.port: int = self.server_address[1]
        self.origin = f"http://{HOST}:{self.port}"
        names = (HOST, "localhost")
        self.hosts = {f"{n}:{self.port}" for n in names} | (
            set(names) if self.port == 80 else set()
        )
        self.origins = {f"http://{h}" for h in self.hosts}

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if error is not None and not isinstance(error, OSError):  # a dropped client is no news
            report(error)

    def server_close(self) -> None:
        self.stopping.set()
        self.preview.close()
        super().server_close()


def serve(
    root: Path,
    *,
    port: int,
    date: dt.date,
    draft: bool = True,
    ready: Callable[[PreviewServer], None] | None = None,
    stop: threading.Event | None = None,
    read_timeout: float = READ_TIMEOUT,
    idle_timeout: float = IDLE_TIMEOUT,
    keepalive: float = KEEPALIVE,
) -> None:
    """Serve the preview on 127.0.0.1 until stopped (Ctrl-C or `stop`)."""
    preview = Preview(root, date, draft)
    try:
        server = PreviewServer(
            preview,
            port,
            read_timeout=read_timeout,
            idle_timeout=idle_timeout,
            keepalive=keepalive,
        )
    except OSError as exc:
        raise BriefError(
            f"cannot listen on {HOST}:{port}: {exc.strerror}",
            hint="choose another port with --port",
            code="serve-port",
        ) from None
    stop = stop or threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    watcher.start()
    if ready:
        ready(server)
    thread = threading.Thread(target=server.serve_forever, args=(0.2,), daemon=True)
    thread.start()
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
