"""Small mistakes said plainly: a comma that splits a one-line text, a source recorded twice,
the command that rebuilds templates/reference.docx."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BRIEF_DATE, MINI_SOURCE, Cli, build, write

from generator.errors import ValueProblem
from generator.facts.values import Text

DATE_LINE = "    date: 1992-03-02\n"
TEXT_LINE = (
    "    text: {kk: Дипломатиялық қатынастар орнатылды, ru: Установлены дипломатические "
    "отношения, en: Diplomatic relations established}\n"
)


def check(root: Path, *args: str):
    return Cli(root)("check", "--date", BRIEF_DATE, *args)


def findings(output: str) -> list[str]:
    """The finding lines of `brief check` (not hints, not the summary)."""
    return [line for line in output.splitlines() if ": error: " in line or ": warning: " in line]


def facts_findings(output: str) -> list[str]:
    """The findings in the fact files (briefs/, sources/)."""
    return [line for line in findings(output) if line.startswith(("briefs/", "sources/"))]


def set_text(root: Path, text: str) -> None:
    dossier = root / "briefs" / "kz-tr.yaml"
    written = dossier.read_text("utf-8")
    assert TEXT_LINE in written
    dossier.write_text(written.replace(TEXT_LINE, f"    text: {text}\n"), "utf-8")


# ---- a comma inside a one-line text --------------------------------------------------------


def test_a_comma_in_a_one_line_text_is_said_at_its_line_with_the_quoted_text(mini: Path):
    set_text(mini, "{kk: Бір, екі, ru: Раз, en: One}")
    result = check(mini)
    assert result.exit_code == 1
    assert findings(result.output) == [
        "briefs/kz-tr.yaml:6: error: 'text': 'екі' is not a language — a comma inside a "
        "one-line {kk: …, ru: …} text splits it; put the text in quotes: "
        '{kk: "Бір, екі", …}'
    ], result.output
    assert (
        "    quote a text that has a comma, or write each of its languages on a line of its own"
        in result.output
    )
    assert "unknown language" not in result.output


def test_build_refuses_the_same_text_with_the_same_words(mini: Path):
    set_text(mini, "{kk: Бір, екі, ru: Раз, en: One}")
    result = build(mini, "kz-tr")
    assert result.exit_code != 0
    assert "'екі' is not a language — a comma inside a one-line" in result.output


def test_every_language_cut_at_a_comma_is_shown_quoted(mini: Path):
    set_text(mini, "{kk: Бір, екі, үш, ru: Раз, два, en: One, two}")
    assert findings(check(mini).output) == [
        "briefs/kz-tr.yaml:6: error: 'text': 'екі', 'үш', 'два' and 'two' are not languages "
        "— a comma inside a one-line {kk: …, ru: …} text splits it; put the text in quotes: "
        '{kk: "Бір, екі, үш", ru: "Раз, два", en: "One, two", …}'
    ]


def test_a_word_after_a_comma_that_is_a_language_code_is_not_kept_silently(mini: Path):
    # 'de' is a language code: the English text would have lost ', de' without a word
    set_text(mini, "{kk: Бір, ru: Раз, en: One, de}")
    assert findings(check(mini).output) == [
        "briefs/kz-tr.yaml:6: error: 'text': 'de' has no text — a comma inside a one-line "
        '{kk: …, ru: …} text splits it; put the text in quotes: {en: "One, de", …}'
    ]


def test_a_number_after_a_comma_is_shown_in_the_quoted_text(mini: Path):
    set_text(mini, "{kk: Бір, 2, ru: Раз, en: One}")
    assert '{kk: "Бір, 2", …}' in check(mini).output


def test_the_same_word_after_commas_in_two_languages_is_said_as_a_comma(mini: Path):
    set_text(mini, "{kk: Бір, USD, ru: Раз, USD, en: One}")
    result = check(mini)
    assert findings(result.output) == [
        "briefs/kz-tr.yaml:6: error: the key 'USD' appears twice in the same mapping — most "
        "likely it is a word after a comma inside a text: a comma splits a one-line "
        "{kk: …, ru: …} text"
    ], result.output
    assert '    put each text that has a comma in quotes: {kk: "…, USD", …}' in result.output


def test_a_real_duplicate_key_keeps_its_message(mini: Path):
    set_text(mini, "{kk: Бір, ru: Раз, en: One, en: Two}")
    result = check(mini)
    assert findings(result.output) == [
        "briefs/kz-tr.yaml:6: error: the key 'en' appears twice in the same mapping"
    ]


def test_a_comma_in_a_source_title_is_the_one_problem_reported(mini: Path):
    source = mini / "sources" / "test-source.yaml"
    source.write_text(
        MINI_SOURCE.replace("{kk: Сынақ дереккөзі,", "{kk: Сынақ, дереккөзі,"), "utf-8"
    )
    result = check(mini)
    assert findings(result.output) == [
        "sources/test-source.yaml:4: error: 'title': 'дереккөзі' is not a language — a comma "
        "inside a one-line {kk: …, ru: …} text splits it; put the text in quotes: "
        '{kk: "Сынақ, дереккөзі", …}'
    ], result.output


def test_a_comma_in_the_note_of_a_date_is_said_with_the_text_hint(mini: Path):
    dossier = mini / "briefs" / "kz-tr.yaml"
    dossier.write_text(
        dossier.read_text("utf-8").replace(
            DATE_LINE,
            "    date: {value: 1992-03-02, inferred: true, note: {kk: а, ә, ru: б, en: c}}\n",
        ),
        "utf-8",
    )
    result = check(mini)
    assert findings(result.output) == [
        "briefs/kz-tr.yaml:5: error: 'date': 'ә' is not a language — a comma inside a "
        'one-line {kk: …, ru: …} text splits it; put the text in quotes: {kk: "а, ә", …}'
    ], result.output
    assert "quote a text that has a comma" in result.output


def test_quoted_texts_with_commas_and_unknown_languages_are_read_as_before(mini: Path):
    set_text(mini, '{kk: "Бір, екі", ru: "Раз, два", en: "One, two"}')
    assert not facts_findings(check(mini).output)
    with pytest.raises(ValueProblem, match="unknown language 'kz'"):
        Text.parse({"kz": "Бір", "ru": "Раз", "en": "One"})
    with pytest.raises(ValueProblem, match="unknown language 'two'"):
        Text.parse({"kk": "Бір", "ru": "Раз", "en": "One", "two": "three"})
    assert Text.parse({"kk": "Бір", "ru": None, "en": "One"}).languages == ("kk", "en")


def test_a_text_in_lines_of_its_own_is_read_as_before(mini: Path):
    set_text(mini, "\n      kk: Бір, екі\n      ru: Раз, два\n      en: One, two")
    result = check(mini)
    assert not facts_findings(result.output), result.output


# ---- a source recorded twice ---------------------------------------------------------------

SECOND_SOURCE = """\
id: {id}
kind: news
language: en
title: {{kk: Басқа дереккөз, ru: Другой источник, en: {title}}}
publisher: {{kk: Баспагер, ru: Издатель, en: {publisher}}}
date: {date}
url: {url}
"""


def add_source(root: Path, sid: str, **fields: str) -> Path:
    values = {
        "id": sid,
        "title": "Another source",
        "publisher": "Publisher",
        "date": "2026-01-15",
        "url": f"https://example.org/{sid}",
        **fields,
    }
    return write(root / "sources" / f"{sid}.yaml", SECOND_SOURCE.format(**values))


def cite_too(root: Path, sid: str) -> None:
    """Cite `sid` from a trade row of its own, a year before the rows written so far."""
    dossier = root / "briefs" / "kz-tr.yaml"
    written = dossier.read_text("utf-8")
    year = 2023 - written.count("  - year:")
    dossier.write_text(
        written + f"  - year: {year}\n    turnover: 11 bn USD\n    source: {sid}\n", "utf-8"
    )


def test_two_records_with_the_same_url_are_said_at_the_later_one(mini: Path):
    add_source(mini, "a-release", url="https://mfa.gov.kz/en/news/1")
    add_source(mini, "b-release", url="http://www.MFA.gov.kz/en/news/1/", title="Other words")
    cite_too(mini, "a-release")
    cite_too(mini, "b-release")
    result = check(mini)
    assert (
        "sources/b-release.yaml:7: warning: the same source as sources/a-release.yaml "
        "(same url http://www.MFA.gov.kz/en/news/1/) — keep one record and cite its id"
    ) in findings(result.output), result.output
    assert (
        "    delete sources/b-release.yaml and write 'source: a-release' where 'b-release' is "
        "cited; the brief lists each record as a source of its own"
    ) in result.output
    assert findings(result.output) == [
        "sources/b-release.yaml:7: warning: the same source as sources/a-release.yaml "
        "(same url http://www.MFA.gov.kz/en/news/1/) — keep one record and cite its id"
    ], result.output


def test_two_records_with_the_same_title_date_and_publisher_are_said(mini: Path):
    add_source(mini, "a-release", title="Talks in Ankara", url="https://a.example/1")
    add_source(mini, "b-release", title="talks in  Ankara.", url="https://b.example/2")
    cite_too(mini, "a-release")
    cite_too(mini, "b-release")
    assert (
        "sources/b-release.yaml:4: warning: the same source as sources/a-release.yaml "
        "(same title, date and publisher) — keep one record and cite its id"
    ) in findings(check(mini).output)


@pytest.mark.parametrize(
    "change",
    [{"date": "2026-01-16"}, {"publisher": "Another publisher"}, {"title": "Talks in Baku"}],
)
def test_records_that_differ_in_title_date_or_publisher_are_two_sources(
    mini: Path, change: dict[str, str]
):
    add_source(mini, "a-release", title="Talks in Ankara", url="https://a.example/1")
    add_source(
        mini, "b-release", **{"title": "Talks in Ankara", "url": "https://b.example/2", **change}
    )
    cite_too(mini, "a-release")
    cite_too(mini, "b-release")
    assert "the same source" not in check(mini).output


def test_a_pair_checked_alone_hears_of_the_duplicates_it_cites(mini: Path):
    add_source(mini, "a-release", url="https://mfa.gov.kz/en/news/1")
    add_source(mini, "b-release", url="https://mfa.gov.kz/en/news/1")
    cite_too(mini, "b-release")
    assert "sources/b-release.yaml:7: warning: the same source as" in check(mini, "kz-tr").output
    add_source(mini, "c-release", url="https://mfa.gov.kz/en/news/2")
    add_source(mini, "d-release", url="https://mfa.gov.kz/en/news/2")
    assert "d-release.yaml:7" not in check(mini, "kz-tr").output  # cited by no pair checked
    assert "d-release.yaml:7" in check(mini).output


# ---- the command that rebuilds templates/reference.docx ------------------------------------

REBUILD = ".venv/bin/python tools/make_reference_docx.py"


def test_check_and_build_name_the_projects_python_for_a_missing_reference(mini: Path):
    (mini / "templates" / "reference.docx").unlink()
    said = check(mini).output
    assert "templates/reference.docx: error: templates/reference.docx is missing\n" in said
    assert f"    rebuild it with: {REBUILD}\n" in said
    built = build(mini, "kz-tr", "--format", "docx", "--lang", "en")
    assert built.exit_code != 0
    assert f"rebuild it with: {REBUILD}" in built.output


def test_check_and_build_name_the_projects_python_for_a_broken_reference(mini: Path):
    (mini / "templates" / "reference.docx").write_bytes(b"not a zip")
    hint = f"save it again from Word as a .docx, or rebuild it with: {REBUILD}"
    assert hint in check(mini).output
    assert hint in build(mini, "kz-tr", "--format", "docx", "--lang", "en").output


def test_the_rebuild_script_says_which_python_to_use_when_python_docx_is_missing():
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "tools" / "make_reference_docx.py"
    # -S leaves out site-packages: a Python without the project's packages
    done = subprocess.run([sys.executable, "-S", str(script)], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"python-docx is not installed for this Python: run the project's own, {REBUILD}"
    )
