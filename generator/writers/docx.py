"""DOCX writer: walk the brief's HTML and emit named Word styles from templates/reference.docx."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.shared import Emu, Pt
from docx.styles import BabelFish
from lxml import etree

from generator.errors import BriefError
from generator.render.brief import RenderedBrief
from generator.render.document import text_of
from generator.writers.fonts import embed_fonts
from generator.writers.geometry import SINGLE_LINE, KindPage, kind_page
from generator.writers.images import RASTER_MAX, check_svg, image_type, rasterise, svg_size
from generator.writers.package import deflate, package_bytes
from generator.writers.preflight import require_document, where_written
from generator.writers.resources import load
from generator.writers.styles import CHARACTER_STYLES, PARAGRAPH_STYLES, TABLE_STYLE
from generator.writers.typefaces import font_files

_SPACE = re.compile(r"[ \t\n\r\f\v]+")  # HTML's white space; a no-break space stays
# characters Word writes as elements of a run: an optional hyphen, a non-breaking hyphen
_RUN_MARKS = re.compile("([\u00ad\u2011])")
_RUN_MARK_TAGS = {"\u00ad": "<w:softHyphen/>", "\u2011": "<w:noBreakHyphen/>"}
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# an SVG length and its unit in CSS pixels
# WordprocessingML names, worked out once: a brief writes thousands of elements
W_P, W_PPR, W_PSTYLE, W_R, W_RPR, W_RSTYLE, W_T, W_BR = (
    qn(f"w:{t}") for t in ("p", "pPr", "pStyle", "r", "rPr", "rStyle", "t", "br")
)
W_VAL, W_TYPE, W_W, W_ID, W_NAME, W_STYLE, W_STYLE_ID = (
    qn(f"w:{t}") for t in ("val", "type", "w", "id", "name", "style", "styleId")
)
W_VERT_ALIGN, W_LANG, W_HYPERLINK, W_ANCHOR, W_DRAWING, W_JC = (
    qn(f"w:{t}") for t in ("vertAlign", "lang", "hyperlink", "anchor", "drawing", "jc")
)
W_KEEP_NEXT, W_KEEP_LINES, W_BOOKMARK_START, W_BOOKMARK_END = (
    qn(f"w:{t}") for t in ("keepNext", "keepLines", "bookmarkStart", "bookmarkEnd")
)
W_NUM_PR, W_ILVL, W_NUM_ID = (qn(f"w:{t}") for t in ("numPr", "ilvl", "numId"))
W_TBL, W_TBL_PR, W_TBL_STYLE, W_TBL_W, W_TBL_LAYOUT, W_TBL_LOOK, W_TBL_GRID, W_GRID_COL = (
    qn(f"w:{t}")
    for t in ("tbl", "tblPr", "tblStyle", "tblW", "tblLayout", "tblLook", "tblGrid", "gridCol")
)
W_TR, W_TR_PR, W_CANT_SPLIT, W_TBL_HEADER, W_TC, W_TC_PR, W_TC_W, W_GRID_SPAN = (
    qn(f"w:{t}") for t in ("tr", "trPr", "cantSplit", "tblHeader", "tc", "tcPr", "tcW", "gridSpan")
)
R_ID = qn("r:id")
_RUNS_OPEN = f'<w:body xmlns:w="{nsmap["w"]}" xmlns:r="{nsmap["r"]}">'
_RUN_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
# a new table's look, as python-docx (and Word) writes it
_TABLE_LOOK = {
    qn(f"w:{k}"): v
    for k, v in (
        ("firstColumn", "1"),
        ("firstRow", "1"),
        ("lastColumn", "0"),
        ("lastRow", "0"),
        ("noHBand", "0"),
        ("noVBand", "1"),
        ("val", "04A0"),
    )
}
# parts each brief writes its own of: the rest of reference.docx is shared, as prepared
_WRITTEN_PARTS = {CT.WML_DOCUMENT_MAIN, CT.WML_NUMBERING, CT.OPC_CORE_PROPERTIES}
MAX_COLSPAN = 63  # Word's widest table
BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "ul",
    "ol",
    "table",
    "blockquote",
    "aside",
    "figure",
    "header",
    "section",
    "div",
    "hr",
}
INLINE = {"a", "b", "br", "em", "i", "span", "strong", "sub", "sup"}
# parts written by their whole's visitor: a table's rows and cells, a figure's picture
PARTS = {
    "caption": "table",
    "thead": "table",
    "tbody": "table",
    "tr": "table",
    "th": "table",
    "td": "table",
    "img": "figure",
    "figcaption": "figure",
}


@dataclass
class _Writer:
    """Writes the brief's body as WordprocessingML elements (plain lxml, not python-docx's
    proxies: a brief has thousands of runs), one visitor per HTML element."""

    doc: docx.document.Document
    brief: RenderedBrief
    language_tag: str  # BCP 47: Word's spelling language
    text_width: int
    styles: dict  # the <w:style> elements by name (shared: read, never changed)
    bookmark_id: int = 0
    picture_id: int = 0
    paragraphs: list[_Paragraph] = field(default_factory=list)  # whose runs are text yet
    looks: dict = field(default_factory=dict)  # <w:rPr> by style, raising and language

    # ---- styles ----------------------------------------------------------------------

    def style(self, key: str):
        """The <w:style> element of a key's named style in the reference document."""
        name = PARAGRAPH_STYLES.get(key) or CHARACTER_STYLES.get(key) or key
        found = self.styles.get(BabelFish.ui2internal(name))
        if found is None:
            raise BriefError(
                f"templates/reference.docx has no style '{name}'",
                path="templates/reference.docx",
                hint=f"add the style '{name}' in Word's Styles pane, or rebuild the file "
                "with: .venv/bin/python tools/make_reference_docx.py",
                code="docx-style",
            )
        return found

    def paragraph(self, parent, style) -> _Paragraph:
        """A new <w:p> at the end of `parent`, in a named style; its runs come with finish()."""
        element = _sub(parent, W_P)
        _sub(_sub(element, W_PPR), W_PSTYLE, style.get(W_STYLE_ID))
        para = _Paragraph(element)
        self.paragraphs.append(para)
        return para

    def finish(self) -> None:
        """Parse every paragraph's runs at once and put them at the ends of their paragraphs."""
        _add_runs(self.paragraphs)
        self.paragraphs = []

    def text_into(self, element, text: str, styles=()) -> None:
        """A run of text at the end of a <w:p> written apart (a running head's, a footer's)."""
        para = _Paragraph(element)
        self.text(para, text, styles)
        _add_runs([para])

    # ---- blocks ----------------------------------------------------------------------

    def blocks(self, parent, container, context: str = "") -> None:
        """Write the block children of an HTML element into a Word container (the body or
        a table cell, as its element)."""
        pending_inline = []
        for node in parent:
            if not isinstance(node.tag, str):
                continue
            tag = node.tag
            if tag not in BLOCKS and tag not in ("li",):
                pending_inline.append(node)
                continue
            if pending_inline:
                self._loose(pending_inline, container, context)
                pending_inline = []
            self.block(node, container, context)
        if pending_inline:
            self._loose(pending_inline, container, context)

    def _loose(self, nodes, container, context: str) -> None:
        texts = [n for n in nodes if text_of(n)]
        if texts:
            para = self.paragraph(container, self.style(context or "p"))
            for n in nodes:
                self.inline_node(n, para)

    def block(self, node, container, context: str = "") -> None:
        """Write one block element through its visitor, visit_<tag>."""
        visit = getattr(self, f"visit_{node.tag}", None)
        if visit is not None and node.tag in BLOCKS | {"li"}:
            visit(node, container, context)

    # ---- block visitors: (element, Word container, context) ----------------------------

    def visit_section(self, node, container, context: str) -> None:
        self.kept(node, container, lambda: self._section(node, container, context))

    def _section(self, node, container, context: str) -> None:
        if node.text and node.text.strip():
            para = self.paragraph(container, self.style(context or "p"))
            self.inline(node, para, include_tail=False)
        else:
            self.blocks(node, container, context)

    visit_header = _section

    visit_div = visit_section

    def kept(self, node, container, write) -> None:
        """Write a block; one kept whole (class "keep", a quotation) has its lines kept together
        and every paragraph but its last kept with the next, as Word keeps blocks on a page."""
        classes = (node.get("class") or "").split()
        if "keep" not in classes and "with-next" not in classes and node.tag != "blockquote":
            write()
            return
        start = len(container)
        write()
        paragraphs = [p for block in container[start:] for p in block.iter(W_P)]
        for i, para in enumerate(paragraphs):
            p_pr = para.find(W_PPR)
            if p_pr is None:
                p_pr = etree.Element(W_PPR)
                para.insert(0, p_pr)
            with_next = i < len(paragraphs) - 1 or "with-next" in (node.get("class") or "")
            keys = [W_KEEP_NEXT, W_KEEP_LINES] if with_next else [W_KEEP_LINES]
            for key in reversed(keys):  # after the style, as the schema orders them
                if p_pr.find(key) is None:
                    p_pr.insert(1 if p_pr.find(W_PSTYLE) is not None else 0, etree.Element(key))

    def visit_h1(self, node, container, context: str) -> None:
        key = "aside.h3" if context == "aside" and node.tag == "h3" else node.tag
        para = self.paragraph(container, self.style(key))
        if node.get("id"):
            self.bookmark(para, node.get("id"))
        self.inline(node, para)

    visit_h2 = visit_h3 = visit_h1

    def visit_p(self, node, container, context: str) -> None:
        cls = node.get("class", "")
        key = (
            f"p.{cls.split()[0]}"
            if cls and f"p.{cls.split()[0]}" in PARAGRAPH_STYLES
            else (context or "p")
        )
        self.kept(node, container, lambda: self._paragraph(node, container, key))

    def _paragraph(self, node, container, key: str) -> None:
        para = self.paragraph(container, self.style(key))
        if node.get("id"):
            self.bookmark(para, node.get("id"))
        self.inline(node, para)

    def visit_ul(self, node, container, context: str) -> None:
        self.list(node, container, level=1, context=context)

    visit_ol = visit_ul

    def visit_table(self, node, container, context: str) -> None:
        self.table(node, container)

    def visit_blockquote(self, node, container, context: str) -> None:
        self.kept(node, container, lambda: self.blocks(node, container, "blockquote"))

    def visit_aside(self, node, container, context: str) -> None:
        self.blocks(node, container, "aside")

    def visit_figure(self, node, container, context: str) -> None:
        self.figure(node, container)

    def visit_hr(self, node, container, context: str) -> None:
        if "page-break" not in node.get("class", ""):
            return  # a rule is drawn by the styles around it, not by Word
        para = self.paragraph(container, self.style(context or "p"))
        para.runs.append('<w:r><w:br w:type="page"/></w:r>')

    def visit_li(self, node, container, context: str) -> None:
        """A stray list item: written as a bullet."""
        para = self.paragraph(container, self.style("ul"))
        self.inline(node, para)

    def list(self, node, container, level: int, context: str = "") -> None:
        ordered = node.tag == "ol"
        key = ("ol" if ordered else "ul") + ("2" if level > 1 else "")
        if context == "aside" and key == "ul":
            key = "aside.ul"  # a bulleted list inside a fact box keeps the box's look
        style = self.style(key)
        num_id = self.restart_numbering(style, node) if ordered else None
        for item in node:
            if not isinstance(item.tag, str) or item.tag != "li":
                continue
            para = self.paragraph(container, style)
            if num_id is not None:
                self.set_num(para, num_id, 0)
            if item.get("id"):
                self.bookmark(para, item.get("id"))
            nested = [c for c in item if isinstance(c.tag, str) and c.tag in ("ul", "ol")]
            self.inline(item, para, stop_at={"ul", "ol"})
            for sub in nested:
                self.list(sub, container, level + 1)

    def table(self, node, container) -> None:
        """A table in the reference's table style, every row kept on one page, its head
        repeated on each, its columns as wide as their text asks."""
        rows = []
        for part in node:
            if not isinstance(part.tag, str):
                continue
            if part.tag in ("thead", "tbody"):
                rows += [(r, part.tag == "thead") for r in part if r.tag == "tr"]
            elif part.tag == "tr":
                rows.append((part, False))
            elif part.tag == "caption":
                para = self.paragraph(container, self.style("caption"))
                self.inline(part, para)
        if not rows:
            return
        ncols = max(sum(colspan(c) for c in r if c.tag in ("td", "th")) for r, _ in rows)
        widths = self.column_widths([tr for tr, _ in rows], ncols)
        table = _sub(container, W_TBL)
        tbl_pr = _sub(table, W_TBL_PR)
        _sub(tbl_pr, W_TBL_STYLE, self.style(TABLE_STYLE).get(W_STYLE_ID))
        _sub(tbl_pr, W_TBL_W, attrib={W_TYPE: "auto", W_W: "0"})
        _sub(tbl_pr, W_TBL_LAYOUT, attrib={W_TYPE: "fixed"})
        _sub(tbl_pr, W_TBL_LOOK, attrib=_TABLE_LOOK)
        grid = _sub(table, W_TBL_GRID)
        for width in widths:
            _sub(grid, W_GRID_COL, attrib={W_W: width})
        for tr, is_head in rows:
            row = _sub(table, W_TR)
            tr_pr = _sub(row, W_TR_PR)
            _sub(tr_pr, W_CANT_SPLIT)
            if is_head:
                _sub(tr_pr, W_TBL_HEADER)
            col = 0
            for cell_node in tr:
                if not isinstance(cell_node.tag, str) or cell_node.tag not in ("td", "th"):
                    continue
                span = min(colspan(cell_node), ncols - col)
                if span < 1:
                    break
                cell = _cell(row, widths[col + span - 1], span)
                col += span
                style = self.style("th" if cell_node.tag == "th" or is_head else "td")
                para = self.paragraph(cell, style)
                if "num" in cell_node.get("class", ""):
                    # right: numbers line up (from the HTML's class)
                    _sub(para.element[0], W_JC, "right")
                self.inline(cell_node, para)
            for width in widths[col:]:  # a short row is filled with empty cells
                _sub(_cell(row, width, 1), W_P)

    def column_widths(self, rows, ncols: int) -> tuple[str, ...]:
        """Columns as wide as their longest text asks (within bounds), as a browser sizes
        them: a figure's column is not squeezed to an equal share (in twentieths of a point)."""
        longest = [8] * ncols  # a column of short figures still holds a year
        for tr in rows:
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            if len(cells) != ncols:
                continue  # a row with spanning cells says nothing of one column
            for i, cell in enumerate(cells):
                words = text_of(cell).replace("\u00ad", "")
                longest[i] = max(longest[i], min(len(words), 48))
        total = sum(longest)
        return tuple(str(Emu(int(self.text_width * n / total)).twips) for n in longest)

    def figure(self, node, container) -> None:
        for img in node.iter("img"):
            data = image_bytes(self.brief, img.get("src", ""))
            para = self.paragraph(container, self.style("figure"))
            inline = self.doc.part.new_pic_inline(io.BytesIO(data), Emu(self.text_width))
            self.picture_id += 1  # python-docx numbers from the document, written apart here
            alt = img.get("alt", "")
            doc_pr = inline.docPr
            doc_pr.set("id", str(self.picture_id))
            doc_pr.set("name", f"Picture {self.picture_id}")
            doc_pr.set("descr", alt)
            doc_pr.set("title", alt[:64])
            _sub(_sub(para.element, W_R), W_DRAWING).append(inline)
        for cap in node.iter("figcaption"):
            para = self.paragraph(container, self.style("figcaption"))
            self.inline(cap, para)

    # ---- inline ----------------------------------------------------------------------

    def inline(self, node, para, include_tail=False, stop_at=frozenset(), styles=()) -> None:
        if node.text:
            self.text(para, node.text, styles)
        for child in node:
            if not isinstance(child.tag, str):
                if child.tail:
                    self.text(para, child.tail, styles)
                continue
            if child.tag in stop_at:
                continue
            self.inline_node(child, para, styles)
        if include_tail and node.tail:
            self.text(para, node.tail, styles)

    def inline_node(self, child, para, styles=()) -> None:
        """Write one inline element through its visitor, visit_<tag>, then its tail."""
        visit = getattr(self, f"visit_{child.tag}", None)
        if visit is not None and child.tag in INLINE:
            visit(child, para, styles)
        else:  # an element without a look of its own: its text
            self.inline(child, para, styles=styles)
        if child.tail:
            self.text(para, child.tail, styles)

    # ---- inline visitors: (element, Word paragraph, character styles around it) --------

    def visit_br(self, node, para, styles) -> None:
        para.runs.append("<w:r><w:br/></w:r>")

    def visit_a(self, node, para, styles) -> None:
        self.hyperlink(node, para, styles)

    def visit_strong(self, node, para, styles) -> None:
        self.inline(node, para, styles=styles + ((node.tag, None),))

    visit_b = visit_em = visit_i = visit_strong

    def visit_sup(self, node, para, styles) -> None:
        key = self.character_key(node)
        self.inline(node, para, styles=styles + ((key or node.tag, None),))

    visit_sub = visit_sup

    def visit_span(self, node, para, styles) -> None:
        key = self.character_key(node)
        if key is None:
            self.inline(node, para, styles=styles)
            return
        lang = node.get("lang")
        inner = styles + ((key, lang),)
        if key == "span.fallback" and lang:
            self.text(para, f"[{lang}] ", inner)  # the same visible mark as the PDF's
        self.inline(node, para, styles=inner)

    @staticmethod
    def character_key(node) -> str | None:
        """The character style of an element with a class (sup.cite, span.fallback), if any."""
        cls = (node.get("class") or "").split()
        key = f"{node.tag}.{cls[0]}" if cls else ""
        return key if key in CHARACTER_STYLES else None

    def text(self, para: _Paragraph, text: str, styles=()) -> None:
        """One run of text with its character styles, at the end of a paragraph (or link)."""
        text = _XML_BAD.sub("", _SPACE.sub(" ", text))
        if not text:
            return
        style = vert = lang = None
        for key, run_lang in styles:  # the innermost style wins, as in the HTML
            if key.startswith(("sup", "sub")):  # raised whatever its style says
                vert = "superscript" if key.startswith("sup") else "subscript"
            if key not in ("sup", "sub"):
                style = self.style(key)
            lang = run_lang or lang
        style_id = style.get(W_STYLE_ID) if style is not None else None
        look = self.looks.get((style_id, vert, lang))
        if look is None:
            look = self.looks[style_id, vert, lang] = self.run_properties(style_id, vert, lang)
        run = ["<w:r>", look]
        for part in _RUN_MARKS.split(escape(text)):
            if part in _RUN_MARK_TAGS:
                run.append(_RUN_MARK_TAGS[part])
            elif part != part.strip(" "):
                run.append(f'<w:t xml:space="preserve">{part}</w:t>')
            elif part:
                run.append(f"<w:t>{part}</w:t>")
        run.append("</w:r>")
        para.runs.append("".join(run))

    def run_properties(self, style_id: str | None, vert: str | None, lang: str | None) -> str:
        """A run's <w:rPr>: its character style, raised or lowered, its language (if any)."""
        if style_id is None and not vert and not lang:
            return ""
        props = ["<w:rPr>"]
        if style_id is not None:
            props.append(f"<w:rStyle w:val={quoteattr(style_id)}/>")
        if vert:
            props.append(f'<w:vertAlign w:val="{vert}"/>')
        if lang:
            props.append(f"<w:lang w:val={quoteattr(self.brief.language_tag(lang))}/>")
        return "".join(props) + "</w:rPr>"

    def hyperlink(self, node, para: _Paragraph, styles) -> None:
        href = node.get("href", "")
        if href.startswith("#"):
            para.runs.append(f"<w:hyperlink w:anchor={quoteattr(href[1:])}>")
        else:
            rid = self.doc.part.relate_to(href, RT.HYPERLINK, is_external=True)
            para.runs.append(f"<w:hyperlink r:id={quoteattr(rid)}>")
        # a link within the brief (a citation's or a note's number) keeps the look around it
        inner = styles if href.startswith("#") else styles + (("a", None),)
        text = _SPACE.sub(" ", "".join(node.itertext())).strip(" ")
        self.text(para, text, inner)
        para.runs.append("</w:hyperlink>")

    # ---- Word plumbing ---------------------------------------------------------------

    def bookmark(self, para: _Paragraph, name: str) -> None:
        """A bookmark (an HTML id) at the start of a paragraph, before its runs."""
        self.bookmark_id += 1
        start = etree.Element(W_BOOKMARK_START, {W_ID: str(self.bookmark_id), W_NAME: name})
        para.element.insert(1 if para.element.find(W_PPR) is not None else 0, start)
        _sub(para.element, W_BOOKMARK_END, attrib={W_ID: str(self.bookmark_id)})

    def restart_numbering(self, style, node) -> int | None:
        """A new Word list instance for an <ol>, so numbering restarts where the HTML's does."""
        num_pr = style.find(qn("w:pPr") + "/" + qn("w:numPr"))
        if num_pr is None:
            return None
        base_num = int(num_pr.find(qn("w:numId")).get(qn("w:val")))
        numbering = self.doc.part.numbering_part.element
        abstract = None
        for num in numbering.findall(qn("w:num")):
            if int(num.get(qn("w:numId"))) == base_num:
                abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        if abstract is None:
            return None
        new_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(new_id))
        ab = OxmlElement("w:abstractNumId")
        ab.set(qn("w:val"), abstract)
        num.append(ab)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), str(_integer(node.get("start"), 1, 0, 2**31 - 1)))
        override.append(start)
        num.append(override)
        numbering.append(num)
        return new_id

    def set_num(self, para: _Paragraph, num_id: int, level: int) -> None:
        """Number a list paragraph: <w:numPr> right after its style, as the schema orders."""
        num_pr = etree.Element(W_NUM_PR)
        _sub(num_pr, W_ILVL, str(level))
        _sub(num_pr, W_NUM_ID, str(num_id))
        p_pr = para.element.find(W_PPR)
        p_style = p_pr.find(W_PSTYLE)
        if p_style is not None:
            p_style.addnext(num_pr)
        else:
            p_pr.insert(0, num_pr)


