"""Charts drawn as plain SVG from the facts, labelled by the brief's formatter."""

from __future__ import annotations

import base64
from decimal import Decimal
from xml.sax.saxutils import escape

from generator.facts.model import TRADE_FIGURES
from generator.l10n.format import Formatter

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 16, 40, 36
COLOURS = {"turnover": "#1f3a5f", "exports": "#5b84b1", "imports": "#b8c9dc"}
FONT = "Brief Sans, Noto Sans, DejaVu Sans, sans-serif"


def nice_step(top: Decimal, ticks: int = 5) -> Decimal:
    """A round step (1, 2 or 5 × 10ⁿ) that divides 0..top into about `ticks` parts.

    >>> nice_step(Decimal(4_100_000_000))  # 4.1 bn in five parts: steps of 1 bn
    Decimal('1000000000')
    >>> nice_step(Decimal(730))
    Decimal('200')
    """
    if top <= 0:
        return Decimal(1)
    raw = top / ticks
    power = Decimal(10) ** (len(str(int(raw))) - 1) if raw >= 1 else Decimal(1)
    for factor in (1, 2, 5, 10):
        step = power * factor
        if raw <= step:
            return step
    return power * 10


def trade_svg(rows, fmt: Formatter, labels: dict[str, str]) -> str:
    """Grouped bars of turnover, exports and imports by year, with a legend and value axis."""
    series = [key for key in TRADE_FIGURES if any(getattr(r, key) is not None for r in rows)]
    values = [getattr(r, key).value for r in rows for key in series if getattr(r, key)]
    top = max(values, default=Decimal(1))
    step = nice_step(top)
    ceiling = step * ((top / step).to_integral_value(rounding="ROUND_CEILING") or 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}" font-size="11">'
    ]
    # value axis: gridlines and labels
    tick = Decimal(0)
    while tick <= ceiling:
        y = TOP + plot_h - float(tick / ceiling) * plot_h
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="#c9d3de" stroke-width="{1 if tick else 1.5}"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#444">'
            f"{escape(fmt.compact(tick) if tick else '0')}</text>"
        )
        tick += step
    # bars
    group = plot_w / max(len(rows), 1)
    bar = min(28.0, group * 0.8 / max(len(series), 1))
    for i, row in enumerate(rows):
        x0 = LEFT + group * i + (group - bar * len(series)) / 2
        for j, key in enumerate(series):
            amount = getattr(row, key)
            if amount is None:
                continue
            h = float(amount.value / ceiling) * plot_h
            out.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{TOP + plot_h - h:.1f}" '
                f'width="{bar - 2:.1f}" height="{h:.1f}" fill="{COLOURS[key]}"/>'
            )
        out.append(
            f'<text x="{LEFT + group * i + group / 2:.1f}" y="{HEIGHT - BOTTOM + 18}" '
            f'text-anchor="middle" fill="#222">{row.year}</text>'
        )
    # legend
    x = LEFT
    for key in series:
        out.append(f'<rect x="{x}" y="12" width="12" height="12" fill="{COLOURS[key]}"/>')
        label = labels.get(key, key)
        out.append(f'<text x="{x + 17}" y="22" fill="#222">{escape(label)}</text>')
        x += 30 + 7 * len(label)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def data_uri(svg: str) -> str:
    """The SVG as a data: URI for <img src> (self-contained HTML, PDF and DOCX)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def draft_svg(word: str) -> str:
    """A diagonal watermark with the word for DRAFT, for the background of every PDF page."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="595" height="842" '
        f'viewBox="0 0 595 842"><text x="297" y="421" text-anchor="middle" '
        f'transform="rotate(-40 297 421)" font-family="{FONT}" font-size="110" '
        f'font-weight="bold" fill="#c00000" fill-opacity="0.13">{escape(word)}</text></svg>'
    )
