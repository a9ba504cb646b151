"""Facts against the kept text of their source: each figure found however the source writes it,
each one missing reported at its line with the nearest passage of the source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import BRIEF_DATE, Cli, write

from generator.checks.provenance import check_provenance
from generator.errors import Finding, Findings
from generator.facts.project import load_project

SOURCE = """\
id: test-source
kind: news
language: kk
title: {kk: Сынақ дереккөзі, ru: Тестовый источник, en: Test source}
publisher: {kk: Баспагер, ru: Издатель, en: Publisher}
date: 2025-10-21
"""

# the source's own words, as an analyst would paste them: wrapped lines, a hyphenated word,
# no-break spaces, figures in words, ordinals and a roman numeral
TEXT = """\
Бірлескен стратегиялық жоспарлау тобының 8-ші отырысы
2026 жылғы 2 ақпанда Анкарада Сыртқы істер министрлері кездесті.

Түркия 1991 жылғы 16 желтоқсанда Қазақстанның тәуелсіздігін бірінші болып таныды.
2021 жылы өзара сауда көлемі 33,3 пайызға ұлғайып, 4,1 миллиард долларға жет-
ті. Қазақстаннан экспорт үш миллиард долларды құрады. Импорт 1\u00a0100\u00a0000\u00a0000
долларды құрады.
Былтыр Бакуде ғылым және білім орталығы ашылды.
Орталық Азия мемлекеттері басшыларының VII Консультативтік кездесуі өтті.
«Біз тауар айналымын 10 миллиард долларға дейін жеткізуіміз керек», – деді Президент.
"""

DOSSIER = """\
pair: kz-tr
countries: [KZ, TR]
key_dates:
  - kind: recognition
    date: 1991-12-16
    text: {kk: Түркия тәуелсіздікті бірінші болып таныды, en: Türkiye recognises it first}
    source: test-source
  - kind: other
    date: {value: 2024, written: былтыр}
    text: {kk: Бакуде ғылым орталығы ашылды, en: A science centre opens in Baku}
    source: test-source
  - kind: other
    date: {value: 2019-05, inferred: true, note: {en: The month follows from the context.}}
    text: {kk: Ғылым орталығы туралы келісім, en: Agreement on the science centre}
    source: test-source
mechanisms:
  - id: jspg
    name: {kk: Бірлескен стратегиялық жоспарлау тобы, en: Joint Strategic Planning Group}
    source: test-source
    sessions:
      - number: 8
        date: 2026-02-02
        text: {kk: Министрлер 2026 жылғы 2 ақпанда кездесті, en: They met on 2 February 2026}
        source: test-source
  - id: ca
    name: {kk: Консультативтік кездесу, en: Consultative Meeting}
    source: test-source
    sessions:
      - number: 7
        date: {value: 2025, inferred: true}
        source: test-source
trade:
  - year: 2021
    turnover: 4.1 bn USD
    exports: 3 bn USD
    imports: 1.1 bn USD
    note:
      kk: Айналым 33,3 %-ға өсті
      en: Turnover grew by 33.3 %
    source: test-source
quotes:
  - speaker: tokayev
    verbatim: true
    text:
      kk: Біз тауар айналымын 10 миллиард долларға дейін жеткізуіміз керек.
      en: We must bring trade up to 10 billion dollars.
    source: test-source
investment:
  - id: fund-1234
    text: {kk: Бірлескен инвестициялық қор, en: A joint investment fund}
    amount: 4.1 bn USD
    source: test-source
talking_points:
  - text:
      kk: "{investment fund-1234} — 2024 жылы ашылған орталық"
      en: "{investment fund-1234} — a centre opened in 2024"
    source: test-source
"""

PEOPLE = """\
people:
  - id: tokayev
    name: {kk: Қасым-Жомарт Тоқаев, ru: Касым-Жомарт Токаев, en: Kassym-Jomart Tokayev}
    offices:
      - title: {kk: Президент, ru: Президент, en: President}
        country: KZ
        from: 2026-02
        source: test-source
"""


@pytest.fixture
def kept(empty_project: Path) -> Path:
    """A small project whose one source keeps its text beside its record; all figures agree."""
    write(empty_project / "sources" / "test-source.yaml", SOURCE)
    write(empty_project / "sources" / "test-source.txt", TEXT)
    write(empty_project / "briefs" / "kz-tr.yaml", DOSSIER)
    write(empty_project / "briefs" / "people.yaml", PEOPLE)
    return empty_project


def provenance(root: Path) -> list[Finding]:
    """The provenance findings of a project (none of the other checks run)."""
    project = load_project(root)
    assert not project.findings.errors, [f.format() for f in project.findings.errors]
    findings = Findings()
    check_provenance(project, sorted(project.dossiers), findings)
    return findings.sorted()


def change(root: Path, rel: str, old: str, new: str) -> int:
    """Replace `old` (once) in a project file; the line it is on."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_every_figure_in_the_text_gives_no_finding(kept: Path):
    # decimal comma, no-break spaced thousands, scale and number words, an ordinal, a roman
    # numeral, a date the source words relatively, an inferred date, a verbatim statement
    assert provenance(kept) == []


