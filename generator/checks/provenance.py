"""Facts against the text of their source, where the analyst keeps it (sources/<id>.txt)."""

from __future__ import annotations

from generator.errors import Findings
from generator.facts.project import Project


def check_provenance(project: Project, pairs: list[str], findings: Findings) -> None:
    """Every figure of a fact occurs in its source's kept text; verbatim words occur as written."""