class _Paragraph:
    """A paragraph being written: its <w:p> (style, numbering, bookmarks) and its runs as XML
    text, parsed once for the whole body (a brief has thousands of runs)."""

    __slots__ = ("element", "runs")

    def __init__(self, element) -> None:
        self.element = element
        self.runs: list[str] = []


def _add_runs(paragraphs: list[_Paragraph]) -> None:
    """Parse the runs of paragraphs in one go and move them to the ends of their <w:p>."""
    written = [p for p in paragraphs if p.runs]
    if not written:
        return
    xml = "".join(["<w:p>" + "".join(p.runs) + "</w:p>" for p in written])
    parsed = etree.fromstring(_RUNS_OPEN + xml + "</w:body>", _RUN_PARSER)
    for para, runs in zip(written, parsed, strict=True):
        para.element.extend(list(runs))


def _sub(parent, tag: str, val: str | None = None, attrib: dict | None = None):
    """A new child element at the end of `parent`, with its w:val if given."""
    el = etree.SubElement(parent, tag, attrib)
    if val is not None:
        el.set(W_VAL, val)
    return el


def _cell(row, width: str, span: int):
    """A <w:tc> of a width (in twentieths of a point) spanning `span` grid columns."""
    cell = _sub(row, W_TC)
    tc_pr = _sub(cell, W_TC_PR)
    _sub(tc_pr, W_TC_W, attrib={W_TYPE: "dxa", W_W: width})
    if span > 1:
        _sub(tc_pr, W_GRID_SPAN, str(span))
    return cell


