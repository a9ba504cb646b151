"""Typesetting the rendered brief: the language's quotation marks and dashes, no-break spaces
and hyphens where a reader keeps words together, and soft hyphens where a word may break.

One pass over the document's text, before any writer reads it: the PDF and the Word
document get the same characters, so they break lines by the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import lxml.html
from lxml import etree

from generator.l10n.house import HouseStyle
from generator.l10n.hyphenation import soft_hyphens
from generator.render.document import BriefDocument

NBSP = "\u00a0"  # no-break space
NBHY = "\u2011"  # non-breaking hyphen
WJ = "\u2060"  # word joiner: no break here, no width
SHY = "\u00ad"  # soft hyphen: a break here shows a hyphen

# text that is not prose: left as it is
VERBATIM = frozenset({"style", "script", "code", "pre", "textarea"})
# prose that is set but never hyphenated: headings, table heads, captions
UNHYPHENATED = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "th", "caption", "figcaption"})
# a block starts the pairing of quotation marks afresh
BLOCKS = frozenset(
    {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "caption",
     "figcaption", "dd", "dt", "div", "section", "aside", "header", "footer"}
)  # fmt: skip

_SPACE = "[ \u00a0\u202f]"
_NUMBER = r"\d(?:[\d.,\u00a0\u202f]*\d)?"
_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁӘҒҚҢӨҰҮҺІĞŞİÇƏ"
# blocks whose last line is theirs alone
PARAGRAPHS = ("p", "li", "td", "dd", "dt", "figcaption", "caption")
_URL = re.compile(r"://|www\.|@")


@dataclass
class _Quotes:
    """Which quotation marks are open in the current block."""

    depth: int = 0


@dataclass(frozen=True)
class Typesetter:
    """The typographic rules of one language, compiled once from its house style."""

    lang: str
    quotes: tuple[str, str]
    inner_quotes: tuple[str, str]
    rules: tuple[tuple[re.Pattern[str], str], ...]

    def set(self, text: str, *, hyphenate: bool = True, quotes: _Quotes | None = None) -> str:
        """Set a run of prose.

        >>> setter = typesetter("en", ("“", "”"), ("‘", "’"), "–", ("bn",), ("№",), (),
        ...                     ("February",))
        >>> setter.set('On 2 February 2026 it was "6 bn" - as agreed', hyphenate=False)
        'On 2\\xa0February\\xa02026 it was “6\\xa0bn”\\xa0– as agreed'
        >>> setter.set("the 2026-2028 programme, № 5", hyphenate=False)
        'the 2026–\\u20602028 programme, №\\xa05'
        """
        if not text or _URL.search(text):
            return text
        text = self._quote(text, quotes or _Quotes())
        for pattern, repl in self.rules:
            text = pattern.sub(repl, text)
        return soft_hyphens(text, self.lang) if hyphenate else text

    def _quote(self, text: str, state: _Quotes) -> str:
        """Straight double quotes as the language's, paired within the block."""
        if '"' not in text:
            return text
        out = []
        for i, char in enumerate(text):
            if char != '"':
                out.append(char)
                continue
            before = text[i - 1] if i else " "
            opening = before.isspace() or before in "([{«„“‘\u2060-–—/"
            if opening:
                out.append((self.quotes, self.inner_quotes)[state.depth % 2][0])
                state.depth += 1
            else:
                state.depth = max(state.depth - 1, 0)
                out.append((self.quotes, self.inner_quotes)[state.depth % 2][1])
        return "".join(out)


def _words(words) -> str:
    """An alternation of words, longest first, each ending at a word's end; a word ending
    in * stands for every word it begins (жыл* for жылы, жылғы, жылдарға).

    >>> _words(["г.", "жыл*"])
    '(?:жыл\\\\w*|г\\\\.)(?!\\\\w)'
    """

    def one(word: str) -> str:
        return re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word)

    alternatives = "|".join(one(w) for w in sorted(set(words), key=len, reverse=True))
    return rf"(?:{alternatives})(?!\w)"


