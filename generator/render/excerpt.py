"""The part of a brief an e-mail quotes: its summary section, as HTML and as plain text."""

from __future__ import annotations

import copy

from lxml import etree
from markupsafe import Markup

from generator.render.document import BriefDocument
from generator.render.typography import unhyphenated

HEADINGS = ("h1", "h2", "h3")


def excerpt(document: BriefDocument) -> etree._Element | None:
    """The brief's #summary section (else its first section), without citation markers.

    Citation markers and internal links point into the brief, which the e-mail does not
    contain; figures point to files. The attached brief keeps all of them.
    """
    body = document.body
    if body is None:  # a page cut short: the writers report it
        return None
    found = body.xpath(".//section[@id='summary']")
    if not found:
        found = [s for s in body.iterchildren("section") if s.get("id") != "sources"][:1]
    if not found:
        return None
    section = copy.deepcopy(found[0])
    for node in section.xpath(
        ".//sup[contains(concat(' ', @class, ' '), ' cite ')] | .//figure | .//img"
    ):
        node.drop_tree()
    for link in section.xpath(".//a[starts-with(@href, '#') or not(@href)]"):
        link.drop_tag()
    unhyphenated(section)
    return section


def as_html(section: etree._Element | None) -> Markup:
    """The excerpt as HTML to place in the e-mail's HTML body."""
    if section is None:
        return Markup("")
    return Markup(etree.tostring(section, method="html", encoding="unicode").strip())


def as_text(section: etree._Element | None) -> str:
    """The excerpt as plain text: headings, paragraphs, list items and table rows on lines.

    >>> import lxml.html
    >>> print(as_text(lxml.html.fragment_fromstring(
    ...     "<section><h2>Summary</h2><p>One <em>two</em>.</p><ul><li>a</li><li>b</li></ul>"
    ...     "</section>")))
    Summary
    <BLANKLINE>
    One two.
    <BLANKLINE>
    - a
    - b
    """
    if section is None:
        return ""
    blocks: list[str] = []
    _blocks(section, blocks, "")
    return "\n\n".join(b for b in blocks if b.strip())


def _blocks(node: etree._Element, out: list[str], indent: str) -> None:
    if node.text and node.text.strip():
        out.append(indent + _inline(node, text_only=True))
    for child in node:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in HEADINGS or tag in ("p", "caption", "figcaption"):
            out.append(indent + _inline(child))
        elif tag in ("ul", "ol"):
            out.append("\n".join(_items(child, indent)))
        elif tag == "table":
            caption = child.find("caption")
            if caption is not None:
                out.append(indent + _inline(caption))
            out.append(
                "\n".join(
                    indent + " | ".join(_inline(c) for c in row if c.tag in ("th", "td"))
                    for row in child.iter("tr")
                )
            )
        elif tag == "blockquote":
            quoted: list[str] = []
            _blocks(child, quoted, "")
            out.append("\n".join(indent + "> " + line for b in quoted for line in b.split("\n")))
        elif tag == "hr":
            continue
        elif tag:
            _blocks(child, out, indent)
        if child.tail and child.tail.strip():
            out.append(indent + " ".join(child.tail.split()))


def _items(listing: etree._Element, indent: str) -> list[str]:
    lines = []
    start = int(listing.get("start", "1")) if (listing.get("start") or "1").isdigit() else 1
    for n, item in enumerate(listing.iterchildren("li"), start):
        mark = f"{n}." if listing.tag == "ol" else "-"
        nested = [c for c in item if c.tag in ("ul", "ol")]
        own = copy.deepcopy(item)
        for sub in own.iterchildren("ul", "ol"):
            sub.drop_tree()
        lines.append(f"{indent}{mark} {_inline(own)}")
        for sub in nested:
            lines.extend(_items(sub, indent + "  "))
    return lines


def _inline(node: etree._Element, text_only: bool = False) -> str:
    """The text of an element on one line; <br> starts a new line."""
    if text_only:
        raw = node.text or ""
    else:
        node = copy.deepcopy(node)
        for br in node.iter("br"):
            br.tail = "\n" + (br.tail or "")
        raw = "".join(node.itertext())
    return "\n".join(" ".join(line.split()) for line in raw.split("\n")).strip()
