"""One brief from facts to checked HTML: context, template, vocabulary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .context import make_context
from .document import Document, check_vocabulary, parse
from .errors import Finding
from .l10n.findings import render_findings
from .project import Project
from .render import render

KINDS_DIR = "kinds"


def kinds(templates: Path) -> list[str]:
    """The kinds of brief the templates define (templates/kinds/<kind>.html)."""
    return sorted(p.stem for p in (templates / KINDS_DIR).glob("*.html"))


@dataclass(frozen=True)
class Rendered:
    """A brief rendered to checked HTML, with what the render noticed."""

    document: Document
    warnings: list[Finding]


def render_brief(project: Project, pair: str, *, lang: str, kind: str, on: dt.date,
                 draft: bool = False, marking: str | None = None) -> Rendered:
    """Render one brief to HTML and hold it to the document vocabulary."""
    dossier = project.dossiers[pair]
    context = make_context(project, dossier, lang=lang, kind=kind, on=on, draft=draft,
                           marking=marking)
    template = f"{KINDS_DIR}/{kind}.html"
    html, state = render(project.templates, template, lang, context, draft=draft)
    document = parse(html)
    check_vocabulary(document, project.templates.resolve(), template)
    warnings = render_findings(project, pair, state.formatter, state.untranslated)
    return Rendered(document, warnings)
