"""Word styles the DOCX writer needs in reference.docx, and characters the shipped fonts lack."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from generator import cache
from generator.errors import BriefError, Finding, Findings
from generator.facts.files import read_input
from generator.facts.project import Project
from generator.facts.walk import texts
from generator.l10n.catalogs import po_path, translations
from generator.writers.styles import WORD_INTERNAL_NAMES, required_styles

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REFERENCE = "templates/reference.docx"
REBUILD = ".venv/bin/python tools/make_reference_docx.py"


def reference_styles(path: Path) -> set[tuple[str, str]]:
    """(name, type) of every style defined in a .docx, as Word's Styles pane names them."""
    with zipfile.ZipFile(path) as archive:
        archive.getinfo("word/document.xml")  # KeyError: not a Word document
        names = set(archive.namelist())
        xml = archive.read("word/styles.xml") if "word/styles.xml" in names else b"<styles/>"
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    out = set()
    for style in root.iter(f"{W}style"):
        name = style.find(f"{W}name")
        if name is None:
            continue
        value = name.get(f"{W}val", "")
        out.add((WORD_INTERNAL_NAMES.get(value.lower(), value), style.get(f"{W}type", "")))
    return out


def check_reference(templates: Path, findings: Findings) -> None:
    """Every style the DOCX writer uses exists in templates/reference.docx, of the right type."""
    path = templates / "reference.docx"
    if not path.exists():
        findings.add(
            REFERENCE,
            None,
            "templates/reference.docx is missing",
            hint=f"rebuild it with: {REBUILD}",
            code="docx-reference",
        )
        return
    try:
        have = reference_styles(path)
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError):
        # the same words as the DOCX writer
        findings.add(
            REFERENCE,
            None,
            "templates/reference.docx cannot be opened: it is not a Word document (.docx)",
            hint="save it again from Word as a .docx, or rebuild it with: " + REBUILD,
            code="docx-reference",
        )
        return
    names = {name: kind for name, kind in have}
    for name, kind in required_styles():
        if (name, kind) in have:
            continue
        if name in names:
            findings.add(
                REFERENCE,
                None,
                f"templates/reference.docx has a {names[name]} style '{name}', but the "
                f"briefs need a {kind} style of that name",
                hint=f"in Word, delete '{name}' and create it again as a {kind} style",
                code="docx-style",
            )
            continue
        # the same words as the DOCX writer, so check and build say one thing
        findings.add(
            REFERENCE,
            None,
            f"templates/reference.docx has no style '{name}'",
            hint=f"add the style '{name}' in Word's Styles pane, or rebuild the file "
            f"with: {REBUILD}",
            code="docx-style",
        )


class FontCoverage:
    """Which characters the shipped fonts (templates/fonts/*.ttf) can draw."""

    def __init__(self, fonts: Path):
        from fontTools.ttLib import TTLibError

        self.fonts: dict[str, frozenset[int]] = {}
        self.broken: dict[str, str] = {}
        for path in sorted(fonts.glob("*.[ot]tf")):
            try:
                self.fonts[path.name] = _cmap(read_input(path))
            except BriefError as exc:
                self.broken[path.name] = exc.message
            except (TTLibError, OSError, AssertionError, KeyError, ValueError) as exc:
                self.broken[path.name] = str(exc) or type(exc).__name__

    def lacking(self, char: str) -> list[str]:
        """The fonts that have no glyph for `char`."""
        return [name for name, cmap in self.fonts.items() if ord(char) not in cmap]


@lru_cache(maxsize=64)
def _cmap(data: bytes) -> frozenset[int]:
    """The characters a font file can draw (kept per file content, here and in the cache
    folder)."""
    return cache.remembered("cmap", cache.key("cmap", data), lambda: _read_cmap(data))


def _read_cmap(data: bytes) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(data), lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def _drawn(char: str) -> bool:
    # line breaks, tabs and format characters (e.g. soft hyphens) need no glyph
    return unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp")


