"""Every writer handles every element of the document vocabulary."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

from generator.render.brief import RenderedBrief
from generator.render.chart import data_uri
from generator.render.document import parse
from generator.render.vocabulary import VOCABULARY, WRITER_ELEMENTS
from generator.writers import WRITERS, writer
from generator.writers import docx as docx_writer

SQUARE = data_uri(
    '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10">'
    '<rect width="20" height="10" fill="#1f3a5f"/></svg>'
)

# one marker word per element that holds text; each writer must carry all of them
EVERY_ELEMENT = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Vocabulary</title>
<meta name="brief:marking" content="Marking"><meta name="brief:running" content="Running">
<meta name="brief:page-of" content="Page {{page}} of {{pages}}">
<meta name="dcterms.created" content="2026-02-02">
<link rel="stylesheet" href="theme.css"></head>
<body class="brief">
<header class="title-block"><h1 id="top">Headerword</h1><p class="office">Officeword</p></header>
<section id="s1"><h2 id="s1h">Sectionword</h2>
<div class="lead"><p>Paragraphword <strong>Strongword</strong> <em>Emword</em> <b>Bword</b>
<i>Iword</i> <a href="#s1h">Linkword</a> <sup>Supword</sup> <sub>Subword</sub>
<span class="fallback" lang="ru">Spanword</span><br>Breakword
<sup class="cite">[<a href="#src-1">1</a>]</sup></p></div>
<aside class="facts"><h3>Asideword</h3>
<ul><li>Bulletword<ul><li>Nestedword</li></ul></li></ul></aside>
<ol start="3"><li id="src-1">Numberword</li></ol>
<table class="trade"><caption>Captionword</caption>
<thead><tr><th scope="col">Headword</th><th class="num">Numword</th></tr></thead>
<tbody><tr><td>Cellword</td><td class="num" colspan="1">42</td></tr></tbody></table>
<figure class="chart"><img src="{SQUARE}" alt="Altword" width="20" height="10">
<figcaption>Figcaptionword</figcaption></figure>
<blockquote><p>Quoteword</p></blockquote>
<hr class="page-break"><p>Afterbreakword</p>
</section></body></html>
"""

MARKERS = sorted(set(re.findall(r"\b([A-Z][a-z]*word)\b", EVERY_ELEMENT)) - {"Altword"})


def test_the_sample_uses_every_element_of_the_vocabulary():
    tags = {t.lower() for t in re.findall(r"<([a-zA-Z0-9]+)", EVERY_ELEMENT)}
    assert tags == set(VOCABULARY)
    assert len(MARKERS) >= 20


def text_of(fmt: str, data: bytes, tmp_path: Path) -> str:
    if fmt == "pdf":
        path = tmp_path / "v.pdf"
        path.write_bytes(data)
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml").decode("utf-8")
        return " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    return data.decode("utf-8")


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_every_writer_writes_every_element(fmt: str, tmp_path: Path):
    brief = RenderedBrief(
        parse(EVERY_ELEMENT), REPO / "templates", (("en", "en-GB"), ("ru", "ru-RU")), (), "v"
    )
    text = text_of(fmt, writer(fmt).write(brief), tmp_path)
    missing = [m for m in MARKERS if m not in text]
    assert not missing, (fmt, missing)


def test_the_docx_writer_has_a_visitor_for_every_element():
    for tag in WRITER_ELEMENTS:
        owner = docx_writer.PARTS.get(tag, tag)
        assert hasattr(docx_writer._Writer, f"visit_{owner}"), tag
    assert set(docx_writer.BLOCKS) | docx_writer.INLINE | set(docx_writer.PARTS) | {"li"} == set(
        WRITER_ELEMENTS
    )


@pytest.mark.parametrize(
    "href",
    [
        "/etc/passwd",
        "../../etc/passwd",
        "http://127.0.0.1:9/x.css",
        "file:///etc/hostname",
        "outside.css",
    ],
)
def test_the_html_writer_inlines_only_files_under_templates(tmp_path: Path, href: str):
    import shutil

    from generator.errors import BriefError

    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    (tmp_path / "secret.css").write_text("body { color: red } /* SECRET */", encoding="utf-8")
    (templates / "outside.css").symlink_to(tmp_path / "secret.css")
    html = EVERY_ELEMENT.replace('href="theme.css"', f'href="{href}"')
    brief = RenderedBrief(parse(html), templates, (("en", "en-GB"),), (), "v")
    with pytest.raises(BriefError) as err:
        writer("html").write(brief)
    assert "is not a file under templates/" in err.value.message
    assert "SECRET" not in str(err.value.format())
