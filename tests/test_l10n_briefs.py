"""Whole briefs in each language: no English in kk and ru, no raw catalog keys, no fallback in
a shipped dossier, a visible and reported fallback otherwise, and the language in every file."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from babel.messages.pofile import read_po
from conftest import BRIEF_DATE, MINI_DOSSIER, REPO, Cli, plain, write
from lxml import etree

from generator.facts.paths import kinds
from generator.facts.project import load_project
from generator.facts.walk import texts
from generator.render.brief import render_brief

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


@pytest.fixture(scope="module")
def shipped():
    """The repository's own project, read once."""
    return load_project(REPO)


def briefs(project):
    for pair in sorted(project.dossiers):
        for kind in kinds(project.templates):
            for lang in ("kk", "ru"):
                yield pair, kind, lang


def fact_words(project, lang: str) -> set[str]:
    """Latin-script words the facts themselves use in `lang` (names such as Yıldız Holding)."""
    words: set[str] = set()
    models = [
        *project.dossiers.values(),
        *project.sources.values(),
        *project.people.values(),
        *project.organisations.values(),
        project.config,
    ]
    for model in models:
        for _, text in texts(model, ()):
            words |= set(LATIN_WORD.findall(text.get(lang) or ""))
    return words


def visible_text(html: str) -> str:
    """What a reader sees or hears: body text, the title, image descriptions, running heads."""
    root = etree.fromstring(html.encode(), etree.HTMLParser())
    for node in root.iter("sup"):  # citation numbers
        node.text = None
    parts = ["".join(root.find("body").itertext()), root.findtext("head/title") or ""]
    parts += [img.get("alt", "") for img in root.iter("img")]
    parts += [
        m.get("content", "")
        for m in root.iter("meta")
        if m.get("name")
        in ("description", "keywords", "brief:marking", "brief:running", "brief:draft")
    ]
    # the footer's page numbers are filled in by the writers
    page_of = root.find("head/meta[@name='brief:page-of']")
    parts.append(page_of.get("content").format(page=1, pages=8) if page_of is not None else "")
    return "\n".join(parts)


def msgid_pieces() -> set[str]:
    """The literal words of every catalog entry, between its placeholders."""
    with (REPO / "templates/locale/en/LC_MESSAGES/messages.po").open("rb") as fp:
        catalog = read_po(fp)
    pieces: set[str] = set()
    for message in catalog:
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            for piece in PLACEHOLDER.split(msgid):
                if len(piece.strip(" .,:;()")) >= 4:
                    pieces.add(piece.strip(" .,:;()"))
    return pieces


def test_kazakh_and_russian_briefs_contain_no_english_and_no_catalog_keys(shipped):
    pieces = msgid_pieces()
    assert "Key dates" in pieces
    checked = 0
    for pair, kind, lang in briefs(shipped):
        rendered = render_brief(shipped, pair, lang=lang, kind=kind, on=dt.date(2026, 2, 2))
        html = rendered.document.html
        where = f"{pair} {kind} {lang}"
        assert rendered.warnings == (), (where, [f.format() for f in rendered.warnings])
        assert 'class="fallback"' not in html, where
        text = visible_text(html)
        for source in shipped.sources.values():
            if source.url:
                text = text.replace(source.url, " ")
        assert not PLACEHOLDER.search(text), (where, PLACEHOLDER.search(text).group())
        assert "\ue000" not in html and "\ue001" not in html, where
        for piece in pieces:
            assert piece not in text, (where, piece)
        allowed = fact_words(shipped, lang)
        english = sorted(set(LATIN_WORD.findall(text)) - allowed)
        assert english == [], (where, english)
        checked += 1
    assert checked >= 2 * len(shipped.dossiers)


def test_english_briefs_of_shipped_dossiers_have_no_fallback_either(shipped):
    for pair in sorted(shipped.dossiers):
        for kind in kinds(shipped.templates):
            rendered = render_brief(shipped, pair, lang="en", kind=kind, on=dt.date(2026, 2, 2))
            assert rendered.warnings == (), [f.format() for f in rendered.warnings]


# ---- a fact without Kazakh text: visible, reported, and tagged with its language ----------

NO_KAZAKH = MINI_DOSSIER.replace(
    "text: {kk: Дипломатиялық қатынастар орнатылды, ru: Установлены дипломатические "
    "отношения, en: Diplomatic relations established}",
    "text: {ru: Установлены дипломатические отношения, en: Diplomatic relations established}",
)


@pytest.fixture
def no_kazakh(mini: Path) -> Path:
    assert NO_KAZAKH != MINI_DOSSIER
    write(mini / "briefs" / "kz-tr.yaml", NO_KAZAKH)
    return mini


def line_of(path: Path, needle: str) -> int:
    return next(
        i
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if needle in line
    )


