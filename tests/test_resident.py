"""The resident build process: left by a build of one PDF, it makes the next ones with the
same bytes and the same messages, answers only its own kind, and ends when idle or when its
socket goes, leaving nothing behind."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from conftest import BRIEF_DATE, REPO, Cli

from generator.commands import resident

NAME = f"{BRIEF_DATE}_kz-tr_meeting_en.pdf"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An environment whose builds leave a resident process (stopped at the end): its own
    cache folder (short, as a socket's path must be) and temporary folder."""
    cache = Path(tempfile.mkdtemp(prefix="brc"))
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    values = {"BRIEF_CACHE": str(cache), "BRIEF_RESIDENT": "1", "TMPDIR": str(tmp)}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    yield dict(os.environ)
    for path in (cache / "resident").glob("*.sock"):
        pid = resident_pid(path)
        if pid:
            os.kill(pid, signal.SIGTERM)
            gone(pid)
    shutil.rmtree(cache, ignore_errors=True)


def brief(root: Path, env: dict, out: Path, *args: str) -> subprocess.CompletedProcess:
    """`brief build` of one PDF as an analyst runs it, a whole process."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(root), "build", "kz-tr",
         "--kind", "meeting", "--lang", "en", "--format", "pdf", "--date", BRIEF_DATE,
         "--out", str(out), *args],
        capture_output=True, text=True, env=env, cwd=REPO,
    )  # fmt: skip


def said(done: subprocess.CompletedProcess) -> str:
    """What a build told the analyst, but for how long it took."""
    return re.sub(r" in [0-9.]+ s$", "", done.stderr, flags=re.M)


def ready(env: dict) -> Path:
    """The socket of the resident process the last build left, once it answers."""
    for _ in range(1200):
        socks = list((Path(env["BRIEF_CACHE"]) / "resident").glob("*.sock"))
        if socks:
            return socks[0]
        time.sleep(0.1)
    raise AssertionError("no resident process was left")


def left(env: dict) -> tuple[Path, int]:
    """The socket and process id of the resident process the last build left."""
    path = ready(env)
    pid = resident_pid(path)
    assert pid
    return path, pid


def resident_pid(path: Path) -> int | None:
    """The process listening at `path` (as the kernel tells it)."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(5)
        conn.connect(str(path))
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        return struct.unpack("3i", creds)[0]
    except OSError:
        return None
    finally:
        conn.close()


def gone(pid: int, seconds: float = 60) -> bool:
    for _ in range(int(seconds * 10)):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_a_build_leaves_a_resident_process_that_makes_the_next_pdf_with_the_same_bytes(
    project: Path, tmp_path: Path, env: dict, monkeypatch: pytest.MonkeyPatch
):
    done = brief(project, env, tmp_path / "first")
    assert done.returncode == 0, done.stderr
    path = ready(env)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    # what it was asked for is not on its command line, which any user may read
    command = Path(f"/proc/{resident_pid(path)}/cmdline").read_bytes()
    assert b"kz-tr" not in command and str(project).encode() not in command
    # what is not a build's request is dropped, and the process goes on
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(path))
        conn.sendall(b"B" + (1 << 40).to_bytes(8, "big") + b"{}")
    # the next build: its PDF made there, and only there (this process cannot lay one out)
    from generator.commands import build
    from generator.writers import pdf

    def nowhere(*args, **kwargs):
        raise AssertionError("laid out by the build itself")

    monkeypatch.setattr(build, "layout_process", nowhere)
    monkeypatch.setattr(pdf, "lay_out", nowhere)
    monkeypatch.chdir(REPO)
    out = tmp_path / "next"
    done = Cli(project)("build", "kz-tr", "--kind", "meeting", "--lang", "en", "--format",
                        "pdf", "--date", BRIEF_DATE, "--out", str(out))  # fmt: skip
    assert done.exit_code == 0, done.output
    assert (out / NAME).read_bytes() == (tmp_path / "first" / NAME).read_bytes()
    # the same verdict when the pair cannot be built: the build's own messages
    dossier = project / "briefs" / "kz-tr.yaml"
    dossier.write_text(
        dossier.read_text(encoding="utf-8").replace("countries: [KZ, TR]", "countries: [KZ, XT]"),
        encoding="utf-8",
    )
    failed = brief(project, env, tmp_path / "failed")
    alone = brief(project, dict(env, BRIEF_RESIDENT="off"), tmp_path / "failed-alone")
    assert failed.returncode == alone.returncode == 1
    assert "briefs/kz-tr.yaml:11: error:" in failed.stderr
    assert said(failed) == said(alone)
    assert not (tmp_path / "failed" / NAME).exists()


