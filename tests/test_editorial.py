"""What an editor signs: figures with their age and their disagreements, notes of inferred
dates, undated events, prose that names figures and people, statements as said."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import Cli, brief_text, plain, write

PEOPLE = """\
people:
  - id: tokayev
    name: {kk: Қасым-Жомарт Тоқаев, ru: Касым-Жомарт Токаев, en: Kassym-Jomart Tokayev}
    protocol:
      full: {kk: Қазақстан Президенті Қасым-Жомарт Тоқаев, ru: Президент Казахстана Касым-Жомарт Токаев, en: President of Kazakhstan Kassym-Jomart Tokayev}
      short: {kk: Президент Тоқаев, ru: Президент Токаев, en: President Tokayev}
"""

FACTS = """\
summary:
  - text:
      kk: "{person tokayev} айналымды {target trade-goal to} жеткізуді ұсынды; 2024 жылы ол {trade 2024 turnover} болды."
      ru: "{person tokayev} предложил довести товарооборот до {target trade-goal}; в 2024 году он составил {trade 2024 turnover}."
      en: "{person tokayev} proposed raising trade to {target trade-goal}; in 2024 it was {trade 2024 turnover}."
    source: test-source
cooperation:
  - text:
      kk: "{person tokayev} көлік дәлізін атап өтті."
      ru: "{person tokayev} отметил транспортный коридор."
      en: "{person tokayev} stressed the transport corridor."
    source: test-source
targets:
  - id: trade-goal
    text: {kk: Тауар айналымын арттыру, ru: Увеличить товарооборот, en: Raise trade}
    metric: turnover
    amount: 20 bn USD
    source: test-source
quotes:
  - speaker: tokayev
    date: 2025-12-01
    text:
      kk: екі елдің ынтымақтастығы тереңдей беретінін айтты.
      ru: заявил, что сотрудничество двух стран будет углубляться.
      en: said that the two countries' cooperation would deepen.
    source: test-source
  - speaker: tokayev
    date: 2025-12-02
    verbatim: true
    text:
      kk: Біз бауырлас елміз.
      ru: Мы братские страны.
      en: We are brotherly nations.
    source: test-source
events:
  - title: {kk: Кеңес отырысы, ru: Заседание совета, en: Council meeting}
    source: test-source
