"""Build templates/reference.docx: the Word styles of every DOCX brief.

Analysts may instead edit templates/reference.docx in Word (Styles pane): the writer only
uses its styles, page setup, header and footer settings, never its text. Run this script
to start again from the house defaults:  .venv/bin/python tools/make_reference_docx.py
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

try:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Mm, Pt, RGBColor
except ImportError:  # run by a Python without the project's packages
    raise SystemExit(
        "python-docx is not installed for this Python: run the project's own, "
        ".venv/bin/python tools/make_reference_docx.py"
    ) from None

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.writers.package import reproducible_zip  # noqa: E402
from generator.writers.styles import required_styles  # noqa: E402

NAVY = RGBColor(0x1F, 0x3A, 0x5F)
MAROON = RGBColor(0x7A, 0x1F, 0x1F)
GREY = RGBColor(0x55, 0x55, 0x55)
SERIF = "Noto Serif"
SANS = "Noto Sans"


def set_font(style, name: str) -> None:
    """Name the font for every script and drop theme fonts, which would win over it."""
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), name)


def para_style(
    doc,
    name: str,
    base: str = "Normal",
    font: str = SERIF,
    size: float = 10.5,
    bold: bool = False,
    italic: bool = False,
    color=None,
    before: float = 0,
    after: float = 6,
    keep_next: bool = False,
    align=None,
):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name != "Normal":
        style.base_style = styles[base]
    style.quick_style = True
    set_font(style, font)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = color or RGBColor(0x11, 0x11, 0x11)
    pf = style.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.keep_with_next = keep_next
    if align is not None:
        pf.alignment = align
    return style


def border(style, side: str, size: int = 4, color: str = "9FB3C8", space: int = 1) -> None:
    p_pr = style.element.get_or_add_pPr()
    bdr = p_pr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        p_pr.append(bdr)
    el = OxmlElement(f"w:{side}")
    for k, v in (("val", "single"), ("sz", str(size)), ("space", str(space)), ("color", color)):
        el.set(qn(f"w:{k}"), v)
    bdr.append(el)


def shade(style, fill: str) -> None:
    p_pr = style.element.get_or_add_pPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    p_pr.append(shd)


def char_style(doc, name: str, **kw):
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    for key, value in kw.items():
        setattr(style.font, key, value)
    return style


TABLE_XML = f"""
<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="BriefTable">
  <w:name w:val="Brief Table"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>
  <w:rPr>
    <w:rFonts w:ascii="{SANS}" w:hAnsi="{SANS}" w:cs="{SANS}" w:eastAsia="{SANS}"/>
    <w:sz w:val="18"/>
  </w:rPr>
  <w:tblPr>
    <w:tblW w:w="5000" w:type="pct"/>
    <w:tblBorders>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="C9D3DE"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="C9D3DE"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="57" w:type="dxa"/><w:left w:w="113" w:type="dxa"/>
      <w:bottom w:w="57" w:type="dxa"/><w:right w:w="113" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:color w:val="1F3A5F"/></w:rPr>
    <w:tcPr>
      <w:tcBorders><w:bottom w:val="single" w:sz="8" w:space="0" w:color="1F3A5F"/></w:tcBorders>
      <w:shd w:val="clear" w:color="auto" w:fill="E8EEF5"/>
    </w:tcPr>
  </w:tblStylePr>
