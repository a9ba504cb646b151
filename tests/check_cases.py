"""Tiny fixture projects for `brief check`: one mistake each, built from the shipped templates."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from conftest import MINI_DOSSIER, MINI_SOURCE, write

D = MINI_DOSSIER
PO_HEADER = """\
msgid ""
msgstr ""
"Language: {lang}\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

"""
# a section of our own, so catalog cases know the template line of their string
SECTION = """\
<section id="summary">
<h2>{{ _("Summary") }}</h2>
<p>{{ _("Zebra crossing") }}</p>
<p>{{ _("Embassy of %(country)s", country="TR"|country("of")) }}</p>
</section>
"""


def po(lang: str, entries: str) -> tuple[str, str]:
    """A whole .po file of `lang` with these entries (after a header of 6 lines)."""
    return f"templates/locale/{lang}/LC_MESSAGES/messages.po", PO_HEADER.format(lang=lang) + entries


def add_to_pot(root: Path, msgid: str) -> None:
    """Extract one more string into templates/messages.pot."""
    pot = root / "templates" / "messages.pot"
    pot.write_text(
        pot.read_text(encoding="utf-8") + f'\nmsgid "{msgid}"\nmsgstr ""\n', encoding="utf-8"
    )


def rename_style(root: Path, old: str, new: str) -> None:
    """Rename a style inside templates/reference.docx (as an analyst could in Word)."""
    path = root / "templates" / "reference.docx"
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/styles.xml":
                data = data.replace(f'w:val="{old}"'.encode(), f'w:val="{new}"'.encode())
            dst.writestr(info, data)
    path.write_bytes(out.getvalue())


def apply(root: Path, changes: dict) -> None:
    """Write a scenario's files into a copy of the mini project."""
    for rel, content in changes.items():
        if rel == "pot":
            add_to_pot(root, content)
        elif rel == "style":
            rename_style(root, *content)
        elif isinstance(content, bytes):
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(content)
        else:
            write(root / rel, content)


def with_entry(text: str, key: str, entry: str) -> str:
    """`text` (a YAML dossier) with `entry` appended under the top-level list `key`."""
    return text + f"{key}:\n{entry}"


TRADE_ALTERNATIVE = """\
    locator: p. 3
    alternatives:
      - turnover: over 12 bn USD
        source: test-source
        locator: p. 7
"""
EVENT = """\
  - date: 2025-11
    title: {kk: Кеңес отырысы, ru: Заседание совета, en: Council meeting}
    source: test-source
"""
QUOTE = """\
  - speaker: tokaev
    text: {kk: Сөз, ru: Слово, en: Word}
    source: test-source
"""
PEOPLE = """\
people:
  - id: tokayev
    name: {kk: Қасым-Жомарт Тоқаев, ru: Касым-Жомарт Токаев, en: Kassym-Jomart Tokayev}
"""
KZ_OK = '\nmsgid "Zebra crossing"\nmsgstr "Жаяу жүргінші өткелі"\n'

