"""Build briefs: plan pairs × kinds × languages × formats, write atomically, skip the unchanged."""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import json
import os
import queue
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__
from generator.cache import code_stamp, remembered
from generator.cache import key as cache_key
from generator.commands import resident
from generator.commands.outfolder import hold, remove_stray, require_out
from generator.errors import BriefError, Finding, Findings, InputErrors, UsageError
from generator.facts.files import InputFileError, read_input
from generator.facts.paths import (
    KIND_NAME,
    KIND_RULE,
    REGISTRIES,
    configured_languages,
    kind_template,
    require_kind_names,
    require_known,
    require_project,
    shown,
)
from generator.facts.paths import kinds as template_kinds
from generator.l10n.zone import today
from generator.writers import WRITERS, writer

if TYPE_CHECKING:  # the facts model is imported only when something must be built
    from generator.facts.project import Project

FORMATS = tuple(WRITERS)
DEFAULT_FORMATS = ("pdf", "docx")
MANIFEST = "manifest.json"
COST = {"pdf": 10, "docx": 2, "html": 1}  # relative time per document, for scheduling
WAIT = 300.0  # seconds a build waits for another build into the same folder
MANIFEST_LIMIT = 64_000_000  # a manifest of a thousand outputs is about 3 MB
FLUSH_EVERY = 1.0  # seconds: the manifest is written at least this often while building
DRAFT_SUFFIX = "_draft"  # a draft's file name: {date}_{pair}_{kind}_{lang}_draft.{ext}


@dataclass(frozen=True)
class Options:
    """What to build and how."""

    pairs: tuple[str, ...]
    langs: tuple[str, ...] | None = None  # None: the project's languages (brief.yaml)
    formats: tuple[str, ...] = DEFAULT_FORMATS
    kinds: tuple[str, ...] | None = None  # None: every kind in templates/kinds
    date: dt.date = field(default_factory=lambda: today())
    out: Path = Path("out")
    jobs: int = 0  # 0: every core
    draft: bool = False
    marking: str | None = None
    drafter: str | None = None  # "name, telephone" (else brief.yaml's drafter)
    force: bool = False
    wait: float = WAIT  # seconds to wait for another build into the same folder

    def file_name(self, task: Task) -> str:
        """The name of a task's output: the contract's name, marked when a draft."""
        return task.name(self.date, self.draft)


@dataclass(frozen=True)
class Task:
    """One output document."""

    pair: str
    kind: str
    lang: str
    fmt: str

    def name(self, date: dt.date, draft: bool = False) -> str:
        """The contract's file name, {date}_{pair}_{kind}_{lang}.{ext}; a draft's says so
        before the extension (a language is 2–3 letters, so no final is ever named so).

        >>> task = Task("kz-tr", "background", "kk", "pdf")
        >>> task.name(dt.date(2026, 2, 2)), task.name(dt.date(2026, 2, 2), draft=True)
        ('2026-02-02_kz-tr_background_kk.pdf', '2026-02-02_kz-tr_background_kk_draft.pdf')
        """
        stem = f"{date.isoformat()}_{self.pair}_{self.kind}_{self.lang}"
        return f"{stem}{DRAFT_SUFFIX if draft else ''}.{self.fmt}"


@dataclass
class Result:
    """What happened to one task."""

    task: Task
    file: str
    status: str  # built | up-to-date | failed
    findings: list[Finding] = field(default_factory=list)
    size: int = 0
    sha256: str = ""
    inputs: str = ""
    seconds: float = 0.0


@dataclass
class Report:
    """The outcome of a build."""

    results: list[Result]
    seconds: float
    notices: list[Finding] = field(default_factory=list)  # about the build itself

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.status == "failed"]

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    def summary(self) -> str:
        return (
            f"{self.count('built')} built, {self.count('failed')} failed, "
            f"{self.count('up-to-date')} up to date in {self.seconds:.1f} s"
        )


# ---- planning ----------------------------------------------------------------------------


def plan(templates: Path, options: Options, languages: tuple[str, ...]) -> list[Task]:
    """Every document to write, in a stable order; bad names are usage errors.

    `languages` are the project's (brief.yaml); --lang chooses among them.
    """
    langs = options.langs or languages
    for lang in langs:
        if lang not in languages:
            raise UsageError(
                f"unknown language {shown(lang)}",
                hint=f"the brief's languages are {', '.join(languages)} (brief.yaml languages:)",
                code="usage",
            )
    for fmt in options.formats:
        if fmt not in FORMATS:
            raise UsageError(
                f"unknown format {shown(fmt)}",
                hint=f"use one of: {', '.join(FORMATS)}",
                code="usage",
            )
    require_kind_names(options.kinds or ())
    available = template_kinds(templates)
    chosen = options.kinds or tuple(available)
    for kind in chosen:
        if kind not in available:
            raise UsageError(
                f"unknown kind of brief '{kind}'",
                hint=f"kinds in templates/kinds/: {', '.join(available) or 'none'}",
                code="usage",
            )
        if not KIND_NAME.fullmatch(kind):  # a template's name makes the file names
            raise BriefError(
                f"the kind of brief {shown(kind)} cannot name a file",
                path=f"templates/{kind_template(kind)}" if len(kind) < 200 else None,
                hint=f"rename the template: a kind's name is {KIND_RULE}",
                code="kind-name",
            )
    return [
        Task(pair, kind, lang, fmt)
        for pair in options.pairs
        for kind in chosen
        for lang in langs
        for fmt in options.formats
    ]