def _style_index(styles) -> dict:
    """The <w:style> elements of styles.xml by their name (Word's internal name)."""
    index: dict[str, etree._Element] = {}
    for style in styles.iterchildren(W_STYLE):
        name = style.find(W_NAME)
        if name is not None:
            index.setdefault(name.get(W_VAL), style)
    for style in styles.iterchildren(W_STYLE):  # python-docx also finds a style by its id
        index.setdefault(style.get(W_STYLE_ID), style)
    return index


def set_style(props, tag: str, style) -> None:
    """Point a paragraph's (pStyle) or run's (rStyle) properties at a style, first child."""
    el = props.find(qn(f"w:{tag}"))
    if el is None:
        el = OxmlElement(f"w:{tag}")
        props.insert(0, el)
    el.set(qn("w:val"), style.get(W_STYLE_ID))


def _integer(value: str | None, default: int, low: int, high: int) -> int:
    """An integer attribute as browsers read it: the default when it is not a number, within
    bounds."""
    try:
        return min(max(int((value or "").strip()), low), high)
    except ValueError:
        return default


def colspan(cell) -> int:
    """How many columns a <td> or <th> spans (1 to 63: Word's widest table)."""
    return _integer(cell.get("colspan"), 1, 1, MAX_COLSPAN)


def image_bytes(brief: RenderedBrief, src: str) -> bytes:
    """PNG, JPEG or GIF bytes of an <img> (SVG is rasterised for Word), by the one policy."""
    resource = load(brief.templates, src, "image")
    if image_type(resource) != "image/svg+xml":
        return resource.data
    width, height = svg_size(check_svg(resource.data))
    scale = min(2.0, RASTER_MAX / max(width, height, 1e-6))  # a huge canvas exhausts the memory
    try:
        return rasterise(resource.data, max(round(width * scale), 1), max(round(height * scale), 1))
    except Exception:  # an SVG the policy lets through but cairosvg cannot draw
        path, line = where_written(brief, src)
        raise BriefError(
            "the SVG image cannot be drawn for Word",
            path=path,
            line=line,
            hint="simplify the image, or save it again as SVG 1.1 (or PNG)",
            code="image-svg",
        ) from None