</w:style>
"""


def build(path: Path) -> None:
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    text_width = Mm(210 - 45)

    normal = para_style(doc, "Normal", font=SERIF, size=10.5)
    # lines 1.4 em apart: Word's single line is Noto's own 1.362 em
    normal.paragraph_format.line_spacing = 1.4 / 1.362
    para_style(doc, "Body Text", after=6)
    para_style(doc, "Title", font=SANS, size=20, bold=True, color=NAVY, after=4)
    title = doc.styles["Title"].element.get_or_add_pPr()
    for old in title.findall(qn("w:pBdr")):
        title.remove(old)
    para_style(doc, "Subtitle", font=SANS, size=11, color=RGBColor(0x33, 0x33, 0x33), after=10)
    border(doc.styles["Subtitle"], "bottom", size=12, color="1F3A5F", space=4)
    for name in ("Title", "Subtitle"):  # Word's own letter spacing of these: none here
        r_pr = doc.styles[name].element.get_or_add_rPr()
        for tracking in r_pr.findall(qn("w:spacing")):
            r_pr.remove(tracking)
    para_style(doc, "Office", font=SANS, size=9, bold=True, color=NAVY, after=2)
    marking = para_style(doc, "Marking", font=SANS, size=8, bold=True, color=MAROON, after=14)
    marking.font.all_caps = True
    h1 = para_style(
        doc,
        "Heading 1",
        font=SANS,
        size=13,
        bold=True,
        color=NAVY,
        before=16,
        after=6,
        keep_next=True,
    )
    border(h1, "bottom", size=4, color="9FB3C8", space=2)
    para_style(
        doc,
        "Heading 2",
        font=SANS,
        size=11,
        bold=True,
        color=NAVY,
        before=10,
        after=4,
        keep_next=True,
    )
    para_style(
        doc,
        "Heading 3",
        font=SANS,
        size=10.5,
        bold=True,
        color=NAVY,
        before=8,
        after=3,
        keep_next=True,
    )
    para_style(doc, "Note", font=SANS, size=8.5, color=GREY, after=6)
    para_style(
        doc,
        "Attribution",
        base="Quote",
        font=SERIF,
        size=9,
        color=RGBColor(0x44, 0x44, 0x44),
        after=10,
    )
    quote = para_style(doc, "Quote", font=SERIF, size=10.5, italic=True, after=4)
    quote.paragraph_format.left_indent = Mm(5)
    quote.paragraph_format.right_indent = Mm(0)
    border(quote, "left", size=16, color="9FB3C8", space=8)
    doc.styles["Attribution"].font.italic = False
    for name in ("List Bullet", "List Number", "List Bullet 2", "List Number 2"):
        para_style(doc, name, after=3)
    fact = para_style(doc, "Fact Box", font=SERIF, size=10, after=3)
    shade(fact, "F3F6FA")
    for side in ("top", "left", "bottom", "right"):
        border(fact, side, size=6, color="9FB3C8", space=4)
    fact_head = para_style(
        doc,
        "Fact Box Heading",
        base="Fact Box",
        font=SANS,
        size=10.5,
        bold=True,
        color=NAVY,
        after=3,
        keep_next=True,
    )
    fact_head.paragraph_format.keep_with_next = True
    box_list = para_style(doc, "Fact Box List", base="Fact Box", font=SERIF, size=10, after=2)
    bullet = doc.styles["List Bullet"].element.find(qn("w:pPr") + "/" + qn("w:numPr"))
    box_list.element.get_or_add_pPr().insert(0, copy.deepcopy(bullet))
    para_style(doc, "Figure", after=2, align=WD_ALIGN_PARAGRAPH.CENTER, keep_next=True)
    para_style(doc, "Caption", font=SANS, size=8.5, color=RGBColor(0x44, 0x44, 0x44), after=10)
    para_style(doc, "Table Heading", font=SANS, size=9, bold=True, color=NAVY, after=0)
    para_style(doc, "Table Text", font=SANS, size=9, after=0)
    header = para_style(doc, "Header", font=SANS, size=8, color=GREY, after=0)
    footer = para_style(
        doc, "Footer", font=SANS, size=8, color=GREY, after=0, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    for style in (header, footer):
        p_pr = style.element.get_or_add_pPr()
        for old in p_pr.findall(qn("w:tabs")):
            p_pr.remove(old)
        tabs_el = OxmlElement("w:tabs")
        for kind, pos in (("center", int(text_width) // 2), ("right", int(text_width))):
            tab = OxmlElement("w:tab")
            tab.set(qn("w:val"), kind)
            tab.set(qn("w:pos"), str(int(pos / 635)))
            tabs_el.append(tab)
        p_pr.insert(0, tabs_el)
    para_style(
        doc,
        "Draft Mark",
        font=SANS,
        size=14,
        bold=True,
        color=RGBColor(0xC0, 0, 0),
        after=0,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )

    cite = char_style(doc, "Citation", superscript=True)
    cite.font.color.rgb = NAVY
    link = char_style(doc, "Hyperlink")
    link.font.color.rgb = NAVY
    fallback = char_style(doc, "Fallback Text")
    r_pr = fallback.element.get_or_add_rPr()
    hl = OxmlElement("w:highlight")
    hl.set(qn("w:val"), "yellow")
    r_pr.append(hl)

    styles_el = doc.styles.element
    if not any(s.name == "Brief Table" for s in doc.styles):
        styles_el.append(parse_xml(TABLE_XML))

    missing = [n for n, kind in required_styles() if n not in {s.name for s in doc.styles}]
    if missing:
        raise SystemExit(f"reference.docx would lack styles: {', '.join(missing)}")
    # no thumbnail of some other document, no stray body text
    package = doc.part.package
    for rel in list(package.rels.values()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rel.rId)
    props = doc.core_properties
    props.title = "Brief reference styles"
    props.author = props.last_modified_by = ""
    import datetime as dt

    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    doc.add_paragraph(
        "This file holds the Word styles of every brief; its text is ignored.", style="Body Text"
    )
    import io

    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(reproducible_zip(buf.getvalue()))


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "templates" / "reference.docx"
    build(target)
    print(f"wrote {target}")
