"""Value types of the fact base: dates with precision, amounts with currency, texts per language."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from generator.errors import ValueProblem

DATE_FORMS = "2024-03-01 (a day), 2024-03 (a month) or 2024 (a year)"


DEFAULT_LANGUAGES = ("kk", "ru", "en")  # the brief's languages when brief.yaml names none


@dataclass(frozen=True)
class Origin:
    """Where a text is written: its file, the line of its key and of each language's text."""

    path: str
    line: int | None
    lines: tuple[tuple[str, int], ...] = ()
    field: str = "text"  # the key the text is written under, e.g. 'title'

    def line_of(self, lang: str) -> int | None:
        """The line of one language's text (the key's line when it is written inline)."""
        return dict(self.lines).get(lang, self.line)


# a figure or a person of the facts named in a text, filled in when the brief is rendered:
# {trade 2021 turnover}, {trade 2021 exports to}, {target ID}, {investment ID}, {person ID}
PLACEHOLDER = re.compile(r"\{([a-z_]+)((?:\s+[^{}\s]+)*)\s*\}")
PLACEHOLDER_KINDS = ("trade", "target", "investment", "person")


class Text:
    """A free text in each of the brief's languages: {kk: ..., ru: ..., en: ...}.

    It knows where it is written (`origin`) once the project loader has placed it.

    >>> text = Text.parse({"kk": "Анкара", "ru": "Анкара", "en": "Ankara"})
    >>> text.get("en"), text.missing(["kk", "tr"])
    ('Ankara', ['tr'])
    """

    __slots__ = ("_texts", "origin")

    _texts: dict[str, str]
    origin: Origin | None

    def __init__(self, texts: dict[str, str | None] | None = None, /, **by_lang: str | None):
        merged = {**(texts or {}), **by_lang}
        object.__setattr__(self, "_texts", {k: v for k, v in merged.items() if v})
        object.__setattr__(self, "origin", None)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Text cannot be changed")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and self._texts == other._texts

    def __hash__(self) -> int:
        return hash(tuple(self._texts.items()))

    def __repr__(self) -> str:
        return "Text(" + ", ".join(f"{k}={v!r}" for k, v in self._texts.items()) + ")"

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages that have a text, in the order they are written."""
        return tuple(self._texts)

    def get(self, lang: str) -> str | None:
        """The text in `lang`, or None when it is missing."""
        return self._texts.get(lang)

    def missing(self, langs: Iterable[str]) -> list[str]:
        """The languages among `langs` that have no text."""
        return [lang for lang in langs if not self.get(lang)]

    def any(self) -> str:
        """Some text, in the first language written (for messages)."""
        return next(iter(self._texts.values()), "")

    def locate(self, origin: Origin) -> None:
        """Record where the text is written (once, by the project loader)."""
        if self.origin is None:
            object.__setattr__(self, "origin", origin)

    @classmethod
    def parse(cls, value: Any, langs: Iterable[str] | None = None) -> Text:
        """Read {kk: ..., ru: ..., en: ...}; a plain string is refused (say which language it
        is), and so is a language that is not one of `langs` (the brief's languages)."""
        langs = tuple(langs or DEFAULT_LANGUAGES)
        if isinstance(value, Text):
            return value
        if isinstance(value, str):
            raise ValueProblem(
                f"must be a text in each language, like {_example(langs)}, "
                f"got a single text {_short(value)!r}"
            )
        if not isinstance(value, dict):
            raise ValueProblem(
                f"must be a text in each language, like {_example(langs)}, got {value!r}"
            )
        _refuse_split(value, langs)
        unknown = [k for k in value if k not in langs and not _is_language(k)]
        if unknown:
            raise ValueProblem(f"unknown language {unknown[0]!r}: texts are given as {_and(langs)}")
        for lang, text in value.items():
            if text is not None and not isinstance(text, str):
                raise ValueProblem(f"the {lang} text must be text, got {text!r}")
            control = _CONTROL.search(text) if isinstance(text, str) else None
            if control:
                raise ValueProblem(
                    f"the {lang} text contains a control character "
                    f"(U+{ord(control.group()):04X}); remove it"
                )
        parsed = cls({k: (v.strip() if isinstance(v, str) else None) for k, v in value.items()})
        if not parsed.languages:
            raise ValueProblem("the text is empty in every language")
        return parsed


def _refuse_split(value: dict, langs: tuple[str, ...]) -> None:
    """Refuse a one-line text cut at its commas: in {kk: Бір, екі, ru: ...} YAML reads 'екі'
    as a key without a value; say so and show the text in quotes.

    >>> _refuse_split({"kk": "Бір", "екі": None, "ru": "Раз", "en": "One"}, ("kk", "ru", "en"))
    Traceback (most recent call last):
    ...
    generator.errors.ValueProblem: 'екі' is not a language — a comma inside a one-line \
{kk: …, ru: …} text splits it; put the text in quotes: {kk: "Бір, екі", …}
    """
    cut: dict[str, list[str]] = {}  # language → the pieces after its text's commas
    pieces: list[str] = []
    lang = None
    for key, text in value.items():
        if key in langs:
            lang = key if isinstance(text, str | int | float) else None
        elif lang is not None and text in (None, "") and not isinstance(key, bool):
            cut.setdefault(lang, []).append(str(key))
            pieces.append(str(key))
        else:
            lang = None
    if not cut:
        return
    first = pieces[0]
    said = (
        f"{first!r} has no text"
        if _is_language(first)
        else f"{first!r} is not a language"
        if len(pieces) == 1
        else f"{_and(tuple(repr(p) for p in pieces))} are not languages"
    )
    quoted = ", ".join(
        f'{lang}: "' + ", ".join([str(value[lang]), *rest]) + '"' for lang, rest in cut.items()
    )
    raise ValueProblem(
        f"{said} — a comma inside a one-line {{{', '.join(f'{k}: …' for k in langs[:2])}}} "
        f"text splits it; put the text in quotes: {{{quoted}, …}}"
    )


def _is_language(code: Any) -> bool:
    """Whether `code` names a language CLDR knows (a text may carry more languages than the
    brief's: they are kept, not shown)."""
    from babel.localedata import exists

    return isinstance(code, str) and code.isascii() and code.islower() and exists(code)


def _example(langs: tuple[str, ...]) -> str:
    return "{" + ", ".join(f"{lang}: ..." for lang in langs) + "}"


def _and(langs: tuple[str, ...]) -> str:
    return ", ".join(langs[:-1]) + " and " + langs[-1] if len(langs) > 1 else langs[0]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class FuzzyDate:
    """A date known to a year, a month or a day; optionally a range and optionally inferred.

    >>> FuzzyDate.parse("2009-10").precision
    'month'
    >>> FuzzyDate.parse(1992).first_day()
    datetime.date(1992, 1, 1)
    """

    year: int
    month: int | None = None
    day: int | None = None
    end: FuzzyDate | None = None
    inferred: bool = False
    note: Text | None = None  # why an inferred date is what it is
    written: str | None = None  # how the source words a date it gives relatively ("былтыр")

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> dt.date:
        """The earliest calendar day this date can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The latest calendar day this date (or range) can mean."""
        if self.end is not None:
            return self.end.last_day()
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def iso(self) -> str:
        """The date as the analyst would write it: 2024, 2024-03 or 2024-03-01 (and /end)."""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        if self.end is not None:
            text += "/" + self.end.iso()
        return text

    def __str__(self) -> str:
        return self.iso()

    def sort_key(self) -> tuple:
        """Order by the first day meant, then by the last (2009 sorts before 2009-10)."""
        return (self.first_day(), self.last_day())

    def __lt__(self, other: FuzzyDate) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: FuzzyDate) -> bool:
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: FuzzyDate) -> bool:
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: FuzzyDate) -> bool:
        return self.sort_key() >= other.sort_key()

    @classmethod
    def parse(cls, value: Any, langs: Iterable[str] | None = None) -> FuzzyDate:
        """Read a date as written in YAML: 2024, '2024-03', '2024-03-01', 'a/b', or a mapping."""
        if isinstance(value, FuzzyDate):
            return value
        if isinstance(value, dict):
            unknown = set(value) - {"value", "inferred", "note", "written"}
            if unknown or "value" not in value:
                raise ValueProblem(
                    "a date with details is a mapping {value: 2025-12, inferred: true, "
                    "note: {...}} or {value: 2024, written: былтыр}"
                )
            base = cls.parse(value["value"])
            inferred = value.get("inferred", False)
            if not isinstance(inferred, bool):
                raise ValueProblem("'inferred' must be true or false")
            note = Text.parse(value["note"], langs) if value.get("note") is not None else None
            written = value.get("written")
            if written is not None and (not isinstance(written, str) or not written.strip()):
                raise ValueProblem("'written' is the source's own words for the date, as text")
            return cls(
                base.year,
                base.month,
                base.day,
                base.end,
                inferred,
                note,
                written.strip() if written else None,
            )
        if isinstance(value, bool) or value is None:
            raise ValueProblem(f"must be a date like {DATE_FORMS}, got {value!r}")
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str):
            raise ValueProblem(f"must be a date like {DATE_FORMS}, got {value!r}")
        text = value.strip()
        if "/" in text:
            start_text, _, end_text = text.partition("/")
            start = cls.parse(start_text)
            end = cls.parse(end_text)
            if end.first_day() < start.first_day():
                raise ValueProblem(f"the range {text} ends before it starts")
            return cls(start.year, start.month, start.day, end)
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
        if not m:
            raise ValueProblem(f"must be a date like {DATE_FORMS}, got {value!r}")
        year = int(m.group(1))
        month, day = (int(g) if g else None for g in m.groups()[1:])
        if year < 1:
            raise ValueProblem(f"{text} has no year 0: years run from 0001")
        if month is not None and not 1 <= month <= 12:
            raise ValueProblem(f"{text} has no month {month}: months run from 01 to 12")
        if day is not None and month is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueProblem(
                    f"{text} is not a real date: {calendar.month_name[month]} {year} "
                    f"has {last} days"
                )
        return cls(year, month, day)