# ---- inputs hash -------------------------------------------------------------------------


def _file_hash(path: Path, cache: dict) -> str:
    """The sha256 of an input; '-' when it is missing, '!<problem>' when it cannot be read
    (not a regular file, too big): the build itself then says what is wrong with it."""
    key = str(path)
    if key not in cache:
        try:
            cache[key] = hashlib.sha256(read_input(path)).hexdigest()
        except InputFileError as exc:
            cache[key] = "-" if exc.problem == "missing" else f"!{exc.problem}"
    return cache[key]


def project_name(root: Path, path: Path) -> str | None:
    """A dependency's name relative to the project, or None when it is outside the project
    (a template path with '..' in it, or a link that points out of the project).

    >>> project_name(Path("/p"), Path("/p/templates/../../etc/passwd")) is None
    True
    """
    try:
        name = os.path.normpath(path.relative_to(root))
    except ValueError:
        return None
    if name == ".." or name.startswith(("../", "/")) or os.path.isabs(name):
        return None
    try:
        real = (root / name).resolve()
    except (OSError, RuntimeError):
        return None
    return Path(name).as_posix() if real.is_relative_to(root.resolve()) else None


# what renders an output besides our code: an upgrade of any of them rebuilds everything
def require_sound_templates(
    root: Path, languages: tuple[str, ...], manifest: _Manifest, cache: dict
) -> None:
    """The verdict `brief check` gives on the templates, the catalogs, reference.docx and
    theme.css, given by build too (whatever kind and language it builds) before anything
    is written; remembered in the manifest until a file under templates/ or the code
    changes, so an up-to-date build never reads them."""
    if "code" not in cache:
        cache["code"] = code_stamp()
    templates = root / "templates"
    digest = hashlib.sha256(cache["code"].encode())
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
        digest.update(_file_hash(path, cache).encode())
    digest.update(",".join(languages).encode())
    key = digest.hexdigest()
    if manifest.data.get("templates_checked") == key:
        return
    from generator.checks.theme import check_theme
    from generator.commands.check import check_catalogs, check_reference, check_templates
    from generator.facts.project import load_project

    findings = Findings()
    check_templates(load_project(root, []), findings)  # the templates read no dossier
    check_catalogs(templates, list(languages), findings)
    check_reference(templates, findings)
    check_theme(templates, findings)
    if findings.errors:
        raise InputErrors(list(findings.errors))
    manifest.data["templates_checked"] = key
    manifest.dirty = True


def template_files(templates: Path, task: Task, cache: dict) -> list[Path]:
    """The template files one document depends on: its kind's templates, house style,
    catalog, and per format the theme and fonts (PDF, HTML) or reference.docx (DOCX)."""
    key = ("closure", task.kind)
    if key not in cache:
        cache[key] = _closure(templates, task.kind, cache)
    names = list(cache[key])
    names += [f"house/{task.lang}.yaml", f"locale/{task.lang}/LC_MESSAGES/messages.po"]
    if task.fmt in ("pdf", "html"):
        names.append("theme.css")
    if task.fmt == "pdf":
        names += sorted(
            p.relative_to(templates).as_posix()
            for p in (templates / "fonts").glob("*")
            if p.is_file()
        )
    if task.fmt == "docx":
        names.append("reference.docx")
    return [templates / name for name in names]


def _closure(templates: Path, kind: str, cache: dict) -> list[str]:
    """The templates a kind needs, worked out once for the templates' contents (and kept in
    the cache folder for the next build)."""
    from generator.render.closure import closure as template_closure

    files = sorted(p for p in templates.rglob("*") if p.is_file())
    name = cache_key(
        "closure", kind, *(f"{p.relative_to(templates)}={_file_hash(p, cache)}" for p in files)
    )
    return remembered(
        "closure", name, lambda: sorted(template_closure(templates, kind_template(kind)))
    )


