"""Numbers as analysts write them: amounts read exactly, prose numbers in each language's style
and in agreement with the figures of the facts."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import BRIEF_DATE, MINI_DOSSIER, Cli, build, plain, write

from generator.errors import ValueProblem
from generator.facts.values import Amount

PROSE_CODES = ("number-style", "figure-disagrees")


def dossier(*, turnover: str = "10 bn USD", extra: str = "") -> str:
    """The mini dossier with another 2024 turnover and more lists after it."""
    return MINI_DOSSIER.replace("turnover: 10 bn USD", f"turnover: {turnover}") + extra


def fact(kk: str, ru: str, en: str, key: str = "summary") -> str:
    """A list `key` of one fact whose three texts are each on a line of their own."""
    return (
        f"{key}:\n  - text:\n      kk: {kk}\n      ru: {ru}\n      en: {en}\n"
        "    source: test-source\n"
    )


def line_of(text: str, needle: str) -> int:
    """The line (from 1) of the first line of `text` that contains `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def prose_check(root: Path) -> tuple[list[str], list[str]]:
    """`brief check`'s findings on prose numbers ('path:line: severity: message'), and their
    hints."""
    result = Cli(root)("check", "--date", BRIEF_DATE, "--format", "json")
    found = [i for i in json.loads(result.output) if i["code"] in PROSE_CODES]
    return [f"{i['file']}:{i['line']}: {i['severity']}: {i['message']}" for i in found], [
        i["hint"] for i in found
    ]


def prose_findings(root: Path) -> list[str]:
    return prose_check(root)[0]


# ---- amounts in the facts ----------------------------------------------------------------


@pytest.mark.parametrize(
    "written, value",
    [
        ("4,4 bn USD", "4400000000"),
        ("4,4 млрд USD", "4400000000"),
        ("0,75 bn USD", "750000000"),
        ("12,5 mn USD", "12500000"),
        ("1,2345 bn USD", "1234500000"),
        ("0,750 bn USD", "750000000"),
        ("4.4 bn USD", "4400000000"),
        ("4.4bn USD", "4400000000"),
        ("over 4,4 bn USD", "4400000000"),
        ("1 200 000 KZT", "1200000"),
        ("1\u00a0200\u00a0000 KZT", "1200000"),
        ("1\u202f200\u202f000 KZT", "1200000"),
        ("1'200'000 KZT", "1200000"),
        ("1 200,5 KZT", "1200.5"),
        ("1,200,000 KZT", "1200000"),
        ("1,200.5 KZT", "1200.5"),
    ],
)
def test_an_amount_is_read_with_its_own_decimal_and_thousands_separators(written, value):
    assert Amount.parse(written).value == Decimal(value)


def test_a_decimal_comma_never_multiplies_the_amount_by_ten():
    assert Amount.parse("4,4 bn USD").value != Decimal(44_000_000_000)
    assert Amount.parse({"value": "4,4", "currency": "USD"}) == Amount(Decimal("4.4"), "USD")
    assert Amount.parse({"value": "1 200 000", "currency": "KZT"}).value == 1_200_000


@pytest.mark.parametrize(
    "written, says",
    [
        ("4,100 bn USD", "'4,100' could be 4.1 or 4100 (a comma can mark decimals or "
         "thousands): write 4.1 or 4100"),
        ("1,200 KZT", "'1,200' could be 1.2 or 1200"),
        ("1 200,000 KZT", "'1 200,000' could be 1200 or 1200000"),
        ("1.200.000 KZT", "group thousands with spaces, like 1 200 000"),
        ("1.200,5 KZT", "'1.200,5' is not a number"),
        ("12 00 KZT", "group thousands in threes"),
        ("4,4 миллиарда USD", "'миллиарда' is not a scale of an amount"),
    ],
)  # fmt: skip
def test_a_number_that_can_be_read_two_ways_is_refused(written, says):
    with pytest.raises(ValueProblem) as problem:
        Amount.parse(written)
    assert says in str(problem.value)
    with pytest.raises(ValueProblem):
        Amount.parse({"value": written.rsplit(" ", 1)[0], "currency": "USD"})


@pytest.mark.parametrize("value", ["", None, "4,", ",5", "4,4,4", "1,2345.6"])
def test_what_is_no_number_is_said_to_be_none(value):
    with pytest.raises(ValueProblem, match="is not a number"):
        Amount.parse({"value": value, "currency": "USD"})


def test_a_value_cut_at_its_comma_inside_braces_says_to_quote_it():
    # {value: 4,4, currency: USD} reads as {value: 4, '4': null, currency: USD}
    with pytest.raises(ValueProblem, match=r'put it in quotes, like \{value: "4,4"'):
        Amount.parse({"value": 4, "4": None, "currency": "USD"})


def test_4_4_bn_with_a_decimal_comma_shows_as_4_4_in_every_language(mini: Path):
    write(mini / "briefs" / "kz-tr.yaml", dossier(turnover="4,4 bn USD"))
    result = build(mini, "kz-tr", "--format", "html", "--kind", "background")
    assert result.exit_code == 0, result.output
    shown = {
        p.name.rsplit("_", 1)[1]: re.sub("\u202f", " ", plain(p.read_text("utf-8")))
        for p in (mini / "out").glob("*.html")
    }
    assert sorted(shown) == ["en.html", "kk.html", "ru.html"]
    assert "4.4 billion" in shown["en.html"] and "44 billion" not in shown["en.html"]
    assert "4,4 млрд" in shown["kk.html"] and "44 млрд" not in shown["kk.html"]
    assert "4,4 млрд" in shown["ru.html"] and "44 млрд" not in shown["ru.html"]


def test_an_ambiguous_amount_is_refused_on_its_line_by_check_and_build_alike(mini: Path):
    text = dossier(turnover="4,100 bn USD")
    write(mini / "briefs" / "kz-tr.yaml", text)
    expected = (
        f"briefs/kz-tr.yaml:{line_of(text, '4,100')}: error: 'turnover': '4,100' could be 4.1 "
        "or 4100 (a comma can mark decimals or thousands): write 4.1 or 4100"
    )
    checked = Cli(mini)("check", "--date", BRIEF_DATE)
    assert checked.exit_code == 1
    assert expected in checked.output.splitlines()
    built = build(mini, "kz-tr", "--format", "html", "--kind", "background")
    assert built.exit_code == 1
    assert expected in built.output.splitlines()
    assert not list((mini / "out").glob("*.html"))


def test_spaced_thousands_are_read_through_a_whole_check(mini: Path):
    write(mini / "briefs" / "kz-tr.yaml", dossier(turnover="10 000 000 000 USD"))
    result = Cli(mini)("check", "--date", BRIEF_DATE, "--format", "json")
    assert result.exit_code == 0, result.output


# ---- prose in the house style of its language --------------------------------------------


def test_a_decimal_point_in_russian_prose_is_flagged_on_the_russian_line(mini: Path):
    text = dossier(
        extra=fact(
            "Сауда 2024 жылы 10 млрд АҚШ долларына жетті, 4,1 есе өсті.",
            "Товарооборот в 2024 году достиг 10 млрд долларов, рост в 4.1 раза.",
            "Trade reached 10 bn USD in 2024, a 4.1-fold rise.",
        )
    )
    write(mini / "briefs" / "kz-tr.yaml", text)
    assert prose_check(mini) == (
        [
            f"briefs/kz-tr.yaml:{line_of(text, 'ru: Товарооборот')}: warning: "
            '"4.1 раза" is written with a decimal point; ru writes 4,1'
        ],
        ["ru prose writes numbers as CLDR's ru_KZ does: 1 234 567,5 and 41 %"],
    )


@pytest.mark.parametrize(
    "kk, ru, en, expected",
    [
        ("4,1 есе", "в 4,1 раза", "4,1 times", ("en", '"4,1 times" is written with a decimal '
                                                 "comma; en writes 4.1")),
        ("1,200,000 адам", "1 200 000 человек", "1,200,000 people",
         ("kk", '"1,200,000 адам" is written with thousands grouped by commas; kk writes '
          "1 200 000")),
        ("1 200 000 адам", "1 200 000 человек", "1 200 000 people",
         ("en", '"1 200 000 people" is written with thousands grouped by spaces; en writes '
          "1,200,000")),
        ("41%", "41%", "41%", ("ru", '"41%" is written without a space before the percent '
                                "sign; ru writes 41 %")),
        ("41 %", "41 %", "41%", ("kk", '"41 %" is written with a space before the percent '
                                  "sign; kk writes 41%")),
        ("41%", "41 %", "41 %", ("en", '"41 %" is written with a space before the percent '
                                  "sign; en writes 41%")),
    ],
)  # fmt: skip
def test_each_language_writes_numbers_in_its_own_style(mini: Path, kk, ru, en, expected):
    text = dossier(extra=fact(f"Саны {kk}.", f"Число {ru}.", f"The number is {en}."))
    write(mini / "briefs" / "kz-tr.yaml", text)
    lang, message = expected
    line = line_of(text, {"kk": "kk: Саны", "ru": "ru: Число", "en": "en: The number"}[lang])
    assert prose_findings(mini) == [f"briefs/kz-tr.yaml:{line}: warning: {message}"]


def test_years_ordinals_ranges_dates_titles_and_placeholders_are_not_flagged(mini: Path):
    text = dossier(
        extra=fact(
            "2026–2028 жылдарға арналған бағдарлама; 8-ші отырыс 02.02.2026 өтті; "
            "«Хабаршы» № 1(142)/2023; Industry 4.0 бағдарламасы; айналым {trade 2024 turnover}.",
            "Программа на 2026–2028 годы; 8-е заседание прошло 02.02.2026; «Вестник» "
            "№ 1(142)/2023; программа Industry 4.0; «Стратегия 2.0»; оборот {trade 2024 turnover}.",
            "A programme for 2026–2028; the 8th meeting took place on 02.02.2026; Bulletin "
            "No. 1(142)/2023; the 6th session; trade of {trade 2024 turnover} in 2024.",
        )
    )
    write(mini / "briefs" / "kz-tr.yaml", text)
    assert prose_findings(mini) == []


# ---- prose amounts against the figures of the facts --------------------------------------

INVESTMENT = """\
investment:
  - id: portfolio
    text:
      kk: Жалпы сомасы {kk} 140 жоба.
      ru: 140 проектов на общую сумму {ru}.
      en: 140 projects worth {en} in total.
    amount: {amount}
    source: test-source
"""


def investment(kk: str, ru: str, en: str, amount: str = "6 bn USD") -> str:
    return INVESTMENT.format(kk=kk, ru=ru, en=en, amount=amount)


def test_a_prose_amount_that_disagrees_with_its_record_is_flagged_on_its_line(mini: Path):
    text = dossier(extra=investment("6 млрд доллар", "6 млрд долларов", "6.5 bn USD"))
    write(mini / "briefs" / "kz-tr.yaml", text)
    assert prose_check(mini) == (
        [
            f'briefs/kz-tr.yaml:{line_of(text, "en: 140")}: warning: "6.5 bn USD" disagrees '
            "with the amount of this investment: the facts give 6 bn USD"
        ],
        ["correct the figure, or write {investment portfolio} to show the figure itself"],
    )


@pytest.mark.parametrize(
    "kk, ru, en, amount",
    [
        ("4,1 млрд доллар", "4,1 млрд долларов", "4.1 bn USD", "4 080 000 000 USD"),
        ("5 млрд доллардан астам", "более 5 млрд долларов", "over 5 bn USD", "over 5 bn USD"),
        ("2 млрд долларға жуық", "почти 2 млрд долларов", "nearly 2 bn USD", "nearly 2 bn USD"),
        ("{investment portfolio}", "{investment portfolio}", "{investment portfolio}",
         "6 bn USD"),
        ("6 000 000 000 АҚШ доллары", "6 млрд долларов США", "USD 6 bn", "6 bn USD"),
    ],
)  # fmt: skip
def test_a_prose_amount_that_agrees_within_its_rounding_is_not_flagged(
    mini: Path, kk, ru, en, amount
):
    write(mini / "briefs" / "kz-tr.yaml", dossier(extra=investment(kk, ru, en, amount)))
    assert prose_findings(mini) == []


def test_a_trade_amount_of_a_named_year_is_checked_against_that_year(mini: Path):
    text = dossier(
        extra=fact(
            "2024 жылы тауар айналымы 12 млрд АҚШ долларына жетті.",
            "В 2024 году товарооборот достиг 10 млрд долларов США.",
            "Trade reached 10 bn USD in 2024.",
        )
    )
    write(mini / "briefs" / "kz-tr.yaml", text)
    assert prose_check(mini) == (
        [
            f"briefs/kz-tr.yaml:{line_of(text, 'kk: 2024')}: warning: "
            '"12 млрд АҚШ долларына" matches none of the trade figures of 2024: the facts give '
            "turnover 10 bn USD"
        ],
        ["correct the figure, or write {trade 2024 turnover} to show the figure itself"],
    )


def test_other_figures_of_the_dossier_and_other_clauses_are_not_taken_for_trade(mini: Path):
    target = (
        "targets:\n  - id: turnover-15bn\n    metric: turnover\n    amount: 15 bn USD\n"
        "    text: {kk: Мақсат 15 млрд доллар, ru: Цель 15 млрд долларов, en: A goal of "
        "15 bn USD}\n    source: test-source\n"
    )
    text = dossier(
        extra=fact(
            "2024 жылы тауар айналымы 10 млрд долларға жетті — 15 млрд долларлық мақсаттың "
            "2/3-і; инвестициялар 3 млрд доллар болды.",
            "В 2024 году товарооборот составил 10 млрд долларов — 2/3 цели в 15 млрд долларов; "
            "инвестиции составили 3 млрд долларов.",
            "Trade was 10 bn USD in 2024, two thirds of the 15 bn USD goal. Investment stood at "
            "3 bn USD.",
        )
        + target
    )
    write(mini / "briefs" / "kz-tr.yaml", text)
    assert prose_findings(mini) == []
