"""One brief from facts to a checked document: context, template, vocabulary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import BriefError, Finding
from generator.facts.paths import kind_template
from generator.l10n.house import HouseStyle, load_house
from generator.render.context import make_context
from generator.render.document import BriefDocument, parse
from generator.render.notices import render_findings
from generator.render.template import render
from generator.render.typography import typeset
from generator.render.vocabulary import check_vocabulary

if TYPE_CHECKING:
    from generator.facts.project import Project


@dataclass(frozen=True)
class RenderedBrief:
    """A brief rendered to a checked document: what every writer gets, and what the render
    noticed (warnings about texts shown in another language or in unreviewed forms)."""

    document: BriefDocument
    templates: Path
    language_tags: tuple[tuple[str, str], ...]  # brief language → BCP 47 tag (Word's spelling)
    warnings: tuple[Finding, ...] = ()
    name: str = ""  # the output file name without extension (PDF identifier)

    def language_tag(self, lang: str | None = None) -> str:
        """The BCP 47 tag of the brief's language (or of another of the brief's languages)."""
        lang = lang or self.document.lang
        return dict(self.language_tags).get(lang, lang)


def render_brief(
    project: Project,
    pair: str,
    *,
    lang: str,
    kind: str,
    on: dt.date,
    draft: bool = False,
    marking: str | None = None,
    drafter: str | None = None,
    typeset_text: bool = True,
) -> RenderedBrief:
    """Render one brief to HTML and hold it to the document vocabulary; then set its text
    by the house's typography (which finds nothing wrong: `brief check` leaves it out)."""
    dossier = project.dossiers[pair]
    context = make_context(
        project, dossier, lang=lang, kind=kind, on=on, draft=draft, marking=marking, drafter=drafter
    )
    template = kind_template(kind)
    html, state = render(
        project.templates, template, lang, context, draft=draft, languages=project.languages
    )
    document = parse(html)
    check_vocabulary(document, project.templates.resolve(), template)
    if typeset_text:
        document = typeset(document, houses(project, lang))
    warnings = render_findings(state.formatter, state.untranslated)
    return RenderedBrief(document, project.templates, language_tags(project), tuple(warnings))


def houses(project: Project, lang: str) -> dict[str, HouseStyle]:
    """The house style of the brief's language, and of the others its text may quote."""
    out = {lang: load_house(project.templates, lang)}
    for other in project.languages:
        try:
            out.setdefault(other, load_house(project.templates, other))
        except BriefError:  # that language's own briefs report it
            pass
    return out


def language_tags(project: Project) -> tuple[tuple[str, str], ...]:
    """Each of the brief's languages with its BCP 47 tag from its house style."""
    tags = []
    for lang in project.languages:
        try:
            tags.append((lang, load_house(project.templates, lang).language_tag))
        except BriefError:  # that language's own briefs report it
            tags.append((lang, lang))
    return tuple(tags)
