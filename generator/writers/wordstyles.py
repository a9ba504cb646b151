"""The look of reference.docx's named styles as CSS for the PDF: restyle a heading once, in
Word, and both formats follow. theme.css keeps what only layout needs (the fact box, the
table rules, the meeting note's tighter page); what a Word style sets wins over it."""

from __future__ import annotations

import re
import zipfile
from functools import lru_cache
from pathlib import Path

from lxml import etree

from generator.writers.geometry import SINGLE_LINE, KindPage, kind_page
from generator.writers.styles import PARAGRAPH_STYLES
from generator.writers.typefaces import families

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# CSS selector → (the element's key in PARAGRAPH_STYLES, what of its Word style carries):
# "all"; "root" (Normal: the type and line spacing every block inherits); "text" (the type
# and spacing of paragraphs inside a box); "box" (the borders, shading and indents of an
# element Word draws around its paragraphs); "cell" (type only). As the DOCX writer styles
# them: a paragraph in a quotation or a fact box takes that box's style; lists and the
# running head are Word's own.
CARRIED = {
    "html": ("Normal", "root"),
    "h1": ("h1", "all"), "h2": ("h2", "all"), "h3": ("h3", "all"), "p": ("p", "all"),
    "p.note": ("p.note", "all"), "p.office": ("p.office", "all"),
    "p.marking": ("p.marking", "all"), "p.subtitle": ("p.subtitle", "all"),
    "p.drafter": ("p.drafter", "all"),
    "blockquote": ("blockquote", "box"), "blockquote p": ("blockquote", "text"),
    "p.attribution": ("p.attribution", "text"),
    "aside": ("aside", "box"), "aside p": ("aside", "text"), "aside h3": ("aside.h3", "text"),
    "th": ("th", "cell"), "td": ("td", "cell"),
    "figcaption": ("figcaption", "all"), "caption": ("caption", "all"),
}  # fmt: skip
ALIGN = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right",
         "both": "justify", "distribute": "justify"}  # fmt: skip
# Word's border kinds as CSS border styles (the others, e.g. "wave", drawn solid)
BORDERS = {"single": "solid", "thick": "solid", "double": "double", "dotted": "dotted",
           "dashed": "dashed", "dashSmallGap": "dashed", "dotDash": "dashed",
           "dotDotDash": "dotted", "triple": "double", "none": "none", "nil": "none"}  # fmt: skip
SIDES = (("top", "top"), ("right", "right"), ("bottom", "bottom"), ("left", "left"),
         ("end", "right"), ("start", "left"))  # fmt: skip
TWIP = 1 / 20  # points


def word_css(templates: Path, kind: str = "") -> str:
    """CSS from templates/reference.docx: each carried style's font, size, colour, weight,
    slant, caps, letter spacing, alignment, spacing before and after, line spacing, indents,
    borders, shading and keep-with-next, and the page's size and margins ('' without it).

    The fonts are named as theme.css's @font-face names the shipped files (Noto Serif is
    "Brief Serif"), so the PDF keeps embedding the brief's own fonts. A kind whose page
    theme.css sets apart (the meeting note's smaller type) scales sizes and spacing as the
    DOCX writer does.
    """
    reference = templates / "reference.docx"
    try:
        stamp = reference.stat().st_mtime_ns
    except OSError:
        return ""
    page = kind_page(templates / "theme.css", kind) if kind else KindPage()
    return _word_css(reference, stamp, _font_names(templates), page)


