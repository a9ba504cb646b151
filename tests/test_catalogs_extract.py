"""Fixed strings: babel.cfg extracts exactly what the briefs look up, the catalogs are complete,
and the README's commands bring a new heading into all three .po files."""

from __future__ import annotations

import datetime as dt
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from conftest import BRIEF_DATE, REPO, Cli
from jinja2.utils import import_string

from generator.facts.paths import kinds
from generator.facts.project import load_project
from generator.l10n import catalogs
from generator.render.brief import render_brief
from generator.render.environment import environment

LANGS = ("kk", "ru", "en")
PYBABEL = Path(sys.executable).parent / "pybabel"


def read_catalog(path: Path):
    with path.open("rb") as fp:
        return read_po(fp)


def msgids(catalog) -> set[str]:
    return {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}


def extracted(root: Path) -> set[str]:
    """Every msgid Babel extracts from the templates with the project's babel.cfg."""
    with (root / "babel.cfg").open(encoding="utf-8") as fp:
        method_map, options_map = parse_mapping_cfg(fp)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map
    ):
        found.add(message[0] if isinstance(message, tuple | list) else message)
    return found


# ---- babel.cfg mirrors the runtime Environment ---------------------------------------------


def test_babel_cfg_mirrors_the_environment_the_briefs_render_with():
    with (REPO / "babel.cfg").open(encoding="utf-8") as fp:
        method_map, options_map = parse_mapping_cfg(fp)
    assert [pattern for pattern, _ in method_map] == ["templates/**.html", "templates/**.txt"]
    env = environment((REPO / "templates").resolve(), "kk")
    for pattern, method in method_map:
        options = options_map[pattern]
        assert method == "jinja2", pattern

        def flag(name, default="False", options=options):
            return options.get(name, default).lower() in ("1", "on", "yes", "true")

        wanted = {import_string(name.strip()) for name in options["extensions"].split(",")}
        assert wanted == {type(ext) for ext in env.extensions.values()}, pattern
        assert flag("trim_blocks") == env.trim_blocks
        assert flag("lstrip_blocks") == env.lstrip_blocks
        assert flag("keep_trailing_newline") == env.keep_trailing_newline
        assert flag("trimmed") == env.policies["ext.i18n.trimmed"]
        assert flag("newstyle_gettext") == env.newstyle_gettext
        assert not flag("silent", "True"), "extraction must stop at a template syntax error"
        for name in (
            "block_start_string",
            "block_end_string",
            "variable_start_string",
            "variable_end_string",
            "comment_start_string",
            "comment_end_string",
        ):
            assert options.get(name, getattr(env, name)) == getattr(env, name), name


# ---- the catalogs are complete and in step with the templates ------------------------------


def test_catalogs_hold_exactly_the_extracted_strings_all_translated():
    found = extracted(REPO)
    assert "Key dates" in found and "Prepared by:" in found
    assert msgids(read_catalog(REPO / "templates" / "messages.pot")) == found
    for lang in LANGS:
        catalog = read_catalog(catalogs.po_path(REPO / "templates", lang))
        assert msgids(catalog) == found, lang
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(strings) and not message.fuzzy, (lang, message.id)
            assert len(strings) == catalog.num_plurals or not message.pluralizable
            assert not list(message.check(catalog)), (lang, message.id)


def test_every_string_a_brief_looks_up_is_extracted(monkeypatch):
    looked_up: set[str] = set()
    status = catalogs.Translations.status

    def recording(self, msgid, context=None):
        looked_up.add(msgid)
        return status(self, msgid, context)

    monkeypatch.setattr(catalogs.Translations, "status", recording)
    project = load_project(REPO)
    for pair in sorted(project.dossiers):
        for kind in kinds(project.templates):
            for lang in LANGS:
                for draft in (False, True):
                    render_brief(
                        project, pair, lang=lang, kind=kind, on=dt.date(2026, 2, 2), draft=draft
                    )
    assert len(looked_up) > 20
    assert looked_up <= extracted(REPO)


# ---- the documented workflow -----------------------------------------------------------


