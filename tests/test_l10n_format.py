"""Golden forms of every role and table of the house styles, per language (kk, ru, en)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel.lists import format_list
from markupsafe import Markup

from generator.facts.values import Amount, FuzzyDate, Text
from generator.l10n.locales import babel_locale
from generator.l10n.testing import formatter

N = "\u00a0"  # no-break space: Babel's group separator in kk and ru, and before млн/млрд

ROLES = ("plain", "dateline", "on", "of", "since", "by")


def date(lang: str, value: str, role: str = "plain") -> str:
    return formatter(lang).date(FuzzyDate.parse(value), role)


# ---- dates: every role at day, month and year precision ----------------------------------

GOLDEN_DATES = {
    "kk": {
        "2026-02-02": [
            "2026 жылғы 2 ақпан",
            "2026 жылғы 2 ақпан",
            "2026 жылғы 2 ақпанда",
            "2026 жылғы 2 ақпандағы",
            "2026 жылғы 2 ақпаннан бері",
            "2026 жылғы 2 ақпанға дейін",
        ],
        "2009-10": [
            "2009 жылғы қазан",
            "2009 жылғы қазан",
            "2009 жылғы қазанда",
            "2009 жылғы қазандағы",
            "2009 жылғы қазаннан бері",
            "2009 жылғы қазанға дейін",
        ],
        "1992": [
            "1992 жыл",
            "1992 жыл",
            "1992 жылы",
            "1992 жылғы",
            "1992 жылдан бері",
            "1992 жылға дейін",
        ],
    },
    "ru": {
        "2026-02-02": [
            "2 февраля 2026 г.",
            "2 февраля 2026 г.",
            "2 февраля 2026 года",
            "от 2 февраля 2026 года",
            "с 2 февраля 2026 года",
            "к 2 февраля 2026 года",
        ],
        "2009-10": [
            "октябрь 2009 г.",
            "октябрь 2009 г.",
            "в октябре 2009 года",
            "от октября 2009 года",
            "с октября 2009 года",
            "к октябрю 2009 года",
        ],
        "1992": ["1992 г.", "1992 г.", "в 1992 году", "1992 года", "с 1992 года", "к 1992 году"],
    },
    "en": {
        "2026-02-02": [
            "2 February 2026",
            "2 February 2026",
            "on 2 February 2026",
            "of 2 February 2026",
            "since 2 February 2026",
            "by 2 February 2026",
        ],
        "2009-10": [
            "October 2009",
            "October 2009",
            "in October 2009",
            "of October 2009",
            "since October 2009",
            "by October 2009",
        ],
        "1992": ["1992", "1992", "in 1992", "of 1992", "since 1992", "by 1992"],
    },
}


@pytest.mark.parametrize(
    "lang,value,role,expected",
    [
        (lang, value, role, forms[i])
        for lang, table in GOLDEN_DATES.items()
        for value, forms in table.items()
        for i, role in enumerate(ROLES)
    ],
)
def test_date_in_every_role_and_precision(lang, value, role, expected):
    assert date(lang, value, role) == expected


def test_issue_examples_of_kazakh_dates():
    assert date("kk", "2023-02-06", "of") == "2023 жылғы 6 ақпандағы"
    assert date("kk", "2026-02-02", "on") == "2026 жылғы 2 ақпанда"


# every month in the Kazakh locative and attributive, written from the grammar: the ending
# follows the month's last vowel, and after the voiceless к it is -те / -тегі
KK_ON = [
    "қаңтарда",
    "ақпанда",
    "наурызда",
    "сәуірде",
    "мамырда",
    "маусымда",
    "шілдеде",
    "тамызда",
    "қыркүйекте",
    "қазанда",
    "қарашада",
    "желтоқсанда",
]
KK_OF = [
    "қаңтардағы",
    "ақпандағы",
    "наурыздағы",
    "сәуірдегі",
    "мамырдағы",
    "маусымдағы",
    "шілдедегі",
    "тамыздағы",
    "қыркүйектегі",
    "қазандағы",
    "қарашадағы",
    "желтоқсандағы",
]
KK_SINCE = [
    "қаңтардан",
    "ақпаннан",
    "наурыздан",
    "сәуірден",
    "мамырдан",
    "маусымнан",
    "шілдеден",
    "тамыздан",
    "қыркүйектен",
    "қазаннан",
    "қарашадан",
    "желтоқсаннан",
]
KK_BY = [
    "қаңтарға",
    "ақпанға",
    "наурызға",
    "сәуірге",
    "мамырға",
    "маусымға",
    "шілдеге",
    "тамызға",
    "қыркүйекке",
    "қазанға",
    "қарашаға",
    "желтоқсанға",
]
RU_ON = [
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
]
RU_BY = [
    "январю",
    "февралю",
    "марту",
    "апрелю",
    "маю",
    "июню",
    "июлю",
    "августу",
    "сентябрю",
    "октябрю",
    "ноябрю",
    "декабрю",
]
RU_GEN = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_in_every_case(month):
    ym = f"2025-{month:02d}"
    assert date("kk", f"{ym}-05", "on") == f"2025 жылғы 5 {KK_ON[month - 1]}"
    assert date("kk", f"{ym}-05", "of") == f"2025 жылғы 5 {KK_OF[month - 1]}"
    assert date("kk", ym, "since") == f"2025 жылғы {KK_SINCE[month - 1]} бері"
    assert date("kk", ym, "by") == f"2025 жылғы {KK_BY[month - 1]} дейін"
    assert date("ru", ym, "on") == f"в {RU_ON[month - 1]} 2025 года"
    assert date("ru", ym, "by") == f"к {RU_BY[month - 1]} 2025 года"
    assert date("ru", f"{ym}-05") == f"5 {RU_GEN[month - 1]} 2025 г."
    assert date("ru", ym, "since") == f"с {RU_GEN[month - 1]} 2025 года"


GOLDEN_RANGES = [
    # one month, two days
    ("kk", "2022-10-12/2022-10-13", "plain", "2022 жылғы 12–13 қазан"),
    ("kk", "2022-10-12/2022-10-13", "on", "2022 жылғы 12–13 қазанда"),
    ("ru", "2022-10-12/2022-10-13", "plain", "12–13 октября 2022 г."),
    ("ru", "2022-10-12/2022-10-13", "on", "12–13 октября 2022 года"),
    ("en", "2022-10-12/2022-10-13", "plain", "12–13 October 2022"),
    ("en", "2022-10-12/2022-10-13", "on", "on 12–13 October 2022"),
    # a day number that also occurs in the year
    ("kk", "2026-02-01/2026-02-02", "plain", "2026 жылғы 1–2 ақпан"),
    ("en", "2026-02-01/2026-02-02", "plain", "1–2 February 2026"),
    # two months of one year: only the end takes the Kazakh case ending
    ("kk", "2025-09-30/2025-10-02", "on", "2025 жылғы 30 қыркүйек – 2 қазанда"),
    ("ru", "2025-09-30/2025-10-02", "on", "30 сентября – 2 октября 2025 года"),
    ("en", "2025-09-30/2025-10-02", "plain", "30 September – 2 October 2025"),
    # month precision: Russian puts both months in the case of the role
    ("kk", "2022-05/2022-10", "on", "2022 жылғы мамыр–қазанда"),
    ("ru", "2022-05/2022-10", "on", "в мае–октябре 2022 года"),
    ("ru", "2022-05/2022-10", "plain", "май–октябрь 2022 г."),
    ("en", "2022-05/2022-10", "on", "in May–October 2022"),
    # across a year
    ("kk", "2024-12-30/2025-01-02", "plain", "2024 жылғы 30 желтоқсан – 2025 жылғы 2 қаңтар"),
    ("ru", "2024-12-30/2025-01-02", "plain", "30 декабря 2024 – 2 января 2025 г."),
    ("en", "2024-12-30/2025-01-02", "on", "on 30 December 2024 – 2 January 2025"),
    ("ru", "2024-12/2025-01", "on", "в декабре 2024 – январе 2025 года"),
    # years
    ("kk", "2020/2025", "on", "2020–2025 жылдары"),
    ("kk", "2020/2025", "plain", "2020–2025 жылдар"),
    ("ru", "2020/2025", "plain", "2020–2025 гг."),
    ("ru", "2020/2025", "on", "в 2020–2025 годах"),
    ("en", "2020/2025", "on", "in 2020–2025"),
]


@pytest.mark.parametrize("lang,value,role,expected", GOLDEN_RANGES)
def test_date_ranges(lang, value, role, expected):
    assert date(lang, value, role) == expected


def test_calendar_dates_and_datetimes_are_read_in_almaty():
    kk, en = formatter("kk"), formatter("en")
    assert kk.date(dt.date(2026, 2, 2), "on") == "2026 жылғы 2 ақпанда"
    # 20:00 UTC on 1 February is already 2 February in Astana
    assert en.date(dt.datetime(2026, 2, 1, 20, 0, tzinfo=dt.UTC)) == "2 February 2026"
    # a datetime without a time zone is Almaty wall time, not UTC
    assert en.date(dt.datetime(2026, 2, 1, 23, 30)) == "1 February 2026"


def test_an_unknown_role_is_a_clear_error():
    from generator.errors import BriefError

    with pytest.raises(BriefError, match="unknown date role 'at'") as err:
        date("kk", "2026-02-02", "at")
    assert "plain, dateline, on, of, since, by" in err.value.hint


# ---- amounts -----------------------------------------------------------------------------

AMOUNT_ROLES = ("plain", "over", "about", "nearly", "under", "up_to", "to")
GOLDEN_AMOUNTS = {
    "kk": [
        f"1,2{N}млрд АҚШ доллары",
        f"1,2{N}млрд АҚШ долларынан астам",
        f"шамамен 1,2{N}млрд АҚШ доллары",
        f"1,2{N}млрд АҚШ долларына жуық",
        f"1,2{N}млрд АҚШ долларынан аз",
        f"1,2{N}млрд АҚШ долларына дейін",
        f"1,2{N}млрд АҚШ долларына",
    ],
    "ru": [
        f"1,2{N}млрд долларов США",
        f"более 1,2{N}млрд долларов США",
        f"около 1,2{N}млрд долларов США",
        f"почти 1,2{N}млрд долларов США",
        f"менее 1,2{N}млрд долларов США",
        f"до 1,2{N}млрд долларов США",
        f"1,2{N}млрд долларов США",
    ],
    "en": [
        f"US$1.2{N}billion",
        f"over US$1.2{N}billion",
        f"about US$1.2{N}billion",
        f"nearly US$1.2{N}billion",
        f"under US$1.2{N}billion",
        f"up to US$1.2{N}billion",
        f"US$1.2{N}billion",
    ],
}


@pytest.mark.parametrize(
    "lang,role,expected",
    [
        (lang, role, forms[i])
        for lang, forms in GOLDEN_AMOUNTS.items()
        for i, role in enumerate(AMOUNT_ROLES)
    ],
)
def test_amount_in_every_role(lang, role, expected):
    amount = Amount(Decimal("1200000000"), "USD")
    assert formatter(lang).amount(amount, None if role == "plain" else role) == expected


@pytest.mark.parametrize(
    "lang,expected",
    [
        ("kk", f"5{N}млрд АҚШ долларынан астам"),
        ("ru", f"более 5{N}млрд долларов США"),
        ("en", f"over US$5{N}billion"),
    ],
)
def test_the_role_defaults_to_the_amounts_qualifier(lang, expected):
    assert formatter(lang).amount(Amount.parse("over 5 bn USD")) == expected


@pytest.mark.parametrize(
    "lang,number,expected",
    [
        ("kk", f"5{N}300{N}000", f"5{N}300{N}000 АҚШ доллары"),
        ("ru", f"5{N}300{N}000", f"5{N}300{N}000 долларов США"),
        ("en", "5,300,000", "US$5,300,000"),
    ],
)
def test_exact_figures_keep_every_digit_with_the_locales_separators(lang, number, expected):
    assert formatter(lang).number(5300000) == number
    assert formatter(lang).amount(Amount(Decimal(5300000), "USD"), exact=True) == expected


@pytest.mark.parametrize(
    "value,role,expected",
    [
        (1, "plain", "1 доллар США"),
        (2, "plain", "2 доллара США"),
        (4, "plain", "4 доллара США"),
        (5, "plain", "5 долларов США"),
        (11, "plain", "11 долларов США"),
        (12, "plain", "12 долларов США"),
        (21, "plain", "21 доллар США"),
        (22, "plain", "22 доллара США"),
        (25, "plain", "25 долларов США"),
        (111, "plain", "111 долларов США"),
        (101, "plain", "101 доллар США"),
        (Decimal("1.5"), "plain", "1,5 доллара США"),
        (Decimal(2), "plain", "2 доллара США"),
        (Decimal(21), "plain", "21 доллар США"),
        # более, около, менее, до govern the genitive
        (1, "over", "более 1 доллара США"),
        (2, "over", "более 2 долларов США"),
        (5, "about", "около 5 долларов США"),
        (21, "up_to", "до 21 доллара США"),
        (3, "nearly", "почти 3 доллара США"),
    ],
)
def test_russian_currency_noun_agrees_with_the_number(value, role, expected):
    amount = Amount(Decimal(value), "USD")
    assert formatter("ru").amount(amount, role) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        (1, "1 турецкая лира"),
        (3, "3 турецкие лиры"),
        (5, "5 турецких лир"),
        (21, "21 турецкая лира"),
        (Decimal("2.5"), "2,5 турецкой лиры"),
    ],
)
def test_russian_agreement_for_another_currency(value, expected):
    assert formatter("ru").amount(Amount(Decimal(value), "TRY")) == expected


def test_kazakh_nouns_stay_singular_after_numerals():
    kk = formatter("kk")
    assert kk.amount(Amount(Decimal(5), "USD")) == "5 АҚШ доллары"
    assert kk.amount(Amount(Decimal(1), "USD")) == "1 АҚШ доллары"


def test_floats_are_refused_everywhere():
    ru = formatter("ru")
    for call in (
        lambda: ru.number(1.5),
        lambda: ru.percent(0.5),
        lambda: ru.compact(2e9),
        lambda: ru.amount(Amount(1.5, "USD")),
    ):
        with pytest.raises(TypeError, match="never a float"):
            call()


def test_a_currency_without_a_phrase_shows_its_code_and_is_noted():
    kk = formatter("kk")
    assert kk.amount(Amount.parse("over 5 mn GBP")) == f"5{N}млн{N}GBP-дан астам"
    assert [n.kind for n in kk.notes] == ["currency-phrase"]


# ---- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,plain,signed,compact",
    [
        ("kk", "41%", "−4,5%", f"4,1{N}млрд"),
        ("ru", f"41{N}%", f"+12,3{N}%", f"4,1{N}млрд"),
        ("en", "41%", "+12.3%", f"4.1{N}billion"),
    ],
)
def test_percentages_and_compact_numbers(lang, plain, signed, compact):
    f = formatter(lang)
    assert f.percent(Decimal("0.41")) == plain
    value = Decimal("-0.045") if signed.startswith("−") else Decimal("0.123")
    assert f.percent(value, signed=True) == signed
    assert f.compact(Decimal("4100000000")) == compact


# ---- ordinals ----------------------------------------------------------------------------

KK_UNITS = ["", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"]
KK_TENS = ["", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан"]


def kazakh_numeral(n: int) -> str:
    """The Kazakh numeral as spoken, 1–100: 21 → 'жиырма бір', 100 → 'жүз'."""
    if n == 100:
        return "жүз"
    return " ".join(w for w in (KK_TENS[n // 10], KK_UNITS[n % 10]) if w)


def kazakh_ordinal(n: int) -> str:
    """n-шы after a back vowel, n-ші after a front vowel (the numeral's last vowel)."""
    last_word = kazakh_numeral(n).split()[-1]
    vowel = [ch for ch in last_word if ch in "аоұыәеөүі"][-1]
    return f"{n}-{'шы' if vowel in 'аоұы' else 'ші'}"


@pytest.mark.parametrize("n", range(1, 101))
def test_kazakh_ordinals_1_to_100_follow_the_numerals_vowel_harmony(n):
    assert formatter("kk").ordinal(n) == kazakh_ordinal(n)


def test_kazakh_ordinals_of_the_issue_and_beyond_100():
    kk = formatter("kk")
    assert [kk.ordinal(n) for n in (8, 6, 13, 12, 2, 30, 40)] == [
        "8-ші",
        "6-шы",
        "13-ші",
        "12-ші",
        "2-ші",
        "30-шы",
        "40-шы",
    ]
    # екі жүз, мың, бір мың бір жүз, миллион
    assert [kk.ordinal(n) for n in (200, 1000, 1100, 1_000_000)] == [
        "200-ші",
        "1000-шы",
        "1100-ші",
        "1000000-шы",
    ]


def test_russian_ordinals_agree_in_gender():
    ru = formatter("ru")
    assert ru.ordinal(8) == "8-е"  # заседание
    assert ru.ordinal(8, "neuter") == "8-е"
    assert ru.ordinal(8, "masculine") == "8-й"  # визит
    assert ru.ordinal(3, "feminine") == "3-я"  # сессия
    with pytest.raises(ValueError, match="unknown gender 'plural'"):
        ru.ordinal(8, "plural")


@pytest.mark.parametrize(
    "n,expected",
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (8, "8th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
        (113, "113th"),
    ],
)
def test_english_ordinals(n, expected):
    assert formatter("en").ordinal(n) == expected


# ---- lists and names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,two,three,four",
    [
        (
            "kk",
            "Қазақстан және Түркия",
            "Қазақстан, Түркия және Әзербайжан",
            "Қазақстан, Түркия, Әзербайжан және Тәжікстан",
        ),
        (
            "ru",
            "Казахстан и Турция",
            "Казахстан, Турция и Азербайджан",
            "Казахстан, Турция, Азербайджан и Таджикистан",
        ),
        (
            "en",
            "Kazakhstan and Türkiye",
            "Kazakhstan, Türkiye and Azerbaijan",
            "Kazakhstan, Türkiye, Azerbaijan and Tajikistan",
        ),
    ],
)
def test_lists_of_two_three_and_four(lang, two, three, four):
    f = formatter(lang)
    names = [f.country(code) for code in ("KZ", "TR", "AZ", "TJ")]
    assert f.join(names[:2]) == two
    assert f.join(names[:3]) == three
    assert f.join(names) == four
    assert f.join(names[:1]) == names[0] and f.join([]) == ""


