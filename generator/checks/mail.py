"""The e-mail's subject, written from the templates and checked as `brief mail` and `brief check`
both see it: plain text on one line, also once a mail program has decoded it."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from typing import Any

from generator.checks.styles import catalog_texts, fact_texts
from generator.errors import BriefError, Finding, Findings
from generator.facts.files import TEXT_LIMIT, read_text
from generator.facts.project import Project
from generator.l10n.house import load_house
from generator.mail.addresses import ENCODED_WORD, header_problem, line_problem, shown
from generator.render.brief import RenderedBrief, render_brief
from generator.render.context import make_context
from generator.render.excerpt import as_html, as_text, excerpt
from generator.render.template import render

SUBJECT, TEXT_BODY, HTML_BODY = "mail/subject.txt", "mail/body.txt", "mail/body.html"
CHECKED_FORMATS = ("pdf", "docx")  # `brief check` writes the subject as if these were attached
_FALLBACK = re.compile(r'<span class="fallback" lang="[a-z]+">(.*?)</span>', re.S)
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sd]|\{[^{}]*\}")


def mail_context(
    project: Project,
    pair: str,
    lang: str,
    kind: str,
    on: dt.date,
    attachments: list[str],
    rendered: RenderedBrief | None = None,
) -> dict[str, Any]:
    """The values the mail templates see: the brief's, its title, summary and attached files
    (of the brief as `rendered` already, or rendered here)."""
    if rendered is None:
        rendered = render_brief(project, pair, lang=lang, kind=kind, on=on)
    section = excerpt(rendered.document)
    context = make_context(project, project.dossiers[pair], lang=lang, kind=kind, on=on)
    context.update(
        title=rendered.document.title,
        summary=as_html(section),
        summary_text=as_text(section),
        attachments=attachments,
    )
    return context


def render_mail(project: Project, template: str, lang: str, context: dict) -> str:
    """One mail template, rendered in `lang`."""
    if not (project.templates / template).is_file():
        raise BriefError(
            f"templates/{template} is missing: the e-mail is written from it",
            path=f"templates/{template}",
            code="mail-template",
            hint="restore it from the templates shipped with brief",
        )
    return render(project.templates, template, lang, context, languages=project.languages)[0]


def render_text(project: Project, template: str, lang: str, context: dict) -> str:
    """A plain-text template; a fact shown in another language loses its HTML marker."""
    text = render_mail(project, template, lang, context)
    return _FALLBACK.sub(lambda m: html.unescape(m.group(1)), text)


def subject_finding(project: Project, pair: str, lang: str, subject: str) -> Finding | None:
    """What makes the subject unfit for its header, at the line of the text that brought it in
    (a fact, the house style, the catalog, else the subject's template); None when it is fit."""
    problem = header_problem(subject)
    if problem is None:
        return None
    path, line = _origin(project, pair, lang, subject)
    if line_problem(subject):
        hint = "a subject is one line: remove the line break from this text"
    else:
        hint = (
            "a subject is plain text: write this text without the encoded word "
            "(mail programs decode '=?...?=' into other text, line breaks included)"
        )
    return Finding(
        path,
        line,
        code="mail-header",
        message=f"the e-mail subject {problem}: {shown(subject)}",
        hint=f"{hint}, or leave it out of templates/{SUBJECT}",
    )


def check_subject(
    project: Project,
    pair: str,
    kind: str,
    lang: str,
    on: dt.date,
    findings: Findings,
    rendered: RenderedBrief | None = None,
) -> None:
    """The e-mail subject of one brief (as `rendered` already, or rendered here)."""
    if not (project.templates / SUBJECT).is_file():
        return
    names = [f"{on.isoformat()}_{pair}_{kind}_{lang}.{f}" for f in CHECKED_FORMATS]
    try:
        context = mail_context(project, pair, lang, kind, on, names, rendered)
    except BriefError:
        return  # the brief itself does not render: the trial render says why
    try:
        subject = render_text(project, SUBJECT, lang, context).strip()
    except BriefError as exc:  # unless said already, in other words
        said = {f.path for f in findings.errors}
        findings.extend([f for f in exc.findings if f.path not in said])
        return
    finding = subject_finding(project, pair, lang, subject)
    if finding:
        findings.extend([finding])


# ---- where a bad subject comes from ---------------------------------------------------------


def _origin(project: Project, pair: str, lang: str, subject: str) -> tuple[str, int | None]:
    """The file and line of the text whose bad part is in the subject, else the template."""
    for path, line, text in _inputs(project, pair, lang):
        if _brought(text, subject):
            return path, line
    return f"templates/{SUBJECT}", None


def _brought(text: str, subject: str) -> bool:
    """Whether a bad part of `text` (between its placeholders) is in the subject."""
    if not text or header_problem(text) is None:
        return False
    for piece in _PLACEHOLDER.split(text):
        if header_problem(piece) is None:
            continue
        word = ENCODED_WORD.search(piece)
        if piece.strip(" ") in subject or (word and word.group() in subject):
            return True
    return False


def _inputs(project: Project, pair: str, lang: str) -> Iterator[tuple[str, int | None, str]]:
    """(file, line, text) of what a subject is written from: facts first (the pair's own,
    then what it cites), brief.yaml, the house style and catalog of `lang`, the template."""
    yield from fact_texts(project, [pair])
    office = project.config.office
    for code in office.languages:
        yield "brief.yaml", project.line("brief.yaml", ("office", code)), office.get(code) or ""
    try:
        house = load_house(project.templates.resolve(), lang)
    except BriefError:
        pass  # reported on its own
    else:
        for where, value in _strings(house.style.model_dump(by_alias=True)):
            yield house.path, house.line(where), value
    yield from catalog_texts(project, lang)
    template = project.templates / SUBJECT
    if template.is_file():
        for n, line in enumerate(read_text(template, limit=TEXT_LIMIT).splitlines(), 1):
            yield f"templates/{SUBJECT}", n, line


def _strings(value: Any, where: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, where + (key,))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _strings(item, where + (i,))
