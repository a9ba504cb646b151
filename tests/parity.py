"""Extract what a reader sees from a PDF and from a DOCX, to compare the two."""

from __future__ import annotations

import base64
import re
import subprocess
from pathlib import Path

import docx
from docx.table import Table
from lxml import html as lxml_html

_DROP = re.compile(r"[\s\-‐‑–—\u00ad•]+")


def norm(text: str) -> str:
    """Text without whitespace, hyphens and bullets (line breaks and hyphenation differ)."""
    return _DROP.sub("", text).casefold()


def docx_blocks(path: Path) -> list[str]:
    """Paragraph texts and table cell texts of a DOCX body, in document order."""
    document = docx.Document(str(path))
    blocks = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    blocks.append(cell.text)
        else:
            blocks.append(item.text)
    return [b for b in blocks if norm(b)]


def pdf_text(path: Path, body_only: bool = False) -> str:
    """The PDF's text in content-stream order (poppler's pdftotext -raw).

    With body_only, the page margins (running header, page number) are cropped away:
    A4 at 72 dpi is 595 × 842 points; the theme's top margin is 22 mm, the bottom 20 mm.
    """
    crop = ["-x", "0", "-y", "60", "-W", "595", "-H", "727"] if body_only else []
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", *crop, str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def chart_labels(html_path: Path) -> list[str]:
    """The words drawn inside the SVG charts of the brief's HTML (legend, axes)."""
    labels = []
    root = lxml_html.fromstring(html_path.read_bytes())
    for img in root.iter("img"):
        src = img.get("src", "")
        if src.startswith("data:image/svg+xml;base64,"):
            svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
            labels += re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    return [lxml_html.fromstring(f"<p>{label}</p>").text_content() for label in labels]


def compare(pdf: Path, docx_path: Path, html_path: Path) -> list[str]:
    """Differences between the PDF's and the DOCX's content (empty when in parity)."""
    body = norm(pdf_text(pdf, body_only=True))
    allowed = sorted({norm(x) for x in chart_labels(html_path) if norm(x)}, key=len,
                     reverse=True)
    filler = re.compile("^(?:" + "|".join([r"\[?\d+\.", *map(re.escape, allowed)]) + ")*$")
    problems = []
    pos = 0
    for block in docx_blocks(docx_path):
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