def test_a_text_missing_the_briefs_language_is_shown_marked_and_reported(no_kazakh: Path):
    out = no_kazakh / "out"
    result = Cli(no_kazakh)(
        "build",
        "kz-tr",
        "--lang",
        "kk,ru",
        "--format",
        "html,docx,pdf",
        "--kind",
        "background",
        "--date",
        BRIEF_DATE,
        "--out",
        str(out),
        "--jobs",
        "1",
    )
    assert result.exit_code == 0, result.output
    line = line_of(no_kazakh / "briefs" / "kz-tr.yaml", "text: {ru:")
    assert (
        f"briefs/kz-tr.yaml:{line}: warning: the text of 'text' has no kk version: "
        "'Diplomatic relations established'"
    ) in result.output
    assert "until then the kk brief shows the ru text, marked" in result.output
    assert "has no ru version" not in result.output
    name = f"{BRIEF_DATE}_kz-tr_background"
    html = plain((out / f"{name}_kk.html").read_text(encoding="utf-8"))
    assert '<span class="fallback" lang="ru">Установлены дипломатические отношения</span>' in html
    assert 'class="fallback"' not in (out / f"{name}_ru.html").read_text(encoding="utf-8")
    # the Word file marks it the same way and tags the run as Russian
    with zipfile.ZipFile(out / f"{name}_kk.docx") as z:
        body = re.sub(r"</w:t><w:softHyphen/><w:t[^>]*>", "", z.read("word/document.xml").decode())
    assert "[ru] " in body
    run = re.search(
        r"<w:r>(?:(?!</w:r>).)*Установлены дипломатические(?:(?!</w:r>).)*</w:r>", body, re.S
    )
    assert run and '<w:lang w:val="ru-RU"/>' in run.group()


@pytest.mark.parametrize("lang,tag", [("kk", "kk-KZ"), ("ru", "ru-RU"), ("en", "en-GB")])
def test_the_briefs_language_reaches_html_pdf_and_docx(mini: Path, lang, tag):
    out = mini / "out"
    result = Cli(mini)(
        "build",
        "kz-tr",
        "--lang",
        lang,
        "--format",
        "html,docx,pdf",
        "--kind",
        "background",
        "--date",
        BRIEF_DATE,
        "--out",
        str(out),
        "--jobs",
        "1",
    )
    assert result.exit_code == 0, result.output
    name = f"{BRIEF_DATE}_kz-tr_background_{lang}"
    html = (out / f"{name}.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in html
    with pikepdf.open(out / f"{name}.pdf") as pdf:
        assert str(pdf.Root.Lang) == lang
    with zipfile.ZipFile(out / f"{name}.docx") as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
        core = z.read("docProps/core.xml").decode()
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    normal = styles.find(f"{w}style[@{w}styleId='Normal']")
    assert normal.find(f"{w}rPr/{w}lang").get(f"{w}val") == tag
    defaults = styles.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr/{w}lang")
    assert defaults is None or defaults.get(f"{w}val") == tag
    assert f"<dc:language>{tag}</dc:language>" in core


def test_a_name_without_a_reviewed_form_is_reported_against_the_house_style(mini: Path):
    dossier = mini / "briefs" / "kz-tr.yaml"
    dossier.write_text(
        dossier.read_text(encoding="utf-8")
        + (
            "representation:\n"
            "  - country: FR\n"
            "    kind: embassy\n"
            "    city: {kk: Анкара, ru: Анкара, en: Ankara}\n"
            "    source: test-source\n"
        ),
        encoding="utf-8",
    )
    result = Cli(mini)(
        "build",
        "kz-tr",
        "--lang",
        "kk",
        "--format",
        "html",
        "--kind",
        "background",
        "--date",
        BRIEF_DATE,
        "--out",
        str(mini / "out"),
    )
    assert result.exit_code == 0, result.output
    line = line_of(mini / "templates" / "house" / "kk.yaml", "countries:")
    assert (
        f"templates/house/kk.yaml:{line}: warning: the house style has no 'of' form of the "
        "country FR; the brief shows 'Франция'"
    ) in result.output
    html = plain((mini / "out" / f"{BRIEF_DATE}_kz-tr_background_kk.html").read_text("utf-8"))
    assert "Франция елшілігі" in html


@pytest.mark.parametrize(
    "on, expected",
    [
        ("2026-03-01", {
            "en": "34 years of diplomatic relations on 2 March 2026",
            "ru": "2 марта 2026 года исполнится 34 года дипломатическим отношениям",
            "kk": "2026 жылғы 2 наурызда дипломатиялық қатынастардың орнағанына 34 жыл толады",
        }),
        ("2026-03-02", {
            "en": "34 years of diplomatic relations",
            "ru": "34 года дипломатических отношений",
            "kk": "Дипломатиялық қатынастарға 34 жыл",
        }),
        ("2025-08-01", {
            "en": "33 years of diplomatic relations",
            "ru": "33 года дипломатических отношений",
            "kk": "Дипломатиялық қатынастарға 33 жыл",
        }),
    ],
)  # fmt: skip
def test_years_of_relations_are_true_to_the_day(mini: Path, on: str, expected: dict):
    """Relations established 1992-03-02: the day before the anniversary says it is coming,
    the day itself counts it; half a year before, the years passed."""
    from generator.facts.project import load_project
    from generator.render.brief import render_brief

    source = mini / "sources" / "test-source.yaml"
    source.write_text(source.read_text().replace("2026-01-15", "1993-01-15"))
    project = load_project(mini, ["kz-tr"])
    for lang, words in expected.items():
        html = render_brief(
            project, "kz-tr", lang=lang, kind="background", on=dt.date.fromisoformat(on)
        ).document.html
        box = html[html.index('class="factbox"') :]
        text = " ".join(re.sub(r"<[^>]+>", " ", box[: box.index("</aside>")]).split())
        assert words in plain(text), (lang, text)