QUALIFIERS = ("over", "about", "nearly", "under", "up_to")
# scale words after a number, each with its power of ten; a longer word starting with one of
# the full words is the same scale in another ending (миллиардқа, тысяч, billions)
SCALE_WORDS = {
    "k": 3, "thousand": 3, "тыс": 3, "тысяч": 3, "мың": 3,
    "m": 6, "mn": 6, "million": 6, "млн": 6, "миллион": 6,
    "bn": 9, "billion": 9, "млрд": 9, "миллиард": 9,
    "tn": 12, "trillion": 12, "трлн": 12, "триллион": 12,
}  # fmt: skip
AMOUNT_FORMS = "'4.1 bn USD', 'over 500 mn USD' or '1200000 KZT'"
# a number as analysts write it: digits with points, commas, apostrophes or spaces between
_NUMBER = re.compile(r"[+-]?\d(?:[\d.,'’_]|[ \u00a0\u202f\u2009](?=\d))*")
_GROUP_SPACES = " \u00a0\u202f\u2009'’"  # thousands separators that are never decimal ones


@dataclass(frozen=True)
class Amount:
    """A sum of money: an exact Decimal, an ISO 4217 currency, and a qualifier such as 'over'.

    >>> Amount.parse("over 5 bn USD")
    Amount(value=Decimal('5000000000'), currency='USD', qualifier='over')

    A comma is a decimal comma where nothing else can be meant, and spaces group thousands:

    >>> Amount.parse("4,4 bn USD").value, Amount.parse("4,4 млрд USD").value
    (Decimal('4400000000'), Decimal('4400000000'))
    >>> Amount.parse("1 200 000 KZT").value, Amount.parse("1,200,000.5 KZT").value
    (Decimal('1200000'), Decimal('1200000.5'))
    >>> Amount.parse({"value": "0,75", "currency": "USD"}).value
    Decimal('0.75')
    """

    value: Decimal
    currency: str
    qualifier: str | None = None

    @classmethod
    def parse(cls, value: Any) -> Amount:
        """Read an amount: '4.1 bn USD', '4,1 млрд USD', 'over 5 bn USD', '1 200 000 KZT',
        or {value, currency, qualifier}; a number that could mean two things is refused.

        >>> Amount.parse("4,100 bn USD")
        Traceback (most recent call last):
        ...
        generator.errors.ValueProblem: '4,100' could be 4.1 or 4100 (a comma can mark \
decimals or thousands): write 4.1 or 4100
        """
        if isinstance(value, Amount):
            return value
        if isinstance(value, dict):
            unknown = set(value) - {"value", "currency", "qualifier"}
            split = [k for k in unknown if re.fullmatch(r"[0-9]+", str(k)) and value[k] is None]
            if split and isinstance(value.get("value"), int):
                # {value: 4,4, currency: USD}: in braces a comma ends the value (4), then '4'
                raise ValueProblem(
                    f"the value {value['value']},{split[0]} is cut at its comma inside {{...}}: "
                    f'put it in quotes, like {{value: "{value["value"]},{split[0]}", currency: '
                    f"{value.get('currency', 'USD')}}}"
                )
            if unknown:
                raise ValueProblem(
                    f"an amount mapping has only value, currency and qualifier, "
                    f"not {', '.join(sorted(unknown))}"
                )
            if "currency" not in value:
                raise ValueProblem(f"the amount has no currency: write it like {AMOUNT_FORMS}")
            number = _decimal(value.get("value"))
            qualifier = value.get("qualifier")
            return cls._make(number, str(value["currency"]), qualifier)
        if isinstance(value, bool) or value is None:
            raise ValueProblem(f"must be an amount like {AMOUNT_FORMS}, got {value!r}")
        if isinstance(value, int | float):
            raise ValueProblem(
                f"the amount {getattr(value, 'text', value)} has no currency: "
                f"write it like {AMOUNT_FORMS}"
            )
        text = str(value).strip()
        qualifier, text = _qualifier(text)
        m = _NUMBER.match(text)
        if not m:
            raise ValueProblem(f"must be an amount like {AMOUNT_FORMS}, got {value!r}")
        number = _decimal(m.group())
        words = text[m.end() :].split()
        if words and words[0].lower().rstrip(".") in SCALE_WORDS:
            number *= Decimal(10) ** SCALE_WORDS[words.pop(0).lower().rstrip(".")]
        if not words:
            raise ValueProblem(
                f"the amount {value!r} has no currency: write it like {AMOUNT_FORMS}"
            )
        if len(words) == 2 and re.fullmatch(r"[A-Z]{3}", words[1]):
            raise ValueProblem(
                f"{words[0]!r} is not a scale of an amount: write bn, mn, thousand "
                f"(or млрд, млн, мың), like {AMOUNT_FORMS}"
            )
        if len(words) > 1:
            raise ValueProblem(f"must be an amount like {AMOUNT_FORMS}, got {value!r}")
        return cls._make(number, words[0], qualifier)

    @classmethod
    def _make(cls, number: Decimal, currency: str, qualifier: Any) -> Amount:
        if qualifier is not None and qualifier not in QUALIFIERS:
            raise ValueProblem(
                f"unknown qualifier {qualifier!r}: use one of {', '.join(QUALIFIERS)}"
            )
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise ValueProblem(
                f"{currency!r} is not a currency code: "
                "use ISO 4217 codes such as USD, KZT, TRY, EUR"
            )
        from babel.numbers import is_currency

        if not is_currency(currency):
            raise ValueProblem(f"{currency!r} is not a known ISO 4217 currency code")
        if number == number.to_integral():
            number = number.quantize(Decimal(1))
        return cls(number, currency, qualifier)

    def __str__(self) -> str:
        q = (self.qualifier.replace("_", " ") + " ") if self.qualifier else ""
        return f"{q}{self.value:f} {self.currency}"


