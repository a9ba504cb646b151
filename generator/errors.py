"""User-facing errors and findings: where, what, and what to do."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "note"]  # a note tells, it never fails a check


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in the user's input, located by file and line."""

    path: str
    line: int | None = None
    column: int | None = None
    severity: Severity = "error"
    code: str = "error"
    message: str = ""
    hint: str | None = field(default=None, compare=False)

    def format(self) -> str:
        """Render as `path:line: severity: message` plus an indented hint."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    {self.hint}"
        return text

    def as_dict(self) -> dict:
        """The finding as a plain dict (for `--format json`): file, line, column, severity,
        code, message, hint."""
        data = asdict(self)
        return {"file": data.pop("path"), **data}

    def sort_key(self) -> tuple:
        """Sort by file, then line, then column."""
        return (self.path, self.line or 0, self.column or 0, self.code, self.message)


class BriefError(Exception):
    """An error in the user's input or command: shown as a message, never as a traceback."""

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
        code: str = "error",
    ):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint
        self.code = code

    @property
    def findings(self) -> list[Finding]:
        """The error as a list of findings."""
        return [
            Finding(
                self.path or "brief",
                self.line,
                None,
                "error",
                self.code,
                self.message,
                self.hint,
            )
        ]

    def format(self) -> str:
        """All findings of this error, one per line."""
        return "\n".join(f.format() for f in self.findings)

    def __str__(self) -> str:
        return self.format()


class InputErrors(BriefError):
    """Several problems found at once; raised after all of them were collected."""

    def __init__(self, findings: list[Finding]):
        findings = sorted(findings, key=Finding.sort_key)
        first = findings[0] if findings else Finding("brief", message="unknown error")
        super().__init__(first.message, first.path, first.line, first.hint, first.code)
        self._findings = findings

    @property
    def findings(self) -> list[Finding]:
        return self._findings


class ValueProblem(ValueError):
    """A value the analyst wrote that cannot be read; the message says why and how to fix it."""


class UsageError(BriefError):
    """The command line itself is wrong (exit status 2)."""


class Findings:
    """A collector: add problems as they are found, raise once at the end."""

    def __init__(self) -> None:
        self.items: list[Finding] = []

    def add(
        self,
        path: str,
        line: int | None,
        message: str,
        *,
        hint: str | None = None,
        code: str = "error",
        severity: Severity = "error",
        column: int | None = None,
    ) -> None:
        """Record one problem."""
        self.items.append(Finding(path, line, column, severity, code, message, hint))

    def extend(self, findings: list[Finding]) -> None:
        """Record several problems."""
        self.items.extend(findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "warning"]

    def sorted(self) -> list[Finding]:
        """All findings, sorted by file and line, without duplicates."""
        seen: set = set()
        out = []
        for f in sorted(self.items, key=Finding.sort_key):
            key = (f.path, f.line, f.severity, f.code, f.message)
            if key not in seen:
                seen.add(key)
                out.append(f)
        return out
