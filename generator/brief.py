"""One brief from facts to checked HTML: context, template, vocabulary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .context import make_context
from .document import Document, check_vocabulary, parse
from .errors import Finding
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
    warnings = []
    dossier_path = project.dossier_path(pair)
    for _lang, shown in dict.fromkeys(state.formatter.missing):
        warnings.append(Finding(
            dossier_path, None, None, "warning", "missing-text",
            f"a text has no {lang} version; shown in another language: "
            f"'{shown[:50]}{'…' if len(shown) > 50 else ''}'",
            f"add '{lang}: ...' to that text in {dossier_path}"))
    return Rendered(document, warnings)
