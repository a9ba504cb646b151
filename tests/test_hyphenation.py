"""Hyphenation: Kazakh words divided as reviewed by hand, Russian and English by their patterns."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.errors import BriefError
from generator.l10n import hyphenation
from generator.l10n.hyphenation import SOFT_HYPHEN, positions, soft_hyphens

REVIEWED = Path(__file__).parent / "data" / "kk_hyphenation_reviewed.txt"


def divided(word: str, lang: str) -> str:
    """The word with a hyphen at each of its breaks."""
    return soft_hyphens(word, lang).replace(SOFT_HYPHEN, "-")


def reviewed_lines() -> list[str]:
    """The hand-divided Kazakh words, one a line, without comments."""
    lines = REVIEWED.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_kazakh_words_break_where_reviewed():
    lines = reviewed_lines()
    assert len(lines) >= 200
    assert len({line.replace("-", "") for line in lines}) == len(lines), "a word is listed twice"
    mismatches = []
    for line in lines:
        word, expected, offset = line.replace("-", ""), [], 0
        for part in line.split("-")[:-1]:
            offset += len(part)
            expected.append(offset)
        if positions(word, "kk") != expected:
            mismatches.append(f"{line} (reviewed) != {divided(word, 'kk')} (computed)")
    assert not mismatches, f"{len(mismatches)} words:\n" + "\n".join(mismatches)


@pytest.mark.parametrize(
    "expected",
    [
        # loans of the ministry's vocabulary, divided as in Russian
        "рес-пуб-ли-ка",
        "ми-нистр",
        "про-грам-ма",
        "транс-порт",
        "де-ле-га-ция",
        "пар-ла-мент",
        "кон-суль-та-ция",
        "кон-сти-ту-ция",
        "ин-стру-мент",
        "ком-плекс",
        # compounds and stems from the list of exceptions, with suffixes
        "мем-ле-кет-ара-лық-тың",
        "мем-ле-кет-ара-лы-ғы",
        "ха-лық-ара-лық-қа",
        "кә-сіп-орын-ның",
        "кә-сіп-ор-ны",
        "қа-зақ-стан-дық-тар",
        # the three-consonant clusters of native words: all but the last stay
        "ұлт-тық-тың",
        "айт-қан-нан",
    ],
)
def test_kazakh_loans_compounds_and_clusters(expected):
    assert divided(expected.replace("-", ""), "kk") == expected


@pytest.mark.parametrize(
    "word, lang, expected",
    [
        ("сотрудничество", "ru", "со-труд-ни-че-ство"),
        ("международный", "ru", "меж-ду-на-род-ный"),
        ("cooperation", "en", "co-op-er-a-tion"),
        ("government", "en", "gov-ern-ment"),
        ("development", "en-GB", "de-vel-op-ment"),
    ],
)
def test_russian_and_english_follow_their_patterns(word, lang, expected):
    assert divided(word, lang) == expected


def test_english_leaves_three_letters_after_a_break():
    assert all(len("government") - b >= 3 for b in positions("government", "en"))
    assert positions("comments", "en") == [3]  # never com-ment-s


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Эрдоган в Анкаре", "ru"),
        ("Анкара", "kk"),
        ("Қазақстан", "kk"),
        ("ОБСЕ", "ru"),
        ("Erdoğan", "en"),
        ("Мемлекетаралық", "kk"),  # a sentence's first word
        ("6-шы", "kk"),
        ("2026 жылғы", "kk"),
        ("100мемлекетаралық", "kk"),
        ("Қазақстан-Түркия ынтымақтастық\u2011кеңесі", "kk"),
        ("ынтымақтастық-кеңесі", "kk"),
        ("https://mfa.gov.kz/ынтымақтастық", "kk"),
        ("www.akorda.kz ынтымақтастық", "kk"),
        ("ынтымақтастық@mfa.kz", "kk"),
        ("мем\u00adлекетаралық", "kk"),
        ("елдер", "kk"),  # shorter than six letters
        ("ынтымақтастық", "tr"),
    ],
)
def test_left_alone(text, lang):
    assert soft_hyphens(text, lang) == text


def test_prose_with_spaces_quotes_and_dashes():
    text = "«Екіжақты ынтымақтастық» —\u00a0мемлекетаралық\u202fқатынастардың негізі."
    assert soft_hyphens(text, "kk").replace(SOFT_HYPHEN, "-") == (
        "«Екіжақты ын-ты-мақ-тас-тық» —\u00a0мем-ле-кет-ара-лық\u202fқа-ты-нас-тар-дың не-гі-зі."
    )


def test_no_break_leaves_fewer_than_two_letters():
    assert positions("азиялық", "kk") == [3, 4]  # ази-я-лық, never а-зи-
    assert positions("энергия", "kk") == [4]  # энер-гия, never энерги-я
    assert positions("арасында", "kk") == [3, 6]  # ара-сын-да


def test_the_list_of_exceptions_must_be_well_formed(tmp_path, monkeypatch):
    bad = tmp_path / "kk_hyphenation.txt"
    bad.write_text("# comment\nмем-ле-кет-ара-лық\nмем--лекет\n", encoding="utf-8")
    monkeypatch.setattr(hyphenation, "EXCEPTIONS_PATH", bad)
    hyphenation._kk_exceptions.cache_clear()
    try:
        with pytest.raises(BriefError) as raised:
            hyphenation._kk_exceptions()
        assert raised.value.line == 3
    finally:
        hyphenation._kk_exceptions.cache_clear()


KAZAKH = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
TEXT = st.text(
    alphabet=st.sampled_from(
        KAZAKH * 4 + KAZAKH.upper() + "0123456789" + "  .,;:!?«»“”()—–-\u2011\u00a0\u202f\u2060"
    ),
    max_size=120,
)


@given(TEXT)
def test_soft_hyphens_only_add_soft_hyphens_and_add_them_once(text):
    once = soft_hyphens(text, "kk")
    assert once.replace(SOFT_HYPHEN, "") == text
    assert soft_hyphens(once, "kk") == once
    for part in once.split(SOFT_HYPHEN)[1:]:
        assert part[:2].isalpha()
    for part in once.split(SOFT_HYPHEN)[:-1]:
        assert part[-2:].isalpha()