def set_lang(r_pr, tag: str) -> None:
    """Set <w:lang w:val=...> in a run's (or style's) properties."""
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), tag)


def _field(para, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES) as begin / instruction / separate / result / end runs."""

    def run_with(child):
        r = OxmlElement("w:r")
        r.append(child)
        para._p.append(r)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    t = OxmlElement("w:t")
    t.text = placeholder
    run_with(t)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _header_footer(writer: _Writer, brief: RenderedBrief) -> None:
    """Running head and page numbers as the brief's head says (at the head or the foot, from
    the first page or the second: Word's different first page)."""
    doc = brief.document
    section = writer.doc.sections[0]
    at_top = doc.meta("brief:page-number", "bottom") == "top"
    pages = [(section.header, section.footer, True)]
    if doc.meta("brief:page-number-first", "yes") == "no":
        section.different_first_page_header_footer = True
        pages.append((section.first_page_header, section.first_page_footer, False))
    for header, footer, numbered in pages:
        header.is_linked_to_previous = False
        para = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        set_style(para._p.get_or_add_pPr(), "pStyle", writer.style("header"))
        para.text = ""
        writer.text_into(para._p, doc.meta("brief:marking"), (("strong", None),))
        for run in para._p.iterchildren(qn("w:r")):  # in capitals, as the PDF's running head
            r_pr = run.find(qn("w:rPr"))
            if r_pr is None:
                r_pr = OxmlElement("w:rPr")
                run.insert(0, r_pr)
            caps = OxmlElement("w:caps")  # after the run's style, as the schema orders them
            r_pr.insert(1 if r_pr.find(qn("w:rStyle")) is not None else 0, caps)
        para.add_run("\t")
        if numbered and at_top:
            _page_number(writer, para, doc)
        para.add_run("\t")
        writer.text_into(para._p, doc.meta("brief:running"))
        draft = doc.meta("brief:draft")
        if draft:
            mark = header.add_paragraph()._p
            set_style(mark.get_or_add_pPr(), "pStyle", writer.style("draft"))
            writer.text_into(mark, draft)
        footer.is_linked_to_previous = False
        fpara = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        set_style(fpara._p.get_or_add_pPr(), "pStyle", writer.style("footer"))
        fpara.text = ""
        if numbered and not at_top:
            _page_number(writer, fpara, doc)


