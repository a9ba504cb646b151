"""Facts against the text of their source, where the analyst keeps it (sources/<id>.txt).

A kept text is optional and only `brief check` reads it: a build never does. Every figure of a
fact citing the source (its dates, amounts, numbers and the numbers of its texts) must occur
in the text, however the source writes it (4,1 млрд / 4.1 billion / 4 100 000 000, 8-ші / VII /
8th, үш миллиард); words given as the speaker's own must occur as written.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property

from generator.checks.facts import amount_words
from generator.errors import BriefError, Findings
from generator.facts.files import read_text
from generator.facts.model import Cited, Quote, Source
from generator.facts.project import Project
from generator.facts.values import PLACEHOLDER, SCALE_WORDS, Amount, FuzzyDate, Text
from generator.facts.walk import KeyPath, key_of, records

PASSAGE_WIDTH = 160  # characters of the source quoted as the nearest passage
TEXT_ADVICE = "a kept source text holds only the source's own words; split or shorten it"

# ---- numbers as sources write them -------------------------------------------------------

_SPACES = "\u00a0\u2007\u2009\u202f"  # no-break, figure, thin and narrow no-break spaces
_NUMBER = re.compile(rf"(?<![\d.,])(\d{{1,3}}(?:[ {_SPACES}]\d{{3}})+(?!\d)|\d+)((?:[.,]\d+)*)")
# a scale word after a number: whole words in any ending, abbreviations as they are
_SCALE = re.compile(
    rf"[ {_SPACES}]*((?:мың|тысяч|миллион|миллиард|триллион|thousand|million|billion|trillion)"
    r"\w*|(?:тыс|млн|млрд|трлн|mn|bn|tn)\b)",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
_CYRILLIC_ROMAN = str.maketrans("ІХСМ", "IXCM")  # roman numerals typed on a Kazakh keyboard


def readings(number: str) -> set[Decimal]:
    """Every value a number can mean as sources write it: a decimal comma or point, thousands
    grouped by spaces, commas or points, or parts of a dotted date.

    >>> sorted(readings("4,1")), sorted(readings("4 100 000")), sorted(readings("2,909"))
    ([Decimal('4.1')], [Decimal('4100000')], [Decimal('2.909'), Decimal('2909')])
    >>> sorted(readings("16.11.2025"))
    [Decimal('11'), Decimal('16'), Decimal('2025')]
    """
    number = re.sub(rf"[ {_SPACES}]", "", number)
    parts = re.split(r"[.,]", number)
    if len(parts) == 1:
        return {Decimal(number)}
    head, *groups = parts
    found = {Decimal(f"{head}.{groups[0]}")} if len(groups) == 1 else set()
    if all(len(g) == 3 for g in groups):  # 2,909 / 4.100.000: thousands
        found.add(Decimal(head + "".join(groups)))
    elif all(len(g) == 3 for g in groups[:-1]) and len(set(re.findall(r"[.,]", number))) == 2:
        found.add(Decimal(head + "".join(groups[:-1]) + "." + groups[-1]))  # 4,100.5
    if len(groups) > 1 and not found:  # 16.11.2025: a date written with points
        found |= {Decimal(p) for p in parts}
    return found


def scale(word: str) -> Decimal:
    """The power of ten a scale word stands for.

    >>> scale("миллиардқа"), scale("тысяч"), scale("bn")
    (Decimal('1000000000'), Decimal('1000'), Decimal('1000000000'))
    """
    word = word.casefold()
    return Decimal(10) ** next(
        p
        for stem, p in sorted(SCALE_WORDS.items(), key=lambda i: -len(i[0]))
        if len(stem) > 1 and word.startswith(stem)
    )


def numbers(text: str) -> Iterator[tuple[str, set[Decimal]]]:
    """Each number of a text as written, with the values it can mean (times its scale word).

    >>> [(w, sorted(v)) for w, v in numbers("8-ші отырыс, 4,1 млрд доллар, 41,0 %, 2026–2028")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('8', [Decimal('8')]), ('4,1', [Decimal('4100000000.0')]), ('41,0', [Decimal('41.0')]),
     ('2026', [Decimal('2026')]), ('2028', [Decimal('2028')])]
    """
    for m in _NUMBER.finditer(text):
        values = readings(m.group(0))
        word = _SCALE.match(text, m.end())
        if word:
            values = {v * scale(word.group(1)) for v in values}
        yield m.group(0), values


def present(value: Decimal, found: frozenset[Decimal]) -> bool:
    """Whether a figure occurs among a text's numbers, in full or in thousands, millions,
    billions or trillions (4.1 bn is "4,1 млрд" as well as "4 100 000 000").

    >>> present(Decimal("4100000000"), frozenset({Decimal("4.1")}))
    True
    """
    return any(value / Decimal(10) ** k in found for k in (0, 3, 6, 9, 12))


def roman(word: str) -> int | None:
    """The value of a roman numeral (Latin letters, or Cyrillic І, Х, С, М), else None.

    >>> roman("VII"), roman("ХХІ"), roman("CD"), roman("Ivan")
    (7, 21, 400, None)
    """
    word = word.translate(_CYRILLIC_ROMAN)
    if len(word) < 2 and word not in ("V", "X") or not _ROMAN.fullmatch(word):
        return None
    values = [_ROMAN_VALUES[c] for c in word]
    return sum(-v if v < after else v for v, after in zip(values, values[1:] + [0], strict=True))


# ---- numbers written as words --------------------------------------------------------------

_KK = dict(zip("бір екі үш төрт бес алты жеті сегіз тоғыз".split(), range(1, 10), strict=True))
_KK |= dict(
    zip(
        "он жиырма отыз қырық елу алпыс жетпіс сексен тоқсан".split(),
        range(10, 100, 10),
        strict=True,
    )
)
_KK_ENDINGS = re.compile(
    r"(?:ы?ншы|і?нші)?(?:ге|ке|ға|қа|де|те|да|та|ден|тен|нен|дан|тан|нан"
    r"|ның|нің|дың|дің|тың|тің|ны|ні|ды|ді|ты|ті|ы|і|ін|ың|сы|сі|еу|ау)?"
)
_KK_NOT = {"үшін", "оны", "онда", "оның", "оған", "ондай", "бірге", "бірі", "бірін"}
_RU_ENDINGS = r"(?:ь|и|ью|ый|ой|ого|ому|ым|ом|ая|ую|ое|ые|ых)"  # cardinal or ordinal
_RU = {
    r"од(?:ин|на|но|ного|ному|ной|ним|ном|ни|них)|перв\w{1,3}": 1,
    r"дв(?:а|е|ух|ум|умя)|втор\w{1,3}": 2,
    r"тр(?:и|[её]х|[её]м|емя)|трет\w{1,4}": 3,
    r"четыр(?:е|[её]х|[её]м|ьмя)|четв[её]рт\w{1,3}": 4,
    rf"пят{_RU_ENDINGS}": 5,
    rf"шест{_RU_ENDINGS}": 6,
    r"сем(?:ь|и|ью)|седьм\w{1,3}": 7,
    r"восемь|восьм\w{1,3}": 8,
    rf"девят{_RU_ENDINGS}": 9,
    rf"десят{_RU_ENDINGS}": 10,
    r"двадцат\w{1,3}": 20,
    r"тридцат\w{1,3}": 30,
    r"сорок\w{0,3}": 40,
    r"ст[оа]": 100,
}
_RU |= {
    rf"{stem}надцат{_RU_ENDINGS}": n
    for n, stem in enumerate("один две три четыр пят шест сем восем девят".split(), 11)
}
_EN = dict(
    zip(
        "one two three four five six seven eight nine ten eleven twelve".split(),
        range(1, 13),
        strict=True,
    )
)
_EN |= dict(
    zip(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(),
        range(1, 13),
        strict=True,
    )
)
_EN |= {
    w + s: n
    for n, w in enumerate("thir four fif six seven eigh nine".split(), 13)
    for s in ("teen", "teenth")
}
_EN |= {
    w + s: n
    for n, w in zip(
        range(20, 100, 10), "twent thirt fort fift sixt sevent eight ninet".split(), strict=True
    )
    for s in ("y", "ieth")
}
_RU_WORD = re.compile("|".join(f"(?P<n{n}_{i}>{p})" for i, (p, n) in enumerate(_RU.items())))


_HALVES = {"жарым": Decimal("0.5"), "полтора": Decimal("1.5"), "полторы": Decimal("1.5")}


def word_value(word: str) -> Decimal | None:
    """The number a word names in Kazakh, Russian or English (cardinal or ordinal), else None.

    >>> [str(word_value(w)) for w in ("үш", "төртінші", "жетінші", "үшін", "жарым")]
    ['3', '4', '7', 'None', '0.5']
    >>> [str(word_value(w)) for w in ("четвёртого", "пятью", "fifth", "сто", "полтора")]
    ['4', '5', '5', '100', '1.5']
    """
    word = word.casefold()
    if word in _HALVES:
        return _HALVES[word]
    if word in _EN:
        return Decimal(_EN[word])
    if word in ("жүз", "hundred"):
        return Decimal(100)
    if word not in _KK_NOT:
        for stem, n in _KK.items():
            if word.startswith(stem) and _KK_ENDINGS.fullmatch(word, len(stem)):
                return Decimal(n)
    m = _RU_WORD.fullmatch(word)
    return Decimal(m.lastgroup[1:].split("_")[0]) if m and m.lastgroup else None


def worded_numbers(text: str) -> set[Decimal]:
    """The numbers a text writes in words, alone, summed ("жиырма бір", "бір жарым") and with
    their scale word ("үш миллиард").

    >>> [str(n) for n in sorted(worded_numbers("үш миллиард, twenty-one, бір жарым миллион"))]
    ['0.5', '1', '1.5', '3', '20', '21', '1500000.0', '3000000000']
    """
    found: set[Decimal] = set()
    run, last = Decimal(0), 0
    for m in re.finditer(r"[^\W\d_]+", text):
        value = word_value(m.group(0))
        if value is None:
            run = Decimal(0)
            continue
        if not re.fullmatch(r"[\s\-‐‑]*", text[last : m.start()]):
            run = Decimal(0)  # "бес, алты" are two numbers, "жиырма бір" one
        run = (run or Decimal(1)) * 100 if value == 100 else run + value
        last = m.end()
        found |= {value, run}
        word = _SCALE.match(text, m.end())
        if word:
            found.add(run * scale(word.group(1)))
    return found


# years a source gives relative to its own date: last year, this year, next year
_RELATIVE = tuple(
    (offset, re.compile(pattern, re.IGNORECASE))
    for offset, pattern in (
        (-1, r"\b(?:былтыр\w*|өткен жыл(?:ы|дың|ғы)|прошл(?:ом|ого|ый) год(?:а|у)?|last year)\b"),
        (0, r"\b(?:биыл\w*|осы жыл(?:ы|дың|ғы)|(?:этом|текущем) году|this year)\b"),
        (1, r"\b(?:келесі жыл(?:ы|дың|ғы)|(?:следующем|будущем) году|next year)\b"),
    )
)


# ---- words as written --------------------------------------------------------------------

_QUOTES = str.maketrans("«»„“”‟‹›‘’‚ʼ`′", '""""""' + "''''''''")
_DASHES = re.compile(r"\s*[\-‐‑‒–—―−]+\s*")
_ELISION = re.compile(r"\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\)|…|\.\.\.")


def plain(text: str) -> str:
    """Words as compared with a source: case, whitespace, typographic quotes, apostrophes and
    dashes (line-end hyphenation included) do not count.

    >>> plain("Қазақстан –  «Еуразияның»\\nекі түр-\\nкі қанаты") == plain('қазақстан-"еуразияның" '
    ...     'екі түркі қанаты')
    True
    """
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "").translate(_QUOTES)
    return " ".join(_DASHES.sub("", text.casefold()).split())


def words_in(words: str, text: str) -> bool:
    """Whether words occur in a text (already `plain`) as written; an elision … stands for any
    words between.

    >>> words_in("Бүгін біз […] біргеміз.", plain("Бүгін біз кешегідей қатарлас, біргеміз."))
    True
    """
    at = 0
    for part in _ELISION.split(words):
        part = plain(part).strip(" .,;:!?\"'")
        if part:
            at = text.find(part, at)
            if at < 0:
                return False
            at += len(part)
    return True


# ---- the nearest passage -------------------------------------------------------------------


def stems(text: str) -> set[str]:
    """The words of a text cut to five letters, so that inflected forms meet (Kazakh adds its
    endings to the word: айналымы, айналымды), and its numbers by value (4,1 млрд = 4.1 bn).

    >>> sorted(stems("Тауар айналымы 4,1 млрд"))
    ['#4.1E+9', 'айнал', 'млрд', 'тауар']
    """
    found = {w[:5] for w in re.findall(r"[^\W\d_]{3,}", text.casefold())}
    return found | {f"#{v.normalize()}" for _, values in numbers(text) for v in values}


def sentences(text: str) -> list[str]:
    """The sentences of a source text, its lines unwrapped and the words hyphenated at a line's
    end joined again (a compound, мәдени-гуманитарлық, keeps its hyphen).

    >>> sentences("Сауда 4,1 миллиард долларға жет-\\nті. Мәдени-\\nгуманитарлық байланыс")
    ['Сауда 4,1 миллиард долларға жетті.', 'Мәдени-гуманитарлық байланыс']
    """
    known = set(re.findall(r"[\w-]+", text.casefold()))

    def join(m: re.Match) -> str:
        head, tail = m.groups()
        whole = head + tail
        if whole.casefold() in known or len(tail) <= 3 and f"{head}-{tail}".casefold() not in known:
            return whole
        return f"{head}-{tail}"

    text = re.sub(r"(\w+)[-‐\u00ad]\n\s*(\w+)", join, text)
    text = " ".join(text.replace("\u00a0", " ").split())
    return [s for s in re.split(r"(?<=[.!?…;])\s+", text) if s]


def windows(sentence: str, width: int = PASSAGE_WIDTH) -> Iterator[str]:
    """A sentence, or each stretch of it of about `width` characters, marked … where cut.

    >>> list(windows("бір екі үш төрт бес", width=10))
    ['бір екі үш…', '…төрт бес']
    """
    if len(sentence) <= width:
        yield sentence
        return
    words = sentence.split()
    for start in range(0, len(words), 3):
        end, size = start, 0
        while end < len(words) and size + len(words[end]) <= width:
            size += len(words[end]) + 1
            end += 1
        end = max(end, start + 1)
        cut = " ".join(words[start:end])
        yield ("…" if start else "") + cut + ("…" if end < len(words) else "")
        if end == len(words):
            return


@dataclass(frozen=True)
class SourceText:
    """The kept text of one source, read once, with what the comparisons need."""

    source: Source
    path: str
    text: str

    @cached_property
    def numbers(self) -> frozenset[Decimal]:
        found = {v for _, values in numbers(self.text) for v in values}
        return frozenset(found | worded_numbers(self.text))

    @cached_property
    def romans(self) -> frozenset[Decimal]:
        found = (roman(w) for w in re.findall(r"\b[IVXLCDMІХСМ]+\b", self.text))
        return frozenset(Decimal(n) for n in found if n)

    @cached_property
    def relative(self) -> dict[Decimal, str]:
        """The years the text gives in words, read against its own date ("былтыр" in a text of
        21 October 2025 is 2024), with those words."""
        date = self.source.date
        found: dict[Decimal, str] = {}
        if date is None:
            return found
        for offset, pattern in _RELATIVE:
            for m in pattern.finditer(self.text):
                found.setdefault(Decimal(date.year + offset), m.group(0))
        return found

    @property
    def dated(self) -> bool:
        """Whether the source's own date is given (not inferred), so its relative years hold."""
        return self.source.date is not None and not self.source.date.inferred

    @cached_property
    def plain(self) -> str:
        return plain(self.text)

    @cached_property
    def passages(self) -> list[tuple[str, set[str]]]:
        return [(w, stems(w)) for s in sentences(self.text) for w in windows(s)]

    @cached_property
    def weights(self) -> dict[str, float]:
        """How telling a stem is: rarer in the text, more telling (inverse document frequency)."""
        counts = Counter(stem for _, found in self.passages for stem in found)
        return {stem: math.log((1 + len(self.passages)) / n) for stem, n in counts.items()}

    def nearest(self, query: str) -> str:
        """The passage that shares most telling words with `query` (the fact's own text).

        Hand-written rather than difflib: difflib matches characters in order, and the same
        fact written in other words, with other endings and its clauses in another order
        would not find its passage; weighted shared stems do, at a glance per passage."""
        wanted = stems(query)
        best = max(
            self.passages,
            key=lambda p: sum(self.weights.get(s, 0) for s in wanted & p[1]),
            default=("", set()),
        )
        return best[0]