def test_house_lists_against_cldr():
    names = ["A", "B", "C"]
    # Russian agrees with CLDR; Kazakh adds the conjunction CLDR lacks; English drops the
    # serial comma CLDR's en has
    assert formatter("ru").join(names) == format_list(names, locale="ru_KZ")
    assert format_list(names, locale="kk_KZ") == "A, B, C"
    assert format_list(names, locale="en") == "A, B, and C"
    assert formatter("kk").join(names) == "A, B және C"


def test_a_list_keeps_marked_items_and_escapes_plain_ones():
    kk = formatter("kk")
    marked = Markup('<span class="fallback" lang="ru">Анкара</span>')
    assert kk.join(["A & B", marked]) == Markup(
        'A &amp; B және <span class="fallback" lang="ru">Анкара</span>'
    )


@pytest.mark.parametrize(
    "lang,code,short,long,of",
    [
        ("kk", "AZ", "Әзербайжан", "Әзербайжан Республикасы", "Әзербайжанның"),
        ("kk", "TR", "Түркия", "Түркия Республикасы", "Түркияның"),
        ("ru", "TR", "Турция", "Турецкая Республика", "Турции"),
        ("ru", "AZ", "Азербайджан", "Азербайджанская Республика", "Азербайджана"),
        ("en", "TR", "Türkiye", "Republic of Türkiye", "Türkiye"),
        ("en", "KG", "Kyrgyzstan", "Kyrgyz Republic", "Kyrgyzstan"),
    ],
)
def test_country_names_with_reviewed_overrides(lang, code, short, long, of):
    f = formatter(lang)
    assert (f.country(code), f.country(code, "long"), f.country(code, "of")) == (short, long, of)
    assert f.notes == []


