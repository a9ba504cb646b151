"""A kind's page as theme.css sets it (the named @page and body.<kind>), for the DOCX writer:
the meeting note's tighter margins and smaller type reach Word from where the PDF takes them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import tinycss2

# Word's "single" line is the font's own line (ascent + descent): 1.362 em for each shipped
# Noto face (OS/2 winAscent 1069 + winDescent 293 per 1000 units)
SINGLE_LINE = 1.362
# CSS lengths in points
_POINTS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "px": 0.75, "pc": 12.0}


@dataclass(frozen=True)
class KindPage:
    """What theme.css sets for one kind's pages: margins (pt; top, right, bottom, left), the
    type's size relative to the house size (Word's), and the line height."""

    margins: tuple[float, float, float, float] | None = None
    scale: float = 1.0
    line_height: float | None = None


def _length(token) -> float | None:
    if token.type == "dimension" and token.unit.lower() in _POINTS:
        return float(token.value) * _POINTS[token.unit.lower()]
    if token.type == "number" and token.value == 0:
        return 0.0
    return None


def _declarations(content) -> dict[str, list]:
    out = {}
    for item in tinycss2.parse_declaration_list(content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            out[item.lower_name] = [
                t for t in item.value if t.type not in ("whitespace", "comment")
            ]
    return out


def _margins(values: list) -> tuple[float, float, float, float] | None:
    """CSS's one to four margins as top, right, bottom, left."""
    lengths = [_length(t) for t in values]
    if not 1 <= len(lengths) <= 4 or None in lengths:
        return None
    top, right, bottom, left = {1: (0, 0, 0, 0), 2: (0, 1, 0, 1), 3: (0, 1, 2, 1), 4: (0, 1, 2, 3)}[
        len(lengths)
    ]
    return (lengths[top], lengths[right], lengths[bottom], lengths[left])  # type: ignore[return-value]


def kind_page(theme: Path, kind: str) -> KindPage:
    """The page of a kind as theme.css sets it (nothing set: the reference document's own).

    >>> import tempfile, pathlib
    >>> css = pathlib.Path(tempfile.mkdtemp()) / "theme.css"
    >>> _ = css.write_text("html { font-size: 10pt } @page meeting { margin: 10mm 20mm } "
    ...                    "body.meeting { font-size: 9pt; line-height: 1.3 }")
    >>> page = kind_page(css, "meeting")
    >>> [round(m) for m in page.margins], page.scale, page.line_height
    ([28, 57, 28, 57], 0.9, 1.3)
    >>> _ = css.write_text("body.meeting { font-size: 90.5% }")
    >>> kind_page(css, "meeting").scale
    0.905
    """
    try:
        stamp = theme.stat().st_mtime_ns
    except OSError:
        return KindPage()
    return _kind_page(theme, stamp, kind)


@lru_cache(maxsize=8)
def _kind_page(theme: Path, stamp: int, kind: str) -> KindPage:
    rules = tinycss2.parse_stylesheet(
        theme.read_text(encoding="utf-8", errors="replace"),
        skip_comments=True,
        skip_whitespace=True,
    )
    margins = base = size = line_height = relative = None
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "page" and rule.content:
            names = [t.value for t in rule.prelude if t.type == "ident"]
            if names == [kind] and "margin" in (d := _declarations(rule.content)):
                margins = _margins(d["margin"])
        elif rule.type == "qualified-rule":
            selector = tinycss2.serialize(rule.prelude).strip()
            d = _declarations(rule.content)
            if selector == "html" and d.get("font-size"):
                base = _length(d["font-size"][0])
            elif selector == f"body.{kind}":
                if d.get("font-size"):
                    token = d["font-size"][0]
                    if token.type == "percentage":  # of the house size
                        relative = float(token.value) / 100
                    elif token.type == "dimension" and token.unit.lower() in ("em", "rem"):
                        relative = float(token.value)
                    else:
                        size = _length(token)
                if d.get("line-height") and d["line-height"][0].type == "number":
                    line_height = float(d["line-height"][0].value)
    scale = relative or (round(size / base, 3) if size and base else 1.0)
    return KindPage(margins, scale, line_height)