def test_a_wrong_amount_is_reported_at_its_line_with_the_nearest_passage(kept: Path):
    line = change(kept, "briefs/kz-tr.yaml", "turnover: 4.1 bn USD", "turnover: 4.2 bn USD")
    [finding] = provenance(kept)
    assert finding.format() == (
        f"briefs/kz-tr.yaml:{line}: warning: 4.2 bn USD is not in the text of source "
        "test-source: nearest passage «2021 жылы өзара сауда көлемі 33,3 пайызға ұлғайып, "
        "4,1 миллиард долларға жетті.»\n"
        "    correct the figure to the source's, or cite the source that gives it"
    )
    assert (finding.code, finding.severity) == ("provenance", "warning")


@pytest.mark.parametrize(
    "written",
    [
        "4,1 млрд долларға жетті",
        "4.1 billion dollars",
        "4 100 000 000 долларға жетті",
        "4\u202f100\u202f000\u202f000 доллар",
        "4,100,000,000 USD",
        "төрт миллиард жүз миллион",  # not said: the words give 4 and 100, not 4.1
    ],
)
def test_an_amount_is_found_however_the_source_writes_it(kept: Path, written: str):
    change(kept, "sources/test-source.txt", "4,1 миллиард долларға жет-\nті", written)
    found = [f.message for f in provenance(kept)]
    if written.startswith("төрт"):
        assert found[0].startswith("4.1 bn USD is not in the text"), found
    else:
        assert found == []


@pytest.mark.parametrize("ordinal", ["8-ші", "8-е", "8th", "VIII", "сегізінші", "восьмое"])
def test_a_session_number_may_be_an_ordinal_or_a_roman_numeral(kept: Path, ordinal: str):
    change(kept, "sources/test-source.txt", "8-ші отырысы", f"{ordinal} отырысы")
    assert provenance(kept) == []


def test_a_number_the_source_does_not_give_is_reported(kept: Path):
    line = change(kept, "briefs/kz-tr.yaml", "      - number: 7\n", "      - number: 9\n")
    [finding] = provenance(kept)
    assert finding.line == line
    assert finding.message.startswith("the number 9 is not in the text of source test-source")


def test_a_wrong_day_is_reported_and_the_hint_says_what_to_do(kept: Path):
    line = change(kept, "briefs/kz-tr.yaml", "date: 1991-12-16", "date: 1991-12-17")
    [finding] = provenance(kept)
    assert finding.line == line
    assert finding.message.startswith(
        "the day 17 of 'date: 1991-12-17' is not in the text of source test-source: nearest "
        "passage «Түркия 1991 жылғы 16 желтоқсанда Қазақстанның тәуелсіздігін"
    )
    assert "'inferred: true' with a note" in finding.hint


def test_an_inferred_date_is_not_looked_for(kept: Path):
    change(kept, "briefs/kz-tr.yaml", "value: 2025, inferred: true", "value: 2031, inferred: true")
    assert provenance(kept) == []


def test_a_relative_date_needs_its_words(kept: Path):
    line = change(kept, "briefs/kz-tr.yaml", "written: былтыр", "written: биыл")
    [finding] = provenance(kept)
    assert finding.line == line
    assert finding.message.startswith("the words 'биыл' of 'date: 2024' are not in the text")


def test_a_relative_date_without_its_words_is_told_to_keep_them(kept: Path):
    line = change(kept, "briefs/kz-tr.yaml", "{value: 2024, written: былтыр}", "2024")
    [finding] = provenance(kept)
    assert finding.line == line
    assert finding.message.startswith("the year 2024 of 'date: 2024' is not in the text")
    assert finding.hint == (
        "the source gives 2024 as 'Былтыр': write the date as {value: 2024, written: Былтыр}"
    )


def test_a_year_in_a_text_may_be_given_relative_to_the_source_date(kept: Path):
    # "Былтыр" in a source of 21 October 2025 is 2024, as the talking point says; read against
    # a date of the source that is itself inferred, 2024 would be the analyst's own reading
    change(
        kept,
        "sources/test-source.yaml",
        "date: 2025-10-21",
        "date: {value: 2025-10, inferred: true}",
    )
    [finding] = provenance(kept)
    assert finding.message.startswith("the figure 2024 of the kk text is not in the text")
    assert finding.hint.endswith(
        "the source gives 2024 only as 'Былтыр', read against its own date, which is "
        "inferred (2025-10)"
    )


def test_a_number_in_a_text_is_reported_at_the_line_of_its_language(kept: Path):
    line = change(
        kept, "briefs/kz-tr.yaml", "kk: Министрлер 2026 жылғы", "kk: Министрлер 2027 жылғы"
    )
    [finding] = provenance(kept)
    assert finding.line == line
    assert finding.message.startswith(
        "the figure 2027 of the kk text is not in the text of source test-source: nearest "
        "passage «Бірлескен стратегиялық жоспарлау тобының 8-ші отырысы 2026 жылғы 2 ақпанда"
    )


