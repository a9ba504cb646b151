"""PDF and DOCX of every shipped pair, language and kind: parity, structure, reproducibility."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
from conftest import BRIEF_DATE, REPO, Cli, copy_project, libreoffice
from lxml import etree
from parity import compare, pdf_text

LANGS = ("kk", "ru", "en")
PAIRS = sorted(p.stem for p in (REPO / "briefs").glob("??-??.yaml"))
KINDS = sorted(p.stem for p in (REPO / "templates" / "kinds").glob("*.html"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def shipped(shipped_out: Path) -> Path:
    """Every shipped brief in PDF, DOCX and HTML (built once per run; read only)."""
    return shipped_out


# the background brief's title, as an editor reads it on the first page
COUNTRIES = {
    "kk": {
        "kz-tr": "Қазақстан – Түркия",
        "kz-az": "Қазақстан – Әзербайжан",
        "kz-tj": "Қазақстан – Тәжікстан",
    },
    "ru": {
        "kz-tr": "Казахстан – Турция",
        "kz-az": "Казахстан – Азербайджан",
        "kz-tj": "Казахстан – Таджикистан",
    },
    "en": {
        "kz-tr": "Kazakhstan – Türkiye",
        "kz-az": "Kazakhstan – Azerbaijan",
        "kz-tj": "Kazakhstan – Tajikistan",
    },
}
KIND_NAME = {"kk": "Анықтамалық материал", "ru": "Справочный материал", "en": "Background brief"}
TITLES = {
    (pair, lang): f"{COUNTRIES[lang][pair]}: {KIND_NAME[lang]}"
    for lang in COUNTRIES
    for pair in COUNTRIES[lang]
}


def name(pair: str, kind: str, lang: str, ext: str) -> str:
    return f"{BRIEF_DATE}_{pair}_{kind}_{lang}.{ext}"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.xdist_group("shipped-build")
def test_pdf_and_docx_say_the_same(shipped: Path, pair, lang, kind):
    files = {ext: shipped / name(pair, kind, lang, ext) for ext in ("pdf", "docx", "html")}
    problems = compare(files["pdf"], files["docx"], files["html"], kind)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.xdist_group("shipped-build")
def test_pdf_is_pdfa_tagged_with_language_metadata_and_embedded_fonts(shipped: Path, pair, lang):
    path = shipped / name(pair, "background", lang, "pdf")
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == lang
        assert bool(pdf.Root.MarkInfo.Marked) and "/StructTreeRoot" in pdf.Root
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") == "3" and meta.get("pdfaid:conformance") == "A"
        info = pdf.docinfo
        assert str(info.Title) == TITLES[pair, lang]
        assert str(info.Subject) and str(info.Keywords)
        assert str(info.CreationDate).startswith("D:20260202")
        figures = [
            node for node in _struct_nodes(pdf.Root.StructTreeRoot) if node.get("/S") == "/Figure"
        ]
        for figure in figures:
            assert str(figure.get("/Alt", "")), "a figure without alt text"
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def _struct_nodes(node, depth=0):
    if depth > 50:
        return
    if isinstance(node, pikepdf.Dictionary):
        yield node
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                yield from _struct_nodes(kid, depth + 1)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.xdist_group("shipped-build")
def test_meeting_note_fits_on_one_page(shipped: Path, pair, lang):
    with pikepdf.open(shipped / name(pair, "meeting", lang, "pdf")) as pdf:
        assert len(pdf.pages) == 1


def _xml(path: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.xdist_group("shipped-build")
def test_docx_is_word_native(shipped: Path, pair, lang):
    path = shipped / name(pair, "background", lang, "docx")
    document = docx.Document(str(path))
    from generator.writers.docx import PARAGRAPH_STYLES

    allowed = set(PARAGRAPH_STYLES.values())
    for paragraph in document.paragraphs:
        assert paragraph.style.name in allowed, (paragraph.style.name, paragraph.text)
        for run in paragraph.runs:  # no direct formatting: fonts and sizes come from styles
            assert run.font.name is None and run.font.size is None
    for table in document.tables:
        assert table.style.name == "Brief Table"
        first = table.rows[0]._tr
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
        for row in table.rows:
            assert row._tr.find(f"{W}trPr/{W}cantSplit") is not None
    props = document.core_properties
    assert props.title and props.subject and props.keywords
    assert props.language == {"kk": "kk-KZ", "ru": "ru-RU", "en": "en-GB"}[lang]
    assert props.created.date().isoformat() == BRIEF_DATE
    styles = _xml(path, "word/styles.xml")
    langs = {el.get(f"{W}val") for el in styles.iter(f"{W}lang")}
    assert props.language in langs
    # the page number, as the ministry's practice has it: at the head, from the second page
    heads = [
        _xml(path, name)
        for name in zipfile.ZipFile(path).namelist()
        if name.startswith(("word/header", "word/footer"))
    ]
    instructions = [" ".join(t.text for t in part.iter(f"{W}instrText")) for part in heads]
    assert sum("PAGE" in i for i in instructions) == 1, instructions
    sect = _xml(path, "word/document.xml").find(f".//{W}sectPr")
    assert sect.find(f"{W}titlePg") is not None  # a first page of its own, without a number
    header_text = document.sections[0].header.paragraphs[0].text
    assert "2026" in header_text
    body = _xml(path, "word/document.xml")
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    anchors = {h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")}
    assert anchors and anchors <= bookmarks  # every citation marker leads to its source
    pictures = list(
        body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    )
    for pic in pictures:
        assert pic.get("descr")


def test_numbered_lists_restart_where_the_html_restarts(mini: Path):
    dossier = mini / "briefs" / "kz-tr.yaml"
    dossier.write_text(
        dossier.read_text(encoding="utf-8")
        + """\
