"""Numbers in the analysts' prose: in their language's house style, and agreeing with the facts."""

from __future__ import annotations

from generator.errors import Findings
from generator.facts.project import Project


def check_prose(project: Project, pairs: list[str], findings: Findings) -> None:
    """Numbers written against the house style, and amounts that disagree with their figure."""
