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


# each a template line an analyst might be sent: walks to a record's machinery, model
# methods, format tricks, huge widths and loops, includes of files outside templates/
PAYLOADS = [
    # a record's machinery
    "{{ d.parse_raw('x', proto='pickle', allow_pickle=True) }}",
    "{{ d.parse_raw('cos\\nsystem\\n(S\\'touch CANARY\\'\\ntR.', proto='pickle', "
    "allow_pickle=True) }}",
    "{{ d.parse_file('/etc/passwd') }}",
    "{{ people.values()|first|attr('parse_file') }}",
    "{{ sources.values()|list|first|attr('parse_raw') }}",
    "{{ people.values()|map(attribute='parse_file')|list }}",
    "{{ d['parse_raw'] }}",
    "{{ d.model_copy(update={'pair': 'x'}) }}",
    "{{ d.model_dump_json() }}",
    "{{ d.model_fields }}",
    "{{ d.json() }}",
    "{{ derived.trade[0].fact.model_dump() }}",
    "{{ d.__class__.__mro__ }}",
    "{{ d.__init__.__globals__ }}",
    "{{ d.pair.__class__.__subclasses__() }}",
    "{{ brief.__class__ }}",
    "{{ brief.date.__class__.parse }}",
    "{{ brief.date.strftime('%Y') }}",
    "{{ (d.summary|first).text.__class__ }}",
    "{{ d.summary|map('attr', 'copy')|list }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ range.__self__ }}",
    "{{ ''.__class__.__mro__ }}",
    "{% set x = [] %}{{ x.append(1) }}",
    "{% set m = {} %}{{ m.update(a=1) }}",
    "{{ d.summary.pop() }}",
    "{{ self.__init__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ cite.__globals__ }}",
    "{{ 'x'|attr('__class__') }}",
    "{{ d|attr('parse_raw') }}",
    # format tricks
    "{{ '{0.__class__}'.format(d) }}",
    "{{ '{0.parse_raw}'.format(d) }}",
    "{{ '{0.__init__.__globals__}'.format(cite) }}",
    "{{ '%s'|format(d.parse_file) }}",
    "{{ '{:%999999999Y}'.format(brief.date) }}",
    # huge widths, counts, numbers and loops
    "{{ 'x'|center(10**9) }}",
    "{{ 'x'.ljust(10**9) }}",
    "{{ 'x'.rjust(10**9, '-') }}",
    "{{ 'x'.zfill(10**9) }}",
    "{{ 'x'|indent(10**9) }}",
    "{{ '%*s'|format(10**9, 'x') }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '{:{}}'.format(1, 10**9) }}",
    "{{ 'x' * 10**9 }}",
    "{{ ((10**64)**64)**64 }}",
    "{% set ns = namespace(x=3) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}{% endfor %}",
    "{{ lipsum(10**6) }}",
    "{{ (1).to_bytes(10**9, 'big') }}",
    "{{ 'a\\tb'.expandtabs(10**9) }}",
    "{{ [1]|batch(10**9, 'x')|list }}",
    "{{ [1, 2]|slice(10**9)|list }}",
    "{{ {'a': 1}|tojson(indent=10**9) }}",
    "{{ 'x'|wordwrap(1, wrapstring='y' * 10000) }}",
    "{{ range(10)|sum(start=[]) }}",
    "{% set x = 'x' * 10000 %}{{ x|replace('x', x) }}",
    "{{ range(100000)|map('string')|join('x' * 10000) }}",
    "{{ ''.join(['x' * 10000] * 10000) }}",
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
    "{% endfor %}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% set s %}{% for i in range(100000) %}{{ 'x' * 10000 }}{% endfor %}{% endset %}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "{% for x in range(1000) recursive %}{{ loop(range(1000)) }}{% endfor %}",
    # files outside templates/
    "{% include '/etc/passwd' %}",
    "{% include '../brief.yaml' %}",
    "{% include 'sections/../../brief.yaml' %}",
    "{% include '../../secret.txt' ignore missing %}",
    "{% include 'file:///etc/passwd' %}",
    "{% include '\\\\etc\\\\passwd' %}",
    "{% include ['/etc/passwd', 'sections/trade.html'] %}",
    "{% include ('/etc/' ~ 'passwd') %}",
    "{% import '/etc/passwd' as x %}",
    "{% from '../brief.yaml' import x %}",
    "{% include 'sections/leak.html' %}",
]

SECRET = "SECRET-0b1c2d"


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory) -> Path:
    """The shipped project, with a secret beside it and a link in templates/ leading to it."""
    from conftest import copy_project

    base = tmp_path_factory.mktemp("sandbox")
    root = copy_project(base / "p")
    (base / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (root / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (root / "templates" / "sections" / "leak.html").symlink_to(base / "secret.txt")
    return root


def test_the_payload_suite_is_large_enough():
    assert len(PAYLOADS) >= 50 and len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_template_cannot_reach_behaviour(shipped_copy: Path, payload: str):
    from generator.commands.check import check_templates
    from generator.errors import BriefError, Findings
    from generator.render.brief import render_brief

    root = shipped_copy
    canary = root.parent / "canary"
    write(
        root / "templates" / "sections" / "summary.html",
        f"<section>\n<p>{payload.replace('CANARY', str(canary))}</p>\n</section>\n",
    )
    project = load_project(root, ["kz-tr"])
    try:
        html = render_brief(
            project, "kz-tr", lang="en", kind="background", on=dt.date(2026, 2, 2)
        ).document.html
        refused = []
    except BriefError as exc:
        html, refused = "", exc.findings
    said = html + "\n".join(f.format() for f in refused)
    # nothing ran, nothing outside templates/ was shown, nothing of a record's machinery
    assert not canary.exists()
    assert SECRET not in said and "root:x:0:0" not in said and "pair:" not in html
    assert "<function" not in said and "<class" not in said and "<module" not in said
    # a refusal is located at the payload (or at the one file outside that was named)
    assert all((f.path, f.line) == ("templates/sections/summary.html", 2) for f in refused), [
        f.format() for f in refused
    ]
    found = Findings()
    check_templates(project, found)
    flagged = [f for f in found.errors if f.path == "templates/sections/summary.html"]
    # check says so before any render wherever it can tell; the render refuses the rest
    assert not flagged or refused, [f.format() for f in flagged]


@pytest.mark.parametrize(
    "payload, limit",
    [
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
         "loop rounds"),
        ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
         "{{ f(40) }}", "loop rounds"),
        ("{{ 'x'|center(10**9) }}", "a width of 1,000,000,000"),
        ("{{ range(10000)|map('string')|join('x' * 10000) }}", "joining would make a text"),
        ("{% set s %}{% for i in range(100000) %}{{ 'x' * 10000 }}{% endfor %}{% endset %}",
         "characters of text made"),
        ("{{ ((10**64)**64)**64 }}", "a number with more than"),
    ],
)  # fmt: skip
def test_each_limit_is_named_with_its_template_and_line(shipped_copy: Path, payload, limit):
    from generator.errors import BriefError
    from generator.render.brief import render_brief

    write(
        shipped_copy / "templates" / "sections" / "summary.html",
        f"<section>\n<p>{payload}</p>\n</section>\n",
    )
    project = load_project(shipped_copy, ["kz-tr"])
    with pytest.raises(BriefError) as caught:
        render_brief(project, "kz-tr", lang="en", kind="background", on=dt.date(2026, 2, 2))
    (finding,) = caught.value.findings
    assert finding.code == "template-limit" and limit in finding.message, finding.format()
    assert finding.format().startswith(
        "templates/sections/summary.html:2: error: the template goes past a limit"
    )
