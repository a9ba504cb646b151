"""Facts that load but are doubtful: conflicting sources, old figures, past events, gaps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from generator.errors import Findings
from generator.facts.asof import REASONS, Omission, as_of
from generator.facts.model import TRADE_FIGURES, Cited
from generator.facts.project import Project
from generator.facts.values import Amount, Text
from generator.facts.walk import cited_sources, texts

_SCALES = ((Decimal(10) ** 12, "tn"), (Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "mn"))


def amount_words(amount: Amount) -> str:
    """An amount as an analyst writes it in a dossier.

    >>> amount_words(Amount(Decimal("4100000000"), "USD", "over"))
    'over 4.1 bn USD'
    """
    value = amount.value
    number = f"{value:f}"
    for scale, word in _SCALES:
        if abs(value) >= scale:
            number = f"{(value / scale).normalize():f} {word}"
            break
    qualifier = amount.qualifier.replace("_", " ") + " " if amount.qualifier else ""
    return f"{qualifier}{number} {amount.currency}"


def _cited(fact: Cited) -> str:
    locator = fact.locator or ""
    locator = locator if len(locator) <= 50 else locator[:49] + "…"
    return fact.source + (f", {locator}" if locator else "")


def check_conflicts(project: Project, pair: str, findings: Findings) -> None:
    """A trade figure that another source gives differently: name both and the preferred one."""
    dossier = project.dossiers[pair]
    path = project.dossier_path(pair)
    for i, row in enumerate(dossier.trade):
        for j, alt in enumerate(row.alternatives):
            for name in TRADE_FIGURES:
                preferred, other = getattr(row, name), getattr(alt, name)
                if other is None or preferred == other:
                    continue
                where = ("trade", i, "alternatives", j, name)
                if preferred is None:
                    findings.add(
                        path,
                        project.line(path, where),
                        f"the {row.year} {name} is given only by an alternative: "
                        f"{amount_words(other)} ({_cited(alt)})",
                        hint=f"add '{name}:' to the {row.year} row itself with the value the "
                        "brief should show",
                        code="fact-conflict",
                        severity="warning",
                    )
                    continue
                findings.add(
                    path,
                    project.line(path, where),
                    f"sources disagree on the {row.year} {name}: {amount_words(preferred)} "
                    f"({_cited(row)}) and {amount_words(other)} ({_cited(alt)}); the brief "
                    f"shows the preferred {amount_words(preferred)}",
                    hint="check both sources; to prefer the other value, swap it with the "
                    "row's own value",
                    code="fact-conflict",
                    severity="warning",
                )


def check_duplicates(project: Project, pair: str, findings: Findings) -> None:
    """Two trade rows for one year, two mechanisms with one id, two sessions with one number."""
    dossier = project.dossiers[pair]
    path = project.dossier_path(pair)
    years: dict[int, int] = {}
    for i, row in enumerate(dossier.trade):
        if row.year in years:
            findings.add(
                path,
                project.line(path, ("trade", i, "year")),
                f"the year {row.year} appears twice in trade (first on line "
                f"{project.line(path, ('trade', years[row.year], 'year'))})",
                hint="keep one row per year; put another source's figures under "
                "'alternatives:' of that row",
                code="duplicate-year",
            )
        years.setdefault(row.year, i)
    ids: dict[str, int] = {}
    for i, mechanism in enumerate(dossier.mechanisms):
        if mechanism.id in ids:
            findings.add(
                path,
                project.line(path, ("mechanisms", i, "id")),
                f"the mechanism id '{mechanism.id}' is used twice",
                hint="give each mechanism its own id",
                code="duplicate-id",
            )
        ids.setdefault(mechanism.id, i)
        numbers: set[int] = set()
        for j, session in enumerate(mechanism.sessions):
            if session.number is not None and session.number in numbers:
                findings.add(
                    path,
                    project.line(path, ("mechanisms", i, "sessions", j, "number")),
                    f"the {mechanism.id} session number {session.number} appears twice",
                    hint="each session of a mechanism has its own number",
                    code="duplicate-session",
                )
            if session.number is not None:
                numbers.add(session.number)


def check_dates(project: Project, pair: str, on: dt.date, findings: Findings) -> None:
    """Old figures, upcoming events already past, and past facts dated in the future."""
    dossier = project.dossiers[pair]
    path = project.dossier_path(pair)
    limit = project.config.stale_after_years
    complete = [
        (i, row)
        for i, row in enumerate(dossier.trade)
        if row.turnover is not None and row.partial is None
    ]
    if complete:
        i, newest = max(complete, key=lambda item: item[1].year)
        if on.year - newest.year > limit:
            findings.add(
                path,
                project.line(path, ("trade", i, "year")),
                f"the newest full-year trade figure is for {newest.year}, "
                f"{on.year - newest.year} years before {on.isoformat()}; figures older "
                f"than {limit} years are flagged",
                hint="add the latest year from a recent source (or set "
                "stale_after_years in brief.yaml)",
                code="stale-figure",
                severity="warning",
            )
    for i, event in enumerate(dossier.events):
        if event.date is not None and event.date.last_day() < on:
            findings.add(
                path,
                project.line(path, ("events", i, "date")),
                f"the upcoming event '{_short(event.title)}' is dated {event.date}, "
                f"before {on.isoformat()}",
                hint="record what happened (a visit or a session) and remove it from "
                "events, or correct its date",
                code="past-event",
                severity="warning",
            )
    check_as_of(project, pair, on, findings)


def check_as_of(project: Project, pair: str, on: dt.date, findings: Findings) -> None:
    """What a brief dated `on` leaves out: facts of sources dated later (one note per source)
    and anything reported as done that had not happened, or cannot be placed, by then."""
    path = project.dossier_path(pair)
    _, omitted = as_of(project.dossiers[pair], project.sources, on)
    by_source: dict[str, list[Omission]] = {}
    for item in omitted:
        if item.reason.startswith("source"):
            by_source.setdefault(item.record.source, []).append(item)
            continue
        what = _RECORD_NAMES.get(item.where[0], "fact") if item.where else "fact"
        findings.add(
            path,
            project.line(path, item.where),
            f"a brief dated {on.isoformat()} leaves out this {what}: {REASONS[item.reason]} "
            f"({item.date})",
            hint="a planned meeting belongs in events; give the day if the source does, or "
            "date the brief later",
            code="as-of",
            severity="note",
        )
    for sid, items in sorted(by_source.items()):
        spath = project.source_files.get(sid, path)
        n = len(items)
        findings.add(
            spath,
            project.line(spath, ("date",)),
            f"a {pair} brief dated {on.isoformat()} leaves out {n} fact{'s' if n != 1 else ''} "
            f"citing this source: {_SOURCE_REASONS[items[0].reason]} ({items[0].date})",
            hint=f"a brief dated {items[0].date.last_day().isoformat()} or later uses them",
            code="as-of",
            severity="note",
        )


_SOURCE_REASONS = {
    "source-later": "it is dated after the brief",
    "source-undecided": "its date cannot be placed on or before the brief's",
}
_RECORD_NAMES = {
    "visits": "visit",
    "agreements": "agreement",
    "key_dates": "key date",
    "mechanisms": "session",
    "investment": "investment",
    "quotes": "statement",
    "representation": "mission",
    "ambassadors": "ambassador",
    "targets": "target",
}


def _short(text: Text, width: int = 60) -> str:
    value = text.get("en") or text.any()
    return value if len(value) <= width else value[: width - 1] + "…"


def check_languages(
    project: Project, path: str, model: Any, findings: Findings, where: tuple = ()
) -> None:
    """A text that lacks one of the brief's languages (the brief would show another one)."""
    for inner, text in texts(model, where):
        for lang in text.missing(project.languages):
            field = next((p for p in reversed(inner) if isinstance(p, str)), "text")
            findings.add(
                path,
                text.origin.line if text.origin else project.line(path, inner),
                f"the text of '{field}' has no {lang} version: '{_short(text, 50)}'",
                hint=f"add '{lang}: ...'; until then the {lang} brief shows another "
                "language, marked in a draft",
                code="missing-text",
                severity="warning",
            )


