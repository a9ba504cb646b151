"""HTML writer: the rendered brief, standalone, with the theme and images inlined (preview,
e-mail body)."""

from __future__ import annotations

import re
from pathlib import Path

import tinycss2
from lxml import etree

from generator.render.brief import RenderedBrief
from generator.writers.preflight import require_document
from generator.writers.resources import css_references, data_uri, load, stylesheet
from generator.writers.wordstyles import word_css

_FONT_FACE = re.compile(r"@font-face\s*{[^}]*}\s*", re.S)
_PAGE = re.compile(r"@page\s*{(?:[^{}]|{[^{}]*})*}\s*", re.S)

SCREEN_CSS = """
body { max-width: 48em; margin: 2em auto; padding: 0 1.5em; }
html { font-family: "Noto Serif", "DejaVu Serif", Georgia, serif; }
h1, h2, h3, table, .title-block .office, .title-block .marking, .title-block .subtitle,
figcaption, sup.cite { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
"""


def inline_urls(templates: Path, sheet: Path, css: str) -> str:
    """The stylesheet with each url() replaced by the data: URI of its file under templates/."""
    if not css_references(css):
        return css
    nodes = tinycss2.parse_stylesheet(css)

    def rewrite(items) -> None:
        for i, node in enumerate(items or ()):
            reference = None
            if node.type == "url":
                reference = node.value
            elif node.type == "function" and node.lower_name in ("url", "src"):
                strings = [a for a in node.arguments if a.type == "string"]
                reference = strings[0].value if strings else None
            if reference is not None:
                uri = data_uri(load(templates, reference, "url()", base=sheet.parent))
                items[i] = tinycss2.ast.URLToken(
                    node.source_line, node.source_column, uri, f"url({uri})"
                )
                continue
            for part in ("prelude", "content", "arguments"):
                inner = getattr(node, part, None)
                if isinstance(inner, list):
                    rewrite(inner)

    rewrite(nodes)
    return tinycss2.serialize(nodes)


def write(brief: RenderedBrief) -> bytes:
    """The HTML with theme.css and Word's styles (without fonts and print-only rules) and
    images inlined."""
    require_document(brief)
    templates = brief.templates
    root = etree.fromstring(etree.tostring(brief.document.root))  # a copy we may change
    # Word's named styles follow the (first) stylesheet, as in the PDF
    word = word_css(templates.resolve(), brief.document.meta("brief:kind"))
    for link in list(root.iter("link")):
        href = link.get("href", "")
        if "stylesheet" not in (link.get("rel") or "").lower().split():
            link.set("href", data_uri(load(templates, href, "linked file")))
            continue
        sheet, css = stylesheet(templates, href)
        css, word = css + "\n" + word, ""
        css = _PAGE.sub("", _FONT_FACE.sub("", css)).replace('"Brief Serif"', '"Noto Serif"')
        css = inline_urls(templates, sheet, css.replace('"Brief Sans"', '"Noto Sans"'))
        style = etree.Element("style")
        # a stylesheet cannot end the <style> element early and add markup of its own
        style.text = "\n" + (css + SCREEN_CSS).replace("</", "<\\/")
        link.getparent().replace(link, style)
    for img in root.iter("img"):
        src = img.get("src", "")
        if not src.strip().lower().startswith("data:"):
            img.set("src", data_uri(load(templates, src, "image")))
    text = etree.tostring(root, method="html", encoding="unicode")
    return ("<!DOCTYPE html>\n" + text + "\n").encode("utf-8")
