"""Where words may break at a line's end in Kazakh, Russian and English: soft hyphens, once.

Russian and English follow the TeX patterns that ship with Pyphen. Kazakh has no such
patterns, so its words are divided by the syllable rules of the Kazakh orthography (Қазақ
тілінің емле ережелері), with the compounds and loans that divide otherwise listed in
`kk_hyphenation.txt`.

Kazakh rules, as applied here:

- a syllable has one vowel (а ә е ё и о ө у ұ ү ы і э ю я); у after a vowel is the
  consonant [w] (ау-қым, ба-уыр-лас, қол-да-уы); й is a consonant (мо-йын);
- between vowels, one consonant begins the next syllable (қа-ла), two are divided (жақ-сы),
  of three or more only the last begins the next syllable (айт-қан, ұлт-тық, ми-нистр-лер);
- a loan's stop or f/v before р begins the syllable with it (про-грам-ма, элек-трон-дық,
  ин-фра-құ-ры-лым), and of three or more consonants also a stop before л (ком-плекс, but
  рес-пуб-ли-ка) and ст or стр after н, к or қ (қа-зақ-стан, кон-сти-ту-ция, ин-стру-мент);
- ь and ъ stay with the letter before them (объ-ек-ті);
- no break leaves fewer than two letters on either side (ара stays whole, ази-я-лық).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import pyphen  # type: ignore[import-untyped]

from generator import cache
from generator.errors import BriefError

SOFT_HYPHEN = "\u00ad"

# letters left at least before and after a break
_MARGINS = {"kk": (2, 2), "ru": (2, 2), "en": (2, 3)}

_KK_VOWELS = frozenset("аәеёиоөуұүыіэюя")
_KK_SIGNS = frozenset("ьъ")
_KK_LETTERS = frozenset("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя")
_RU_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
# a loan's consonant that begins a syllable together with a following р (про-грам-ма)
_BEFORE_R = frozenset("бвгдкптф")
# the same before л, in clusters of three or more (ком-плекс, ан-гли-я)
_BEFORE_L = frozenset("бгкпф")
# ст begins a syllable after these, in clusters of three or more (қа-зақ-стан, ин-стру-мент)
_BEFORE_ST = frozenset("нкқ")
# a stem's last consonant as it is written before a vowel (мемлекетаралық → -ғы)
_VOICED = {"ғ": "қ", "г": "к", "б": "п"}

# joiners: a word that touches one is part of something larger (an identifier, a number)
_JOINERS = frozenset("_\u00ad\u2060\u200b\u200c\u200d\ufeff")
_HYPHENS = frozenset("-\u2010\u2011")
_WORD = re.compile(r"[^\W\d_]+")
_URL_MARKS = ("://", "www.", "@")

EXCEPTIONS_PATH = Path(__file__).with_name("kk_hyphenation.txt")


def soft_hyphens(text: str, lang: str) -> str:
    """The text with a soft hyphen at every place its words may break at a line's end.

    Names, abbreviations and sentence-initial words (anything with a capital), words
    touching a digit or a hyphen, words shorter than six letters, and addresses are left
    as they are.

    >>> show = lambda text: text.replace(SOFT_HYPHEN, "-")
    >>> show(soft_hyphens("екіжақты ынтымақтастық", "kk"))
    'екі-жақ-ты ын-ты-мақ-тас-тық'
    >>> show(soft_hyphens("Қазақстан мен Түркияның мемлекетаралық қатынастары", "kk"))
    'Қазақстан мен Түркияның мем-ле-кет-ара-лық қа-ты-нас-та-ры'
    >>> show(soft_hyphens("международное сотрудничество", "ru"))
    'меж-ду-на-род-ное со-труд-ни-че-ство'
    >>> show(soft_hyphens("The government of Türkiye", "en"))
    'The gov-ern-ment of Türkiye'
    >>> soft_hyphens("www.mfa.gov.kz/ынтымақтастық", "kk")
    'www.mfa.gov.kz/ынтымақтастық'
    """
    code = _language(lang)
    if code is None or not text or any(mark in text for mark in _URL_MARKS):
        return text

    def hyphenate(match: re.Match[str]) -> str:
        word = match.group()
        if len(word) < 6 or not word.isalpha() or not word.islower():
            return word
        if _touches(text, match.start() - 1, -1) or _touches(text, match.end(), 1):
            return word
        return _hyphenated(word, code)

    return _WORD.sub(hyphenate, text)


def positions(word: str, lang: str) -> list[int]:
    """The offsets inside a lowercase word where it may break at a line's end.

    >>> positions("ынтымақтастық", "kk")
    [2, 4, 7, 10]
    >>> positions("мемлекетаралығы", "kk")
    [3, 5, 8, 11, 13]
    >>> positions("сотрудничество", "ru")
    [2, 6, 8, 10]
    >>> positions("cooperation", "en")
    [2, 4, 6, 7]
    >>> positions("ара", "kk"), positions("word", "xx")
    ([], [])
    """
    code = _language(lang)
    if code is None:
        return []
    return list(_positions(word.lower(), code))


def _language(lang: str) -> str | None:
    """The language code of a locale (kk, ru, en) if its words can be hyphenated."""
    code = lang.replace("_", "-").split("-")[0].lower()
    return code if code in _MARGINS else None


def _touches(text: str, index: int, step: int) -> bool:
    """Whether the character at `index` ties the word beside it to something else."""
    if not 0 <= index < len(text):
        return False
    char = text[index]
    if char.isalnum() or char in _JOINERS or unicodedata.category(char).startswith("M"):
        return True
    if char in _HYPHENS or char == ".":  # 6-шы, Қазақстан‑Түркия, mfa.gov
        beyond = index + step
        return 0 <= beyond < len(text) and text[beyond].isalnum()
    return False


@functools.lru_cache(maxsize=65536)
def _hyphenated(word: str, code: str) -> str:
    """The word with soft hyphens at its breaks."""
    breaks = _positions(word, code)
    if not breaks:
        return word
    cuts = (0, *breaks, len(word))
    return SOFT_HYPHEN.join(word[start:end] for start, end in zip(cuts, cuts[1:], strict=False))


@functools.lru_cache(maxsize=65536)
def _positions(word: str, code: str) -> tuple[int, ...]:
    """The breaks of a lowercase word, at least the language's margins from either end."""
    if code == "kk":
        breaks = _kk_breaks(word) if set(word) <= _KK_LETTERS else []
    elif code == "ru":
        breaks = _pyphen("ru").positions(word) if set(word) <= _RU_LETTERS else []
    else:
        breaks = _pyphen("en").positions(word) if all(_latin(c) for c in word) else []
    left, right = _MARGINS[code]
    return tuple(b for b in breaks if left <= b <= len(word) - right)