@lru_cache(maxsize=8)
def _word_css(
    reference: Path, stamp: int, fonts: tuple[tuple[str, str], ...], page: KindPage
) -> str:
    try:
        with zipfile.ZipFile(reference) as z:
            styles = etree.fromstring(z.read("word/styles.xml"))
            document = etree.fromstring(z.read("word/document.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return ""  # a broken reference.docx: brief check and the DOCX writer report it
    by_name = {}
    for style in styles.iter(f"{W}style"):
        name = style.find(f"{W}name")
        if name is not None:
            by_name[name.get(f"{W}val", "").casefold()] = style  # Word keeps "heading 1"
    names = dict(fonts)
    rules = []
    for selector, (key, part) in CARRIED.items():
        style = by_name.get(PARAGRAPH_STYLES.get(key, key).casefold())
        if style is None:
            continue
        declarations = _declarations(style, names, part, page)
        if declarations:
            rules.append(f"{selector} {{ {'; '.join(declarations)}; }}")
    sheet = _page(document)
    return "\n".join(([sheet] if sheet else []) + rules) + "\n"


def _val(node, tag: str) -> str | None:
    found = node.find(tag)
    return None if found is None else found.get(f"{W}val", "true")


def _on(value: str | None) -> bool | None:
    return None if value is None else value not in ("0", "false", "off")


def _declarations(style, fonts: dict[str, str], part: str, page: KindPage) -> list[str]:
    """The CSS of one Word style's own settings (nothing it inherits): all of them, the
    type and spacing only ("text", "cell": no margins in a table cell), or the box only."""
    p_pr = style.find(f"{W}pPr")
    if part == "box":
        return _box(p_pr, p_pr.find(f"{W}ind") if p_pr is not None else None)
    out = []
    r_pr = style.find(f"{W}rPr")
    if r_pr is not None:
        face = r_pr.find(f"{W}rFonts")
        name = face.get(f"{W}ascii") if face is not None else None
        if name in fonts:
            out.append(f'font-family: "{fonts[name]}"')
        size = _val(r_pr, f"{W}sz")
        if size and size.isdigit():  # half-points, scaled as the DOCX writer scales them
            # (the house size itself is not: body.<kind> scales what inherits it)
            scale = 1.0 if part == "root" else page.scale
            out.append(f"font-size: {max(2, round(int(size) * scale)) / 2:g}pt")
        colour = _val(r_pr, f"{W}color")
        if colour and re.fullmatch(r"[0-9A-Fa-f]{6}", colour):
            out.append(f"color: #{colour.lower()}")
        bold = _on(_val(r_pr, f"{W}b"))
        if bold is not None:
            out.append(f"font-weight: {'bold' if bold else 'normal'}")
        italic = _on(_val(r_pr, f"{W}i"))
        if italic is not None:
            out.append(f"font-style: {'italic' if italic else 'normal'}")
        caps = _on(_val(r_pr, f"{W}caps"))
        if caps is not None:
            out.append(f"text-transform: {'uppercase' if caps else 'none'}")
        tracking = _twips(r_pr.find(f"{W}spacing"), "val")
        if tracking is not None:
            out.append(f"letter-spacing: {tracking:g}pt")
    if p_pr is not None:
        align = ALIGN.get(_val(p_pr, f"{W}jc") or "")
        if align:
            out.append(f"text-align: {align}")
        keep = _on(_val(p_pr, f"{W}keepNext"))
        if keep:
            out.append("break-after: avoid")
        out += _spacing(p_pr.find(f"{W}spacing"), page, margins=part not in ("cell", "root"))
        if part == "all":
            out += _box(p_pr, p_pr.find(f"{W}ind"))
    return out


def _twips(node, name: str) -> float | None:
    """An attribute in twentieths of a point, in points (None when absent or not a number)."""
    value = None if node is None else node.get(f"{W}{name}")
    return int(value) * TWIP if value and value.lstrip("-").isdigit() else None


def _spacing(spacing, page: KindPage, margins: bool) -> list[str]:
    """Space before and after a paragraph (when it has `margins`), and its line spacing."""
    if spacing is None:
        return []
    out = []
    for side, attribute in (("top", "before"), ("bottom", "after")):
        points = _twips(spacing, attribute)
        if points is not None and margins:
            points = round(max(points, 0) * page.scale * page.scale, 2)
            out.append(f"margin-{side}: {points:g}pt")
    line = spacing.get(f"{W}line")
    if line and line.isdigit():
        rule = spacing.get(f"{W}lineRule", "auto")
        if rule == "auto" and page.line_height:  # the kind's own line height
            out.append(f"line-height: {page.line_height:g}")
        elif rule == "auto":  # a multiple of the font's single line
            out.append(f"line-height: {int(line) / 240 * SINGLE_LINE:.3g}")
        else:  # exact or at least: a height in twips
            out.append(f"line-height: {int(line) * TWIP:g}pt")
    return out


def _box(p_pr, indents=None) -> list[str]:
    """A paragraph's borders, shading and indents as a CSS box.

    Word draws a side's border `space` points from the text, the text staying at its
    indent; CSS puts the border at the margin's edge and the padding inside it.
    """
    if p_pr is None:
        return []
    out = []
    borders = p_pr.find(f"{W}pBdr")
    drawn: dict[str, float] = {}
    if borders is not None:
        for tag, side in SIDES:
            border = borders.find(f"{W}{tag}")
            if border is None or side in drawn:
                continue
            kind = BORDERS.get(border.get(f"{W}val", ""), "solid")
            size = border.get(f"{W}sz", "4")
            width = int(size) / 8 if size.isdigit() else 0.5  # eighths of a point
            space = border.get(f"{W}space", "0")
            padding = float(space) if space.isdigit() else 0.0
            colour = border.get(f"{W}color", "auto")
            colour = f"#{colour.lower()}" if re.fullmatch(r"[0-9A-Fa-f]{6}", colour) else "black"
            if kind == "none":
                out.append(f"border-{side}: none")
                continue
            out.append(f"border-{side}: {width:g}pt {kind} {colour}")
            out.append(f"padding-{side}: {padding:g}pt")
            drawn[side] = width + padding
    shading = p_pr.find(f"{W}shd")
    fill = shading.get(f"{W}fill", "auto") if shading is not None else "auto"
    if re.fullmatch(r"[0-9A-Fa-f]{6}", fill):
        out.append(f"background-color: #{fill.lower()}")
    if indents is not None:
        out += _indents(indents, drawn)
    return out


def _indents(ind, drawn: dict[str, float]) -> list[str]:
    """Left and right indents, the first line's indent or hanging indent."""
    out = []
    for names, side in ((("left", "start"), "left"), (("right", "end"), "right")):
        points = next((p for n in names if (p := _twips(ind, n)) is not None), None)
        if points is not None:
            out.append(f"margin-{side}: {max(points - drawn.get(side, 0), 0):g}pt")
    first, hanging = _twips(ind, "firstLine"), _twips(ind, "hanging")
    if hanging is not None:
        out.append(f"text-indent: {-hanging:g}pt")
    elif first is not None:
        out.append(f"text-indent: {first:g}pt")
    return out


def _page(document) -> str:
    """The page's size and margins of the reference document's section, as @page."""
    section = document.find(f"{W}body/{W}sectPr")
    if section is None:
        return ""
    parts = []
    size = section.find(f"{W}pgSz")
    if size is not None and size.get(f"{W}w") and size.get(f"{W}h"):
        width, height = (int(size.get(f"{W}{k}")) * TWIP for k in ("w", "h"))
        parts.append(f"size: {width:g}pt {height:g}pt")
    margins = section.find(f"{W}pgMar")
    if margins is not None:
        sides = [margins.get(f"{W}{k}") for k in ("top", "right", "bottom", "left")]
        if all(s and s.lstrip("-").isdigit() for s in sides):
            parts.append("margin: " + " ".join(f"{int(s) * TWIP:g}pt" for s in sides))
    return f"@page {{ {'; '.join(parts)}; }}" if parts else ""


def _font_names(templates: Path) -> tuple[tuple[str, str], ...]:
    """Word's font name (the file's own family, as Word names it) → the @font-face family
    theme.css gives that file ("Noto Serif" → "Brief Serif")."""
    try:
        css = (templates / "theme.css").read_text(encoding="utf-8")
    except OSError:
        return ()
    named = families(templates / "fonts")
    found: dict[str, str] = {}
    for family, src in re.findall(
        r'@font-face\s*{[^}]*font-family:\s*"([^"]+)"[^}]*src:\s*url\(([^)]+)\)', css
    ):
        word = named.get(Path(src.strip("'\" ")).name)
        if word:
            found.setdefault(word, family)
    return tuple(sorted(found.items()))