def _page_number(writer: _Writer, para, doc) -> None:
    """The page number in the brief's words ('{page}', 'Page {page} of {pages}') as fields."""
    for chunk in re.split(r"(\{pages?\})", doc.meta("brief:page-of", "{page} / {pages}")):
        if chunk == "{page}":
            _field(para, "PAGE")
        elif chunk == "{pages}":
            _field(para, "NUMPAGES")
        elif chunk:
            writer.text_into(para._p, chunk)


def _properties(writer: _Writer, brief: RenderedBrief) -> None:
    doc = brief.document
    props = writer.doc.core_properties
    try:
        created = dt.datetime.fromisoformat(doc.meta("dcterms.created") + "T00:00:00+00:00")
    except ValueError:  # a template without the date: a fixed one keeps the file reproducible
        created = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
    props.title = doc.title
    props.subject = doc.meta("description")
    props.keywords = doc.meta("keywords")
    props.language = writer.language_tag
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.category = doc.meta("brief:kind")
    props.created = created
    props.modified = created
    props.last_printed = created
    props.revision = 1


def _language(document, language_tag: str) -> None:
    """The language of the whole document, in its default run properties and its Normal
    style: Word spell-checks kk and ru with it."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        r_pr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if r_pr is not None:
            set_lang(r_pr, language_tag)
    set_lang(document.styles["Normal"].element.get_or_add_rPr(), language_tag)


def _drop_thumbnail(document) -> None:
    package = document.part.package
    for rel in list(package.rels.values()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rel.rId)


def _kind_page(document, page: KindPage) -> None:
    """The kind's margins and type size as theme.css sets them (the meeting note's tighter
    page): every style's size and spacing scaled alike."""
    if page.margins:
        section = document.sections[0]
        top, right, bottom, left = (Pt(m) for m in page.margins)
        section.top_margin, section.right_margin = top, right
        section.bottom_margin, section.left_margin = bottom, left
    if page.scale == 1.0:
        return
    styles = document.styles.element
    for node in styles.iter(qn("w:sz"), qn("w:szCs")):
        node.set(qn("w:val"), str(max(2, round(int(node.get(qn("w:val"))) * page.scale))))
    for node in styles.iter(qn("w:spacing")):
        if node.getparent().tag != qn("w:pPr"):
            continue  # a run's letter spacing
        for key in ("w:before", "w:after"):
            if node.get(qn(key)) is not None:
                node.set(qn(key), str(round(int(node.get(qn(key))) * page.scale * page.scale)))
        if page.line_height and node.get(qn("w:lineRule"), "auto") == "auto":
            # Word's single line is the font's own height, about 1.36 em for Noto
            node.set(qn("w:line"), str(round(240 * page.line_height / SINGLE_LINE)))
            node.set(qn("w:lineRule"), "auto")


