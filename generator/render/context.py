"""From facts, the brief's date and language to the template context, with derived values."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from generator.facts.asof import as_of, people_as_of
from generator.facts.model import (
    TRADE_FIGURES,
    Dossier,
    Event,
    Source,
    Target,
    TradeAlternative,
    TradeYear,
)
from generator.facts.project import Project
from generator.facts.values import Amount, FuzzyDate, Text


@dataclass(frozen=True)
class TradeRow:
    """One year of trade with what is computed from it."""

    year: int
    fact: TradeYear
    turnover: Amount | None
    exports: Amount | None
    imports: Amount | None
    balance: Amount | None
    growth: Decimal | None  # turnover change on the previous year, as a ratio (0.123 = 12.3 %)
    disputed: tuple[Disputed, ...] = ()  # other values the sources give for this year


@dataclass(frozen=True)
class Disputed:
    """A figure of a year that another source (or passage) gives differently."""

    figure: str  # turnover, exports or imports
    value: Amount
    alternative: TradeAlternative  # cite it


def disputed(row: TradeYear) -> tuple[Disputed, ...]:
    """The alternatives' values that differ from the row's own."""
    return tuple(
        Disputed(name, other, alt)
        for alt in row.alternatives
        for name in TRADE_FIGURES
        if (other := getattr(alt, name)) is not None and other != getattr(row, name)
    )


@dataclass(frozen=True)
class TargetProgress:
    """How far the latest figure has come towards a target."""

    target: Target
    current: Amount | None
    year: int | None
    ratio: Decimal | None  # current / target

    @property
    def at_least(self) -> bool:
        """Whether the ratio is a lower bound (the latest figure is 'over' an amount)."""
        return bool(self.current and self.current.qualifier == "over")


@dataclass(frozen=True)
class Countdown:
    """Time from the brief's date to an upcoming event, in the event's precision."""

    event: Event
    days: int | None  # when the event's day is known
    months: int | None  # when only its month is known
    years: int | None  # when only its year is known
    announced: FuzzyDate | None = None  # the date of its source, when that is long before


@dataclass(frozen=True)
class Derived:
    """Values computed from the facts for one brief date (never typed by hand)."""

    relations_years: int | None  # whole years passed on the brief's date
    relations_anniversary: Anniversary | None  # in the brief's year
    trade: list[TradeRow]
    latest_trade: TradeRow | None
    targets: list[TargetProgress]
    upcoming: list[Countdown]
    past_events: list[Event]
    figure_age_years: int | None
    stale: bool


@dataclass(frozen=True)
class BriefInfo:
    """What the brief itself is: pair, kind, language, date, marking, office."""

    pair: str
    kind: str
    lang: str
    date: FuzzyDate
    draft: bool
    marking: str
    office: Text
    countries: tuple[str, str]
    drafter: Text | None = None  # the executor's name (brief.yaml, or --drafter)
    phone: str | None = None


def years_between(start: FuzzyDate, on: dt.date) -> int:
    """Whole years from `start` to `on`, true to the day: never more than have passed (a start
    known to the month or year counts from its last possible day).

    >>> [years_between(FuzzyDate(1992, 3, 2), dt.date(2026, m, d)) for m, d in ((3, 1), (3, 2))]
    [33, 34]
    >>> years_between(FuzzyDate(1992, 3), dt.date(2026, 3, 15))
    33
    """
    last = start.last_day()
    return on.year - last.year - ((on.month, on.day) < (last.month, last.day))


ANNIVERSARY_AHEAD_DAYS = 183  # an anniversary this close after the brief's date is said as such


@dataclass(frozen=True)
class Anniversary:
    """The anniversary of a date in the calendar year of the brief: how many years, and when
    (the day, if the date is known to the day)."""

    years: int
    date: FuzzyDate
    ahead: bool  # still to come, within ANNIVERSARY_AHEAD_DAYS of the brief's date


def anniversary(start: FuzzyDate, on: dt.date) -> Anniversary:
    """The anniversary of `start` in the year of `on`.

    >>> a = anniversary(FuzzyDate(1992, 3, 2), dt.date(2026, 2, 2))
    >>> a.years, a.date.iso(), a.ahead
    (34, '2026-03-02', True)
    >>> anniversary(FuzzyDate(1992, 3, 2), dt.date(2026, 3, 2)).ahead
    False
    """
    if start.precision != "day":
        return Anniversary(on.year - start.year, FuzzyDate(on.year), False)
    month, day = start.month or 1, start.day or 1
    if (month, day) == (2, 29) and not calendar.isleap(on.year):
        day = 28
    when = dt.date(on.year, month, day)
    ahead = 0 < (when - on).days <= ANNIVERSARY_AHEAD_DAYS
    return Anniversary(on.year - start.year, FuzzyDate(when.year, when.month, when.day), ahead)


def growth(current: Amount | None, previous: Amount | None) -> Decimal | None:
    """Year-on-year change as a ratio, when both figures are exact and in one currency.

    >>> growth(Amount(Decimal(110), "USD"), Amount(Decimal(100), "USD"))
    Decimal('0.1')
    """
    if current is None or previous is None or current.currency != previous.currency:
        return None
    if previous.value == 0 or current.qualifier or previous.qualifier:
        return None
    return (current.value - previous.value) / previous.value


def trade_rows(trade: list[TradeYear]) -> list[TradeRow]:
    """The trade series by year with balance and growth."""
    rows: list[TradeRow] = []
    by_year = {t.year: t for t in trade}
    for year in sorted(by_year):
        fact = by_year[year]
        prev = by_year.get(year - 1)
        balance = None
        if (
            fact.exports
            and fact.imports
            and fact.exports.currency == fact.imports.currency
            and not fact.exports.qualifier
            and not fact.imports.qualifier
        ):
            balance = Amount(fact.exports.value - fact.imports.value, fact.exports.currency)
        g = (
            growth(fact.turnover, prev.turnover if prev else None)
            if not fact.partial and not (prev and prev.partial)
            else None
        )
        rows.append(
            TradeRow(
                year,
                fact,
                fact.turnover,
                fact.exports,
                fact.imports,
                balance,
                g,
                disputed(fact),
            )
        )
    return rows


def countdown(event: Event, on: dt.date) -> Countdown:
    """Days (or months, or years) from `on` to the event, in the precision it is known."""
    d = event.date
    if d is None:
        return Countdown(event, None, None, None)
    if d.precision == "day":
        return Countdown(event, (d.first_day() - on).days, None, None)
    if d.month is not None:
        return Countdown(event, None, (d.year - on.year) * 12 + (d.month - on.month), None)
    return Countdown(event, None, None, d.year - on.year)


ANNOUNCED_AFTER_DAYS = 30  # an event known from a source older than this says so


def announced(c: Countdown, sources: dict[str, Source], on: dt.date) -> Countdown:
    """The countdown with the date of the event's source, when that source is more than
    ANNOUNCED_AFTER_DAYS older than the brief (the plan may have changed since)."""
    source = sources.get(c.event.source)
    date = source.date if source is not None else None
    if date is None or (on - date.last_day()).days <= ANNOUNCED_AFTER_DAYS:
        return c
    return replace(c, announced=date)


def derive(
    dossier: Dossier, on: dt.date, stale_after_years: int, sources: dict[str, Source] | None = None
) -> Derived:
    """Every derived value of a dossier for a brief dated `on`."""
    relations = dossier.key_date("diplomatic_relations")
    years = years_between(relations.date, on) if relations else None
    jubilee = anniversary(relations.date, on) if relations else None
    rows = trade_rows(dossier.trade)
    complete = [r for r in rows if r.turnover and not r.fact.partial]
    latest = complete[-1] if complete else (rows[-1] if rows else None)
    targets = []
    for target in dossier.targets:
        current = ratio = year = None
        if (
            target.metric == "turnover"
            and latest
            and latest.turnover
            and target.amount
            and latest.turnover.currency == target.amount.currency
        ):
            current, year = latest.turnover, latest.year
            ratio = latest.turnover.value / target.amount.value
        targets.append(TargetProgress(target, current, year, ratio))
    # an event whose date is not stated is ahead, after every dated one
    upcoming = sorted(
        (
            announced(countdown(e, on), sources or {}, on)
            for e in dossier.events
            if e.date is None or e.date.last_day() >= on
        ),
        key=lambda c: (c.event.date is None, c.event.date.first_day() if c.event.date else on),
    )
    past = [e for e in dossier.events if e.date is not None and e.date.last_day() < on]
    age = on.year - latest.year if latest else None
    return Derived(
        relations_years=years,
        relations_anniversary=jubilee,
        trade=rows,
        latest_trade=latest,
        targets=targets,
        upcoming=upcoming,
        past_events=past,
        figure_age_years=age,
        stale=bool(age is not None and age > stale_after_years),
    )


def make_context(
    project: Project,
    dossier: Dossier,
    *,
    lang: str,
    kind: str,
    on: dt.date,
    draft: bool = False,
    marking: str | None = None,
    drafter: str | None = None,
) -> dict:
    """The whole template context of one brief: the dossier as it stood on `on`."""
    dossier, _ = as_of(dossier, project.sources, on)
    settled = project.config.drafter
    name, phone = (settled.name, settled.phone) if settled else (None, None)
    if drafter:  # --drafter "name, telephone": as given, in every language
        given, _, number = drafter.partition(",")
        name = Text({language: given.strip() for language in project.languages})
        phone = number.strip() or None
    info = BriefInfo(
        pair=dossier.pair,
        kind=kind,
        lang=lang,
        date=FuzzyDate(on.year, on.month, on.day),
        draft=draft,
        marking=marking or dossier.marking,
        office=project.config.office,
        countries=(dossier.countries[0], dossier.countries[1]),
        drafter=name,
        phone=phone,
    )
    return {
        "brief": info,
        "d": dossier,
        "derived": derive(dossier, on, project.config.stale_after_years, project.sources),
        "people": people_as_of(project.people, project.sources, on),
        "organisations": project.organisations,
        "sources": project.sources,
        "declared_sections": project.sections,
    }
