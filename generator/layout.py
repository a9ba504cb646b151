"""Where things are in a project folder: pairs, kinds of brief (no parsing, cheap to import)."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from .errors import BriefError

PAIR_FILE = re.compile(r"^[a-z]{2}-[a-z]{2}\.yaml$")
KINDS_DIR = "kinds"
REGISTRIES = ("people.yaml", "organisations.yaml")  # shared by every dossier in briefs/


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


def require_known(root: Path, pairs: list[str]) -> None:
    """Raise a clear error for a pair that has no dossier file."""
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
