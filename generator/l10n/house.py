"""House style per language, read from templates/house/<lang>.yaml and checked once."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale, UnknownLocaleError

from generator.errors import BriefError, Finding, InputErrors
from generator.facts import reader
from generator.facts.model import Model
from generator.facts.schema import validate

DATE_ROLES = ("plain", "dateline", "on", "of", "since", "by")
PRECISIONS = ("day", "month", "year")
AMOUNT_ROLES = ("plain", "over", "about", "nearly", "under", "up_to", "to")
RANGE_STARTS = ("d", "d_month", "d_month_y", "month", "month_y")
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
COUNTRY_FORMS = ("short", "long", "of")
DateRole = Literal["plain", "dateline", "on", "of", "since", "by"]


class DateForms(Model):
    """The patterns of a date role at each precision: a day, a month, a year."""

    day: str
    month: str
    year: str


class DateRoles(Model):
    """How a date is written in each role a template asks for."""

    plain: DateForms
    dateline: DateForms
    on: DateForms
    of: DateForms
    since: DateForms
    by: DateForms
    inferred: str | None = None  # around a date the analyst inferred: "probably {date}"


class RangeStarts(Model):
    """The start of a range, leaving out what it shares with the end."""

    d: str
    d_month: str
    d_month_y: str
    month: str
    month_y: str


class Ranges(Model):
    """Ranges of dates: the dash between them, the start's forms, ranges of whole years."""

    sep: str
    spaced: str
    start: RangeStarts
    years: dict[DateRole, str] = {}


class AmountRoles(Model):
    """An amount in each role: plain, over, about, nearly, under, up to, to."""

    plain: str
    over: str
    about: str
    nearly: str
    under: str
    up_to: str
    to: str


class Amounts(Model):
    """How amounts of money are written: compact form, generic roles, reviewed currencies."""

    compact: Literal["short", "long"]
    qualifiers: AmountRoles
    currencies: dict[str, AmountRoles] = {}
    nouns: dict[str, dict[str, Any]] = {}  # currency → case → plural category → noun; "cases"


class NumeralWords(Model):
    """The numeral words whose last vowel decides an ordinal's suffix (vowel harmony)."""

    units: list[str]
    tens: list[str | None]  # no word for zero tens
    hundred: str
    thousand: str
    million: str
    billion: str


class Ordinals(Model):
    """Ordinal numbers: a pattern and its suffix by vowel harmony, CLDR category or gender."""

    pattern: str
    words: NumeralWords | None = None
    suffix: dict[Literal["back", "front"], str] | None = None
    back_vowels: str | None = None
    front_vowels: str | None = None
    categories: dict[str, str] | None = None
    genders: dict[str, str] | None = None
    default: str | None = None


class Lists(Model):
    """Lists of two, and the joins of longer lists."""

    two: str
    start: str
    middle: str
    end: str


class Typography(Model):
    """How text is set: quotation marks, the dash, and what a line never splits."""

    quotes: tuple[str, str] = ("\u201c", "\u201d")
    inner_quotes: tuple[str, str] = ("\u2018", "\u2019")
    dash: str = "\u2013"
    after_number: list[str] = []  # words kept on the line of the number before them
    before_number: list[str] = []  # signs kept on the line of the number after them
    short_words: list[str] = []  # words kept on the line of the word after them


class CountryNames(Model):
    """A country's reviewed names: short, long (official) and after 'Embassy of'."""

    short: str | None = None
    long: str | None = None
    of: str | None = None


class HouseFile(Model):
    """templates/house/<lang>.yaml: the reviewed style data of one language."""

    locale: str
    language_tag: str | None = None
    fallback: list[str] = []
    dates: DateRoles
    ranges: Ranges
    months: dict[str, list[str]]
    amounts: Amounts
    ordinals: Ordinals
    lists: Lists
    typography: Typography = Typography()
    countries: dict[str, CountryNames] = {}
    country_forms: dict[Literal["long", "of"], Literal["short", "none"]] = {}