# ---- the figures of a fact ---------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure of a fact, as its source should give it, and where the analyst wrote it."""

    where: KeyPath  # the key path of its field
    words: str  # the figure as a message names it
    hint: str
    values: frozenset[Decimal] = frozenset()  # a number: any of these readings
    phrase: str | None = None  # or words that occur as written
    text: Text | None = None  # the text it is written in (which knows its lines)
    lang: str = ""
    roman: bool = False  # a number the source may write in roman numerals (VII)
    relative: bool = False  # a year the source may give as "last year" (not a date: 'written:')
    date: FuzzyDate | None = None  # the date it is part of
    missing: str | None = None  # the language the figure lacks to be compared at all
    context: str | None = None  # the sentence of the fact it is written in

    def found(self, kept: SourceText) -> bool:
        """Whether the kept text gives this figure (a figure with nothing to compare is not)."""
        if self.phrase is not None:
            return words_in(self.phrase, kept.plain)
        known = kept.numbers | kept.romans if self.roman else kept.numbers
        if any(present(v, known) for v in self.values):
            return True
        return self.relative and kept.dated and any(v in kept.relative for v in self.values)

    def message(self, source: str, passage: str) -> str:
        if self.missing:
            return (
                f"{self.words} have no {self.missing} version to compare with the text of "
                f"source {source}"
            )
        verb = "are" if self.words.startswith("the words") else "is"
        where = f"not in the text of source {source}"
        return f"{self.words} {verb} {where}: nearest passage «{passage}»"

    def advice(self, kept: SourceText, passage: str) -> str:
        """What to do, with the source's own words when it gives the year relatively (those
        of the nearest passage, if it has them)."""
        year = next((v for v in sorted(self.values) if v in kept.relative), None)
        if year is None or self.phrase is not None:
            return self.hint
        words = kept.relative[year]
        for offset, pattern in _RELATIVE:
            near = pattern.search(passage)
            if near and kept.source.date and kept.source.date.year + offset == year:
                words = near.group(0)
        if self.date is not None:
            return (
                f"the source gives {year} as '{words}': write the date as "
                f"{{value: {self.date.iso()}, written: {words}}}"
            )
        inferred = kept.source.date.iso() if kept.source.date else ""
        return (
            f"{self.hint}; the source gives {year} only as '{words}', read against its own "
            f"date, which is inferred ({inferred})"
        )


