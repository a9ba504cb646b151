"""`brief new PAIR`: a starter dossier that passes check and builds; never over a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BRIEF_DATE, Cli, build, copy_project

from generator.commands.new import new


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_a_new_dossier_passes_check_and_builds(root: Path):
    brief = Cli(root)
    result = brief("new", "kz-uz")
    assert result.exit_code == 0, result.output
    assert "wrote briefs/kz-uz.yaml" in result.output
    text = (root / "briefs" / "kz-uz.yaml").read_text(encoding="utf-8")
    assert "pair: kz-uz\ncountries: [KZ, UZ]\nmarking: official" in text
    assert "# Kazakhstan – Uzbekistan." in text and "docs/dossier.md" in text
    assert "key_dates: []\n# For example" in text and "#     date: 1992-03-02" in text
    checked = brief("check", "kz-uz", "--date", BRIEF_DATE)
    assert checked.exit_code == 0, checked.output
    assert checked.output.strip().endswith("0 errors, 0 warnings"), checked.output
    built = build(root, "kz-uz", "--lang", "en", "--kind", "background,meeting")
    assert built.exit_code == 0, built.output
    written = sorted(p.name for p in (root / "out").glob("*kz-uz*"))
    assert written == [
        f"{BRIEF_DATE}_kz-uz_{kind}_en.{ext}"
        for kind in ("background", "meeting")
        for ext in ("docx", "pdf")
    ]


def test_an_existing_dossier_is_refused_and_left_alone(root: Path):
    path = root / "briefs" / "kz-tr.yaml"
    before = path.read_bytes()
    result = Cli(root)("new", "kz-tr")
    assert result.exit_code == 1
    assert "briefs/kz-tr.yaml exists already; it was left as it is" in result.output
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("pair", "status", "said"),
    [
        ("KZ-UZ", 2, "'KZ-UZ' is not a pair name"),
        ("kz_uz", 2, "'kz_uz' is not a pair name"),
        ("kz-uzb", 2, "'kz-uzb' is not a pair name"),
        ("uz-kz", 1, "'uz-kz' does not start with our country, KZ\n    did you mean 'kz-uz'?"),
        ("tr-uz", 1, "'tr-uz' does not start with our country, KZ"),
        ("kz-kz", 1, "'kz-kz' pairs our country with itself"),
        ("kz-xx", 1, "'XX' is not a country code CLDR knows"),
    ],
)
def test_a_pair_that_cannot_be_ours_is_refused(root: Path, pair: str, status: int, said: str):
    before = sorted(p.name for p in (root / "briefs").iterdir())
    result = Cli(root)("new", pair)
    assert result.exit_code == status, result.output
    assert said in result.output
    assert sorted(p.name for p in (root / "briefs").iterdir()) == before


def test_new_is_callable_without_the_command_line(root: Path):
    path = new(root, "kz-kg")
    assert path == root.resolve() / "briefs" / "kz-kg.yaml"
    assert "countries: [KZ, KG]" in path.read_text(encoding="utf-8")
