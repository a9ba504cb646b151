"""docs/dossier.md is the reference the facts model and templates/sections.yaml give, its
examples pass `brief check`, and it names every key of every record."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, Cli, copy_project

from generator.facts.model import Section
from generator.facts.project import load_project
from generator.facts.reference import (
    COMMAND,
    dossier_reference,
    example_dossier,
    item_records,
    sections_of,
)
from generator.facts.values import Text
from generator.facts.walk import key_of

DOC = REPO / "docs" / "dossier.md"


@pytest.fixture(scope="module")
def sections() -> dict[str, Section]:
    project = load_project(REPO)
    assert not [f for f in project.findings.errors if f.path == "templates/sections.yaml"]
    return project.sections


def test_the_committed_reference_is_the_generated_one(sections):
    expected = dossier_reference(sections)
    assert DOC.read_text(encoding="utf-8") == expected, (
        f"docs/dossier.md is out of date with the facts model or templates/sections.yaml: "
        f"regenerate it with `{COMMAND}` and commit it"
    )


def test_every_key_of_every_record_is_described(sections):
    text = dossier_reference(sections)
    missing = [
        f"{record.__name__}.{key_of(name, field)}"
        for record in item_records(sections)
        for name, field in record.model_fields.items()
        if f"| `{key_of(name, field)}` |" not in text
    ]
    assert not missing
    for key, _, _ in sections_of(sections):
        assert f"## `{key}`" in text and f"```yaml\n{key}:\n  - " in text


def test_types_are_said_in_the_analysts_words(sections):
    text = dossier_reference(sections)
    assert "| `date` | required | a date: a day, a month or a year |" in text
    assert "| `turnover` | optional | an amount, e.g. 4.1 bn USD |" in text
    assert "| `speaker` | required | the id of a person in briefs/people.yaml |" in text
    assert "| `status` | optional, default `signed` | one of `signed`, `adopted`, `planned` |" in (
        text
    )
    assert "| `from` | optional |" in text  # an office's start, written under its alias
    assert "year_date" not in text  # a trade year's details are written under `year:`


def test_a_declared_section_is_described_with_its_heading(tmp_path: Path):
    heading = Text(kk="Гуманитарлық көмек", ru="Гуманитарная помощь", en="Humanitarian aid")
    text = dossier_reference({"humanitarian_aid": Section(heading=heading, items="figures")})
    part = text.split("## `humanitarian_aid`", 1)[1].split("\n## ", 1)[0]
    assert "Гуманитарлық көмек / Гуманитарная помощь / Humanitarian aid" in part
    assert "| `value` | required | an amount, e.g. 4.1 bn USD |" in part
    assert "humanitarian_aid:\n  - label:" in part


def test_the_examples_pass_brief_check(tmp_path: Path, sections):
    root = copy_project(tmp_path / "project")
    dossier = root / "briefs" / "kz-tr.yaml"
    dossier.write_text(example_dossier("kz-tr", ("KZ", "TR"), sections), encoding="utf-8")
    result = Cli(root)("check", "kz-tr", "--date", "2026-02-02")
    assert result.exit_code == 0, result.output
