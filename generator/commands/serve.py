"""`brief serve`: a live preview for template editors that re-renders on save."""

from __future__ import annotations

import datetime as dt
import html
import queue
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from generator.errors import BriefError, Finding

WATCHED = ("templates", "briefs", "sources", "brief.yaml")

RELOAD_SCRIPT = """
<script>
(function () {
  var events = new EventSource("/events");
  events.onmessage = function (e) { if (e.data === "reload") { location.reload(); } };
})();
</script>
"""

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
</style></head>
<body>{body}{script}</body></html>
"""


class Preview:
    """Renders briefs on request from the files as they are now."""

    def __init__(self, root: Path, date: dt.date, draft: bool = True):
        self.root = Path(root).resolve()
        self.date = date
        self.draft = draft
        self.listeners: list[queue.Queue] = []
        self.lock = threading.Lock()

    # ---- pages ---------------------------------------------------------------------------

    def index(self) -> str:
        """Links to every pair × kind × language."""
        from generator.facts.paths import kinds
        from generator.facts.project import load_project

        project = load_project(self.root, [])
        rows = []
        for pair in project.pair_names():
            for kind in kinds(project.templates):
                links = " ".join(
                    f'<a href="/brief/{pair}/{kind}/{lang}">{lang}</a>'
                    for lang in project.languages
                )
                rows.append(f"<tr><td>{pair}</td><td>{kind}</td><td>{links}</td></tr>")
        body = (
            "<h1>Brief preview</h1><p>Pages reload when a template, dossier or source is "
            f"saved. Brief date: {self.date.isoformat()}.</p>"
            "<table><tr><th>pair</th><th>kind</th><th>language</th></tr>"
            + "".join(rows)
            + "</table>"
        )
        return PAGE.format(title="Brief preview", body=body, script=RELOAD_SCRIPT)

    def brief(self, pair: str, kind: str, lang: str) -> tuple[int, str]:
        """The brief as standalone HTML, or its problems shown in place."""
        from generator.commands.build import Options, Task, plan, produce
        from generator.facts.project import load_project

        try:
            project = load_project(self.root, [pair])
            project.require([pair])
            options = Options(
                pairs=(pair,),
                langs=(lang,),
                formats=("html",),
                kinds=(kind,),
                date=self.date,
                draft=self.draft,
            )
            plan(project.templates, options, project.languages)
            data, warnings = produce(project, Task(pair, kind, lang, "html"), options)
        except BriefError as exc:
            return HTTPStatus.OK, self.problems(exc.findings, f"{pair} · {kind} · {lang}")
        page = data.decode("utf-8")
        if warnings:
            notes = "".join(self._finding(f) for f in warnings)
            page = page.replace("<body", "<body data-warnings", 1)
            page = page.replace("</body>", f'<div class="preview-warnings">{notes}</div></body>')
        return HTTPStatus.OK, page.replace("</body>", RELOAD_SCRIPT + "</body>")

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
        """Tell every open page to reload."""
        with self.lock:
            for q in self.listeners:
                q.put("reload")

    def watch(self, stop: threading.Event) -> None:
        """Watch the project's inputs and announce each change (debounced)."""
        from watchfiles import watch

        paths = [str(self.root / p) for p in WATCHED if (self.root / p).exists()]
        for _ in watch(*paths, debounce=200, stop_event=stop, raise_interrupt=False):
            self.changed()


def handler_for(preview: Preview):
    class Handler(BaseHTTPRequestHandler):
        server_version = "brief-preview"

        def log_message(self, *args) -> None:  # quiet: the terminal shows changes only
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's API
            path = unquote(self.path.split("?", 1)[0])
            if path == "/":
                self.send(HTTPStatus.OK, preview.index())
            elif path == "/events":
                self.events()
            elif path.startswith("/brief/") and path.count("/") == 4:
                _, _, pair, kind, lang = path.split("/")
                status, page = preview.brief(pair, kind, lang)
                self.send(status, page)
            else:
                self.send(
                    HTTPStatus.NOT_FOUND,
                    PAGE.format(
                        title="Not found",
                        body="<h1>Not found</h1><p><a href='/'>All briefs</a></p>",
                        script="",
                    ),
                )

        def send(self, status: int, page: str) -> None:
            data = page.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            q = preview.listen()
            try:
                self.wfile.write(b": connected\n\n")
                self.wfile.flush()
                while True:
                    try:
                        message = q.get(timeout=15)
                    except queue.Empty:
                        message = None
                    data = f"data: {message}\n\n" if message else ": keep-alive\n\n"
                    self.wfile.write(data.encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                preview.forget(q)

    return Handler


def serve(
    root: Path,
    *,
    port: int,
    date: dt.date,
    draft: bool = True,
    ready=None,
    stop: threading.Event | None = None,
) -> None:
    """Serve the preview on 127.0.0.1 until stopped (Ctrl-C or `stop`)."""
    preview = Preview(root, date, draft)
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler_for(preview))
    except OSError as exc:
        raise BriefError(
            f"cannot listen on 127.0.0.1:{port}: {exc.strerror}",
            hint="choose another port with --port",
            code="serve-port",
        ) from None
    server.daemon_threads = True
    stop = stop or threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    watcher.start()
    if ready:
        ready(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
