"""The rendered HTML is the document model: parse it and hold it to a small vocabulary."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

from .errors import Finding, InputErrors

# element → attributes it may carry. Every writer supports all of this, nothing else.
VOCABULARY: dict[str, set[str]] = {
    "html": {"lang"},
    "head": set(),
    "meta": {"charset", "name", "content"},
    "title": set(),
    "link": {"rel", "href"},
    "body": {"class"},
    "header": {"class"},
    "section": {"id", "class"},
    "div": {"class"},
    "aside": {"class"},
    "h1": {"id", "class"},
    "h2": {"id", "class"},
    "h3": {"id", "class"},
    "p": {"class"},
    "strong": set(),
    "em": set(),
    "b": set(),
    "i": set(),
    "a": {"href", "id"},
    "sup": {"class"},
    "sub": set(),
    "span": {"class", "lang"},
    "br": set(),
    "ul": {"class"},
    "ol": {"class", "start"},
    "li": {"id", "class"},
    "table": {"class"},
    "caption": set(),
    "thead": set(),
    "tbody": set(),
    "tr": set(),
    "th": {"class", "colspan", "scope"},
    "td": {"class", "colspan"},
    "figure": {"class"},
    "img": {"src", "alt", "class", "width", "height"},
    "figcaption": set(),
    "blockquote": {"class"},
    "hr": {"class"},
}


@dataclass(frozen=True)
class Document:
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


def parse(html: str) -> Document:
    """Parse rendered HTML into a tree (whitespace-only text between blocks is kept)."""
    root = lxml.html.document_fromstring(
        html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8")
    )
    return Document(html, root)


WRITER_ELEMENTS = sorted(set(VOCABULARY) - {"html", "head", "body", "meta", "title", "link"})


def element_problem(path: str, line: int | None, tag: str) -> Finding:
    """The finding for an element outside the vocabulary (the same in check and build)."""
    return Finding(
        path,
        line,
        None,
        "error",
        "html-element",
        f"the element <{tag}> is not supported in briefs",
        "use one of: " + ", ".join(WRITER_ELEMENTS),
    )


def attribute_problem(path: str, line: int | None, tag: str, attr: str) -> Finding:
    """The finding for an attribute outside the vocabulary (the same in check and build)."""
    allowed = ", ".join(sorted(VOCABULARY[tag])) or "none"
    return Finding(
        path,
        line,
        None,
        "error",
        "html-attribute",
        f"the attribute '{attr}' is not supported on <{tag}>",
        f"attributes allowed on <{tag}>: {allowed}; styling belongs in theme.css "
        "and reference.docx",
    )


def check_vocabulary(doc: Document, templates: Path, template: str) -> None:
    """Reject elements or attributes outside the vocabulary, naming where they come from.

    The rendered HTML says what is wrong; the templates' markup (read as `brief check`
    reads it) says where it is written, the kind's own template first.
    """
    wrong: list[Finding] = []
    for node in doc.root.iter():
        if not isinstance(node.tag, str):
            continue  # comments and processing instructions
        tag = node.tag.lower()
        if tag not in VOCABULARY:
            wrong.append(element_problem(f"templates/{template}", None, tag))
            continue
        wrong += [
            attribute_problem(f"templates/{template}", None, tag, attr)
            for attr in node.attrib
            if attr not in VOCABULARY[tag]
        ]
    if not wrong:
        return
    from .checks.templates import markup_findings

    written = markup_findings(templates, first=template)
    located: dict[str, Finding] = {}
    for problem in wrong:
        if problem.message not in located:
            located[problem.message] = next(
                (f for f in written if f.message == problem.message), problem
            )
    raise InputErrors(list(located.values()))


def text_of(node: etree._Element) -> str:
    """The text content of an element with whitespace collapsed."""
    return " ".join("".join(node.itertext()).split())
