"""Nothing a template or a fact says makes brief fetch anything: a recording web server on
127.0.0.1 is named in every place a document can refer to something, and hears nothing from
check, build (PDF, DOCX, HTML), the preview (and a real browser showing it) or mail."""

from __future__ import annotations

import base64
import shutil
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import BRIEF_DATE, MINI_SOURCE, Cli, copy_project, write


class Recorder(ThreadingHTTPServer):
    """A web server that answers everything and remembers every request."""

    daemon_threads = True

    def __init__(self) -> None:
        self.requests: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                recorder.requests.append(f"{self.command} {self.path}")
                body = b"body { color: red }"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_HEAD = do_GET  # noqa: N815

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def svg_uri(body: str) -> str:
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{body}</svg>'
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# where a template can name something to fetch: each alone, so each writer meets each one
def template_cases(url: str) -> dict[str, tuple[str, str]]:
    svg_image = svg_uri(f"<image href='{url}/svg.png' width='5' height='5'/>")
    svg_style = svg_uri(f"<style>@import url({url}/svg.css);</style>")
    return {
        "img": ("templates/sections/summary.html", f'<p><img src="{url}/img.png" alt="x"></p>'),
        "img-protocol-relative": (
            "templates/sections/summary.html",
            f'<p><img src="//{url[7:]}/rel.png" alt="x"></p>',
        ),
        "link": ("templates/sections/summary.html", f'<p><a href="{url}/a">a link</a></p>'),
        "svg-image": (
            "templates/sections/summary.html",
            f'<p><img src="{svg_image}" alt="x"></p>',
        ),
        "svg-style": (
            "templates/sections/summary.html",
            f'<p><img src="{svg_style}" alt="x"></p>',
        ),
        "stylesheet": (
            "templates/base.html",
            f'<link rel="stylesheet" href="{url}/sheet.css">',
        ),
        "css-import": ("templates/theme.css", f"@import url({url}/import.css);"),
        "css-background": (
            "templates/theme.css",
            f"body {{ background: url({url}/background.png) }}",
        ),
        "css-font": (
            "templates/theme.css",
            f"@font-face {{ font-family: Far; src: url({url}/font.ttf) }}\n"
            "body { font-family: Far }",
        ),
    }


def insert(root: Path, rel: str, snippet: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    if rel.endswith(".css"):
        text = snippet + "\n" + text if "@import" in snippet else text + "\n" + snippet + "\n"
    elif rel == "templates/base.html":
        text = text.replace("</head>", snippet + "\n</head>", 1)
    else:
        text = text.replace("</section>", snippet + "\n</section>", 1)
    write(path, text)


def dossier(url: str) -> str:
    """A dossier whose texts are full of addresses and markup that would fetch them."""
    return f"""\
pair: kz-tr
countries: [KZ, TR]
summary:
  - text:
      kk: 'Көрініс <img src="{url}/fact-kk.png"> {url}/plain'
      ru: 'Обзор ![x]({url}/fact-ru.png) <link rel=stylesheet href="{url}/f.css">'
      en: 'Overview <img src="{url}/fact-en.png"> <style>@import url({url}/s.css)</style>'
    source: test-source
key_dates:
  - kind: diplomatic_relations
    date: 1992-03-02
    text: {{kk: 'Қатынастар <iframe src="{url}/frame">', ru: 'Отношения', en: 'Relations'}}
    source: test-source
"""


def run_everything(root: Path, tmp: Path, formats: str = "pdf,docx,html") -> None:
    cli = Cli(root)
    cli("check")
    cli("build", "kz-tr", "--lang", "en", "--format", formats, "--date", BRIEF_DATE,
        "--out", str(tmp / "out"), "--jobs", "1")  # fmt: skip
    cli("mail", "kz-tr", "--lang", "en", "--kind", "background", "--to", "chief@mfa.kz",
        "--from", "desk@mfa.kz", "--date", BRIEF_DATE, "--out", str(tmp / "mail-out"),
        "--format", "docx",
        "--eml", str(tmp / "draft.eml"))  # fmt: skip


@pytest.mark.parametrize("case", list(template_cases("http://x")))
def test_no_template_makes_brief_fetch_anything(recorder: Recorder, tmp_path: Path, case: str):
    root = copy_project(tmp_path / "p", facts=False)
    write(root / "sources" / "test-source.yaml", MINI_SOURCE)
    write(root / "briefs" / "kz-tr.yaml", dossier(recorder.url))
    rel, snippet = template_cases(recorder.url)[case]
    insert(root, rel, snippet)
    before = len(recorder.requests)
    run_everything(root, tmp_path)
    assert recorder.requests[before:] == []


def test_facts_full_of_addresses_fetch_nothing_even_in_a_browser(
    recorder: Recorder, tmp_path: Path
):
    from test_serve import get, running

    root = copy_project(tmp_path / "p", facts=False)
    write(root / "sources" / "test-source.yaml", MINI_SOURCE)
    write(root / "briefs" / "kz-tr.yaml", dossier(recorder.url))
    before = len(recorder.requests)
    run_everything(root, tmp_path)
    with running(root) as live:
        page = get(live.base + "/brief/kz-tr/background/en")
        assert f"{recorder.url}/fact-en.png" in page  # shown as text, escaped
        assert f'<img src="{recorder.url}' not in page
        if shutil.which("chromium"):  # the page, shown by a real browser for a few seconds
            browser = subprocess.Popen(
                ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 f"--user-data-dir={tmp_path / 'chromium'}", "--remote-debugging-port=0",
                 live.base + "/brief/kz-tr/background/en"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            try:
                time.sleep(5)
            finally:
                browser.kill()
                browser.wait(10)
        with urllib.request.urlopen(live.base + "/", timeout=10) as answer:
            assert answer.status == 200
    time.sleep(0.2)
    assert recorder.requests[before:] == []


def test_the_recorder_does_record(recorder: Recorder):
    before = len(recorder.requests)
    with urllib.request.urlopen(recorder.url + "/probe", timeout=10) as answer:
        answer.read()
    assert recorder.requests[before:] == ["GET /probe"]
