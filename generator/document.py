"""The rendered HTML is the document model: parse it and hold it to a small vocabulary."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

from .errors import BriefError, Finding, InputErrors

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

_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")


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


def check_vocabulary(doc: Document, templates: Path, template: str) -> None:
    """Reject elements or attributes outside the vocabulary, naming where they come from."""
    problems: list[Finding] = []
    seen: set[tuple[str, str | None]] = set()
    for node in doc.root.iter():
        if not isinstance(node.tag, str):
            continue  # comments and processing instructions
        tag = node.tag.lower()
        if tag not in VOCABULARY:
            if (tag, None) not in seen:
                seen.add((tag, None))
                path, line = locate_tag(templates, template, tag)
                problems.append(
                    Finding(
                        path,
                        line,
                        None,
                        "error",
                        "html-element",
                        f"the element <{tag}> is not supported in briefs",
                        "use one of: "
                        + ", ".join(
                            sorted(
                                set(VOCABULARY) - {"html", "head", "body", "meta", "title", "link"}
                            )
                        ),
                    )
                )
            continue
        for attr in node.attrib:
            if attr not in VOCABULARY[tag] and (tag, attr) not in seen:
                seen.add((tag, attr))
                path, line = locate_tag(templates, template, tag, attr)
                allowed = ", ".join(sorted(VOCABULARY[tag])) or "none"
                problems.append(
                    Finding(
                        path,
                        line,
                        None,
                        "error",
                        "html-attribute",
                        f"the attribute '{attr}' is not supported on <{tag}>",
                        f"attributes allowed on <{tag}>: {allowed}; styling belongs in theme.css "
                        "and reference.docx",
                    )
                )
    if problems:
        raise InputErrors(problems)


def template_tags(source: str) -> list[tuple[int, str, str]]:
    """(line, tag, text of the tag's opening) for every HTML tag written in a template source."""
    out = []
    for m in _TAG.finditer(source):
        if m.group(1):
            continue
        line = source.count("\n", 0, m.start()) + 1
        end = source.find(">", m.end())
        out.append((line, m.group(2).lower(), source[m.start() : end + 1 if end >= 0 else None]))
    return out


def locate_tag(
    templates: Path, template: str, tag: str, attr: str | None = None
) -> tuple[str, int | None]:
    """The template file and line where a tag (with an attribute) is written."""
    candidates = sorted(templates.rglob("*.html"))
    first = templates / template
    if first in candidates:
        candidates.remove(first)
        candidates.insert(0, first)
    for path in candidates:
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for line, name, text in template_tags(source):
            if name == tag and (attr is None or re.search(rf"\s{re.escape(attr)}\s*=?", text)):
                return f"templates/{path.relative_to(templates).as_posix()}", line
    return f"templates/{template}", None


def text_of(node: etree._Element) -> str:
    """The text content of an element with whitespace collapsed."""
    return " ".join("".join(node.itertext()).split())


def require_vocabulary_element(tag: str) -> None:
    """Raise if a writer is asked for an element outside the vocabulary (a bug guard)."""
    if tag not in VOCABULARY:
        raise BriefError(f"unsupported element <{tag}>", code="html-element")