@dataclass(frozen=True)
class HouseStyle:
    """The reviewed style data of one language, read through typed attributes."""

    lang: str
    style: HouseFile
    path: str
    lines: dict = field(default_factory=dict, compare=False, repr=False)  # key path → line

    @property
    def locale(self) -> str:
        return self.style.locale

    def line(self, where: tuple) -> int | None:
        """The line of a key path in the house-style file (or of its nearest parent)."""
        where = tuple(where)
        while where and where not in self.lines:
            where = where[:-1]
        return self.lines.get(where)

    def date_pattern(self, role: str, precision: str) -> str:
        """The pattern of a date in a role at a precision: '{y} жылғы {d} {month_loc}'."""
        if role not in DATE_ROLES:
            raise BriefError(
                f"unknown date role '{role}'",
                hint=f"use one of: {', '.join(DATE_ROLES)}",
                code="unknown-role",
            )
        return str(getattr(getattr(self.style.dates, role), precision))

    def year_range_pattern(self, role: str) -> str:
        """The pattern of a range of years in a role: '{y} жылдары' (else the role's own)."""
        return self.style.ranges.years.get(role) or self.date_pattern(role, "year")  # type: ignore[call-overload]

    def month_form(self, table: str, month: int) -> str:
        """A month (1–12) in the form of one month table."""
        return self.style.months[table][month - 1]

    def currency_phrase(self, currency: str, role: str) -> str | None:
        """The reviewed phrase of an amount in a currency and role, or None."""
        phrases = self.style.amounts.currencies.get(currency)
        return getattr(phrases, role) if phrases else None

    def currency_noun(self, currency: str, role: str, category: str) -> str | None:
        """The currency's noun agreeing with a number's plural category, in the role's case."""
        nouns = self.style.amounts.nouns
        forms = nouns.get(currency)
        if not forms:
            return None
        case = nouns.get("cases", {}).get(role, "nominative")
        table = forms.get(case) or {}
        return table.get(category) or table.get("other")

    @property
    def fallback(self) -> list[str]:
        """The languages shown, in order, when a fact has no text in this one (empty: the
        brief's other languages, in their order)."""
        return list(self.style.fallback)

    @property
    def language_tag(self) -> str:
        """The BCP 47 tag Word spell-checks with: `language_tag:`, else the locale's (kk-KZ)."""
        return self.style.language_tag or self.locale.replace("_", "-")


def load_house(templates: Path, lang: str) -> HouseStyle:
    """Read and check the house style of `lang`; every problem at once, with lines."""
    path = templates / "house" / f"{lang}.yaml"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    return _load(path, templates.parent, lang, stamp)


@lru_cache(maxsize=16)
def _load(path: Path, root: Path, lang: str, stamp: int | None) -> HouseStyle:
    rel = path.relative_to(root).as_posix()
    if stamp is None:
        raise BriefError(
            f"{rel} is missing: the house style of '{lang}' is needed",
            path=rel,
            hint="copy templates/house/en.yaml and translate it",
            code="house-missing",
        )
    doc, problems = reader.load(path, root)
    if doc is None:
        raise InputErrors(problems)
    style, problems = validate(HouseFile, doc)
    if style is None:
        raise InputErrors(problems)
    problems = _check(style, doc)
    if problems:
        raise InputErrors(problems)
    return HouseStyle(lang, style, rel, dict(doc.lines))


def _fields(pattern: str) -> set[str]:
    """The {names} a pattern uses."""
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}


class _Checker:
    """Collects the problems of one house-style file, each with its line."""

    def __init__(self, doc: reader.YamlFile):
        self.doc = doc
        self.out: list[Finding] = []

    def bad(self, where: tuple, message: str, hint: str | None = None) -> None:
        self.out.append(
            Finding(
                self.doc.path, self.doc.line(where), None, "error", "house-style", message, hint
            )
        )

    def mapping(self, data: Any, where: tuple, what: str) -> dict:
        if isinstance(data, dict):
            return data
        self.bad(
            where, f"{what} must be a mapping of keys and values", "see templates/house/en.yaml"
        )
        return {}

    def pattern(self, value: Any, where: tuple, allowed: set[str], what: str) -> None:
        if not isinstance(value, str):
            self.bad(where, f"{what} must be a text pattern, got {value!r}")
            return
        try:
            used = _fields(value)
        except ValueError as exc:
            self.bad(
                where,
                f"{what} is not a valid pattern: {exc}",
                "write placeholders as {name}; a literal brace is written twice: {{",
            )
            return
        unknown = sorted(used - allowed)
        if unknown:
            self.bad(
                where,
                f"{what} uses {{{unknown[0]}}}, which is not known here",
                f"use only: {', '.join('{' + a + '}' for a in sorted(allowed))}",
            )