@lru_cache(maxsize=16)
def typesetter(
    lang: str,
    quotes: tuple[str, str],
    inner_quotes: tuple[str, str],
    dash: str,
    after_number: tuple[str, ...],
    before_number: tuple[str, ...],
    short_words: tuple[str, ...],
    months: tuple[str, ...],
) -> Typesetter:
    """Compile the rules of a language's typography (cached: one per house style)."""
    rules: list[tuple[str, str, int]] = [
        # a spaced hyphen between words: the language's dash; no dash starts a line
        (rf"(?<=\S){_SPACE}+-{_SPACE}+(?=\S)", f"{NBSP}{dash} ", 0),
        (
            rf"(?<=\S){_SPACE}+([–—]){_SPACE}+(?=[{_UPPER}]\w*(?:{_SPACE}[–—]|[»”]))",
            rf"{NBSP}\1{NBSP}",
            0,
        ),
        (rf"(?<=\S){_SPACE}+([–—]) +(?=\S)", rf"{NBSP}\1 ", 0),
        # a range of years: an en dash, and no break after it (2026–2028, 21–22)
        (r"(?<=\b\d{4})[-–](?=\d{4}\b)", f"–{WJ}", 0),
        (r"(?<=\d)–(?=\d)", f"–{WJ}", 0),
        # a number and its suffix or a word joined by a hyphen: 6-шы, 4-е, IV-ші, 41%-ы, 72-01
        (r"\b(\d+%?|[IVXLC]+)-(?=\w)", rf"\1{NBHY}", 0),
        # an abbreviation and its suffix: ЖОО-ларында, АҚШ-тың
        (rf"\b([{_UPPER}]{{2,}})-(?=[^\W\d{_UPPER}])", rf"\1{NBHY}", 0),
        # a name of two capitalised parts: Қасым-Жомарт, Trans-Caspian, Kazakh-Turkish
        (rf"(?<=\w)-(?=[{_UPPER}])", NBHY, 0),
        # a route or a pair of names: Баку – Тбилиси, Baku–Tbilisi–Ceyhan (after the dash rule)
        (rf"(?<=\w)–(?=[{_UPPER}])", f"–{WJ}", 0),
        # initials and the surname: Н. Ә. Назарбаев, J. Smith
        (rf"(?<![\w.])([{_UPPER}])\.{_SPACE}(?=[{_UPPER}])", rf"\1.{NBSP}", 0),
    ]
    kept_after = tuple(after_number) + tuple(months)
    if kept_after:
        rules.append((rf"(?<=\d){_SPACE}(?={_words(kept_after)})", NBSP, 0))
    if before_number:
        signs = "|".join(re.escape(s) for s in sorted(set(before_number), key=len, reverse=True))
        rules.append((rf"(?<![\w])({signs}){_SPACE}(?=\d)", rf"\1{NBSP}", 0))
    if months:  # English writes the month first: February 2
        names = "|".join(map(re.escape, months))
        rules.append((rf"(?<![\w])({names}){_SPACE}(?=\d)", rf"\1{NBSP}", 0))
    if short_words:
        words = "|".join(re.escape(w) for w in sorted(set(short_words), key=len, reverse=True))
        rules.append((rf"(?<![\w\-{NBHY}])({words}){_SPACE}(?=\S)", rf"\1{NBSP}", re.IGNORECASE))
    compiled = tuple((re.compile(pattern, flags), repl) for pattern, repl, flags in rules)
    return Typesetter(lang, quotes, inner_quotes, compiled)


def house_typesetter(house: HouseStyle) -> Typesetter:
    """The typesetter of a house style."""
    t = house.style.typography
    months = tuple(sorted({m for table in house.style.months.values() for m in table}))
    return typesetter(
        house.lang,
        tuple(t.quotes),
        tuple(t.inner_quotes),
        t.dash,
        tuple(t.after_number),
        tuple(t.before_number),
        tuple(t.short_words),
        months,
    )


def typeset(document: BriefDocument, houses: dict[str, HouseStyle]) -> BriefDocument:
    """The document with its body's text set by its language's rules (its tree set in
    place, with the HTML that says it); a text in another of the brief's languages
    (lang="ru") is set by that language's rules."""
    setters = {lang: house_typesetter(house) for lang, house in houses.items()}
    body = document.body
    if body is None or document.lang not in setters:
        return document
    _walk(body, setters[document.lang], setters, hyphenate=True, quotes=_Quotes())
    for block in body.iter(*PARAGRAPHS):
        _whole_last_word(block)
    html = lxml.html.tostring(document.root, encoding="unicode", doctype="<!DOCTYPE html>")
    return BriefDocument(html, document.root)


def _walk(
    node: etree._Element,
    setter: Typesetter,
    setters: dict[str, Typesetter],
    *,
    hyphenate: bool,
    quotes: _Quotes,
) -> None:
    """Set the text of an element and its descendants (tails belong to the parent's flow)."""
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in VERBATIM:
        return
    setter = setters.get(node.get("lang") or "", setter)
    if tag in BLOCKS:
        quotes = _Quotes()
    classes = (node.get("class") or "").split()
    # figures (class num) are never hyphenated: "4,1 млрд АҚШ доллары" stays whole
    hyphenate = hyphenate and tag not in UNHYPHENATED and not {"nohyphen", "num"} & set(classes)
    if tag == "sup":  # a citation or a note's number stays on the line of its word
        node.text = WJ + (node.text or "")
    if node.text:
        node.text = _set(setter, node.text, hyphenate, quotes, sup=tag == "sup")
    for child in node:
        if isinstance(child.tag, str):
            _walk(child, setter, setters, hyphenate=hyphenate, quotes=quotes)
        if child.tail:
            child.tail = _set(setter, child.tail, hyphenate, quotes, sup=tag == "sup")


def _whole_last_word(block: etree._Element) -> None:
    """No soft hyphen in a paragraph's last word: its last line is never a word's tail."""
    spots = []  # (element, "text" | "tail") in reading order, citations left out

    def visit(node: etree._Element) -> None:
        if node.tag == "sup":
            return
        spots.append((node, "text"))
        for child in node:
            if isinstance(child.tag, str) and child.tag not in BLOCKS:
                visit(child)
                spots.append((child, "tail"))

    visit(block)
    for node, attr in reversed(spots):
        value = getattr(node, attr)
        if value and any(c.isalpha() for c in value):
            end = len(value)
            while end and not value[end - 1].isalnum():
                end -= 1
            start = end
            while start and (value[start - 1].isalnum() or value[start - 1] == SHY):
                start -= 1
            word = value[start:end].replace(SHY, "")
            setattr(node, attr, value[:start] + word + value[end:])
            return


def _set(setter: Typesetter, text: str, hyphenate: bool, quotes: _Quotes, *, sup: bool) -> str:
    if sup:  # [1, 3]: the numbers of one marker on one line
        return re.sub(_SPACE, NBSP, text)
    return setter.set(text, hyphenate=hyphenate, quotes=quotes)


def unhyphenated(node: etree._Element) -> None:
    """Take the soft hyphens and word joiners out of an element's text (for an e-mail, whose
    reader lays text out by its own rules)."""
    for element in node.iter():
        for attr in ("text", "tail"):
            value = getattr(element, attr)
            if value and (SHY in value or WJ in value):
                setattr(element, attr, value.replace(SHY, "").replace(WJ, ""))