def _latin(char: str) -> bool:
    """Whether a letter is Latin (with or without diacritics)."""
    return "a" <= char <= "z" or ("\u00df" <= char <= "\u024f" and char != "\u00f7")


@functools.cache
def _pyphen(code: str) -> pyphen.Pyphen:
    """The Pyphen hyphenator of Russian or English, built once a process; the patterns it
    reads from its dictionary are kept in the cache folder for the next process."""
    # Knuth and Liang's American patterns: the British ones split by derivation (art-icle)
    lang = "ru_RU" if code == "ru" else "en_US"
    path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    if path not in pyphen.hdcache:
        data = path.read_bytes()
        name = cache.key("hyphenation", pyphen.__version__, lang, data)
        pyphen.hdcache[path] = cache.remembered("hyphenation", name, lambda: pyphen.HyphDict(path))
    return pyphen.Pyphen(lang=lang)


def _kk_breaks(word: str) -> list[int]:
    """The breaks of a Kazakh word: a listed stem's own, the syllables' after it."""
    syllables = _kk_syllables(word)
    stem, listed = _kk_stem(word)
    if not stem:
        return syllables
    last = listed[-1] if listed else 0
    keep_from = stem
    if stem < len(word) and word[stem] in _KK_VOWELS:
        # before a vowel the stem's last consonants begin the next syllable (-лы-ғы)
        while keep_from > last and word[keep_from - 1] not in _KK_VOWELS:
            keep_from -= 1
    return [*listed, *(b for b in syllables if b > last and b >= keep_from)]