DATE_HINT = (
    "correct the date, or cite the source that gives it; a date you worked out is marked "
    "'inferred: true' with a note saying how (a date the source gives in words such as "
    "'last year' keeps them in 'written:')"
)
AMOUNT_HINT = "correct the figure to the source's, or cite the source that gives it"
NUMBER_HINT = "correct the number, or cite the source that gives it"
TEXT_HINT = (
    "correct the number in the text, or cite the source that gives it; a figure you worked "
    "out (a share, a sum) is said as such in a talking point, not given as the source's"
)
WRITTEN_HINT = "write in 'written:' the source's own words for the date, as they stand in its text"


def date_figures(where: KeyPath, name: str, date: FuzzyDate) -> Iterator[Figure]:
    """The year (and day) of a date as the source should give them, or its written words."""
    label = f"'{name}: {date.iso()}'"
    if date.inferred:
        return
    if date.written:
        words = f"the words '{date.written}' of {label}"
        yield Figure(where, words, WRITTEN_HINT, phrase=date.written, date=date)
        return
    seen: set[tuple[str, int]] = set()
    for part in [date] + ([date.end] if date.end is not None else []):
        for unit, value in (("year", part.year), ("day", part.day)):
            if value is not None and (unit, value) not in seen:
                seen.add((unit, value))
                words = f"the {unit} {value} of {label}"
                yield Figure(where, words, DATE_HINT, frozenset({Decimal(value)}), date=date)