def readme_commands() -> list[list[str]]:
    """The pybabel commands of the README's 'Translating the templates', ready to run."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Translating the templates") :]
    section = section[: section.index("\n#", 10)] if "\n#" in section[10:] else section
    lines = [
        line.strip()
        for line in section.splitlines()
        if line.strip().startswith(".venv/bin/pybabel")
    ]
    assert [shlex.split(line)[1] for line in lines] == ["extract", "update"]
    return [[str(PYBABEL), *shlex.split(line)[1:]] for line in lines]


@pytest.fixture
def translatable(project: Path) -> Path:
    """A copy of the project with babel.cfg, where templates can be changed."""
    shutil.copy(REPO / "babel.cfg", project / "babel.cfg")
    return project


def run_readme_commands(root: Path) -> None:
    for command in readme_commands():
        proc = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]


HEADING = "Bilateral treaties in force"


def add_heading(root: Path) -> tuple[str, int]:
    """Put a new translatable heading into the summary section; return its template and line."""
    path = root / "templates" / "sections" / "summary.html"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "<h2>" in line) + 1
    lines.insert(at, f'<h3>{{{{ _("{HEADING}") }}}}</h3>\n')
    path.write_text("".join(lines), encoding="utf-8")
    return "templates/sections/summary.html", at + 1


def translate(root: Path, lang: str, msgid: str, msgstr: str) -> None:
    path = catalogs.po_path(root / "templates", lang)
    text = path.read_text(encoding="utf-8")
    entry = f'msgid "{msgid}"\nmsgstr ""\n'
    assert entry in text
    path.write_text(text.replace(entry, f'msgid "{msgid}"\nmsgstr "{msgstr}"\n'), encoding="utf-8")


def test_a_new_heading_reaches_all_three_catalogs_and_then_the_brief(translatable: Path):
    template, line = add_heading(translatable)
    before = {
        lang: read_catalog(catalogs.po_path(translatable / "templates", lang)) for lang in LANGS
    }
    run_readme_commands(translatable)
    assert HEADING in msgids(read_catalog(translatable / "templates" / "messages.pot"))
    for lang in LANGS:
        catalog = read_catalog(catalogs.po_path(translatable / "templates", lang))
        message = catalog.get(HEADING)
        assert message is not None and message.string == "" and not message.fuzzy, lang
        # every earlier translation is kept
        for old in before[lang]:
            if old.id:
                assert catalog.get(old.id).string == old.string, (lang, old.id)

    # built before it is translated: shown in English, marked, and reported with its line
    cli = Cli(translatable)
    out = translatable / "out"
    args = (
        "build",
        "kz-tr",
        "--lang",
        "kk",
        "--format",
        "html",
        "--kind",
        "background",
        "--date",
        BRIEF_DATE,
        "--out",
        str(out),
        "--jobs",
        "1",
        "--force",
    )
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert (
        f"{template}:{line}: warning: the fixed string '{HEADING}' has no kk translation; "
        "the brief shows it in English, marked"
    ) in result.output
    html = (out / f"{BRIEF_DATE}_kz-tr_background_kk.html").read_text(encoding="utf-8")
    assert f'<h3><span class="fallback" lang="en">{HEADING}</span></h3>' in html

    # translated: the Kazakh heading, no warning (the catalog is re-read after the edit)
    translate(translatable, "kk", HEADING, "Қолданыстағы екіжақты шарттар")
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert HEADING not in result.output
    html = (out / f"{BRIEF_DATE}_kz-tr_background_kk.html").read_text(encoding="utf-8")
    assert "<h3>Қолданыстағы екіжақты шарттар</h3>" in html


def test_a_fuzzy_translation_is_not_used(translatable: Path):
    path = catalogs.po_path(translatable / "templates", "ru")
    text = path.read_text(encoding="utf-8")
    entry = 'msgid "Key dates"\nmsgstr "Ключевые даты"'
    assert entry in text
    path.write_text(text.replace(entry, "#, fuzzy\n" + entry), encoding="utf-8")
    out = translatable / "out"
    result = Cli(translatable)(
        "build",
        "kz-tr",
        "--lang",
        "ru",
        "--format",
        "html",
        "--kind",
        "background",
        "--date",
        BRIEF_DATE,
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert (
        "warning: the ru translation of 'Key dates' is marked fuzzy (not reviewed); the "
        "brief shows it in English, marked"
    ) in result.output
    assert "delete the '#, fuzzy' line above it" in result.output
    html = (out / f"{BRIEF_DATE}_kz-tr_background_ru.html").read_text(encoding="utf-8")
    assert '<h2><span class="fallback" lang="en">Key dates</span></h2>' in html


def test_a_trans_block_over_several_lines_is_extracted_as_it_is_looked_up(
    translatable: Path, monkeypatch
):
    path = translatable / "templates" / "sections" / "summary.html"
    text = path.read_text(encoding="utf-8")
    block = "<p>{% trans %}\n    Relations are\n      strategic.\n{% endtrans %}</p>\n"
    path.write_text(
        re.sub(r"(<h2>.*?</h2>\n)", lambda m: m.group(1) + block, text, count=1), encoding="utf-8"
    )
    looked_up: set[str] = set()
    status = catalogs.Translations.status
    monkeypatch.setattr(
        catalogs.Translations,
        "status",
        lambda self, msgid, context=None: looked_up.add(msgid) or status(self, msgid, context),
    )
    project = load_project(translatable)
    render_brief(project, "kz-tr", lang="kk", kind="background", on=dt.date(2026, 2, 2))
    assert "Relations are strategic." in looked_up
    assert "Relations are strategic." in extracted(translatable)
