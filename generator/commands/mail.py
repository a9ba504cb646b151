"""E-mail hand-off: a brief's files attached to a localised message, written as .eml or sent."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from pathlib import Path

from generator.commands.build import DEFAULT_FORMATS, Options, Report, build, write_atomic
from generator.errors import BriefError, Finding, InputErrors, UsageError, ValueProblem
from generator.facts.project import Project
from generator.facts.values import Text
from generator.facts.walk import records
from generator.l10n.zone import TIME_ZONE, today
from generator.mail.addresses import line_problem, parse_address, shown
from generator.mail.message import MB, Attachment, Mail, human_size
from generator.render.brief import render_brief
from generator.render.context import make_context
from generator.render.document import parse
from generator.render.excerpt import as_html, as_text, excerpt
from generator.render.template import render
from generator.render.vocabulary import check_vocabulary

SUBJECT, TEXT_BODY, HTML_BODY = "mail/subject.txt", "mail/body.txt", "mail/body.html"
_FALLBACK = re.compile(r'<span class="fallback" lang="[a-z]+">(.*?)</span>', re.S)


@dataclass(frozen=True)
class MailOptions:
    """Which brief to send, to whom, and where its files are built."""

    pair: str
    to: tuple[str, ...] = ()  # empty: brief.yaml's mail: recipients of the pair
    cc: tuple[str, ...] = ()  # empty: brief.yaml's mail: cc of the pair
    sender: str | None = None  # None: brief.yaml's mail: sender
    lang: str | None = None  # None: the project's first language
    kind: str = "background"
    formats: tuple[str, ...] = DEFAULT_FORMATS
    date: dt.date = field(default_factory=lambda: today())
    out: Path = Path("out")


@dataclass
class Composed:
    """A composed e-mail, the build that made its files, and the build's warnings."""

    mail: Mail
    built: Report
    warnings: list[Finding] = field(default_factory=list)


# ---- composing ---------------------------------------------------------------------------


def compose(project: Project, options: MailOptions) -> Composed:
    """Check the addresses, build what is missing, and write the subject and bodies."""
    pair = options.pair
    dossier = project.require([pair])[0]
    config = project.config.mail
    sender = _one("--from", options.sender, config.sender, "brief.yaml (mail: sender)")
    if sender is None:
        raise BriefError(
            "who sends the e-mail? no sender is given",
            code="mail-no-sender",
            hint="give --from you@mfa.kz, or set 'mail: sender: you@mfa.kz' in brief.yaml",
        )
    to = _many(
        "--to",
        options.to,
        config.recipients.get(pair, []),
        f"brief.yaml (mail: recipients: {pair})",
    )
    cc = _many("--cc", options.cc, config.cc.get(pair, []), f"brief.yaml (mail: cc: {pair})")
    if not to:
        raise UsageError(
            "who receives the e-mail? give --to ADDR (once per recipient)",
            hint=f"or list the pair's recipients in brief.yaml under 'mail: recipients: {pair}:'",
            code="usage",
        )
    lang = options.lang or project.languages[0]
    build_options = Options(
        pairs=(pair,),
        langs=(lang,),
        formats=options.formats,
        kinds=(options.kind,),
        date=options.date,
        out=options.out,
        jobs=1,
    )
    report = build(project.root, build_options)
    if report.failed:
        raise InputErrors(
            list(dict.fromkeys(f for r in report.failed for f in r.findings))
            or [Finding("brief", message="the brief could not be built")]
        )
    out = options.out if options.out.is_absolute() else Path.cwd() / options.out
    attachments = []
    for result in report.results:
        file = out.resolve() / result.file
        attachments.append(Attachment(result.file, file, file.read_bytes()))
    warnings = [f for r in report.results for f in r.findings if f.severity == "warning"]

    rendered = render_brief(project, pair, lang=lang, kind=options.kind, on=options.date)
    section = excerpt(rendered.document)
    context = make_context(project, dossier, lang=lang, kind=options.kind, on=options.date)
    context.update(
        title=rendered.document.title,
        summary=as_html(section),
        summary_text=as_text(section),
        attachments=[a.name for a in attachments],
    )
    subject = _render_text(project, SUBJECT, lang, context).strip()
    problem = line_problem(subject)
    if problem:
        path, line = _origin(project, pair, lang, subject)
        raise BriefError(
            f"the e-mail subject {problem}: {shown(subject)}",
            path=path,
            line=line,
            hint="a subject is one line: remove the line break from this text, or "
            f"leave it out of templates/{SUBJECT}; nothing was sent",
            code="mail-header",
        )
    if not subject:
        raise BriefError(
            "the e-mail subject is empty",
            path=f"templates/{SUBJECT}",
            hint="write the subject in this template",
            code="mail-subject",
        )
    context["subject"] = subject
    text = _render_text(project, TEXT_BODY, lang, context).strip() + "\n"
    body = _render(project, HTML_BODY, lang, context)
    check_vocabulary(parse(body), project.templates.resolve(), HTML_BODY)
    mail = Mail(sender, to, cc, subject, text, body, lang, options.date, attachments, TIME_ZONE)
    _check_size(mail, config.max_size_mb, out.resolve())
    return Composed(mail, report, warnings)