"""


def text_of(root: Path, lang: str, on: str = "2026-02-02", kind: str = "background") -> str:
    return brief_text(root, lang=lang, on=on, kind=kind)


@pytest.fixture
def editorial(mini: Path) -> Path:
    write(mini / "briefs" / "people.yaml", PEOPLE)
    dossier = mini / "briefs" / "kz-tr.yaml"
    dossier.write_text(dossier.read_text() + FACTS)
    return mini


def add_inferred_visit(root: Path) -> None:
    """A visit whose month the analyst worked out, with a note for the reader."""
    dossier = root / "briefs" / "kz-tr.yaml"
    dossier.write_text(
        dossier.read_text()
        + "visits:\n  - date: {value: 2025-10, inferred: true, note: {kk: Айы мәтіннен алынды.,"
        " ru: Месяц выведен из текста., en: The month follows from the text.}}\n"
        "    level: talks\n    title: {kk: Келіссөздер, ru: Переговоры, en: Talks}\n"
        "    source: test-source\n"
    )


def add_trade(root: Path, rows: str) -> None:
    dossier = root / "briefs" / "kz-tr.yaml"
    text = dossier.read_text()
    head, _, tail = text.partition("trade:\n")
    body, _, rest = tail.partition("\nsummary:")
    dossier.write_text(head + "trade:\n" + rows + "\nsummary:" + rest)


# ---- figures: age and disagreement ----------------------------------------------------------


def test_a_stale_key_figure_shows_its_year_and_is_not_a_silent_base(editorial: Path):
    """The 2024 figure is two years old in 2026-02 (not stale), four years in 2028."""
    fresh = text_of(editorial, "en", "2026-02-02")
    assert "Trade turnover in 2024: US$10 billion" in fresh
    assert "the 2024 figure is 50% of it" in fresh
    old = text_of(editorial, "en", "2028-02-02")
    assert "Trade turnover in 2024, the latest year in the sources: US$10 billion" in old
    assert "the 2024 figure is 50% of it" in old
    ru = text_of(editorial, "ru", "2028-02-02")
    assert "Товарооборот за 2024 год (последний год в источниках): 10 млрд долларов США" in ru


def test_a_conflict_between_sources_is_shown_in_the_brief(editorial: Path):
    add_trade(
        editorial,
        "  - year: 2024\n    turnover: 10 bn USD\n    source: test-source\n"
        "    alternatives:\n      - turnover: 12.5 bn USD\n        source: test-source\n",
    )
    for lang, words in {
        "en": "other figures given: US$12.5 billion",
        "ru": "другие данные: 12,5 млрд долларов США",
        "kk": "басқа деректер: 12,5 млрд АҚШ доллары",
    }.items():
        assert words in text_of(editorial, lang), lang
    assert "The sources also give US$12.5 billion." in text_of(editorial, "en")


def test_a_partial_year_says_its_period_and_gives_no_change(editorial: Path):
    add_trade(
        editorial,
        "  - year: 2024\n    turnover: 10 bn USD\n    source: test-source\n"
        "  - year: 2025\n    turnover: 9 bn USD\n    partial: {kk: қаңтар–қазан, ru: январь–октябрь,"
        " en: January–October}\n    source: test-source\n",
    )
    text = text_of(editorial, "en")
    assert "2025 January–October US$9 billion" in text
    assert "Change" not in text  # no year has a change to show: the column is left out
    assert "Trade turnover in 2024" in text  # the key figure is the last full year


# ---- prose that names figures and people ----------------------------------------------------


def test_prose_names_figures_in_each_languages_house_style(editorial: Path):
    assert "proposed raising trade to US$20 billion; in 2024 it was US$10 billion" in text_of(
        editorial, "en"
    )
    assert "довести товарооборот до 20 млрд долларов США; в 2024 году он составил 10 млрд" in (
        text_of(editorial, "ru")
    )
    assert "айналымды 20 млрд АҚШ долларына жеткізуді ұсынды" in text_of(editorial, "kk")


def test_a_person_is_named_in_full_once_and_in_short_after(editorial: Path):
    text = text_of(editorial, "en")
    assert text.count("President of Kazakhstan Kassym-Jomart Tokayev") == 1
    first = text.index("President of Kazakhstan Kassym-Jomart Tokayev proposed")
    assert text.index("President Tokayev stressed the transport corridor") > first
    ru = text_of(editorial, "ru")
    assert "Президент Казахстана Касым-Жомарт Токаев предложил" in ru
    assert "Президент Токаев отметил" in ru


@pytest.mark.parametrize(
    "placeholder, message",
    [
        ("{trade 2019 turnover}", "the facts of this brief give no turnover for 2019"),
        ("{person tokaev}", "no person has the id 'tokaev'"),
        ("{figure 2024}", "'figure' is not a kind of figure or person a text can name"),
    ],
)
def test_a_placeholder_that_names_nothing_is_a_located_error_in_check_and_build(
    editorial: Path, placeholder: str, message: str
):
    dossier = editorial / "briefs" / "kz-tr.yaml"
    dossier.write_text(dossier.read_text().replace('{trade 2024 turnover}."', placeholder + '."'))
    line = next(
        n for n, text in enumerate(dossier.read_text().splitlines(), 1) if placeholder in text
    )
    where = f"briefs/kz-tr.yaml:{line}: error: {placeholder}: {message}"
    check = Cli(editorial)("check", "--date", "2026-02-02")
    build = Cli(editorial)(
        "build",
        "kz-tr",
        "--format",
        "html",
        "--date",
        "2026-02-02",
        "--out",
        str(editorial / "out"),
    )
    assert check.exit_code == build.exit_code == 1, (check.output, build.output)
    assert where in check.output and where in build.output, (check.output, build.output)
    assert "Traceback" not in check.output + build.output
    # an error in a dossier stops every brief of the pair, as check's verdict does, not only
    # the briefs that show the text (ru, en): the next build has nothing stale to trust
    assert not list((editorial / "out").glob("*.html"))


# ---- statements, notes, undated events ------------------------------------------------------


def test_a_paraphrase_is_reported_speech_and_only_own_words_are_quoted(editorial: Path):
    from generator.facts.project import load_project
    from generator.render.brief import render_brief

    project = load_project(editorial, ["kz-tr"])
    html = render_brief(
        project, "kz-tr", lang="ru", kind="background", on=dt.date(2026, 2, 2)
    ).document.html
    section = html[html.index('id="quotes"') :]
    section = plain(section[: section.index("</section>")])
    assert "«Мы братские страны.»" in section
    assert "«заявил" not in section and "заявил, что сотрудничество" in section
    assert section.count("<blockquote>") == 1


def test_an_inferred_dates_note_reaches_the_page(mini: Path):
    add_inferred_visit(mini)
    text = text_of(mini, "en")
    assert "probably October 2025 1" in text
    assert "Notes 1 The month follows from the text." in text
    ru = text_of(mini, "ru")
    assert "предположительно октябрь 2025 г. 1" in ru
    assert "Примечания 1 Месяц выведен из текста." in ru


def test_an_event_without_a_date_says_so(editorial: Path):
    assert "date not stated: Council meeting" in text_of(editorial, "en")
    assert "дата не указана: Заседание совета" in text_of(editorial, "ru")
    assert "күні көрсетілмеген: Кеңес отырысы" in text_of(editorial, "kk")


def test_citation_and_note_numbers_are_raised_in_word(mini: Path):
    """Word: the number inside a citation's or a note's link is superscript, in the citation
    style (an internal link does not take the hyperlink look)."""
    import zipfile

    from lxml import etree

    add_inferred_visit(mini)
    result = Cli(mini)(
        "build", "kz-tr", "--lang", "en", "--format", "docx", "--date", "2026-02-02",
        "--out", str(mini / "out"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    docx = next((mini / "out").glob("*_background_en.docx"), None)
    assert docx is not None, sorted(p.name for p in (mini / "out").iterdir())
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    links = [
        link
        for link in body.iter(f"{w}hyperlink")
        if link.get(f"{w}anchor", "").startswith(("src-", "note-"))
    ]
    assert {link.get(f"{w}anchor") for link in links} >= {"src-1", "note-1"}
    for link in links:
        for run in link.iter(f"{w}r"):
            assert run.find(f"{w}rPr/{w}vertAlign").get(f"{w}val") == "superscript"
            assert run.find(f"{w}rPr/{w}rStyle").get(f"{w}val") != "Hyperlink"


def test_a_trade_year_worked_out_reads_as_probable(editorial: Path):
    add_trade(
        editorial,
        "  - year: 2024\n    turnover: 8 bn USD\n    source: test-source\n"
        "  - year: {value: 2025, inferred: true, note: {kk: Жыл болжанды., ru: Год выведен.,"
        " en: The year is worked out from 'last year'.}}\n"
        "    turnover: 10 bn USD\n    source: test-source\n",
    )
    text = text_of(editorial, "en")
    assert "probably 2025 1 US$10 billion" in text
    assert "Trade turnover, probably 2025 1 : US$10 billion (+25%) [1]" in text, text
    assert "Notes 1 The year is worked out from 'last year'." in text
    assert "Товарооборот, предположительно 2025 г. 1 : 10 млрд долларов США" in text_of(
        editorial, "ru"
    )


def test_a_trade_year_with_details_is_a_number_with_a_date(editorial: Path):
    add_trade(editorial, "  - year: {value: 2025-10, inferred: true}\n    source: test-source\n")
    result = Cli(editorial)("check", "--date", "2026-02-02")
    assert result.exit_code == 1
    assert "briefs/kz-tr.yaml:9: error:" in result.output and "with the year as a number" in (
        result.output
    ), result.output


def test_an_event_known_from_an_old_source_says_when_it_was_announced(editorial: Path):
    """15 January is 17 days before 2 February (fresh), 45 days before 1 March (said)."""
    assert "as announced" not in text_of(editorial, "en", "2026-02-02")
    later = text_of(editorial, "en", "2026-03-01")
    assert "date not stated: Council meeting (as announced on 15 January 2026)" in later
    assert "(как объявлено 15 января 2026 года)" in text_of(editorial, "ru", "2026-03-01")


def test_a_mechanisms_latest_meeting_may_be_undated(mini: Path):
    dossier = mini / "briefs" / "kz-tr.yaml"
    dossier.write_text(
        dossier.read_text()
        + "mechanisms:\n  - id: council\n    name: {kk: Кеңес, ru: Совет, en: Council}\n"
        "    source: test-source\n    sessions:\n"
        "      - {number: 4, date: 2022-10-12, source: test-source}\n"
        "      - {number: 5, source: test-source}\n"
    )
    assert "Latest meeting in the sources: the 5th, date not stated." in text_of(mini, "en")
