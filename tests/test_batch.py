"""Batch builds: skipped when unchanged, rebuilt when an input changes, failures isolated."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import BRIEF_DATE, MINI_DOSSIER, Cli, write

AZ = MINI_DOSSIER.replace("pair: kz-tr", "pair: kz-az").replace("[KZ, TR]", "[KZ, AZ]")


@pytest.fixture
def two(mini: Path) -> Path:
    write(mini / "briefs" / "kz-az.yaml", AZ)
    return mini


def run(root: Path, *extra: str):
    result = Cli(root)(
        "build",
        "--all",
        "--lang",
        "en,ru",
        "--format",
        "html,docx",
        "--date",
        BRIEF_DATE,
        "--out",
        str(root / "out"),
        *extra,
    )
    per_file = {
        name: status
        for status, name in re.findall(r"^(built|up-to-date|failed): (\S+)$", result.output, re.M)
    }
    return result, per_file


def test_second_build_skips_everything_and_force_rebuilds(two: Path):
    first, files = run(two)
    assert first.exit_code == 0, first.output
    assert len(files) == 2 * 2 * 2 * 2 and set(files.values()) == {"built"}
    second, files = run(two)
    assert set(files.values()) == {"up-to-date"}
    assert "0 built, 0 failed, 16 up to date" in second.output
    forced, files = run(two, "--force")
    assert set(files.values()) == {"built"}


def test_an_upgrade_of_what_renders_rebuilds_everything(two: Path, monkeypatch, tmp_path):
    from generator import cache

    run(two)
    versions = cache.rendering_versions()
    assert {"weasyprint", "pydyf", "python-docx", "babel", "cldr", "jinja2", "fonttools",
            "cairosvg"} <= set(versions)  # fmt: skip
    assert "-" not in versions.values()
    monkeypatch.setattr(cache, "rendering_versions", lambda: {**versions, "weasyprint": "999"})
    # an upgrade changes the library folder, so the remembered code stamp is not found
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache-after-upgrade"))
    cache._code_stamp.cache_clear()
    try:
        _, files = run(two)
        assert set(files.values()) == {"built"}
        _, files = run(two)
        assert set(files.values()) == {"up-to-date"}
    finally:
        monkeypatch.undo()
        cache._code_stamp.cache_clear()


def test_editing_one_dossier_rebuilds_only_that_pair(two: Path):
    run(two)
    path = two / "briefs" / "kz-az.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("10 bn USD", "11 bn USD"), encoding="utf-8"
    )
    _, files = run(two)
    assert {n for n, s in files.items() if s == "built"} == {n for n in files if "_kz-az_" in n}


def test_editing_a_partial_rebuilds_only_the_kinds_that_use_it(two: Path):
    run(two)
    partial = two / "templates" / "sections" / "key_dates.html"  # background only
    partial.write_text(partial.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _, files = run(two)
    rebuilt = {n for n, s in files.items() if s == "built"}
    assert rebuilt == {n for n in files if "_background_" in n}


def test_editing_reference_docx_rebuilds_only_docx(two: Path):
    run(two)
    reference = two / "templates" / "reference.docx"
    reference.write_bytes(reference.read_bytes())  # same bytes: nothing to do
    _, files = run(two)
    assert set(files.values()) == {"up-to-date"}
    import docx

    styled = docx.Document(str(reference))
    styled.styles["Body Text"].font.size = docx.shared.Pt(12)
    styled.save(str(reference))
    _, files = run(two)
    assert {n for n, s in files.items() if s == "built"} == {
        n for n in files if n.endswith(".docx")
    }


def test_one_failing_pair_does_not_stop_the_batch(two: Path):
    path = two / "briefs" / "kz-az.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("date: 1992-03-02", "date: 1992-02-30"),
        encoding="utf-8",
    )
    result, files = run(two)
    assert result.exit_code == 1
    assert {n for n, s in files.items() if s == "built"} == {n for n in files if "_kz-tr_" in n}
    assert {n for n, s in files.items() if s == "failed"} == {n for n in files if "_kz-az_" in n}
    assert "briefs/kz-az.yaml:5: error: 'date': 1992-02-30 is not a real date" in result.output
    assert "8 built, 8 failed, 0 up to date" in result.output
    assert not list((two / "out").glob("*_kz-az_*"))


def test_manifest_records_size_hash_inputs_and_warnings(two: Path):
    run(two)
    manifest = json.loads((two / "out" / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["files"][f"{BRIEF_DATE}_kz-tr_background_en.html"]
    data = (two / "out" / f"{BRIEF_DATE}_kz-tr_background_en.html").read_bytes()
    import hashlib

    assert entry["size"] == len(data)
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert len(entry["inputs"]) == 64 and entry["warnings"] == []


def test_parallel_and_serial_builds_give_the_same_bytes(two: Path, tmp_path: Path):
    serial = Cli(two)(
        "build",
        "--all",
        "--lang",
        "kk",
        "--format",
        "pdf,docx,html",
        "--date",
        BRIEF_DATE,
        "--out",
        str(tmp_path / "a"),
        "--jobs",
        "1",
    )
    parallel = Cli(two)(
        "build",
        "--all",
        "--lang",
        "kk",
        "--format",
        "pdf,docx,html",
        "--date",
        BRIEF_DATE,
        "--out",
        str(tmp_path / "b"),
        "--jobs",
        "2",
    )
    assert serial.exit_code == parallel.exit_code == 0
    a = sorted(p.name for p in (tmp_path / "a").iterdir() if p.suffix != ".json")
    assert a == sorted(p.name for p in (tmp_path / "b").iterdir() if p.suffix != ".json")
    for name in a:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_an_up_to_date_build_parses_nothing(two: Path):
    import subprocess
    import sys

    args = [
        sys.executable,
        "-X",
        "importtime",
        "-m",
        "generator",
        "--project",
        str(two),
        "build",
        "--all",
        "--lang",
        "en",
        "--format",
        "html",
        "--date",
        BRIEF_DATE,
        "--out",
        str(two / "out"),
    ]
    subprocess.run(args, capture_output=True, check=True)
    second = subprocess.run(args, capture_output=True, text=True, check=True)
    assert "0 built, 0 failed, 4 up to date" in second.stderr
    imported = {
        line.split("|")[-1].strip()
        for line in second.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert not {"generator.facts.model", "pydantic", "jinja2", "weasyprint", "docx"} & imported


def test_editing_a_cited_source_rebuilds_the_pairs_that_cite_it(two: Path):
    run(two)
    source = two / "sources" / "test-source.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("Publisher", "Publisher B"), encoding="utf-8"
    )
    _, files = run(two)
    assert set(files.values()) == {"built"}  # both pairs cite it


@pytest.mark.parametrize(
    "content",
    ["[1, 2]", "null", '{"files": [1]}', '{"files": {"a": 5}}', "[" * 100_000, "not json", ""],
    ids=["list", "null", "files-list", "entry-number", "deep", "text", "empty"],
)
def test_an_unreadable_manifest_is_set_aside_and_the_build_goes_on(two: Path, content: str):
    out = two / "out"
    out.mkdir()
    (out / "manifest.json").write_text(content, encoding="utf-8")
    result, files = run(two)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert set(files.values()) == {"built"}
    assert "manifest.json in " in result.output and "was set aside as" in result.output
    assert (out / "manifest.json.unreadable").read_text(encoding="utf-8") == content
    assert isinstance(json.loads((out / "manifest.json").read_text(encoding="utf-8")), dict)
    _, files = run(two)
    assert set(files.values()) == {"up-to-date"}


def test_an_output_whose_bytes_differ_from_the_manifest_is_built_again(two: Path):
    run(two)
    target = two / "out" / f"{BRIEF_DATE}_kz-tr_background_en.html"
    good = target.read_bytes()
    target.write_bytes(good.replace(b"Publisher,", b"Publishes,"))  # same size
    assert target.stat().st_size == len(good) and target.read_bytes() != good
    _, files = run(two)
    assert {n for n, s in files.items() if s == "built"} == {target.name}
    assert target.read_bytes() == good


def test_a_build_leaves_no_lock_and_no_temporary_file(two: Path):
    out = two / "out"
    out.mkdir()
    (out / ".manifest.json.abcd1234.tmp").write_text("{", encoding="utf-8")  # a killed build's
    result, _ = run(two)
    assert result.exit_code == 0, result.output
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_the_manifest_keeps_each_set_of_inputs_once(two: Path):
    """A pair's facts and a kind's templates in a language and format are recorded once
    however many outputs were made from them; a set no output names any more is dropped."""
    run(two)
    path = two / "out" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    files, inputs = manifest["files"], manifest["inputs"]
    assert len(files) == 16
    named = [ident for entry in files.values() for ident in entry["deps"]]
    assert set(named) == set(inputs)
    # 2 pairs' facts, and 2 kinds × 2 languages × 2 formats of templates
    assert len(inputs) == 2 + 2 * 2 * 2
    facts = [i for i in inputs if "briefs/kz-tr.yaml" in inputs[i]]
    assert len(facts) == 1 and all(not p.startswith("templates/") for p in inputs[facts[0]])
    dossier = two / "briefs" / "kz-tr.yaml"
    dossier.write_text(
        dossier.read_text(encoding="utf-8").replace("10 bn USD", "11 bn USD"), encoding="utf-8"
    )
    run(two)
    again = json.loads(path.read_text(encoding="utf-8"))["inputs"]
    assert facts[0] not in again  # the old record of kz-tr's facts is gone with its outputs
    assert len(again) == len(inputs)


def test_a_manifest_of_an_earlier_version_makes_a_rebuild(two: Path):
    """Entries that record their inputs as earlier versions did are built again, once."""
    run(two)
    path = two / "out" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for entry in manifest["files"].values():
        entry["deps"] = {"briefs/kz-tr.yaml": "0" * 64}
    del manifest["inputs"]
    path.write_text(json.dumps(manifest), encoding="utf-8")
    _, files = run(two)
    assert set(files.values()) == {"built"}
    _, files = run(two)
    assert set(files.values()) == {"up-to-date"}