def fact_files(root: Path, pairs: tuple[str, ...]) -> list[Path]:
    """The fact files a build of `pairs` may read: settings, dossiers, registries, sources."""
    files = [root / "brief.yaml", *(root / "briefs" / f"{pair}.yaml" for pair in pairs)]
    files += [root / "briefs" / r for r in REGISTRIES]
    return files + sorted((root / "sources").glob("*.yaml"))


def dependencies(project: Project, task: Task, cache: dict) -> list[Path]:
    """Every file one document is made from: settings, its dossier, the registries, the
    sources they cite, and its kind's templates, house style, catalog, theme or styles."""
    from generator.facts.walk import cited_sources

    root = project.root
    files = [
        root / "brief.yaml",
        root / "briefs" / f"{task.pair}.yaml",
        *(root / "briefs" / r for r in REGISTRIES),
    ]
    dossier = project.dossiers.get(task.pair)
    cited = cited_sources(dossier) if dossier is not None else set()
    cited |= cited_sources(list(project.people.values()))
    files += [root / project.source_files[s] for s in sorted(cited) if s in project.source_files]
    files += template_files(project.templates, task, cache)
    return files


def options_key(task: Task, options: Options, cache: dict) -> str:
    """What besides files decides an output: the task, date, draft, marking, drafter, code."""
    if "code" not in cache:  # once per build: it reads the package and its libraries' versions
        cache["code"] = code_stamp()
    code = cache["code"]
    return (
        f"task={task.pair}/{task.kind}/{task.lang}/{task.fmt};date={options.date};"
        f"draft={options.draft};marking={options.marking};drafter={options.drafter};code={code}"
    )


def record(root: Path, files: list[Path], cache: dict) -> dict[str, str]:
    """The sha256 of each dependency inside the project, by path relative to it ('-' when
    missing); files outside the project are never read nor recorded."""
    deps = {}
    for path in files:
        name = project_name(root, path)
        if name is not None:
            deps[name] = _file_hash(root / name, cache)
    return deps


def inputs_hash(key: str, deps: dict[str, str]) -> str:
    """One hash of an output's options and dependencies (stored in the manifest)."""
    lines = [key, *(f"{name}={digest}" for name, digest in sorted(deps.items()))]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def up_to_date(
    root: Path,
    target: Path,
    entry: dict | None,
    deps: dict[str, str] | None,
    key: str,
    cache: dict,
) -> bool:
    """Whether an output can be kept: same options, the very bytes the manifest recorded
    (sha256), every recorded input unchanged.

    The inputs recorded at the last build are checked without parsing anything; a changed
    dossier that now cites another source has itself changed, so the record stays complete.
    """
    if not entry or entry.get("key") != key or deps is None:
        return False
    size = entry.get("size")
    if not isinstance(size, int):
        return False
    # bytes unchanged since they were written and recorded (same size, same time of change,
    # as git's index trusts them), else read and compared
    unchanged = entry.get("written") is not None and _written(target) == entry.get("written")
    if not unchanged and output_digest(target, size) != entry.get("sha256"):
        return False
    if any(_inside(root, str(name), cache) != name for name in deps):
        return False  # a manifest someone else wrote: never read outside the project
    if any(_dep_hash(root, name, cache) != digest for name, digest in deps.items()):
        return False
    return entry.get("inputs") == inputs_hash(key, deps)


def _written(target: Path) -> list[int] | None:
    """An output's size and time of change in nanoseconds (None: not a regular file)."""
    try:
        info = target.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns] if stat.S_ISREG(info.st_mode) else None


def _dep_hash(root: Path, name: str, cache: dict) -> str:
    """_file_hash of a recorded input by its name (thousands of outputs share a few hundred)."""
    key = ("dep", name)
    if key not in cache:
        cache[key] = _file_hash(root / name, cache)
    return cache[key]


def _inside(root: Path, name: str, cache: dict) -> str | None:
    """project_name of a recorded input, worked out once a build."""
    key = ("inside", name)
    if key not in cache:
        cache[key] = project_name(root, root / name)
    return cache[key]


def output_digest(target: Path, size: int) -> str | None:
    """The sha256 of an output file of `size` bytes (None: missing, another size, not a file)."""
    try:
        data = read_input(target, limit=size)
    except InputFileError:
        return None
    return hashlib.sha256(data).hexdigest() if len(data) == size else None


# ---- writing -----------------------------------------------------------------------------


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file in the target's folder, then rename over the target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def produce(
    project: Project, task: Task, options: Options, layouts: Executor | None = None
) -> tuple[bytes, list[Finding]]:
    """Render one document and return its bytes and warnings (nothing is written); a PDF is
    laid out by `layouts` when given (a process that has WeasyPrint loaded already)."""
    return start(project, task, options, layouts).result()


