"""Templates see data, not behaviour: what a template can reach from its context."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import REPO, write
from pydantic import BaseModel

from generator.facts.project import load_project
from generator.render.context import make_context
from generator.render.environment import PLAIN_DATA, environment
from generator.render.namespace import exposed, reviewed

DANGEROUS = (
    "parse_raw",
    "parse_file",
    "parse_obj",
    "model_validate_json",
    "model_validate",
    "model_copy",
    "model_dump",
    "model_fields",
    "copy",
    "json",
    "dict",
    "construct",
    "schema_json",
    "__class__",
    "__init__",
)


def reachable(context: dict):
    """Every value a template can reach from its context, through attributes it may read."""
    env = environment((REPO / "templates").resolve(), "en")
    seen: set[int] = set()
    todo = list(context.values())
    while todo:
        value = todo.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, dict):
            todo += list(value.values())
            continue
        if isinstance(value, list | tuple):
            todo += list(value)
            continue
        if isinstance(value, PLAIN_DATA):
            continue
        yield env, value
        for name in dir(value):
            try:
                attr = getattr(value, name)
            except Exception:  # noqa: BLE001 - a property that needs more than it has
                continue
            if env.is_safe_attribute(value, name, attr) and not callable(attr):
                todo.append(attr)


@pytest.fixture(scope="module")
def context() -> dict:
    project = load_project(REPO)
    dossier = project.dossiers["kz-tr"]
    return make_context(project, dossier, lang="en", kind="background", on=dt.date(2026, 2, 2))


def test_every_reachable_record_shows_only_its_fields_and_reviewed_methods(context):
    kinds: set[type] = set()
    for env, value in reachable(context):
        kinds.add(type(value))
        allowed = {name for name in dir(value) if env.is_safe_attribute(value, name, None)}
        assert allowed <= exposed(type(value)), (
            type(value).__name__,
            allowed - exposed(type(value)),
        )
        for name in DANGEROUS:
            assert not env.is_safe_attribute(value, name, None), (type(value).__name__, name)
    names = {k.__name__ for k in kinds}
    # the walk went through the facts, the registries and the derived values
    assert {"Dossier", "KeyDate", "Mechanism", "Session", "Person", "Office", "Source",
            "TradeRow", "TargetProgress", "Countdown", "BriefInfo", "FuzzyDate", "Amount",
            "Text"} <= names  # fmt: skip
    assert any(issubclass(k, BaseModel) for k in kinds)


def test_every_reviewed_method_exists_and_returns_data():
    for cls, names in reviewed().items():
        for name in names:
            assert hasattr(cls, name), (cls.__name__, name)


PAYLOADS = [
    "{{ d.parse_raw('x', proto='pickle', allow_pickle=True) }}",
    "{{ d.parse_file('/etc/passwd') }}",
    "{{ people.values()|first|attr('parse_file') }}",
    "{{ sources.values()|list|first|attr('parse_raw') }}",
    "{{ d.model_copy(update={'pair': 'x'}) }}",
    "{{ d.model_dump_json() }}",
    "{{ d.model_fields }}",
    "{{ d.json() }}",
    "{{ derived.trade[0].fact.model_dump() }}",
    "{{ d.__class__.__mro__ }}",
    "{{ d.__init__.__globals__ }}",
    "{{ brief.__class__ }}",
    "{{ brief.date.__class__.parse }}",
    "{{ (d.summary|first).text.__class__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ range.__self__ }}",
    "{{ ''.__class__.__mro__ }}",
    "{% set x = [] %}{{ x.append(1) }}",
    "{% set m = {} %}{{ m.update(a=1) }}",
    "{{ d.summary.pop() }}",
    "{{ self.__init__ }}",
    "{{ cite.__globals__ }}",
    "{{ 'x'|attr('__class__') }}",
    "{{ d|attr('parse_raw') }}",
]


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory) -> Path:
    from conftest import copy_project

    return copy_project(tmp_path_factory.mktemp("sandbox") / "p")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_template_cannot_reach_behaviour(shipped_copy: Path, payload: str):
    from generator.commands.check import check_templates
    from generator.errors import BriefError, Findings
    from generator.render.brief import render_brief

    root = shipped_copy
    write(
        root / "templates" / "sections" / "summary.html",
        f"<section>\n<p>{payload}</p>\n</section>\n",
    )
    project = load_project(root, ["kz-tr"])
    try:
        html = render_brief(
            project, "kz-tr", lang="en", kind="background", on=dt.date(2026, 2, 2)
        ).document.html
        refused = []
    except BriefError as exc:
        html, refused = "", exc.findings
    # harmless output: nothing of a record's machinery shows
    assert "root:" not in html and "<function" not in html and "<class" not in html
    assert all((f.path, f.line) == ("templates/sections/summary.html", 2) for f in refused)
    found = Findings()
    check_templates(project, found)
    flagged = [f for f in found.errors if f.path == "templates/sections/summary.html"]
    # check says so before any render wherever it can tell; the render refuses the rest
    assert not flagged or refused, [f.format() for f in flagged]
