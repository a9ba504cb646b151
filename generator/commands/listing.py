"""`brief list`: the pairs with their languages, newest fact date and kinds of brief."""

from __future__ import annotations

from pathlib import Path

from generator.facts.model import Dossier
from generator.facts.paths import kinds
from generator.facts.project import load_project
from generator.facts.values import FuzzyDate
from generator.facts.walk import records, texts


def newest_date(dossier: Dossier) -> FuzzyDate | None:
    """The latest date any fact of the dossier carries (events to come excluded)."""
    dates = []
    for where, obj in records(dossier):
        if where and where[0] == "events":
            continue
        for name in ("date", "since", "opened"):
            value = getattr(obj, name, None)
            if isinstance(value, FuzzyDate):
                dates.append(value)
        year = getattr(obj, "year", None)
        if isinstance(year, int) and where and where[0] == "trade":
            dates.append(FuzzyDate(year))
    return max(dates, key=lambda d: d.last_day()) if dates else None


def languages(dossier: Dossier, langs: tuple[str, ...]) -> list[str]:
    """The brief's languages in which every text of the dossier is written."""
    complete = set(langs)
    for _, text in texts(dossier):
        complete -= set(text.missing(langs))
    return [lang for lang in langs if lang in complete]


def listing(root: Path) -> list[str]:
    """Lines of the `brief list` table."""
    project = load_project(Path(root))
    all_kinds = ", ".join(kinds(project.templates))
    rows = [("pair", "languages", "newest fact", "kinds")]
    for pair in project.pair_names():
        dossier = project.dossiers.get(pair)
        if dossier is None:
            rows.append((pair, "-", "(has errors: run brief check)", all_kinds))
            continue
        newest = newest_date(dossier)
        rows.append(
            (
                pair,
                ",".join(languages(dossier, project.languages)) or "-",
                newest.iso() if newest else "-",
                all_kinds,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
