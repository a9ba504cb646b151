"""templates/theme.css read as WeasyPrint reads it: `brief check` and `brief build` refuse the
same mistakes, each at its line, and the shipped theme passes."""

from __future__ import annotations

from pathlib import Path

from check_cases import finding_lines
from conftest import BRIEF_DATE, REPO, Cli, build

from generator.checks.theme import stylesheet_findings, theme_problems

THEME = "templates/theme.css"


def add_rules(root: Path, css: str) -> int:
    """Append rules to the project's theme.css; the line number of the first added line."""
    path = root / THEME
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + css, encoding="utf-8")
    return text.count("\n") + 1


def check_and_build(root: Path) -> tuple:
    check = Cli(root)("check", "--date", BRIEF_DATE)
    built = build(root, "kz-tr", "--lang", "en", "--format", "pdf")
    return check, built


def assert_refused_by_both(root: Path, expected: str) -> None:
    check, built = check_and_build(root)
    for result in (check, built):
        assert expected in finding_lines(result.output), result.output
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output and "internal error" not in result.output
    assert not (root / "out").exists() or not any((root / "out").iterdir())


def findings(css: str) -> list[str]:
    base = (REPO / THEME).resolve().as_uri()
    return [f"{f.line}: {f.severity}: {f.message}" for f in stylesheet_findings(css, THEME, base)]


def test_a_misspelt_property_is_refused_at_its_line_by_check_and_build(mini: Path):
    line = add_rules(mini, "\nh2 {\n  colr: red;\n}\n")
    expected = f"{THEME}:{line + 2}: error: unknown property 'colr' — did you mean 'color'?"
    assert_refused_by_both(mini, expected)


def test_a_missing_brace_is_refused_at_the_rule_it_opens(mini: Path):
    line = add_rules(mini, "\nh2 { color: red;\n\nh3 { color: blue; }\np.x { margin: 0; }\n")
    expected = (
        f"{THEME}:{line + 1}: error: the block opened here is never closed: every rule after it "
        "is lost"
    )
    assert_refused_by_both(mini, expected)
    check = Cli(mini)("check", "--date", BRIEF_DATE)
    assert "add the missing }" in check.output


def test_a_value_weasyprint_rejects_is_refused(mini: Path):
    line = add_rules(mini, "p.lead {\n  margin: 2 fish;\n}\n")
    expected = f"{THEME}:{line + 1}: error: invalid value for 'margin': '2 fish' (invalid value)"
    assert_refused_by_both(mini, expected)


def test_the_shipped_theme_has_no_finding():
    assert theme_problems(REPO / "templates") == []


def test_font_faces_page_margin_boxes_prefixes_and_custom_properties_are_fine():
    css = (
        '@font-face { font-family: "X"; src: url(fonts/NotoSans-Regular.ttf); '
        "font-weight: bold; font-style: italic; unicode-range: U+0000-00FF; }\n"
        "@page :first { size: A4; @top-left { content: 'x'; vertical-align: bottom; } "
        "@bottom-right-corner { content: counter(page); } }\n"
        "@page meeting { margin: 17mm; }\n"
        "@media print { p { color: #111; } }\n"
        "a { -weasy-hyphens: auto; -webkit-hyphens: auto; --accent: #1f3a5f; "
        "color: var(--accent); bookmark-level: 1; string-set: title content(); }\n"
        "p::before, h2::after { content: '' }\n"
    )
    assert findings(css) == []


def test_a_syntax_error_and_a_bad_selector():
    assert findings("a { color red; margin: 0 }\nb:hovr { color: red }\n") == [
        "1: error: CSS syntax error: Stop token reached before {} block for a qualified rule; "
        "WeasyPrint skips this rule or declaration",
        "2: warning: WeasyPrint cannot parse the selector 'b:hovr' (Unknown pseudo-class: "
        "hovr): the whole rule is ignored",
    ]


def test_nested_unclosed_blocks_and_an_unclosed_parenthesis():
    assert findings("a { }\n@media print {\n  p { color: red;\n") == [
        "2: error: the block opened here is never closed: every rule after it is lost",
        "3: error: the block opened here is never closed: every rule after it is lost",
    ]
    assert "1: error: the '(' opened here is never closed: every rule after it is lost" in (
        findings("a { color: rgb(1, 2 }\nb { color: red }\n")
    )
    assert findings("a { color: red }\n}\n")  # a } without its {