def check_characters(
    coverage: FontCoverage, texts: Iterable[tuple[str, int | None, str]], findings: Findings
) -> None:
    """Characters in facts or translations that a shipped font cannot draw, once per place."""
    if not coverage.fonts:
        return
    cache: dict[str, list[str]] = {}
    for path, line, text in texts:
        for char in dict.fromkeys(text):
            if not _drawn(char):
                continue
            if char not in cache:
                cache[char] = coverage.lacking(char)
            lacking = cache[char]
            if not lacking:
                continue
            name = unicodedata.name(char, "unnamed character").lower()
            every = len(lacking) == len(coverage.fonts)
            findings.add(
                path,
                line,
                f"the character '{char}' (U+{ord(char):04X}, {name}) cannot be drawn by "
                + ("any shipped font" if every else ", ".join(lacking)),
                hint="replace it with a character the fonts have (e.g. a plain "
                "letter or punctuation), or add a font that has it to templates/fonts/",
                code="font-glyph",
                severity="error" if every else "warning",
            )


def check_fonts(templates: Path, findings: Findings) -> FontCoverage:
    """The shipped fonts can be read; returns their coverage for the text checks."""
    coverage = FontCoverage(templates / "fonts")
    for name, problem in coverage.broken.items():
        findings.add(
            f"templates/fonts/{name}",
            None,
            f"the font cannot be read: {problem}",
            hint="replace it with a working .ttf file (see tools/subset_fonts.sh)",
            code="font-broken",
        )
    return coverage


def fact_texts(project: Project, pairs: list[str]) -> Iterator[tuple[str, int | None, str]]:
    """(file, line, text) of every text of the facts a brief of `pairs` may show: the pairs'
    dossiers first, then the sources and registries, each language on its own line."""
    records: list[Any] = [project.dossiers[p] for p in pairs if p in project.dossiers]
    records += [*project.sources.values(), *project.people.values()]
    records += project.organisations.values()
    fallback = project.dossier_path(pairs[0]) if pairs else "brief.yaml"
    for record in records:
        for _where, text in texts(record):
            for lang in text.languages:
                origin = text.origin
                yield (
                    origin.path if origin else fallback,
                    origin.line_of(lang) if origin else None,
                    text.get(lang) or "",
                )


def project_texts(project: Project, pairs: list[str]) -> Iterator[tuple[str, int | None, str]]:
    """(file, line, text) of every text a brief of `pairs` may show, and of the catalogs."""
    yield from fact_texts(project, pairs)
    for lang in project.languages:
        yield from catalog_texts(project, lang)


def catalog_texts(project: Project, lang: str) -> Iterator[tuple[str, int | None, str]]:
    """(file, line, text) of every translation in the catalog of `lang` (none when it cannot
    be read: the catalog check reports why)."""
    try:
        catalog = translations(project.templates.resolve(), lang).catalog
    except BriefError:
        return
    rel = po_path(project.templates, lang).relative_to(project.root).as_posix()
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        for string in strings:
            if message.id and string:
                yield rel, message.lineno, string


def glyph_errors(project: Project, pairs: list[str]) -> dict[tuple[str, str], list[Finding]]:
    """The characters no shipped font can draw that stop a build, by (pair, language): in the
    pair's dossier, what it cites, the registries and the language's catalog (the errors
    `brief check` reports for them)."""
    found = Findings()
    coverage = FontCoverage(project.templates / "fonts")
    check_characters(coverage, project_texts(project, pairs), found)
    out: dict[tuple[str, str], list[Finding]] = {}
    for pair in pairs:
        files = project.blocking_files([pair])
        for lang in project.languages:
            catalog = po_path(project.templates, lang).relative_to(project.root).as_posix()
            out[pair, lang] = [f for f in found.errors if f.path in files or f.path == catalog]
    return out
