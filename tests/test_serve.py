"""The live preview: pages render, errors show in place, a saved edit reloads a real browser."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import MINI_DOSSIER, MINI_SOURCE, copy_project, write

from generator.commands.serve import PreviewServer, serve


class Live(NamedTuple):
    base: str
    root: Path
    server: PreviewServer


READ_TIMEOUT = 1.0  # the server's read and idle timeouts in these tests
DEADLINE = 6.0  # generous: what "cut off within a few seconds" means here


@contextlib.contextmanager
def running(root: Path) -> Iterator[Live]:
    """`brief serve` on a free port of 127.0.0.1, in this process, with short timeouts."""
    stop = threading.Event()
    ready: dict = {}
    started = threading.Event()

    def on_ready(server):
        ready["server"] = server
        started.set()

    thread = threading.Thread(
        target=serve,
        args=(root,),
        kwargs=dict(
            port=0,
            date=dt.date(2026, 2, 2),
            ready=on_ready,
            stop=stop,
            read_timeout=READ_TIMEOUT,
            idle_timeout=READ_TIMEOUT,
            keepalive=0.3,
        ),
        daemon=True,
    )
    thread.start()
    assert started.wait(10)
    time.sleep(0.3)  # let the file watcher start
    live = ready["server"]
    try:
        yield Live(f"http://127.0.0.1:{live.port}", root, live)
    finally:
        stop.set()
        thread.join(10)


@pytest.fixture
def server(mini: Path) -> Iterator[Live]:
    """The preview of a project of its own, to change freely."""
    with running(mini) as live:
        yield live


@pytest.fixture(scope="module")
def guarded(tmp_path_factory) -> Iterator[Live]:
    """The preview of one project shared by the tests that only send requests."""
    root = copy_project(tmp_path_factory.mktemp("guarded") / "project", facts=False)
    write(root / "sources" / "test-source.yaml", MINI_SOURCE)
    write(root / "briefs" / "kz-tr.yaml", MINI_DOSSIER)
    with running(root) as live:
        yield live


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_index_links_every_brief_and_pages_render(server):
    base = server.base
    index = get(base + "/")
    assert '<a href="/brief/kz-tr/background/en">en</a>' in index
    page = get(base + "/brief/kz-tr/background/en")
    assert "<h1>Kazakhstan\u00a0– Türkiye</h1>" in page
    assert 'new EventSource("/events")' in page


def test_errors_show_in_place_with_file_and_line(server):
    base, root = server.base, server.root
    write(root / "templates" / "sections" / "summary.html", "<p>{{ d.nothing_here }}</p>\n")
    page = get(base + "/brief/kz-tr/background/en")
    assert "templates/sections/summary.html:1: error:" in page
    assert "nothing_here" in page
    assert "1 problem" in page


def test_saving_a_file_sends_reload_to_open_pages(server):
    base, root = server.base, server.root
    events = urllib.request.urlopen(base + "/events", timeout=10)
    assert events.readline().startswith(b": connected")
    events.readline()
    # the stream outlives the read timeout: it keeps sending keep-alives
    quiet_until = time.monotonic() + 1.5 * READ_TIMEOUT
    while time.monotonic() < quiet_until:
        assert events.readline() == b": keep-alive\n"
        assert events.readline() == b"\n"
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

    base, root = server.base, server.root
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
        assert wait_for("Kazakhstan\u00a0– Türkiye")
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
    from conftest import Cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = Cli(mini)("serve", "--port", str(port))
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "choose another port with --port" in result.output


# ---- the hardening of the preview: raw sockets, malformed and hostile requests -------------


def exchange(port: int, request: bytes, timeout: float = 10) -> bytes:
    """Send a raw request and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        return read_to_close(sock)


def read_to_close(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def request(port: int, target: str, *, method="GET", host: str | None = None, extra="") -> bytes:
    host_line = f"Host: {host if host is not None else f'127.0.0.1:{port}'}\r\n"
    head = f"{method} {target} HTTP/1.1\r\n{host_line}{extra}Connection: close\r\n\r\n"
    return exchange(port, head.encode("latin-1"))


def status(answer: bytes) -> int:
    return int(answer.split(b"\r\n", 1)[0].split()[1])


def headers(answer: bytes) -> dict[str, str]:
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]
    return {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in head)}


def body(answer: bytes) -> bytes:
    return answer.split(b"\r\n\r\n", 1)[1]