def _check(style: HouseFile, doc: reader.YamlFile) -> list[Finding]:
    """What the schema cannot say: placeholders of each pattern, month tables, the locale."""
    c = _Checker(doc)
    try:
        Locale.parse(style.locale)
    except (UnknownLocaleError, ValueError, TypeError):
        c.bad(
            ("locale",),
            f"'locale' must be a locale Babel knows, like kk_KZ, ru_KZ or en, got {style.locale!r}",
        )
    if style.language_tag is not None and not re.fullmatch(
        r"[a-z]{2,3}(-[A-Za-z0-9]+)*", style.language_tag
    ):
        c.bad(("language_tag",), "'language_tag' must be a language tag like kk-KZ or en-GB")
    for name, table in style.months.items():
        if len(table) != 12 or not all(table):
            c.bad(("months", name), f"the month table '{name}' must list exactly 12 forms")
    if "month" not in style.months:
        c.bad(("months",), "the month table 'month' (the nominative, as in CLDR) is missing")
    date_fields = {"y", "d", *style.months}
    for role in DATE_ROLES:
        forms = getattr(style.dates, role)
        for precision in PRECISIONS:
            allowed = date_fields - ({"d"} if precision != "day" else set())
            if precision == "year":
                allowed = {"y"}
            c.pattern(
                getattr(forms, precision),
                ("dates", role, precision),
                allowed,
                f"the {precision} pattern of the date role '{role}'",
            )
    if style.dates.inferred is not None:
        c.pattern(style.dates.inferred, ("dates", "inferred"), {"date"}, "the inferred date")
    _check_ranges(c, style.ranges, date_fields)
    _check_amounts(c, style.amounts)
    _check_ordinals(c, style.ordinals)
    for key in ("two", "start", "middle", "end"):
        c.pattern(
            getattr(style.lists, key), ("lists", key), {"0", "1"}, f"the list pattern '{key}'"
        )
    return c.out


def _check_ranges(c: _Checker, ranges: Ranges, date_fields: set[str]) -> None:
    for key in RANGE_STARTS:
        allowed = date_fields | {"m"}
        if "y" not in key:
            allowed = allowed - {"y"}
        if not key.startswith("d"):
            allowed = allowed - {"d"}
        c.pattern(
            getattr(ranges.start, key),
            ("ranges", "start", key),
            allowed,
            f"the range start '{key}'",
        )
    for role, pattern in ranges.years.items():
        c.pattern(pattern, ("ranges", "years", role), {"y"}, f"the year range of '{role}'")


def _check_amounts(c: _Checker, amounts: Amounts) -> None:
    for role in AMOUNT_ROLES:
        c.pattern(
            getattr(amounts.qualifiers, role),
            ("amounts", "qualifiers", role),
            {"x"},
            f"the amount role '{role}'",
        )
    for code, phrases in amounts.currencies.items():
        allowed = {"n", "noun"} if code in amounts.nouns else {"n"}
        for role in AMOUNT_ROLES:
            c.pattern(
                getattr(phrases, role),
                ("amounts", "currencies", code, role),
                allowed,
                f"the '{role}' phrase of {code}",
            )
    for code, cases in amounts.nouns.items():
        if code == "cases":
            for role, case in cases.items():
                if role not in AMOUNT_ROLES or not isinstance(case, str):
                    c.bad(
                        ("amounts", "nouns", "cases", role),
                        f"'cases' maps amount roles ({', '.join(AMOUNT_ROLES)}) to the name "
                        f"of a noun table such as genitive, got {role}: {case!r}",
                    )
            continue
        for case, forms in cases.items():
            forms = c.mapping(forms, ("amounts", "nouns", code, case), f"the {case} of '{code}'")
            if "other" not in forms or set(forms) - set(PLURAL_CATEGORIES):
                c.bad(
                    ("amounts", "nouns", code, case),
                    f"the {case} forms of '{code}' are keyed by CLDR plural categories "
                    f"({', '.join(PLURAL_CATEGORIES)}) and include 'other'",
                )


def _check_ordinals(c: _Checker, ordinals: Ordinals) -> None:
    c.pattern(ordinals.pattern, ("ordinals", "pattern"), {"n", "suffix"}, "the ordinal pattern")
    kinds = [k for k in ("words", "categories", "genders") if getattr(ordinals, k) is not None]
    if len(kinds) != 1:
        c.bad(
            ("ordinals",),
            "the ordinals need exactly one of: words (suffix by vowel harmony), "
            "categories (suffix by CLDR's ordinal category) or genders (suffix by gender)",
        )
        return
    if ordinals.words is not None:
        for key, size in (("units", 10), ("tens", 10)):
            if len(getattr(ordinals.words, key)) != size:
                c.bad(("ordinals", "words", key), f"'{key}' must list {size} numeral words")
        for key in ("suffix", "back_vowels", "front_vowels"):
            if getattr(ordinals, key) is None:
                c.bad(("ordinals",), f"'{key}' is missing (vowel harmony needs it)")
    elif ordinals.genders is not None and ordinals.default not in ordinals.genders:
        c.bad(("ordinals", "default"), "'default' must name one of the genders")
