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


# ---- what each Word setting becomes --------------------------------------------------------

STYLE = (
    '<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/>'
    "<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
)


def css_of(tmp_path: Path, styles: str, kind: str = "", theme: str = "") -> str:
    """word_css over a reference.docx holding only `styles` (and a theme.css)."""
    from generator.writers.wordstyles import word_css

    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "theme.css").write_text(theme, encoding="utf-8")
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    with zipfile.ZipFile(templates / "reference.docx", "w") as z:
        z.writestr("word/styles.xml", f"<w:styles {ns}>{styles}</w:styles>")
        z.writestr("word/document.xml", f"<w:document {ns}><w:body/></w:document>")
    return word_css(templates, kind)


def rule(css: str, selector: str) -> str:
    found = re.search(rf"^{re.escape(selector)} {{ (.*?) }}$", css, re.M)
    assert found, css
    return found.group(1)


def test_spacing_line_spacing_and_indents(tmp_path: Path):
    heading = STYLE.format(
        id="Heading1",
        name="heading 1",
        ppr='<w:spacing w:before="480" w:after="120" w:line="360" w:lineRule="auto"/>'
        '<w:ind w:left="720" w:right="360" w:hanging="240"/>',
        rpr='<w:sz w:val="28"/><w:caps/>',
    )
    css = rule(css_of(tmp_path, heading), "h2")
    assert "margin-top: 24pt" in css and "margin-bottom: 6pt" in css
    assert "line-height: 2.04" in css  # 1.5 lines of Noto's 1.362 em
    assert "margin-left: 36pt" in css and "margin-right: 18pt" in css
    assert "text-indent: -12pt" in css
    assert "font-size: 14pt" in css and "text-transform: uppercase" in css
    exact = STYLE.format(
        id="BodyText", name="Body Text", ppr='<w:spacing w:line="300" w:lineRule="exact"/>', rpr=""
    )
    assert "line-height: 15pt" in rule(css_of(tmp_path, exact), "p")


def test_borders_and_shading(tmp_path: Path):
    box = STYLE.format(
        id="FactBox",
        name="Fact Box",
        ppr='<w:spacing w:after="60"/><w:shd w:val="clear" w:color="auto" w:fill="FFEEAA"/>'
        '<w:pBdr><w:top w:val="double" w:sz="12" w:space="6" w:color="FF0000"/>'
        '<w:left w:val="dashed" w:sz="8" w:space="3" w:color="auto"/></w:pBdr>',
        rpr='<w:i/><w:color w:val="333333"/>',
    )
    css = css_of(tmp_path, box)
    aside = rule(css, "aside")  # the box: drawn around the fact box's paragraphs
    assert "border-top: 1.5pt double #ff0000" in aside and "padding-top: 6pt" in aside
    assert "border-left: 1pt dashed black" in aside and "padding-left: 3pt" in aside
    assert "background-color: #ffeeaa" in aside
    assert "margin" not in aside and "italic" not in aside
    inside = rule(css, "aside p")  # the paragraphs: their type and spacing, no box
    assert "font-style: italic" in inside and "margin-bottom: 3pt" in inside
    assert "border" not in inside and "background" not in inside


def test_a_border_keeps_the_text_at_its_indent(tmp_path: Path):
    quote = STYLE.format(
        id="Quote",
        name="Quote",
        ppr='<w:ind w:left="400"/><w:pBdr><w:left w:val="single" w:sz="16" w:space="8" '
        'w:color="9FB3C8"/></w:pBdr>',
        rpr="",
    )
    css = rule(css_of(tmp_path, quote), "blockquote")
    # 20 pt indent = 10 pt margin + 2 pt border + 8 pt space
    assert "margin-left: 10pt" in css and "border-left: 2pt solid #9fb3c8" in css


def test_a_kind_scales_type_and_spacing_as_the_docx_does(tmp_path: Path):
    body = STYLE.format(
        id="BodyText", name="Body Text", ppr='<w:spacing w:after="200"/>', rpr='<w:sz w:val="22"/>'
    )
    theme = "body.meeting { font-size: 90%; line-height: 1.25 }"
    plain = rule(css_of(tmp_path, body, "background", theme), "p")
    meeting = rule(css_of(tmp_path, body, "meeting", theme), "p")
    assert "font-size: 11pt" in plain and "margin-bottom: 10pt" in plain
    assert "font-size: 10pt" in meeting  # 22 × 0.9 half-points, rounded as Word keeps them
    assert "margin-bottom: 8.1pt" in meeting  # spacing × 0.9²


def test_fact_box_shading_made_yellow_in_word_reaches_the_pdf(project: Path):
    reference = project / "templates" / "reference.docx"

    def yellow(xml: str) -> str:
        style = re.search(r'<w:style [^>]*w:styleId="FactBox".*?</w:style>', xml, re.S).group(0)
        return xml.replace(style, re.sub(r'w:fill="[0-9A-F]{6}"', 'w:fill="FFEE00"', style))

    restyle(reference, "word/styles.xml", yellow)
    result = build(project, "kz-tr", "--lang", "en", "--kind", "background", "--format", "pdf")
    assert result.exit_code == 0, result.output
    colours = {tuple(round(float(x), 2) for x in c) for c in fills(project / "out" / NAME)}
    assert (1.0, 0.93, 0.0) in colours  # FFEE00