# id → (files to write, the exact finding line expected, exit status)
SCENARIOS: dict[str, tuple[dict, str, int]] = {
    "yaml-syntax": (
        {"briefs/kz-tr.yaml": D.replace("countries: [KZ, TR]", "countries: [KZ, TR")},
        "briefs/kz-tr.yaml:3:10: error: YAML syntax error: expected ',' or ']', but got ':'",
        1,
    ),
    "yaml-duplicate-key": (
        {"briefs/kz-tr.yaml": D + "pair: kz-tr\n"},
        "briefs/kz-tr.yaml:12: error: the key 'pair' appears twice in the same mapping",
        1,
    ),
    "yaml-tab": (
        {"briefs/kz-tr.yaml": D.replace("    turnover:", "\tturnover:")},
        "briefs/kz-tr.yaml:10: error: a tab character is used for indentation",
        1,
    ),
    "yaml-not-utf8": (
        {
            "briefs/kz-tr.yaml": D.encode("utf-8").replace(
                "Установлены".encode(), "Установлены".encode("cp1251")
            )
        },
        "briefs/kz-tr.yaml:6: error: the file is not UTF-8 (byte 0xd3)",
        1,
    ),
    "yaml-control-character": (
        {"briefs/kz-tr.yaml": D.replace("10 bn USD", "10 bn USD\x07")},
        "briefs/kz-tr.yaml:10: error: the file contains the control character U+0007, which "
        "YAML does not allow",
        1,
    ),
    "unknown-key": (
        {"briefs/kz-tr.yaml": D + "sumary: []\n"},
        "briefs/kz-tr.yaml:12: error: unknown key 'sumary' — did you mean 'summary'?",
        1,
    ),
    "missing-field": (
        {"briefs/kz-tr.yaml": D.replace("USD\n    source: test-source\n", "USD\n")},
        "briefs/kz-tr.yaml:9: error: 'source' is missing",
        1,
    ),
    "wrong-type": (
        {"briefs/kz-tr.yaml": D.replace("year: 2024", "year: twenty")},
        "briefs/kz-tr.yaml:9: error: 'year' must be a whole number, got 'twenty'",
        1,
    ),
    "impossible-date": (
        {"briefs/kz-tr.yaml": D.replace("1992-03-02", "2026-02-30")},
        "briefs/kz-tr.yaml:5: error: 'date': 2026-02-30 is not a real date: February 2026 has "
        "28 days",
        1,
    ),
    "malformed-date": (
        {"briefs/kz-tr.yaml": D.replace("1992-03-02", "March 1992")},
        "briefs/kz-tr.yaml:5: error: 'date' must be a date like 2024-03-01 (a day), 2024-03 "
        "(a month) or 2024 (a year), got 'March 1992'",
        1,
    ),
    "amount-without-currency": (
        {"briefs/kz-tr.yaml": D.replace("10 bn USD", "10 bn")},
        "briefs/kz-tr.yaml:10: error: 'turnover': the amount '10 bn' has no currency: write it "
        "like '4.1 bn USD', 'over 500 mn USD' or '1200000 KZT'",
        1,
    ),
    "negative-turnover": (
        {"briefs/kz-tr.yaml": D.replace("10 bn USD", "-10 bn USD")},
        "briefs/kz-tr.yaml:10: error: 'turnover': a trade figure cannot be negative (got "
        "-10000000000 USD); a deficit is exports minus imports, computed by the generator",
        1,
    ),
    "countries-disagree-with-file-name": (
        {"briefs/kz-tr.yaml": D.replace("[KZ, TR]", "[KZ, AZ]")},
        "briefs/kz-tr.yaml:2: error: the countries KZ and AZ make the pair 'kz-az', but the "
        "file is kz-tr.yaml",
        1,
    ),
    "unknown-source": (
        {
            "briefs/kz-tr.yaml": D.replace(
                "    source: test-source\n", "    source: test-sourse\n", 1
            )
        },
        "briefs/kz-tr.yaml:7: error: the source 'test-sourse' does not exist",
        1,
    ),
    "unused-source": (
        {"sources/other-source.yaml": MINI_SOURCE.replace("id: test-source", "id: other-source")},
        "sources/other-source.yaml:1: warning: the source 'other-source' is not cited by any fact",
        0,
    ),
    "source-without-date": (
        {"sources/test-source.yaml": MINI_SOURCE.replace("date: 2026-01-15\n", "")},
        "sources/test-source.yaml:1: warning: the source 'test-source' has no date",
        0,
    ),
    "conflicting-values": (
        {"briefs/kz-tr.yaml": D + TRADE_ALTERNATIVE},
        "briefs/kz-tr.yaml:14: warning: sources disagree on the 2024 turnover: 10 bn USD "
        "(test-source, p. 3) and over 12 bn USD (test-source, p. 7); the brief shows the "
        "preferred 10 bn USD",
        0,
    ),
    "stale-figure": (
        {"briefs/kz-tr.yaml": D.replace("year: 2024", "year: 2021")},
        "briefs/kz-tr.yaml:9: warning: the newest full-year trade figure is for 2021, 5 years "
        "before 2026-02-02; figures older than 2 years are flagged",
        0,
    ),
    "upcoming-event-in-the-past": (
        {"briefs/kz-tr.yaml": with_entry(D, "events", EVENT)},
        "briefs/kz-tr.yaml:13: warning: the upcoming event 'Council meeting' is dated 2025-11, "
        "before 2026-02-02",
        0,
    ),
    "text-missing-a-language": (
        {"briefs/kz-tr.yaml": D.replace("ru: Установлены дипломатические отношения, ", "")},
        "briefs/kz-tr.yaml:6: warning: the text of 'text' has no ru version: 'Diplomatic "
        "relations established'",
        0,
    ),
    "unknown-person": (
        {"briefs/kz-tr.yaml": with_entry(D, "quotes", QUOTE), "briefs/people.yaml": PEOPLE},
        "briefs/kz-tr.yaml:13: error: unknown person 'tokaev'",
        1,
    ),
    "template-syntax": (
        {
            "templates/sections/summary.html": "{% if d.summary %}\n<section>\n{% for fact in d.summary %}\n<p>{{ fact.text|t }}</p>\n"
            "</section>\n{% endif %}\n"
        },
        "templates/sections/summary.html:6: error: template syntax error: {% endif %} found "
        "where {% endfor %} was expected",
        1,
    ),
    "template-undefined-name": (
        {"templates/sections/summary.html": "<section>\n<p>{{ dosier.pair }}</p>\n</section>\n"},
        "templates/sections/summary.html:2: error: undefined value: 'dosier' is not defined",
        1,
    ),
    "template-missing-field-in-an-unrendered-branch": (
        {
            "templates/sections/summary.html": "{% for fact in d.summary %}\n<p>{{ fact.txt|t }}</p>\n{% endfor %}\n"
        },
        "templates/sections/summary.html:2: error: undefined value: 'fact.txt' does not exist: "
        "a fact has no 'txt'",
        1,
    ),
    "template-element": (
        {
            "templates/sections/summary.html": "<section>\n<center>{{ d.pair }}</center>\n"
            "</section>\n"
        },
        "templates/sections/summary.html:2: error: the element <center> is not supported in briefs",
        1,
    ),
    "template-attribute": (
        {
            "templates/sections/summary.html": '<section>\n<p\n  style="color: red">x</p>\n'
            "</section>\n"
        },
        "templates/sections/summary.html:3: error: the attribute 'style' is not supported on <p>",
        1,
    ),
    "template-filter": (
        {"templates/sections/summary.html": "<section>\n<p>{{ d.pair|uper }}</p>\n</section>\n"},
        "templates/sections/summary.html:2: error: the filter 'uper' does not exist",
        1,
    ),
    "template-test": (
        {
            "templates/sections/summary.html": "<section>\n{% if d.summary is emty %}<p>-</p>{% endif %}\n</section>\n"
        },
        "templates/sections/summary.html:2: error: the test 'emty' does not exist",
        1,
    ),
    "template-include-loop": (
        {
            "templates/sections/summary.html": '<section>\n{% include "sections/summary.html" %}\n</section>\n'
        },
        "templates/sections/summary.html:2: error: the templates include each other in a loop",
        1,
    ),
    "template-missing-include": (
        {
            "templates/sections/summary.html": '<section>\n{% include "sections/sumary.html" %}\n</section>\n'
        },
        "templates/sections/summary.html:2: error: the template 'sections/sumary.html' does not "
        "exist in templates/",
        1,
    ),
    "catalog-syntax": (
        {
            "templates/sections/summary.html": SECTION,
            **dict([po("kk", 'msgid "Zebra crossing"\nmsgstr Жаяу жүргінші өткелі\n')]),
        },
        "templates/locale/kk/LC_MESSAGES/messages.po:8: error: this line should be a text in "
        "double quotes: msgstr Жаяу жүргінші өткелі",
        1,
    ),
    "catalog-duplicate": (
        {**dict([po("kk", KZ_OK + KZ_OK)])},
        "templates/locale/kk/LC_MESSAGES/messages.po:11: error: the msgid 'Zebra crossing' "
        "appears twice (first on line 8)",
        1,
    ),
    "catalog-missing-translation": (
        {
            "templates/sections/summary.html": SECTION,
            "pot": "Zebra crossing",
            **dict([po("kk", 'msgid "Summary"\nmsgstr "Қысқаша"\n')]),
        },
        "templates/sections/summary.html:3: warning: the fixed string 'Zebra crossing' is not in "
        "templates/locale/kk/LC_MESSAGES/messages.po; the brief shows it in English, marked",
        0,
    ),
    "catalog-empty-translation": (
        {
            "templates/sections/summary.html": SECTION,
            "pot": "Zebra crossing",
            **dict([po("kk", 'msgid "Zebra crossing"\nmsgstr ""\n')]),
        },
        "templates/sections/summary.html:3: warning: the fixed string 'Zebra crossing' has no kk "
        "translation; the brief shows it in English, marked",
        0,
    ),
    "catalog-fuzzy-translation": (
        {
            "templates/sections/summary.html": SECTION,
            "pot": "Zebra crossing",
            **dict([po("kk", "#, fuzzy\n" + KZ_OK.lstrip())]),
        },
        "templates/sections/summary.html:3: warning: the kk translation of 'Zebra crossing' is "
        "marked fuzzy (not reviewed); the brief shows it in English, marked",
        0,
    ),
    "catalog-babel-check": (
        {
            **dict(
                [
                    po(
                        "ru",
                        '#, python-format\nmsgid "Embassy of %(country)s"\n'
                        'msgstr "Посольство %(strana)s"\n',
                    )
                ]
            )
        },
        "templates/locale/ru/LC_MESSAGES/messages.po:8: error: the ru translation of 'Embassy of "
        "%(country)s' does not fit its msgid: unknown named placeholder 'strana'",
        1,
    ),
    "catalog-not-extracted": (
        {"templates/sections/summary.html": SECTION},
        "templates/sections/summary.html:3: warning: the fixed string 'Zebra crossing' is not "
        "extracted into templates/messages.pot yet",
        0,
    ),
    "docx-style-missing": (
        {"style": ("Fact Box", "Info Box")},
        "templates/reference.docx: error: templates/reference.docx has no style 'Fact Box'",
        1,
    ),
    "font-lacks-a-character": (
        {
            "briefs/kz-tr.yaml": D.replace(
                "en: Diplomatic relations established", "en: Diplomatic relations established ☃"
            )
        },
        "briefs/kz-tr.yaml:6: error: the character '☃' (U+2603, snowman) cannot be drawn by any "
        "shipped font",
        1,
    ),
    "settings-wrong-value": (
        {"brief.yaml": "stale_after_years: -1\n"},
        "brief.yaml:1: error: 'stale_after_years' must be at least 0, got -1",
        1,
    ),
    "pair-field-disagrees-with-file-name": (
        {"briefs/kz-tr.yaml": D.replace("pair: kz-tr", "pair: kz-az")},
        "briefs/kz-tr.yaml:1: error: 'pair' is 'kz-az' but the file is kz-tr.yaml",
        1,
    ),
}

