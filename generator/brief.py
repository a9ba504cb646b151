"""One brief from facts to checked HTML: context, template, vocabulary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import Finding
from .layout import KINDS_DIR, kinds

if TYPE_CHECKING:
    from .document import Document
    from .project import Project

__all__ = ["KINDS_DIR", "Rendered", "kinds", "render_brief"]


@dataclass(frozen=True)
class Rendered:
    """A brief rendered to checked HTML, with what the render noticed."""

    document: Document
    warnings: list[Finding]


def render_brief(
    project: Project,
    pair: str,
    *,
    lang: str,
    kind: str,
    on: dt.date,
    draft: bool = False,
    marking: str | None = None,
) -> Rendered:
    """Render one brief to HTML and hold it to the document vocabulary."""
    from .context import make_context
    from .document import check_vocabulary, parse
    from .l10n.findings import render_findings
    from .render import render

    dossier = project.dossiers[pair]
    context = make_context(
        project, dossier, lang=lang, kind=kind, on=on, draft=draft, marking=marking
    )
    template = f"{KINDS_DIR}/{kind}.html"
    html, state = render(project.templates, template, lang, context, draft=draft)
    document = parse(html)
    check_vocabulary(document, project.templates.resolve(), template)
    warnings = render_findings(project, pair, state.formatter, state.untranslated)
    return Rendered(document, warnings)