talking_points:
  - text: {kk: Бірінші, ru: Первый, en: First point}
    source: test-source
  - text: {kk: Екінші, ru: Второй, en: Second point}
    source: test-source
""",
        encoding="utf-8",
    )
    out = mini / "out"
    result = Cli(mini)(
        "build",
        "kz-tr",
        "--lang",
        "en",
        "--kind",
        "meeting",
        "--format",
        "docx",
        "--date",
        BRIEF_DATE,
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    path = next(out.glob("*.docx"))
    body = _xml(path, "word/document.xml")
    items = [
        (p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val"), "".join(p.itertext()))
        for p in body.iter(f"{W}p")
        if p.find(f"{W}pPr/{W}numPr/{W}numId") is not None
    ]
    numbering = _xml(path, "word/numbering.xml")
    restarts = {
        n.get(f"{W}numId"): n.find(f"{W}lvlOverride/{W}startOverride").get(f"{W}val")
        for n in numbering.iter(f"{W}num")
        if n.find(f"{W}lvlOverride/{W}startOverride") is not None
    }
    # two <ol> (talking points, sources): two Word list instances, each starting at 1
    points = {num for num, text in items if "point" in text}
    sources = {num for num, text in items if "Test source" in text}
    assert len(points) == 1 and len(sources) == 1 and points != sources
    assert restarts[points.pop()] == "1" and restarts[sources.pop()] == "1"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.xdist_group("shipped-build")
def test_libreoffice_converts_every_docx(shipped: Path, tmp_path: Path):
    files = sorted(shipped.glob("*.docx"))
    proc = libreoffice(files, tmp_path / "lo")
    assert proc.returncode == 0, proc.stderr
    converted = sorted(p.stem for p in (tmp_path / "lo").glob("*.pdf"))
    assert converted == sorted(p.stem for p in files)
    for pdf in (tmp_path / "lo").glob("*_background_en.pdf"):
        text = pdf_text(pdf)
        assert "Kazakhstan" in text
        # the PAGE field computed at the head of the second page, none on the first
        first, second = text.split("\f")[:2]
        assert re.match(r"FOR OFFICIAL USE\s+Kazakhstan", first), first[:80]
        assert re.match(r"FOR OFFICIAL USE\s+2\s+Kazakhstan", second), second[:80]


@pytest.mark.xdist_group("shipped-build")
def test_two_builds_are_byte_identical(shipped: Path, tmp_path: Path):
    root = copy_project(tmp_path / "again")
    pair = PAIRS[-1]
    result = Cli(root)(
        "build",
        pair,
        "--format",
        "pdf,docx,html",
        "--date",
        BRIEF_DATE,
        "--out",
        str(tmp_path / "out2"),
        "--jobs",
        "1",
    )
    assert result.exit_code == 0, result.output
    for path in sorted((tmp_path / "out2").glob(f"*_{pair}_*")):
        first = hashlib.sha256((shipped / path.name).read_bytes()).hexdigest()
        assert hashlib.sha256(path.read_bytes()).hexdigest() == first, path.name


def test_docx_follows_a_restyled_reference(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    reference = root / "templates" / "reference.docx"
    styled = docx.Document(str(reference))
    styled.styles["Heading 1"].font.name = "Liberation Serif"
    styled.styles["Body Text"].font.size = docx.shared.Pt(13)
    buf = io.BytesIO()
    styled.save(buf)
    reference.write_bytes(buf.getvalue())
    out = tmp_path / "out"
    assert (
        Cli(root)(
            "build",
            PAIRS[0],
            "--lang",
            "en",
            "--format",
            "docx",
            "--date",
            BRIEF_DATE,
            "--out",
            str(out),
        ).exit_code
        == 0
    )
    result = docx.Document(str(next(out.glob("*background_en.docx"))))
    assert result.styles["Heading 1"].font.name == "Liberation Serif"
    assert result.styles["Body Text"].font.size == docx.shared.Pt(13)
    assert any(p.style.name == "Heading 1" for p in result.paragraphs)


def test_draft_marks_every_page_in_both_formats(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    result = Cli(root)(
        "build",
        "kz-tr",
        "--lang",
        "ru",
        "--kind",
        "background",
        "--format",
        "pdf,docx",
        "--date",
        BRIEF_DATE,
        "--out",
        str(out),
        "--draft",
    )
    assert result.exit_code == 0, result.output
    pdf = next(out.glob("*.pdf"))
    with pikepdf.open(pdf) as doc:
        pages = len(doc.pages)
    for page in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "ПРОЕКТ" in text, f"page {page} has no DRAFT mark"
    document = docx.Document(str(next(out.glob("*.docx"))))
    header = document.sections[0].header
    assert any(p.style.name == "Draft Mark" and p.text == "ПРОЕКТ" for p in header.paragraphs)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.xdist_group("shipped-build")
def test_trade_chart_is_vector_in_the_pdf_and_a_picture_in_the_docx(shipped: Path, lang):
    pdf_path = shipped / name("kz-tr", "background", lang, "pdf")
    with pikepdf.open(pdf_path) as pdf:
        figures = [
            node for node in _struct_nodes(pdf.Root.StructTreeRoot) if node.get("/S") == "/Figure"
        ]
        alts = [str(f.get("/Alt", "")) for f in figures]
        assert any("2021" in alt for alt in alts), alts
        for page in pdf.pages:  # drawn as paths and text, not as a bitmap
            xobjects = page.Resources.get("/XObject", {})
            for xobject in xobjects.values():
                assert xobject.get("/Subtype") != "/Image"
    text = " ".join(pdf_text(pdf_path).split())
    assert {"kk": "млрд", "ru": "млрд", "en": "billion"}[lang] in text  # Babel's axis labels
    docx_path = shipped / name("kz-tr", "background", lang, "docx")
    body = _xml(docx_path, "word/document.xml")
    pictures = list(
        body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    )
    assert len(pictures) == 1 and "2021" in pictures[0].get("descr")
    with zipfile.ZipFile(docx_path) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert media and z.read(media[0])[:8] == b"\x89PNG\r\n\x1a\n"
