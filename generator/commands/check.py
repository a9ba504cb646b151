"""`brief check`: validate facts, sources, templates and catalogs without writing documents."""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.checks.catalogs import check_catalogs
from generator.checks.facts import check_facts, check_unused_sources, cited_by_briefs
from generator.checks.mail import check_subject
from generator.checks.prose import check_prose
from generator.checks.provenance import check_provenance
from generator.checks.styles import (
    FontCoverage,
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


def check_pairs(
    root: Path,
    pairs: list[str],
    on: dt.date,
    known: list[Finding],
    whole: bool,
) -> tuple[list[Finding], dict[str, set[str]]]:
    """Every check of some pairs, with their facts loaded here: the facts, the prose, the
    provenance, the characters, a trial render of each brief. Returns the findings added to
    `known` (what the templates' checks found), and the sources each file of briefs/ read
    here cites (for the sources no file cites)."""
    project = load_project(root, pairs)
    findings = Findings()
    findings.extend(known)
    findings.extend(project.findings.items)
    check_facts(project, pairs, on, findings, whole=False)
    check_prose(project, pairs, on, findings)
    check_provenance(project, pairs, findings)
    coverage = FontCoverage(project.templates / "fonts")
    check_characters(coverage, project_texts(project, pairs), findings)
    trial_render(project, pairs, on, findings)
    cites = cited_by_briefs(project) if whole else {}
    return findings.items[len(known) :], cites


def check_all_pairs(
    root: Path, pairs: list[str], on: dt.date, findings: Findings, whole: bool
) -> dict[str, set[str]]:
    """check_pairs over every pair, the pairs shared among the machine's cores: each process
    loads only its own pairs, so the work and the memory a process needs do not grow with
    the fact base."""
    import multiprocessing

    jobs = min(os.cpu_count() or 1, len(pairs) // PAIRS_A_PROCESS)
    forkable = "fork" in multiprocessing.get_all_start_methods()
    known = list(findings.items)
    if jobs < 2 or not forkable or threading.active_count() > 1:  # a threaded one: not forked
        found, cites = check_pairs(root, pairs, on, known, whole)
        findings.extend(found)
        return cites
    from concurrent.futures import ProcessPoolExecutor

    cites = {}
    chunks = [pairs[i::jobs] for i in range(jobs)]
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        for found, cited in pool.map(
            check_pairs,
            [root] * jobs,
            chunks,
            [on] * jobs,
            [known] * jobs,
            [whole] * jobs,
        ):
            findings.extend(found)
            cites.update(cited)
    return cites


PAIRS_A_PROCESS = 4  # fewer pairs than this a core: one process is quicker than starting more


def check(
    root: Path, pairs: list[str] | None = None, *, strict: bool = False, on: dt.date | None = None
) -> CheckReport:
    """Load everything and render every pair × language × kind in memory; report all.

    What all pairs share (settings, sources, registries, templates, catalogs, styles, fonts)
    is checked here; the pairs themselves by check_all_pairs, on every core.
    """
    root = Path(root)
    project = load_project(root, [])  # without dossiers: the pairs are checked by their own
    findings = project.findings
    if pairs:
        project.require_known(list(pairs))
    chosen = list(pairs) if pairs else project.pair_names()
    whole = not pairs
    on = on or today()
    langs = list(project.languages)
    check_templates(project, findings)
    check_catalogs(project.templates, langs, findings)
    check_reference(project.templates, findings)
    check_theme(project.templates, findings)
    check_fonts(project.templates, findings)
    check_facts(project, [], on, findings, whole=whole)
    cites = check_all_pairs(root, chosen, on, findings, whole)
    if whole:
        check_unused_sources(project, cites, findings)
    return CheckReport(findings.sorted(), strict)
