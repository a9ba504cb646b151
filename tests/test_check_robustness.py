"""No input makes `check` or `build` print a traceback: malformed files of every kind."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import BRIEF_DATE, MINI_DOSSIER, Cli, write
from ruamel.yaml import YAML

RANDOM = bytes(random.Random(7).randrange(256) for _ in range(4000))
SOURCE = "sources/test-source.yaml"
DOSSIER = "briefs/kz-tr.yaml"
SUMMARY = "templates/sections/summary.html"
KEY_DATES = "templates/sections/key_dates.html"

JINJA_ERRORS = [
    "{% if d.summary %}<p>x</p>",
    "{% endfor %}",
    "{% for x in d.summary %}{% endif %}",
    "<p>{{ d.pair </p>",
    "{{ d.pair",
    "{% foo %}",
    "{{ d.pair|nofilter }}",
    "{% if d.pair is nosuch %}{% endif %}",
    "{{ d.pair d.pair }}",
    "{% for %}{% endfor %}",
    "{{ }}",
    "{% trans %}{{ d.pair.x }}{% endtrans %}",
    "{{ d.pair(}}",
    "{{ 'abc }}",
    "{% include %}",
    "{# not closed",
    "{% raw %}x",
    "{{ 1 // 0 }}",
    "{{ d.pair + 1 }}",
    "{{ nosuch }}",
    "{{ d.nosuch }}",
    "{{ d.key_dates[0].nosuch }}",
    "{{ d.__class__ }}",
    "{% include 'nope.html' %}",
    "{% include 'sections/summary.html' %}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{{ d.key_dates[0].date|date('x') }}",
    "{{ d.key_dates[0].date|date(1, 2, 3) }}",
    "{{ 'abc'|amount }}",
    "{{ d.pair|ordinal }}",
    "{{ 'XX'|country('nosuch') }}",
    "{{ _('Year %(x)s') }}",
    "{{ _('%(x)d', x='a') }}",
    "{% for i in range(10000000) %}{% endfor %}",
    "{{ d.summary[99].text }}",
    "{% extends 'base.html' %}{% extends 'base.html' %}",
    "{% set x = %}",
    "{{ cite() }}{{ cite(1) }}",
    "{{ d.key_date() }}",
    "<marquee>{{ d.pair }}</marquee>",
    '<p onclick="x">{{ d.pair }}</p>',
    "{{ d.pair|join_list }}{{ 5|t }}",
]

# values of the wrong type for a field of any type
WRONG = [5, "text", [1, 2], {"a": 1}, None, True, 2.5, "2026-02-30", [[[]]], {"kk": 5}]


def malformed_files() -> list[tuple[str, str, object]]:
    """(id, file, content) of malformed inputs, each in a file a build of kz-tr reads."""
    cases: list[tuple[str, str, object]] = []
    for rel in (DOSSIER, SOURCE, "briefs/people.yaml", "brief.yaml", "templates/house/kk.yaml"):
        short = rel.split("/")[-1]
        cases += [
            (f"{short}-random-bytes", rel, RANDOM),
            (f"{short}-nul", rel, "a: b\x00\n"),
            (f"{short}-deep-flow", rel, "a: " + "[" * 3000 + "]" * 3000 + "\n"),
            (f"{short}-deep-block", rel, "".join("  " * i + f"k{i}:\n" for i in range(150))),
            (
                f"{short}-alias-bomb",
                rel,
                "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
                + "".join(
                    f"{c}: &{c} [" + ",".join([f"*{p}"] * 10) + "]\n"
                    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
                ),
            ),
            (f"{short}-huge", rel, "a: " + "x" * 3_000_000 + "\n"),
            (f"{short}-empty", rel, ""),
            (f"{short}-list", rel, "- 1\n- 2\n"),
            (f"{short}-scalar", rel, "just words\n"),
            (
                f"{short}-tags",
                rel,
                "a: !!python/object/apply:os.system [ls]\nb: !!set {x}\n"
                "c: !!binary aGk=\nd: !custom x\n",
            ),
            (f"{short}-complex-key", rel, "? [a, b]\n: c\n1: 2\n"),
            (f"{short}-not-a-file", rel + "/inside", "a: 1\n"),
        ]
    for i, source in enumerate(JINJA_ERRORS):
        cases.append((f"jinja-{i}", SUMMARY, f"<section>\n{source}\n</section>\n"))
    cases += [
        ("template-bytes", KEY_DATES, RANDOM),
        (
            "template-extends-itself",
            "templates/kinds/background.html",
            "{% extends 'kinds/background.html' %}\n",
        ),
        (
            "house-wrong-types",
            "templates/house/kk.yaml",
            "locale: xx_YY\ndates: 5\nmonths: {nominative: 3}\nlists: []\namounts: 7\n",
        ),
        ("po-random-bytes", "templates/locale/kk/LC_MESSAGES/messages.po", RANDOM),
        (
            "po-garbage",
            "templates/locale/kk/LC_MESSAGES/messages.po",
            'msgid "a\nmsgstr 5\n"stray"\nmsgid_plural\n',
        ),
        ("reference-docx-junk", "templates/reference.docx", b"PK\x03\x04 not a zip"),
        ("reference-docx-not-word", "templates/reference.docx", _zip_without_styles()),
    ]
    return cases


def _zip_without_styles() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a Word file")
    return buf.getvalue()


def wrong_types_at_every_level() -> list[tuple[str, str, object]]:
    """The mini dossier with each value in turn replaced by values of the wrong type."""
    yaml = YAML(typ="safe")
    base = yaml.load(MINI_DOSSIER)
    cases = []

    def paths(node, where=()):
        yield where
        if isinstance(node, dict):
            for key, value in node.items():
                yield from paths(value, where + (key,))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from paths(value, where + (i,))

    for n, where in enumerate(list(paths(base))[1:]):
        for wrong in (WRONG[n % len(WRONG)], WRONG[(n + 3) % len(WRONG)]):
            data = yaml.load(MINI_DOSSIER)
            node = data
            for key in where[:-1]:
                node = node[key]
            node[where[-1]] = wrong
            import io

            buf = io.StringIO()
            YAML().dump(data, buf)
            label = ".".join(str(p) for p in where)
            cases.append((f"wrong-type-{label}-{type(wrong).__name__}", DOSSIER, buf.getvalue()))
    return cases


def _put(root: Path, rel: str, content: object) -> None:
    target = root / rel
    if target.is_dir():
        shutil.rmtree(target)
    if rel.endswith("/inside"):  # the file is a folder instead
        file = root / rel.removesuffix("/inside")
        file.unlink(missing_ok=True)
        file.mkdir(parents=True)
    if isinstance(content, bytes):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    else:
        write(target, str(content))


def _assert_no_traceback(output: str) -> None:
    assert "Traceback" not in output, output[-3000:]
    assert "internal error" not in output, output[-3000:]


CASES = malformed_files()
VALID = {"brief.yaml-empty"}  # an empty settings file means: the defaults


@pytest.mark.parametrize("name,rel,content", CASES, ids=[c[0] for c in CASES])
def test_check_and_build_report_malformed_input_without_a_traceback(mini: Path, name, rel, content):
    _put(mini, rel, content)
    cli = Cli(mini)
    result = cli("check", "--date", BRIEF_DATE)
    _assert_no_traceback(result.output)
    if name in VALID:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[-1].startswith(tuple(f"{n} error" for n in range(1, 999)))
    fmt = "docx" if "docx" in rel else "html"
    built = cli(
        "build",
        "kz-tr",
        "--lang",
        "kk",
        "--format",
        fmt,
        "--date",
        BRIEF_DATE,
        "--out",
        str(mini / "out"),
        "--jobs",
        "1",
    )
    _assert_no_traceback(built.output)
    assert built.exit_code in (0, 1), built.output
    if not rel.startswith("templates/"):  # facts, settings, house style: every build stops
        assert built.exit_code == 1, built.output
    # a build never fails with a message check did not give
    assert set(error_lines(built.output)) <= set(error_lines(result.output)), built.output


def error_lines(output: str) -> list[str]:
    """The `path:line: error: message` lines of an output, wherever they are indented."""
    return [
        line.strip() for line in output.splitlines() if re.match(r"^\s*\S+?(:\d+)*: error: ", line)
    ]


WRONG_CASES = wrong_types_at_every_level()


@pytest.mark.parametrize("name,rel,content", WRONG_CASES, ids=[c[0] for c in WRONG_CASES])
def test_wrong_types_at_every_level_are_findings(mini: Path, name, rel, content):
    _put(mini, rel, content)
    result = Cli(mini)("check", "--date", BRIEF_DATE)
    _assert_no_traceback(result.output)
    assert result.exit_code in (0, 1), result.output
    # a value of another type can still be right (5 as a year): then check and build agree
    built = Cli(mini)(
        "build", "kz-tr", "--lang", "en", "--format", "html", "--kind", "meeting",
        "--date", BRIEF_DATE, "--out", str(mini / "out"), "--jobs", "1",
    )  # fmt: skip
    _assert_no_traceback(built.output)
    assert built.exit_code == result.exit_code, (result.output, built.output)
    if result.exit_code == 1:
        assert re.search(r"^briefs/kz-tr\.yaml:\d+: error: ", result.output, re.M), result.output
        assert set(error_lines(built.output)) <= set(error_lines(result.output))


def test_a_template_with_every_jinja_error_at_once_is_reported_in_one_run(mini: Path):
    write(mini / SUMMARY, "<section>\n" + "\n".join(JINJA_ERRORS[:3]) + "\n</section>\n")
    result = Cli(mini)("check", "--date", BRIEF_DATE)
    _assert_no_traceback(result.output)
    assert result.exit_code == 1
    # Jinja stops a file at its first syntax error: the one it meets, at its line, in words
    assert result.output.splitlines() == [
        "templates/sections/summary.html:3: error: template syntax error: {% endfor %} found "
        "where {% endif %} was expected",
        "    close the {% if %} block with {% endif %} first",
        "1 error, 0 warnings in 1 file",
    ]
