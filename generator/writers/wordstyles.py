"""The look of reference.docx's named styles as CSS for the PDF: restyle a heading once, in
Word, and both formats follow. theme.css keeps what only layout needs (the fact box, the
table rules, the meeting note's tighter page); what a Word style sets wins over it."""

from __future__ import annotations

import re
import zipfile
from functools import lru_cache
from pathlib import Path

from lxml import etree

from generator.writers.fonts import families
from generator.writers.styles import PARAGRAPH_STYLES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# the HTML blocks whose Word style carries over (lists and the running head are Word's own)
CARRIED = ("h1", "h2", "h3", "p", "p.note", "p.office", "p.marking", "p.subtitle",
           "p.attribution", "blockquote", "th", "td", "figcaption", "caption")  # fmt: skip
ALIGN = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right",
         "both": "justify", "distribute": "justify"}  # fmt: skip
TWIP = 1 / 20  # points


def word_css(templates: Path) -> str:
    """CSS from templates/reference.docx: each carried style's font, size, colour, weight,
    slant and alignment, and the page's size and margins ('' without the file).

    The fonts are named as theme.css's @font-face names the shipped files (Noto Serif is
    "Brief Serif"), so the PDF keeps embedding the brief's own fonts.
    """
    reference = templates / "reference.docx"
    try:
        stamp = reference.stat().st_mtime_ns
    except OSError:
        return ""
    return _word_css(reference, stamp, _font_names(templates))


@lru_cache(maxsize=4)
def _word_css(reference: Path, stamp: int, fonts: tuple[tuple[str, str], ...]) -> str:
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
    for key in CARRIED:
        style = by_name.get(PARAGRAPH_STYLES.get(key, "").casefold())
        if style is None:
            continue
        declarations = _declarations(style, names, sized=key != "p")
        if declarations:
            rules.append(f"{key} {{ {'; '.join(declarations)}; }}")
    page = _page(document)
    return "\n".join(([page] if page else []) + rules) + "\n"


def _val(node, tag: str) -> str | None:
    found = node.find(tag)
    return None if found is None else found.get(f"{W}val", "true")


def _on(value: str | None) -> bool | None:
    return None if value is None else value not in ("0", "false", "off")


def _declarations(style, fonts: dict[str, str], sized: bool) -> list[str]:
    """The CSS of one Word style's own settings (nothing it inherits)."""
    out = []
    r_pr = style.find(f"{W}rPr")
    if r_pr is not None:
        face = r_pr.find(f"{W}rFonts")
        name = face.get(f"{W}ascii") if face is not None else None
        if name in fonts:
            out.append(f'font-family: "{fonts[name]}"')
        size = _val(r_pr, f"{W}sz")
        if sized and size and size.isdigit():
            out.append(f"font-size: {int(size) / 2:g}pt")
        colour = _val(r_pr, f"{W}color")
        if colour and re.fullmatch(r"[0-9A-Fa-f]{6}", colour):
            out.append(f"color: #{colour.lower()}")
        bold = _on(_val(r_pr, f"{W}b"))
        if bold is not None:
            out.append(f"font-weight: {'bold' if bold else 'normal'}")
        italic = _on(_val(r_pr, f"{W}i"))
        if italic is not None:
            out.append(f"font-style: {'italic' if italic else 'normal'}")
        if _on(_val(r_pr, f"{W}caps")):
            out.append("text-transform: uppercase")
    p_pr = style.find(f"{W}pPr")
    if p_pr is not None:
        align = ALIGN.get(_val(p_pr, f"{W}jc") or "")
        if align:
            out.append(f"text-align: {align}")
        keep = _on(_val(p_pr, f"{W}keepNext"))
        if keep:
            out.append("break-after: avoid")
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
