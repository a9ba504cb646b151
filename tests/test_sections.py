"""Sections as data: an analyst adds a section as the README says, without Python."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import BRIEF_DATE, Cli, build, plain, word_plain
from parity import pdf_text

DECLARATION = """
  humanitarian_aid:
    heading: {kk: Гуманитарлық көмек, ru: Гуманитарная помощь, en: Humanitarian aid}
    items: dated
"""
ITEMS = """
humanitarian_aid:
  - date: 2025-06-12
    text: {kk: Қазақстан 500 тонна ұн жіберді, ru: Казахстан направил 500 тонн муки,
           en: Kazakhstan sent 500 tonnes of flour}
    source: test-source
"""
SHOWN = {
    "kk": ("Гуманитарлық көмек", "Қазақстан 500 тонна ұн жіберді"),
    "ru": ("Гуманитарная помощь", "Казахстан направил 500 тонн муки"),
    "en": ("Humanitarian aid", "Kazakhstan sent 500 tonnes of flour"),
}


def add_section(root: Path, call: str = 'declared.section("humanitarian_aid")') -> int:
    """The README's three steps; returns the kind's line that shows the section."""
    sections = root / "templates" / "sections.yaml"
    sections.write_text(sections.read_text(encoding="utf-8") + DECLARATION, encoding="utf-8")
    dossier = root / "briefs" / "kz-tr.yaml"
    dossier.write_text(dossier.read_text(encoding="utf-8") + ITEMS, encoding="utf-8")
    kind = root / "templates" / "kinds" / "background.html"
    lines = kind.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "{% endblock %}" in line)
    lines.insert(at, "{{ " + call + " }}\n")
    kind.write_text("".join(lines), encoding="utf-8")
    return at + 1


def test_a_new_section_reaches_pdf_docx_and_html_in_every_language(mini: Path):
    add_section(mini)
    assert Cli(mini)("check", "--date", BRIEF_DATE).exit_code == 0
    result = build(mini, "kz-tr", "--kind", "background", "--format", "pdf,docx,html")
    assert result.exit_code == 0, result.output
    for lang, (heading, fact) in SHOWN.items():
        stem = mini / "out" / f"{BRIEF_DATE}_kz-tr_background_{lang}"
        html = plain(stem.with_suffix(".html").read_text(encoding="utf-8"))
        assert f"<h2>{heading}</h2>" in html and fact in html, lang
        pdf = " ".join(plain(pdf_text(stem.with_suffix(".pdf"))).replace("\u2010\n", "").split())
        assert heading in pdf and fact in pdf, (lang, pdf[-400:])
        with zipfile.ZipFile(stem.with_suffix(".docx")) as z:
            word = word_plain(z.read("word/document.xml").decode("utf-8"))
        assert heading in word and fact in word, lang


def test_a_misspelt_section_key_in_a_dossier_is_an_error_with_did_you_mean(mini: Path):
    add_section(mini)
    dossier = mini / "briefs" / "kz-tr.yaml"
    text = dossier.read_text(encoding="utf-8").replace("\nhumanitarian_aid:", "\nhumanitarian_ad:")
    dossier.write_text(text, encoding="utf-8")
    line = text.splitlines().index("humanitarian_ad:") + 1
    for result in (Cli(mini)("check", "--date", BRIEF_DATE), build(mini, "kz-tr")):
        assert result.exit_code == 1, result.output
        assert f"briefs/kz-tr.yaml:{line}: error: unknown key 'humanitarian_ad'" in result.output
        assert "did you mean 'humanitarian_aid'?" in result.output
        assert "Traceback" not in result.output


def test_a_misspelt_section_in_a_kind_is_a_located_error_in_check_and_build(mini: Path):
    line = add_section(mini, 'declared.section("humanitarian_ad")')
    where = "templates/sections/declared.html"
    for result in (Cli(mini)("check", "--date", BRIEF_DATE), build(mini, "kz-tr")):
        assert result.exit_code == 1, result.output
        assert "no section 'humanitarian_ad' is declared in templates/sections.yaml" in (
            result.output
        )
        assert "did you mean 'humanitarian_aid'?" in result.output
        assert where in result.output or f"templates/kinds/background.html:{line}" in (
            result.output
        )
        assert "Traceback" not in result.output
    assert not list((mini / "out").glob("*background*"))


@pytest.mark.parametrize(
    "declaration, message",
    [
        ("  trade:\n    heading: {kk: А, ru: Б, en: C}\n    items: facts\n",
         "'trade' is a section every dossier already has"),
        ("  aid:\n    heading: {kk: А, ru: Б, en: C}\n    items: stories\n", "items"),
    ],
)  # fmt: skip
def test_a_section_that_cannot_be_declared_is_a_located_error(
    mini: Path, declaration: str, message: str
):
    sections = mini / "templates" / "sections.yaml"
    sections.write_text(sections.read_text(encoding="utf-8") + declaration, encoding="utf-8")
    result = Cli(mini)("check", "--date", BRIEF_DATE)
    assert result.exit_code == 1, result.output
    assert "templates/sections.yaml:" in result.output and message in result.output
    assert "Traceback" not in result.output