class Started:
    """A document being made: rendered, and its PDF perhaps being laid out by the layout
    process meanwhile; `result()` gives its bytes and warnings, or raises its user error."""

    def __init__(
        self,
        make: Callable[[], bytes] | None = None,
        laying_out: Future | None = None,
        warnings: list[Finding] | None = None,
        error: BriefError | None = None,
    ):
        self.make, self.laying_out, self.error = make, laying_out, error
        self.warnings = warnings or []

    def result(self) -> tuple[bytes, list[Finding]]:
        if self.error is not None:
            raise self.error
        if self.laying_out is not None:
            outcome = self.laying_out.result()
            if isinstance(outcome, list):
                raise InputErrors(outcome)
            return outcome, self.warnings
        assert self.make is not None
        return self.make(), self.warnings


def start(
    project: Project, task: Task, options: Options, layouts: Executor | None = None
) -> Started:
    """Render one document; a PDF handed to `layouts` starts being laid out there at once."""
    from generator.render.brief import render_brief

    try:
        rendered = render_brief(
            project,
            task.pair,
            lang=task.lang,
            kind=task.kind,
            on=options.date,
            draft=options.draft,
            marking=options.marking,
            drafter=options.drafter,
        )
        brief = replace(rendered, name=options.file_name(task))
        warnings = list(rendered.warnings)
        if layouts is not None and task.fmt == "pdf":
            from generator.writers.pdf import layout

            return Started(laying_out=layouts.submit(_lay_out, layout(brief)), warnings=warnings)
    except BriefError as exc:
        return Started(error=exc)
    return Started(make=lambda: writer(task.fmt).write(brief), warnings=warnings)


def _lay_out(job) -> bytes | list[Finding]:
    """A PDF laid out in the layout process; a user error comes back as its findings."""
    from generator.writers.pdf import lay_out

    try:
        return lay_out(job)
    except BriefError as exc:
        return exc.findings


def _warm_layout(parent: int, templates: Path, kind: str) -> None:
    """The layout process's start-up: end with the build, load WeasyPrint, the fonts and the
    stylesheets, and lay out a sample page."""
    _end_with_parent(parent)
    _clean_up_fonts_at_end()
    from generator.writers.pdf import prepare

    prepare(templates, kind)


def _clean_up_fonts_at_end() -> None:
    """A worker process ends without exit handlers: its kept fonts are let go by
    multiprocessing's own finalizers instead."""
    from multiprocessing.util import Finalize

    from generator.writers.pdf import let_fonts_go

    Finalize(None, let_fonts_go, exitpriority=0)


def layout_process(templates: Path, kind: str) -> Executor | None:
    """A process that loads WeasyPrint and readies it for a brief of `kind` while this one
    loads the project and renders: one PDF from the command line waits for the longer of
    the two, not for both. None where processes cannot be forked."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    pool = ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_warm_layout,
        initargs=(os.getpid(), templates, kind),
    )
    pool.submit(int)  # the process starts with its first task: now, not when the PDF is due
    return pool


_LOADED: dict = {}  # the pair this process has loaded, with its verdict (one at a time)


class _Pair:
    """One pair as a build process holds it: its facts, and what stops its briefs (the
    errors `brief check` reports for them): the load errors of the files it is made of,
    placeholders that name nothing, characters no font draws (worked out when first asked)."""

    def __init__(self, project: Project, pair: str, date: dt.date):
        self.project, self.pair, self.date = project, pair, date
        self.blocked = project.blocking_errors(pair)
        self._stops: dict[str, list[Finding]] | None = None

    def stops(self, lang: str) -> list[Finding]:
        """What stops the pair's briefs in `lang` (empty when they can be built)."""
        if self._stops is None:
            from generator.checks.prose import placeholder_errors
            from generator.checks.styles import glyph_errors

            blocked = self.blocked + placeholder_errors(self.project, self.pair, self.date)
            glyphs = glyph_errors(self.project, [self.pair])
            self._stops = {
                lang: blocked or glyphs.get((self.pair, lang), [])
                for lang in self.project.languages
            }
        return self._stops.get(lang, [])


def _pair(root: Path, pair: str, date: dt.date, cache: dict) -> _Pair:
    """A pair's facts, loaded once while the process builds its briefs. A process holds one
    pair at a time, never the whole fact base: a batch's memory is that of its largest pair,
    however many pairs it builds."""
    if _LOADED.get("key") != (root, pair, date):
        from generator.facts.project import load_project

        _LOADED.clear()
        for path in fact_files(root, (pair,)):  # hashed before they are read: an edit made
            _file_hash(path, cache)  # meanwhile is seen by the next build, never hidden by it
        _LOADED.update(key=(root, pair, date), pair=_Pair(load_project(root, [pair]), pair, date))
    return _LOADED["pair"]