def _qualifier(text: str) -> tuple[str | None, str]:
    """The qualifier an amount starts with ('over', 'up to', ...) and the rest of it."""
    words = text.split(None, 2)
    if words and words[0].lower() in ("over", "about", "nearly", "under"):
        return words[0].lower(), text[len(words[0]) :].strip()
    if len(words) > 1 and [w.lower() for w in words[:2]] == ["up", "to"]:
        return "up_to", words[2] if len(words) > 2 else ""
    return None, text


def _decimal(value: Any) -> Decimal:
    """A number as the analyst wrote it, exactly: a decimal point or comma, thousands grouped
    by spaces, apostrophes or (in English) commas; never a silent change of magnitude.

    >>> _decimal("4,4"), _decimal("12,5"), _decimal("0,750"), _decimal("1234,5678")
    (Decimal('4.4'), Decimal('12.5'), Decimal('0.750'), Decimal('1234.5678'))
    >>> _decimal("1 200 000"), _decimal("1\u00a0200,5"), _decimal("1'200'000")
    (Decimal('1200000'), Decimal('1200.5'), Decimal('1200000'))
    >>> _decimal("1,200,000"), _decimal("1,200.5")
    (Decimal('1200000'), Decimal('1200.5'))
    >>> _decimal("1,200")
    Traceback (most recent call last):
    ...
    generator.errors.ValueProblem: '1,200' could be 1.2 or 1200 (a comma can mark decimals \
or thousands): write 1.2 or 1200
    """
    text = str(getattr(value, "text", None) or value).strip()
    try:
        number = Decimal(_plain(text))
    except InvalidOperation:
        raise ValueProblem(f"{text!r} is not a number") from None
    if not number.is_finite():
        raise ValueProblem(f"{text!r} is not a number")
    if abs(number.adjusted()) > 15:
        raise ValueProblem(f"{text!r} is out of range: write the amount like {AMOUNT_FORMS}")
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number
    return number