def test_the_kazakh_override_differs_from_cldr():
    assert babel_locale("kk_KZ").territories["AZ"] == "Әзірбайжан"
    assert formatter("kk").country("AZ") == "Әзербайжан"


def test_a_country_without_a_reviewed_form_uses_cldr_and_is_noted():
    kk, en = formatter("kk"), formatter("en")
    assert kk.country("FR") == "Франция" and kk.notes == []
    assert kk.country("FR", "of") == "Франция"
    assert [(n.kind, n.subject) for n in kk.notes] == [("country-form", "FR of")]
    assert en.country("FR", "of") == "France" and en.notes == []  # English needs no case


def test_language_names_come_from_cldr():
    assert formatter("kk").language("tr") == "түрік тілі"
    assert formatter("ru").language("kk") == "казахский"


# ---- texts -------------------------------------------------------------------------------


def test_a_text_in_the_briefs_language_is_shown_as_it_is():
    assert formatter("kk").text(Text(kk="Анкара", ru="Анкара", en="Ankara")) == "Анкара"


@pytest.mark.parametrize(
    "lang,text,shown",
    [
        ("kk", Text(ru="Анкара", en="Ankara"), '<span class="fallback" lang="ru">Анкара</span>'),
        (
            "kk",
            Text(en="Ankara & Izmir"),
            '<span class="fallback" lang="en">Ankara &amp; Izmir</span>',
        ),
        ("ru", Text(kk="Анкара", en="Ankara"), '<span class="fallback" lang="en">Ankara</span>'),
        ("en", Text(kk="Анкара", ru="Анкара"), '<span class="fallback" lang="ru">Анкара</span>'),
    ],
)
def test_a_missing_language_falls_back_visibly_and_is_noted(lang, text, shown):
    f = formatter(lang)
    assert f.text(text) == Markup(shown)
    assert [(n.kind, n.text) for n in f.notes] == [("fallback-text", text)]


@pytest.mark.parametrize(
    "lang, value, role, expected",
    [
        ("en", "2022-10-12/2022-10-13", "plain", "probably 12–13 October 2022"),
        ("en", "2022-10", "on", "probably in October 2022"),
        ("ru", "2022-10-12/2022-10-13", "plain", "предположительно 12–13 октября 2022 г."),
        ("ru", "2022-10", "on", "предположительно в октябре 2022 года"),
        ("kk", "2022-10-12/2022-10-13", "plain", "болжам бойынша 2022 жылғы 12–13 қазан"),
        ("kk", "2022-10", "on", "болжам бойынша 2022 жылғы қазанда"),
    ],
)
def test_a_date_the_analyst_inferred_reads_as_probable(lang, value, role, expected):
    inferred = FuzzyDate.parse({"value": value, "inferred": True})
    assert formatter(lang).date(inferred, role).replace("\xa0", " ") == expected
    # the same date, known, is written plainly
    known = FuzzyDate.parse(value)
    qualifier = {"kk": "болжам бойынша ", "ru": "предположительно ", "en": "probably "}[lang]
    assert formatter(lang).date(known, role).replace("\xa0", " ") == expected.removeprefix(
        qualifier
    )