def assert_secured(answer: bytes) -> None:
    found = headers(answer)
    assert found["x-content-type-options"] == "nosniff"
    assert found["referrer-policy"] == "no-referrer"
    assert found["x-frame-options"] == "DENY"
    assert "default-src 'none'" in found["content-security-policy"]


BRIEF = "/brief/kz-tr/background/en"
SECRETS = (b"Kazakhstan", "Дипломатиялық".encode(), b"diplomatic_relations", b"root:")


def test_pages_carry_security_headers_and_the_policy_allows_only_the_reload_script(guarded):
    answer = request(guarded.server.port, BRIEF)
    assert status(answer) == 200
    assert "<h1>Kazakhstan\u00a0– Türkiye</h1>".encode() in answer
    assert_secured(answer)
    policy = headers(answer)["content-security-policy"]
    scripts = re.findall(rb"<script>(.*?)</script>", body(answer), re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0]).digest()).decode()
    assert f"script-src 'sha256-{digest}';" in policy
    assert "connect-src 'self'" in policy and "img-src data:" in policy
    assert "http:" not in policy and "https:" not in policy and "*" not in policy


def test_the_own_host_is_answered_under_both_names(guarded):
    port = guarded.server.port
    assert status(request(port, "/", host=f"localhost:{port}")) == 200
    assert status(request(port, "/", host=f"LOCALHOST:{port}")) == 200
    head = request(port, "/", method="HEAD")
    assert status(head) == 200 and int(headers(head)["content-length"]) > 0
    assert body(head) == b""


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",  # DNS rebinding: evil.example now resolves to 127.0.0.1
        "evil.example",
        "127.0.0.1:{other}",
        "localhost:{other}",
        "127.0.0.1",
        "127.0.0.1.evil.example:{port}",
        "localhost.:{port}",
        "[::1]:{port}",
        "",
    ],
)
def test_a_foreign_host_is_refused(guarded, host: str):
    port = guarded.server.port
    answer = request(port, BRIEF, host=host.format(port=port, other=port + 1))
    assert status(answer) == 421
    assert f"http://127.0.0.1:{port}/".encode() in body(answer)
    assert not any(secret in answer for secret in SECRETS)
    assert_secured(answer)


def test_a_missing_or_doubled_host_is_refused(guarded):
    port = guarded.server.port
    assert status(exchange(port, f"GET {BRIEF} HTTP/1.0\r\n\r\n".encode())) == 421
    doubled = f"Host: 127.0.0.1:{port}\r\nHost: evil.example:{port}\r\n"
    answer = exchange(port, f"GET {BRIEF} HTTP/1.1\r\n{doubled}\r\n".encode())
    assert status(answer) == 421 and b"Kazakhstan" not in answer


def test_events_refuse_a_foreign_origin_and_serve_their_own(guarded):
    port = guarded.server.port
    answer = request(port, "/events", extra="Origin: http://evil.example\r\n")
    assert status(answer) == 403
    assert_secured(answer)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Origin: http://127.0.0.1:{port}\r\n\r\n".encode()
        )
        received = b""
        while b": connected" not in received:
            received += sock.recv(4096)
    assert status(received) == 200
    assert headers(received)["content-type"] == "text/event-stream"
    assert_secured(received)


def test_a_closed_events_page_is_noticed(server):
    port = server.server.port
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        received = b""
        while b": connected" not in received:
            received += sock.recv(4096)
        assert len(server.server.preview.listeners) == 1
    deadline = time.monotonic() + DEADLINE
    while server.server.preview.listeners and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.server.preview.listeners == []


def test_a_client_that_stalls_mid_request_is_cut_off(guarded):
    port = guarded.server.port
    with socket.create_connection(("127.0.0.1", port), timeout=DEADLINE) as sock:
        sock.sendall(b"GET /brief/kz-tr/backgr")
        started = time.monotonic()
        answer = read_to_close(sock)  # a timeout here would raise
    assert time.monotonic() - started < DEADLINE
    assert status(answer) == 408
    assert b"Kazakhstan" not in answer


