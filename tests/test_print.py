"""Print-ready: no line splits what a reader keeps together, in the PDF as WeasyPrint lays it
out and in the DOCX as LibreOffice does; Kazakh hyphenated in both; the meeting note one
page in both; the brief's fonts in LibreOffice's layout.

The rules here are written apart from the house style's lists (templates/house/*.yaml), so
they check the typesetting rather than repeat it.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import BRIEF_DATE
from parity import pdf_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|январ\w*|феврал\w*|март\w*|апрел\w*|ма(?:й|я|е|ем)(?![\w\u00ad])|июн\w*|июл\w*|"
    r"август\w*|"
    r"сентябр\w*|октябр\w*|ноябр\w*|декабр\w*|қаңтар\w*|ақпан\w*|наурыз\w*|сәуір\w*|"
    r"мамыр\w*|маусым\w*|шілде\w*|тамыз\w*|қыркүйек\w*|қазан\w*|қараша\w*|желтоқсан\w*)"
)
UNITS = (
    r"(?:%|bn|billion|million|trillion|млрд|млн|трлн|мың|тыс|миллиард\w*|миллион\w*|"
    r"жыл\w*|г\.|гг\.|год\w*|лет|USD|EUR|доллар\w*)"
)
UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
HYPHENS = "\u2010\u2011\u00ad\\-"  # inside a character class


def bad_breaks(text: str, names: set[str] = frozenset()) -> list[str]:
    """Each line break of a page's text (`pdftotext -raw`) that splits what a reader keeps
    together, as 'why: …end of line | start of next…'. `names` are the document's proper
    names: a hyphen that splits one of them is a bad break too.

    >>> bad_breaks("worth 6\\nbn USD in 2026-\\n2028, on 2\\nFebruary\\nsee\\n[1]")
    ['number | unit: worth 6 | bn USD in 2026-', 'range: bn USD in 2026- | 2028, on 2', \
'day | month: 2028, on 2 | February', 'citation alone: see | [1]']
    """
    lines = [line.strip() for line in text.splitlines()]
    found = []
    for a, b in zip(lines, lines[1:], strict=False):
        if not a or not b or re.fullmatch(r"[\d\s.,]+", a):  # a chart's axis is not prose
            continue
        why = None
        if re.search(r"\d$", a) and re.match(UNITS + r"(?!\w)", b, re.IGNORECASE):
            why = "number | unit"
        elif re.search(r"(?<![\d.,])\d{1,2}$", a) and re.match(MONTHS, b, re.IGNORECASE):
            why = "day | month"
        elif re.search(MONTHS + r"$", a, re.IGNORECASE) and re.match(r"\d{1,2}\b(?!\.)", b):
            why = "month | day"
        elif re.search(rf"\d{{4}}[{HYPHENS}–]$", a) and re.match(r"\d{4}", b):
            why = "range"
        elif re.search(rf"\d[{HYPHENS}]$", a):
            why = "number | suffix"
        elif re.search(r"(№|No\.)$", a):
            why = "№ | number"
        elif re.match(r"\[?\d+(, ?\d+)*\]", b) and len(b) < 8 or re.match(r"\[\d", b):
            why = "citation alone"
        elif re.match(r"[–—]\s", b):
            why = "dash first on a line"
        elif re.search(rf"(?<![\w.])[{UPPER}]\.$", a) and re.match(rf"[{UPPER}]", b):
            why = "initial | surname"
        elif m := re.search(rf"(?<![\w{HYPHENS}])([{UPPER}]\w*)[\u2010\u00ad-]$", a):
            joined = m.group(1) + re.match(r"\w*", b).group(0)
            if joined in names:
                why = "name hyphenated"
        if why:
            found.append(f"{why}: {a[-24:]} | {b[:24]}")
    return found


def names_of(html: str) -> set[str]:
    """The capitalised words of a brief's HTML (soft hyphens and tags removed)."""
    text = re.sub(r"<[^>]+>", " ", html).replace("\u00ad", "")
    return set(re.findall(rf"[{UPPER}][\w]+", text))


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def docx_text(path: Path) -> list[str]:
    """The paragraphs of a DOCX with Word's no-break and optional hyphens as characters."""
    from lxml import etree

    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    out = []
    for p in body.iter(f"{W}p"):
        parts = []
        for node in p.iter(f"{W}t", f"{W}noBreakHyphen", f"{W}softHyphen", f"{W}tab"):
            tag = node.tag[len(W) :]
            parts.append(
                {"noBreakHyphen": "\u2011", "softHyphen": "\u00ad", "tab": " "}.get(
                    tag, node.text or ""
                )
            )
        out.append("".join(parts))
    return out


