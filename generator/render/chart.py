"""Charts drawn as plain SVG from the facts, labelled by the brief's formatter."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from decimal import ROUND_CEILING, Decimal
from xml.sax.saxutils import escape

from generator.facts.model import TRADE_FIGURES, Target
from generator.facts.values import Amount
from generator.l10n.format import NBSP, Formatter

WIDTH = 640
FONT = "Brief Sans, Noto Sans, DejaVu Sans, sans-serif"
INK, GRID, MUTED = "#222222", "#c9d3de", "#444444"
TARGET_INK = "#8c2d19"  # a dark red: a line of its own in colour, dark in black and white
# Three steps of lightness (CIE L* about 24, 60 and 91) that stay apart in black and white;
# the lightest is also hatched and outlined, so it never fades into the paper.
COLOURS = {"turnover": "#1f3a5f", "exports": "#6f93bd", "imports": "#dde6f0"}
HATCHED = {"imports": "trade-hatch-imports"}  # series → the id of its pattern
OUTLINE = "#1f3a5f"
COMPACT_YEARS = 2  # up to this many years the chart is a short strip of horizontal bars
UNITS = (Decimal(10) ** 9, Decimal(10) ** 6)
MARKS = {"over": ">", "about": "≈", "nearly": "<", "under": "<", "up_to": "≤"}


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


def unit_of(top: Decimal) -> Decimal:
    """The unit the value axis counts in: billions, millions or ones.

    >>> unit_of(Decimal(10_000_000_000)), unit_of(Decimal(730))
    (Decimal('1000000000'), Decimal('1'))
    """
    return next((unit for unit in UNITS if top >= unit), Decimal(1))


def axis_title(fmt: Formatter, unit: Decimal, currency: str | None) -> str:
    """The value axis's unit in the language's own words, the currency stated once.

    >>> from generator.l10n.testing import formatter
    >>> [axis_title(formatter(lang), Decimal(10) ** 9, "USD") for lang in ("kk", "ru", "en")]
    ['млрд\\xa0АҚШ доллары', 'млрд\\xa0долларов США', 'US$\\xa0billion']
    """
    magnitude = fmt.compact(unit).replace(fmt.number(1), "", 1).strip(" " + NBSP)
    if unit == 1:
        magnitude = ""
    if currency is None:
        return magnitude
    phrase = fmt.house.currency_phrase(currency, "plain")
    if phrase is None:  # no reviewed phrase: the ISO code, as amounts show it
        return NBSP.join(part for part in (magnitude, currency) if part)
    noun = fmt.house.currency_noun(currency, "plain", "many") or ""
    before, _, after = phrase.replace("{n}", "\0").format(noun=noun).partition("\0")
    return NBSP.join(part.strip() for part in (before, magnitude, after) if part.strip())


def short(fmt: Formatter, amount: Amount, unit: Decimal) -> str:
    """A bar's value as a plain number in the axis's unit: 4,1 (kk, ru) or 4.1 (en); a
    bound keeps its sign (> 5).

    >>> from generator.l10n.testing import formatter
    >>> short(formatter("ru"), Amount.parse("over 4.1 bn USD"), Decimal(10) ** 9)
    '>\\xa04,1'
    """
    value = amount.value / unit
    value = value.quantize(Decimal("0.1") if abs(value) >= 1 else Decimal("0.01"))
    if value == value.to_integral_value():
        value = value.to_integral_value()
    mark = MARKS.get(amount.qualifier or "")
    return f"{mark}{NBSP}{fmt.number(value)}" if mark else fmt.number(value)


def width_of(text: str, size: float = 11) -> float:
    """About how wide a line of Brief Sans is, in pixels (for room, never for placing)."""
    return len(text) * size * 0.56


def trade_svg(rows, fmt: Formatter, labels: dict[str, str], targets: Sequence[Target] = ()) -> str:
    """Bars of turnover, exports and imports by year, sized to the years shown: a short strip
    of horizontal bars for one or two years, grouped columns for more; the value axis names
    its unit and currency, a turnover target in the same currency is a dashed line."""
    series = [key for key in TRADE_FIGURES if any(getattr(r, key) is not None for r in rows)]
    amounts = [getattr(r, key) for r in rows for key in series if getattr(r, key)]
    currencies = {a.currency for a in amounts}
    currency = currencies.pop() if len(currencies) == 1 else None
    goals = [
        t
        for t in targets
        if t.metric == "turnover" and t.amount is not None and t.amount.currency == currency
    ]
    values = [a.value for a in amounts] + [t.amount.value for t in goals if t.amount]
    top = max(values, default=Decimal(1))
    step = nice_step(top)
    ceiling = step * ((top / step).to_integral_value(rounding=ROUND_CEILING) or 1)
    chart = _Chart(fmt, labels, series, unit_of(top), step, ceiling)
    chart.title = axis_title(fmt, chart.unit, currency)
    chart.goals = [(t.amount.value, _goal_label(fmt, t, labels)) for t in goals if t.amount]
    if len(rows) <= COMPACT_YEARS:
        return chart.strip(rows)
    return chart.columns(rows)


def _goal_label(fmt: Formatter, target: Target, labels: dict[str, str]) -> str:
    """ "Target: US$10 billion", with its deadline when the sources give one."""
    word = labels.get("target", "Target")
    if target.by is not None:
        word = f"{word} ({fmt.date(target.by, 'by')})"
    return f"{word}: {fmt.amount(target.amount, 'plain')}"


class _Chart:
    """One chart being drawn: its scale, its series and the SVG elements so far."""

    def __init__(
        self,
        fmt: Formatter,
        labels: dict[str, str],
        series: list[str],
        unit: Decimal,
        step: Decimal,
        ceiling: Decimal,
    ) -> None:
        self.fmt, self.labels, self.series = fmt, labels, series
        self.unit, self.step, self.ceiling = unit, step, ceiling
        self.title = ""
        self.goals: list[tuple[Decimal, str]] = []
        self.out: list[str] = []

    # ---- pieces ----------------------------------------------------------------------

    def start(self, height: int) -> None:
        self.out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" font-family="{FONT}" font-size="11">',
            "<defs>",
            *(
                f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse">'
                f'<rect width="6" height="6" fill="{COLOURS[key]}"/>'
                f'<path d="M-1,1 L1,-1 M0,6 L6,0 M5,7 L7,5" stroke="{OUTLINE}" '
                'stroke-width="1"/></pattern>'
                for key, pid in HATCHED.items()
                if key in self.series
            ),
            "</defs>",
        ]

    def text(self, x: float, y: float, words: str, anchor: str = "start", **attrs) -> None:
        attrs.setdefault("fill", INK)
        extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
        self.out.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(words)}</text>'
        )

    def bar(self, key: str, x: float, y: float, w: float, h: float) -> None:
        fill = f"url(#{HATCHED[key]})" if key in HATCHED else COLOURS[key]
        edge = f' stroke="{OUTLINE}" stroke-width="0.8"' if key in HATCHED else ""
        self.out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
            f'fill="{fill}"{edge}/>'
        )

    def ticks(self) -> list[tuple[Decimal, str]]:
        found, tick = [], Decimal(0)
        while tick <= self.ceiling:
            found.append((tick, self.fmt.number(tick / self.unit)))
            tick += self.step
        return found

    def share(self, value: Decimal) -> float:
        return float(value / self.ceiling)

    def finish(self) -> str:
        self.out.append("</svg>")
        return "\n".join(self.out) + "\n"

    # ---- one or two years: a short strip of horizontal bars ---------------------------

    def strip(self, rows) -> str:
        bar, gap, group_gap = 18, 5, 14
        by_year = len(self.series) == 1  # one series: each bar is a year
        names = (
            [str(r.year) for r in rows] if by_year else [self.labels.get(k, k) for k in self.series]
        )
        year_col = 0 if by_year or len(rows) < 2 else 44
        left = 10 + year_col + max((width_of(n) for n in names), default=0) + 10
        right, top = 52, (26 if self.goals else 10)
        plot_w = WIDTH - left - right
        per_group = 1 if by_year else max(len(self.series), 1)
        group_h = per_group * bar + (per_group - 1) * gap
        groups = 1 if by_year else len(rows)
        bars_h = (
            len(rows) * bar + (len(rows) - 1) * gap
            if by_year
            else groups * group_h + (groups - 1) * group_gap
        )
        bottom = top + bars_h
        height = bottom + 40
        self.start(height)
        for tick, label in self.ticks():
            x = left + self.share(tick) * plot_w
            self.out.append(
                f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom + 3}" '
                f'stroke="{GRID}" stroke-width="{1.5 if not tick else 1}"/>'
            )
            self.text(x, bottom + 16, label, "middle", fill=MUTED)
        self.text(left + plot_w / 2, bottom + 34, self.title, "middle", fill=MUTED)
        y = float(top)
        for row in rows:
            keys = self.series
            if not by_year and year_col:
                self.text(10, y + group_h / 2 + 4, str(row.year), font_weight="bold")
            for j, key in enumerate(keys):
                amount = getattr(row, key)
                name = str(row.year) if by_year else self.labels.get(key, key)
                self.text(left - 8, y + bar / 2 + 4, name, "end")
                if amount is not None:
                    w = self.share(amount.value) * plot_w
                    self.bar(key, left, y, w, bar)
                    self.text(left + w + 4, y + bar / 2 + 4, short(self.fmt, amount, self.unit))
                y += bar + (gap if j < len(keys) - 1 else 0)
            y += gap if by_year else group_gap
        for value, label in self.goals:
            x = left + self.share(value) * plot_w
            self._dash(x, top - 6, x, bottom + 3)
            anchor = "end" if x > left + plot_w / 2 else "start"
            self.text(x + (3 if anchor == "start" else 0), top - 10, label, anchor, fill=TARGET_INK)
        return self.finish()

    # ---- three years and more: grouped columns ----------------------------------------

    def columns(self, rows) -> str:
        height, left, right, top, bottom_gap = 300, 44, 16, 58, 30
        plot_w, plot_h = WIDTH - left - right, height - top - bottom_gap
        base = top + plot_h
        self.start(height)
        x = float(left)
        for key in self.series:  # legend
            self.bar(key, x, 8, 12, 12)
            label = self.labels.get(key, key)
            self.text(x + 17, 18, label)
            x += 17 + width_of(label) + 22
        self.text(8, top - 14, self.title, fill=MUTED)
        for tick, label in self.ticks():
            y = base - self.share(tick) * plot_h
            self.out.append(
                f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" '
                f'stroke="{GRID}" stroke-width="{1 if tick else 1.5}"/>'
            )
            self.text(left - 6, y + 4, label, "end", fill=MUTED)
        group = plot_w / max(len(rows), 1)
        bar = min(28.0, group * 0.8 / max(len(self.series), 1))
        shown = [
            short(self.fmt, a, self.unit) for r in rows for k in self.series if (a := getattr(r, k))
        ]
        labelled = all(width_of(s, 9) <= bar + 4 for s in shown)
        for i, row in enumerate(rows):
            x0 = left + group * i + (group - bar * len(self.series)) / 2
            for j, key in enumerate(self.series):
                amount = getattr(row, key)
                if amount is None:
                    continue
                h = self.share(amount.value) * plot_h
                self.bar(key, x0 + j * bar, base - h, bar - 2, h)
                if labelled:
                    self.text(
                        x0 + j * bar + (bar - 2) / 2,
                        base - h - 3,
                        short(self.fmt, amount, self.unit),
                        "middle",
                        font_size=9,
                    )
            self.text(left + group * i + group / 2, base + 18, str(row.year), "middle")
        for value, label in self.goals:
            y = base - self.share(value) * plot_h
            self._dash(left, y, WIDTH - right, y)
            self.text(WIDTH - right, y - 4, label, "end", fill=TARGET_INK)
        return self.finish()

    def _dash(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.out.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{TARGET_INK}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )


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