def _kk_kinds(word: str) -> list[bool]:
    """For each letter of a Kazakh word, whether it is a vowel of its own syllable."""
    vowels: list[bool] = []
    for index, char in enumerate(word):
        after_vowel = index > 0 and vowels[index - 1]
        vowels.append(char in _KK_VOWELS and not (char == "у" and after_vowel))
    return vowels


def _kk_syllables(word: str) -> list[int]:
    """The syllable boundaries of a Kazakh word by the orthography's rules."""
    vowels = [i for i, is_vowel in enumerate(_kk_kinds(word)) if is_vowel]
    breaks = []
    for before, after in zip(vowels, vowels[1:], strict=False):
        breaks.append(_kk_split(word, before + 1, after))
    return breaks


def _kk_split(word: str, start: int, end: int) -> int:
    """Where the consonants `word[start:end]` between two vowels divide."""
    units: list[int] = []  # where each consonant (with a ь or ъ after it) begins
    for index in range(start, end):
        if word[index] not in _KK_SIGNS or not units:
            units.append(index)
    if not units or word[end - 1] in _KK_SIGNS:
        return end  # ти-ім, объ-ект
    if len(units) == 1:
        return units[0]
    split = units[-1]
    cluster = word[start:end]
    first, last = word[units[-2]], word[units[-1]]
    if len(units) > 3 and cluster[-4:] == "нстр":
        split = units[-3]  # ин-стру-мент
    elif len(units) > 2 and cluster[-3:-2] in _BEFORE_ST and cluster[-2:] == "ст":
        split = units[-2]  # қа-зақ-стан, кон-сти-ту-ци-я
    elif last == "р" and first in _BEFORE_R:
        split = units[-2]  # про-грам-ма, элек-трон-дық
    elif len(units) > 2 and last == "л" and first in _BEFORE_L:
        split = units[-2]  # ком-плекс
    if split < 2 <= units[-1]:  # аг-рар-лық: the first vowel is not left alone
        split = units[-1]
    return split


def _kk_stem(word: str) -> tuple[int, list[int]]:
    """The longest listed stem the word begins with: its length and breaks (0, [] if none)."""
    listed = _kk_exceptions()
    for length in range(len(word), 2, -1):
        stem = word[:length]
        if stem in listed:
            return length, listed[stem]
        if length < len(word) and word[length] in _KK_VOWELS and stem[-1] in _VOICED:
            plain = stem[:-1] + _VOICED[stem[-1]]
            if plain in listed:
                return length, listed[plain]
    return 0, []


@functools.cache
def _kk_exceptions() -> dict[str, list[int]]:
    """The Kazakh words and stems divided otherwise than by the rules, from their list."""
    listed: dict[str, list[int]] = {}
    text = EXCEPTIONS_PATH.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        word = entry.replace("-", "")
        if not set(word) <= _KK_LETTERS or "--" in entry or entry[0] == "-" or entry[-1] == "-":
            raise BriefError(
                f"{entry!r} is not a lowercase Kazakh word divided by single hyphens",
                path=str(EXCEPTIONS_PATH),
                line=number,
                hint="write one word a line, like мем-ле-кет-ара-лық; comments follow #",
            )
        breaks, offset = [], 0
        for part in entry.split("-")[:-1]:
            offset += len(part)
            breaks.append(offset)
        listed[word] = breaks
    return listed
