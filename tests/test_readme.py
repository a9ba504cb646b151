"""Every command of the README's ```sh blocks runs as printed in a fresh copy of the project
(after ./setup), from the project folder, in a shell whose PATH does not know the venv."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO

SETUP = [
    "./setup && .venv/bin/brief build --all",
    "./setup --test && .venv/bin/python -m pytest -q -n auto",
]
TIMEOUT = 300  # seconds for one command; the examples take a few seconds each
VENV = REPO / ".venv" if (REPO / ".venv").is_dir() else Path(sys.prefix)


def strip_comment(line: str) -> str:
    """A shell line without its comment: a `#` starting a word outside quotes.

    >>> strip_comment('brief build kz-tr   # dated today')
    'brief build kz-tr'
    >>> strip_comment('echo "a # b" x#y # c')
    'echo "a # b" x#y'
    """
    quote = None
    escaped = False
    for i, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def sh_commands(text: str) -> list[str]:
    """The command lines of the ```sh blocks of a Markdown text, in order: comments removed,
    lines continued with a backslash joined, blank lines left out.

    >>> sh_commands("x\\n```sh\\na \\\\\\n  b  # c\\n# d\\n```\\n  ```sh\\n  e\\n  ```\\n")
    ['a b', 'e']
    """
    commands: list[str] = []
    block: str | None = None  # the open block's indentation, if one is open
    pending = ""
    for line in text.splitlines():
        fence = re.match(r"(\s*)```(\w*)\s*$", line)
        if block is None:
            if fence and fence.group(2) == "sh":
                block = fence.group(1)
            continue
        if fence and not fence.group(2):
            assert not pending, f"a command continues past its block: {pending}"
            block = None
            continue
        line = strip_comment(line.removeprefix(block))
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        command = (pending + line.strip()).strip()
        pending = ""
        if command:
            commands.append(command)
    assert block is None, "a ```sh block is not closed"
    return commands


README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = sh_commands(README)
EXAMPLES = COMMANDS[len(SETUP) :]


def test_readme_starts_with_the_setup_commands():
    """The first two commands set up, build and test, word for word (CI runs the second)."""
    assert COMMANDS[: len(SETUP)] == SETUP


def fresh_clone(target: Path) -> Path:
    """The project as a fresh clone has it after ./setup: every file but those git ignores
    and the caches of development tools, and the virtualenv in .venv."""
    ignored = [".git", ".*_cache", ".hypothesis"] + [
        line.strip().rstrip("/")
        for line in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(*ignored), symlinks=True)
    (target / ".venv").symlink_to(VENV, target_is_directory=True)
    return target


def shell_env() -> dict[str, str]:
    """The environment of a new terminal: the virtualenv neither activated nor on PATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    venv_bins = {str(VENV / "bin"), str((VENV / "bin").resolve())}
    path = [d for d in env.get("PATH", "").split(os.pathsep) if d and d not in venv_bins]
    env["PATH"] = os.pathsep.join(path or ["/usr/local/bin", "/usr/bin", "/bin"])
    return env


def is_serve(command: str) -> bool:
    return shlex.split(command)[1:2] == ["serve"]


@pytest.mark.parametrize(
    "command", [c for c in EXAMPLES if not is_serve(c)], ids=lambda c: c.removeprefix(".venv/bin/")
)
def test_example_runs(command: str, tmp_path: Path):
    """The example ends with exit status 0 and no internal error."""
    root = fresh_clone(tmp_path / "clone")
    proc = subprocess.run(
        ["bash", "-c", command],
        cwd=root,
        env=shell_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"{command}\n{output[-3000:]}"
    assert "Traceback" not in output, output[-3000:]
    args = shlex.split(command)
    if "--eml" in args:
        assert (root / args[args.index("--eml") + 1]).stat().st_size > 0


@pytest.mark.parametrize(
    "command", [c for c in EXAMPLES if is_serve(c)], ids=lambda c: c.removeprefix(".venv/bin/")
)
def test_serve_example_answers(command: str, tmp_path: Path):
    """The preview starts, answers 200 on 127.0.0.1 and stops; on a free port, not the
    example's, so that it can run beside other tests."""
    root = fresh_clone(tmp_path / "clone")
    if "--port" in command:
        command = re.sub(r"--port[ =]\S+", "--port 0", command)
    else:
        command += " --port 0"
    proc = subprocess.Popen(
        ["bash", "-c", f"exec {command}"],
        cwd=root,
        env=shell_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and proc.poll() is None and time.monotonic() < deadline:
            found = re.search(r"http://127\.0\.0\.1:\d+/", "".join(lines))
            url = found.group(0) if found else None
            time.sleep(0.1)
        assert url, f"{command}: no address printed\n{''.join(lines)[-3000:]}"
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(url, timeout=30) as response:
            assert response.status == 200
            assert response.read()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        reader.join(timeout=5)
    assert "Traceback" not in "".join(lines), "".join(lines)[-3000:]


def test_every_example_is_run():
    """Each example is run by one of the tests above; serve is among them."""
    assert len(EXAMPLES) >= 8
    assert sum(map(is_serve, EXAMPLES)) >= 1
