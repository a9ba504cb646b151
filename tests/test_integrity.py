"""What a build leaves in its output folder is true: killed at any moment, run twice at once,
fed files that are not files, or pointed at a folder that is not one.

Every test runs the real `brief` command in subprocesses on a small project (one dossier,
one source, the shipped templates), building HTML only, so a build takes about a second.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BRIEF_DATE, MINI_DOSSIER, plain, write

BRIEF = Path(sys.executable).with_name("brief")
NAME = f"{BRIEF_DATE}_kz-tr_background_en.html"  # shows the trade figure
FIGURE = {"A": "10 bn USD", "B": "19 bn USD"}  # a same-length edit of the dossier
SHOWN = {"A": "10 billion", "B": "19 billion"}  # as typed (see plain)
AZ = MINI_DOSSIER.replace("pair: kz-tr", "pair: kz-az").replace("[KZ, TR]", "[KZ, AZ]")
DEADLINE = 60  # seconds: generous, only so that a hang fails instead of stalling the suite


def command(root: Path, *args: str) -> list[str]:
    """`brief build ARGS` on the project, HTML in English (ARGS may say otherwise), into
    root/out, one process."""
    return [
        str(BRIEF),
        "--project",
        str(root),
        "build",
        "--lang",
        "en",
        "--format",
        "html",
        "--date",
        BRIEF_DATE,
        "--out",
        str(root / "out"),
        "--jobs",
        "1",
        *args,
    ]


def brief(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(root, *args), capture_output=True, text=True, timeout=DEADLINE, check=False
    )


def start(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        command(root, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def verdicts(stderr: str) -> dict[str, str]:
    return dict(
        (name, status)
        for status, name in re.findall(r"^(built|up-to-date|failed): (\S+)$", stderr, re.M)
    )


def set_figure(root: Path, state: str) -> None:
    """The dossier with the trade figure of `state`, replaced at once (a build reading it
    meanwhile sees the old file or the new one)."""
    dossier = root / "briefs" / "kz-tr.yaml"
    write(dossier.with_suffix(".new"), MINI_DOSSIER.replace("10 bn USD", FIGURE[state]))
    os.replace(dossier.with_suffix(".new"), dossier)


def manifest_files(out: Path) -> dict[str, dict]:
    path = out / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8"))["files"] if path.exists() else {}


def assert_true_folder(out: Path) -> dict[str, dict]:
    """Every output is whole, and the manifest claims only the bytes that are on disk."""
    files = manifest_files(out)
    for name, entry in files.items():
        data = (out / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        assert entry["size"] == len(data), name
    for path in out.glob("*.html"):
        assert path.read_bytes().rstrip().endswith(b"</html>"), f"{path.name} is partial"
    return files


def assert_shows(out: Path, state: str) -> None:
    for path in out.glob("*_background_*.html"):
        text = plain(path.read_text(encoding="utf-8"))
        assert SHOWN[state] in text and SHOWN[other(state)] not in text, path.name


def other(state: str) -> str:
    return "B" if state == "A" else "A"


def running(root: Path) -> list[int]:
    """The processes still building `root`, after a moment for the system to end them."""
    deadline = time.monotonic() + 10
    while True:
        found = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if str(root).encode() in cmdline.read_bytes():
                    found.append(int(cmdline.parent.name))
            except OSError:
                pass
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.fixture
def small(mini: Path) -> Path:
    set_figure(mini, "A")
    return mini


# ---- killed builds -------------------------------------------------------------------------


def test_builds_killed_at_random_moments_leave_whole_files_and_a_true_verdict(small: Path):
    out = small / "out"
    started = time.monotonic()
    first = brief(small, "kz-tr")
    seconds = time.monotonic() - started  # the moments to kill at: within a whole build
    assert first.returncode == 0, first.stderr
    chance = random.Random()
    state = "A"
    for jobs in ("1", "2", "1"):
        state = other(state)
        set_figure(small, state)
        build = start(small, "kz-tr", "--force", "--jobs", jobs)
        time.sleep(chance.uniform(0.05, seconds))
        build.send_signal(signal.SIGKILL)
        build.communicate(timeout=DEADLINE)
        assert not running(small)  # its workers ended with it
        assert_true_folder(out)  # whole files and a true manifest at every moment
        # what a killed build may leave behind is set aside by the next build
        stray = out / f".{NAME}.k1ll3d_x.tmp"
        stray.write_bytes(b"<html><body>half a brie")
        after = brief(small, "kz-tr")
        assert after.returncode == 0, after.stderr
        assert not list(out.glob(".*.tmp")) and not (out / ".brief.lock").exists()
        files = assert_true_folder(out)
        assert len(files) == 2 and set(verdicts(after.stderr).values()) <= {"built", "up-to-date"}
        assert_shows(out, state)  # what differed was built again


def test_a_killed_same_length_edit_undone_is_rebuilt(small: Path):
    out = small / "out"
    assert brief(small, "kz-tr", "--kind", "background,meeting", "--lang", "en,ru").returncode == 0
    a_bytes = (out / NAME).read_bytes()

    set_figure(small, "B")
    # four documents, the edited one first: the build is killed once it is written
    build = start(small, "kz-tr", "--kind", "background,meeting", "--lang", "en,ru")
    deadline = time.monotonic() + DEADLINE
    while build.poll() is None and time.monotonic() < deadline:
        if (out / NAME).read_bytes() != a_bytes:
            build.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    build.communicate(timeout=DEADLINE)
    b_bytes = (out / NAME).read_bytes()
    assert len(b_bytes) == len(a_bytes) and b_bytes != a_bytes
    assert_true_folder(out)

    set_figure(small, "A")  # the edit undone
    after = brief(small, "kz-tr", "--kind", "background")
    assert verdicts(after.stderr) == {NAME: "built"}, after.stderr
    assert (out / NAME).read_bytes() == a_bytes
    assert_true_folder(out)


# ---- builds at once ------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["same-pair", "different-pairs", "different-inputs"])
def test_two_builds_at_once_leave_a_true_manifest(small: Path, case: str):
    write(small / "briefs" / "kz-az.yaml", AZ)
    out = small / "out"
    first = start(small, "kz-tr", "--kind", "background")
    if case == "different-inputs":
        time.sleep(0.1)
        set_figure(small, "B")
    second = start(small, "kz-az" if case == "different-pairs" else "kz-tr", "--kind", "background")
    for build in (first, second):
        _, stderr = build.communicate(timeout=DEADLINE)
        assert build.returncode == 0, stderr
        assert "Traceback" not in stderr
    files = assert_true_folder(out)
    expected = {NAME, NAME.replace("kz-tr", "kz-az")} if case == "different-pairs" else {NAME}
    assert set(files) == expected
    again = brief(small, "--all" if case == "different-pairs" else "kz-tr", "--kind", "background")
    assert set(verdicts(again.stderr).values()) == {"up-to-date"}, again.stderr
    assert_shows(out, "B" if case == "different-inputs" else "A")


def test_a_build_waits_for_the_folder_and_names_who_holds_it(small: Path):
    out = small / "out"
    out.mkdir()
    holder = {"pid": 4242, "host": "desk-7", "command": "brief build --all", "started": "09:00"}
    with open(out / ".brief.lock", "w") as lock:
        lock.write(json.dumps(holder))
        lock.flush()
        fcntl.flock(lock, fcntl.LOCK_EX)
        refused = brief(small, "kz-tr", "--wait", "0.5")
        assert refused.returncode == 1
        assert "is being built by pid 4242 on desk-7 ('brief build --all', since 09:00)" in (
            refused.stderr
        )
        assert "waited 0.5 s" in refused.stderr and "--wait" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert sorted(p.name for p in out.iterdir()) == [".brief.lock"]  # nothing written

        waiting = start(small, "kz-tr", "--kind", "background")
        line = waiting.stderr.readline()  # said before it waits
        assert "is being built by pid 4242 on desk-7" in line and "waiting up to 300 s" in line
        assert waiting.poll() is None
    _, rest = waiting.communicate(timeout=DEADLINE)  # the holder let go: the build goes on
    assert waiting.returncode == 0, rest
    assert verdicts(rest) == {NAME: "built"}
    assert_true_folder(out)


# ---- inputs that are not files, outputs that are not folders --------------------------------


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_dossier_that_is_not_a_file_is_a_located_error_at_once(small: Path, kind: str):
    dossier = small / "briefs" / "kz-tr.yaml"
    dossier.unlink()
    if kind == "fifo":
        os.mkfifo(dossier)
        what = "a named pipe (FIFO)"
    else:
        dossier.symlink_to("/dev/zero")
        what = "a device"
    result = brief(small, "kz-tr")  # a hang or a run out of memory fails the DEADLINE
    assert result.returncode == 1
    assert (
        f"briefs/kz-tr.yaml: error: this is {what}, not a regular file; "
        "brief reads only regular files\n"
        "    replace it with the file itself (a symbolic link must point to a regular file)"
    ) in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not list((small / "out").glob("*.html"))


def test_a_dossier_over_the_limit_says_the_limit(small: Path):
    dossier = small / "briefs" / "kz-tr.yaml"
    with open(dossier, "ab") as fh:
        fh.truncate(3_000_000)  # sparse: quick to make
    result = brief(small, "kz-tr")
    assert result.returncode == 1
    assert (
        "briefs/kz-tr.yaml: error: the file is 3.0 MB; brief reads input files of up to 2.0 MB"
    ) in result.stderr


@pytest.mark.parametrize("target", ["/dev/null", "/proc", "file", "file/inside"])
def test_an_output_folder_that_cannot_be_one_is_a_clear_error(small: Path, target: str):
    if target.startswith("file"):
        (small / "file").write_text("notes\n", encoding="utf-8")
        target = str(small / target)
    before = sorted(small.rglob("*"))
    args = [a if a != str(small / "out") else target for a in command(small, "kz-tr")]
    result = subprocess.run(args, capture_output=True, text=True, timeout=DEADLINE, check=False)
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{target}: error: the output folder (--out) ")
    assert first.endswith("; nothing was written")
    assert "give a folder of your own that you may write in" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert sorted(small.rglob("*")) == before


@pytest.mark.parametrize(
    "pair", ["kz-tr/../kz-tr", "k" * 300, "KZ-TR", "kz_tr"], ids=["dots", "long", "upper", "under"]
)
def test_a_pair_name_that_cannot_be_one_is_a_usage_error(small: Path, pair: str):
    result = brief(small, pair)
    assert result.returncode == 2
    assert "is not a pair name" in result.stderr
    assert "two two-letter country codes in lowercase joined by a hyphen" in result.stderr
    assert "internal error" not in result.stderr and not (small / "out").exists()


def test_the_manifest_records_no_file_outside_the_project(tmp_path: Path):
    from generator.commands.build import record

    root = tmp_path / "project"
    (root / "templates").mkdir(parents=True)
    (tmp_path / "secret.html").write_text("outside\n", encoding="utf-8")
    (root / "templates" / "inside.html").write_text("inside\n", encoding="utf-8")
    (root / "templates" / "link.html").symlink_to(tmp_path / "secret.html")
    deps = record(
        root,
        [
            root / "templates" / "inside.html",
            root / "templates" / "../../secret.html",
            root / "templates" / "link.html",
            tmp_path / "secret.html",
        ],
        {},
    )
    assert deps == {
        "templates/inside.html": hashlib.sha256(b"inside\n").hexdigest(),
    }


def test_a_kind_whose_name_cannot_name_a_file_is_a_located_error(small: Path):
    kinds = small / "templates" / "kinds"
    (kinds / "My meeting.html").write_bytes((kinds / "meeting.html").read_bytes())
    result = brief(small, "kz-tr")
    assert result.returncode == 1
    assert (
        "templates/kinds/My meeting.html: error: the kind of brief 'My meeting' cannot name a file"
    ) in result.stderr
    assert "lowercase letters, digits, '-' and '_', at most 40 characters" in result.stderr
    assert not (small / "out").exists()
    assert brief(small, "kz-tr", "--kind", "x" * 41).returncode == 2
