"""The rendered HTML is the document model: a parsed brief every writer reads."""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html
from lxml import etree


@dataclass(frozen=True)
class BriefDocument:
    """A parsed brief: the HTML text and its element tree."""

    html: str
    root: etree._Element

    @property
    def lang(self) -> str:
        return self.root.get("lang", "")

    @property
    def title(self) -> str:
        node = self.root.find("head/title")
        return (node.text or "").strip() if node is not None else ""

    def meta(self, name: str, default: str = "") -> str:
        """The content of <meta name=...> in the head."""
        for node in self.root.iterfind("head/meta"):
            if node.get("name") == name:
                return node.get("content", default)
        return default

    @property
    def body(self) -> etree._Element:
        return self.root.find("body")


def parse(html: str) -> BriefDocument:
    """Parse rendered HTML into a tree (whitespace-only text between blocks is kept)."""
    try:
        root = lxml.html.document_fromstring(
            html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8")
        )
    except etree.ParserError:  # no element at all: an empty page (the writers say so, located)
        root = etree.Element("html")
    return BriefDocument(html, root)


def text_of(node: etree._Element) -> str:
    """The text content of an element with whitespace collapsed."""
    return " ".join("".join(node.itertext()).split())
