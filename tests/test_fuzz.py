"""The fuzzer: hostile edits of dossiers, sources, catalogs, house styles and templates.

Whatever an edit does, `brief check` and `brief build` end in findings that name a file,
never in an internal error, and they agree: check passes exactly when the build does.

The suite runs a short, repeatable run. A long run by hand, with new random cases:

    BRIEF_FUZZ_CHECKS=10000 BRIEF_FUZZ_BUILDS=1000 .venv/bin/python -m pytest -q -n 2 \\
        tests/test_fuzz.py -p no:cacheprovider

(each of the two tests can be given its own count; 0 skips it).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import copy_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_sandbox import PAYLOADS

from generator.errors import BriefError, Finding

DATE = dt.date(2026, 2, 2)
CHECKS = int(os.environ.get("BRIEF_FUZZ_CHECKS", "40"))
BUILDS = int(os.environ.get("BRIEF_FUZZ_BUILDS", "8"))
LONG = "BRIEF_FUZZ_CHECKS" in os.environ or "BRIEF_FUZZ_BUILDS" in os.environ

YAML_FILES = [
    "briefs/kz-tr.yaml",
    "briefs/people.yaml",
    "briefs/organisations.yaml",
    "sources/mfa-kz-tr-jspg-2026-02-02.yaml",
    "sources/enu-bulletin-2023-kz-tr-cooperation.yaml",
    "templates/house/en.yaml",
    "templates/house/kk.yaml",
    "brief.yaml",
]
TEMPLATE_FILES = [
    "templates/base.html",
    "templates/kinds/background.html",
    "templates/kinds/meeting.html",
    "templates/labels.html",
    "templates/sections/summary.html",
    "templates/sections/trade.html",
    "templates/sections/key_dates.html",
    "templates/sections/sources.html",
    "templates/theme.css",
]
CATALOG_FILES = [
    "templates/locale/kk/LC_MESSAGES/messages.po",
    "templates/locale/ru/LC_MESSAGES/messages.po",
]

YAML_VALUES = [
    "",
    "~",
    "null",
    "yes",
    "0",
    "-1",
    "1e999",
    ".nan",
    "1" * 5000,
    "0000-01-01",
    "2026-02-30",
    "2026-13-01",
    "2026",
    "2026-02",
    "9999-12-31",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGk=",
    "!!int x",
    "!!timestamp x",
    "&a x",
    "*a",
    "*missing",
    "<<: {a: 1}",
    "[",
    "]",
    "{",
    "}",
    '"unterminated',
    "'",
    "|",
    ">",
    "- x",
    "? x",
    "@x",
    "`x`",
    "%x",
    "\t",
    "\ufffe",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "{en: x}",
    "{kk: x, ru: y, en: z}",
    "{xx: x}",
    "{en: ''}",
    "[1, [2, [3]]]",
    "[" * 300 + "]" * 300,
    "{a: " * 200 + "1" + "}" * 200,
    "http://127.0.0.1:9/x",
    "file:///etc/passwd",
    "=?utf-8?b?DQpCY2M6IGV2aWxAeC5reg==?=",
    "x\nBcc: evil@x.kz",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "%(x)s",
    "{0}",
    "x" * 100_000,
    "mfa-kz-tr-jspg-2026-02-02",
    "no-such-source",
    "kz-tr",
    "Erdoğan",
    "²",
    "١٢٣",
    "1,5",
    "1 000,50",
    "USD",
    "-0",
    "+5",
    "0x1F",
    "1_000",
]
TEMPLATE_FRAGMENTS = PAYLOADS + [
    "{% if %}",
    "{{",
    "}}",
    "{%",
    "%}",
    "{% endfor %}",
    "{% endif %}",
    "{% block x %}",
    "{% endblock %}",
    "{% extends 'base.html' %}",
    "{% include 'labels.html' %}",
    "{% include 'nothing.html' %}",
    "{% include 'kinds/background.html' %}",
    "</section>",
    "<section>",
    "<h2>",
    "</h2>",
    "<table><tr><td>x",
    "</td></tr></table>",
    "<ul><li>",
    '<img src="http://127.0.0.1:9/x.png">',
    '<img src="/etc/passwd">',
    "<img src=\"data:image/svg+xml,%3Csvg%3E%3C!ENTITY x 'y'%3E%3C/svg%3E\">",
    '<img src="data:image/x-unknown;base64,AAAA">',
    '<link rel="stylesheet" href="../x.css">',
    '<link rel="stylesheet" href="http://x/">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="file:///etc/passwd">x</a>',
    '<a href="mailto:a@b.kz">x</a>',
    "<script>alert(1)</script>",
    "<style>@import url(http://x);</style>",
    '<div style="background:url(http://127.0.0.1:9/)">',
    "<blink>",
    "<p>",
    "</p>",
    "{{ _('x %(n)s') }}",
    "{{ _('x %(n)s', n=1) }}",
    "{{ ngettext('a', 'b', 3) }}",
    "{% trans %}x{% endtrans %}",
    "{% trans n=1 %}a{% pluralize %}b{% endtrans %}",
    "{{ cite(None) }}",
    "{{ cite(d) }}",
    "{{ trade_chart() }}",
    "{{ d.pair|upper }}",
    "{{ brief.date|date }}",
    "{{ brief.date|date('nonsense') }}",
    "{{ 5|amount }}",
    "{{ 'x'|number }}",
    "{{ d.nothing }}",
    "{{ undefined_name }}",
    "{{ d.key_dates[99] }}",
    "@page { size: A4; }",
    "@import url(http://127.0.0.1:9/x.css);",
    "body { font-family: url(/etc/passwd) }",
    "@font-face { src: url(../../x.ttf) }",
    "}",
]
CATALOG_LINES = [
    'msgid "x"', 'msgstr "y"', 'msgid_plural "xs"', 'msgstr[0] "a"', 'msgstr[9] "b"',
    '"Plural-Forms: nplurals=2; plural=(n != 010);\\n"', '"Plural-Forms: nplurals=x;\\n"',
    '"Plural-Forms: nplurals=1; plural=n/0;\\n"', '"POT-Creation-Date: garbage\\n"',
    '"Content-Type: text/plain; charset=latin-1\\n"', '"Content-Type: text/plain; charset=nope\\n"',
    "#, fuzzy", "#, python-format", 'msgctxt "c"', '"', 'msgstr "%(x)s %(y)d"',
    'msgstr "{{ 7*7 }}"', 'msgstr "<script>x</script>"', 'msgstr "=?utf-8?b?DQpCY2M6IA==?="',
    'msgid ""', 'msgstr ""', "msgid", "msgstr[", '"\\x"', '"\\777"',
]  # fmt: skip


@dataclass(frozen=True)
class Edit:
    """One change to one file of the project."""

    file: str
    how: str  # replace | insert | delete | value | truncate | bytes
    at: float  # where, as a fraction of the file
    text: str

    def apply(self, original: bytes) -> bytes:
        if self.how == "truncate":
            return original[: int(len(original) * self.at)]
        if self.how == "bytes":
            cut = int(len(original) * self.at)
            return original[:cut] + self.text.encode("latin-1", "replace") + original[cut:]
        lines = original.decode("utf-8", "surrogateescape").split("\n")
        i = min(int(len(lines) * self.at), len(lines) - 1)
        if self.how == "replace":
            lines[i] = self.text
        elif self.how == "insert":
            lines.insert(i, self.text)
        elif self.how == "delete":
            del lines[i : i + 1 + len(self.text) % 5]
        elif self.how == "value":  # keep the key and the indentation, change the value
            head, colon, _ = lines[i].partition(":")
            lines[i] = f"{head}: {self.text}" if colon else f"{lines[i]} {self.text}"
        return "\n".join(lines).encode("utf-8", "surrogatepass")


def edits(files: list[str], pool: list[str]) -> st.SearchStrategy[Edit]:
    text = st.one_of(st.sampled_from(pool), st.text(max_size=40))
    return st.builds(
        Edit,
        file=st.sampled_from(files),
        how=st.sampled_from(["replace", "insert", "delete", "value", "truncate", "bytes"]),
        at=st.floats(0, 1),
        text=text,
    )


ANY_EDIT = st.one_of(
    edits(YAML_FILES, YAML_VALUES),
    edits(TEMPLATE_FILES, TEMPLATE_FRAGMENTS),
    edits(CATALOG_FILES, CATALOG_LINES),
)


class Project:
    """A copy of the shipped project with one pair, edited and restored case by case."""

    def __init__(self, root: Path):
        self.root = copy_project(root)
        for other in ("kz-az", "kz-tj"):
            (self.root / "briefs" / f"{other}.yaml").unlink()
        (self.root / "brief.yaml").write_text("languages: [kk, ru, en]\n", encoding="utf-8")
        self.clock = 1_900_000_000

    def edit(self, changes: list[Edit], saved: dict[Path, bytes]) -> None:
        """Apply the changes, keeping each file's first version in `saved`."""
        for change in changes:
            path = self.root / change.file
            saved.setdefault(path, path.read_bytes())
            self.write(path, change.apply(path.read_bytes()))

    def restore(self, saved: dict[Path, bytes]) -> None:
        for path, data in saved.items():
            self.write(path, data)

    def write(self, path: Path, data: bytes) -> None:
        path.write_bytes(data)
        self.clock += 1  # a new time for each version: caches keyed on it see every change
        os.utime(path, ns=(self.clock * 10**9, self.clock * 10**9))


