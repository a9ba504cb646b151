"""The trade chart: sized to its years, its axis in the brief's currency words, the target
drawn, fills apart in black and white, its source named; the same picture in the DOCX."""

from __future__ import annotations

import base64
import datetime as dt
import re
import subprocess
import zipfile
from itertools import combinations
from pathlib import Path

import pytest
from conftest import MINI_DOSSIER, MINI_SOURCE, brief_text, build, write
from lxml import html as lxml_html

from generator.render.chart import COLOURS, HATCHED

YEARS = [  # year, turnover, exports, imports (bn USD)
    (2021, "4.1", "3", "1.1"),
    (2022, "6.3", "4.4", "1.9"),
    (2023, "6.4", "4.2", "2.2"),
    (2024, "5.9", "3.7", "2.2"),
    (2025, "7.1", "4.6", "2.5"),
]

HEAD = MINI_DOSSIER.split("trade:")[0]  # the pair, its countries and one key date

TARGET = """\
targets:
  - id: turnover-goal
    metric: turnover
    amount: {amount}
    text:
      kk: Тауар айналымын {{target turnover-goal to}} жеткізу.
      ru: Довести товарооборот до {{target turnover-goal}}.
      en: Raise trade to {{target turnover-goal to}}.
    source: test-source
"""

AXIS = {"kk": "млрд АҚШ доллары", "ru": "млрд долларов США", "en": "US$ billion"}
GOAL = {
    "kk": "Мақсат: 10 млрд АҚШ доллары",
    "ru": "Цель: 10 млрд долларов США",
    "en": "Target: US$10 billion",
}
SOURCE = {"kk": "Дереккөз: Баспагер", "ru": "Источник: Издатель", "en": "Source: Publisher"}


def dossier(years: int, target: str | None = None) -> str:
    """A kz-tr dossier with the first `years` years of trade, and a turnover target if asked."""
    rows = "".join(
        f"  - year: {y}\n    turnover: {t} bn USD\n    exports: {e} bn USD\n"
        f"    imports: {i} bn USD\n    source: test-source\n"
        for y, t, e, i in YEARS[:years]
    )
    return HEAD + "trade:\n" + rows + (TARGET.format(amount=target) if target else "")


def project(root: Path, years: int, target: str | None = None) -> Path:
    write(root / "sources" / "test-source.yaml", MINI_SOURCE)
    write(root / "briefs" / "kz-tr.yaml", dossier(years, target))
    return root


def rendered(root: Path, lang: str = "en") -> str:
    from generator.facts.project import load_project
    from generator.render.brief import render_brief

    loaded = load_project(root, ["kz-tr"])
    brief = render_brief(loaded, "kz-tr", lang=lang, kind="background", on=dt.date(2026, 2, 2))
    return brief.document.html


def chart(root: Path, lang: str = "en") -> tuple[str, str]:
    """The chart's SVG and its alt text in the kz-tr background brief."""
    page = lxml_html.fromstring(rendered(root, lang))
    (img,) = page.xpath('//figure[@class="chart"]/img')
    svg = base64.b64decode(img.get("src").split(",", 1)[1]).decode("utf-8")
    return svg, img.get("alt")


def words(svg: str) -> list[str]:
    """The texts drawn in the SVG, no-break spaces as spaces."""
    return [t.replace("\xa0", " ") for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def height(svg: str) -> float:
    return float(re.search(r'<svg[^>]* height="([\d.]+)"', svg).group(1))


def test_a_chart_of_one_or_two_years_is_a_short_strip(empty_project):
    heights = {n: height(chart(project(empty_project, n))[0]) for n in (1, 2, 5)}
    assert heights[1] < heights[2] < heights[5]
    assert heights[2] <= 0.75 * heights[5]
    assert heights[1] <= 0.5 * heights[5]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("years", [1, 5])
def test_the_value_axis_names_its_unit_and_currency_once(empty_project, lang, years):
    svg, _ = chart(project(empty_project, years), lang)
    shown = words(svg)
    assert shown.count(AXIS[lang]) == 1
    # tick labels are plain numbers in the locale's style; the bars carry their values
    assert {"0", "2", "4"} <= set(shown)
    assert ("4,1" if lang != "en" else "4.1") in shown
    assert not [w for w in shown if re.fullmatch(r"[\d.,]+ ?(млрд|billion|bn)", w)]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("years", [1, 5])
def test_a_turnover_target_is_a_dashed_line_with_its_label(empty_project, lang, years):
    svg, alt = chart(project(empty_project, years, target="10 bn USD"), lang)
    assert GOAL[lang] in words(svg)
    assert svg.count("stroke-dasharray") == 1
    assert "10" in words(svg)  # the axis reaches the target (the figures stop at 7.1 bn)
    assert "10" in alt.replace("\xa0", " ")  # the alt text says what the line is


def test_no_target_no_line(empty_project):
    svg, alt = chart(project(empty_project, 5))
    assert "stroke-dasharray" not in svg and not any("Target" in w for w in words(svg))
    assert "10" not in words(svg)  # the axis stops near the figures
    assert "2021" in alt and "dashed" not in alt


def test_a_target_in_another_currency_is_not_drawn(empty_project):
    svg, _ = chart(project(empty_project, 5, target="10 bn EUR"))
    assert "stroke-dasharray" not in svg


def luminance(colour: str) -> float:
    """CIE lightness L* (0 black … 100 white) of a #rrggbb colour."""

    def linear(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    y = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


def test_the_three_fills_stay_apart_in_black_and_white():
    for a, b in combinations(COLOURS, 2):
        apart = abs(luminance(COLOURS[a]) - luminance(COLOURS[b]))
        assert apart >= 25 or a in HATCHED or b in HATCHED, (a, b, apart)
    assert all(abs(luminance(c) - 100) >= 8 or k in HATCHED for k, c in COLOURS.items())


@pytest.mark.parametrize("years", [1, 5])
def test_the_legend_and_the_bars_share_their_fills(empty_project, years):
    svg, _ = chart(project(empty_project, years))
    fills = re.findall(r'<rect [^>]*fill="([^"]+)"', svg.split("</defs>", 1)[1])
    assert set(fills) == {COLOURS["turnover"], COLOURS["exports"], "url(#trade-hatch-imports)"}
    assert 'id="trade-hatch-imports"' in svg


def test_the_chart_is_the_same_every_time(empty_project):
    root = project(empty_project, 5, target="10 bn USD")
    assert chart(root) == chart(root)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_source_line_names_the_cited_source(empty_project, lang):
    root = project(empty_project, 2)
    assert SOURCE[lang] + " [1]" in brief_text(root, lang=lang)


def test_the_pdf_and_the_docx_carry_the_chart_and_its_source(empty_project):
    root = project(empty_project, 1, target="10 bn USD")
    result = build(root, "kz-tr", "--kind", "background", "--lang", "en", "--format", "pdf,docx")
    assert result.exit_code == 0, result.output
    out = root / "out"
    pdf = next(out.glob("*.pdf"))
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "Source: Publisher" in text and "Target: US$10 billion" in text
    with zipfile.ZipFile(next(out.glob("*.docx"))) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 1
        png = z.read(media[0])
        body = z.read("word/document.xml").decode("utf-8")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, tall = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert tall / width < 0.3  # the short strip, not a third of a page
    assert "Source: Publisher" in body and "dashed line" in body