def _clear_body(document) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def write(brief: RenderedBrief) -> bytes:
    """Build the DOCX from the brief's HTML; styles come from templates/reference.docx."""
    require_document(brief)
    page = kind_page(brief.templates / "theme.css", brief.document.meta("brief:kind"))
    document, styles = _start(brief.templates, page, brief.language_tag())
    section = document.sections[0]
    width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    writer = _Writer(document, brief, brief.language_tag(), int(width), styles)
    _properties(writer, brief)
    _header_footer(writer, brief)
    body = etree.Element(qn("w:body"), nsmap=document.element.nsmap)
    writer.blocks(copy.deepcopy(brief.document.body), body)
    writer.finish()
    word_body = document.element.body
    section_properties = word_body.find(qn("w:sectPr"))
    word_body.extend(list(body))
    if section_properties is not None:
        word_body.append(section_properties)  # the section's properties end the body
    return package_bytes(document)


def _start(templates: Path, page: KindPage, language_tag: str):
    """A fresh document to write a brief into, and its styles by name: reference.docx for
    the kind's page and the language, with the fonts embedded. What no brief changes (styles,
    fonts, theme, settings) is shared with the other documents of the process, not copied."""
    reference = templates / "reference.docx"
    try:
        stat = reference.stat()
    except OSError:
        raise BriefError(
            "templates/reference.docx is missing",
            path="templates/reference.docx",
            hint="rebuild it with: .venv/bin/python tools/make_reference_docx.py",
            code="docx-reference",
        ) from None
    fonts = font_files(templates / "fonts")
    prepared = _prepared(reference, stat.st_mtime_ns, stat.st_size, fonts, page, language_tag)
    document, shared, styles = prepared
    return copy.deepcopy(document, {id(part): part for part in shared}), styles