def text_figures(where: KeyPath, name: str, text: Text, lang: str) -> Iterator[Figure]:
    """The numbers of one text, in the language compared with the source (placeholders such as
    {trade 2021 turnover} are filled from other facts, and left out)."""
    seen: set[frozenset[Decimal]] = set()
    for sentence in sentences(PLACEHOLDER.sub(" ", text.get(lang) or "")):
        for written, values in numbers(sentence):
            if frozenset(values) not in seen:
                seen.add(frozenset(values))
                yield Figure(
                    where + (lang,),
                    f"the figure {written} of the {lang} {name}",
                    TEXT_HINT,
                    frozenset(values),
                    text=text,
                    lang=lang,
                    relative=True,
                    context=sentence,
                )


def text_language(text: Text, source: Source) -> str | None:
    """The language a fact's text is compared in: the source's own, else English."""
    for lang in (source.language, "en", *text.languages):
        if text.get(lang):
            return lang
    return None


def figures(fact: Cited, where: KeyPath, source: Source, speaker: str) -> Iterator[Figure]:
    """Every figure of one fact (its own fields; the facts inside it are facts of their own)."""
    for name, f in type(fact).model_fields.items():
        key = key_of(name, f)
        value = getattr(fact, name)
        if name == "year" and getattr(fact, "year_date", None) is not None:
            continue  # a trade year with details: its date says how the source gives it
        at = where + (key,)
        if isinstance(value, FuzzyDate):
            yield from date_figures(at, key, value)
        elif isinstance(value, Amount):
            yield Figure(at, amount_words(value), AMOUNT_HINT, frozenset({value.value}))
        elif isinstance(value, int) and not isinstance(value, bool):
            if name in fact.model_fields_set:  # not a default such as a mission's count of 1
                number = frozenset({Decimal(value)})
                words = f"the {key} {value}"
                yield Figure(at, words, NUMBER_HINT, number, roman=True, relative=True)
        elif isinstance(value, Text):
            lang = text_language(value, source)
            if lang is None:
                continue
            if isinstance(fact, Quote) and fact.verbatim and name == "text":
                yield verbatim_figure(at, value, source, speaker)
            else:
                yield from text_figures(at, key, value, lang)