def verdict(run) -> tuple[str, list[Finding]]:
    """ok | errors (with the findings) | internal (a Python error reached the caller)."""
    try:
        errors = run()
    except BriefError as exc:
        return "errors", exc.findings
    except Exception:  # noqa: BLE001 - exactly what the fuzzer looks for
        raise AssertionError("internal error:\n" + traceback.format_exc()) from None
    return ("errors" if errors else "ok"), errors


def check_verdict(root: Path) -> tuple[str, list[Finding]]:
    from generator.commands.check import check

    return verdict(lambda: check(root, on=DATE).errors)


def build_verdict(
    root: Path, formats: tuple[str, ...], langs: tuple[str, ...] | None = None
) -> tuple[str, list[Finding]]:
    from generator.commands.build import Options, build

    out = root / "out"
    shutil.rmtree(out, ignore_errors=True)
    options = Options(
        pairs=("kz-tr",), langs=langs, formats=formats, date=DATE, out=out, jobs=1, force=True
    )
    return verdict(lambda: [f for r in build(root, options).failed for f in r.findings] or [])


def located(findings: list[Finding]) -> None:
    unlocated = [f.format() for f in findings if not f.path]
    assert not unlocated, unlocated


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory) -> Project:
    return Project(tmp_path_factory.mktemp("fuzz") / "p")


