"""A formatter bound to one brief's language: every date, number and amount goes through it."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

from babel import Locale
from babel.numbers import format_compact_decimal, format_decimal, format_percent
from babel.plural import PluralRule
from markupsafe import Markup, escape

from ..values import Amount, FuzzyDate, Text
from .house import HouseStyle

NBSP = "\u00a0"
MILLION = Decimal(10) ** 6


class Formatter:
    """Formats values for one language in its house style (no process-wide locale).

    >>> from generator.l10n.testing import formatter
    >>> formatter("kk").date(FuzzyDate.parse("2026-02-02"), "on")
    '2026 жылғы 2 ақпанда'
    """

    def __init__(self, house: HouseStyle, *, draft: bool = False):
        self.house = house
        self.lang = house.lang
        self.locale = Locale.parse(house.locale)
        self.draft = draft
        self.missing: list[tuple[str, str]] = []  # (language, text shown instead)

    # ---- dates -------------------------------------------------------------------------

    def date(self, value: FuzzyDate | dt.date | None, role: str = "plain") -> str:
        """A date in a role: plain, dateline, on, of, since, by; keeps its precision."""
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            value = FuzzyDate(value.year, value.month, value.day)
        if value.end is not None:
            return self._range(value, role)
        pattern = self.house.date_pattern(role, value.precision)
        return self._fill(pattern, value)

    def _fill(self, pattern: str, value: FuzzyDate) -> str:
        fields = {"y": str(value.year), "d": str(value.day or "")}
        if value.month:
            for form in self.house.data["months"]:
                key = "month" if form == "nominative" else form
                fields[key] = self.house.month_form(form, value.month)
        return pattern.format_map(_Strict(fields))

    def _range(self, value: FuzzyDate, role: str) -> str:
        start, end = value, value.end
        sep = self.house.data["dates"].get("range_sep", "–")
        first = FuzzyDate(start.year, start.month, start.day)
        if (start.precision == end.precision == "day" and start.year == end.year
                and start.month == end.month):
            # 21–22 October 2025: one month, two days
            whole = self.date(FuzzyDate(end.year, end.month, end.day), role)
            return whole.replace(f"{end.day}", f"{start.day}{sep}{end.day}", 1)
        if start.precision == end.precision == "year":
            pattern = self.house.date_pattern(role, "year")
            return pattern.replace("{y}", f"{start.year}{sep}{end.year}")
        return f"{self.date(first, role)}{sep}{self.date(end, 'plain')}"

    # ---- numbers -----------------------------------------------------------------------

    def number(self, value: int | Decimal, digits: int | None = None) -> str:
        """A number with the locale's separators (no-break spaces in kk and ru)."""
        value = _exact(value)
        if digits is not None:
            value = value.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_EVEN)
            return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0",
                                  locale=self.locale)
        return format_decimal(value, locale=self.locale)

    def compact(self, value: int | Decimal) -> str:
        """A large number in the house's compact form: 4,1 млрд / 4.1 billion."""
        value = _exact(value)
        if abs(value) < MILLION:
            return self.number(value)
        kind = self.house.data.get("amounts", {}).get("compact", "short")
        return format_compact_decimal(value, format_type=kind, fraction_digits=1,
                                      locale=self.locale).replace(" ", NBSP)

    def percent(self, value: Decimal | int, signed: bool = False, digits: int = 1) -> str:
        """A ratio as a percentage: Decimal('0.123') → 12,3%; signed adds + or −."""
        value = _exact(value)
        pattern = self.locale.percent_formats[None].pattern
        core = pattern.split(";")[0].replace("#,##0", "#,##0." + "0" * digits if digits else "#,##0")
        text = format_percent(abs(value) if signed else value, format=core, locale=self.locale)
        if signed:
            sign = "+" if value > 0 else "−" if value < 0 else ""
            text = sign + text
        return text.replace("-", "−")

    def amount(self, value: Amount | None, role: str | None = None) -> str:
        """A sum of money in the house style; the role defaults to the amount's qualifier."""
        if value is None:
            return ""
        role = role or value.qualifier or "plain"
        exact = abs(value.value) < MILLION
        number = self.number(value.value) if exact else self.compact(value.value)
        phrase = self.house.currency_phrase(value.currency, role)
        if phrase and exact:
            phrase = self._exact_plural(value, phrase)
        if phrase is None:
            # no reviewed phrase for this currency: the ISO code after the number,
            # wrapped in the locale's generic qualifier pattern ("over {x}")
            generic = self.house.data.get("amounts", {}).get("qualifiers", {}).get(role, "{x}")
            return generic.format(x=f"{number}{NBSP}{value.currency}")
        return phrase.format(n=number)

    def _exact_plural(self, value: Amount, phrase: str) -> str:
        forms = self.house.data.get("amounts", {}).get("exact_plural", {}).get(value.currency)
        if not forms:
            return phrase
        rule = PluralRule(self.locale.plural_form.rules)
        category = rule(value.value) if value.value == value.value.to_integral() else "other"
        many = forms.get("many")
        form = forms.get(category, many)
        return phrase.replace(many, form) if many and form else phrase

    def ordinal(self, number: int, gender: str | None = None) -> str:
        """An ordinal number: kk 8-ші / 6-шы, ru 8-е, en 8th."""
        data = self.house.data.get("ordinals", {})
        pattern = data.get("pattern", "{n}")
        if data.get("english"):
            n = abs(number)
            suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        elif "units" in data:
            suffix = data[_kazakh_last_word(number, data)]
        else:
            suffixes = data.get("genders", {})
            suffix = suffixes.get(gender, data.get("default", "")) if gender else data.get(
                "default", "")
        return pattern.format(n=number, suffix=suffix)

    # ---- words -------------------------------------------------------------------------

    def join(self, items) -> str:
        """A list in the house style: A, B және C / A, B и C / A, B and C."""
        items = [str(i) for i in items]
        style = self.house.data["lists"]
        if not items:
            return ""
        if len(items) == 1:
            return items[0]
        if len(items) == 2:
            return style["two"].format(*items)
        text = style["start"].format(items[0], items[1])
        for item in items[2:-1]:
            text = style["middle"].format(text, item)
        return style["end"].format(text, items[-1])

    def country(self, code: str, form: str = "short") -> str:
        """A country's name: reviewed override first, CLDR otherwise."""
        override = self.house.data.get("countries", {}).get(code.upper())
        if override and form in override:
            return override[form]
        return self.locale.territories.get(code.upper(), code)

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
        for lang in ("en", "ru", "kk"):
            other = value.get(lang)
            if other:
                self.missing.append((self.lang, other))
                return Markup('<span class="fallback" lang="{}">{}</span>').format(
                    lang, escape(other)
                )
        return ""


class _Strict(dict):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"the house style pattern uses '{{{key}}}', which is not a month table")


def _exact(value) -> Decimal:
    if isinstance(value, float):
        raise TypeError("pass an int or a Decimal, never a float (wrong Russian plurals)")
    return value if isinstance(value, Decimal) else Decimal(value)


def _kazakh_last_word(number: int, data: dict) -> str:
    """Which vowel class ('front' or 'back') the numeral's last spoken word has."""
    n = abs(number)
    if n == 0:
        return "back"  # нөл: the house writes 0-ші rarely; treat as back
    units = n % 10
    if units:
        return data["units"][units]
    tens = (n // 10) % 10
    if tens:
        return data["tens"][tens]
    for scale, key in ((10**9, "billion"), (10**6, "million"), (10**3, "thousand")):
        if n % scale == 0:
            return data[key]
    return data["hundred"]
