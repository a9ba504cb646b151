"""The live preview: pages render, errors show in place, a saved edit reloads a real browser."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import write


@pytest.fixture
def server(mini: Path):
    """`brief serve` on a free port of 127.0.0.1, in this process."""
    from generator.commands.serve import serve

    stop = threading.Event()
    ready: dict = {}
    started = threading.Event()

    def on_ready(port):
        ready["port"] = port
        started.set()

    thread = threading.Thread(
        target=serve,
        args=(mini,),
        kwargs=dict(port=0, date=dt.date(2026, 2, 2), ready=on_ready, stop=stop),
        daemon=True,
    )
    thread.start()
    assert started.wait(10)
    time.sleep(0.3)  # let the file watcher start
    yield f"http://127.0.0.1:{ready['port']}", mini
    stop.set()
    thread.join(10)


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_index_links_every_brief_and_pages_render(server):
    base, _ = server
    index = get(base + "/")
    assert '<a href="/brief/kz-tr/background/en">en</a>' in index
    page = get(base + "/brief/kz-tr/background/en")
    assert "<h1>Kazakhstan – Türkiye</h1>" in page
    assert 'new EventSource("/events")' in page


def test_errors_show_in_place_with_file_and_line(server):
    base, root = server
    write(root / "templates" / "sections" / "summary.html", "<p>{{ d.nothing_here }}</p>\n")
    page = get(base + "/brief/kz-tr/background/en")
    assert "templates/sections/summary.html:1: error:" in page
    assert "nothing_here" in page
    assert "1 problem" in page


def test_saving_a_file_sends_reload_to_open_pages(server):
    base, root = server
    events = urllib.request.urlopen(base + "/events", timeout=10)
    assert events.readline().startswith(b": connected")
    events.readline()
    section = root / "templates" / "sections" / "key_dates.html"
    section.write_text(section.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    deadline = time.time() + 10
    line = b""
    while time.time() < deadline:
        line = events.readline()
        if line.startswith(b"data:"):
            break
    assert line.strip() == b"data: reload"
    events.close()


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_a_real_browser_shows_the_brief_and_reloads_after_a_save(server, tmp_path: Path):
    import websocket

    base, root = server
    profile = tmp_path / "chromium"
    browser = subprocess.Popen(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.time() + 30
        while not port_file.exists() and time.time() < deadline:
            time.sleep(0.1)
        debug_port = int(port_file.read_text().split()[0])
        targets = json.loads(get(f"http://127.0.0.1:{debug_port}/json/list"))
        page_target = next(t for t in targets if t["type"] == "page")
        ws = websocket.create_connection(page_target["webSocketDebuggerUrl"], timeout=10)
        ids = iter(range(1, 10_000))

        def call(method, **params):
            mid = next(ids)
            ws.send(json.dumps({"id": mid, "method": method, "params": params}))
            while True:
                message = json.loads(ws.recv())
                if message.get("id") == mid:
                    return message.get("result", {})

        def text() -> str:
            result = call(
                "Runtime.evaluate",
                expression="document.body ? document.body.innerText : ''",
                returnByValue=True,
            )
            return result.get("result", {}).get("value", "")

        def wait_for(needle: str, seconds: float = 15) -> bool:
            end = time.time() + seconds
            while time.time() < end:
                if needle in text():
                    return True
                time.sleep(0.2)
            return False

        call("Page.navigate", url=base + "/brief/kz-tr/background/en")
        assert wait_for("Kazakhstan – Türkiye")
        assert wait_for("Key dates")
        time.sleep(0.5)  # the page's EventSource connects
        section = root / "templates" / "sections" / "key_dates.html"
        section.write_text(
            section.read_text(encoding="utf-8").replace(
                '{{ _("Key dates") }}', "Milestones of the relations"
            ),
            encoding="utf-8",
        )
        assert wait_for("Milestones of the relations"), text()[:500]
        ws.close()
    finally:
        browser.terminate()
        browser.wait(10)


def test_a_port_in_use_is_a_clear_error(mini: Path):
    import socket

    from conftest import Cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = Cli(mini)("serve", "--port", str(port))
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "choose another port with --port" in result.output