# a breakable space or hyphen where the house never breaks (on the DOCX text, before layout)
BREAKABLE_JUNCTIONS = [
    ("number | unit", rf"\d (?={UNITS}(?!\w))"),
    ("day | month", rf"(?<![\d.,])\d{{1,2}} (?={MONTHS})"),
    ("number | suffix", r"\d-(?=\w)"),
    ("№ | number", r"№ (?=\d)"),
    ("range", r"\d{4}[–-](?=\d{4})"),
    ("dash first on a line", r"\w [–—] "),
    ("initial | surname", rf"(?<![\w.])[{UPPER}]\. (?=[{UPPER}])"),
    ("citation alone", r"[\w.,;:)»”] ?\[\d"),
]


def breakable(paragraph: str) -> list[str]:
    """The places in a DOCX paragraph where Word could break what the house keeps together.

    >>> breakable("worth 6 bn, on 2\\u00a0February, № 5, in 2026–2028. [1]")
    ['number | unit: worth 6 bn, on', '№ | number: uary, № 5, in ', \
'range: 5, in 2026–2028. ', 'citation alone: 6–2028. [1]']
    """
    found = []
    for why, pattern in BREAKABLE_JUNCTIONS:
        for m in re.finditer(pattern, paragraph):
            found.append(f"{why}: {paragraph[max(m.start() - 6, 0) : m.end() + 6]}")
    return found


@pytest.fixture(scope="module")
def libreoffice(shipped_out: Path, tmp_path_factory) -> Path:
    """Every shipped DOCX laid out by LibreOffice (an independent reader) as PDF."""
    from conftest import libreoffice as lay_out

    out = tmp_path_factory.mktemp("lo")
    proc = lay_out(sorted(shipped_out.glob("*.docx")), out)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.mark.xdist_group("shipped-build")
def test_no_line_splits_what_a_reader_keeps_together_in_any_pdf(shipped_out: Path):
    pdfs = sorted(shipped_out.glob("*.pdf"))
    assert len(pdfs) == 18
    found = {}
    for pdf in pdfs:
        names = names_of(pdf.with_suffix(".html").read_text(encoding="utf-8"))
        if bad := bad_breaks(pdf_text(pdf), names):
            found[pdf.name] = bad
    assert not found, found


@pytest.mark.xdist_group("shipped-build")
def test_no_junction_the_house_keeps_together_is_breakable_in_any_docx(shipped_out: Path):
    docs = sorted(shipped_out.glob("*.docx"))
    assert len(docs) == 18
    found = {}
    for doc in docs:
        bad = [b for p in docx_text(doc) for b in breakable(p)]
        if bad:
            found[doc.name] = bad
    assert not found, found


@pytest.mark.xdist_group("shipped-build")
def test_no_line_splits_what_a_reader_keeps_together_in_libreoffice(
    shipped_out: Path, libreoffice: Path
):
    laid_out = sorted(libreoffice.glob("*.pdf"))
    assert len(laid_out) == 18
    found = {}
    for pdf in laid_out:
        names = names_of((shipped_out / pdf.name).with_suffix(".html").read_text("utf-8"))
        if bad := bad_breaks(pdf_text(pdf), names):
            found[pdf.name] = bad
    assert not found, found


@pytest.mark.xdist_group("shipped-build")
def test_the_meeting_note_is_one_page_in_pdf_and_in_word(shipped_out: Path, libreoffice: Path):
    notes = sorted(shipped_out.glob("*_meeting_*.pdf"))
    assert len(notes) == 9
    sizes = {p.name: (pages(p), pages(libreoffice / p.name)) for p in notes}
    assert all(size == (1, 1) for size in sizes.values()), sizes


