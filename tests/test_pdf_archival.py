"""Every shipped PDF is PDF/A-3 and PDF/UA-1 at once, by a validator independent of the writer."""

from __future__ import annotations

import re
import subprocess
import zlib
from pathlib import Path

import page
import pikepdf
import pydyf
import pytest
from conftest import BRIEF_DATE, REPO

from generator.render.brief import RenderedBrief
from generator.render.document import parse
from generator.writers import pdf as pdf_writer
from generator.writers.archival import _end_cleanly

LANGS = ("kk", "ru", "en")
PAIRS = sorted(p.stem for p in (REPO / "briefs").glob("??-??.yaml"))
KINDS = sorted(p.stem for p in (REPO / "templates" / "kinds").glob("*.html"))
SHIPPED = [(pair, kind, lang) for pair in PAIRS for kind in KINDS for lang in LANGS]


@pytest.fixture
def shipped(shipped_out: Path) -> Path:
    """Every shipped brief in PDF, DOCX and HTML (built once per run; read only)."""
    return shipped_out


def name(pair: str, kind: str, lang: str, ext: str) -> str:
    return f"{BRIEF_DATE}_{pair}_{kind}_{lang}.{ext}"


def failures(path: Path, profile: str) -> list[str]:
    report = page.validate_pdf(str(path), profile=profile)
    if report.is_compliant:
        return []
    return [f"{path.name} {profile}: {f.rule_id}: {f.message}" for f in report.failures] or [
        f"{path.name} {profile}: not compliant"
    ]


def test_the_shipped_set_is_complete():
    assert len(PAIRS) == 3 and len(KINDS) == 2
    assert len(SHIPPED) == 18


@pytest.mark.parametrize(("pair", "kind", "lang"), SHIPPED)
@pytest.mark.xdist_group("shipped-build")
def test_pdf_is_valid_pdfa_at_its_declared_level_and_pdfua1(shipped: Path, pair, kind, lang):
    path = shipped / name(pair, kind, lang, "pdf")
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        part, conformance = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
    assert part == "3" and conformance in ("A", "U"), (part, conformance)
    problems = failures(path, f"{part}{conformance.lower()}") + failures(path, "ua1")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("pair", "kind", "lang"), SHIPPED)
@pytest.mark.xdist_group("shipped-build")
def test_pdf_declares_both_with_language_and_title(shipped: Path, pair, kind, lang):
    path = shipped / name(pair, kind, lang, "pdf")
    title = parse((shipped / name(pair, kind, lang, "html")).read_text("utf-8")).title
    assert title
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") == "3"
        assert meta.get("pdfuaid:part") == "1"
        stream = pdf.Root.Metadata
        assert "/Filter" not in stream, "the XMP stream must stay uncompressed"
        xmp = stream.read_raw_bytes().decode("utf-8")
        schema = re.search(r"<pdfaSchema:namespaceURI>([^<]*)<", xmp)
        assert schema and schema.group(1) == "http://www.aiim.org/pdfua/ns/id/"
        assert re.search(r"<pdfaProperty:name>part</pdfaProperty:name>", xmp)
        assert re.search(r"<pdfaProperty:valueType>Integer</pdfaProperty:valueType>", xmp)
        assert str(pdf.Root.Lang) == lang
        assert str(pdf.docinfo.Title) == title
        assert meta.get("dc:title") == title
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True


SAMPLE = """<!DOCTYPE html>
<html lang="kk"><head><meta charset="utf-8"><title>Қазақстан – Түркия</title>
<meta name="brief:marking" content="Қызмет бабында"><meta name="brief:running" content="Анықтама">
<meta name="brief:page-of" content="{page} / {pages}">
<meta name="dcterms.created" content="2026-02-02">
<link rel="stylesheet" href="theme.css"></head>
<body class="brief"><h1>Қазақстан – Түркия</h1><section><h2>Сауда</h2>
<table class="trade"><thead><tr><th scope="col">Жыл</th><th scope="col" class="num">Айналым</th>
</tr></thead><tbody><tr><td>2024</td><td class="num">10</td></tr></tbody></table>
<p>Мәтін.</p><p lang="en">The of\u00adfi\u00adcial ef\u00adfect.</p></section></body></html>
"""


def sample_brief() -> RenderedBrief:
    return RenderedBrief(parse(SAMPLE), REPO / "templates", (("kk", "kk-KZ"),), (), "sample")


def test_two_writes_are_byte_identical_and_valid():
    first, second = pdf_writer.write(sample_brief()), pdf_writer.write(sample_brief())
    assert first == second
    for profile in ("3a", "ua1"):
        report = page.validate_pdf_bytes(first, profile=profile)
        assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]


def test_table_headers_say_what_they_head(tmp_path: Path):
    path = tmp_path / "sample.pdf"
    path.write_bytes(pdf_writer.write(sample_brief()))
    with pikepdf.open(path) as pdf:
        headers = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/TH"
        ]
        assert len(headers) == 2
        assert all(str(th.A.Scope) == "/Column" for th in headers)


def test_ligatures_across_soft_hyphens_keep_their_letters(tmp_path: Path):
    path = tmp_path / "sample.pdf"
    path.write_bytes(pdf_writer.write(sample_brief()))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "The official effect." in text.replace("\u00ad", "")


def test_a_stream_ending_in_a_carriage_return_keeps_an_exact_length():
    # the last byte of zlib data is the low byte of the Adler-32 of the content
    content = next(
        data
        for data in (str(i).encode() for i in range(100_000))
        if zlib.adler32(data) & 0xFF == 0x0D
    )
    stream = pydyf.Stream([content], compress=True)
    assert stream.data.endswith(b"\r\nendstream")  # ambiguous: CR of the data or EOL?
    _end_cleanly(stream)
    data = stream.data
    assert data.endswith(b"\r\r\nendstream")
    length = int(re.search(rb"/Length (\d+)", data).group(1))
    body = data.split(b"\nstream\n", 1)[1]
    assert body[:length] == zlib.compress(content, 9)
    assert body[length:] == b"\r\nendstream"
