"""`brief new`: start the dossier of a new pair, a file that builds as it is and shows how facts
are written (never over an existing one)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import get_args

from generator.errors import BriefError
from generator.facts.model import Dossier, Section, country_names
from generator.facts.paths import dossier_path, require_pair_names, require_project
from generator.facts.project import load_project
from generator.facts.reference import section_example, sections_of

OUR_COUNTRY = "kz"  # the first country of every pair: the ministry's own
REFERENCE = "docs/dossier.md"
# the sections a new dossier shows an example of (commented out); the others are listed
EXAMPLE_SECTIONS = ("summary", "key_dates", "visits", "trade", "events", "talking_points")


def new(root: Path, pair: str) -> Path:
    """Write briefs/<pair>.yaml, a dossier with no facts yet; return its path."""
    root = require_project(root)
    require_pair_names([pair])
    ours, partner = pair.split("-")
    if ours != OUR_COUNTRY:
        turned = f"{partner}-{ours}"
        raise BriefError(
            f"'{pair}' does not start with our country, {OUR_COUNTRY.upper()}",
            hint=(f"did you mean '{turned}'? " if partner == OUR_COUNTRY else "")
            + f"a pair is {OUR_COUNTRY}-<partner>, e.g. {OUR_COUNTRY}-uz",
            code="pair-not-ours",
        )
    if partner == OUR_COUNTRY:
        raise BriefError(
            f"'{pair}' pairs our country with itself",
            hint=f"a pair is {OUR_COUNTRY}-<partner>, e.g. {OUR_COUNTRY}-uz",
            code="pair-not-ours",
        )
    names = country_names()
    if partner.upper() not in names:
        raise BriefError(
            f"'{partner.upper()}' is not a country code CLDR knows",
            hint="the partner is an ISO 3166 two-letter code, e.g. uz, tr, az",
            code="unknown-country",
        )
    rel = dossier_path(pair)
    path = root / rel
    text = starter(pair, load_project(root, []).sections, names)
    try:
        with open(path, "x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        raise BriefError(
            f"{rel} exists already; it was left as it is",
            hint=f"edit it, or check it with 'brief check {pair}'",
            code="dossier-exists",
        ) from None
    return path


def starter(pair: str, sections: dict[str, Section], names: Mapping[str, str]) -> str:
    """The text of a new dossier: its pair, countries and marking, every section empty, and
    examples of the main sections in comments."""
    countries = [code.upper() for code in pair.split("-")]
    markings = get_args(Dossier.model_fields["marking"].annotation)
    lines = [
        f"# {' – '.join(names[c] for c in countries)}.",
        "# A new dossier: it builds as it is, with no facts yet. Add facts section by section;",
        "# each cites its source, a record in sources/<id>.yaml. Every key, value and section",
        f"# is described, with an example, in {REFERENCE}. Then: brief check {pair}",
        f"pair: {pair}",
        f"countries: [{', '.join(countries)}]",
        f"marking: {markings[0]}  # {' | '.join(markings)}",
    ]
    rest = []
    for key, item, _ in sections_of(sections):
        if key not in EXAMPLE_SECTIONS:
            rest.append(key)
            continue
        example = section_example(key, item).splitlines()[1:]
        lines += ["", f"{key}: []", f"# For example, from kz-tr (every key: {REFERENCE}):"]
        lines += [f"#{' ' if line else ''}{line}" for line in example]
    lines += ["", f"# The other sections, each described in {REFERENCE}:"]
    lines += [f"{key}: []" for key in rest]
    return "\n".join(lines) + "\n"