def verbatim_figure(where: KeyPath, text: Text, source: Source, speaker: str) -> Figure:
    """The speaker's own words, to be found as written in the source's language."""
    lang = source.language
    words = f"the words given as {speaker}'s own"
    hint = (
        f"copy the words exactly as the source has them, in {lang}, or set 'verbatim: false' "
        "to give them as reported speech"
    )
    if text.get(lang) is None:
        return Figure(where, words, hint, text=text, missing=lang)
    return Figure(
        where + (lang,), f"{words} ({lang})", hint, phrase=text.get(lang), text=text, lang=lang
    )


# ---- the check ---------------------------------------------------------------------------


def kept_texts(project: Project, findings: Findings) -> dict[str, SourceText]:
    """The kept texts of the sources (sources/<id>.txt), each beside its record."""
    folder = project.root / "sources"
    kept: dict[str, SourceText] = {}
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        rel = f"sources/{path.name}"
        if path.stem not in project.source_files:
            orphan(project, rel, path.stem, findings)
            continue
        try:
            text = read_text(path, rel=rel, advice=TEXT_ADVICE)
        except BriefError as exc:  # the text is optional: a warning, and its facts unchecked
            findings.extend([replace(f, severity="warning") for f in exc.findings])
            continue
        if not text.strip():
            findings.add(
                rel,
                None,
                "the kept text of the source is empty",
                hint="paste the source's text into it, or delete the file",
                code="provenance",
                severity="warning",
            )
        elif path.stem in project.sources:  # a broken record is reported where it is
            kept[path.stem] = SourceText(project.sources[path.stem], rel, text)
    return kept


