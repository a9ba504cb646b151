"""A language is data: Turkish added to a project by files alone builds Turkish briefs."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from conftest import BRIEF_DATE, MINI_SOURCE, Cli, plain, write
from ruamel.yaml import YAML

FIXTURE = Path(__file__).parent / "fixtures" / "tr"

TR_DOSSIER = """\
pair: kz-tr
countries: [KZ, TR]
key_dates:
  - kind: diplomatic_relations
    date: 1992-03-02
    text: {kk: Дипломатиялық қатынастар орнатылды, ru: Установлены дипломатические отношения, en: Diplomatic relations established, tr: Diplomatik ilişkiler kuruldu}
    source: test-source
visits:
  - date: 2025-10-21
    level: official_visit
    title: {kk: Ресми сапар, ru: Официальный визит, en: Official visit, tr: Resmî ziyaret}
    source: test-source
trade:
  - year: 2024
    turnover: 10 bn USD
    source: test-source
"""


@pytest.fixture
def turkish(empty_project: Path) -> Path:
    """The shipped templates plus Turkish as house style, catalog and a brief language."""
    root = empty_project
    templates = root / "templates"
    shutil.copy(FIXTURE / "house.yaml", templates / "house" / "tr.yaml")
    with (templates / "messages.pot").open("rb") as fp:
        catalog = read_po(fp, locale="tr")
    translations = YAML(typ="safe").load((FIXTURE / "messages.yaml").read_text("utf-8"))
    for message in catalog:
        if message.id:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if key in translations:
                value = translations[key]
                message.string = tuple(value) if isinstance(value, list) else value
    po = templates / "locale" / "tr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    with po.open("wb") as fp:
        write_po(fp, catalog)
    write(root / "brief.yaml", "languages: [kk, ru, en, tr]\n")
    source = MINI_SOURCE.replace("Publisher}", "Publisher, tr: Yayıncı}")
    write(root / "sources" / "test-source.yaml", source)
    write(root / "briefs" / "kz-tr.yaml", TR_DOSSIER)
    return root


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_fourth_language_builds_turkish_pdf_and_docx(turkish: Path):
    result = Cli(turkish)(
        "build", "kz-tr", "--lang", "tr", "--kind", "background", "--date", BRIEF_DATE,
        "--out", str(turkish / "out"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pdf = turkish / "out" / f"{BRIEF_DATE}_kz-tr_background_tr.pdf"
    docx = turkish / "out" / f"{BRIEF_DATE}_kz-tr_background_tr.docx"
    text = " ".join(pdf_text(pdf).split())
    # fixed strings from the Turkish catalog, dates from the Turkish house style
    for words in ("Bilgi notu", "Önemli tarihler", "Üst düzey temaslar", "2 Şubat 2026",
                  "2 Mart 1992", "21 Ekim 2025", "Diplomatik ilişkiler kuruldu", "Kaynaklar"):  # fmt: skip
        assert words in text, words
    for english in ("Key dates", "February", "Sources", "Page 1 of"):
        assert english not in text, english
    with zipfile.ZipFile(docx) as archive:
        document = plain(archive.read("word/document.xml").decode("utf-8"))
        styles = archive.read("word/styles.xml").decode("utf-8")
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert "Önemli tarihler" in document and "2 Şubat 2026" in document
    assert 'w:val="tr-TR"' in styles
    assert "<dc:language>tr-TR</dc:language>" in core


def test_check_accepts_the_fourth_language_and_says_what_lacks_it(turkish: Path):
    dossier = turkish / "briefs" / "kz-tr.yaml"
    dossier.write_text(dossier.read_text("utf-8").replace(", tr: Resmî ziyaret", ""), "utf-8")
    result = Cli(turkish)("check", "--date", BRIEF_DATE)
    assert "0 errors" in result.output, result.output
    assert (
        "briefs/kz-tr.yaml:11: warning: the text of 'title' has no tr version: 'Official visit'"
        in result.output
    )


def test_texts_may_keep_other_languages_but_not_unknown_ones(turkish: Path):
    write(turkish / "brief.yaml", "languages: [kk, ru, en]\n")
    result = Cli(turkish)("check", "kz-tr", "--date", BRIEF_DATE)
    assert "0 errors" in result.output, result.output  # the tr texts are kept, not shown
    dossier = turkish / "briefs" / "kz-tr.yaml"
    dossier.write_text(dossier.read_text("utf-8").replace("tr: Resmî", "kz: Resmî"), "utf-8")
    result = Cli(turkish)("check", "kz-tr", "--date", BRIEF_DATE)
    assert result.exit_code == 1
    assert (
        "briefs/kz-tr.yaml:11: error: 'title': unknown language 'kz': texts are given as "
        "kk, ru and en\n    write the text in the brief's languages (brief.yaml languages:): "
        "{kk: ..., ru: ..., en: ...}" in result.output
    ), result.output


def test_a_project_in_english_alone_needs_no_other_catalog(mini: Path):
    write(mini / "brief.yaml", "languages: [en]\n")
    shutil.rmtree(mini / "templates" / "locale" / "kk")
    (mini / "templates" / "house" / "kk.yaml").unlink()
    result = Cli(mini)("check", "--date", BRIEF_DATE)
    assert result.exit_code == 0, result.output
    assert "kk" not in result.output.replace("kz-tr", "")
    built = Cli(mini)("build", "kz-tr", "--date", BRIEF_DATE, "--out", str(mini / "out"))
    assert built.exit_code == 0, built.output
    assert sorted(p.name for p in (mini / "out").glob("*.pdf")) == [
        f"{BRIEF_DATE}_kz-tr_{kind}_en.pdf" for kind in ("background", "meeting")
    ]
    wrong = Cli(mini)("build", "kz-tr", "--lang", "kk", "--date", BRIEF_DATE)
    assert wrong.exit_code == 2
    assert "the brief's languages are en" in wrong.output
