"""HTML writer: the rendered brief, standalone, with the theme inlined (preview, e-mail body)."""

from __future__ import annotations

import re

from lxml import etree

from generator.render.brief import RenderedBrief
from generator.writers.resources import require_template_file

_FONT_FACE = re.compile(r"@font-face\s*{[^}]*}\s*", re.S)
_PAGE = re.compile(r"@page\s*{(?:[^{}]|{[^{}]*})*}\s*", re.S)

SCREEN_CSS = """
body { max-width: 48em; margin: 2em auto; padding: 0 1.5em; }
html { font-family: "Noto Serif", "DejaVu Serif", Georgia, serif; }
h1, h2, h3, table, .title-block .office, .title-block .marking, .title-block .subtitle,
figcaption, sup.cite { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
"""


def write(brief: RenderedBrief) -> bytes:
    """The HTML with theme.css inlined (without fonts and print-only rules)."""
    root = etree.fromstring(etree.tostring(brief.document.root))  # a copy we may change
    head = root.find("head")
    for link in head.findall("link"):
        if link.get("rel") == "stylesheet":
            sheet = require_template_file(brief.templates, link.get("href", ""), "stylesheet")
            css = sheet.read_text(encoding="utf-8")
            css = _PAGE.sub("", _FONT_FACE.sub("", css)).replace('"Brief Serif"', '"Noto Serif"')
            css = css.replace('"Brief Sans"', '"Noto Sans"')
            style = etree.SubElement(head, "style")
            style.text = "\n" + css + SCREEN_CSS
            head.replace(link, style)
    text = etree.tostring(root, method="html", encoding="unicode")
    return ("<!DOCTYPE html>\n" + text + "\n").encode("utf-8")
