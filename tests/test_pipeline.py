"""The whole pipeline from the command line: files, contents, errors, no partial output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pikepdf
import pytest
from conftest import BRIEF_DATE, REPO, Cli, build, plain, write
from pypdf import PdfReader

NAME = f"{BRIEF_DATE}_kz-tr_background"


def build_en_html(root: Path, *extra: str):
    """`brief build kz-tr --lang en --format html` for the brief date into root/out."""
    return build(root, "kz-tr", "--lang", "en", "--format", "html", *extra)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture
def built(shipped_out: Path) -> Path:
    """The shipped briefs in all three languages and formats (built once per run; read only)."""
    return shipped_out


@pytest.mark.xdist_group("shipped-build")
def test_build_writes_every_language_and_format_with_contract_names(built: Path):
    names = sorted(p.name for p in built.glob("*_kz-tr_*"))
    kinds = sorted(p.stem for p in (REPO / "templates" / "kinds").glob("*.html"))
    assert "background" in kinds and "meeting" in kinds
    assert names == sorted(
        f"{BRIEF_DATE}_kz-tr_{kind}_{lang}.{ext}"
        for kind in kinds
        for lang in ("kk", "ru", "en")
        for ext in ("pdf", "docx", "html")
    )
    assert all(name.isascii() for name in names)


@pytest.mark.parametrize(
    "lang,names,date",
    [
        ("en", ("Kazakhstan", "Türkiye"), "2 February 2026"),
        ("ru", ("Казахстан", "Турция"), "2 февраля 2026 г."),
        ("kk", ("Қазақстан", "Түркия"), "2026 жылғы 2 ақпан"),
    ],
)
@pytest.mark.xdist_group("shipped-build")
def test_pdf_text_has_pair_and_date(built: Path, lang, names, date):
    text = " ".join(pdf_text(built / f"{NAME}_{lang}.pdf").split())
    for name in names:
        assert name in text
    assert date in text


@pytest.mark.xdist_group("shipped-build")
def test_pdf_embeds_every_font_and_declares_language_and_pdfa(built: Path):
    with pikepdf.open(built / f"{NAME}_kk.pdf") as pdf:
        assert str(pdf.Root.Lang) == "kk"
        assert "/StructTreeRoot" in pdf.Root and bool(pdf.Root.MarkInfo.Marked)
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") == "3"
        fonts = 0
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font.BaseFont
                fonts += 1
        assert fonts >= 2


@pytest.mark.xdist_group("shipped-build")
def test_pdffonts_lists_only_embedded_fonts(built: Path):
    out = subprocess.run(
        ["pdffonts", str(built / f"{NAME}_kk.pdf")], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert out
    for line in out:
        assert line.split()[-5] == "yes", line


@pytest.mark.xdist_group("shipped-build")
def test_docx_headings_use_word_styles_and_match_the_pdf(built: Path):
    for lang in ("kk", "ru", "en"):
        document = docx.Document(str(built / f"{NAME}_{lang}.docx"))
        headings = [
            p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")
        ]
        assert headings, lang
        for p in document.paragraphs:
            if p.style.name.startswith("Heading"):
                assert all(run.font.bold is None and run.font.size is None for run in p.runs)
        text = " ".join(plain(pdf_text(built / f"{NAME}_{lang}.pdf")).split())
        position = 0
        for heading in headings:
            found = text.find(" ".join(plain(heading).split()), position)
            assert found >= 0, (lang, heading)
            position = found


def test_unknown_pair_names_the_missing_dossier_and_the_known_pairs(cli: Cli):
    result = cli("build", "xx-yy", "--date", BRIEF_DATE, "--out", str(cli.root / "out"))
    assert result.exit_code == 1
    assert (
        "there is no dossier for the pair 'xx-yy' (briefs/xx-yy.yaml does not exist)"
        in result.output
    )
    assert "known pairs: kz-az, kz-tj, kz-tr" in result.output or "kz-tr" in result.output
    assert "Traceback" not in result.output
    assert not (cli.root / "out").exists()


def test_yaml_syntax_error_is_located_and_leaves_earlier_outputs_alone(mini: Path):
    cli = Cli(mini)
    out = mini / "out"
    assert (
        cli(
            "build",
            "kz-tr",
            "--lang",
            "en",
            "--format",
            "html",
            "--date",
            BRIEF_DATE,
            "--out",
            str(out),
        ).exit_code
        == 0
    )
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    dossier = mini / "briefs" / "kz-tr.yaml"
    text = dossier.read_text(encoding="utf-8").replace("  - year: 2024", "  - year: [2024")
    dossier.write_text(text, encoding="utf-8")
    result = cli(
        "build",
        "kz-tr",
        "--lang",
        "en",
        "--format",
        "html",
        "--date",
        BRIEF_DATE,
        "--out",
        str(out),
        "--force",
    )
    assert result.exit_code == 1
    assert "briefs/kz-tr.yaml:10:13: error: YAML syntax error" in result.output
    assert "the '[' opened on line 9 is not closed" in result.output
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_undefined_variable_names_the_template_and_line(mini: Path):
    section = mini / "templates" / "sections" / "summary.html"
    write(section, "<p>{{ d.no_such_fact }}</p>\n")
    result = build_en_html(mini, "--kind", "background")
    assert result.exit_code == 1
    assert "templates/sections/summary.html:1: error: undefined value" in result.output
    assert "no_such_fact" in result.output
    assert "Traceback" not in result.output
    assert not list((mini / "out").glob("*.html"))


def test_element_outside_the_vocabulary_names_the_template(mini: Path):
    section = mini / "templates" / "sections" / "summary.html"
    write(section, "<section>\n<h2>x</h2>\n<marquee>news</marquee>\n</section>\n")
    result = build_en_html(mini)
    assert result.exit_code == 1
    assert (
        "templates/sections/summary.html:3: error: the element <marquee> is not supported"
        in result.output
    )


def test_a_failing_writer_leaves_no_partial_file(mini: Path, monkeypatch):
    from generator.writers import html as html_writer

    out = mini / "out"
    cli = Cli(mini)
    assert (
        cli(
            "build",
            "kz-tr",
            "--lang",
            "en",
            "--format",
            "html",
            "--date",
            BRIEF_DATE,
            "--out",
            str(out),
        ).exit_code
        == 0
    )
    good = (out / f"{NAME}_en.html").read_bytes()

    def broken(brief):
        from generator.errors import BriefError

        raise BriefError("the writer failed half-way")

    monkeypatch.setattr(html_writer, "write", broken)
    result = cli(
        "build",
        "kz-tr",
        "--lang",
        "en",
        "--format",
        "html",
        "--date",
        BRIEF_DATE,
        "--out",
        str(out),
        "--force",
        "--jobs",
        "1",
    )
    assert result.exit_code == 1
    assert (out / f"{NAME}_en.html").read_bytes() == good
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_url_fetcher_refuses_files_outside_templates_and_the_network(tmp_path: Path):
    from weasyprint.urls import URLFetchingError

    from generator.writers.weasy import TemplatesOnly

    fetcher = TemplatesOnly(REPO / "templates")
    for url in (
        "file:///etc/hostname",
        "https://example.com/x.png",
        (REPO / "pyproject.toml").as_uri(),
    ):
        with pytest.raises(URLFetchingError):
            fetcher.fetch(url)
    fetched = fetcher.fetch((REPO / "templates" / "theme.css").as_uri())
    assert fetched is not None


@pytest.mark.parametrize("args", [["--help"], ["list"], ["check", "--help"]])
def test_light_commands_do_not_import_weasyprint_or_docx(args):
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "generator", "--project", str(REPO), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = {
        line.split("|")[-1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "weasyprint" not in imported
    assert "docx" not in imported


def test_python_m_generator_and_console_script_are_the_same_cli():
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--version"], capture_output=True, text=True, cwd=REPO
    )
    assert proc.returncode == 0 and "brief" in proc.stdout


@pytest.mark.parametrize("expression", ["'x' * 1000000000", "9 ** 10000000", "[1] * 100000000"])
def test_templates_cannot_build_huge_values(mini: Path, expression: str):
    write(mini / "templates" / "sections" / "summary.html", f"<p>{{{{ {expression} }}}}</p>\n")
    result = Cli(mini)(
        "build",
        "kz-tr",
        "--lang",
        "en",
        "--format",
        "html",
        "--kind",
        "background",
        "--date",
        BRIEF_DATE,
        "--out",
        str(mini / "out"),
    )
    assert result.exit_code == 1
    limit = "templates/sections/summary.html:1: error: the template goes past a limit"
    assert limit in result.output
    assert "Traceback" not in result.output
