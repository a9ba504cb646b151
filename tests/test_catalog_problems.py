"""A .po catalog Babel or gettext would misread is a located error, the same in `brief check`
and `brief build`: a keyword twice in an entry, a plural formula gettext cannot use, a
header date or charset that cannot be read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import BRIEF_DATE, REPO, Cli, write

from generator.l10n.catalogs import po_text_problems

PO = "templates/locale/en/LC_MESSAGES/messages.po"
SHIPPED = (REPO / PO).read_text(encoding="utf-8")


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def error_lines(output: str) -> set[str]:
    return {
        line.strip() for line in output.splitlines() if re.match(r"^\s*\S+?(:\d+)*: error: ", line)
    }


PLURAL = 'msgid_plural "%(n)s years of diplomatic relations"\n'
# name → (the catalog's text, the text of the line at fault, the start of the message)
CASES = {
    "msgid_plural-twice": (
        SHIPPED.replace(PLURAL, PLURAL + 'msgid_plural "%(n)s years, again"\n', 1),
        'msgid_plural "%(n)s years, again"',
        "msgid_plural appears twice in this entry (first on line",
    ),
    "octal-in-plural-formula": (
        SHIPPED.replace("plural=(n != 1);", "plural=(n != 010);"),
        "plural=(n != 010)",
        "the plural formula writes the number '010' with a leading zero",
    ),
    "creation-date-garbage": (
        re.sub(r"POT-Creation-Date: [^\\]*", "POT-Creation-Date: garbage", SHIPPED),
        "POT-Creation-Date: garbage",
        "the POT-Creation-Date 'garbage' is not a date and time",
    ),
    "plural-formula-unreadable": (
        SHIPPED.replace("plural=(n != 1);", "plural=(n != 1e3);"),
        "plural=(n != 1e3)",
        "the plural formula '(n != 1e3)' cannot be read",
    ),
    "charset-unknown": (
        SHIPPED.replace("charset=utf-8", "charset=nonsense"),
        "charset=nonsense",
        "the catalog declares charset=nonsense, but catalogs are read as UTF-8",
    ),
}


@pytest.fixture
def small(mini: Path) -> Path:
    """The mini project in English only."""
    write(mini / "brief.yaml", "languages: [en]\n")
    return mini


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_broken_catalog_is_the_same_located_error_in_check_and_build(small: Path, name: str):
    text, fragment, message = CASES[name]
    write(small / PO, text)
    expected = f"{PO}:{line_of(text, fragment)}: error: {message}"
    cli = Cli(small)
    checked = cli("check", "--date", BRIEF_DATE)
    built = cli(
        "build", "kz-tr", "--lang", "en", "--kind", "meeting", "--format", "html",
        "--date", BRIEF_DATE, "--out", str(small / "out"), "--jobs", "1",
    )  # fmt: skip
    for result in (checked, built):
        assert "Traceback" not in result.output and "internal error" not in result.output
        assert result.exit_code == 1, result.output
        assert any(e.startswith(expected) for e in error_lines(result.output)), (
            expected,
            result.output,
        )
    assert error_lines(built.output) <= error_lines(checked.output)


def test_a_broken_header_in_messages_pot_is_located_by_check(small: Path):
    pot = small / "templates" / "messages.pot"
    header = 'msgid ""\nmsgstr ""\n"POT-Creation-Date: 2026-99-99 25:61+0000\\n"\n\n'
    pot.write_text(header + pot.read_text(encoding="utf-8"), encoding="utf-8")
    checked = Cli(small)("check", "--date", BRIEF_DATE)
    assert "internal error" not in checked.output
    assert checked.exit_code == 1
    assert (
        "templates/messages.pot:3: error: the POT-Creation-Date '2026-99-99 25:61+0000' is not "
        "a date and time" in error_lines(checked.output)
    ), checked.output


HEADER = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Plural-Forms: {forms}\\n"\n\n'
ENTRY = 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "a"\nmsgstr[1] "as"\n'


@pytest.mark.parametrize(
    "forms,message",
    [
        ("nplurals=2; plural=(n != 1);", None),
        ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);", None),
        ("nplurals=0; plural=0;", "nplurals must be a whole number from 1 to 6, got '0'"),
        ("nplurals=x; plural=0;", "the header Plural-Forms"),
        ("nplurals=2; plural=(n != 08);", "the plural formula writes the number '08'"),
        ("nplurals=2; plural=(n != 1;", "the plural formula '(n != 1' cannot be read"),
        ("nplurals=2; plural=(n / 0);", "the plural formula '(n / 0)' divides by zero for n = 0"),
        ("nplurals=2; plural=(n - 10);", "the plural formula gives form -10 for n = 0"),
        ("nplurals=2; plural=n;", "the plural formula gives form 2 for n = 2"),
        ("nplurals=2; plural=" + "(" * 30 + "n" + ")" * 30 + ";", "the plural formula '(((("),
        ("nplurals=2; plural=" + "n+" * 600 + "1;", "the plural formula 'n+n+"),
    ],
)
def test_plural_forms_are_held_to_what_gettext_reads(forms: str, message: str | None):
    problems = po_text_problems(HEADER.format(forms=forms) + ENTRY, "x.po")
    if message is None:
        assert problems == []
    else:
        assert [(p.line, p.code) for p in problems] == [(4, "catalog-header")], problems
        assert problems[0].message.startswith(message), problems[0].message


@pytest.mark.parametrize(
    "text,line,message",
    [
        ('msgid "a"\nmsgstr "x"\nmsgstr "y"\n', 3, "msgstr appears twice in this entry"),
        ('msgid "a"\nmsgid_plural "b"\nmsgstr[0] "x"\nmsgstr[0] "y"\n', 4, "msgstr[0] appears"),
        (
            'msgid ""\nmsgstr ""\n"PO-Revision-Date: 2026-13-45 17:53+0000\\n"\n',
            3,
            "the PO-Revision",
        ),
        ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=latin-1\\n"\n', 3, "the catalog"),
        ('msgid ""\nmsgstr ""\n"Language: xx_YY_ZZ!!\\n"\n', 3, "the header Language"),
        (
            'msgid ""\nmsgstr ""\n"Last-Translator: a\\n"\n"Plural-Forms: nplurals=7;\\n"\n',
            4,
            "npl",
        ),
    ],
)
def test_keywords_and_header_fields_are_located_at_their_line(text: str, line: int, message: str):
    problems = po_text_problems(text, "x.po")
    assert [p.line for p in problems] == [line], problems
    assert problems[0].message.startswith(message), problems[0].message


def test_the_shipped_catalogs_have_no_problems():
    for lang in ("en", "kk", "ru"):
        rel = f"templates/locale/{lang}/LC_MESSAGES/messages.po"
        assert po_text_problems((REPO / rel).read_text(encoding="utf-8"), rel) == []
