"""`brief check` and `brief build` give the same verdict on the same project.

A corpus of small projects, each a copy of the mini project (or of the shipped one) with one
change: facts, sources, people, settings, house style, templates, catalogs, theme, declared
sections, the Word reference and the fonts. For each, check and build (PDF, DOCX and HTML of
one language and one kind) must agree: the same exit status, the same located error, no
traceback, and no output the build did not report as built.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from check_cases import SCENARIOS, apply
from conftest import BRIEF_DATE, MINI_DOSSIER, MINI_SOURCE, Cli, copy_project, write

D = MINI_DOSSIER
DOSSIER = "briefs/kz-tr.yaml"
SOURCE = "sources/test-source.yaml"
PEOPLE = "briefs/people.yaml"
SETTINGS = "brief.yaml"
HOUSE = "templates/house/en.yaml"
PURPOSE = "templates/sections/purpose.html"  # a section the meeting note shows
MEETING = "templates/kinds/meeting.html"
THEME = "templates/theme.css"
SECTIONS = "templates/sections.yaml"
REFERENCE = "templates/reference.docx"
EN_PO = "templates/locale/en/LC_MESSAGES/messages.po"
# the partial every SCENARIOS template case rewrites: only the background brief shows it
SUMMARY = "templates/sections/summary.html"

Change = Callable[[Path], None]


def replace(rel: str, old: str, new: str, count: int = 1) -> Change:
    """Replace text in a project file (the text must be there)."""

    def change(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return change


def append(rel: str, extra: str) -> Change:
    def change(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        write(path, text + ("" if not text or text.endswith("\n") else "\n") + extra)

    return change


def put(rel: str, content: str | bytes) -> Change:
    def change(root: Path) -> None:
        apply(root, {rel: content})

    return change


def remove(rel: str) -> Change:
    def change(root: Path) -> None:
        path = root / rel
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()

    return change


def in_purpose(markup: str) -> Change:
    """Add markup to the purpose section, which the meeting note shows."""
    return replace(PURPOSE, "</section>", markup + "\n</section>")


def junk_zip(names: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in names.items():
            z.writestr(name, data)
    return buf.getvalue()


@dataclass
class Case:
    changes: list[Change]
    status: int  # check's exit status on this project
    finding: str | None = None  # a piece of check's output that shows the change was seen
    base: str = "mini"  # mini | shipped
    kind: str = "meeting"
    lang: str = "en"
    pair: str = "kz-tr"
    disagreement: str | None = None  # a known disagreement of check and build, in one line


TR_PERSON = """\
people:
  - id: fidan
    name: {kk: Хакан Фидан, ru: Хакан Фидан, en: Hakan Fidan}
    offices:
      - title:
          kk: Түркия Сыртқы істер министрі
          ru: Министр иностранных дел Турции
          en: Minister of Foreign Affairs of Türkiye
        country: TR
        source: test-source
"""
QUOTE = """\
quotes:
  - speaker: fidan
    text: {kk: Сөз, ru: Слово, en: Word}
    source: test-source
"""
SECTION_DECLARED = """\
  aid:
    heading: {kk: Көмек, ru: Помощь, en: Aid}
    items: dated
"""
SECTION_ITEMS = """\
aid:
  - date: 2025-06-12
    text: {kk: Ұн жіберілді, ru: Направлена мука, en: Flour was sent}
    source: test-source
