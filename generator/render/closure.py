"""Which templates a template needs: what it extends, includes and imports, followed through.

One definition for the build (an output depends on every file of its kind's closure) and for
`brief check` (the names of the facts are checked in the templates a brief renders).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import jinja2
from jinja2 import nodes

from generator.errors import BriefError
from generator.facts.files import TEXT_LIMIT, read_text
from generator.render.environment import parse_template
from generator.render.loader import template_path


def referenced(tree: nodes.Template) -> list[tuple[int, str | None]]:
    """(line, name) of every template this one extends, includes or imports; the name is
    None where the template computes it."""
    out: list[tuple[int, str | None]] = []
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        target = getattr(node, "template", None)
        if isinstance(target, nodes.Const):
            names = [target.value]
        elif isinstance(target, nodes.Tuple | nodes.List):
            names = [item.value if isinstance(item, nodes.Const) else None for item in target.items]
        else:
            names = [None]
        out += [(node.lineno, n if isinstance(n, str) or n is None else None) for n in names]
    return out


def closure(
    templates: Path, name: str, trees: Mapping[str, nodes.Template | None] | None = None
) -> set[str]:
    """A template and every template it needs, by name under templates/.

    A computed name could be any template, so it brings in every HTML template. A file that
    is missing or does not parse ends the walk there (check reports it). `trees` are the
    templates already parsed (by `brief check`); others are read and parsed here.
    """
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if trees is not None:
            tree = trees.get(current)
        else:
            tree = _parse(template_path(templates, current))
        if tree is None:
            continue
        for _line, ref in referenced(tree):
            if ref is None:
                todo += [p.relative_to(templates).as_posix() for p in templates.rglob("*.html")]
            else:
                todo.append(ref)
    return seen


def _parse(path: Path | None) -> nodes.Template | None:
    if path is None or not path.is_file():
        return None
    try:
        return parse_template(read_text(path, limit=TEXT_LIMIT))
    except (jinja2.TemplateSyntaxError, BriefError):
        return None