def _plain(text: str) -> str:
    """`text` with its thousands separators removed and its decimal separator a point,
    where only one reading is possible; a ValueProblem where two are."""
    sign, body = (text[0], text[1:]) if text[:1] in ("+", "-") else ("", text)
    if not re.fullmatch(r"\d[\d.,'’ \u00a0\u202f\u2009]*", body):
        return text  # not written with separators: Decimal reads it or says it is no number
    groups = re.split(f"[{_GROUP_SPACES}]", body)
    if len(groups) > 1:
        # spaced or apostrophed thousands: 1 200 000, 1 200,5 (a comma after them is decimal)
        last = re.fullmatch(r"(\d{3})(?:[.,](\d+))?", groups[-1])
        if not (
            re.fullmatch(r"\d{1,3}", groups[0])
            and all(re.fullmatch(r"\d{3}", g) for g in groups[1:-1])
            and last
        ):
            raise ValueProblem(
                f"{text!r} is not a number: group thousands in threes, like 1 200 000 or 4 100,5"
            )
        whole = "".join(groups[:-1]) + last.group(1)
        if "," in groups[-1] and len(last.group(2)) == 3:
            _ambiguous(text, sign, whole, last.group(2))  # 1 200,000: 1200 or 1200000?
        return sign + whole + (f".{last.group(2)}" if last.group(2) else "")
    if "," not in body:
        if body.count(".") > 1:
            raise ValueProblem(
                f"{text!r} is not a number: a point is the decimal separator; "
                f"group thousands with spaces, like 1 200 000"
            )
        return text
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", body) and (body.count(",") > 1 or "." in body):
        return sign + body.replace(",", "")  # English grouping: 1,200,000 or 1,200.5
    whole, _, fraction = body.partition(",")
    if re.fullmatch(r"\d+", whole) and re.fullmatch(r"\d+", fraction):
        if len(fraction) != 3 or whole == "0" or len(whole) > 3:
            return f"{sign}{whole}.{fraction}"  # a decimal comma: 4,4 / 0,75 / 12,5 / 0,750
        _ambiguous(text, sign, whole, fraction)
    raise ValueProblem(
        f"{text!r} is not a number: write it with one decimal separator and thousands "
        f"grouped by spaces, like 4.1, 4,1 or 1 200 000"
    )


def _ambiguous(text: str, sign: str, whole: str, fraction: str) -> None:
    """Refuse a comma followed by three digits: it can mark decimals or thousands."""
    decimal = Decimal(f"{whole}.{fraction}").normalize()
    decimal = decimal.quantize(Decimal(1)) if decimal == decimal.to_integral() else decimal
    one, other = f"{sign}{decimal:f}", f"{sign}{whole}{fraction}"
    raise ValueProblem(
        f"{text!r} could be {one} or {other} (a comma can mark decimals or thousands): "
        f"write {one} or {other}"
    )