def build_one(
    root: Path,
    task: Task,
    options: Options,
    key: str,
    cache: dict,
    layouts: Executor | None = None,
    made_by: resident.Resident | None = None,
) -> tuple[Result, dict[str, str] | None]:
    """One document: its pair's verdict, its inputs recorded, then rendered and written.
    User errors come back as findings, not exceptions; the inputs come back with the result
    (None when the pair's facts stopped it).

    A PDF is asked of the resident process `made_by` first thing, or rendered and handed to
    the layout process before the placeholders and characters are checked and the inputs
    hashed: those happen while it is made, the verdict is the same, and nothing is written
    when it is against.
    """
    started = time.perf_counter()
    name = options.file_name(task)
    asked = None
    if made_by is not None and task.fmt == "pdf":
        for path in fact_files(root, (task.pair,)):  # hashed before it reads them: an edit
            _file_hash(path, cache)  # made meanwhile is seen by the next build, never hidden
        asked = made_by.make(_request(root, task, options))
    loaded = _pair(root, task.pair, options.date, cache)
    early = asked is None and not loaded.blocked and layouts is not None and task.fmt == "pdf"
    making = start(loaded.project, task, options, layouts) if early else None
    stops = loaded.stops(task.lang)
    if stops:  # bad facts: this pair (or language) fails, the others go on
        return Result(task, name, "failed", stops), None
    deps = record(root, dependencies(loaded.project, task, cache), cache)
    inputs = inputs_hash(key, deps)
    try:
        made = asked.result() if asked is not None else None
        if made is None:  # not made by the resident process: here, and what stops it said
            made = (making or start(loaded.project, task, options, layouts)).result()
        data, warnings = made
        write_atomic(options.out / name, data)
    except BriefError as exc:
        seconds = time.perf_counter() - started
        return Result(task, name, "failed", exc.findings, inputs=inputs, seconds=seconds), deps
    digest = hashlib.sha256(data).hexdigest()
    seconds = time.perf_counter() - started
    return Result(task, name, "built", warnings, len(data), digest, inputs, seconds), deps


def _header(root: Path, options: Options) -> dict:
    """What the documents a build asks of the resident process share, as plain data."""
    return {
        "cwd": os.getcwd(),
        "root": str(root),
        "out": str(options.out),
        "date": options.date.isoformat(),
        "draft": options.draft,
        "marking": options.marking,
        "drafter": options.drafter,
    }


def _request(root: Path, task: Task, options: Options) -> dict:
    """What a build asks the resident process for: one PDF, as plain data."""
    return {**_header(root, options), "pair": task.pair, "kind": task.kind, "lang": task.lang}


def _options_of(header: dict) -> tuple[Path, Options]:
    """The project folder and the options of a build's header (TypeError: not a header)."""
    texts = [header.get(name) for name in ("cwd", "root", "out", "date")]
    marks = [header.get(name) for name in ("marking", "drafter")]
    if not all(isinstance(text, str) for text in texts) or not all(
        mark is None or isinstance(mark, str) for mark in marks
    ):
        raise TypeError("not a build's header")
    options = Options(
        pairs=(),
        date=dt.date.fromisoformat(header["date"]),
        out=Path(header["out"]),
        draft=header.get("draft") is True,
        marking=marks[0],
        drafter=marks[1],
    )
    return Path(header["root"]), options


def _task_of(data: dict) -> Task:
    """A task sent as plain data (TypeError: not a task)."""
    fields = [data.get(name) for name in ("pair", "kind", "lang", "fmt")]
    if not all(isinstance(value, str) for value in fields) or data["fmt"] not in FORMATS:
        raise TypeError("not a task")
    return Task(data["pair"], data["kind"], data["lang"], data["fmt"])


def _requested(request: dict) -> tuple[bytes, list[Finding]]:
    """The PDF and warnings of a build's request, made as `start` makes them, in the build's
    folder (its paths and messages are the build's own); anything that stops it is raised."""
    from generator.facts.project import load_project

    root, options = _options_of(request)
    task = _task_of({**request, "fmt": "pdf"})
    os.chdir(request["cwd"])
    try:
        project = load_project(root, [task.pair])
        if project.blocking_errors(task.pair):
            raise ValueError("the pair does not load")
        return start(project, task, replace(options, pairs=(task.pair,))).result()
    finally:
        os.chdir("/")


def _worked(header: dict, data: dict) -> dict:
    """One document of a build, in a worker the resident process forked for it: `build_one`
    as the build's own worker process runs it, its result as plain data."""
    root, options = _options_of(header)
    task, key = _task_of(data), data.get("key")
    if not isinstance(key, str):
        raise TypeError("not a task")
    os.chdir(header["cwd"])
    try:
        result, deps = build_one(root, task, options, key, _WORKER)
    finally:
        os.chdir("/")
    return {"result": asdict(result), "deps": deps}


