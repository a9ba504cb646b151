"""`brief check` on one tiny project per mistake: the exact message, on the exact line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from check_cases import FIVE_FINDINGS, FIVE_MISTAKES, SCENARIOS, apply, finding_lines
from conftest import BRIEF_DATE, REPO, Cli, write


def run_check(root: Path, *args: str):
    return Cli(root)("check", "--date", BRIEF_DATE, *args)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_mistake_is_found_on_its_line(mini: Path, name: str):
    changes, expected, status = SCENARIOS[name]
    apply(mini, changes)
    result = run_check(mini)
    assert expected in finding_lines(result.output), result.output
    assert result.exit_code == status, result.output
    assert "Traceback" not in result.output


def test_there_are_at_least_25_scenarios():
    assert len(SCENARIOS) >= 25
    assert len({expected for _, expected, _ in SCENARIOS.values()}) == len(SCENARIOS)


def test_the_mini_project_alone_is_clean(mini: Path):
    result = run_check(mini)
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "0 errors, 0 warnings"


def test_five_mistakes_in_one_file_give_five_findings_in_one_run(mini: Path):
    write(mini / "briefs" / "kz-tr.yaml", FIVE_MISTAKES)
    result = run_check(mini)
    assert finding_lines(result.output) == FIVE_FINDINGS
    assert result.output.splitlines()[-1] == "5 errors, 0 warnings in 1 file"
    assert result.exit_code == 1


def test_every_finding_says_what_to_do(mini: Path):
    write(mini / "briefs" / "kz-tr.yaml", FIVE_MISTAKES)
    lines = run_check(mini).output.splitlines()
    for i, line in enumerate(lines[:-1]):
        if line in FIVE_FINDINGS:
            assert lines[i + 1].startswith("    ") and len(lines[i + 1].strip()) > 10, line


def test_hint_names_the_nearest_source_and_the_available_filters(mini: Path):
    apply(mini, SCENARIOS["unknown-source"][0])
    apply(mini, SCENARIOS["template-filter"][0])
    output = run_check(mini).output
    assert "    did you mean 'test-source'? each source is a file sources/<id>.yaml" in output
    assert (
        "    did you mean 'upper'? the brief's filters are: amount, compact, country, date,"
        in output
    )


def test_json_lists_the_same_findings_as_objects(mini: Path):
    write(mini / "briefs" / "kz-tr.yaml", FIVE_MISTAKES)
    result = run_check(mini, "--format", "json")
    assert result.exit_code == 1
    items = json.loads(result.output)
    assert [list(item) for item in items][0] == [
        "file",
        "line",
        "column",
        "severity",
        "code",
        "message",
        "hint",
    ]
    assert [
        f"{i['file']}:{i['line']}: {i['severity']}: {i['message']}" for i in items
    ] == FIVE_FINDINGS
    assert all(i["hint"] for i in items)


def test_yaml_syntax_error_gives_the_column_in_json(mini: Path):
    apply(mini, SCENARIOS["yaml-syntax"][0])
    items = json.loads(run_check(mini, "--format", "json").output)
    assert (items[0]["file"], items[0]["line"], items[0]["column"], items[0]["code"]) == (
        "briefs/kz-tr.yaml",
        3,
        10,
        "yaml-syntax",
    )


def test_strict_makes_warnings_fatal(mini: Path):
    apply(mini, SCENARIOS["stale-figure"][0])
    assert run_check(mini).exit_code == 0
    result = run_check(mini, "--strict")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "0 errors, 1 warning in 1 file"


def test_stale_after_years_comes_from_brief_yaml(mini: Path):
    apply(mini, SCENARIOS["stale-figure"][0])
    write(mini / "brief.yaml", "stale_after_years: 5\n")
    assert run_check(mini).output.splitlines()[-1] == "0 errors, 0 warnings"
    write(mini / "brief.yaml", "stale_after_years: 4\n")
    assert "figures older than 4 years are flagged" in run_check(mini).output


def test_the_check_date_decides_what_is_past(mini: Path):
    apply(mini, SCENARIOS["upcoming-event-in-the-past"][0])
    assert Cli(mini)("check", "--date", "2025-10-01").exit_code == 0
    assert "past-event" not in Cli(mini)("check", "--date", "2025-10-01", "--format", "json").output


def test_a_pair_can_be_checked_alone_and_an_unknown_pair_is_named(mini: Path):
    assert run_check(mini, "kz-tr").exit_code == 0
    result = run_check(mini, "kz-tj")
    assert result.exit_code == 1
    assert "there is no dossier for the pair 'kz-tj'" in result.output


def test_shipped_repository_passes_and_reports_the_kz_tr_trade_conflict():
    result = Cli(REPO)("check", "--date", BRIEF_DATE, "--format", "json")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)
    assert not [f for f in findings if f["severity"] == "error"]
    conflicts = [
        f for f in findings if f["code"] == "fact-conflict" and f["file"] == "briefs/kz-tr.yaml"
    ]
    if not any("2021 turnover" in f["message"] for f in conflicts):
        pytest.skip("the KZ–TR dossier has no 2021 trade alternatives yet")
    text = " ".join(f["message"] for f in conflicts)
    assert "4.1 bn USD" in text and "over 5 bn USD" in text
    assert "the brief shows the preferred" in text


def test_check_of_the_shipped_repository_imports_no_writer_but_weasyprint_css_rules():
    """check reads the stylesheet as WeasyPrint does (its own validators), and writes
    nothing: no DOCX writer, no SVG rasteriser."""
    import subprocess
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "generator",
            "--project",
            str(REPO),
            "check",
            "--date",
            BRIEF_DATE,
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    imported = {
        line.split("|")[-1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "generator.commands.check" in imported
    assert not {"docx", "cairosvg"} & imported


def test_an_undefined_name_is_found_in_a_partial_that_uses_the_briefs_filters(mini: Path):
    summary = mini / "templates" / "sections" / "summary.html"
    text = summary.read_text(encoding="utf-8")
    assert "|t" in text  # the partial uses the brief's own filters
    summary.write_text(text + "<p>{{ nosuch_fact|t }}</p>\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    result = Cli(mini)("check", "--date", BRIEF_DATE)
    assert result.exit_code == 1
    assert (
        f"templates/sections/summary.html:{line}: error: undefined value: 'nosuch_fact' is not "
        "defined" in result.output
    ), result.output


def test_a_character_no_font_can_draw_stops_the_build_as_it_fails_check(mini: Path):
    changes, expected, _ = SCENARIOS["font-lacks-a-character"]
    apply(mini, changes)
    result = Cli(mini)("build", "kz-tr", "--lang", "kk", "--format", "html", "--date",
                       BRIEF_DATE, "--out", str(mini / "out"))  # fmt: skip
    assert result.exit_code == 1, result.output
    assert expected in finding_lines(result.output), result.output
    assert not list((mini / "out").glob("*.html"))