def _settings(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=not LONG,  # the suite's run is the same every time
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.mark.skipif(CHECKS == 0, reason="BRIEF_FUZZ_CHECKS=0")
@_settings(CHECKS)
@given(changes=st.lists(ANY_EDIT, min_size=1, max_size=3))
def test_check_ends_in_located_findings(fuzzed: Project, changes: list[Edit]):
    saved: dict[Path, bytes] = {}
    try:
        fuzzed.edit(changes, saved)
        _, findings = check_verdict(fuzzed.root)
        located(findings)
    finally:
        fuzzed.restore(saved)


@pytest.mark.skipif(BUILDS == 0, reason="BRIEF_FUZZ_BUILDS=0")
@_settings(BUILDS)
@given(
    changes=st.lists(ANY_EDIT, min_size=1, max_size=2),
    lang=st.sampled_from(["kk", "ru", "en", None]),
    pdf=st.integers(0, 3),
)
def test_check_and_build_agree(fuzzed: Project, changes: list[Edit], lang: str | None, pdf: int):
    """Check passes exactly when the build passes; a build of one language (most cases, to
    go faster) may pass where check, which reads them all, fails."""
    saved: dict[Path, bytes] = {}
    try:
        fuzzed.edit(changes, saved)
        checked, check_findings = check_verdict(fuzzed.root)
        built, build_findings = build_verdict(
            fuzzed.root,
            ("html", "docx", "pdf") if pdf == 0 else ("html", "docx"),
            (lang,) if lang else None,
        )
        located(check_findings)
        located(build_findings)
        agree = checked == built or (lang is not None and (checked, built) == ("errors", "ok"))
        assert agree, (
            f"check: {checked} {[f.format() for f in check_findings][:5]}\n"
            f"build: {built} {[f.format() for f in build_findings][:5]}"
        )
    finally:
        fuzzed.restore(saved)


def test_the_unedited_project_passes_both(fuzzed: Project):
    assert check_verdict(fuzzed.root) == ("ok", [])
    assert build_verdict(fuzzed.root, ("html",)) == ("ok", [])