def orphan(project: Project, rel: str, stem: str, findings: Findings) -> None:
    """A kept text that no source record owns."""
    near = difflib.get_close_matches(stem, list(project.source_files), n=1, cutoff=0.5)
    findings.add(
        rel,
        None,
        f"the text {rel} belongs to no source: there is no sources/{stem}.yaml",
        hint=(f"did you mean '{near[0]}'? " if near else "")
        + "name a kept text after its source, sources/<id>.txt beside sources/<id>.yaml, "
        "or delete it",
        code="provenance",
        severity="warning",
    )


def cited_facts(project: Project, pairs: list[str]) -> Iterator[tuple[str, KeyPath, Cited]]:
    """Every fact of the chosen dossiers and of the people's offices, with file and key path."""
    for pair in pairs:
        if pair in project.dossiers:
            for where, record in records(project.dossiers[pair]):
                if isinstance(record, Cited):
                    yield project.dossier_path(pair), where, record
    path = "briefs/people.yaml"
    doc = project.docs.get(path)
    items = doc.data.get("people") if doc is not None and isinstance(doc.data, dict) else None
    index = {item.get("id"): i for i, item in enumerate(items or []) if isinstance(item, dict)}
    for pid, person in project.people.items():
        if pid in index:
            for where, record in records(person, ("people", index[pid])):
                if isinstance(record, Cited):
                    yield path, where, record