def _result_of(answer: dict) -> tuple[Result, dict[str, str] | None]:
    """A result sent back by a worker of the resident process."""
    data = answer["result"]
    findings = [Finding(**finding) for finding in data["findings"]]
    fields = ("size", "sha256", "inputs", "seconds")
    result = Result(_task_of(data["task"]), data["file"], data["status"], findings,
                    *(data[name] for name in fields))  # fmt: skip
    return result, answer["deps"]


def _worker_done() -> None:
    """A forked worker's last act: the fonts it loaded itself let go (their folder removed)."""
    from generator.writers.pdf import let_fonts_go

    let_fonts_go()


def resident_main() -> None:
    """The resident process a build leaves (generator.commands.resident)."""
    resident.main(
        resident.Services(
            make=_requested, ready=lambda: _load(FORMATS), work=_worked, done=_worker_done
        )  # fmt: skip
    )


_WORKER: dict = {}  # a worker process's own: what it has hashed this build


def _work(root: Path, task: Task, options: Options, key: str):
    """`build_one` in a worker process."""
    return build_one(root, task, options, key, _WORKER)


def read_manifest(out: Path) -> tuple[dict, list[Finding]]:
    """The manifest of an output folder; one that does not read as a manifest is set aside
    (renamed to manifest.json.unreadable) with a warning, and the build goes on without it."""
    path = out / MANIFEST
    try:
        data = json.loads(read_input(path, limit=MANIFEST_LIMIT).decode("utf-8"))
    except InputFileError as exc:
        if exc.problem == "missing":
            return {}, []
        data = None
    except (ValueError, RecursionError, UnicodeDecodeError):
        data = None
    files = data.get("files", {}) if isinstance(data, dict) else None
    if isinstance(files, dict) and all(isinstance(e, dict) for e in files.values()):
        return data, []
    aside = path.with_name(MANIFEST + ".unreadable")
    try:
        os.replace(path, aside)
    except OSError:
        pass
    return {}, [
        Finding(
            str(path),
            None,
            None,
            "warning",
            "manifest-unreadable",
            f"{MANIFEST} in {out} is not a manifest brief wrote; it was set aside as "
            f"{aside.name} and every brief is built again",
            "nothing to do: a new manifest is written with this build",
        )
    ]


