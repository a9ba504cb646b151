"""Templates before rendering: syntax, HTML vocabulary, names, filters, tests and includes."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes

from generator.checks.names import Walker
from generator.errors import BriefError, Findings
from generator.facts.files import TEXT_LIMIT, read_text
from generator.facts.paths import kind_template, kinds
from generator.render.closure import closure, referenced
from generator.render.environment import parse_template
from generator.render.loader import TemplateOutside, template_path
from generator.render.vocabulary import HTML_SUFFIXES, markup_problems
from generator.render.wording import did_you_mean, explain_syntax, filters_hint, tests_hint


@dataclass
class Parsed:
    """One template file: its name under templates/, source and syntax tree (if it parses)."""

    name: str
    path: str
    source: str
    tree: nodes.Template | None = None


@dataclass
class TemplateSet:
    """Every template of a project, parsed once."""

    templates: Path
    env: jinja2.Environment
    files: dict[str, Parsed] = field(default_factory=dict)


def load_templates(templates: Path, env: jinja2.Environment, findings: Findings) -> TemplateSet:
    """Read and parse every template; unreadable files and syntax errors become findings."""
    found = TemplateSet(templates, env)
    for file in sorted(
        p for p in templates.rglob("*") if p.suffix in (*HTML_SUFFIXES, ".txt") and p.is_file()
    ):
        name = file.relative_to(templates).as_posix()
        path = f"templates/{name}"
        try:
            source = read_text(file, limit=TEXT_LIMIT, rel=path)  # as the render reads it
        except BriefError as exc:
            findings.extend(exc.findings)
            continue
        parsed = Parsed(name, path, source)
        found.files[name] = parsed
        try:
            parsed.tree = parse_template(source, name, str(file))
        except jinja2.TemplateSyntaxError as exc:
            line_text = _line(source, exc.lineno)
            message, hint = explain_syntax(exc.message or "", line_text, env.filters, env.tests)
            findings.add(path, exc.lineno, message, hint=hint, code="template-syntax")
    return found


@lru_cache(maxsize=1024)
def _undeclared(tree: nodes.Template, env: jinja2.Environment) -> frozenset[str]:
    """The names a template reads without defining them, as the environment (with the
    brief's filters) compiles it; kept with the kept tree."""
    codegen = meta.TrackingCodeGenerator(env)
    codegen.visit(tree)
    return frozenset(codegen.undeclared_identifiers)


def _line(source: str, lineno: int | None) -> str:
    lines = source.splitlines()
    return lines[lineno - 1] if lineno and 0 < lineno <= len(lines) else ""


def check_markup(parsed: Parsed, env: jinja2.Environment, findings: Findings) -> None:
    """Elements and attributes written in an HTML template, outside the Jinja tags."""
    findings.extend(markup_problems(parsed.name, parsed.source, env))


def check_calls(parsed: Parsed, env: jinja2.Environment, findings: Findings) -> None:
    """Filters and tests that do not exist (Jinja would only say so when it gets there)."""
    if parsed.tree is None:
        return
    for node in parsed.tree.find_all(nodes.Filter):
        if node.name not in env.filters:
            findings.add(
                parsed.path,
                node.lineno,
                f"the filter '{node.name}' does not exist",
                hint=filters_hint(node.name, env.filters),
                code="template-filter",
            )
    for test in parsed.tree.find_all(nodes.Test):
        if test.name not in env.tests:
            findings.add(
                parsed.path,
                test.lineno,
                f"the test '{test.name}' does not exist",
                hint=tests_hint(test.name, env.tests),
                code="template-test",
            )


def check_references(found: TemplateSet, findings: Findings) -> None:
    """Included, imported or extended templates exist and do not include themselves."""
    graph: dict[str, list[tuple[int, str]]] = {}
    for parsed in found.files.values():
        if parsed.tree is None:
            continue
        graph[parsed.name] = [(line, n) for line, n in referenced(parsed.tree) if n is not None]
        for line, name in graph[parsed.name]:
            path = template_path(found.templates, name)
            if path is None:
                outside = TemplateOutside(name)
                findings.add(
                    parsed.path, line, outside.message, hint=outside.hint, code=outside.code
                )
            elif name not in found.files and not path.is_file():
                findings.add(
                    parsed.path,
                    line,
                    f"the template '{name}' does not exist in templates/",
                    hint=did_you_mean(name, found.files)
                    + "check the name in {% include %} or {% extends %}",
                    code="template-not-found",
                )
    reported: set[frozenset] = set()
    for start in sorted(graph):
        cycle = _cycle(graph, start)
        if cycle and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            line = next(line for line, name in graph[start] if name == cycle[1])
            # the same message as the render's; the loop itself goes in the hint
            findings.add(
                f"templates/{start}",
                line,
                "the templates include each other in a loop",
                hint=" → ".join(cycle) + ": a template cannot include, import or "
                "extend itself, directly or through others",
                code="template-loop",
            )


def _cycle(graph: dict[str, list[tuple[int, str]]], start: str) -> list[str] | None:
    stack = [(start, [start])]
    seen = set()
    while stack:
        node, path = stack.pop()
        for _line, name in graph.get(node, []):
            if name == start:
                return path + [name]
            if name not in seen and name in graph:
                seen.add(name)
                stack.append((name, path + [name]))
    return None


def brief_templates(found: TemplateSet) -> list[Parsed]:
    """The templates a brief renders: each kind's closure (what it includes, imports or extends)."""
    names: set[str] = set()
    trees = {name: parsed.tree for name, parsed in found.files.items()}
    for kind in kinds(found.templates):
        names |= closure(found.templates, kind_template(kind), trees)
    return [found.files[name] for name in sorted(names) if name in found.files]


def optional_names(tree: nodes.Template) -> set[str]:
    """Names a template allows to be missing: `x|default(...)`, `x is defined`."""
    out = set()
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        if node.name in ("default", "d", "defined", "undefined") and isinstance(
            node.node, nodes.Name
        ):
            out.add(node.node.name)
    return out


def check_names(found: TemplateSet, roots: dict[str, Any], findings: Findings) -> None:
    """Names that nothing defines, and fields the facts do not have (in the brief templates)."""
    defined: set[str] = (
        set(roots) | set(found.env.globals) | {"loop", "caller", "self", "varargs", "kwargs"}
    )
    briefs = brief_templates(found)
    for parsed in briefs:
        if parsed.tree is None:
            continue
        for assign in parsed.tree.find_all((nodes.Assign, nodes.AssignBlock, nodes.For)):
            target = getattr(assign, "target", None)
            if target is not None:
                defined |= {n.name for n in target.find_all(nodes.Name)} | (
                    {target.name} if isinstance(target, nodes.Name) else set()
                )
        for imported in parsed.tree.find_all(nodes.Import):
            defined.add(imported.target)
        for taken in parsed.tree.find_all(nodes.FromImport):
            defined |= {n if isinstance(n, str) else n[1] for n in taken.names}
        for macro in parsed.tree.find_all(nodes.Macro):
            defined.add(macro.name)
    for parsed in briefs:
        if parsed.tree is None:
            continue
        try:
            unknown = _undeclared(parsed.tree, found.env) - defined
        except Exception:  # Jinja could not analyse this template; the render still tries it
            unknown = frozenset()
        unknown -= optional_names(parsed.tree)
        for name in sorted(unknown):
            line = next(
                (n.lineno for n in parsed.tree.find_all(nodes.Name) if n.name == name), None
            )
            findings.add(
                parsed.path,
                line,
                f"undefined value: '{name}' is not defined",
                hint=did_you_mean(name, sorted(defined - set(found.env.globals)) + sorted(roots))
                + "the facts are in: "
                + ", ".join(sorted(roots)),
                code="template-undefined",
            )
        findings.extend(Walker(parsed.path, roots).run(parsed.tree))
