"""One resource policy for every writer: files under templates/ (symlinks resolved) and
data: URIs; nothing from the network, nothing from elsewhere on the disk."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from generator.errors import BriefError


def template_file(templates: Path, reference: str) -> Path | None:
    """The file a reference (a relative path or a file:// URL) names, if it is a regular file
    inside templates/ once symlinks are resolved; None for anything else.

    >>> template_file(Path("templates"), "/etc/passwd") is None
    True
    """
    root = templates.resolve()
    if reference.startswith("file://"):
        path = Path(unquote(urlparse(reference).path))
    elif "://" in reference or reference.startswith(("/", "\\")) or ":" in reference[:3]:
        return None
    else:
        path = root / unquote(reference)
    try:
        path = path.resolve()
    except (OSError, RuntimeError):
        return None
    return path if path.is_relative_to(root) and path.is_file() else None


def require_template_file(templates: Path, reference: str, what: str) -> Path:
    """A file under templates/ for a writer, or a located error saying why not."""
    path = template_file(templates, reference)
    if path is None:
        raise BriefError(
            f"the {what} '{reference[:80]}' is not a file under templates/",
            path="templates",
            hint="briefs may only use files inside templates/ (no web addresses, no other "
            "folders); copy the file into templates/ and refer to it by its relative path",
            code="resource",
        )
    return path