def test_a_client_that_trickles_its_headers_is_cut_off(guarded):
    """Each byte in time is not enough: the whole request line and headers have a deadline."""
    port = guarded.server.port
    request = f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: " + "a" * 200
    with socket.create_connection(("127.0.0.1", port), timeout=DEADLINE) as sock:
        started = time.monotonic()
        closed = False
        for byte in request.encode():
            try:
                sock.sendall(bytes([byte]))
            except OSError:  # the server has closed the connection
                closed = True
                break
            time.sleep(0.05)
            if time.monotonic() - started > DEADLINE:
                break
        if not closed:
            try:
                answer = read_to_close(sock)
            except ConnectionResetError:
                answer = b""
            assert answer == b"" or status(answer) == 408
    assert time.monotonic() - started < DEADLINE


def test_twenty_half_open_connections_are_all_closed(guarded):
    port = guarded.server.port
    sockets = []
    try:
        for i in range(20):
            sock = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
            if i % 2:  # half say nothing, half begin a request and stall
                sock.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
            sockets.append(sock)
        started = time.monotonic()
        for sock in sockets:
            sock.settimeout(max(0.1, DEADLINE - (time.monotonic() - started)))
            answer = read_to_close(sock)  # a socket still open after the deadline raises
            assert answer == b"" or status(answer) == 408
        assert time.monotonic() - started < DEADLINE
    finally:
        for sock in sockets:
            sock.close()


TRAVERSALS = [
    "/brief/../../../../etc/passwd",
    "/brief/kz-tr/background/../../../../briefs/kz-tr.yaml",
    "/brief/../briefs/kz-tr",
    "/brief/%2e%2e/%2e%2e/%2e%2e",
    "/brief/%2E%2E%2F%2E%2E%2Fbriefs%2Fkz-tr/background/en",
    "/brief/..%2f..%2fbriefs%2fkz-tr/background/en",
    "/brief/%252e%252e/background/en",
    "/brief/kz-tr/%252e%252e%252fkinds%252fbackground/en",
    "/brief/..\\..\\briefs\\kz-tr/background/en",
    "/brief/..%5c..%5cbriefs%5ckz-tr/background/en",
    "/brief/kz-tr%00/background/en",
    "/brief/kz-tr/background/en%00.yaml",
    "/brief/%c0%ae%c0%ae/background/en",
    "/brief/kz-tr/%c0%ae%c0%ae%c0%afkinds%c0%afbackground/en",
    "/brief/%e0%80%ae%e0%80%ae/background/en",
    "/brief/%ef%bc%8e%ef%bc%8e/background/en",  # fullwidth full stops
    "/brief/kz%e2%80%90tr/background/en",  # a hyphen that is not '-'
    "/brief/%d0%baz-tr/background/en",  # a Cyrillic к
    "/brief/KZ-TR/background/en",
    "/brief/kz-tr/background/en/",
    "/brief/kz-tr/background/en/..",
    "/brief/kz-tr/background",
    "//brief/kz-tr/background/en",
    "/brief/kz-tr/background/xx",
    "/brief/kz-az/background/en",
    "/briefs/kz-tr.yaml",
    "/../briefs/kz-tr.yaml",
    "/etc/passwd",
    "http://127.0.0.1/etc/passwd",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_paths_outside_the_known_briefs_are_not_found(guarded, target: str):
    answer = request(guarded.server.port, target)
    assert status(answer) == 404
    assert not any(secret in answer for secret in SECRETS)
    assert_secured(answer)


def test_an_over_long_address_is_answered_414(guarded):
    port = guarded.server.port
    answer = request(port, "/brief/" + "a" * 10_000)
    assert status(answer) == 414
    assert_secured(answer)


def test_over_large_headers_are_answered_431(guarded):
    port = guarded.server.port
    many = "".join(f"X-Filler-{i}: {i}\r\n" for i in range(200))
    assert status(request(port, "/", extra=many)) == 431
    assert status(request(port, "/", extra=f"Cookie: {'c' * 40_000}\r\n")) == 431


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
def test_only_get_and_head_are_answered(guarded, method: str):
    port = guarded.server.port
    head = f"{method} {BRIEF} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 5\r\n\r\n"
    answer = exchange(port, head.encode() + b"hello")
    assert status(answer) == 405
    assert "GET" in headers(answer)["allow"]
    assert b"Kazakhstan" not in answer
    assert_secured(answer)


def test_a_kept_alive_connection_serves_several_requests(guarded):
    port = guarded.server.port
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode() * 2)
        answer = read_to_close(sock)  # closed by the idle timeout after the two answers
    assert answer.count(b"HTTP/1.1 200 OK") == 2
