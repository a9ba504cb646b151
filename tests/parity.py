"""Extract what a reader sees from a PDF and from a DOCX, to compare the two."""

from __future__ import annotations

import base64
import re
import subprocess
from pathlib import Path

import docx
from docx.table import Table
from lxml import html as lxml_html

_DROP = re.compile(r"[\s\-‐‑–—\u00ad\u2060•]+")
_MARKER = re.compile(r"(?<!\S)\d{1,3}\.(?=\s|$)")  # "1." of a numbered list item


def norm(text: str) -> str:
    """Text without whitespace, hyphens, bullets and list numbers (layout differs there)."""
    return _DROP.sub("", _MARKER.sub(" ", text)).casefold()


def docx_blocks(path: Path) -> tuple[list[str], list[str]]:
    """Paragraph and table cell texts of a DOCX body in document order, and the texts of
    table header rows (which the PDF repeats on every page a table spans)."""
    document = docx.Document(str(path))
    blocks, headers = [], []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                repeated = (
                    row._tr.trPr is not None
                    and row._tr.trPr.find(
                        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
                    )
                    is not None
                )
                if repeated:
                    headers.append("".join(cell.text for cell in row.cells))
                for cell in row.cells:
                    blocks.append(cell.text)
        else:
            blocks.append(item.text)
    return [b for b in blocks if norm(b)], headers


# page margins in points (1 mm = 2.835 pt) per kind, as set in templates/theme.css
MARGINS = {"background": (22, 20), "meeting": (17, 15)}


def pdf_text(path: Path, margins: tuple[float, float] | None = None) -> str:
    """The PDF's text in content-stream order (poppler's pdftotext -raw).

    With margins (top, bottom in mm), the running header and page number in the page
    margins are cropped away (A4 at 72 dpi is 595 × 842 points).
    """
    crop = []
    if margins:
        top, bottom = (round(m * 2.835) - 2 for m in margins)
        crop = ["-x", "0", "-y", str(top), "-W", "595", "-H", str(842 - top - bottom)]
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", *crop, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def charts(html_path: Path) -> list[list[str]]:
    """The words drawn inside each SVG chart of the brief's HTML (legend, axes, values)."""
    found = []
    root = lxml_html.fromstring(html_path.read_bytes())
    for img in root.iter("img"):
        src = img.get("src", "")
        if src.startswith("data:image/svg+xml;base64,"):
            svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
            labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
            found.append([lxml_html.fromstring(f"<p>{x}</p>").text_content() for x in labels])
    return found


def chart_labels(html_path: Path) -> list[str]:
    """The words drawn inside the SVG charts of the brief's HTML (legend, axes)."""
    return [label for chart in charts(html_path) for label in chart]


def compare(pdf: Path, docx_path: Path, html_path: Path, kind: str) -> list[str]:
    """Differences between the PDF's and the DOCX's content (empty when in parity)."""
    body = norm(pdf_text(pdf, MARGINS[kind]))
    for chart in charts(html_path):  # a picture's words, wherever the page's text has them
        body = body.replace(norm("".join(chart)), "", 1)
    blocks, headers = docx_blocks(docx_path)
    allowed = sorted(
        {norm(x) for x in chart_labels(html_path) + headers if norm(x)}, key=len, reverse=True
    )
    filler = re.compile("^(?:" + "|".join(map(re.escape, allowed or ["\0"])) + ")*$")
    problems = []
    pos = 0
    for block in blocks:
        wanted = norm(block)
        found = body.find(wanted, pos)
        if found < 0:
            problems.append(f"in the DOCX but not in the PDF (after position {pos}): {block!r}")
            continue
        gap = body[pos:found]
        if gap and not filler.match(gap):
            problems.append(f"in the PDF but not in the DOCX, before {block!r}: {gap!r}")
        pos = found + len(wanted)
    rest = body[pos:]
    if rest and not filler.match(rest):
        problems.append(f"in the PDF but not in the DOCX, at the end: {rest!r}")
    return problems
