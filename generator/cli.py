"""The `brief` command line: a thin adapter from arguments to the library."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

import click

from generator.errors import BriefError, UsageError


def _csv(value: str | None, what: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    items = tuple(v.strip() for v in value.split(",") if v.strip())
    if not items:
        raise click.BadParameter(f"give at least one {what}")
    return items


def _date(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date like 2026-02-02") from None


def _formats(default: str, help: str):
    return click.option("--format", "formats", default=default, show_default=True, help=help)


def _brief_date(function):
    """--date: the brief's date (build, mail, serve and check share it)."""
    return click.option(
        "--date", "date", callback=_date, help="The brief's date, YYYY-MM-DD (default: today)."
    )(function)


def _out(help: str):
    return click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("out"),
        show_default=True,
        help=help,
    )


class BriefGroup(click.Group):
    """Catches user errors once: a message and exit 1; usage errors exit 2; bugs say so."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            click.echo(f"Error: {exc.format()}", err=True)
            sys.exit(2)
        except BriefError as exc:
            click.echo(exc.format(), err=True)
            sys.exit(1)
        except (
            click.exceptions.Exit,
            click.exceptions.Abort,
            click.ClickException,
            SystemExit,
            KeyboardInterrupt,
        ):
            raise
        except Exception as exc:  # a bug: no traceback unless --debug
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(
                f"internal error: {type(exc).__name__}: {exc}\n"
                "    this is a bug in brief; run again with --debug for the details",
                err=True,
            )
            sys.exit(1)


@click.group(cls=BriefGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    "project",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The project folder (with briefs/, templates/).",
)
@click.option("--debug", is_flag=True, help="Show Python tracebacks of internal errors.")
@click.version_option(package_name="brief", prog_name="brief")
@click.pass_context
def main(ctx, project: Path, debug: bool) -> None:
    """Briefing notes from sourced facts, in Kazakh, Russian and English (PDF, DOCX, HTML)."""
    ctx.ensure_object(dict)
    ctx.obj.update(project=project, debug=debug)


@main.command()
@click.argument("pairs", nargs=-1)
@click.option("--all", "all_pairs", is_flag=True, help="Build every pair in briefs/.")
@click.option(
    "--lang",
    default=None,
    help="Languages, comma-separated (default: the brief's languages in brief.yaml, kk,ru,en).",
)
@_formats("pdf,docx", "Formats: pdf, docx, html.")
@click.option("--kind", "kinds", default=None, help="Kinds of brief (default: every kind).")
@_brief_date
@click.option(
    "--out",
    type=click.Path(path_type=Path),  # checked by the build: a clear error, nothing written
    default=Path("out"),
    show_default=True,
    help="Output folder (made if missing).",
)
@click.option(
    "--jobs", type=click.IntRange(min=0), default=0, help="Parallel workers (default: all cores)."
)
@click.option(
    "--draft",
    is_flag=True,
    help="Mark every page DRAFT and show missing translations; the files end in _draft.",
)
@click.option(
    "--marking",
    type=click.Choice(["official", "restricted", "unclassified"]),
    help="Classification marking (default: the dossier's).",
)
@click.option(
    "--drafter",
    metavar="'NAME, TELEPHONE'",
    help="The drafter line at the end of each brief (default: brief.yaml's drafter).",
)
@click.option("--force", is_flag=True, help="Rebuild even what is up to date.")
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=300,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for another build into the same output folder.",
)
@click.pass_context
def build(
    ctx,
    pairs,
    all_pairs,
    lang,
    formats,
    kinds,
    date,
    out,
    jobs,
    draft,
    marking,
    drafter,
    force,
    wait,
):
    """Write briefs: PAIR ... (e.g. kz-tr) or --all."""
    from generator.commands.build import Options
    from generator.commands.build import build as run_build
    from generator.facts.paths import pair_names, require_project
    from generator.l10n.zone import today

    root = require_project(ctx.obj["project"])
    if all_pairs and pairs:
        raise UsageError("give pairs or --all, not both", code="usage")
    if all_pairs:
        pairs = tuple(pair_names(root))
    if not pairs:
        raise UsageError(
            "which pairs? give e.g. 'brief build kz-tr' or 'brief build --all'", code="usage"
        )
    options = Options(
        pairs=tuple(pairs),
        langs=_csv(lang, "language"),
        formats=_csv(formats, "format"),
        kinds=_csv(kinds, "kind"),
        date=date or today(),
        out=out,
        jobs=jobs,
        draft=draft,
        marking=marking,
        drafter=drafter,
        force=force,
        wait=wait,
    )
    show = _Progress(sys.stderr.isatty())
    report = run_build(root, options, progress=show, notify=lambda text: click.echo(text, err=True))
    show.close()
    for finding in report.notices:
        click.echo(finding.format(), err=True)
    for result in report.results:
        for finding in result.findings:
            if finding.severity == "warning":
                click.echo(finding.format(), err=True)
    if report.failed:
        click.echo(f"\nFailed ({len(report.failed)}):", err=True)
        for result in report.failed:
            click.echo(f"  {result.file}", err=True)
        problems = {f.format(): f for r in report.failed for f in r.findings}
        for text in sorted(problems, key=lambda t: problems[t].sort_key()):
            click.echo(text, err=True)
    click.echo(report.summary(), err=True)
    sys.exit(1 if report.failed else 0)


class _Progress:
    """A progress line on a terminal; one line per file when piped."""

    def __init__(self, tty: bool):
        self.tty = tty
        self.started = time.perf_counter()
        self.width = 0

    def __call__(self, result, done: int, total: int) -> None:
        if self.tty:
            bar = "#" * int(24 * done / total)
            line = (
                f"\r[{bar:<24}] {done}/{total} {result.task.pair} "
                f"{time.perf_counter() - self.started:.1f}s"
            )
            self.width = max(self.width, len(line))
            sys.stderr.write(line.ljust(self.width))
            sys.stderr.flush()
        else:
            click.echo(f"{result.status}: {result.file}", err=True)

    def close(self) -> None:
        if self.tty and self.width:
            sys.stderr.write("\n")


@main.command()
@click.argument("pairs", nargs=-1)
@click.option("--strict", is_flag=True, help="Warnings are errors too.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format of the findings.",
)
@_brief_date
@click.pass_context
def check(ctx, pairs, strict, fmt, date):
    """Validate facts, sources, templates and catalogs; write nothing."""
    from generator.commands.check import check as run_check

    report = run_check(ctx.obj["project"], list(pairs) or None, strict=strict, on=date)
    if fmt == "json":
        click.echo(json.dumps([f.as_dict() for f in report.findings], ensure_ascii=False, indent=1))
    else:
        for finding in report.findings:
            click.echo(finding.format())
        click.echo(report.summary())
    sys.exit(0 if report.ok else 1)


@main.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@_brief_date
@click.option("--final", is_flag=True, help="Preview without the DRAFT marks.")
@click.pass_context
def serve(ctx, port, date, final):
    """Live preview for template editors: re-renders on save, shows errors in place."""
    from generator.commands.serve import serve as run_serve
    from generator.l10n.zone import today

    def ready(server) -> None:
        click.echo(
            f"Preview on {server.origin}/ — edit templates, dossiers or "
            "sources and save; Ctrl-C stops.",
            err=True,
        )

    run_serve(ctx.obj["project"], port=port, date=date or today(), draft=not final, ready=ready)


@main.command()
@click.argument("pair")
@click.pass_context
def new(ctx, pair):
    """Start the dossier of a new pair, briefs/PAIR.yaml (e.g. kz-uz); never overwrites."""
    from generator.commands.new import new as run_new

    path = run_new(ctx.obj["project"], pair)
    click.echo(
        f"wrote {path.parent.name}/{path.name}: add facts (docs/dossier.md says how), "
        f"then run 'brief check {pair}'"
    )


@main.command(name="list")
@click.pass_context
def list_(ctx):
    """Show the pairs, their languages, newest fact date and kinds of brief."""
    from generator.commands.listing import listing

    for line in listing(ctx.obj["project"]):
        click.echo(line)


@main.command()
@click.argument("pair")
@click.option(
    "--to",
    "to",
    multiple=True,
    metavar="ADDR",
    help="A recipient; repeat for more (default: brief.yaml's mail: recipients).",
)
@click.option(
    "--cc", "cc", multiple=True, metavar="ADDR", help="A copy recipient; repeat for more."
)
@click.option(
    "--from", "sender", metavar="ADDR", help="The sender (default: brief.yaml's mail: sender)."
)
@click.option(
    "--lang",
    default=None,
    help="The brief's language (default: the first of the brief's languages in brief.yaml).",
)
@click.option("--kind", default="background", show_default=True, help="The kind of brief.")
@_formats("pdf,docx", "The files to attach: pdf, docx, html.")
@_brief_date
@_out("Output folder (built files are reused).")
@click.option(
    "--eml",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Write the e-mail to FILE, a draft any mail client opens.",
)
@click.option(
    "--smtp",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="HOST:PORT",
    help="Send through this server (alone: the one in brief.yaml).",
)
@click.option(
    "--draft", is_flag=True, help="Attach the brief marked DRAFT (its files end in _draft)."
)
@click.option("--starttls", is_flag=True, help="Secure the connection with STARTTLS (port 587).")
@click.option("--ssl", "use_ssl", is_flag=True, help="Connect over TLS (port 465).")
@click.option(
    "--user", help="Log in as USER; the password comes from BRIEF_SMTP_PASSWORD or a prompt."
)
@click.pass_context
def mail(
    ctx,
    pair,
    to,
    cc,
    sender,
    lang,
    kind,
    formats,
    date,
    out,
    eml,
    smtp,
    draft,
    starttls,
    use_ssl,
    user,
):
    """E-mail a brief with its files attached: --eml FILE writes a draft, --smtp sends it."""
    import os

    from generator.commands.mail import MailOptions, compose, eml_target, write_eml
    from generator.facts.project import load_project
    from generator.l10n.zone import today
    from generator.mail.message import human_size
    from generator.mail.smtp import PASSWORD_VARIABLE, send, server_for

    if (eml is None) == (smtp is None):
        raise UsageError(
            "give --eml FILE to write a draft or --smtp HOST:PORT to send"
            + (", not both" if eml is not None else ""),
            code="usage",
        )
    if eml is not None and (starttls or use_ssl or user):
        raise UsageError("--starttls, --ssl and --user go with --smtp, not --eml", code="usage")
    if eml is not None:
        eml_target(eml)  # a pipe, a device or a folder is refused before anything is built
    project = load_project(ctx.obj["project"], [pair])
    project.require([pair])
    server = None
    if smtp is not None:
        server = server_for(
            project.config.mail, smtp, starttls=starttls, use_ssl=use_ssl, user=user
        )
    options = MailOptions(
        pair=pair,
        to=to,
        cc=cc,
        sender=sender,
        lang=lang,
        kind=kind,
        formats=_csv(formats, "format"),
        date=date or today(),
        out=out,
        draft=draft,
    )
    composed = compose(project, options)
    mail = composed.mail
    for finding in composed.warnings:
        click.echo(finding.format(), err=True)
    click.echo(composed.built.summary(), err=True)
    files = ", ".join(a.name for a in mail.attachments)
    if eml is not None:
        size = write_eml(mail, eml)
        click.echo(f'wrote {eml} ({human_size(size)}): "{mail.subject}" with {files}')
        return
    password = None
    if server.user:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            try:
                password = click.prompt(
                    f"Password of {server.user} at {server.host}", hide_input=True, err=True
                )
            except click.Abort:
                raise BriefError(
                    f"no password for '{server.user}' at {server.host}; nothing was sent",
                    code="mail-password",
                    hint=f"set {PASSWORD_VARIABLE} or type the password when asked",
                ) from None
    sent = send(mail, server, password, out=out)
    recipients = ", ".join(a.addr_spec for a in mail.recipients)
    click.echo(
        f'sent "{mail.subject}" with {files} to {recipients} through {server}; '
        f"the server answered: {sent.answer}"
    )
    if sent.warning:
        click.echo(sent.warning.format(), err=True)
