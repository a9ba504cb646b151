"""Where things are in a project folder: pairs, kinds of brief (no parsing, cheap to import)."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from generator.errors import BriefError, UsageError

PAIR_FILE = re.compile(r"^[a-z]{2}-[a-z]{2}\.yaml$")
PAIR_NAME = re.compile(r"[a-z]{2}-[a-z]{2}")  # two ISO country codes: kz-tr
PAIR_RULE = "two two-letter country codes in lowercase joined by a hyphen, e.g. kz-tr"
KIND_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")  # templates/kinds/<kind>.html
KIND_RULE = "lowercase letters, digits, '-' and '_', at most 40 characters, e.g. background"
LANGUAGE_NAME = re.compile(r"[a-z]{2,3}")  # as brief.yaml's schema allows: kk, ru, en
KINDS_DIR = "kinds"
REGISTRIES = ("people.yaml", "organisations.yaml")  # shared by every dossier in briefs/
SECTIONS_FILE = "templates/sections.yaml"  # the sections of the dossiers and their headings


def require_project(root: Path) -> Path:
    """The project folder, resolved; an error if it lacks briefs/ or templates/."""
    root = Path(root).resolve()
    if not (root / "briefs").is_dir() or not (root / "templates").is_dir():
        raise BriefError(
            f"{root} is not a brief project: it needs the folders briefs/ and templates/",
            hint="run brief from the project's folder, or pass --project DIR",
            code="no-project",
        )
    return root


def pair_names(root: Path) -> list[str]:
    """Every pair that has a dossier file in briefs/, valid or not."""
    return sorted(p.stem for p in (Path(root) / "briefs").glob("*.yaml") if PAIR_FILE.match(p.name))


def kinds(templates: Path) -> list[str]:
    """The kinds of brief the templates define (templates/kinds/<kind>.html)."""
    return sorted(p.stem for p in (Path(templates) / KINDS_DIR).glob("*.html"))


def kind_template(kind: str) -> str:
    """The template of a kind of brief, by its name under templates/."""
    return f"{KINDS_DIR}/{kind}.html"


def dossier_path(pair: str) -> str:
    """The dossier of a pair, relative to the project folder."""
    return f"briefs/{pair}.yaml"


def shown(name: str, width: int = 40) -> str:
    """A name from the command line as a message quotes it: printable, and cut if long.

    >>> shown("a" * 50, 10)
    "'aaaaaaaaaa…' (50 characters)"
    """
    text = name.encode("unicode_escape").decode("ascii") if not name.isprintable() else name
    return f"'{text[:width]}…' ({len(name)} characters)" if len(text) > width else f"'{text}'"


def require_pair_names(pairs: list[str] | tuple[str, ...]) -> None:
    """Raise a usage error for a pair name that cannot be one (before any file is looked at).

    >>> require_pair_names(["kz-tr"])
    """
    for pair in pairs:
        if not PAIR_NAME.fullmatch(pair):
            raise UsageError(
                f"{shown(pair)} is not a pair name",
                hint=f"a pair name is {PAIR_RULE} (its dossier is briefs/<pair>.yaml)",
                code="usage",
            )


def require_kind_names(names: list[str] | tuple[str, ...]) -> None:
    """Raise a usage error for a kind name that cannot be one."""
    for kind in names:
        if not KIND_NAME.fullmatch(kind):
            raise UsageError(
                f"{shown(kind)} is not a kind of brief",
                hint=f"a kind's name is {KIND_RULE} (its template is templates/kinds/<kind>.html)",
                code="usage",
            )


def require_known(root: Path, pairs: list[str]) -> None:
    """Raise a clear error for a pair name that cannot be one or that has no dossier file."""
    require_pair_names(pairs)
    known = pair_names(root)
    for pair in pairs:
        if pair not in known:
            near = difflib.get_close_matches(pair, known, n=1)
            raise BriefError(
                f"there is no dossier for the pair '{pair}' (briefs/{pair}.yaml does not exist)",
                hint=(f"did you mean '{near[0]}'? " if near else "")
                + f"known pairs: {', '.join(known) or 'none'}"
                + f"; to add one, create briefs/{pair}.yaml",
                code="unknown-pair",
            )


def configured_languages(root: Path) -> tuple[str, ...]:
    """The brief's languages as brief.yaml names them (default kk, ru, en), read without the
    facts model so that an up-to-date build stays cheap; load_project validates the file."""
    from generator.facts import reader
    from generator.facts.values import DEFAULT_LANGUAGES

    path = Path(root) / "brief.yaml"
    if not path.is_file():
        return DEFAULT_LANGUAGES
    doc, _ = reader.load(path, Path(root))
    data = doc.data if doc is not None else None
    languages = data.get("languages") if isinstance(data, dict) else None
    if (
        isinstance(languages, list)
        and languages
        and all(isinstance(x, str) and LANGUAGE_NAME.fullmatch(x) for x in languages)
    ):
        return tuple(languages)
    return DEFAULT_LANGUAGES