def _address(option: str, value: str, where: str | None) -> Address:
    try:
        return parse_address(value)
    except ValueProblem as exc:
        if where:  # brief.yaml is checked on loading; this guards a changed rule
            raise BriefError(
                f"the address in {where} {exc}",
                path="brief.yaml",
                code="mail-address",
                hint="fix it in brief.yaml",
            ) from None
        raise BriefError(
            f"the address given to {option} {exc}",
            code="mail-address",
            hint=f"give one plain address per {option}, e.g. {option} "
            "chief@mfa.kz (with a name: 'Aliya Seitkali <aliya@mfa.kz>'); "
            "nothing was sent",
        ) from None


def _one(option: str, given: str | None, default: str | None, where: str) -> Address | None:
    if given is not None:
        return _address(option, given, None)
    return _address(option, default, where) if default else None


def _many(
    option: str, given: tuple[str, ...], default: list[str], where: str
) -> tuple[Address, ...]:
    if given:
        return tuple(_address(option, value, None) for value in given)
    return tuple(_address(option, value, where) for value in default)


def _render(project: Project, template: str, lang: str, context: dict) -> str:
    if not (project.templates / template).is_file():
        raise BriefError(
            f"templates/{template} is missing: the e-mail is written from it",
            path=f"templates/{template}",
            code="mail-template",
            hint="restore it from the templates shipped with brief",
        )
    return render(project.templates, template, lang, context, languages=project.languages)[0]


def _render_text(project: Project, template: str, lang: str, context: dict) -> str:
    """A plain-text template; a fact shown in another language loses its HTML marker."""
    text = _render(project, template, lang, context)
    return _FALLBACK.sub(lambda m: html.unescape(m.group(1)), text)


def _origin(project: Project, pair: str, lang: str, subject: str) -> tuple[str, int | None]:
    """The fact (file and line) whose text broke the subject, else the subject template."""
    path = project.dossier_path(pair)
    for where, record in records(project.dossiers[pair]):
        for name, info in type(record).model_fields.items():
            value = getattr(record, name)
            text = value.get(lang) if isinstance(value, Text) else None
            if text and line_problem(text) and text.strip() in subject:
                return path, project.line(path, where + (info.alias or name, lang))
    office = project.config.office.get(lang)
    if office and line_problem(office) and office.strip() in subject:
        return "brief.yaml", None
    return f"templates/{SUBJECT}", None


def _check_size(mail: Mail, limit_mb: float, out: Path) -> None:
    size, limit = mail.size(), int(limit_mb * MB)
    if size <= limit:
        return
    files = ", ".join(f"{a.name} {human_size(len(a.data))}" for a in mail.attachments)
    raise BriefError(
        f"the e-mail would be {human_size(size)}, over the limit of {limit_mb:g} MB "
        f"(attached: {files}; e-mail encoding adds about a third)",
        code="mail-size",
        hint="attach fewer formats (e.g. --format pdf), or raise "
        f"'mail: max_size_mb:' in brief.yaml; the files stay in {out}",
    )


# ---- writing a draft ---------------------------------------------------------------------


def write_eml(mail: Mail, target: Path) -> int:
    """Write the message as a .eml draft, atomically; returns its size."""
    if target.is_dir():
        raise UsageError(
            f"{target} is a folder", hint="give a file name, e.g. --eml brief.eml", code="usage"
        )
    data = mail.message(draft=True)
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise BriefError(
            f"cannot write {target}: {exc.strerror or exc}",
            code="mail-write",
            hint="check that the folder exists and can be written to",
        ) from None
    return len(data)