def test_the_text_in_the_source_language_is_compared(kept: Path):
    # the kk text is right; a wrong figure in the en text is not the source's to judge
    change(kept, "briefs/kz-tr.yaml", "met on 2 February 2026", "met on 3 February 2026")
    assert provenance(kept) == []


def test_percents_ranges_and_placeholders(kept: Path):
    change(
        kept, "briefs/kz-tr.yaml", "Айналым 33,3 %-ға өсті", "Айналым 33,3 %-ға (2021–2022) өсті"
    )
    found = provenance(kept)
    assert [f.message.split(" is not")[0] for f in found] == ["the figure 2022 of the kk note"]


def test_verbatim_words_must_occur_as_written(kept: Path):
    line = change(kept, "briefs/kz-tr.yaml", "долларға дейін жеткізуіміз", "долларға жеткізуіміз")
    [finding] = provenance(kept)
    assert finding.line == line
    assert finding.message.startswith(
        "the words given as Kassym-Jomart Tokayev's own (kk) are not in the text of source "
        "test-source: nearest passage ««Біз тауар айналымын 10 миллиард"
    )
    assert "set 'verbatim: false'" in finding.hint


def test_reported_speech_is_not_held_to_the_words(kept: Path):
    change(kept, "briefs/kz-tr.yaml", "долларға дейін жеткізуіміз", "долларға жеткізуіміз")
    change(kept, "briefs/kz-tr.yaml", "verbatim: true", "verbatim: false")
    assert provenance(kept) == []


def test_verbatim_words_ignore_case_quotes_dashes_and_line_breaks(kept: Path):
    change(
        kept,
        "sources/test-source.txt",
        "«Біз тауар айналымын 10 миллиард долларға дейін",
        "«БІЗ тауар айналымын 10 миллиард\nдолларға — дейін",
    )
    change(kept, "briefs/kz-tr.yaml", "долларға дейін", "долларға – дейін")
    assert provenance(kept) == []


def test_an_office_in_people_is_checked_too(kept: Path):
    line = change(kept, "briefs/people.yaml", "from: 2026-02", "from: 2019-06")
    [finding] = provenance(kept)
    assert (finding.path, finding.line) == ("briefs/people.yaml", line)
    assert finding.message.startswith("the year 2019 of 'from: 2019-06' is not in the text")


def test_a_text_without_a_record(kept: Path):
    write(kept / "sources" / "test-sourse.txt", TEXT)
    [finding] = provenance(kept)
    assert finding.format() == (
        "sources/test-sourse.txt: warning: the text sources/test-sourse.txt belongs to no "
        "source: there is no sources/test-sourse.yaml\n"
        "    did you mean 'test-source'? name a kept text after its source, sources/<id>.txt "
        "beside sources/<id>.yaml, or delete it"
    )


def test_a_text_that_is_not_utf8(kept: Path):
    (kept / "sources" / "test-source.txt").write_bytes("Текст\nторговля".encode("cp1251"))
    [finding] = provenance(kept)
    assert (finding.path, finding.line, finding.severity) == (
        "sources/test-source.txt",
        1,
        "warning",
    )
    assert finding.message.startswith("the file is not UTF-8")
    assert finding.hint and "UTF-8" in finding.hint


def test_a_text_that_is_a_folder(kept: Path):
    (kept / "sources" / "test-source.txt").unlink()
    (kept / "sources" / "test-source.txt").mkdir()
    [finding] = provenance(kept)
    assert (finding.path, finding.severity) == ("sources/test-source.txt", "warning")
    assert "not a regular file" in finding.message


def test_no_kept_text_no_provenance_findings(kept: Path):
    (kept / "sources" / "test-source.txt").unlink()
    change(kept, "briefs/kz-tr.yaml", "turnover: 4.1 bn USD", "turnover: 4.2 bn USD")
    assert provenance(kept) == []


def test_a_build_does_not_read_the_kept_texts(kept: Path):
    from generator.commands.build import fact_files

    assert all(p.suffix == ".yaml" for p in fact_files(kept, ("kz-tr",)))


def test_brief_check_reports_it_as_a_warning(kept: Path):
    line = change(kept, "briefs/kz-tr.yaml", "exports: 3 bn USD", "exports: 3.5 bn USD")
    result = Cli(kept)("check", "--date", BRIEF_DATE, "--format", "json")
    found = [f for f in json.loads(result.output) if f["code"] == "provenance"]
    assert [(f["file"], f["line"], f["severity"]) for f in found] == [
        ("briefs/kz-tr.yaml", line, "warning")
    ]
    assert found[0]["message"].startswith("3.5 bn USD is not in the text of source test-source")
    assert result.exit_code == 0
