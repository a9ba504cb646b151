"""A formatter bound to one brief's language: every date, number and amount goes through it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from babel.support import Format
from markupsafe import Markup, escape

from generator.facts.values import DEFAULT_LANGUAGES, Amount, FuzzyDate, Text
from generator.l10n.house import AMOUNT_ROLES, HouseStyle, NumeralWords
from generator.l10n.locales import babel_locale
from generator.l10n.zone import TIME_ZONE

NBSP = "\u00a0"
MILLION = Decimal(10) ** 6
_DATE_FIELD = re.compile(r"\{(y|d|m|month\w*)\}")


@dataclass(frozen=True)
class Note:
    """Something the formatter had to show in a form nobody reviewed (reported by the build)."""

    kind: str  # fallback-text | country-form | currency-phrase
    text: Text | None = None  # fallback-text: the fact's text
    shown: str = ""  # fallback-text: the language shown instead; otherwise what was shown
    subject: str = ""  # country-form: 'XX of'; currency-phrase: the currency code


class Formatter:
    """Formats values for one language in its house style, in Asia/Almaty time.

    The locale is always this one (never the process's), and its CLDR data is its own.

    >>> from generator.l10n.testing import formatter
    >>> formatter("kk").date(FuzzyDate.parse("2026-02-02"), "on")
    '2026 жылғы 2 ақпанда'
    """

    def __init__(
        self,
        house: HouseStyle,
        *,
        draft: bool = False,
        tzinfo: dt.tzinfo = TIME_ZONE,
        languages: tuple[str, ...] = DEFAULT_LANGUAGES,
    ):
        self.house = house
        self.lang = house.lang
        self.fallback = house.fallback or [x for x in languages if x != house.lang]
        self.locale = babel_locale(house.locale)
        self.tzinfo = tzinfo
        self.babel = Format(self.locale, tzinfo)
        self.draft = draft
        self.notes: list[Note] = []

    # ---- dates -------------------------------------------------------------------------

    def date(self, value: FuzzyDate | dt.date | None, role: str = "plain") -> str:
        """A date in a role (plain, dateline, on, of, since, by), keeping its precision; one
        the analyst inferred reads as such ("probably in October 2022").

        A datetime with a time zone is read in Asia/Almaty; one without is taken as
        Almaty wall time (never as UTC).
        """
        if value is None:
            return ""
        value = self._fuzzy(value)
        if value.end is not None:
            text = self._range(value, role)
        else:
            text = self._fill(self.house.date_pattern(role, value.precision), value)
        inferred = self.house.style.dates.inferred
        return inferred.format(date=text) if value.inferred and inferred else text

    def _fuzzy(self, value: FuzzyDate | dt.date) -> FuzzyDate:
        if isinstance(value, FuzzyDate):
            return value
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(self.tzinfo)
            value = value.date()
        if isinstance(value, dt.date):
            return FuzzyDate(value.year, value.month, value.day)
        raise TypeError(f"a date is expected, got {value!r}")

    def _fill(self, pattern: str, value: FuzzyDate, month_as: str | None = None) -> str:
        fields = {"y": str(value.year), "d": str(value.day or "")}
        if value.month:
            for table in self.house.style.months:
                fields[table] = self.house.month_form(table, value.month)
            fields["m"] = fields[month_as or "month"]
        return pattern.format_map(fields)

    def _range(self, value: FuzzyDate, role: str) -> str:
        start = FuzzyDate(value.year, value.month, value.day)
        end = value.end
        assert end is not None  # a range
        ranges = self.house.style.ranges
        if start.precision == end.precision == "year":
            pattern = self.house.year_range_pattern(role)
            return pattern.format(y=f"{start.year}{ranges.sep}{end.year}")
        pattern = self.house.date_pattern(role, end.precision)
        same_year = start.year == end.year and end.precision != "year"
        if start.precision == "day":
            same_month = same_year and start.month == end.month and end.precision == "day"
            key = "d" if same_month else "d_month" if same_year else "d_month_y"
        elif start.precision == "month":
            key = "month" if same_year else "month_y"
        else:
            key = "y"
        shown = {
            "d": {"d"},
            "d_month": {"d", "month"},
            "d_month_y": {"y", "d", "month"},
            "month": {"month"},
            "month_y": {"y", "month"},
            "y": {"y"},
        }[key]
        # the start goes before the first field of the end's pattern that it also shows
        at = next(
            (
                m
                for m in _DATE_FIELD.finditer(pattern)
                if (m.group(1) if m.group(1) in ("y", "d") else "month") in shown
            ),
            None,
        )
        pos = at.start() if at else 0
        end_month = next(
            (m.group(1) for m in _DATE_FIELD.finditer(pattern) if m.group(1).startswith("month")),
            "month",
        )
        start_text = (
            self._fill(getattr(ranges.start, key), start, end_month)
            if key != "y"
            else str(start.year)
        )
        sep = ranges.spaced if " " in start_text or start.precision != end.precision else ranges.sep
        return self._fill(pattern[:pos], end) + start_text + sep + self._fill(pattern[pos:], end)

    # ---- numbers -----------------------------------------------------------------------

    def number(self, value: int | Decimal, digits: int | None = None) -> str:
        """A number with the locale's separators (no-break spaces in kk and ru).

        >>> from generator.l10n.testing import formatter
        >>> formatter("ru").number(5300000) == "5\\u00a0300\\u00a0000"
        True
        """
        value = _exact(value)
        if digits is None:
            return self.babel.decimal(value)
        pattern = "#,##0." + "0" * digits if digits else "#,##0"
        return self.babel.decimal(value, format=pattern)

    def compact(self, value: int | Decimal) -> str:
        """A large number in the house's compact form: 4,1 млрд / 4.1 billion."""
        value = _exact(value)
        if abs(value) < MILLION:
            return self.number(value)
        kind = self.house.style.amounts.compact
        return self.babel.compact_decimal(value, format_type=kind, fraction_digits=1).replace(
            " ", NBSP
        )

    def percent(
        self, value: Decimal | int, signed: bool = False, digits: int = 1, fixed: bool = False
    ) -> str:
        """A ratio as a percentage: Decimal('0.123') → 12,3 %; signed adds + or −. Up to
        `digits` decimals, a trailing zero dropped (41 %, as prose writes it) unless `fixed`
        (a column of figures keeps one number of decimals).

        >>> from generator.l10n.testing import formatter
        >>> en = formatter("en")
        >>> en.percent(Decimal("0.41")), en.percent(Decimal("0.41"), fixed=True)
        ('41%', '41.0%')
        """
        value = _exact(value)
        pattern = self.locale.percent_formats[None].pattern.split(";")[0]
        decimals = ("0" if fixed else "#") * digits
        pattern = pattern.replace("#,##0", "#,##0." + decimals if digits else "#,##0")
        text = self.babel.percent(abs(value) if signed else value, format=pattern)
        if signed:
            text = ("+" if value > 0 else "−" if value < 0 else "") + text
        return text.replace("-", "−")

    def amount(self, value: Amount | None, role: str | None = None, exact: bool = False) -> str:
        """A sum of money in the house style; the role defaults to the amount's qualifier.

        Amounts of a million and more are compact (1,2 млрд) unless `exact` is asked for.
        """
        if value is None:
            return ""
        role = role or value.qualifier or "plain"
        if role not in AMOUNT_ROLES:
            raise ValueError(
                f"unknown amount role '{role}'; use one of: " + ", ".join(AMOUNT_ROLES)
            )
        number = _exact(value.value)
        compact = not exact and abs(number) >= MILLION
        text = self.compact(number) if compact else self.number(number)
        phrase = self.house.currency_phrase(value.currency, role)
        if phrase is None:
            # no reviewed phrase for this currency: the ISO code after the number, in the
            # locale's generic pattern of the role ("over {x}"), and a note for the build
            self._note(Note("currency-phrase", shown=value.currency, subject=value.currency))
            generic = getattr(self.house.style.amounts.qualifiers, role)
            return generic.format(x=f"{text}{NBSP}{value.currency}")
        category = "many" if compact else self.locale.plural_form(number)
        noun = self.house.currency_noun(value.currency, role, category)
        return phrase.format(n=text, noun=noun or "")

    def ordinal(self, number: int, gender: str | None = None) -> str:
        """An ordinal number: kk 8-ші / 6-шы, ru 8-е (8-й, 8-я by gender), en 8th."""
        if isinstance(number, bool) or not isinstance(number, int):
            raise TypeError(f"an ordinal needs a whole number, got {number!r}")
        style = self.house.style.ordinals
        if style.words is not None and style.suffix is not None:
            suffix = style.suffix[self._harmony(number)]
        elif style.categories is not None:
            categories = style.categories
            category = self.locale.ordinal_form(number)
            suffix = categories.get(category, categories.get("other", ""))
        else:
            genders = style.genders or {}
            if gender is not None and gender not in genders:
                raise ValueError(f"unknown gender '{gender}'; use one of: {', '.join(genders)}")
            suffix = genders[gender or style.default or ""]
        return style.pattern.format(n=number, suffix=suffix)

    def _harmony(self, number: int) -> Literal["back", "front"]:
        """'back' or 'front': the class of the last vowel of the numeral's last word."""
        style = self.house.style.ordinals
        assert style.words is not None  # the house style is checked: words come with vowels
        word = _last_numeral_word(abs(number), style.words)
        for letter in reversed(word):
            if letter in (style.back_vowels or ""):
                return "back"
            if letter in (style.front_vowels or ""):
                return "front"
        return "front"

    # ---- words -------------------------------------------------------------------------

    def join(self, items) -> str | Markup:
        """A list in the house style: A, B және C / A, B и C / A, B and C."""
        items = list(items)
        style = self.house.style.lists
        if not items:
            return ""
        marked = any(isinstance(i, Markup) for i in items)
        wrap = (lambda s: escape(s)) if marked else str
        parts = [wrap(i) for i in items]
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            return wrap(style.two).format(*parts)
        text = wrap(style.start).format(parts[0], parts[1])
        for item in parts[2:-1]:
            text = wrap(style.middle).format(text, item)
        return wrap(style.end).format(text, parts[-1])

    def country(self, code: str, form: str = "short") -> str:
        """A country's name: short, long (official) or of (after "Embassy of").

        Reviewed names in the house style come first, CLDR's otherwise.
        """
        code = str(code).upper()
        if form not in ("short", "long", "of"):
            raise ValueError(f"unknown country form '{form}'; use short, long or of")
        override = self.house.style.countries.get(code)
        reviewed = getattr(override, form) if override is not None else None
        if reviewed:
            return reviewed
        short = (override.short if override else None) or self.locale.territories.get(code)
        if short is None:
            raise ValueError(f"'{code}' is not a country code CLDR knows")
        rule = self.house.style.country_forms.get(form, "short")  # type: ignore[call-overload]
        if form != "short" and rule == "none":
            self._note(Note("country-form", shown=short, subject=f"{code} {form}"))
        return short

    def language(self, code: str) -> str:
        """A language's name in the brief's language (CLDR)."""
        return self.locale.languages.get(code, code)

    def text(self, value: Text | None) -> str | Markup:
        """A fact's text in the brief's language; a missing one falls back visibly."""
        if value is None:
            return ""
        own = value.get(self.lang)
        if own:
            return own
        for lang in self.fallback:
            other = value.get(lang)
            if other:
                self._note(Note("fallback-text", text=value, shown=lang))
                return Markup('<span class="fallback" lang="{}">{}</span>').format(lang, other)
        return ""

    def _note(self, note: Note) -> None:
        if note not in self.notes:
            self.notes.append(note)


def _exact(value: Any) -> Decimal:
    """An int or Decimal as a Decimal; floats are refused (Babel's Russian plurals)."""
    if isinstance(value, float):
        raise TypeError(
            "pass an int or a Decimal, never a float (floats give wrong Russian plural forms)"
        )
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"a number is expected, got {value!r}")
    return value if isinstance(value, Decimal) else Decimal(value)


def _last_numeral_word(n: int, words: NumeralWords) -> str:
    """The last word of the numeral as spoken: 21 → бір, 30 → отыз, 100 → жүз, 2000 → мың."""
    group = n % 1000
    if group:
        if group % 10:
            return words.units[group % 10]
        if group // 10 % 10:
            return words.tens[group // 10 % 10] or ""
        return words.hundred
    if n == 0:
        return words.units[0]
    if n // 10**3 % 1000:
        return words.thousand
    if n // 10**6 % 1000:
        return words.million
    return words.billion
