"""A brief states what was known on its date: later sources left out, later events ahead."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli, brief_text, write

LATER_SOURCE = """\
id: later-source
kind: news
language: en
title: {kk: Кейінгі дереккөз, ru: Поздний источник, en: Later source}
publisher: {kk: Баспагер, ru: Издатель, en: Publisher}
date: 2026-03-10
"""

FACTS = """\
visits:
  - date: 2026-01-20
    level: talks
    title: {kk: Анкарадағы келіссөздер, ru: Переговоры в Анкаре, en: Talks in Ankara}
    source: test-source
  - date: 2026-02
    level: official_visit
    title: {kk: Астанаға сапар, ru: Визит в Астану, en: Visit to Astana}
    source: test-source
cooperation:
  - text: {kk: Жаңа әуе рейсі ашылды, ru: Открыт новый авиарейс, en: A new air route opened}
    source: later-source
events:
  - date: 2026-02
    title: {kk: Кеңес отырысы, ru: Заседание совета, en: Council meeting}
    source: test-source
"""


@pytest.fixture
def dated(mini: Path) -> Path:
    write(mini / "sources" / "later-source.yaml", LATER_SOURCE)
    dossier = mini / "briefs" / "kz-tr.yaml"
    dossier.write_text(dossier.read_text() + FACTS)
    return mini


def text_of(root: Path, on: str) -> str:
    return brief_text(root, on=on)


def test_a_brief_dated_before_a_source_leaves_its_facts_out(dated: Path):
    assert "A new air route opened" not in text_of(dated, "2026-03-09")
    assert "A new air route opened" in text_of(dated, "2026-03-10")


def test_an_event_of_the_briefs_month_is_not_reported_as_done(dated: Path):
    """A visit known only to February 2026 cannot be placed before 2 February: not a past
    contact; on 1 March it is. The talks of 20 January are past on both dates."""
    early, late = text_of(dated, "2026-02-02"), text_of(dated, "2026-03-01")
    assert "Talks in Ankara" in early and "Talks in Ankara" in late
    assert "Visit to Astana" not in early
    assert "Visit to Astana" in late


def test_a_later_event_stays_ahead(dated: Path):
    """An event of the brief's month is upcoming, not past."""
    early = text_of(dated, "2026-02-02")
    assert "Council meeting" in early


def test_check_says_how_many_facts_are_left_out_and_why(dated: Path):
    result = Cli(dated)("check", "--date", "2026-02-02")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        "sources/later-source.yaml:6: note: a kz-tr brief dated 2026-02-02 leaves out 1 fact "
        "citing this source: it is dated after the brief (2026-03-10)"
    ) in lines, result.output
    assert (
        "briefs/kz-tr.yaml:17: note: a brief dated 2026-02-02 leaves out this visit: its "
        "date cannot be placed on or before the brief's (2026-02)"
    ) in lines, result.output
    assert lines[-1] == "0 errors, 0 warnings; 2 notes", result.output


def test_check_and_the_brief_agree_on_the_date(dated: Path):
    """Dated after everything, nothing is left out and check says nothing of it."""
    result = Cli(dated)("check", "--date", "2026-04-01")
    assert "note:" not in result.output
    text = text_of(dated, "2026-04-01")
    assert "A new air route opened" in text and "Visit to Astana" in text
