"""Where templates come from: files under templates/, named by their path there.

A name in `{% include %}`, `{% import %}` or `{% extends %}` that starts at the root of the
disk, climbs out with `..`, or reaches a file through a link leading out of templates/ is
refused: a template shows what is in templates/ and nothing else.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2

from generator.errors import BriefError
from generator.facts.files import TEXT_LIMIT, read_text


class TemplateOutside(BriefError):
    """A template name that leads outside templates/."""

    def __init__(self, name: str):
        super().__init__(
            f"the template '{name[:80]}' is outside templates/",
            hint="name a template by its path inside templates/, e.g. sections/trade.html "
            "(no leading /, no .., no link to a file elsewhere)",
            code="template-outside",
        )


def template_path(templates: Path, name: str) -> Path | None:
    """The file a template name means under templates/ (links resolved), whether or not it
    exists; None when the name leads outside.

    >>> root = Path("templates").resolve()
    >>> template_path(root, "sections/trade.html") == root / "sections" / "trade.html"
    True
    >>> [template_path(root, n) for n in ("/etc/passwd", "../brief.yaml", "a\\\\b.html")]
    [None, None, None]
    """
    root = templates.resolve()
    pieces = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\0" in name
        or any(p in ("..", "") for p in pieces[:-1])
        or pieces[-1] in ("..", "")
        or ":" in pieces[0]
    ):
        return None
    try:
        path = root.joinpath(*pieces).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return path if path.is_relative_to(root) else None


class TemplatesLoader(jinja2.BaseLoader):
    """Jinja's loader for one templates/ folder, read as every input is read (a regular
    file within its size limit) and kept within the folder."""

    def __init__(self, templates: Path):
        self.root = templates.resolve()

    def get_source(self, environment, template: str):
        path = template_path(self.root, template)
        if path is None:
            raise TemplateOutside(template)
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        rel = f"templates/{path.relative_to(self.root).as_posix()}"
        source = read_text(path, limit=TEXT_LIMIT, rel=rel)
        mtime = _mtime(path)
        return source, str(path), lambda: _mtime(path) == mtime

    def list_templates(self) -> list[str]:
        return sorted(
            p.relative_to(self.root).as_posix()
            for p in self.root.rglob("*")
            if p.is_file() and template_path(self.root, p.relative_to(self.root).as_posix())
        )


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None
