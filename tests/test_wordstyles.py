"""Word is the style editor of both formats: a named style restyled in reference.docx, as
Word saves it, restyles the PDF too; so do the page's margins."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
from conftest import BRIEF_DATE, build

NAME = f"{BRIEF_DATE}_kz-tr_background_en.pdf"


def restyle(reference: Path, part: str, change) -> None:
    """Rewrite one XML part of a DOCX, keeping every other part as it is."""
    with zipfile.ZipFile(reference) as z:
        items = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(reference, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            z.writestr(
                info,
                change(data.decode("utf-8")).encode("utf-8") if info.filename == part else data,
            )


def fills(pdf: Path) -> set[tuple[str, ...]]:
    """The fill colours (rg operands) used on the first page."""
    with pikepdf.open(pdf) as doc:
        return {
            tuple(str(x) for x in operands)
            for operands, op in pikepdf.parse_content_stream(doc.pages[0])
            if str(op) == "rg"
        }


def left_edge(pdf: Path) -> float:
    """Where the body text starts on the first page, in points from the left."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return min(float(x) for x in re.findall(r'xMin="([\d.]+)"', out))


def test_a_heading_made_red_and_wider_margins_in_word_reach_the_pdf(mini: Path):
    assert (
        build(mini, "kz-tr", "--lang", "en", "--kind", "background", "--format", "pdf").exit_code
        == 0
    )
    before = mini / "out" / NAME
    colours, edge = fills(before), left_edge(before)
    assert ("1", "0", "0") not in colours
    before.unlink()

    reference = mini / "templates" / "reference.docx"

    def red_heading(xml: str) -> str:
        style = re.search(r'<w:style [^>]*w:styleId="Heading1".*?</w:style>', xml, re.S).group(0)
        red = re.sub(r'<w:color w:val="[0-9A-Fa-f]{6}"/>', '<w:color w:val="FF0000"/>', style)
        return xml.replace(style, red)

    def wider_left(xml: str) -> str:  # 25 mm → 45 mm, as Word's Layout › Margins writes it
        return re.sub(r'w:left="\d+"', 'w:left="2552"', xml, count=1)

    restyle(reference, "word/styles.xml", red_heading)
    restyle(reference, "word/document.xml", wider_left)
    result = build(mini, "kz-tr", "--lang", "en", "--kind", "background", "--format", "pdf")
    assert result.exit_code == 0, result.output
    after = mini / "out" / NAME
    assert ("1", "0", "0") in fills(after)  # the headings are red
    assert left_edge(after) - edge > 50  # 20 mm more: about 57 points
