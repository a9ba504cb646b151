"""Numbers in the analysts' prose: in their language's house style, and agreeing with the facts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from generator.errors import BriefError, Finding, Findings
from generator.facts.asof import as_of, people_as_of
from generator.facts.model import TRADE_FIGURES, Dossier, TradeYear
from generator.facts.project import Project
from generator.facts.values import PLACEHOLDER, SCALE_WORDS, Amount, Text
from generator.facts.walk import records, texts
from generator.l10n.format import Formatter
from generator.l10n.house import load_house
from generator.l10n.locales import babel_locale
from generator.render.prose import Mentions, fill

_SPACES = " \u00a0\u202f"
# a number as written in prose: 4,1 / 4.1 / 1 200 000 / 1,200,000, and a percent sign after it
_NUMBER = re.compile(
    r"(?<![\w.,/\-])"  # not the inside of a word, a date, a code or another number
    r"(?P<num>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,]\d+)*)"
    r"(?P<pct>[ \u00a0\u202f]?%)?"
)
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|„[^“”]*[“”]|\"[^\"]*\"")  # titles and words quoted
_NUMBERED = re.compile(r"(?:№|\bNo\.?|\bNr\.?)\s*$")  # № 1(142), No. 2
_LATIN_WORD = re.compile(r"[A-Za-z]\s$")  # a name in Latin letters: Industry 4.0
_SCALES = tuple(
    (re.escape(word) + r"\w*\.?", Decimal(10) ** power)
    for word, power in SCALE_WORDS.items()
    if len(word) > 1  # 4 m, 5 k in prose are no sums of money
)
_CURRENCIES = (  # the ISO codes in capitals only: "10 bn try" is no Turkish lira
    (r"(?-i:USD)|US\$|\$|dollars?|(?:АҚШ\s+)?доллар\w*|долл\.", "USD"),
    (r"(?-i:KZT)|tenge|тенге|теңге\w*|₸", "KZT"),
    (r"(?-i:EUR)|euros?|евро|€", "EUR"),
    (r"(?-i:TRY)|(?:Turkish\s+)?liras?|лир[аы]\w*", "TRY"),
    (r"(?-i:RUB)|roubles?|rubles?|рубл\w*|₽", "RUB"),
)
_AFTER = re.compile(
    r"[ \u00a0\u202f]*(?:(?P<scale>"
    + "|".join(f"(?:{p})" for p, _ in _SCALES)
    + r")(?!\w))?[ \u00a0\u202f]*(?:(?P<cur>"
    + "|".join(f"(?:{p})" for p, _ in _CURRENCIES)
    + r")(?!\w))?",
    re.IGNORECASE,
)
# after a scale without a currency: a quantity, not a sum of money (4,5 млн тонн)
_UNITS = re.compile(
    r"[ \u00a0\u202f]*(?:tonnes?|tons?|тонн\w*|т\b|barrels?|баррел\w*|people|persons?|"
    r"человек\w*|адам\w*|tourists?|турист\w*|passengers?|пассажир\w*|cubic|куб\w*|km|км|"
    r"kilomet\w*|километр\w*|kWh|кВт\w*|MW|МВт\w*|students?|студент\w*|doses?|доз\w*)",
    re.IGNORECASE,
)
_MORE = re.compile(
    r"(?:over|more than|above|exceed\w*|более|свыше|больше|превы\w*)\W*$", re.IGNORECASE
)
_LESS = re.compile(r"(?:under|less than|below|up to|менее|меньше|до)\W*$", re.IGNORECASE)
_ABOUT = re.compile(
    r"(?:about|around|approximately|nearly|almost|some|около|примерно|порядка|почти|"
    r"приблизительно|шамамен)\W*$",
    re.IGNORECASE,
)
_MORE_AFTER = re.compile(r"^\W*(?:астам|ас\w*|артық|or more|plus)", re.IGNORECASE)
_LESS_AFTER = re.compile(r"^\W*(?:дейін|кем|аз)\b", re.IGNORECASE)
_ABOUT_AFTER = re.compile(r"^\W*(?:жуық|шамасында)", re.IGNORECASE)
_TRADE = re.compile(
    r"\btrade\b|turnover|\bexports?\b|\bimports?\b|оборот|торгов|экспорт|импорт|айналым|сауда",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d{2}(?![\d.,]?\d)")
_CLAUSE = re.compile(r";\s*|(?<=[.!?])\s+")  # a decimal point is not followed by a space


@dataclass(frozen=True)
class Style:
    """How a language writes numbers, from the CLDR locale of its house style."""

    lang: str
    locale: str
    decimal: str  # ',' or '.'
    group: str  # ',' or ' ' (a space of any width)
    percent_spaced: bool

    @classmethod
    def of(cls, lang: str, locale_name: str) -> Style:
        """The style of `lang`, whose house style uses the CLDR locale `locale_name`."""
        locale = babel_locale(locale_name)
        group = get_group_symbol(locale)
        pattern = locale.percent_formats[None].pattern
        return cls(
            lang,
            locale_name,
            get_decimal_symbol(locale),
            " " if group in _SPACES else group,
            bool(re.search(f"[{_SPACES}]%", pattern)),
        )

    def hint(self) -> str:
        """How the style writes a large decimal number and a percentage."""
        locale = babel_locale(self.locale)
        number = format_decimal(Decimal("1234567.5"), locale=locale)
        percent = format_percent(Decimal("0.41"), locale=locale)
        return _plain(
            f"{self.lang} prose writes numbers as CLDR's {self.locale} does: {number} and {percent}"
        )


@dataclass(frozen=True)
class ProseAmount:
    """A sum written by hand in prose: its value, its written precision, what it says."""

    value: Decimal
    unit: Decimal  # the value of the last digit written: 4.1 bn → 0.1 bn
    currency: str | None
    direction: str | None  # 'more' (over 5 bn), 'less' (up to), 'about'
    shown: str

    def agrees(self, fact: Amount) -> bool:
        """Whether the figure of the facts rounds to this amount (or lies where it says)."""
        if self.currency not in (None, fact.currency):
            return False
        half = self.unit / 2
        gap = fact.value - self.value
        if abs(gap) <= half:
            return True
        if self.direction == "more":
            return gap >= -half
        if self.direction == "less":
            return gap <= half
        return self.direction == "about" and abs(gap) <= self.unit


def check_prose(project: Project, pairs: list[str], on: dt.date, findings: Findings) -> None:
    """Placeholders that name nothing, numbers written against the house style, and amounts
    that disagree with their figure."""
    for pair in pairs:
        findings.extend(placeholder_errors(project, pair, on))
    styles = {}
    for lang in project.languages:
        try:
            styles[lang] = Style.of(lang, load_house(project.templates.resolve(), lang).locale)
        except BriefError:
            continue  # a broken house style is reported by the render check
    decimals = {lang: style.decimal for lang, style in styles.items()}
    for pair in pairs:
        dossier = project.dossiers.get(pair)
        if dossier is None:
            continue
        for _, text in texts(dossier):
            for lang, style in styles.items():
                if text.get(lang) and text.origin is not None:
                    _check_style(text, lang, style, findings)
        _check_figures(dossier, decimals, findings)


def placeholder_errors(project: Project, pair: str, on: dt.date) -> list[Finding]:
    """Every placeholder of the pair's texts, in every language, that names nothing in the
    facts as they stood on `on`, whichever kind of brief would show the text."""
    dossier = project.dossiers.get(pair)
    if dossier is None:
        return []
    shown, _ = as_of(dossier, project.sources, on)
    people = people_as_of(project.people, project.sources, on)
    found: dict[tuple, Finding] = {}
    for lang in project.languages:
        try:
            formatter = Formatter(
                load_house(project.templates.resolve(), lang), languages=project.languages
            )
        except BriefError:
            continue  # a broken house style is reported by the render check
        for _, text in texts(shown):
            written = text.get(lang)
            if not written or "{" not in written:
                continue
            try:
                fill(text, written, dossier=shown, people=people, formatter=formatter,
                     mentions=Mentions(set()))  # fmt: skip
            except BriefError as exc:
                for finding in exc.findings:
                    found.setdefault((finding.path, finding.line, finding.message), finding)
    return list(found.values())


# ---- house style -------------------------------------------------------------------------


_LETTERS = re.compile(r"[^\W\d_]")
_ASCII_LETTERS = re.compile(r"[A-Za-z]")


def _check_style(text: Text, lang: str, style: Style, findings: Findings) -> None:
    """Flag the numbers of one language's text written against that language's style."""
    written = PLACEHOLDER.sub(" ", text.get(lang) or "")
    numbers = list(_NUMBER.finditer(written))
    if not numbers:
        return
    quoted = [m.span() for m in _QUOTED.finditer(written)]
    # a text mostly in Latin letters: a Latin word before a number is not a name
    latin = len(_ASCII_LETTERS.findall(written)) * 2 > len(_LETTERS.findall(written))
    for m in numbers:
        before = written[: m.start()]
        if (
            any(a < m.start() < b for a, b in quoted)
            or _NUMBERED.search(before)
            or (not latin and _LATIN_WORD.search(before))
        ):
            continue  # part of a title, a quotation or a name: written as its owner writes it
        problems, house = _style_problems(m.group("num"), m.group("pct"), style)
        if problems:
            origin = text.origin
            assert origin is not None
            findings.add(
                origin.path,
                origin.line_of(lang),
                f'"{_plain(_shown(written, m))}" is written {" and ".join(problems)}; '
                f"{lang} writes {house}",
                hint=style.hint(),
                code="number-style",
                severity="warning",
            )


def _style_problems(num: str, pct: str | None, style: Style) -> tuple[list[str], str]:
    """What in a written number goes against the house style, and how the style writes it."""
    problems: list[str] = []
    grouped = False
    whole, point, fraction = num, None, ""
    if any(c in _SPACES for c in num):
        grouped = True
        whole = re.sub(f"[{_SPACES}]", "", num)
        m = re.fullmatch(r"(\d+)([.,])(\d+)", whole)
        if m:
            whole, point, fraction = m.groups()
        if style.group != " ":
            problems.append("with thousands grouped by spaces")
    elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", num) and (num.count(",") > 1 or "." in num):
        grouped = True
        whole, point, fraction = num.replace(",", "").partition(".")
        point = point or None
        if style.group != ",":
            problems.append("with thousands grouped by commas")
    elif num.count(",") == 1 and "." not in num:
        whole, point, fraction = num.partition(",")
        if len(fraction) == 3 and whole != "0" and len(whole) <= 3:
            point = None  # 4,100: a decimal comma in kk and ru, a thousand in en
            whole, fraction = num, ""
    elif num.count(".") == 1 and "," not in num:
        whole, point, fraction = num.partition(".")
        if int(whole) <= 12 and re.fullmatch(r"(19|20)\d\d", fraction):
            return [], ""  # a month and a year: 12.2023
        if style.decimal != "." and len(fraction) == 3 and whole != "0" and len(whole) <= 3:
            # 1.200: a decimal point or a thousands point; the style writes either otherwise
            thousand = whole + (style.group if style.group != "," else "") + fraction
            return ["with a point"], f"{whole}{style.decimal}{fraction} or {thousand}"
    elif num.count(".") > 1 or num.count(","):
        return [], ""  # a date, a section number, a version: not a quantity
    if point and point != style.decimal:
        problems.append("with a decimal point" if point == "." else "with a decimal comma")
    if pct and (len(pct) > 1) != style.percent_spaced:
        problems.append(
            "with a space before the percent sign"
            if len(pct) > 1
            else "without a space before the percent sign"
        )
    if grouped:
        whole = re.sub(r"\B(?=(\d{3})+$)", style.group, whole)
    house = whole + (style.decimal + fraction if point else "")
    house += (" %" if style.percent_spaced else "%") if pct else ""
    return problems, house


def _shown(written: str, m: re.Match) -> str:
    """The number as the analyst wrote it, with its percent sign or the word after it."""
    if m.group("pct"):
        return m.group()
    after = re.match(r"[ \u00a0\u202f]?[^\W\d_]+", written[m.end() :])
    return m.group() + (after.group() if after and len(after.group()) <= 12 else "")


def _plain(text: str) -> str:
    """`text` with its narrow and no-break spaces shown as spaces (for messages)."""
    return re.sub(f"[{_SPACES}]", " ", text)


# ---- amounts that disagree with the facts ------------------------------------------------


def prose_amounts(written: str, lang_decimal: str) -> Iterator[ProseAmount]:
    """Every sum of money written by hand: a number with a scale word and/or a currency.

    >>> [(a.value, a.direction) for a in prose_amounts("более 5 млрд долларов", ",")]
    [(Decimal('5000000000'), 'more')]
    >>> [a.value for a in prose_amounts("4,5 млн тонн, 41 %, в 2021 году", ",")]
    []
    """
    written = PLACEHOLDER.sub(" ", written)
    for m in _NUMBER.finditer(written):
        if m.group("pct"):
            continue
        after = _AFTER.match(written, m.end())
        assert after is not None  # every part of it is optional
        scale, currency = after.group("scale"), after.group("cur")
        before = written[max(0, m.start() - 30) : m.start()]
        if not currency and re.search(r"(?:US)?\$\s*$", before):
            currency = "USD"
        if not (scale or currency) or (not currency and _UNITS.match(written, after.end())):
            continue
        number = _prose_number(m.group("num"), lang_decimal)
        if number is None:
            continue
        value, unit = number
        factor = next(f for p, f in _SCALES if re.fullmatch(p, scale, re.I)) if scale else 1
        rest = written[after.end() : after.end() + 20]
        direction = (
            "more"
            if _MORE.search(before) or _MORE_AFTER.match(rest)
            else "less"
            if _LESS.search(before) or _LESS_AFTER.match(rest)
            else "about"
            if _ABOUT.search(before) or _ABOUT_AFTER.match(rest)
            else None
        )
        yield ProseAmount(
            value * factor,
            unit * factor,
            _currency(currency) if currency else None,
            direction,
            _plain(written[m.start() : after.end()].strip()),
        )


def _prose_number(num: str, lang_decimal: str) -> tuple[Decimal, Decimal] | None:
    """A prose number read in its language's convention: its value and its last digit's."""
    digits = re.sub(f"[{_SPACES}]", "", num)
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", num) and (num.count(",") > 1 or "." in num):
        digits = num.replace(",", "")
    elif num.count(",") == 1 and "." not in num:
        whole, _, fraction = num.partition(",")
        english_thousand = len(fraction) == 3 and whole != "0" and len(whole) <= 3
        digits = whole + fraction if english_thousand and lang_decimal == "." else digits
        digits = digits.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", digits):
        return None
    fraction = digits.partition(".")[2]
    return Decimal(digits), Decimal(1).scaleb(-len(fraction))


def _currency(word: str) -> str:
    """The ISO code of a currency word: доллар → USD."""
    return next(code for p, code in _CURRENCIES if re.fullmatch(p, word, re.IGNORECASE))


def _check_figures(dossier: Dossier, decimals: dict[str, str], findings: Findings) -> None:
    """Amounts in a record's texts against its own amount, and amounts in texts on trade
    against the figures of the years they name (or, failing those, any figure of the dossier)."""
    owners = dict(records(dossier))
    rows = {row.year: row for row in dossier.trade}
    known = [a for row in dossier.trade for a in _row_figures(row)] + [
        a for r in owners.values() if isinstance(a := getattr(r, "amount", None), Amount)
    ]
    for where, text in texts(dossier):
        if text.origin is None:
            continue
        owner = next(
            (owners[where[:i]] for i in range(len(where), 0, -1) if where[:i] in owners), None
        )
        row = owners.get(where[:2]) if where[:1] == ("trade",) else None
        for lang, decimal in decimals.items():
            written = text.get(lang)
            if not written:
                continue
            at = (text.origin.path, text.origin.line_of(lang))
            if isinstance(getattr(owner, "amount", None), Amount):
                _against_amount(owner, prose_amounts(written, decimal), at, findings)
                continue
            for clause in _CLAUSE.split(written):
                if isinstance(row, TradeYear):
                    named = [row]  # a row's own notes speak of its year
                elif _TRADE.search(clause):
                    years = sorted({int(y) for y in _YEAR.findall(clause)})
                    named = [rows[y] for y in years if y in rows]
                else:
                    continue
                if named:
                    _against_trade(prose_amounts(clause, decimal), named, known, at, findings)


def _against_amount(
    owner: Any, amounts: Iterator[ProseAmount], at: tuple[str, int | None], findings: Findings
) -> None:
    """Flag the amounts of a record's text when none of them is the record's own amount."""
    fact: Amount = owner.amount
    written = [a for a in amounts if a.currency in (None, fact.currency)]
    if not written or any(a.agrees(fact) for a in written):
        return
    kind = type(owner).__name__.lower()
    rid = getattr(owner, "id", None)
    hint = (
        f"correct the figure, or write {{{kind} {rid}}} to show the figure itself"
        if rid
        else f"correct the figure, or give the {kind} an id and write {{{kind} ID}} "
        "to show the figure itself"
    )
    for amount in written:
        findings.add(
            *at,
            f'"{amount.shown}" disagrees with the amount of this {kind}: '
            f"the facts give {_figure(fact)}",
            hint=hint,
            code="figure-disagrees",
            severity="warning",
        )


def _against_trade(
    amounts: Iterator[ProseAmount],
    named: list[TradeYear],
    known: list[Amount],
    at: tuple[str, int | None],
    findings: Findings,
) -> None:
    """Flag the amounts of a clause on trade that match no figure of the years it names."""
    figures = [a for row in named for a in _row_figures(row)]
    own = [(r, n, getattr(r, n)) for r in named for n in TRADE_FIGURES if getattr(r, n) is not None]
    others = [a for r in named for a in _alternatives(r)]
    for amount in amounts:
        comparable = [f for f in figures if amount.currency in (None, f.currency)]
        if not comparable or any(amount.agrees(f) for f in comparable + known):
            continue
        given = ", ".join(f"{n} {_figure(a)}" for _, n, a in own) or "no figure of its own"
        if others:
            given += f" (other sources: {', '.join(_figure(a) for a in others)})"
        row, field, _ = min(
            own or [(named[0], "turnover", Amount(Decimal(0), "USD"))],
            key=lambda t: abs(t[2].value - amount.value),
        )
        findings.add(
            *at,
            f'"{amount.shown}" matches none of the trade figures of '
            f"{', '.join(str(r.year) for r in named)}: the facts give {given}",
            hint=f"correct the figure, or write {{trade {row.year} {field}}} "
            "to show the figure itself",
            code="figure-disagrees",
            severity="warning",
        )


def _row_figures(row: TradeYear) -> list[Amount]:
    """Every figure a trade row gives: its own, its balance and its alternatives'."""
    own = [a for a in (row.turnover, row.exports, row.imports) if a is not None]
    if row.exports and row.imports and row.exports.currency == row.imports.currency:
        own.append(Amount(abs(row.exports.value - row.imports.value), row.exports.currency))
    return own + _alternatives(row)


def _alternatives(row: TradeYear) -> list[Amount]:
    """The figures other sources give for a trade row's year."""
    return [a for alt in row.alternatives for a in (alt.turnover, alt.exports, alt.imports) if a]


def _figure(amount: Amount) -> str:
    """An amount as the analyst writes it in the facts: 4.1 bn USD, over 5 bn USD."""
    value, scale = amount.value, ""
    for word, factor in (("tn", 12), ("bn", 9), ("mn", 6)):
        if abs(value) >= Decimal(10) ** factor:
            value, scale = value.scaleb(-factor), f" {word}"
            break
    value = value.normalize()
    text = f"{value:f}{scale} {amount.currency}"
    return (amount.qualifier.replace("_", " ") + " " + text) if amount.qualifier else text