def cited_by_briefs(project: Project) -> dict[str, set[str]]:
    """The sources each file of briefs/ that was read cites (also dossiers that failed to
    validate)."""
    return {
        path: set(_raw_sources(doc.data))
        for path, doc in project.docs.items()
        if path.startswith("briefs/")
    }


def check_unused_sources(project: Project, cites: dict[str, set[str]], findings: Findings) -> None:
    """A source that no dossier or registry cites (`cites`: what each file of briefs/ cites;
    not said while a file of briefs/ cannot be read: what it cites is unknown, and its own
    error says what to mend)."""
    cites = {**cites, **cited_by_briefs(project)}
    folder = project.root / "briefs"
    if any(f"briefs/{path.name}" not in cites for path in folder.glob("*.yaml")):
        return
    used: set[str] = set().union(*cites.values())
    for sid in sorted(project.sources):
        if sid not in used:
            path = project.source_files[sid]
            findings.add(
                path,
                project.line(path, ("id",)),
                f"the source '{sid}' is not cited by any fact",
                hint="cite it with 'source: " + sid + "' where it supports a fact, or "
                "delete the file",
                code="unused-source",
                severity="warning",
            )


def check_duplicate_sources(project: Project, findings: Findings, ids: set[str] | None) -> None:
    """A source recorded twice: two files with the same url, or with the same title, date and
    publisher; said at the later file (of `ids`, or of every source when None)."""
    seen: dict[tuple, str] = {}  # what makes a source the same → the id of its first record
    for sid in sorted(project.sources, key=lambda s: project.source_files[s]):
        source = project.sources[sid]
        for key, said, field in _identities(source):
            first = seen.setdefault(key, sid)
            if first == sid:
                continue
            if ids is None or sid in ids or first in ids:
                path = project.source_files[sid]
                findings.add(
                    path,
                    project.line(path, (field,)),
                    f"the same source as {project.source_files[first]} ({said}) — keep one "
                    f"record and cite its id",
                    hint=f"delete {path} and write 'source: {first}' where '{sid}' is cited; "
                    "the brief lists each record as a source of its own",
                    code="duplicate-source",
                    severity="warning",
                )
            break


