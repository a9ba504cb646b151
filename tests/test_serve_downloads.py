"""The preview's downloads (PDF, DOCX as build writes them) and the index's marks of problems."""

from __future__ import annotations

import io
import re
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINI_DOSSIER, MINI_SOURCE, copy_project, write
from test_serve import Live, assert_secured, headers, request, running, status

# kz-az's one key date has no English text: its English background brief has a warning
UNTRANSLATED = (
    MINI_DOSSIER.replace("pair: kz-tr", "pair: kz-az")
    .replace("[KZ, TR]", "[KZ, AZ]")
    .replace(", en: Diplomatic relations established", "")
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[Live]:
    """The preview of a project with a clean pair (kz-tr) and one with a problem (kz-az)."""
    root = copy_project(tmp_path_factory.mktemp("downloads") / "project", facts=False)
    write(root / "sources" / "test-source.yaml", MINI_SOURCE)
    write(root / "briefs" / "kz-tr.yaml", MINI_DOSSIER)
    write(root / "briefs" / "kz-az.yaml", UNTRANSLATED)
    with running(root) as server:
        yield server


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def cell(index: str, pair: str, kind: str, lang: str) -> str:
    """The brief's link in the index and what follows it up to the next link."""
    found = re.search(rf'<a href="/brief/{pair}/{kind}/{lang}">.*?(?=<a |</td>)', index)
    assert found, index
    return found.group(0)


def test_a_brief_downloads_as_a_pdf_named_as_build_names_it(live: Live):
    page = fetch(live.base + "/brief/kz-tr/background/en")[2].decode("utf-8")
    assert '<a href="/brief/kz-tr/background/en/pdf" download>PDF</a>' in page
    assert '<a href="/brief/kz-tr/background/en/docx" download>DOCX</a>' in page
    code, head, data = fetch(live.base + "/brief/kz-tr/background/en/pdf")
    assert code == 200
    assert data.startswith(b"%PDF")
    assert head["Content-Type"] == "application/pdf"
    assert head["Content-Length"] == str(len(data))
    # the preview shows drafts (as `brief build --draft` names them)
    name = "2026-02-02_kz-tr_background_en_draft.pdf"
    assert head["Content-Disposition"] == f'attachment; filename="{name}"'
    assert head["X-Content-Type-Options"] == "nosniff"


def test_a_brief_downloads_as_a_docx_with_the_security_headers(live: Live):
    code, head, data = fetch(live.base + "/brief/kz-tr/meeting/kk/docx")
    assert code == 200
    assert head["Content-Type"] == DOCX
    name = "2026-02-02_kz-tr_meeting_kk_draft.docx"
    assert head["Content-Disposition"] == f'attachment; filename="{name}"'
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        assert "word/document.xml" in docx.namelist()
    answer = request(live.server.port, "/brief/kz-tr/meeting/kk/docx", method="HEAD")
    assert status(answer) == 200 and headers(answer)["content-type"] == DOCX
    assert answer.endswith(b"\r\n\r\n")  # HEAD: the headers alone
    assert_secured(answer)


@pytest.mark.parametrize(
    "target",
    [
        "/brief/kz-tr/background/en/html",
        "/brief/kz-tr/background/en/PDF",
        "/brief/kz-tr/background/en/pdf/",
        "/brief/kz-tr/background/en/..%2fpdf",
        "/brief/kz-tr/background/xx/pdf",
        "/brief/kz-uz/background/en/pdf",
    ],
)
def test_only_known_briefs_in_known_formats_download(live: Live, target: str):
    answer = request(live.server.port, target)
    assert status(answer) == 404
    assert b"%PDF" not in answer
    assert_secured(answer)


def test_downloads_answer_only_the_preview_own_host(live: Live):
    port = live.server.port
    answer = request(port, "/brief/kz-tr/background/en/pdf", host=f"evil.example:{port}")
    assert status(answer) == 421
    assert b"%PDF" not in answer


def test_the_index_marks_the_briefs_with_problems(live: Live):
    index = fetch(live.base + "/")[2].decode("utf-8")
    marked = cell(index, "kz-az", "background", "en")
    assert re.search(r'<span class="problems" title="1 warning">⚠ 1</span>', marked), marked
    for clean in (("kz-tr", "background", "en"), ("kz-az", "background", "kk")):
        assert "⚠" not in cell(index, *clean)
    # the page of the marked brief shows the same problem in place
    page = fetch(live.base + "/brief/kz-az/background/en")[2].decode("utf-8")
    assert "briefs/kz-az.yaml:6: warning:" in page and "has no en version" in page


def test_marks_follow_the_files(mini: Path):
    with running(mini) as server:
        assert "⚠" not in cell(fetch(server.base + "/")[2].decode(), "kz-tr", "background", "ru")
        dossier = mini / "briefs" / "kz-tr.yaml"
        write(dossier, MINI_DOSSIER.replace("ru: Установлены дипломатические отношения, ", ""))
        index = fetch(server.base + "/")[2].decode()
        assert "⚠ 1" in cell(index, "kz-tr", "background", "ru")
        assert "⚠" not in cell(index, "kz-tr", "background", "en")
        # an error stops the brief: marked as an error, and its download is refused
        write(mini / "templates" / "sections" / "summary.html", "<p>{{ d.nothing_here }}</p>\n")
        index = fetch(server.base + "/")[2].decode()
        assert 'class="problems errors" title="1 error"' in cell(index, "kz-tr", "background", "en")
        assert "⚠" not in cell(index, "kz-tr", "meeting", "en")  # its kind has no summary
        code, head, data = fetch(server.base + "/brief/kz-tr/background/en/pdf")
        assert code == 422 and head["Content-Type"].startswith("text/html")
        assert b"templates/sections/summary.html:1: error:" in data
        assert "Content-Disposition" not in head
