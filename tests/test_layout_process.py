"""How PDFs are laid out: a single brief in a second process that loaded WeasyPrint while
the first rendered, a batch in one process keeping its fonts and stylesheets. Both give the
bytes a fresh process gives, and leave no temporary folder behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import BRIEF_DATE, REPO

MEETING = f"{BRIEF_DATE}_kz-tr_meeting_{{}}.pdf"


def brief(root: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    """`brief build` as an analyst runs it: a whole process, its temporary files in `tmp`."""
    env = dict(os.environ, TMPDIR=str(tmp))
    return subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(root), "build", "kz-tr",
         "--kind", "meeting", "--format", "pdf", "--date", BRIEF_DATE, *args],
        capture_output=True, text=True, env=env, cwd=REPO,
    )  # fmt: skip


def test_one_brief_and_a_batch_give_the_same_bytes_and_leave_no_temporary_folder(
    project: Path, tmp_path: Path
):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    # one brief a process: laid out by the process that loaded WeasyPrint meanwhile
    for lang in ("en", "ru"):
        done = brief(project, tmp, "--lang", lang, "--out", str(tmp_path / "alone"))
        assert done.returncode == 0, done.stderr
        assert "Exception ignored" not in done.stderr, done.stderr
    # both in one process, the fonts and stylesheets of the first kept for the second
    done = brief(project, tmp, "--lang", "en,ru", "--jobs", "1", "--out", str(tmp_path / "one"))
    assert done.returncode == 0, done.stderr
    # and in two worker processes
    done = brief(project, tmp, "--lang", "en,ru", "--jobs", "2", "--out", str(tmp_path / "two"))
    assert done.returncode == 0, done.stderr
    for lang in ("en", "ru"):
        name = MEETING.format(lang)
        alone = (tmp_path / "alone" / name).read_bytes()
        assert alone.startswith(b"%PDF-")
        assert (tmp_path / "one" / name).read_bytes() == alone
        assert (tmp_path / "two" / name).read_bytes() == alone
    assert not list(tmp.iterdir()), "a build left temporary files"


def test_a_brief_that_fails_before_its_layout_stops_the_layout_process(
    project: Path, tmp_path: Path
):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    dossier = project / "briefs" / "kz-tr.yaml"
    dossier.write_text(
        dossier.read_text(encoding="utf-8").replace("countries: [KZ, TR]", "countries: [KZ, XT]"),
        encoding="utf-8",
    )
    done = brief(project, tmp, "--lang", "en", "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    assert "briefs/kz-tr.yaml:11: error:" in done.stderr
    assert "Traceback" not in done.stderr
    assert not list(tmp.iterdir())


def test_a_forked_build_leaves_the_fonts_its_parent_keeps(project: Path, tmp_path: Path):
    """A process that laid out a brief, then builds with worker processes (which inherit
    what it keeps, and let go of their own at their end), still has its fonts after: the
    faces it had not opened yet included."""
    from conftest import Cli

    from generator.writers import pdf

    def page(body: str) -> pdf.Layout:
        html = (
            f"<!DOCTYPE html><html lang=en><head><title>t</title></head><body>{body}</body></html>"
        )
        return pdf.Layout(
            html, ("theme.css",), "", "", (project / "templates").resolve(), b"0" * 32
        )

    pdf.lay_out(page("<p>Plainword</p>"))  # the regular face only
    built = Cli(project)("build", "kz-tr", "--kind", "meeting", "--lang", "en,ru", "--format",
                         "pdf", "--date", BRIEF_DATE, "--out", str(tmp_path / "out"),
                         "--jobs", "2")  # fmt: skip
    assert built.exit_code == 0, built.output
    (tmp_path / "bold.pdf").write_bytes(pdf.lay_out(page("<p><strong>Strongword</strong></p>")))
    text = subprocess.run(["pdftotext", str(tmp_path / "bold.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Strongword" in text