def _identities(source: Any) -> Iterator[tuple[tuple, str, str]]:
    """What makes two records the same source: (key, how it is said, the field to point at)."""
    if source.url:
        url = source.url.strip().split("#")[0].rstrip("/")
        _, _, rest = url.partition("://")
        host, _, place = rest.partition("/")
        yield ("url", host.lower().removeprefix("www."), place), f"same url {source.url}", "url"
    if source.date is not None:
        # the title as published (in the source's own language), the publisher likewise
        title = source.original_title or _own(source.title, source.language)
        publisher = _own(source.publisher, source.language) if source.publisher else ""
        yield (
            ("title", _words(title), source.date.iso(), _words(publisher)),
            "same title, date and publisher",
            "title",
        )


def _own(text: Text, lang: str) -> str:
    """A text in the source's own language, else in the first language it is written in."""
    return text.get(lang) or text.any()


def _words(text: str) -> str:
    """A text compared as words: case, spacing and closing punctuation aside."""
    return " ".join(text.casefold().split()).rstrip(".")


def _raw_sources(data: Any) -> Iterator[str]:
    """Every `source:` id written in a YAML document."""
    if isinstance(data, dict):
        if isinstance(data.get("source"), str):
            yield data["source"]
        for value in data.values():
            yield from _raw_sources(value)
    elif isinstance(data, list):
        for item in data:
            yield from _raw_sources(item)


def check_facts(
    project: Project, pairs: list[str], on: dt.date, findings: Findings, *, whole: bool
) -> None:
    """Every fact check of the chosen pairs (and of sources and registries when `whole`)."""
    for pair in pairs:
        if pair not in project.dossiers:
            continue
        check_conflicts(project, pair, findings)
        check_duplicates(project, pair, findings)
        check_dates(project, pair, on, findings)
        check_languages(project, project.dossier_path(pair), project.dossiers[pair], findings)
    cited = (
        set().union(*(cited_sources(project.dossiers[p]) for p in pairs if p in project.dossiers))
        if pairs
        else set()
    )
    check_duplicate_sources(project, findings, None if whole else cited)
    for sid, source in project.sources.items():
        if whole or sid in cited:
            check_languages(project, project.source_files[sid], source, findings)
    for name, registry in (("people", project.people), ("organisations", project.organisations)):
        path = f"briefs/{name}.yaml"
        for item in registry.values():
            index = _index(project, path, name, item.id)
            if index is not None:
                check_languages(project, path, item, findings, (name, index))


def _index(project: Project, path: str, key: str, ident: str) -> int | None:
    doc = project.docs.get(path)
    items = doc.data.get(key) if doc is not None and isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        return None
    return next(
        (i for i, item in enumerate(items) if isinstance(item, dict) and item.get("id") == ident),
        None,
    )