"""
IMPORT_DECLARED = '{% import "sections/declared.html" as declared with context %}\n'
REMOTE_IMAGE = '<img src="http://127.0.0.1:9/x.png" alt="x">'


def show_section(key: str) -> list[Change]:
    """The meeting note imports the declared sections and shows `key`."""
    return [
        replace(
            MEETING, '{% extends "base.html" %}\n', '{% extends "base.html" %}\n' + IMPORT_DECLARED
        ),
        replace(MEETING, "{% endblock %}", '{{ declared.section("' + key + '") }}\n{% endblock %}'),
    ]


OWN: dict[str, Case] = {
    # ---- valid projects -------------------------------------------------------------------
    "valid-mini": Case([], 0, "0 errors, 0 warnings"),
    "valid-mini-with-a-counterpart": Case([put(PEOPLE, TR_PERSON)], 0),
    "valid-declared-section-in-the-meeting-note": Case(
        [append(SECTIONS, SECTION_DECLARED), append(DOSSIER, SECTION_ITEMS), *show_section("aid")],
        0,
    ),
    "valid-shipped-project": Case([], 0, base="shipped"),
    # ---- facts ----------------------------------------------------------------------------
    "fact-amount-with-a-thousands-comma": Case(
        [replace(DOSSIER, "10 bn USD", "4,100 bn USD")], 1, "briefs/kz-tr.yaml:10: error:"
    ),
    "fact-amount-unknown-currency": Case(
        [replace(DOSSIER, "10 bn USD", "10 bn XYZ")], 1, "briefs/kz-tr.yaml:10: error:"
    ),
    "fact-comma-inside-a-one-line-text": Case(
        [replace(DOSSIER, "en: Diplomatic relations established", "en: Relations, established")],
        1,
        "briefs/kz-tr.yaml:6: error:",
    ),
    "fact-text-is-a-number": Case(
        [replace(DOSSIER, "text: {kk: Дипломатиялық", "text: 5\n    txt: {kk: Дипломатиялық")],
        1,
        "briefs/kz-tr.yaml:",
    ),
    "fact-year-out-of-range": Case(
        [replace(DOSSIER, "year: 2024", "year: 99999")], 1, "briefs/kz-tr.yaml:9: error:"
    ),
    "fact-key-date-unknown-kind": Case(
        [replace(DOSSIER, "kind: diplomatic_relations", "kind: friendship")],
        1,
        "briefs/kz-tr.yaml:4: error:",
    ),
    "fact-unknown-country": Case(
        [replace(DOSSIER, "[KZ, TR]", "[KZ, TR, XX]")], 1, "briefs/kz-tr.yaml:2: error:"
    ),
    "fact-trade-is-a-mapping": Case(
        [replace(DOSSIER, "trade:\n  - year", "trade:\n    year")], 1, "briefs/kz-tr.yaml:"
    ),
    "fact-top-level-list": Case(
        [put(DOSSIER, "- pair: kz-tr\n")], 1, "briefs/kz-tr.yaml:1: error:"
    ),
    "fact-unknown-key-in-an-item": Case(
        [replace(DOSSIER, "    source: test-source\n", "    sourse: test-source\n", 1)],
        1,
        "briefs/kz-tr.yaml:",
    ),
    "fact-unknown-person-in-a-quote": Case(
        [put(PEOPLE, TR_PERSON), append(DOSSIER, QUOTE.replace("fidan", "fidn"))],
        1,
        "briefs/kz-tr.yaml:13: error: unknown person 'fidn'",
    ),
    "fact-event-date-impossible": Case(
        [
            append(
                DOSSIER,
                "events:\n  - date: 2026-13-01\n    title: {kk: А, ru: Б, en: C}\n"
                "    source: test-source\n",
            )
        ],  # fmt: skip
        1,
        "briefs/kz-tr.yaml:13: error:",
    ),
    "fact-duplicate-key-dates-section": Case(
        [append(DOSSIER, "key_dates: []\n")], 1, "briefs/kz-tr.yaml:12: error:"
    ),
    "fact-dossier-of-an-unknown-pair": Case(
        [put("briefs/kz-xx.yaml", D.replace("kz-tr", "kz-xx").replace("TR]", "XX]"))],
        1,
        "'XX' is not a country code",
        pair="kz-xx",
    ),
    # ---- sources --------------------------------------------------------------------------
    "source-yaml-syntax": Case(
        [replace(SOURCE, "kind: news", "kind: [news")], 1, "sources/test-source.yaml:"
    ),
    "source-id-disagrees-with-file-name": Case(
        [replace(SOURCE, "id: test-source", "id: test-sauce")],
        1,
        "sources/test-source.yaml:1: error:",
    ),
    "source-duplicate-id": Case(
        [put("sources/copy.yaml", MINI_SOURCE)], 1, "sources/copy.yaml:1: error:"
    ),
    "source-unknown-kind": Case(
        [replace(SOURCE, "kind: news", "kind: rumour")], 1, "sources/test-source.yaml:2: error:"
    ),
    "source-impossible-date": Case(
        [replace(SOURCE, "2026-01-15", "2026-01-32")], 1, "sources/test-source.yaml:6: error:"
    ),
    "source-unknown-key": Case(
        [append(SOURCE, "pubisher: x\n")], 1, "sources/test-source.yaml:7: error:"
    ),
    "source-title-missing": Case(
        [
            replace(
                SOURCE, "title: {kk: Сынақ дереккөзі, ru: Тестовый источник, en: Test source}\n", ""
            )
        ],
        1,
        "sources/test-source.yaml:",
    ),
    # ---- people ---------------------------------------------------------------------------
    "people-yaml-syntax": Case(
        [put(PEOPLE, TR_PERSON.replace("id: fidan", "id: [fidan"))], 1, "briefs/people.yaml:"
    ),
    "people-duplicate-id": Case(
        [put(PEOPLE, TR_PERSON + TR_PERSON.removeprefix("people:\n"))],
        1,
        "briefs/people.yaml:11: error:",
    ),
    "people-office-unknown-source": Case(
        [put(PEOPLE, TR_PERSON.replace("source: test-source", "source: nowhere"))],
        1,
        "briefs/people.yaml:10: error:",
    ),
    "people-unknown-country": Case(
        [put(PEOPLE, TR_PERSON.replace("country: TR", "country: Turkey"))],
        1,
        "briefs/people.yaml:9: error:",
    ),
    "people-not-a-list": Case([put(PEOPLE, "people: fidan\n")], 1, "briefs/people.yaml:1: error:"),
    "people-counterpart-name-with-a-glyph-the-fonts-lack": Case(
        [put(PEOPLE, TR_PERSON.replace("en: Hakan Fidan", "en: Oʻzbekiston Fidan"))],
        1,
        "briefs/people.yaml:3: error: the character 'ʻ' (U+02BB",
    ),
    # ---- settings -------------------------------------------------------------------------
    "settings-unknown-key": Case(
        [put(SETTINGS, "stale_after_yeras: 3\n")], 1, "brief.yaml:1: error:"
    ),
    "settings-yaml-syntax": Case([put(SETTINGS, "languages: [en\n")], 1, "brief.yaml:"),
    "settings-unknown-language": Case(
        [put(SETTINGS, "languages: [en, xx]\n")],
        1,
        "templates/locale/xx/LC_MESSAGES/messages.po: error:",
        lang="xx",
    ),
    "settings-no-language": Case([put(SETTINGS, "languages: []\n")], 1, "brief.yaml:1: error:"),
    "settings-bad-sender": Case(
        [put(SETTINGS, "mail:\n  sender: not an address\n")], 1, "brief.yaml:2: error:"
    ),
    "settings-drafter-without-name": Case(
        [put(SETTINGS, "drafter:\n  phone: '+7 7172 00 00 00'\n")], 1, "brief.yaml:"
    ),
    # ---- house style ----------------------------------------------------------------------
    "house-yaml-syntax": Case([replace(HOUSE, "locale: en", "locale: [en")], 1, f"{HOUSE}:"),
    "house-unknown-locale": Case(
        [replace(HOUSE, "locale: en", "locale: xx_YY")], 1, f"{HOUSE}:4: error:"
    ),
    "house-eleven-months": Case([replace(HOUSE, ", December]", "]")], 1, f"{HOUSE}:32: error:"),
    "house-date-pattern-unknown-placeholder": Case(
        [replace(HOUSE, 'plain: {day: "{d} {month} {y}"', 'plain: {day: "{d} {mnth} {y}"')],
        1,
        f"{HOUSE}:13: error:",
    ),
    "house-date-pattern-open-brace": Case(
        [replace(HOUSE, 'plain: {day: "{d} {month} {y}"', 'plain: {day: "{d} {month {y}"')],
        1,
        f"{HOUSE}:13: error:",
    ),
    "house-typography-one-quote": Case(
        [replace(HOUSE, 'quotes: ["“", "”"]', 'quotes: ["“"]')], 1, f"{HOUSE}:"
    ),
    "house-typography-dash-is-a-list": Case(
        [replace(HOUSE, 'dash: "–"', "dash: [a, b]")], 1, f"{HOUSE}:"
    ),
    "house-typography-unknown-key": Case(
        [replace(HOUSE, "  short_words: []", "  short_word: []")], 1, f"{HOUSE}:"
    ),
    "house-list-pattern-unknown-index": Case(
        [replace(HOUSE, 'two: "{0} and {1}"', 'two: "{0} and {2}"')], 1, f"{HOUSE}:"
    ),
    "house-amount-pattern-unknown-placeholder": Case(
        [replace(HOUSE, 'USD: {plain: "US${n}"', 'USD: {plain: "US${m}"')], 1, f"{HOUSE}:"
    ),
    # ---- templates the meeting note shows -------------------------------------------------
    "template-purpose-syntax": Case([in_purpose("{% if next %}")], 1, f"{PURPOSE}:"),
    "template-purpose-unknown-filter": Case(
        [in_purpose("<p>{{ brief.pair|uper }}</p>")], 1, f"{PURPOSE}:9: error:"
    ),
    "template-purpose-undefined-name": Case(
        [in_purpose("<p>{{ dosier.pair }}</p>")], 1, f"{PURPOSE}:9: error:"
    ),
    "template-purpose-disallowed-element": Case(
        [in_purpose("<center>x</center>")], 1, f"{PURPOSE}:9: error: the element <center>"
    ),
    "template-purpose-script": Case(
        [in_purpose("<script>alert(1)</script>")], 1, f"{PURPOSE}:9: error:"
    ),
    "template-purpose-missing-include": Case(
        [in_purpose('{% include "sections/nothing.html" %}')], 1, f"{PURPOSE}:9: error:"
    ),
    "template-purpose-remote-image": Case([in_purpose(REMOTE_IMAGE)], 1, f"{PURPOSE}:9: error:"),
    "template-purpose-remote-image-in-a-figure": Case(
        [in_purpose(f"<figure>{REMOTE_IMAGE}</figure>")], 1, f"{PURPOSE}:9: error:"
    ),
    "template-kind-extends-a-missing-base": Case(
        [replace(MEETING, '{% extends "base.html" %}', '{% extends "bsae.html" %}')],
        1,
        f"{MEETING}:",
    ),
    "template-error-in-a-partial-the-built-kind-does-not-show": Case(
        [put(SUMMARY, "<section>\n<p>{{ d.pair|uper }}</p>\n</section>\n")],
        1,
        f"{SUMMARY}:2: error: the filter 'uper' does not exist",
    ),
    # ---- catalogs -------------------------------------------------------------------------
    "catalog-en-syntax": Case(
        [replace(EN_PO, 'msgstr "Purpose"', "msgstr Purpose")], 1, f"{EN_PO}:166: error:"
    ),
    "catalog-en-fuzzy": Case(
        [replace(EN_PO, 'msgid "Purpose"', '#, fuzzy\nmsgid "Purpose"')], 0, "fuzzy"
    ),
    "catalog-kk-syntax-while-building-en": Case(
        [replace("templates/locale/kk/LC_MESSAGES/messages.po", 'msgstr "', "msgstr ", 2)],
        1,
        "templates/locale/kk/LC_MESSAGES/messages.po:",
    ),
    "catalog-en-placeholder-mismatch-in-the-background-brief": Case(
        [
            replace(
                EN_PO,
                'msgstr[1] "%(n)s years of diplomatic relations"',
                'msgstr[1] "%(m)s years of diplomatic relations"',
            )
        ],  # fmt: skip
        1,
        f"{EN_PO}:20: error:",
        kind="background",
    ),
    "catalog-en-placeholder-mismatch": Case(
        [
            replace(
                EN_PO,
                'msgstr[1] "%(n)s years of diplomatic relations"',
                'msgstr[1] "%(m)s years of diplomatic relations"',
            )
        ],  # fmt: skip
        1,
        f"{EN_PO}:",
    ),
    # ---- theme ----------------------------------------------------------------------------
    "theme-unknown-property": Case(
        [append(THEME, "h2 {\n  colr: red;\n}\n")], 1, "unknown property 'colr'"
    ),
    "theme-missing-brace": Case([append(THEME, "h2 { color: red;\n")], 1, "is never closed"),
    "theme-bad-value": Case(
        [append(THEME, "p.x { margin: 2 fish; }\n")], 1, "invalid value for 'margin'"
    ),
    "theme-remote-url": Case(
        [append(THEME, "body { background: url(http://127.0.0.1:9/bg.png); }\n")], 1, f"{THEME}:"
    ),
    # ---- declared sections ----------------------------------------------------------------
    "sections-unknown-shape": Case(
        [append(SECTIONS, SECTION_DECLARED.replace("items: dated", "items: dates"))],
        1,
        f"{SECTIONS}:",
    ),
    "sections-clash-with-a-built-in-key": Case(
        [append(SECTIONS, SECTION_DECLARED.replace("  aid:", "  trade:"))], 1, f"{SECTIONS}:"
    ),
    "sections-yaml-syntax": Case([append(SECTIONS, "  aid: [\n")], 1, f"{SECTIONS}:"),
    "sections-heading-missing": Case(
        [append(SECTIONS, "  aid:\n    items: dated\n")], 1, f"{SECTIONS}:"
    ),
    "sections-kind-calls-a-typo": Case(
        [append(SECTIONS, SECTION_DECLARED), append(DOSSIER, SECTION_ITEMS), *show_section("aidd")],
        1,
        "no section 'aidd' is declared",
    ),
    "sections-items-of-the-wrong-shape": Case(
        [
            append(SECTIONS, SECTION_DECLARED.replace("dated", "figures")),
            append(DOSSIER, SECTION_ITEMS),
            *show_section("aid"),
        ],  # fmt: skip
        1,
        "briefs/kz-tr.yaml:",
    ),
    # ---- the Word reference ---------------------------------------------------------------
    "reference-docx-missing": Case([remove(REFERENCE)], 1, REFERENCE),
    "reference-docx-junk": Case([put(REFERENCE, b"PK\x03\x04 not a zip")], 1, REFERENCE),
    "reference-docx-not-word": Case(
        [put(REFERENCE, junk_zip({"hello.txt": b"not a Word file"}))], 1, REFERENCE
    ),
    # ---- the shipped project --------------------------------------------------------------
    "shipped-docx-style-missing": Case(
        [lambda root: apply(root, {"style": ("Fact Box", "Info Box")})],
        1,
        "templates/reference.docx: error: templates/reference.docx has no style 'Fact Box'",
        base="shipped",
    ),
    "shipped-counterpart-name-with-a-glyph-the-fonts-lack": Case(
        [replace(PEOPLE, "en: Recep Tayyip Erdoğan}", "en: Recep Tayyip Erdoğan Oʻzbekiston}")],
        1,
        "briefs/people.yaml:",
        base="shipped",
    ),
    "shipped-unknown-source-in-a-talking-point": Case(
        [
            replace(
                DOSSIER,
                "    source: mfa-kz-tr-jspg-2026-02-02\n    locator: para. 7\n",
                "    source: mfa-kz-tr-jspg-2026-02-03\n    locator: para. 7\n",
            )
        ],  # fmt: skip
        1,
        "briefs/kz-tr.yaml:307: error: the source 'mfa-kz-tr-jspg-2026-02-03' does not exist",
        base="shipped",
    ),
    "shipped-talking-point-target-unknown": Case(
        [
            replace(
                DOSSIER,
                'en: "To bring trade to {target turnover-10bn to}',
                'en: "To bring trade to {target turnover-11bn to}',
            )
        ],  # fmt: skip
        1,
        "briefs/kz-tr.yaml:792: error: {target turnover-11bn to}: no target",
        base="shipped",
    ),
    "shipped-country-unknown": Case(
        [replace(DOSSIER, "countries: [KZ, TR]", "countries: [KZ, XT]")],
        1,
        "briefs/kz-tr.yaml:11: error: 'countries': 'XT' is not a country code CLDR knows",
        base="shipped",
    ),
    "shipped-agreement-target-unknown": Case(
        [replace(DOSSIER, "{target turnover-10bn to}", "{target turnover-11bn to}")],
        1,
        "briefs/kz-tr.yaml:291: error: {target turnover-11bn to}: no target",
        base="shipped",
    ),
}


def scenario_case(name: str) -> Case:
    """A case of the SCENARIOS table: its files, and the kind that shows what it changes."""
    changes, expected, status = SCENARIOS[name]
    # the background brief shows the summary and the embassy's name
    kind = "background" if SUMMARY in changes or name == "catalog-babel-check" else "meeting"
    catalogs = [rel.split("/")[2] for rel in changes if rel.startswith("templates/locale/")]
    lang = catalogs[0] if catalogs else "en"  # a catalog is read by a build of its language
    return Case([lambda root, c=changes: apply(root, c)], status, expected, kind=kind, lang=lang)


CASES: dict[str, Case] = {f"scenario-{n}": scenario_case(n) for n in sorted(SCENARIOS)} | OWN

# disagreements found by this corpus, to be mended in the generator
KNOWN: dict[str, str] = {}
for _name, _reason in KNOWN.items():
    CASES[_name].disagreement = _reason


def params():
    for name, case in CASES.items():
        marks = (
            [pytest.mark.xfail(strict=True, reason=case.disagreement)] if case.disagreement else []
        )
        yield pytest.param(name, id=name, marks=marks)


# ---- reading outputs ---------------------------------------------------------------------

LOCATED = re.compile(r"^\s*(?P<where>[^\s:]+(?::\d+)*): error: ", re.M)


def error_places(output: str) -> list[str]:
    """The `path:line` (or `path`) of each located error in an output, without the column."""
    places = []
    for match in LOCATED.finditer(output):
        parts = match["where"].split(":")
        places.append(":".join(parts[:2]))
    return places


def files_of(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def make_project(tmp_path: Path, case: Case) -> Path:
    root = copy_project(tmp_path / "project", facts=case.base == "shipped")
    if case.base == "mini":
        write(root / SOURCE, MINI_SOURCE)
        write(root / DOSSIER, MINI_DOSSIER)
    for change in case.changes:
        change(root)
    return root


@pytest.mark.parametrize("name", list(params()))
def test_check_and_build_agree(tmp_path: Path, name: str):
    case = CASES[name]
    root = make_project(tmp_path, case)
    before = files_of(root)
    check = Cli(root)("check", "--date", BRIEF_DATE)
    assert "Traceback" not in check.output, check.output[-3000:]
    assert files_of(root) == before, "check wrote files"
    assert check.exit_code == case.status, check.output[-3000:]
    if case.finding:
        assert case.finding in check.output, check.output[-3000:]

    out = tmp_path / "out"
    built = Cli(root)(
        "build", case.pair, "--lang", case.lang, "--kind", case.kind,
        "--format", "pdf,docx,html", "--date", BRIEF_DATE, "--out", str(out), "--jobs", "1",
    )  # fmt: skip
    assert "Traceback" not in built.output, built.output[-3000:]
    assert "internal error" not in built.output, built.output[-3000:]
    assert built.exit_code == check.exit_code, (check.output[-2000:], built.output[-2000:])
    # every located error of check is named by build at the same place
    missing = sorted(set(error_places(check.output)) - set(error_places(built.output)))
    assert not missing, (missing, check.output[-2000:], built.output[-2000:])
    # no partial output: only the files build reported as built (and its manifest)
    reported = set(re.findall(r"^built: (\S+)$", built.output, re.M))
    written = files_of(out) if out.exists() else set()
    assert not {f for f in written | files_of(root) if f.endswith((".tmp", ".part"))}
    assert written - {"manifest.json"} <= reported, (written, built.output[-2000:])
    if built.exit_code == 0:
        assert len(reported) == 3, built.output


def test_the_corpus_is_large_enough():
    broken = [n for n, c in CASES.items() if c.status == 1]
    assert len(broken) >= 50
    assert len(CASES) - len(broken) >= 3