def test_an_edit_is_seen_and_a_brief_it_cannot_make_is_made_by_the_build(
    project: Path, tmp_path: Path, env: dict
):
    """An edited dossier: the PDF a build without it makes. A template that fails to render:
    the resident process answers that it could not, and the build renders it itself and
    says what is wrong, as without it."""
    assert brief(project, env, tmp_path / "first").returncode == 0
    ready(env)
    # an edit is made by it as by the build (nothing of the last brief is kept)
    dossier = project / "briefs" / "kz-tr.yaml"
    dossier.write_text(
        dossier.read_text(encoding="utf-8").replace(
            "Group — talks of the foreign ministers", "Group — talks of the two foreign ministers"
        ),
        encoding="utf-8",
    )
    edited = brief(project, env, tmp_path / "edited")
    alone = brief(project, dict(env, BRIEF_RESIDENT="off"), tmp_path / "edited-alone")
    assert edited.returncode == alone.returncode == 0, edited.stderr
    made = (tmp_path / "edited" / NAME).read_bytes()
    assert made == (tmp_path / "edited-alone" / NAME).read_bytes()
    assert made != (tmp_path / "first" / NAME).read_bytes()
    text = subprocess.run(["pdftotext", str(tmp_path / "edited" / NAME), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "the two foreign ministers" in " ".join(text.split())
    # a template that does not render
    template = project / "templates" / "kinds" / "meeting.html"
    template.write_text(
        template.read_text(encoding="utf-8") + "\n{{ pair.no_such_thing.deeper }}\n",
        encoding="utf-8",
    )
    failed = brief(project, env, tmp_path / "failed")
    alone = brief(project, dict(env, BRIEF_RESIDENT="off"), tmp_path / "alone")
    assert failed.returncode == alone.returncode == 1, failed.stderr
    assert "Traceback" not in failed.stderr
    assert said(failed) == said(alone)


def test_the_resident_process_ends_when_idle_and_leaves_nothing_behind(
    project: Path, tmp_path: Path, env: dict
):
    env = dict(env, BRIEF_RESIDENT="0.05")  # three seconds
    assert brief(project, env, tmp_path / "out").returncode == 0
    path, pid = left(env)
    assert gone(pid)
    assert not path.exists()
    assert not list(Path(env["TMPDIR"]).iterdir()), "its fonts' temporary folder was left"


def test_the_resident_process_ends_when_its_socket_is_removed(
    project: Path, tmp_path: Path, env: dict
):
    assert brief(project, env, tmp_path / "out").returncode == 0
    path, pid = left(env)
    path.unlink()
    assert gone(pid, resident.LOOK_EVERY + 30)
    assert not list(Path(env["TMPDIR"]).iterdir())


def test_a_build_meets_only_a_resident_process_of_its_own_code(env: dict):
    """Something else listening at the address (an older version, another program) is
    not used, and nothing waits long for it."""
    path = resident.address()
    assert path is not None
    path.parent.mkdir(mode=0o700, exist_ok=True)
    for greeting in (b"", resident.HELLO + b"0" * 64 + b"\n"):  # mute; another code's stamp
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as other:
            other.bind(str(path))
            other.listen(1)

            def answer(other=other, greeting=greeting):
                conn, _ = other.accept()
                with conn:
                    conn.sendall(greeting)
                    time.sleep(1)

            thread = threading.Thread(target=answer)
            thread.start()
            started = time.monotonic()
            assert resident.connect() is None
            assert time.monotonic() - started < 3  # it waits 0.2 s for a greeting
            thread.join()
        path.unlink()
    assert resident.connect() is None  # none at all


def test_no_resident_process_when_asked_for_none(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BRIEF_RESIDENT", "off")
    assert resident.address() is None
    monkeypatch.setenv("BRIEF_RESIDENT", "5")
    monkeypatch.setenv("BRIEF_CACHE", "off")  # no private folder for its socket
    assert resident.address() is None


def test_the_resident_process_ends_when_this_program_changes():
    """Code changed under it (an upgrade): it makes nothing more, and ends."""
    resident._current(resident.cache.code_seen())  # the same code: it goes on
    older = "0" * 64  # what it was started with
    with pytest.raises(resident._Outdated):
        resident._current(older)


def test_an_idle_resident_process_ends_when_this_program_is_upgraded(tmp_path: Path):
    path = Path(tempfile.mkdtemp(prefix="brs")) / "r.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(str(path))
        listener.listen(1)
        started = time.monotonic()
        older = "0" * 64  # what it was started with
        nothing = resident.Services(make=lambda request: (b"", []), ready=lambda: None,
                                    work=lambda header, task: {}, done=lambda: None)  # fmt: skip
        resident._serve(listener, path, path.stat().st_ino, 600, older, nothing)
        assert time.monotonic() - started < resident.LOOK_EVERY + 5
    shutil.rmtree(path.parent)


# ---- batches: workers forked by the resident process --------------------------------------


def batch(root: Path, env: dict, out: Path, *args: str) -> subprocess.CompletedProcess:
    """`brief build --all` of the meeting notes, two jobs, a whole process."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(root), "build", "--all",
         "--kind", "meeting", "--date", BRIEF_DATE, "--out", str(out), "--jobs", "2", *args],
        capture_output=True, text=True, env=env, cwd=REPO,
    )  # fmt: skip


def batch_here(root: Path, out: Path, monkeypatch: pytest.MonkeyPatch):
    """The same batch in this process (where the test may replace what it calls)."""
    monkeypatch.chdir(REPO)
    return Cli(root)("build", "--all", "--kind", "meeting", "--date", BRIEF_DATE,
                     "--out", str(out), "--jobs", "2")  # fmt: skip


def workers_of(pid: int) -> list[int]:
    """The processes `pid` forked that have not been let go of (zombies included)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def none_left(pid: int, seconds: float = resident.LOOK_EVERY + 30) -> bool:
    for _ in range(int(seconds * 10)):
        if not workers_of(pid):
            return True
        time.sleep(0.1)
    return False


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != "manifest.json"}


def test_a_batch_leaves_a_resident_process_whose_workers_build_the_next_with_the_same_bytes(
    project: Path, tmp_path: Path, env: dict, monkeypatch: pytest.MonkeyPatch
):
    first = batch(project, env, tmp_path / "first")
    assert first.returncode == 0, first.stderr
    path, pid = left(env)  # a batch that found none leaves one
    # the next batch: every document built by its workers, and only there
    from generator.commands import build

    def nowhere(*args, **kwargs):
        raise AssertionError("built by the build itself")

    monkeypatch.setattr(build._Run, "_here", nowhere)
    monkeypatch.setattr(build._Run, "_in_workers", nowhere)
    out = tmp_path / "next"
    done = batch_here(project, out, monkeypatch)
    assert done.exit_code == 0, done.output
    assert "18 built, 0 failed" in done.output
    assert outputs(out) == outputs(tmp_path / "first")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == sorted(outputs(out))
    # they end with the build that asked for them, and leave no zombie
    assert none_left(pid)
    assert resident_pid(path) == pid  # the resident process itself stays


def test_a_batch_by_the_workers_says_what_a_batch_without_them_says(
    project: Path, tmp_path: Path, env: dict
):
    """A pair that cannot be built, another whose template fails in one language: the same
    files, the same messages, the same exit status, with workers as without."""
    assert batch(project, env, tmp_path / "first").returncode == 0
    ready(env)
    dossier = project / "briefs" / "kz-tj.yaml"
    text = dossier.read_text(encoding="utf-8")
    dossier.write_text(text.replace("countries: [KZ, TJ]", "countries: [KZ, XT]"), "utf-8")
    worked = batch(project, env, tmp_path / "worked")
    alone = batch(project, dict(env, BRIEF_RESIDENT="off"), tmp_path / "alone")
    assert worked.returncode == alone.returncode == 1
    assert "briefs/kz-tj.yaml:" in worked.stderr and "Traceback" not in worked.stderr
    assert sorted(said(worked).splitlines()) == sorted(said(alone).splitlines())
    assert outputs(tmp_path / "worked") == outputs(tmp_path / "alone")
    assert not any(name.startswith("2026-02-02_kz-tj") for name in outputs(tmp_path / "worked"))


def test_documents_the_workers_cannot_build_are_built_by_the_build(
    project: Path, tmp_path: Path, env: dict, monkeypatch: pytest.MonkeyPatch
):
    assert batch(project, env, tmp_path / "first").returncode == 0
    ready(env)
    from generator.commands import build

    answers = []
    asked = resident.Worker.build

    def counted(self, task):
        answers.append(asked(self, task))
        return answers[-1]

    real = build._header
    monkeypatch.setattr(build, "_header", lambda root, options: real(root, options) | {"out": 1})
    monkeypatch.setattr(resident.Worker, "build", counted)
    out = tmp_path / "next"
    done = batch_here(project, out, monkeypatch)
    assert done.exit_code == 0, done.output
    assert answers and all(answer is None for answer in answers)  # asked, and refused
    assert outputs(out) == outputs(tmp_path / "first")


def test_a_build_that_is_killed_ends_its_workers_and_leaves_no_partial_file(
    project: Path, tmp_path: Path, env: dict
):
    assert batch(project, env, tmp_path / "first").returncode == 0
    path, pid = left(env)
    out = tmp_path / "killed"
    running = subprocess.Popen(
        [sys.executable, "-m", "generator", "--project", str(project), "build", "--all",
         "--kind", "background", "--date", BRIEF_DATE, "--out", str(out), "--jobs", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=REPO,
    )  # fmt: skip
    for _ in range(600):
        if workers_of(pid) and out.exists() and any(out.glob("*.pdf")):
            break
        time.sleep(0.1)
    assert workers_of(pid), "no worker was forked"
    running.kill()
    running.wait()
    assert none_left(pid)
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert resident_pid(path) == pid
