"""The shipped fact base and the values derived from it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from conftest import BRIEF_DATE, REPO, Cli, plain

from generator.facts.model import Cited, Event
from generator.facts.project import load_project
from generator.facts.values import Amount, FuzzyDate
from generator.facts.walk import records as walk
from generator.facts.walk import texts
from generator.render.context import (
    anniversary,
    countdown,
    derive,
    growth,
    trade_rows,
    years_between,
)

ON = dt.date(2026, 2, 2)


@pytest.fixture(scope="module")
def shipped():
    project = load_project(REPO)
    assert not project.findings.errors, [f.format() for f in project.findings.errors]
    return project


def test_the_three_dossiers_ship(shipped):
    assert sorted(shipped.dossiers) == ["kz-az", "kz-tj", "kz-tr"]


def test_every_fact_resolves_to_a_source_record_and_every_source_is_cited(shipped):
    cited = set()
    records = list(shipped.dossiers.items()) + [("people", p) for p in shipped.people.values()]
    count = 0
    for owner, model in records:
        for where, obj in walk(model):
            if isinstance(obj, Cited):
                count += 1
                assert obj.source in shipped.sources, (owner, where, obj.source)
                cited.add(obj.source)
    assert count > 150
    assert cited == set(shipped.sources)


def test_every_text_is_written_in_kazakh_russian_and_english(shipped):
    models = [
        *shipped.dossiers.values(),
        *shipped.people.values(),
        *shipped.organisations.values(),
        *shipped.sources.values(),
    ]
    count = 0
    for model in models:
        for where, text in texts(model):
            count += 1
            assert not text.missing(("kk", "ru", "en")), (where, text.any()[:60])
    assert count > 300


def test_the_kz_tr_2021_trade_conflict_is_kept_with_a_preferred_value(shipped):
    row = next(t for t in shipped.dossiers["kz-tr"].trade if t.year == 2021)
    assert row.turnover == Amount(Decimal(4_100_000_000), "USD")
    others = {str(a.turnover) for a in row.alternatives}
    assert {"over 5000000000 USD", "5300000000 USD"} <= others
    assert all(a.source for a in row.alternatives)
    result = Cli(REPO)("check", "kz-tr", "--date", BRIEF_DATE)
    assert result.exit_code == 0
    conflict = [line for line in result.output.splitlines() if "sources disagree" in line]
    assert len(conflict) == 2
    assert all(
        "2021 turnover" in line
        and "enu-bulletin-2023-kz-tr-cooperation" in line
        and "the brief shows the preferred 4.1 bn USD" in line
        for line in conflict
    )
    assert any("over 5 bn USD" in line for line in conflict)
    assert any("5.3 bn USD" in line for line in conflict)


def test_years_of_relations_are_whole_years_passed_true_to_the_day():
    march_1992 = FuzzyDate(1992, 3, 2)
    assert years_between(march_1992, dt.date(2026, 2, 2)) == 33  # the 34th is a month ahead
    assert years_between(march_1992, dt.date(2026, 3, 1)) == 33
    assert years_between(march_1992, dt.date(2026, 3, 2)) == 34
    assert years_between(march_1992, dt.date(2026, 12, 31)) == 34
    # known to the month only: counted from its last day, never more than have passed
    assert years_between(FuzzyDate(1992, 3), dt.date(2026, 3, 30)) == 33
    assert years_between(FuzzyDate(1992, 3), dt.date(2026, 3, 31)) == 34
    # 29 February: the anniversary falls on 28 February in other years
    leap = anniversary(FuzzyDate(1996, 2, 29), dt.date(2026, 2, 1))
    assert (leap.years, leap.date.iso(), leap.ahead) == (30, "2026-02-28", True)


def test_growth_is_computed_only_from_comparable_figures():
    usd = lambda v, q=None: Amount(Decimal(v), "USD", q)  # noqa: E731
    assert growth(usd(4_100_000_000), usd(3_083_000_000)) == (
        Decimal(4_100_000_000) - Decimal(3_083_000_000)
    ) / Decimal(3_083_000_000)
    assert growth(usd(110), usd(100)) == Decimal("0.1")
    assert growth(usd(90), usd(100)) == Decimal("-0.1")
    assert growth(usd(110, "over"), usd(100)) is None  # "over" is not a figure to divide
    assert growth(usd(110), Amount(Decimal(100), "EUR")) is None
    assert growth(usd(110), None) is None


def test_trade_rows_balance_and_growth_by_consecutive_years(shipped):
    from generator.facts.model import TradeYear

    rows = trade_rows(
        [
            TradeYear(
                year=2020, turnover="3 bn USD", exports="2 bn USD", imports="1 bn USD", source="x"
            ),
            TradeYear(
                year=2021,
                turnover="4.5 bn USD",
                exports="3 bn USD",
                imports="1.5 bn USD",
                source="x",
            ),
            TradeYear(year=2023, turnover="5 bn USD", source="x"),
        ]
    )
    assert [r.year for r in rows] == [2020, 2021, 2023]
    assert rows[1].growth == Decimal("0.5")
    assert rows[2].growth is None  # 2022 is missing: no year-on-year figure
    assert rows[1].balance == Amount(Decimal(1_500_000_000), "USD")


def test_days_months_or_years_to_an_event_in_its_precision():
    def event(date):
        return Event(date=date, title={"en": "x"}, source="x")

    assert countdown(event("2026-03-15"), ON).days == 41
    assert countdown(event("2026-02-02"), ON).days == 0
    assert countdown(event("2026-04"), ON).months == 2
    assert countdown(event("2026"), ON).years == 0
    assert countdown(event("2027"), ON).years == 1


def test_derived_values_of_kz_tr_on_2_february_2026(shipped):
    derived = derive(shipped.dossiers["kz-tr"], ON, stale_after_years=2)
    # relations since 2 March 1992: 33 whole years; the 34th anniversary is a month ahead
    assert derived.relations_years == 33
    assert derived.relations_anniversary.years == 34 and derived.relations_anniversary.ahead
    assert derived.latest_trade.year == 2021
    target = next(t for t in derived.targets if t.target.metric == "turnover")
    assert target.target.amount == Amount(Decimal(10_000_000_000), "USD")
    assert target.ratio == Decimal("0.41")  # 4.1 of 10 bn
    assert derived.figure_age_years == 5 and derived.stale
    # the 6th Council meeting, whose timing is still being discussed, comes last, undated
    assert [c.event.date and c.event.date.year for c in derived.upcoming] == [2026, 2026, None]


def test_the_english_brief_states_the_derived_values(tmp_path):
    out = tmp_path / "out"
    result = Cli(REPO)(
        "build",
        "kz-tr",
        "--lang",
        "en",
        "--kind",
        "meeting",
        "--format",
        "html",
        "--date",
        BRIEF_DATE,
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    html = plain(next(out.glob("*.html")).read_text(encoding="utf-8"))
    assert "34 years of diplomatic relations" in html
    assert "41%" in html
    # five years old: the key figure says it is the latest the sources give
    assert "Trade turnover in 2021, the latest year in the sources: US$4.1 billion" in html


def test_progress_from_an_over_figure_is_a_lower_bound(shipped):
    derived = derive(shipped.dossiers["kz-tj"], ON, stale_after_years=2)
    progress = next(t for t in derived.targets if t.ratio is not None)
    assert progress.current.qualifier == "over" and progress.at_least
    assert progress.ratio == Decimal("0.6")  # over 1.2 of 2 bn USD
