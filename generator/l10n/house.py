"""House style per language, read from templates/house/<lang>.yaml and checked once."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from generator.errors import BriefError, Finding, InputErrors
from generator.facts import reader

DATE_ROLES = ("plain", "dateline", "on", "of", "since", "by")
PRECISIONS = ("day", "month", "year")
AMOUNT_ROLES = ("plain", "over", "about", "nearly", "under", "up_to", "to")
RANGE_STARTS = ("d", "d_month", "d_month_y", "month", "month_y")
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
COUNTRY_FORMS = ("short", "long", "of")


@dataclass(frozen=True)
class HouseStyle:
    """The reviewed style data of one language."""

    lang: str
    locale: str
    data: dict[str, Any]
    path: str
    lines: dict = field(default_factory=dict, compare=False, repr=False)  # key path → line

    def line(self, where: tuple) -> int | None:
        """The line of a key path in the house-style file (or of its nearest parent)."""
        where = tuple(where)
        while where and where not in self.lines:
            where = where[:-1]
        return self.lines.get(where)

    def date_pattern(self, role: str, precision: str) -> str:
        """The pattern of a date in a role at a precision: '{y} жылғы {d} {month_loc}'."""
        roles = self.data["dates"]
        if role not in roles:
            raise BriefError(
                f"unknown date role '{role}'",
                hint=f"use one of: {', '.join(roles)}",
                code="unknown-role",
            )
        return roles[role][precision]

    def year_range_pattern(self, role: str) -> str:
        """The pattern of a range of years in a role: '{y} жылдары' (else the role's own)."""
        years = self.data["ranges"].get("years") or {}
        return years.get(role) or self.date_pattern(role, "year")

    def month_form(self, table: str, month: int) -> str:
        """A month (1–12) in the form of one month table."""
        return self.data["months"][table][month - 1]

    def currency_phrase(self, currency: str, role: str) -> str | None:
        """The reviewed phrase of an amount in a currency and role, or None."""
        phrases = self.data["amounts"].get("currencies", {}).get(currency)
        return phrases.get(role) if phrases else None

    def currency_noun(self, currency: str, role: str, category: str) -> str | None:
        """The currency's noun agreeing with a number's plural category, in the role's case."""
        nouns = self.data["amounts"].get("nouns") or {}
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
        return list(self.data.get("fallback") or [])

    @property
    def language_tag(self) -> str:
        """The BCP 47 tag Word spell-checks with: `language_tag:`, else the locale's (kk-KZ)."""
        return str(self.data.get("language_tag") or self.locale.replace("_", "-"))


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
    problems = list(problems) + _check(doc)
    if problems:
        raise InputErrors(problems)
    return HouseStyle(lang, doc.data["locale"], doc.data, rel, dict(doc.lines))


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


def _check(doc: reader.YamlFile) -> list[Finding]:
    c = _Checker(doc)
    data = c.mapping(doc.data, (), "the house style")
    for key in ("locale", "dates", "ranges", "months", "amounts", "ordinals", "lists"):
        if key not in data:
            c.bad((), f"'{key}' is missing from the house style", "see templates/house/en.yaml")
    sections = {
        key: c.mapping(data[key], (key,), f"'{key}'")
        for key in (
            "dates",
            "ranges",
            "months",
            "amounts",
            "ordinals",
            "lists",
            "countries",
            "country_forms",
        )
        if key in data
    }
    if "locale" in data:
        try:
            Locale.parse(str(data["locale"]))
        except (UnknownLocaleError, ValueError, TypeError):
            c.bad(
                ("locale",),
                f"'locale' must be a locale Babel knows, like kk_KZ, ru_KZ or en, "
                f"got {data['locale']!r}",
            )
    months = sections.get("months", {})
    for name, table in months.items():
        if (
            not isinstance(table, list)
            or len(table) != 12
            or not all(isinstance(t, str) and t for t in table)
        ):
            c.bad(("months", name), f"the month table '{name}' must list exactly 12 forms")
    if months and "month" not in months:
        c.bad(("months",), "the month table 'month' (the nominative, as in CLDR) is missing")
    date_fields = {"y", "d", *months}
    for role in DATE_ROLES:
        forms = sections.get("dates", {}).get(role)
        if forms is None:
            if "dates" in sections:
                c.bad(("dates",), f"the date role '{role}' is missing")
            continue
        forms = c.mapping(forms, ("dates", role), f"the date role '{role}'")
        for precision in PRECISIONS:
            if precision not in forms:
                c.bad(("dates", role), f"the date role '{role}' has no pattern for '{precision}'")
                continue
            allowed = date_fields - ({"d"} if precision != "day" else set())
            if precision == "year":
                allowed = {"y"}
            c.pattern(
                forms[precision],
                ("dates", role, precision),
                allowed,
                f"the {precision} pattern of the date role '{role}'",
            )
    _check_ranges(c, sections.get("ranges"), date_fields)
    _check_amounts(c, sections.get("amounts"))
    _check_ordinals(c, sections.get("ordinals"))
    lists = sections.get("lists", {})
    for key in ("two", "start", "middle", "end"):
        if "lists" in sections and key not in lists:
            c.bad(("lists",), f"the list pattern '{key}' is missing")
        elif key in lists:
            c.pattern(lists[key], ("lists", key), {"0", "1"}, f"the list pattern '{key}'")
    for code, names in sections.get("countries", {}).items():
        names = c.mapping(names, ("countries", code), f"the country '{code}'")
        for form in names:
            if form not in COUNTRY_FORMS:
                c.bad(
                    ("countries", code, form),
                    f"unknown country form '{form}'",
                    f"use: {', '.join(COUNTRY_FORMS)}",
                )
    for form, rule in sections.get("country_forms", {}).items():
        if form not in COUNTRY_FORMS or rule not in ("short", "none"):
            c.bad(
                ("country_forms", form),
                "country_forms maps long or of to 'short' "
                "(CLDR's name will do) or 'none' (each country needs a reviewed form)",
            )
    fallback = data.get("fallback") or []
    if not isinstance(fallback, list) or not all(isinstance(x, str) for x in fallback):
        c.bad(("fallback",), "'fallback' must list language codes, like [ru, en]")
    if "language_tag" in data and not (
        isinstance(data["language_tag"], str)
        and re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", data["language_tag"])
    ):
        c.bad(("language_tag",), "'language_tag' must be a language tag like kk-KZ or en-GB")
    return c.out


def _check_ranges(c: _Checker, ranges: dict | None, date_fields: set[str]) -> None:
    if ranges is None:
        return
    for key in ("sep", "spaced"):
        if not isinstance(ranges.get(key), str):
            c.bad(("ranges",), f"the range separator '{key}' is missing")
    start = c.mapping(ranges.get("start"), ("ranges", "start"), "'ranges: start'")
    for key in RANGE_STARTS:
        if key not in start:
            c.bad(("ranges", "start"), f"the start pattern '{key}' of a range is missing")
            continue
        allowed = date_fields | {"m"}
        if "y" not in key:
            allowed = allowed - {"y"}
        if not key.startswith("d"):
            allowed = allowed - {"d"}
        c.pattern(start[key], ("ranges", "start", key), allowed, f"the range start '{key}'")
    years = c.mapping(ranges.get("years") or {}, ("ranges", "years"), "'ranges: years'")
    for role, pattern in years.items():
        if role not in DATE_ROLES:
            c.bad(
                ("ranges", "years", role),
                f"unknown date role '{role}'",
                f"use one of: {', '.join(DATE_ROLES)}",
            )
        c.pattern(pattern, ("ranges", "years", role), {"y"}, f"the year range of '{role}'")


def _check_amounts(c: _Checker, amounts: dict | None) -> None:
    if amounts is None:
        return
    if amounts.get("compact") not in ("short", "long"):
        c.bad(("amounts", "compact"), "'compact' must be short (1,2 млрд) or long (1.2 billion)")
    qualifiers = c.mapping(amounts.get("qualifiers"), ("amounts", "qualifiers"), "'qualifiers'")
    for role in AMOUNT_ROLES:
        if role not in qualifiers:
            c.bad(("amounts", "qualifiers"), f"the amount role '{role}' is missing")
        else:
            c.pattern(
                qualifiers[role],
                ("amounts", "qualifiers", role),
                {"x"},
                f"the amount role '{role}'",
            )
    nouns = c.mapping(amounts.get("nouns") or {}, ("amounts", "nouns"), "'nouns'")
    currencies = c.mapping(amounts.get("currencies"), ("amounts", "currencies"), "'currencies'")
    for code, phrases in currencies.items():
        phrases = c.mapping(phrases, ("amounts", "currencies", code), f"the currency '{code}'")
        allowed = {"n", "noun"} if code in nouns else {"n"}
        for role in AMOUNT_ROLES:
            if role not in phrases:
                c.bad(("amounts", "currencies", code), f"the currency '{code}' has no '{role}'")
            else:
                c.pattern(
                    phrases[role],
                    ("amounts", "currencies", code, role),
                    allowed,
                    f"the '{role}' phrase of {code}",
                )
    for code, cases in nouns.items():
        cases = c.mapping(cases, ("amounts", "nouns", code), f"the nouns of '{code}'")
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


def _check_ordinals(c: _Checker, ordinals: dict | None) -> None:
    if ordinals is None:
        return
    if "pattern" not in ordinals:
        c.bad(("ordinals",), "the ordinal 'pattern' is missing")
    else:
        c.pattern(
            ordinals["pattern"], ("ordinals", "pattern"), {"n", "suffix"}, "the ordinal pattern"
        )
    kinds = [k for k in ("words", "categories", "genders") if k in ordinals]
    if len(kinds) != 1:
        c.bad(
            ("ordinals",),
            "the ordinals need exactly one of: words (suffix by vowel harmony), "
            "categories (suffix by CLDR's ordinal category) or genders (suffix by gender)",
        )
        return
    if kinds == ["words"]:
        words = c.mapping(ordinals["words"], ("ordinals", "words"), "'words'")
        for key, size in (("units", 10), ("tens", 10)):
            if not isinstance(words.get(key), list) or len(words[key]) != size:
                c.bad(("ordinals", "words", key), f"'{key}' must list {size} numeral words")
        for key in ("hundred", "thousand", "million", "billion"):
            if not isinstance(words.get(key), str):
                c.bad(("ordinals", "words"), f"the numeral word '{key}' is missing")
        for key in ("suffix", "back_vowels", "front_vowels"):
            if key not in ordinals:
                c.bad(("ordinals",), f"'{key}' is missing (vowel harmony needs it)")
    elif kinds == ["genders"] and ordinals.get("default") not in ordinals["genders"]:
        c.bad(("ordinals", "default"), "'default' must name one of the genders")
