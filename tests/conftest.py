"""Shared fixtures: copies of the shipped project to change freely, and a CLI runner."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
BRIEF_DATE = "2026-02-02"

os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
# what runs leave for the next (compiled templates, patterns, font maps): one folder for the
# test run's processes, never the user's own
os.environ.setdefault(
    "BRIEF_CACHE", str(Path(tempfile.gettempdir()) / f"brief-tests-cache-{os.getuid()}")
)
# no layout process stays after a test's build (the tests of the resident one start their own)
os.environ.setdefault("BRIEF_RESIDENT", "off")


def copy_project(target: Path, *, facts: bool = True) -> Path:
    """A copy of the repository's project files (templates, and facts if asked) in `target`."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "templates", target / "templates")
    if facts:
        shutil.copytree(REPO / "briefs", target / "briefs")
        shutil.copytree(REPO / "sources", target / "sources")
        if (REPO / "brief.yaml").exists():
            shutil.copy(REPO / "brief.yaml", target / "brief.yaml")
    else:
        (target / "briefs").mkdir()
        (target / "sources").mkdir()
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the shipped project (templates, dossiers, sources)."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def empty_project(tmp_path: Path) -> Path:
    """The shipped templates with no facts: tests write their own small dossiers."""
    return copy_project(tmp_path / "project", facts=False)


class Cli:
    """Runs `brief` in-process through Click's CliRunner against one project folder."""

    def __init__(self, root: Path):
        self.root = root
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        from generator.cli import main

        return self.runner.invoke(
            main, ["--project", str(self.root), *args], input=input, catch_exceptions=False
        )


def build(root: Path, *args: str):
    """`brief build ARGS` on a project for the brief date, into root/out."""
    return Cli(root)("build", *args, "--date", BRIEF_DATE, "--out", str(root / "out"))


def built_copy(folder: Path, *args: str) -> Path:
    """A copy of the shipped project in `folder`, with `brief build ARGS` run into its out/."""
    root = copy_project(folder / "project")
    result = build(root, *args)
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="session")
def shipped_out(tmp_path_factory) -> Path:
    """Every shipped brief in PDF, DOCX and HTML for the brief date, built once per test run
    and shared by the test workers. Read it, never change it."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / "shipped-build"
    with open(shared / "shipped-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            built_copy(folder, "--all", "--format", "pdf,docx,html", "--jobs", "2")
            (folder / "done").touch()
    return folder / "project" / "out"


@pytest.fixture
def cli(project: Path) -> Cli:
    return Cli(project)


def libreoffice(files, outdir: Path) -> subprocess.CompletedProcess:
    """Lay out DOCX files as PDF with LibreOffice (an independent reader), in a profile of
    its own so that runs in parallel do not meet."""
    return subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{outdir}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )


def write(path: Path, text: str) -> Path:
    """Write a UTF-8 text file, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MINI_SOURCE = """\
id: test-source
kind: news
language: en
title: {kk: Сынақ дереккөзі, ru: Тестовый источник, en: Test source}
publisher: {kk: Баспагер, ru: Издатель, en: Publisher}
date: 2026-01-15
"""

MINI_DOSSIER = """\
pair: kz-tr
countries: [KZ, TR]
key_dates:
  - kind: diplomatic_relations
    date: 1992-03-02
    text: {kk: Дипломатиялық қатынастар орнатылды, ru: Установлены дипломатические отношения, en: Diplomatic relations established}
    source: test-source
trade:
  - year: 2024
    turnover: 10 bn USD
    source: test-source
"""


def brief_text(
    root: Path, *, lang: str = "en", on: str = "2026-02-02", kind: str = "background"
) -> str:
    """The words of the kz-tr brief of a project as a reader sees them, in one line (no
    space where an inline element ends; typed as `plain` gives them)."""
    import datetime as dt
    import re

    from generator.facts.project import load_project
    from generator.render.brief import render_brief

    project = load_project(root, ["kz-tr"])
    html = render_brief(
        project, "kz-tr", lang=lang, kind=kind, on=dt.date.fromisoformat(on)
    ).document.html
    html = re.sub(r"</?(strong|em|span|a)\b[^>]*>", "", html)
    return plain(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def word_plain(xml: str) -> str:
    """A DOCX part's XML with the typesetting's optional hyphens (which split a word into
    several w:t) and non-breaking hyphens as the words were typed."""
    import re

    xml = re.sub(r"</w:t><w:softHyphen/><w:t[^>]*>", "", xml).replace("<w:softHyphen/>", "")
    return plain(re.sub(r"</w:t><w:noBreakHyphen/><w:t[^>]*>", "-", xml))


def plain(text: str) -> str:
    """Text as typed: without the typesetting's soft hyphens and word joiners, its no-break
    spaces and hyphens as plain ones."""
    for char, typed in (("\u00ad", ""), ("\u2060", ""), ("\u2011", "-"), ("\xa0", " ")):
        text = text.replace(char, typed)
    return text


@pytest.fixture
def mini(empty_project: Path) -> Path:
    """A project with one small, valid dossier (kz-tr) and one source."""
    write(empty_project / "sources" / "test-source.yaml", MINI_SOURCE)
    write(empty_project / "briefs" / "kz-tr.yaml", MINI_DOSSIER)
    return empty_project