@pytest.mark.xdist_group("shipped-build")
def test_kazakh_is_hyphenated_in_pdf_and_in_word(shipped_out: Path, libreoffice: Path):
    for pair in ("kz-tr", "kz-az", "kz-tj"):
        stem = f"{BRIEF_DATE}_{pair}_background_kk"
        raw = pdf_text(shipped_out / f"{stem}.pdf")
        broken = re.findall(r"[а-яәғқңөұүһі]\u2010$", raw, re.MULTILINE)
        assert broken, f"{stem}.pdf: no Kazakh word is hyphenated at a line's end"
        soft = sum(p.count("\u00ad") for p in docx_text(shipped_out / f"{stem}.docx"))
        assert soft > 200, f"{stem}.docx has {soft} optional hyphens"
        lo = pdf_text(libreoffice / f"{stem}.pdf")
        assert re.search(r"[а-яәғқңөұүһі][\u2010\u00ad-]$", lo, re.MULTILINE), stem


@pytest.mark.xdist_group("shipped-build")
def test_libreoffice_lays_out_the_docx_in_the_brief_own_fonts(libreoffice: Path):
    for pdf in sorted(libreoffice.glob("*.pdf")):
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert "NotoSerif" in fonts and "NotoSans" in fonts, (pdf.name, fonts)
        assert "DejaVu" not in fonts, (pdf.name, fonts)


# ---- the ministry's requisites: the drafter line, page numbers ------------------------------

DRAFTER = """drafter:
  name: {kk: Ә. Сейтқали, ru: А. Сейткали, en: A. Seitkali}
  phone: +7 7172 72-05-18
"""


def test_the_drafter_line_ends_every_brief_from_the_settings_or_the_command_line(tmp_path: Path):
    from conftest import build, copy_project, plain, write

    root = copy_project(tmp_path / "project")
    write(root / "brief.yaml", DRAFTER)
    result = build(root, "kz-tj", "--kind", "meeting", "--format", "pdf,docx,html")
    assert result.exit_code == 0, result.output
    out = root / "out"
    expected = {
        "kk": "Орынд.: Ә. Сейтқали, тел.: +7 7172 72-05-18",
        "ru": "Исп.: А. Сейткали, тел. +7 7172 72-05-18",
        "en": "Prepared by: A. Seitkali, tel. +7 7172 72-05-18",
    }
    for lang, line in expected.items():
        stem = out / f"{BRIEF_DATE}_kz-tj_meeting_{lang}"
        pdf_lines = [plain(x).strip() for x in pdf_text(stem.with_suffix(".pdf")).splitlines()]
        assert line in pdf_lines, (lang, pdf_lines[-4:])
        assert plain(docx_text(stem.with_suffix(".docx"))[-1]) == line
        assert pages(stem.with_suffix(".pdf")) == 1  # the meeting note still fits its page
    # the command line's drafter, as given, in every language
    result = build(root, "kz-tj", "--kind", "meeting", "--format", "html", "--lang", "ru",
                   "--drafter", "Б. Нұрланов, 72-06-06")  # fmt: skip
    assert result.exit_code == 0, result.output
    html = plain((out / f"{BRIEF_DATE}_kz-tj_meeting_ru.html").read_text("utf-8"))
    assert "Исп.: Б. Нұрланов, тел. 72-06-06" in html


@pytest.mark.xdist_group("shipped-build")
def test_page_numbers_stand_at_the_head_from_the_second_page(shipped_out: Path):
    pdf = shipped_out / f"{BRIEF_DATE}_kz-tr_background_ru.pdf"
    assert pages(pdf) >= 3
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    heads = [page.strip().splitlines()[0] for page in text.split("\f") if page.strip()]
    assert re.search(r"ПОЛЬЗОВАНИЯ\s+Казахстан", heads[0]), heads[0]  # the first: no number
    for number, head in enumerate(heads[1:], start=2):
        assert re.search(rf"ПОЛЬЗОВАНИЯ\s+{number}\s+Казахстан", head), head
