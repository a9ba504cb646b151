"""One resource policy for every writer and for `brief check`: files under templates/
(symlinks resolved) and data: URIs, each at most 5 MB; nothing from the network, nothing
from elsewhere on the disk. Images are PNG, JPEG, GIF or SVG (SVG without entities or
references of its own); links go to web or e-mail addresses only."""

from __future__ import annotations

import base64
import binascii
import html
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, unquote_to_bytes, urlparse

import tinycss2
from lxml import etree

from generator.errors import BriefError, Finding, InputErrors
from generator.facts.files import MB, InputFileError, read_input, size_words
from generator.render.vocabulary import link_allowed, link_problem

if TYPE_CHECKING:
    from generator.render.brief import RenderedBrief

SIZE_LIMIT = 5 * MB  # bytes of a file, characters of a data: URI (libxml2 cuts at 10 MB)
MAX_PIXELS = 50_000_000  # of a PNG, JPEG or GIF
IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/svg+xml": "SVG"}
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_URI_END = re.compile(r"[\"'\s>]")
_CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]*)", re.I)
_XML_ENCODING = re.compile(r"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)")
_VALUE_START = re.compile(r"=\s*([\"'])([^\"'{}<>]*)(?={[{%])")  # value="start{{ … or {% …
_IMG_WITHOUT_SRC = re.compile(r"<img\b(?![^>]*\bsrc\s*=)[^>]*>", re.I)
_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[", re.I)  # a DOCTYPE with declarations of its own
_EXTENDS = re.compile(r"{%-?\s*extends\s+[\"']([^\"']+)[\"']")
HINT = (
    "briefs may only use files inside templates/ (no web addresses, no other folders) "
    "and data: URIs; copy the file into templates/ and refer to it by its relative path"
)


@dataclass(frozen=True)
class Resource:
    """The bytes a reference names, their media type, and the file (None: a data: URI)."""

    data: bytes
    media_type: str
    path: Path | None = None


def _refused(message: str, code: str = "resource", hint: str = HINT) -> BriefError:
    return BriefError(message, path="templates", hint=hint, code=code)


def _shown(reference: str) -> str:
    return reference if len(reference) <= 80 else reference[:77] + "..."


def template_file(templates: Path, reference: str, base: Path | None = None) -> Path | None:
    """The file a relative reference names (from `base`, by default templates/ itself), if it
    is a regular file inside templates/ once symlinks are resolved; None for anything else.

    >>> template_file(Path("templates"), "/etc/passwd") is None
    True
    >>> template_file(Path("templates"), "file:///etc/passwd") is None
    True
    >>> template_file(Path("templates"), "../briefs/kz-tr.yaml") is None
    True
    """
    reference = reference.strip()
    if not reference or _SCHEME.match(reference) or reference.startswith(("/", "\\")):
        return None
    root = templates.resolve()
    relative = unquote(reference.split("#", 1)[0].split("?", 1)[0])
    if not relative or "\0" in relative:
        return None
    try:
        path = ((base or root) / relative).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return path if path.is_relative_to(root) and path.is_file() else None


def _read_file(path: Path, what: str, reference: str) -> Resource:
    too_big = _refused(
        f"the {what} '{_shown(reference)}' is {size_words(path.stat().st_size)}, over the "
        f"limit of {size_words(SIZE_LIMIT)}",
        code="resource-size",
        hint="make the file smaller (for an image: fewer pixels, or SVG)",
    )
    if path.stat().st_size > SIZE_LIMIT:
        raise too_big
    try:
        data = read_input(path, limit=SIZE_LIMIT)
    except InputFileError as exc:  # replaced or grown since: said where it is used
        if exc.problem == "too-big":
            raise too_big from None
        raise _refused(f"the {what} '{_shown(reference)}' cannot be read: {exc.message}") from None
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Resource(data, media_type, path)


def data_resource(reference: str, what: str) -> Resource:
    """The bytes of a data: URI, refused past the size limit or when malformed."""
    if len(reference) > SIZE_LIMIT:
        raise _refused(
            f"the {what} is a data: URI of {size_words(len(reference))}, over the limit of "
            f"{size_words(SIZE_LIMIT)}",
            code="resource-size",
            hint="make the image smaller (fewer pixels, or SVG), or put it in a file "
            "under templates/ and refer to it by its relative path",
        )
    header, comma, payload = reference.strip()[5:].partition(",")
    params = [p.strip().lower() for p in header.split(";")]
    media_type = params[0] or "text/plain"
    try:
        if not comma:
            raise ValueError("no comma before the data")
        if params[-1] == "base64":
            data = base64.b64decode(re.sub(r"\s", "", unquote(payload)), validate=True)
        else:
            data = unquote_to_bytes(payload)
    except (ValueError, binascii.Error):
        raise _refused(
            f"the {what} '{_shown(reference)}' is not a well-formed data: URI",
            code="resource-data",
            hint="write it as data:<type>;base64,<data>, e.g. data:image/png;base64,iVBOR...",
        ) from None
    return Resource(data, media_type)


def load(templates: Path, reference: str, what: str, base: Path | None = None) -> Resource:
    """What a reference in a brief names: a data: URI, or a file under templates/ (relative to
    `base`); a BriefError (not located yet) for anything else."""
    if reference.strip().lower().startswith("data:"):
        return data_resource(reference, what)
    path = template_file(templates, reference, base)
    if path is None:
        raise _refused(f"the {what} '{_shown(reference)}' is not a file under templates/")
    return _read_file(path, what, reference)


def fetched(templates: Path, url: str) -> Resource:
    """What the PDF writer may fetch: a data: URI, or a file:// URL (WeasyPrint's spelling of
    a relative reference) of a file under templates/."""
    if url.lower().startswith("data:"):
        return data_resource(url, "resource")
    if url.startswith("file://"):
        root = templates.resolve()
        try:
            path = Path(unquote(urlparse(url).path)).resolve()
        except (OSError, RuntimeError, ValueError):
            path = None
        if path is not None and path.is_relative_to(root) and path.is_file():
            return _read_file(path, "resource", url)
    raise _refused(f"the resource '{_shown(url)}' is not a file under templates/")


# ---- images ------------------------------------------------------------------------------


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "image/svg+xml"
    return None


def image_type(resource: Resource, what: str = "image", depth: int = 0) -> str:
    """The media type of an image every writer can show (PNG, JPEG, GIF, SVG), or a
    BriefError saying why the image cannot be used."""
    kinds = ", ".join(IMAGE_TYPES.values())
    declared = "image/jpeg" if resource.media_type == "image/jpg" else resource.media_type
    if resource.path is None and declared not in IMAGE_TYPES:
        raise _refused(
            f"the {what} is a data: URI of type '{resource.media_type[:40]}', not an image "
            f"type briefs can show ({kinds})",
            code="image-type",
            hint="convert the image to PNG, JPEG, GIF or SVG and embed it as "
            "data:image/png;base64,... (or data:image/svg+xml;base64,...)",
        )
    found = _sniff(resource.data)
    if found is None or (resource.path is None and found != declared):
        said = IMAGE_TYPES.get(declared, "image") if resource.path is None else "image"
        raise _refused(
            f"the {what} is not a {said} file that briefs can show ({kinds})",
            code="image-type",
            hint="save the image again as PNG, JPEG, GIF or SVG",
        )
    if found == "image/svg+xml":
        check_svg(resource.data, what, depth)
    else:
        _check_raster(resource.data, IMAGE_TYPES[found], what)
    return found


def _check_raster(data: bytes, kind: str, what: str) -> None:
    from docx.image.image import Image  # the DOCX writer reads the same header

    try:
        image = Image.from_blob(data)
        pixels = image.px_width * image.px_height
    except Exception:  # any malformed header: the analyst's file, not our bug
        raise _refused(
            f"the {what} cannot be read as {kind}: the file is damaged or cut short",
            code="image-type",
            hint="save the image again from an image editor",
        ) from None
    if pixels > MAX_PIXELS:
        raise _refused(
            f"the {what} has {pixels:,} pixels, over the limit of {MAX_PIXELS:,}",
            code="resource-size",
            hint="scale the image down",
        )


_SVG_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


def check_svg(data: bytes, what: str = "image", depth: int = 0) -> etree._Element:
    """Parse an SVG image without entities or the network; entity declarations, references
    outside the image itself and malformed XML are BriefErrors."""
    try:  # UTF-8 only: declarations cannot hide in another encoding
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        text = None
    declared = _XML_ENCODING.match(text or "")
    if text is None or (declared and declared.group(1).lower() not in ("utf-8", "utf8")):
        raise _refused(
            f"the {what} is an SVG that is not written in UTF-8",
            code="image-svg",
            hint="save the SVG again as UTF-8",
        )
    if _SUBSET.search(text):  # looked for before parsing: the parser would read them
        raise _refused(
            f"the {what} is an SVG with declarations (<!ENTITY …>, <!ATTLIST …>) in its <!DOCTYPE>",
            code="image-svg-entity",
            hint="remove the [ … ] part of the SVG's <!DOCTYPE>: briefs do not read entities "
            "or other declarations",
        )
    try:
        root = etree.fromstring(data, _SVG_PARSER)
    except etree.XMLSyntaxError as exc:
        raise _refused(
            f"the {what} is not a well-formed SVG image: {exc.msg}",
            code="image-svg",
            hint="save the image again as SVG from a drawing program",
        ) from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise _refused(
            f"the {what} is XML but not an SVG image (its root is <{etree.QName(root).localname}>)",
            code="image-type",
            hint="save the image again as SVG (root element <svg xmlns="
            '"http://www.w3.org/2000/svg">)',
        )
    for node in (*root.itersiblings(preceding=True), *root.iter()):
        if isinstance(node, etree._ProcessingInstruction):
            raise _refused(
                f"the {what} is an SVG with a processing instruction <?{node.target} …?>",
                code="image-svg",
                hint="remove it: an SVG image in a brief is self-contained",
            )
        if not isinstance(node.tag, str):
            continue
        for name, value in node.attrib.items():
            for reference in _svg_references(name, value):
                _svg_reference(reference, what, depth)
        if etree.QName(node).localname == "style" and node.text:
            for found in css_references(node.text):
                _svg_reference(found.reference, what, depth)
    return root


def _svg_references(name: str, value: str) -> Iterator[str]:
    if name in ("href", XLINK_HREF):
        yield value.strip()
    yield from (m.group(1).strip() for m in _CSS_URL.finditer(value))


def _svg_reference(reference: str | None, what: str, depth: int) -> None:
    if reference is not None and (not reference or reference.startswith("#")):
        return  # a part of the image itself
    if reference is not None and reference.lower().startswith("data:") and depth < 3:
        image_type(data_resource(reference, f"image inside the {what}"), what, depth + 1)
        return
    raise _refused(
        f"the {what} is an SVG that refers to "
        + (f"'{_shown(reference)}'" if reference is not None else "another stylesheet (@import)"),
        code="resource",
        hint="an SVG image in a brief is self-contained: embed what it shows, or draw it",
    )


# ---- stylesheets -------------------------------------------------------------------------


@dataclass(frozen=True)
class CssReference:
    """A url() (or an @import: reference None) in a stylesheet, and its line."""

    line: int
    reference: str | None


def _walk(nodes) -> Iterator:
    for node in nodes or ():
        yield node
        for part in ("prelude", "content", "arguments"):
            inner = getattr(node, part, None)
            if isinstance(inner, list):
                yield from _walk(inner)


def css_references(text: str) -> list[CssReference]:
    """Every url() of a stylesheet, and its @imports (read as CSS is: escapes, comments).

    >>> [(r.line, r.reference) for r in css_references('a { b: url(x.png) }\\n@import "y";')]
    [(1, 'x.png'), (2, None)]
    """
    out = []
    for node in _walk(tinycss2.parse_stylesheet(text, skip_comments=True)):
        kind = node.type
        if kind == "at-rule" and node.lower_at_keyword == "import":
            out.append(CssReference(node.source_line, None))
        elif kind == "url":
            out.append(CssReference(node.source_line, node.value))
        elif kind == "function" and node.lower_name in ("url", "src"):
            strings = [a for a in node.arguments if a.type == "string"]
            if strings:
                out.append(CssReference(node.source_line, strings[0].value))
        elif kind == "function" and node.lower_name.endswith("image-set"):
            strings = [a for a in node.arguments if a.type == "string"]
            out += [CssReference(a.source_line, a.value) for a in strings]
    return out


def stylesheet_problems(templates: Path, sheet: Path) -> list[Finding]:
    """The references of a stylesheet under templates/ the policy refuses, by line."""
    stat = sheet.stat()
    return list(_stylesheet_problems(templates.resolve(), sheet, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=64)
def _stylesheet_problems(
    templates: Path, sheet: Path, _mtime: int, _size: int
) -> tuple[Finding, ...]:
    rel = f"templates/{sheet.relative_to(templates).as_posix()}"
    try:
        text = read_input(sheet, limit=SIZE_LIMIT, rel=rel).decode("utf-8")
    except InputFileError as exc:
        return tuple(exc.findings)
    except UnicodeDecodeError as exc:
        return (
            Finding(rel, None, None, "error", "stylesheet-encoding",
                    f"the stylesheet is not UTF-8 (byte at position {exc.start})",
                    "save the file as UTF-8"),
        )  # fmt: skip
    out = []
    for found in css_references(text):
        if found.reference is None:
            out.append(
                Finding(rel, found.line, None, "error", "resource-import",
                        "@import is not supported in a brief's stylesheet",
                        'link each stylesheet from the template with <link rel="stylesheet" '
                        'href="...">')
            )  # fmt: skip
            continue
        try:
            load(templates, found.reference, "url()", base=sheet.parent)
        except BriefError as exc:
            out.append(Finding(rel, found.line, None, "error", exc.code, exc.message, exc.hint))
    return tuple(out)


def stylesheet(templates: Path, reference: str) -> tuple[Path, str]:
    """A stylesheet under templates/ and its text, or a BriefError."""
    resource = load(templates, reference, "stylesheet")
    if resource.path is None:
        raise _refused(
            "the stylesheet is a data: URI",
            hint='put it in a file under templates/ and link it with <link rel="stylesheet" '
            'href="theme.css">',
        )
    try:
        return resource.path, resource.data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refused(
            f"the stylesheet '{_shown(reference)}' is not UTF-8",
            code="stylesheet-encoding",
            hint="save the file as UTF-8",
        ) from None


# ---- the rendered brief ------------------------------------------------------------------


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
                    raise _refused(
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


def require_template_file(templates: Path, reference: str, what: str) -> Path:
    """A file under templates/ for a writer, or an error saying why not."""
    path = template_file(templates, reference)
    if path is None:
        raise _refused(f"the {what} '{_shown(reference)}' is not a file under templates/")
    return path


def data_uri(resource: Resource) -> str:
    """The resource as a data: URI (what the HTML writer inlines)."""
    return f"data:{resource.media_type};base64," + base64.b64encode(resource.data).decode("ascii")
