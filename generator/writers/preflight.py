"""The rendered brief before any writer: every src, href and stylesheet url() held to the one
resource policy, images every writer can show, links to web and e-mail addresses only, a
page with a <body>. Each problem is located where the templates write it; `brief check`
reports the same problems the writers refuse."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import BriefError, Finding, InputErrors
from generator.render.vocabulary import link_allowed, link_problem
from generator.writers.images import image_type
from generator.writers.resources import (
    SIZE_LIMIT,
    data_resource,
    load,
    refused,
    stylesheet,
    stylesheet_problems,
)

if TYPE_CHECKING:
    from generator.render.brief import RenderedBrief

_URI_END = re.compile(r"[\"'\s>]")
_VALUE_START = re.compile(r"=\s*([\"'])([^\"'{}<>]*)(?={[{%])")  # value="start{{ … or {% …
_IMG_WITHOUT_SRC = re.compile(r"<img\b(?![^>]*\bsrc\s*=)[^>]*>", re.I)
_EXTENDS = re.compile(r"{%-?\s*extends\s+[\"']([^\"']+)[\"']")


def _long_data_uris(text: str) -> Iterator[str]:
    """data: URIs longer than the limit, read from the HTML text (the HTML parser silently
    cuts attributes past 10 MB)."""
    start = text.find("data:")
    while start != -1:
        end = _URI_END.search(text, start)
        stop = end.start() if end else len(text)
        if stop - start > SIZE_LIMIT:
            yield text[start:stop]
        start = text.find("data:", stop)


def _template_texts(templates: Path, first: str | None) -> Iterator[tuple[str, str]]:
    files = sorted(
        p.relative_to(templates).as_posix()
        for p in templates.rglob("*")
        if p.suffix in (".html", ".htm", ".css", ".txt") and p.is_file()
    )
    for name in sorted(files, key=lambda n: (n != first, n)):
        try:
            yield name, (templates / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue


def _locate(templates: Path, value: str, first: str | None) -> tuple[str, int | None]:
    """The template and line where an attribute's value is written, in quotes (the kind's
    template first; a long value by its start); else where a value that starts the same
    continues with a {{ }} or {% %} tag."""
    whole = len(value) <= 200
    value = value[:200]
    forms = dict.fromkeys([value, html.escape(value), html.escape(value, quote=False)])
    quoted = [q + form + (q if whole else "") for form in forms for q in "\"'"]
    texts = list(_template_texts(templates, first)) if value.strip() else []
    for name, text in texts:
        for form in quoted:
            at = text.find(form)
            if at != -1:
                return f"templates/{name}", text.count("\n", 0, at) + 1
    best: tuple[int, str, int] | None = None
    for name, text in texts:
        for m in _VALUE_START.finditer(text):
            start = html.unescape(m.group(2))
            if start and value.startswith(start) and (best is None or len(start) > best[0]):
                best = (len(start), f"templates/{name}", text.count("\n", 0, m.start()) + 1)
    if best is not None:
        return best[1], best[2]
    return (f"templates/{first}" if first else "templates"), None


def _locate_pattern(
    templates: Path, pattern: re.Pattern, first: str | None
) -> tuple[str, int | None]:
    """The template and line of the first match of a pattern (the kind's template first)."""
    for name, text in _template_texts(templates, first):
        m = pattern.search(text)
        if m:
            return f"templates/{name}", text.count("\n", 0, m.start()) + 1
    return (f"templates/{first}" if first else "templates"), None


def kind_template(brief: RenderedBrief) -> str | None:
    """The template of the brief's kind (from its <meta name="brief:kind">), if it exists."""
    kind = brief.document.meta("brief:kind")
    found = kind and (brief.templates / "kinds" / f"{kind}.html").is_file()
    return f"kinds/{kind}.html" if found else None


def where_written(brief: RenderedBrief, needle: str) -> tuple[str, int | None]:
    """The template and line where a value of the brief is written (the kind's first)."""
    return _locate(brief.templates, needle, kind_template(brief))


def _layout(templates: Path, first: str | None) -> tuple[str, int | None]:
    """The template a brief's page comes from (the layout its kind extends), at its last line."""
    if first is None:  # the page lost its <head> and the kind with it: the first kind's layout
        kinds = sorted(p.name for p in (templates / "kinds").glob("*.html") if p.is_file())
        first = f"kinds/{kinds[0]}" if kinds else None
    if first is None:
        return "templates", None
    name = first
    text = (templates / name).read_text(encoding="utf-8", errors="replace")
    extended = _EXTENDS.search(text)
    if extended and (templates / extended.group(1)).is_file():
        name = extended.group(1)
        text = (templates / name).read_text(encoding="utf-8", errors="replace")
    return f"templates/{name}", max(len(text.splitlines()), 1)


def document_problems(brief: RenderedBrief) -> list[Finding]:
    """What every writer refuses in a rendered brief, located in the templates: references
    outside templates/, data: URIs past the limit, images no writer can show, links that are
    not web or e-mail addresses, a page without <body>."""
    templates = brief.templates
    doc = brief.document
    first = kind_template(brief)
    out: list[Finding] = []

    def add(exc: BriefError, needle: str) -> None:
        path, line = _locate(templates, needle, first)
        out.append(Finding(path, line, None, "error", exc.code, exc.message, exc.hint))

    for uri in _long_data_uris(doc.html):
        try:
            data_resource(uri, "image")
        except BriefError as exc:
            add(exc, uri)
    if out:
        return out  # the parsed tree lost what came after the long URI
    if doc.body is None:
        path, line = _layout(templates, first)
        out.append(
            Finding(path, line, None, "error", "document-body",
                    "the brief has no <body>: its template ends before the <body> element "
                    "(is the file cut short?)",
                    "the layout writes <html>, <head>…</head> and <body>…</body>; restore the "
                    "end of the file (the shipped templates/base.html shows how)")
        )  # fmt: skip
    for node in doc.root.iter():
        if not isinstance(node.tag, str):
            continue
        tag = node.tag.lower()
        if tag == "a" and node.get("href") is not None:
            href = node.get("href", "")
            if not link_allowed(href):
                problem = link_problem("templates", None, href)
                path, line = _locate(templates, href, first)
                out.append(Finding(path, line, None, "error", problem.code, problem.message,
                                   problem.hint))  # fmt: skip
        elif tag == "link":
            href = node.get("href", "")
            is_sheet = "stylesheet" in (node.get("rel") or "").lower().split()
            try:
                if is_sheet:
                    sheet, _text = stylesheet(templates, href)
                    out += stylesheet_problems(templates, sheet)
                else:
                    load(templates, href, "linked file")
            except BriefError as exc:
                add(exc, href)
        elif tag == "img":
            src = node.get("src")
            try:
                if not src:
                    raise refused(
                        "an <img> has no src",
                        code="image-src",
                        hint='give every image its picture: <img src="{{ chart }}" alt="...">',
                    )
                image_type(load(templates, src, "image"))
            except BriefError as exc:
                if src:
                    add(exc, src)
                else:
                    path, line = _locate_pattern(templates, _IMG_WITHOUT_SRC, first)
                    out.append(Finding(path, line, None, "error", exc.code, exc.message, exc.hint))
    return out


def require_document(brief: RenderedBrief) -> None:
    """Raise every problem of `document_problems` at once (each writer's first step)."""
    problems = document_problems(brief)
    if problems:
        raise InputErrors(problems)
