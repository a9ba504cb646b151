"""The document vocabulary: the elements and attributes every writer supports, and where a
template writes anything else (read from the template's markup outside the Jinja tags)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import jinja2

from generator.errors import BriefError, Finding, InputErrors
from generator.facts.files import TEXT_LIMIT, read_text
from generator.render.document import BriefDocument
from generator.render.environment import JINJA_OPTIONS

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
    "p": {"id", "class"},
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

WRITER_ELEMENTS = sorted(set(VOCABULARY) - {"html", "head", "body", "meta", "title", "link"})
HTML_SUFFIXES = (".html", ".htm")
_HOLE = "\ue000"  # stands for a {{ value }} inside the markup
_TAG = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTR = re.compile(r"([^\s=>/\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>\"']+))?")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


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


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # shown as \xNN: a message stays one line
# where a link in a brief may go: a part of the brief itself, a web or an e-mail address
LINK_PREFIXES = ("#", "https://", "http://", "mailto:")


def link_allowed(href: str) -> bool:
    """Whether a link goes to a web or e-mail address, or within the brief.

    >>> [link_allowed(h) for h in ("https://mfa.kz", "#src-1", "javascript:alert(1)", "x.html")]
    [True, True, False, False]
    """
    return href.strip().lower().startswith(LINK_PREFIXES)


def _may_become_allowed(prefix: str) -> bool:
    """Whether a link whose text starts with `prefix` (then a {{ value }}) may be allowed."""
    prefix = prefix.strip().lower()
    return any(p.startswith(prefix) or prefix.startswith(p) for p in LINK_PREFIXES)


def link_problem(path: str, line: int | None, href: str) -> Finding:
    """The finding for a link that is not a web or e-mail address (the same in check and build)."""
    shown = href if len(href) <= 60 else href[:57] + "..."
    shown = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", shown)
    return Finding(
        path,
        line,
        None,
        "error",
        "link-scheme",
        f"the link '{shown}' is not a web or e-mail address",
        "links in briefs go to https://, http:// or mailto: addresses, or to a part of the "
        "brief (#id); a reader's program must not run or open anything else",
    )


def markup_problems(name: str, source: str, env: jinja2.Environment) -> list[Finding]:
    """Elements and attributes written in one HTML template, outside the Jinja tags."""
    if not name.endswith(HTML_SUFFIXES):
        return []
    path = f"templates/{name}"
    try:
        tokens = list(env.lex(source, name))
    except jinja2.TemplateSyntaxError:
        return []  # reported by the parse
    skeleton: list[str] = []
    starts: list[tuple[int, int, str]] = []  # (offset, line, text) of each piece of markup
    offset = 0
    for lineno, kind, value in tokens:
        piece = value if kind == "data" else (_HOLE if kind == "variable_begin" else "")
        if piece:
            starts.append((offset, lineno, piece))
            skeleton.append(piece)
            offset += len(piece)
    text = "".join(skeleton)
    text = _HTML_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)

    def line_at(pos: int) -> int:
        line = 1
        for start, lineno, piece in starts:
            if start > pos:
                break
            line = lineno + piece.count("\n", 0, pos - start)
        return line

    out: list[Finding] = []
    for m in _TAG.finditer(text):
        tag = m.group(1).lower()
        line = line_at(m.start())
        if tag not in VOCABULARY:
            out.append(element_problem(path, line, tag))
            continue
        for a in _ATTR.finditer(m.group(2)):
            attr = a.group(1).lower()
            if tag == "a" and attr == "href" and a.group(2) is not None:
                href = html.unescape(a.group(2).strip("\"'"))
                allowed = (
                    _may_become_allowed(href.split(_HOLE)[0]) if _HOLE in href
                    else link_allowed(href)
                )  # fmt: skip
                if not allowed:
                    where = line_at(m.start(2) + a.start())
                    out.append(link_problem(path, where, href.replace(_HOLE, "{{ … }}")))
            if _HOLE in attr or attr in VOCABULARY[tag]:
                continue
            out.append(attribute_problem(path, line_at(m.start(2) + a.start()), tag, attr))
    return out


def written_problems(templates: Path, first: str | None = None) -> list[Finding]:
    """Elements and attributes outside the vocabulary in every HTML template, `first`'s first.

    Only the lexer is needed (no catalogs), so this also works when they are broken.
    """
    env = jinja2.Environment(**JINJA_OPTIONS)
    names = sorted(
        p.relative_to(templates).as_posix()
        for p in templates.rglob("*")
        if p.suffix in HTML_SUFFIXES and p.is_file()
    )
    out: list[Finding] = []
    for name in sorted(names, key=lambda n: (n != first, n)):
        try:
            source = read_text(templates / name, limit=TEXT_LIMIT)
        except BriefError:  # reported where the template is read
            continue
        out += markup_problems(name, source, env)
    return out


def check_vocabulary(doc: BriefDocument, templates: Path, template: str) -> None:
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
        if tag == "a" and node.get("href") is not None and not link_allowed(node.get("href", "")):
            wrong.append(link_problem(f"templates/{template}", None, node.get("href", "")))
    if not wrong:
        return
    written = written_problems(templates, first=template)
    located: dict[str, Finding] = {}
    for problem in wrong:
        if problem.message not in located:
            located[problem.message] = next(
                (f for f in written if f.message == problem.message), problem
            )
    raise InputErrors(list(located.values()))
