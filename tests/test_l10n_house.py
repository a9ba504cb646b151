"""The house-style files: month tables against CLDR, and mistakes reported with their line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from babel.dates import format_date
from conftest import BRIEF_DATE, REPO, Cli

from generator.errors import InputErrors
from generator.l10n.house import load_house
from generator.l10n.locales import babel_locale

TEMPLATES = REPO / "templates"


def cldr_months(lang: str, context: str) -> list[str]:
    names = babel_locale({"kk": "kk_KZ", "ru": "ru_KZ", "en": "en"}[lang]).months[context]["wide"]
    return [names[m] for m in range(1, 13)]


def test_kazakh_month_forms_start_with_cldrs_nominative():
    house = load_house(TEMPLATES, "kk")
    nominative = cldr_months("kk", "format")
    assert nominative == [m.lower() for m in cldr_months("kk", "stand-alone")]
    assert house.style.months["month"] == nominative
    for table, forms in house.style.months.items():
        for month, form in enumerate(forms):
            assert form.startswith(nominative[month]), (table, form)


def test_russian_month_tables_match_cldrs_nominative_and_genitive():
    months = load_house(TEMPLATES, "ru").style.months
    assert months["month"] == cldr_months("ru", "stand-alone")  # январь
    assert months["month_gen"] == cldr_months("ru", "format")  # января
    for table, forms in months.items():
        for month, form in enumerate(forms):
            stem = months["month"][month].rstrip("ьй")  # январь → январ-е, май → ма-е
            assert form.startswith(stem), (table, form)


def test_english_months_are_cldrs():
    assert load_house(TEMPLATES, "en").style.months["month"] == cldr_months("en", "format")


def test_the_kazakh_house_date_is_not_babels_default():
    day = dt.date(2026, 2, 2)
    assert format_date(day, "long", locale=babel_locale("kk_KZ")) == "2026\u202fж. 2 ақпан"
    from generator.l10n.testing import formatter

    assert formatter("kk").date(day) == "2026 жылғы 2 ақпан"


def broken(tmp_path: Path, lang: str, old: str, new: str) -> Path:
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    path = templates / "house" / f"{lang}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return templates


def line_of(templates: Path, lang: str, needle: str) -> int:
    lines = (templates / "house" / f"{lang}.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize(
    "lang,old,new,message",
    [
        (
            "kk",
            '"on": {day: "{y} жылғы {d} {month_loc}"',
            '"on": {day: "{y} жылғы {d} {month_gen}"',
            "the day pattern of the date role 'on' uses {month_gen}, which is not known here",
        ),
        (
            "ru",
            "month_dat: [январю",
            "month_dat: [январю, лишний",
            "the month table 'month_dat' must list exactly 12 forms",
        ),
        (
            "en",
            'USD: {plain: "US${n}"',
            'USD: {plain: "US${amount}"',
            "the 'plain' phrase of USD uses {amount}, which is not known here",
        ),
        ("ru", "default: neuter", "default: common", "'default' must name one of the genders"),
    ],
)
def test_a_mistake_in_a_house_file_is_reported_with_its_line(tmp_path, lang, old, new, message):
    templates = broken(tmp_path, lang, old, new)
    with pytest.raises(InputErrors) as err:
        load_house(templates, lang)
    [finding] = err.value.findings
    assert finding.path == f"templates/house/{lang}.yaml"
    assert finding.message == message
    assert finding.line == line_of(templates, lang, new)


def test_a_broken_house_file_stops_the_build_with_a_located_message(mini: Path):
    path = mini / "templates" / "house" / "kk.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("{y} жылы", "{year} жылы"), encoding="utf-8"
    )
    result = Cli(mini)(
        "build",
        "kz-tr",
        "--lang",
        "kk",
        "--format",
        "html",
        "--date",
        BRIEF_DATE,
        "--out",
        str(mini / "out"),
    )
    assert result.exit_code == 1
    line = line_of(mini / "templates", "kk", "{year} жылы")
    assert (
        f"templates/house/kk.yaml:{line}: error: the year pattern of the date role 'on' "
        "uses {year}, which is not known here"
    ) in result.output
    assert "use only: {y}" in result.output
    assert "Traceback" not in result.output
