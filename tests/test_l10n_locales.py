"""Each language renders the same whatever was rendered before it in the process, and whatever
the process's own locale is (python-babel issue 1234; never locale.setlocale)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BRIEF_DATE, REPO

RENDER = """
import datetime as dt, json, sys
from pathlib import Path
from generator.facts.paths import kinds
from generator.render.brief import render_brief
from generator.facts.project import load_project

project = load_project(Path(sys.argv[1]))
on = dt.date.fromisoformat(sys.argv[2])
out = {}
for lang in sys.argv[3].split(","):
    for pair in sorted(project.dossiers):
        for kind in kinds(project.templates):
            rendered = render_brief(project, pair, lang=lang, kind=kind, on=on)
            out[f"{pair}/{kind}/{lang}"] = [rendered.document.html,
                                            [f.format() for f in rendered.warnings]]
json.dump(out, sys.stdout, ensure_ascii=False)
"""

SNAPSHOT = """
import json, sys
from babel import Locale
from babel.localedata import LocaleDataDict

def walk(data):
    if isinstance(data, (LocaleDataDict, dict)):
        return {repr(k): walk(data[k]) for k in list(data.keys())}
    return repr(data)

# first let plain Babel resolve every piece of data of some locales (this is what
# python-babel issue 1234 needs to leak one locale's names into another's)
for name in sys.argv[1].split(",") if sys.argv[1] else []:
    walk(Locale.parse(name)._data)
from generator.l10n.locales import babel_locale
LOCALES = {"kk": "kk_KZ", "ru": "ru_KZ", "en": "en"}
json.dump({lang: walk(babel_locale(LOCALES[lang])._data) for lang in LOCALES}, sys.stdout)
"""


def run(script: str, *args: str, env: dict | None = None) -> dict:
    """Run a script in a fresh interpreter and read its JSON output."""
    proc = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def alone() -> dict:
    """Every shipped brief rendered by a process that knows only its own language, running
    under a process locale that is none of the brief languages."""
    out: dict = {}
    foreign = {"LC_ALL": "tr_TR.UTF-8", "LANG": "tr_TR.UTF-8", "LANGUAGE": "tr"}
    for lang in ("kk", "ru", "en"):
        out.update(run(RENDER, str(REPO), BRIEF_DATE, lang, env=foreign))
    return out


@pytest.mark.parametrize("order", ["kk,ru,en", "en,ru,kk"])
def test_rendering_all_languages_in_one_process_matches_each_alone(alone, order):
    together = run(RENDER, str(REPO), BRIEF_DATE, order)
    assert together.keys() == alone.keys()
    assert len(together) >= 3 * 2  # every pair × kind × language
    for key in together:
        assert together[key] == alone[key], f"{key} differs after rendering {order}"


def test_cldr_data_of_the_brief_languages_cannot_be_changed_by_other_locales():
    fresh = run(SNAPSHOT, "")
    # plain Babel used before: our own languages (their shared copies) and others
    poisoned = run(SNAPSHOT, "ru_KZ,en,kk_KZ,he,fy,de")
    for lang in ("kk", "ru", "en"):
        assert poisoned[lang] == fresh[lang], lang


def test_isolated_cldr_data_is_babels_own():
    fresh = run(SNAPSHOT, "")
    plain = run(
        SNAPSHOT.replace(
            "babel_locale(LOCALES[lang])._data",
            "Locale.parse(LOCALES[lang])._data",
        ),
        "",
    )
    assert fresh == plain


def test_quarters_stay_kazakh_after_russian():
    script = """
import datetime as dt
from babel.dates import format_date
from generator.l10n.locales import babel_locale
day = dt.date(2025, 10, 1)
format_date(day, "qqqq", locale="ru_KZ")
format_date(day, "qqqq", locale=babel_locale("ru_KZ"))
print(format_date(day, "qqqq", locale=babel_locale("kk_KZ")))
"""
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert proc.stdout.strip() == "IV тоқсан"


def test_the_generator_never_sets_the_process_locale():
    sources = sorted((REPO / "generator").rglob("*.py"))
    assert sources
    for path in sources:
        text = Path(path).read_text(encoding="utf-8")
        assert "setlocale" not in text, path
        assert "default_locale" not in text, path