def fact_words(fact: Cited, lang: str) -> str:
    """The fact's own texts in one language: what its nearest passage is sought by."""
    found = [getattr(fact, n) for n in type(fact).model_fields]
    return " ".join(t.get(lang) or t.any() for t in found if isinstance(t, Text))


def speaker_name(project: Project, fact: Cited) -> str:
    """Who a statement is by, by name (for messages)."""
    speaker = fact.speaker if isinstance(fact, Quote) else ""
    person = project.people.get(speaker)
    return (person.name.get("en") or person.name.any()) if person else speaker


def check_provenance(project: Project, pairs: list[str], findings: Findings) -> None:
    """Every figure of a fact occurs in its source's kept text; verbatim words occur as written."""
    kept = kept_texts(project, findings)
    for path, where, fact in cited_facts(project, pairs):
        text = kept.get(fact.source)
        if text is None:
            continue
        for figure in figures(fact, where, text.source, speaker_name(project, fact)):
            if not figure.found(text):
                report(project, path, fact, figure, text, findings)


def report(
    project: Project, path: str, fact: Cited, figure: Figure, text: SourceText, findings: Findings
) -> None:
    """One figure missing from the kept text: where the analyst wrote it, and the nearest
    passage of the source."""
    origin = figure.text.origin if figure.text is not None else None
    line = origin.line_of(figure.lang) if origin else project.line(path, figure.where)
    passage = text.nearest(figure.context or fact_words(fact, text.source.language))
    findings.add(
        path,
        line,
        figure.message(fact.source, passage),
        hint=figure.advice(text, passage),
        code="provenance",
        severity="warning",
    )