@functools.lru_cache(maxsize=8)
def _prepared(
    reference: Path,
    mtime_ns: int,
    size: int,
    fonts: tuple[tuple[Path, int, int], ...],
    page: KindPage,
    language_tag: str,
):
    """reference.docx (as it was at this time of change and size) set for a kind's page and
    a language, with the fonts (as `fonts` stamps them) embedded; its parts that no brief
    changes, each with its bytes deflated once; its styles by name."""
    document = copy.deepcopy(_read_reference(reference, mtime_ns, size))
    _kind_page(document, page)
    _language(document, language_tag)
    embed_fonts(document, reference.parent / "fonts")
    shared = [
        part
        for part in document.part.package.iter_parts()
        if part is not document.part and part.content_type not in _WRITTEN_PARTS
    ]
    for part in shared:
        if getattr(part, "deflated", None) is None:  # a font's is worked out already
            part.before_marshal()
            part.deflated = deflate(part.blob)
    return document, shared, _style_index(document.styles.element)


@functools.lru_cache(maxsize=4)
def _read_reference(path: Path, mtime_ns: int, size: int):
    """The reference document as it was at this time of change and size, its body emptied."""
    try:
        document = docx.Document(str(path))
    except Exception:  # a broken zip or XML: the analyst's file, not our bug
        # the same words as brief check (generator/checks/styles.py)
        raise BriefError(
            "templates/reference.docx cannot be opened: it is not a Word document (.docx)",
            path="templates/reference.docx",
            hint="save it again from Word as a .docx, or rebuild it with: "
            ".venv/bin/python tools/make_reference_docx.py",
            code="docx-reference",
        ) from None
    _clear_body(document)
    _drop_thumbnail(document)
    return document