def _write_manifest(out: Path, manifest: dict) -> None:
    text = json.dumps(manifest, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    data = text.encode("utf-8")
    write_atomic(out / MANIFEST, data + b"\n")


def build(
    root: Path,
    options: Options,
    progress: Callable[[Result, int, int], None] | None = None,
    notify: Callable[[str], None] | None = None,
) -> Report:
    """Build every planned document; one failure does not stop the others.

    Names and the output folder are checked before anything is written. The folder is held
    for the whole build (another build into it waits, `notify` is told for whom), so the
    manifest read, the verdicts and the manifest written all see one build's files.
    """
    started = time.perf_counter()
    root = require_project(root)
    require_known(root, list(options.pairs))
    tasks = plan(root / "templates", options, configured_languages(root))
    options = replace(options, out=require_out(options.out))
    with hold(options.out, wait=options.wait, notify=notify):
        remove_stray(options.out)  # what a killed build was writing: no build writes it now
        results, notices = _build_held(root, options, tasks, progress)
    return Report(results, time.perf_counter() - started, notices)


class _Manifest:
    """The output folder's manifest as it is on disk: it claims only files whose bytes are
    the ones it records. Entries of the documents about to be written are taken out before
    any is written, and each document's entry is put in once its file is in place."""

    def __init__(self, out: Path):
        self.out = out
        data, self.notices = read_manifest(out)
        self.data = data
        self.files: dict = data.setdefault("files", {})
        if not isinstance(data.get("inputs"), dict):
            data["inputs"] = {}
        # sets of recorded inputs, each kept once however many outputs share it (a pair's
        # facts, a kind's templates in a language and format): id → {path: sha256}
        self.inputs: dict = data["inputs"]
        self.taken: dict[str, dict] = {}
        self.dirty = False
        self.written = 0.0

    def take_out(self, names: list[str]) -> None:
        """Before writing these files: the manifest stops claiming them."""
        for name in names:
            if name in self.files:
                self.taken[name] = self.files.pop(name)
                self.dirty = True
        self.write()

    def deps(self, entry: dict | None) -> dict[str, str] | None:
        """The inputs an entry records, path → sha256 (None when it records none whole)."""
        sets = entry.get("deps") if entry else None
        if not isinstance(sets, list):
            return None
        deps: dict[str, str] = {}
        for ident in sets:
            recorded = self.inputs.get(ident) if isinstance(ident, str) else None
            if not isinstance(recorded, dict):
                return None
            deps.update(recorded)
        return deps

    def put(self, name: str, entry: dict, deps: dict[str, str]) -> None:
        """A file was written with these bytes, made from these inputs."""
        self.taken.pop(name, None)
        parts: dict[bool, dict[str, str]] = {}
        for path, digest in deps.items():  # the templates' part apart from the facts'
            parts.setdefault(path.startswith("templates/"), {})[path] = digest
        entry["deps"] = [self._kept(part) for _, part in sorted(parts.items())]
        self.files[name] = entry
        self.dirty = True
        if time.monotonic() - self.written >= FLUSH_EVERY:
            self.write()

    def put_back(self, name: str) -> None:
        """A file was not written: its old entry is true again if the file is as it was."""
        entry = self.taken.pop(name, None)
        size = entry.get("size") if entry else None
        if entry and isinstance(size, int):
            if output_digest(self.out / name, size) == entry.get("sha256"):
                self.files[name] = entry
                self.dirty = True

    def _kept(self, recorded: dict[str, str]) -> str:
        """The id of a set of recorded inputs, kept once."""
        ident = hashlib.sha256(json.dumps(sorted(recorded.items())).encode()).hexdigest()[:24]
        self.inputs.setdefault(ident, recorded)
        return ident

    def write(self) -> None:
        """Write the manifest if it changed (atomically: a killed build leaves the old one)."""
        if self.dirty:
            used = {
                ident
                for entry in [*self.files.values(), *self.taken.values()]
                if isinstance(entry.get("deps"), list)
                for ident in entry["deps"]
                if isinstance(ident, str)
            }
            for ident in [i for i in self.inputs if i not in used]:
                del self.inputs[ident]
            self.data["generator"] = __version__
            _write_manifest(self.out, self.data)
            self.dirty = False
            self.written = time.monotonic()


def _build_held(
    root: Path,
    options: Options,
    tasks: list[Task],
    progress: Callable[[Result, int, int], None] | None,
) -> tuple[list[Result], list[Finding]]:
    """The build itself, with the output folder held."""
    run = _Run(root, options, tasks, progress)
    run.keep_up_to_date()
    pending = [i for i in range(len(tasks)) if run.results[i] is None]
    if pending:
        require_sound_templates(root, configured_languages(root), run.manifest, run.cache)
        run.build(pending)
    return [r for r in run.results if r is not None], run.manifest.notices


class _Run:
    """One build's state: the plan, the manifest as it is on disk, the results so far."""

    def __init__(
        self,
        root: Path,
        options: Options,
        tasks: list[Task],
        progress: Callable[[Result, int, int], None] | None,
    ):
        self.root, self.options, self.tasks, self.progress = root, options, tasks, progress
        self.manifest = _Manifest(options.out)
        self.cache: dict = {}  # what this build has hashed and worked out
        self.results: list[Result | None] = [None] * len(tasks)
        self.done = 0
        self.resident_found = False  # whether the resident process built any of it
        self.keys = {i: options_key(task, options, self.cache) for i, task in enumerate(tasks)}

    def report(self, result: Result) -> None:
        """One more document is done (the progress shown counts them)."""
        self.done += 1
        if self.progress:
            self.progress(result, self.done, len(self.tasks))

    def keep_up_to_date(self) -> None:
        """First, without parsing anything: the outputs whose recorded inputs are unchanged."""
        for i, task in enumerate(self.tasks):
            name = self.options.file_name(task)
            entry = self.manifest.files.get(name)
            target = self.options.out / name
            deps = self.manifest.deps(entry)
            if not self.options.force and up_to_date(
                self.root, target, entry, deps, self.keys[i], self.cache
            ):
                assert entry is not None
                result = Result(task, name, "up-to-date", [], entry["size"], entry["sha256"],
                                entry["inputs"])  # fmt: skip
                self.results[i] = result
                self.report(result)

    def finish(self, i: int, result: Result, deps: dict[str, str] | None) -> None:
        """A document is done: the manifest claims it if it was written."""
        self.results[i] = result
        if result.status == "built" and deps is not None:
            task = result.task
            self.manifest.put(
                result.file,
                {
                    "size": result.size,
                    "sha256": result.sha256,
                    "written": _written(self.options.out / result.file),
                    "inputs": result.inputs,
                    "key": self.keys[i],
                    "pair": task.pair,
                    "kind": task.kind,
                    "lang": task.lang,
                    "format": task.fmt,
                    "draft": self.options.draft,
                    "warnings": [f.format() for f in result.findings],
                },
                deps,
            )
        else:
            self.manifest.put_back(result.file)
        self.report(result)

    def build(self, pending: list[int]) -> None:
        """The documents not up to date, pair by pair: by the resident process's workers, in
        this process, or shared among worker processes that each hold one pair's facts at a
        time. A build that found no resident process leaves one for the next builds."""
        options, tasks = self.options, self.tasks
        # a pair's documents together (each process loads a pair once), its slowest first
        order = sorted(pending, key=lambda i: (tasks[i].pair, -COST.get(tasks[i].fmt, 1)))
        jobs = max(1, min(options.jobs or os.cpu_count() or 1, len(order)))
        self.manifest.take_out([options.file_name(tasks[i]) for i in order])
        _LOADED.clear()  # files may have changed since this process last loaded a pair
        try:
            left = self._by_resident(order, jobs)
            jobs = min(jobs, len(left))
            if jobs == 1:
                self._here(left)
            elif jobs > 1:
                self._in_workers(left, jobs)
        finally:
            _LOADED.clear()
            for name in list(self.manifest.taken):  # stopped early: what was not written
                self.manifest.put_back(name)  # is true again
            self.manifest.write()
        if not self.resident_found:
            first = next((i for i in order if tasks[i].fmt == "pdf"), order[0])
            resident.stay(f"{__name__}.resident_main", _request(self.root, tasks[first], options))

    def _by_resident(self, order: list[int], jobs: int) -> list[int]:
        """Documents built by workers the resident process forks for this build, one a job;
        what they did not build is left for this process (one PDF alone is asked of the
        resident process itself, in `_here`)."""
        if len(order) == 1 and self.tasks[order[0]].fmt == "pdf":
            return order
        found = resident.workers(jobs, _header(self.root, self.options))
        if len(found) < jobs:  # fewer than asked for: this build's own processes are faster
            for worker in found:
                worker.close()
            return order
        self.resident_found = True
        todo, left, lock = collections.deque(order), set(), threading.Lock()
        done: queue.Queue = queue.Queue()

        def work(worker: resident.Worker) -> None:
            try:
                while True:
                    with lock:
                        if not todo:
                            return
                        i = todo.popleft()
                    task = asdict(self.tasks[i]) | {"key": self.keys[i]}
                    answer = worker.build(task)
                    if answer is None:  # built here instead, and so are the rest if all fail
                        with lock:
                            left.add(i)
                        return
                    done.put((i, answer))
            finally:
                done.put(None)

        threads = [threading.Thread(target=work, args=(w,), daemon=True) for w in found]
        for thread in threads:
            thread.start()
        try:
            ended = 0
            while ended < len(threads):
                item = done.get()
                if item is None:
                    ended += 1
                    continue
                try:
                    result, deps = _result_of(item[1])
                except (KeyError, TypeError, ValueError):
                    with lock:
                        left.add(item[0])
                    continue
                self.finish(item[0], result, deps)
        finally:
            for worker in found:  # stopped early: each worker ends with its document
                worker.close()
        return [i for i in order if i in left or i in todo]

    def _here(self, order: list[int]) -> None:
        # one PDF: made by the resident process, or laid out by a second process that loads
        # WeasyPrint meanwhile
        layouts, made_by = None, None
        first = self.tasks[order[0]]
        if len(order) == 1 and first.fmt == "pdf":
            made_by = resident.connect()
            self.resident_found = made_by is not None
            if made_by is None:
                layouts = layout_process(self.root / "templates", first.kind)
        try:
            for i in order:
                self.finish(i, *build_one(self.root, self.tasks[i], self.options, self.keys[i],
                                          self.cache, layouts, made_by))  # fmt: skip
        finally:
            if layouts is not None:  # waited for: it removes its fonts' temporary folder
                layouts.shutdown(wait=True, cancel_futures=True)
            if made_by is not None:
                made_by.close()

    def _in_workers(self, order: list[int], jobs: int) -> None:
        import multiprocessing
        from concurrent.futures import as_completed

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        formats = tuple(sorted({self.tasks[i].fmt for i in order}))
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context(method),
            initializer=_warm,
            initargs=(formats, os.getpid()),
        ) as pool:
            futures = {
                pool.submit(_work, self.root, self.tasks[i], self.options, self.keys[i]): i
                for i in order
            }
            for future in as_completed(futures):
                self.finish(futures[future], *future.result())


def _warm(formats: tuple[str, ...], parent: int) -> None:
    """Worker start-up: end with the build (even a killed one, which would otherwise leave
    workers holding the output folder), import what builds a document once."""
    _end_with_parent(parent)
    _clean_up_fonts_at_end()
    _WORKER.clear()
    _load(formats)


def _load(formats: tuple[str, ...]) -> None:
    """Import what builds documents of `formats`: the checks, the facts model, Babel, Jinja
    and the writers."""
    import generator.checks.prose  # noqa: F401
    import generator.checks.styles  # noqa: F401
    import generator.render.brief  # noqa: F401

    for fmt in formats:
        writer(fmt)
    if "docx" in formats:
        from generator.writers.images import load

        load()


def _end_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent ends (elsewhere: nothing to do)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the request
        os._exit(1)
