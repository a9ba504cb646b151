"""Translation catalogs: readable .po files, Babel's checks, every template string translated."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.extract import extract
from babel.messages.pofile import read_po

from generator.errors import BriefError, Findings
from generator.facts.files import TEXT_LIMIT, read_input
from generator.l10n.catalogs import (
    Untranslated,
    message_status,
    po_path,
    po_problems,
    read_catalog,
)

# the extraction options of babel.cfg (they mirror generator/render/environment.py)
EXTRACT_OPTIONS = {
    "extensions": "jinja2.ext.i18n",
    "trim_blocks": "True",
    "lstrip_blocks": "True",
    "trimmed": "True",
    "silent": "False",
}
EXTRACT = (
    ".venv/bin/pybabel extract -F babel.cfg -o templates/messages.pot --no-location "
    "--sort-output --omit-header ."
)
UPDATE = (
    ".venv/bin/pybabel update -i templates/messages.pot -d templates/locale --no-wrap "
    "--ignore-obsolete --no-fuzzy-matching"
)


@dataclass(frozen=True)
class Use:
    """A fixed string a template asks for, and where."""

    msgid: str
    path: str
    line: int


def template_strings(templates: Path) -> list[Use]:
    """Every fixed string in the templates, where Babel's extraction finds it."""
    uses: list[Use] = []
    for file in sorted(templates.rglob("*")):
        if file.suffix not in (".html", ".txt") or not file.is_file():
            continue
        rel = f"templates/{file.relative_to(templates).as_posix()}"
        try:
            found = _extract(read_input(file, limit=TEXT_LIMIT))
        except Exception:  # a template Jinja cannot parse: its syntax error is reported already
            continue
        for lineno, message in found:
            msgid = message[0] if isinstance(message, tuple | list) else message
            if msgid:
                uses.append(Use(msgid, rel, lineno))
    return uses


def check_catalogs(templates: Path, langs: list[str], findings: Findings) -> None:
    """Each language's .po file reads, passes Babel's checks, and translates every string."""
    uses = template_strings(templates)
    pot = templates / "messages.pot"
    pending: set[str] = set()  # strings not extracted yet: one warning each, not one per language
    if not pot.exists():
        findings.add(
            "templates/messages.pot",
            None,
            "templates/messages.pot is missing",
            hint=f"create it with: {EXTRACT}",
            code="catalog-missing",
        )
    else:
        problems = po_problems(pot, "templates/messages.pot")
        findings.extend(problems)
        if not problems:
            with pot.open("rb") as fp:
                extracted = read_po(fp)
            for use in _first_uses(uses):
                if extracted.get(use.msgid) is None:
                    pending.add(use.msgid)
                    findings.add(
                        use.path,
                        use.line,
                        f"the fixed string '{use.msgid}' is not extracted into "
                        "templates/messages.pot yet",
                        hint=f"run: {EXTRACT} && {UPDATE}; then translate it",
                        code="catalog-not-extracted",
                        severity="warning",
                    )
    for lang in langs:
        path = po_path(templates, lang)
        rel = f"templates/{path.relative_to(templates).as_posix()}"
        try:
            catalog = read_catalog(templates, lang)
        except BriefError as exc:
            findings.extend(exc.findings)
            continue
        for message, errors in catalog.check():
            for error in errors:
                findings.add(
                    rel,
                    message.lineno,
                    f"the {lang} translation of '{_first(message.id)}' does not fit "
                    f"its msgid: {error}",
                    hint="use exactly the placeholders of the msgid, such as "
                    "%(country)s, and the plural forms the language has",
                    code="catalog-check",
                )
        for use in uses:
            status = message_status(catalog.get(use.msgid))
            if status != "ok" and not (status == "absent" and use.msgid in pending):
                findings.extend(
                    [Untranslated(lang, use.msgid, status, use.path, use.line).finding()]
                )


@lru_cache(maxsize=512)
def _extract(source: bytes) -> tuple[tuple[int, str | tuple], ...]:
    """(line, message) of each fixed string of one template's source, as pybabel finds them."""
    found = extract("jinja2", io.BytesIO(source), options=EXTRACT_OPTIONS)
    return tuple((lineno, message) for lineno, message, _comments, _context in found)


def _first(msgid) -> str:
    return msgid[0] if isinstance(msgid, tuple | list) else msgid


def _first_uses(uses: list[Use]) -> list[Use]:
    seen: dict[str, Use] = {}
    for use in uses:
        seen.setdefault(use.msgid, use)
    return list(seen.values())
