"""Reading YAML: one converter over the parser's events, the same on libyaml and ruamel's own
parser, every malformed input a located error, and every result kept for the process."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import REPO

from generator.facts import reader

SHIPPED = sorted(
    [*REPO.glob("briefs/*.yaml"), *REPO.glob("sources/*.yaml"), *REPO.glob("templates/house/*")]
)


def read(tmp_path: Path, text: str, name: str = "t.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return reader.load(path, tmp_path)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_files_read_the_same_with_either_parser(path: Path, monkeypatch):
    assert reader._FAST.Parser.__name__ == "CParser", "ruamel.yaml.clib should be installed"
    reader._load_bytes.cache_clear()
    fast, problems = reader.load(path, REPO)
    assert problems == []
    reader._load_bytes.cache_clear()
    monkeypatch.setattr(reader, "_FAST", reader._CAREFUL)
    careful, problems = reader.load(path, REPO)
    assert problems == []
    assert fast.data == careful.data
    assert fast.lines == careful.lines


def test_values_are_typed_as_yaml_1_2_says(tmp_path: Path):
    doc, problems = read(
        tmp_path,
        "a: no\nb: true\nc: 2026-02-02\nd: 4.1\ne: 12\nf: ~\ng: '5'\n1: one\n"
        "h: 0x1F\ni: -0o17\nj: 1_000\nk: .inf\nl: 007\n",
    )
    assert problems == []
    assert doc.data == {
        "a": "no",
        "b": True,
        "c": "2026-02-02",
        "d": 4.1,
        "e": 12,
        "f": None,
        "g": "5",
        "1": "one",
        "h": 31,
        "i": -15,
        "j": 1000,
        "k": float("inf"),
        "l": 7,
    }
    assert doc.data["d"].text == "4.1"
    assert doc.lines[("h",)] == 9


def test_lines_of_keys_list_items_and_aliased_values(tmp_path: Path):
    doc, problems = read(
        tmp_path,
        "a:\n  b: &x\n    c: 1\n    d:\n      - 2\n      - 3\n  e: *x\nlist:\n  - {k: v}\n  - w\n",
    )
    assert problems == []
    assert doc.data["a"]["e"] == {"c": 1, "d": [2, 3]}
    assert doc.lines[("a",)] == 1
    assert doc.lines[("a", "b", "c")] == 3
    assert doc.lines[("a", "b", "d", 1)] == 6
    assert doc.lines[("a", "e")] == 7
    assert doc.lines[("a", "e", "c")] == 3  # an alias's insides are where its anchor wrote them
    assert doc.lines[("list", 0, "k")] == 9
    assert doc.lines[("list", 1)] == 10
    assert doc.line(("list", 5, "nothing")) == 8


@pytest.mark.parametrize(
    "text, line, code, words",
    [
        ("a: 1\nb: 2\na: 3\n", 3, "yaml-duplicate-key", "the key 'a' appears twice"),
        ("a: !foo 1\n", 1, "yaml-tag", "the YAML tag '!foo' is not allowed"),
        ("x:\n  s: !!set {a, b}\n", 2, "yaml-tag", "a set (!!set) is not allowed"),
        ("x: !!omap [{a: 1}]\n", 1, "yaml-tag", "an ordered mapping (!!omap)"),
        ("s: {a: 1, !!set {b}: 2}\n", 1, "yaml-tag", "a set (!!set)"),
        ("base: &b {x: 1}\nother:\n  <<: *b\n", 3, "yaml-merge", "a merge key '<<'"),
        ("a: [1,\n", 2, "yaml-syntax", "YAML syntax error"),
        ("n: " + "9" * 100_000 + "\n", 1, "yaml-number", "cannot be read"),
        ('a: "\\ud800"\n', 1, "yaml-character", "U+D800, which is not a character"),
        ('a:\n  - "x\\uFFFE"\n', 2, "yaml-character", "U+FFFE"),
        ("a: 1\n---\nb: 2\n", 2, "yaml-syntax", "more than one document"),
        ("a: *nowhere\n", 1, "yaml-syntax", "refers to no anchor '&nowhere'"),
        ("? [a, b]\n: 1\n", 1, "yaml-key", "a key must be plain text"),
        ("a: [" * 200 + "\n", 1, "yaml-depth", "nested more than 60 levels"),
        ("- " * 5000 + "x\n", 1, "yaml-depth", "nested more than 60 levels"),
    ],
)
def test_malformed_input_is_a_located_error(tmp_path: Path, text, line, code, words):
    doc, problems = read(tmp_path, text)
    assert doc is None
    assert problems, text[:40]
    first = problems[0]
    assert (first.line, first.code) == (line, code), first.format()
    assert words in first.message
    assert first.hint


def test_an_alias_bomb_stops_at_the_budget_quickly(tmp_path: Path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    started = time.perf_counter()
    doc, problems = read(tmp_path, "\n".join(lines) + "\n")
    assert doc is None and problems[0].code == "yaml-too-big"
    assert time.perf_counter() - started < 5


def test_a_result_good_or_bad_is_read_once(tmp_path: Path, monkeypatch):
    reader._load_bytes.cache_clear()
    calls = []
    original = reader._Builder.build

    def counting(self, events):
        calls.append(self.doc.path)
        return original(self, events)

    monkeypatch.setattr(reader._Builder, "build", counting)
    for text in ("a: 1\n", "a: 1\na: 2\n"):
        first = read(tmp_path, text)
        second = read(tmp_path, text)
        assert first == second
    assert calls == ["t.yaml", "t.yaml"]
