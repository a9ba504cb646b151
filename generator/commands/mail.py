"""E-mail hand-off: a brief's files attached to a localised message, written as .eml or sent."""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass, field
from email.headerregistry import Address
from pathlib import Path

from generator.checks.mail import (
    HTML_BODY,
    SUBJECT,
    TEXT_BODY,
    mail_context,
    render_mail,
    render_text,
    subject_finding,
)
from generator.commands.build import DEFAULT_FORMATS, Options, Report, build, write_atomic
from generator.errors import BriefError, Finding, InputErrors, UsageError, ValueProblem
from generator.facts.project import Project
from generator.l10n.zone import TIME_ZONE, today
from generator.mail.addresses import parse_address
from generator.mail.message import MB, Attachment, Mail, human_size
from generator.render.document import parse
from generator.render.vocabulary import check_vocabulary


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
    draft: bool = False  # attach the DRAFT-marked files ({...}_draft.{ext}), not the final ones


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
    project.require([pair])
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
        draft=options.draft,
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

    context = mail_context(
        project, pair, lang, options.kind, options.date, [a.name for a in attachments]
    )
    subject = render_text(project, SUBJECT, lang, context).strip()
    finding = subject_finding(project, pair, lang, subject)
    if finding:
        raise BriefError(
            finding.message,
            path=finding.path,
            line=finding.line,
            hint=f"{finding.hint}; nothing was sent",
            code=finding.code,
        )
    if not subject:
        raise BriefError(
            "the e-mail subject is empty",
            path=f"templates/{SUBJECT}",
            hint="write the subject in this template",
            code="mail-subject",
        )
    context["subject"] = subject
    text = render_text(project, TEXT_BODY, lang, context).strip() + "\n"
    body = render_mail(project, HTML_BODY, lang, context)
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


def eml_target(target: Path) -> Path:
    """Where --eml writes: a new file or a draft to replace (through a link to one); a pipe,
    a device or a folder is refused and left as it is."""
    try:
        mode = os.stat(target).st_mode  # through a link: what it points to counts
    except FileNotFoundError:
        return target  # a new file (or a link to nothing, replaced by the draft)
    except OSError as exc:
        raise BriefError(
            f"cannot write {target}: {exc.strerror or exc}",
            code="mail-write",
            hint="check that the folder exists and can be written to; nothing was written",
        ) from None
    if stat.S_ISREG(mode):
        return target.resolve() if target.is_symlink() else target
    kind = (
        "a folder"
        if stat.S_ISDIR(mode)
        else "a named pipe"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    raise BriefError(
        f"{target} is {kind}, not a file: --eml writes the draft to a new file or over an "
        "earlier draft",
        code="mail-write",
        hint="give a file name, e.g. --eml brief.eml; nothing was written",
    )


def write_eml(mail: Mail, target: Path) -> int:
    """Write the message as a .eml draft, atomically; returns its size."""
    path = eml_target(target)
    data = mail.message(draft=True)
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise BriefError(
            f"cannot write {target}: {exc.strerror or exc}",
            code="mail-write",
            hint="check that the folder exists and can be written to",
        ) from None
    return len(data)
