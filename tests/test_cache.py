"""What one run leaves for the next (generator.cache): found again while what it was made
from is unchanged, made anew when that changes, and never needed."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BRIEF_DATE, REPO

from generator import cache


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    """An empty cache folder of this test's own."""
    root = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(root))
    cache._usable.cache_clear()
    yield root
    cache._usable.cache_clear()


def test_an_entry_is_made_once_and_read_back(folder: Path):
    made = []

    def make():
        made.append(1)
        return {"value": 42}

    assert cache.remembered("things", "a", make) == {"value": 42}
    assert cache.remembered("things", "a", make) == {"value": 42}
    assert len(made) == 1
    assert (folder / "things" / "a.pickle").is_file()
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)


def test_a_torn_entry_is_made_anew(folder: Path):
    cache.remembered("things", "a", lambda: 1)
    (folder / "things" / "a.pickle").write_bytes(b"\x80\x05 torn")
    assert cache.remembered("things", "a", lambda: 2) == 2
    assert pickle.loads((folder / "things" / "a.pickle").read_bytes()) == 2


def test_the_key_names_what_an_entry_is_made_from():
    assert cache.key("a", "b") == cache.key("a", "b")
    assert cache.key("a", "b") != cache.key("ab")  # parts are kept apart
    assert cache.key("font", b"\x00\x01") != cache.key("font", b"\x00\x02")


@pytest.mark.parametrize("setting", ["off", "0", ""])
def test_it_can_be_turned_off(monkeypatch, setting: str):
    monkeypatch.setenv(cache.ENV, setting)
    assert cache.folder() is None
    assert cache.remembered("things", "a", lambda: 3) == 3


def test_a_folder_others_may_write_is_not_used(tmp_path: Path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv(cache.ENV, str(shared))
    cache._usable.cache_clear()
    try:
        assert cache.folder() is None
        taken = tmp_path / "file"
        taken.write_text("not a folder")
        monkeypatch.setenv(cache.ENV, str(taken))
        assert cache.folder() is None
    finally:
        cache._usable.cache_clear()


def build(root: Path, out: Path, env: dict) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--project", str(root), "build", "kz-tr",
         "--kind", "meeting", "--lang", "en", "--format", "html", "--date", BRIEF_DATE,
         "--out", str(out), "--force"],
        capture_output=True, text=True, env=env, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return next(out.glob("*.html")).read_text(encoding="utf-8")


def test_an_edited_template_is_compiled_again(project: Path, tmp_path: Path):
    """Compiled templates are kept, and a template edited since is never shown as it was."""
    env = dict(os.environ, BRIEF_CACHE=str(tmp_path / "cache"))
    first = build(project, tmp_path / "one", env)
    assert list((tmp_path / "cache" / "templates").glob("*.jinja")), "nothing was kept"
    again = build(project, tmp_path / "two", env)
    assert again == first
    included = project / "templates" / "sections" / "purpose.html"
    included.write_text(
        '<p class="edited">Edited since</p>\n' + included.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    edited = build(project, tmp_path / "three", env)
    assert "Edited since" in edited and "Edited since" not in first
    off = build(project, tmp_path / "four", dict(env, BRIEF_CACHE="off"))
    assert off == edited


def test_kept_hyphenation_patterns_split_as_pyphen_does(folder: Path):
    import pyphen

    from generator.l10n import hyphenation

    hyphenation._pyphen.cache_clear()
    try:
        for lang in ("en", "ru"):
            path = pyphen.LANGUAGES[pyphen.language_fallback("ru_RU" if lang == "ru" else "en_US")]
            pyphen.hdcache.pop(path, None)
            made = hyphenation._pyphen(lang)  # read from the dictionary, and kept
            hyphenation._pyphen.cache_clear()
            pyphen.hdcache.pop(path, None)
            kept = hyphenation._pyphen(lang)  # read back from the cache folder
            fresh = pyphen.Pyphen(filename=path, cache=False)
            for word in ("hyphenation", "international", "республика", "сотрудничество"):
                assert kept.positions(word) == fresh.positions(word) == made.positions(word)
        assert len(list((folder / "hyphenation").glob("*.pickle"))) == 2
    finally:
        hyphenation._pyphen.cache_clear()


def test_a_changed_font_gets_its_own_character_map(folder: Path, tmp_path: Path):
    from generator.checks.styles import FontCoverage, _cmap

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shipped = (REPO / "templates" / "fonts" / "NotoSans-Regular.ttf").read_bytes()
    (fonts / "a.ttf").write_bytes(shipped)
    _cmap.cache_clear()
    assert ord("Қ") not in FontCoverage(fonts).lacking("Қ") and not FontCoverage(fonts).lacking("Қ")
    (fonts / "a.ttf").write_bytes(b"not a font")
    _cmap.cache_clear()
    assert "a.ttf" in FontCoverage(fonts).broken
    assert len(list((folder / "cmap").glob("*.pickle"))) == 1


def test_no_home_folder_means_no_cache(monkeypatch):
    def nowhere() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv(cache.ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(nowhere))
    assert cache.folder() is None
    assert cache.remembered("things", "a", lambda: 4) == 4


def test_the_code_stamp_is_remembered_until_a_module_changes(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    package = tmp_path / "package"
    package.mkdir()
    module = package / "stage.py"
    module.write_text("A = 1\n", encoding="utf-8")
    first = cache._code_stamp(package)
    assert list((folder / "code").iterdir())

    def asked(*args):
        raise AssertionError("the libraries' versions asked for again")

    monkeypatch.setattr(cache, "rendering_versions", asked)
    cache._code_stamp.cache_clear()
    assert cache._code_stamp(package) == first  # found again: nothing read, nothing asked
    monkeypatch.undo()
    monkeypatch.setenv(cache.ENV, str(folder))
    module.write_text("A = 22\n", encoding="utf-8")
    cache._code_stamp.cache_clear()
    assert cache._code_stamp(package) != first
    cache._code_stamp.cache_clear()