# five different mistakes in one dossier: each is found, in one run
FIVE_MISTAKES = """\
pair: kz-tr
countries: [KZ, TR]
key_dates:
  - kind: diplomatic_relation
    date: 1992-03-02
    text: {kk: Қатынастар орнатылды, ru: Установлены отношения, en: Relations established}
    source: test-source
  - kind: embassy
    date: 1993-02-30
    text: {kk: Елшілік ашылды, ru: Открыто посольство, en: Embassy opened}
    source: test-sourse
trade:
  - year: 2024
    turnover: 10 bn
    source: test-source
    sorce: test-source
"""
FIVE_FINDINGS = [
    "briefs/kz-tr.yaml:4: error: 'kind' must be one of 'recognition', 'diplomatic_relations', "
    "'embassy', 'treaty', 'status' or 'other', got 'diplomatic_relation'",
    "briefs/kz-tr.yaml:9: error: 'date': 1993-02-30 is not a real date: February 1993 has 28 days",
    "briefs/kz-tr.yaml:11: error: the source 'test-sourse' does not exist",
    "briefs/kz-tr.yaml:14: error: 'turnover': the amount '10 bn' has no currency: write it like "
    "'4.1 bn USD', 'over 500 mn USD' or '1200000 KZT'",
    "briefs/kz-tr.yaml:16: error: unknown key 'sorce' — did you mean 'source'?",
]


def finding_lines(output: str) -> list[str]:
    """The `path:line: severity: message` lines of check's output (hints and summary left out)."""
    return [
        line for line in output.splitlines() if re.match(r"^\S+?(:\d+)*: (error|warning): ", line)
    ]
