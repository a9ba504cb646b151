"""`brief check`: validate facts, sources, templates and catalogs without writing documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .brief import kinds, render_brief
from .document import VOCABULARY, template_tags
from .errors import BriefError, Finding, Findings
from .l10n import LOCALES
from .project import load_project
from .render import environment, syntax_error


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

    def summary(self) -> str:
        files = len({f.path for f in self.findings})
        e, w = len(self.errors), len(self.warnings)
        return (f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}"
                + (f" in {files} file{'s' if files != 1 else ''}" if files else ""))


def check_templates(templates: Path, findings: Findings) -> None:
    """Syntax and vocabulary of every template, without rendering."""
    env = environment(templates.resolve(), "en")
    for path in sorted(templates.rglob("*.html")):
        rel = path.relative_to(templates).as_posix()
        source = path.read_text(encoding="utf-8")
        try:
            env.parse(source, rel, str(path))
        except jinja2.TemplateSyntaxError as exc:
            err = syntax_error(templates, exc)
            findings.extend(err.findings)
        for line, tag, _text in template_tags(source):
            if tag not in VOCABULARY:
                findings.add(f"templates/{rel}", line,
                             f"the element <{tag}> is not supported in briefs",
                             hint="use one of: " + ", ".join(sorted(VOCABULARY)),
                             code="html-element")


def check(root: Path, pairs: list[str] | None = None, *, strict: bool = False,
          on: dt.date | None = None) -> CheckReport:
    """Load everything and render every pair × language × kind in memory; report all."""
    from .build import today

    project = load_project(Path(root), pairs)
    findings = project.findings
    if pairs:
        try:
            project.require(pairs)
        except BriefError as exc:
            if exc.code == "unknown-pair":
                raise
    check_templates(project.templates, findings)
    on = on or today()
    blocked = {f.path for f in findings.errors}
    for pair in sorted(project.dossiers):
        if pairs and pair not in pairs:
            continue
        if project.blocking_files([pair]) & blocked:
            continue
        for kind in kinds(project.templates):
            for lang in LOCALES:
                try:
                    rendered = render_brief(project, pair, lang=lang, kind=kind, on=on)
                    findings.extend(rendered.warnings)
                except BriefError as exc:
                    findings.extend(exc.findings)
    return CheckReport(findings.sorted(), strict)
