"""The fast (libyaml) and careful (round-trip) YAML paths give the same data and lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

from generator.facts import reader

SHIPPED = sorted(
    [*REPO.glob("briefs/*.yaml"), *REPO.glob("sources/*.yaml"), *REPO.glob("templates/house/*")]
)


def careful(path: Path, monkeypatch) -> reader.YamlFile:
    with monkeypatch.context() as m:
        m.setattr(reader, "_fast_load", lambda text, rel: None)
        doc, problems = reader.load(path, path.parent)
    assert not problems
    return doc


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_read_the_same_on_both_paths(path: Path, monkeypatch):
    fast = reader._fast_load(path.read_text(encoding="utf-8"), path.name)
    assert fast is not None, "a shipped file should take the fast path"
    slow = careful(path, monkeypatch)
    assert fast.data == slow.data
    assert fast.lines == slow.lines


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key
        "a: !foo 1\n",  # a tag
        "base: &b {x: 1}\nother:\n  <<: *b\n",  # a merge key
        "a: [1,\n",  # a syntax error
        "n: 0x1F\n",  # a number form we leave to the careful reader
        "x: .inf\n",
        "s: !!set {a, b}\n",
    ],
)
def test_unusual_files_take_the_careful_path(text: str):
    assert reader._fast_load(text, "x.yaml") is None


def test_values_are_typed_as_yaml_1_2_says(tmp_path: Path, monkeypatch):
    path = tmp_path / "t.yaml"
    path.write_text(
        "a: no\nb: true\nc: 2026-02-02\nd: 4.1\ne: 12\nf: ~\ng: '5'\n1: one\n", encoding="utf-8"
    )
    fast = reader._fast_load(path.read_text(encoding="utf-8"), "t.yaml")
    slow = careful(path, monkeypatch)
    assert (
        fast.data
        == slow.data
        == {
            "a": "no",
            "b": True,
            "c": "2026-02-02",
            "d": 4.1,
            "e": 12,
            "f": None,
            "g": "5",
            "1": "one",
        }
    )
    assert fast.data["d"].text == "4.1"
