"""`brief check`: validate facts, sources, templates and catalogs without writing documents."""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.checks.catalogs import check_catalogs
from generator.checks.facts import check_facts
from generator.checks.mail import check_subject
from generator.checks.prose import check_prose
from generator.checks.provenance import check_provenance
from generator.checks.styles import (
    check_characters,
    check_fonts,
    check_reference,
    project_texts,
)
from generator.checks.templates import (
    check_calls,
    check_markup,
    check_names,
    check_references,
    load_templates,
)
from generator.checks.theme import check_theme
from generator.errors import BriefError, Finding, Findings
from generator.facts.paths import kinds
from generator.facts.project import Project, load_project
from generator.l10n.zone import today
from generator.render.brief import render_brief
from generator.render.environment import environment
from generator.render.namespace import kind_of_value
from generator.writers.preflight import document_problems


@dataclass
class CheckReport:
    """Every finding of a check, sorted by file and line."""

    findings: list[Finding]
    strict: bool = False

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors and not (self.strict and self.warnings)

    @property
    def notes(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "note"]

    def summary(self) -> str:
        problems = [f for f in self.findings if f.severity != "note"]
        files = len({f.path for f in problems})
        e, w, n = len(self.errors), len(self.warnings), len(self.notes)
        return (
            f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}"
            + (f" in {files} file{'s' if files != 1 else ''}" if files else "")
            + (f"; {n} note{'s' if n != 1 else ''}" if n else "")
        )


def context_kinds(project: Project) -> dict[str, Any]:
    """What each name of the template context holds (from a real context of an empty dossier)."""
    from generator.facts.model import dossier_model
    from generator.render.context import make_context

    # with the sections declared in templates/sections.yaml: d.<key> is known to templates
    dossier = dossier_model(project.sections)(pair="kz-tr", countries=["KZ", "TR"])
    context = make_context(project, dossier, lang="en", kind="background", on=today())
    return {name: kind_of_value(value) for name, value in context.items()}


def template_language(project: Project) -> str:
    """The language whose environment reads the templates: English (the language of the
    msgids) when the brief has it, else the brief's first language."""
    return "en" if "en" in project.languages else project.languages[0]


def check_templates(project: Project, findings: Findings) -> None:
    """Syntax, vocabulary, filters, tests, includes and names of every template (no render)."""
    try:
        env = environment(project.templates.resolve(), template_language(project))
    except BriefError as exc:  # the en catalog cannot be read: reported by the catalog check
        findings.extend(exc.findings)
        return
    found = load_templates(project.templates, env, findings)
    for parsed in found.files.values():
        check_markup(parsed, env, findings)
        check_calls(parsed, env, findings)
    check_references(found, findings)
    check_names(found, context_kinds(project), findings)
    if not kinds(project.templates):
        findings.add(
            "templates/kinds",
            None,
            "there is no kind of brief in templates/kinds/",
            hint="add a template such as templates/kinds/background.html",
            code="no-kinds",
        )


def trial_render(project: Project, pairs: list[str], on: dt.date, findings: Findings) -> None:
    """Render every pair × kind × language in memory, as a build would (no PDF or DOCX), and
    write each one's e-mail subject as `brief mail` would."""
    blocked = {f.path for f in findings.errors}
    # a template error found without rendering is not said twice in Jinja's words
    located = {(f.path, f.line) for f in findings.errors if f.path.startswith("templates/")}
    for pair in pairs:
        if pair not in project.dossiers or project.blocking_files([pair]) & blocked:
            continue
        for kind in kinds(project.templates):
            for lang in project.languages:
                try:
                    rendered = render_brief(
                        project, pair, lang=lang, kind=kind, on=on, typeset_text=False
                    )
                except BriefError as exc:
                    findings.extend([f for f in exc.findings if (f.path, f.line) not in located])
                    continue
                # texts missing a language and untranslated strings are reported, with their
                # lines, by the facts and catalog checks (also where this render did not go)
                findings.extend(
                    [w for w in rendered.warnings if w.code not in ("missing-text", "untranslated")]
                )
                findings.extend(document_problems(rendered))  # what every writer refuses
                check_subject(project, pair, kind, lang, on, findings, rendered)


def trial_render_all(project: Project, pairs: list[str], on: dt.date, findings: Findings) -> None:
    """trial_render over every pair, the pairs shared among the machine's cores."""
    import multiprocessing

    jobs = min(os.cpu_count() or 1, len(pairs) // PAIRS_A_PROCESS)
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if jobs < 2 or not forkable or threading.active_count() > 1:  # a threaded one: not forked
        trial_render(project, pairs, on, findings)
        return
    from concurrent.futures import ProcessPoolExecutor

    _SHARED.update(project=project, on=on, known=list(findings.items))
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for found in pool.map(_trial_render_some, [pairs[i::jobs] for i in range(jobs)]):
                findings.extend(found)
    finally:
        _SHARED.clear()


# what a forked worker of trial_render_all reads: the parent's project and findings so far
_SHARED: dict = {}
PAIRS_A_PROCESS = 4  # fewer pairs than this a core: one process is quicker than starting more


def _trial_render_some(pairs: list[str]) -> list[Finding]:
    """The findings trial_render adds for some pairs (in a forked worker)."""
    findings = Findings()
    findings.extend(_SHARED["known"])
    trial_render(_SHARED["project"], pairs, _SHARED["on"], findings)
    return findings.items[len(_SHARED["known"]) :]


def check(
    root: Path, pairs: list[str] | None = None, *, strict: bool = False, on: dt.date | None = None
) -> CheckReport:
    """Load everything and render every pair × language × kind in memory; report all."""
    project = load_project(Path(root), pairs)
    findings = project.findings
    if pairs:
        try:
            project.require(pairs)
        except BriefError as exc:
            if exc.code == "unknown-pair":
                raise
    chosen = list(pairs) if pairs else sorted(project.dossiers)
    on = on or today()
    langs = list(project.languages)
    check_templates(project, findings)
    check_catalogs(project.templates, langs, findings)
    check_reference(project.templates, findings)
    check_theme(project.templates, findings)
    coverage = check_fonts(project.templates, findings)
    check_facts(project, chosen, on, findings, whole=not pairs)
    check_prose(project, chosen, on, findings)
    check_provenance(project, chosen, findings)
    check_characters(coverage, project_texts(project, chosen), findings)
    trial_render_all(project, chosen, on, findings)
    return CheckReport(findings.sorted(), strict)
