"""Gettext catalogs for the templates' fixed strings, read straight from the .po files.

A string without a reviewed translation (missing, empty, fuzzy, or not in the catalog yet)
never passes silently: the render records where the template asked for it (see
generator.render.gettext), and `brief check` says the same of every template string.
"""

from __future__ import annotations

import gettext
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from generator.errors import BriefError, Finding, InputErrors
from generator.facts.files import TEXT_LIMIT, InputFileError, read_input

DOMAIN = "messages"
SOURCE_LANG = "en"  # the language of the msgids in the templates


def po_path(templates: Path, lang: str) -> Path:
    """Where the catalog of `lang` lives."""
    return templates / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(templates: Path, lang: str) -> Catalog:
    """Parse the .po file of `lang`; a broken file is a located error."""
    path = po_path(templates, lang)
    rel = path.relative_to(templates.parent).as_posix()
    if not path.exists():
        raise BriefError(
            f"{rel} is missing: the fixed strings of '{lang}' have no translations",
            path=rel,
            hint="create it with: pybabel init -i templates/messages.pot "
            f"-d templates/locale -l {lang}",
            code="catalog-missing",
        )
    problems = po_problems(path, rel)  # Babel's reader lets some broken lines pass unseen
    if problems:
        raise InputErrors(problems)
    try:
        with io.BytesIO(read_input(path, limit=TEXT_LIMIT, rel=rel)) as fp:
            return read_po(fp, locale=lang, abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        raise BriefError(
            f"{rel} cannot be read: {exc}",
            path=rel,
            line=line,
            hint="fix the quoting of msgid/msgstr on that line",
            code="catalog-syntax",
        ) from None


_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)(?:\s+(.*))?$")
_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"$')


def po_problems(path: Path, rel: str) -> list[Finding]:
    """Lines of a .po file that are not msgid/msgstr/"..." or comments, and repeated msgids."""
    try:
        text = read_input(path, limit=TEXT_LIMIT, rel=rel).decode("utf-8")
    except UnicodeDecodeError as exc:
        return [
            Finding(
                rel,
                None,
                None,
                "error",
                "catalog-encoding",
                f"the file is not UTF-8 (byte at position {exc.start})",
                "save the file as UTF-8",
            )
        ]
    except InputFileError as exc:  # not a regular file, too big or unreadable
        return [Finding(rel, None, None, "error", "catalog-syntax", exc.message, exc.hint)]
    out: list[Finding] = []
    seen: dict[tuple[str | None, str], int] = {}
    entries: list[dict] = []  # {"context", "msgid", "line"} in file order
    keyword = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = _KEYWORD.match(line)
        value = (m.group(2) or "") if m else line
        if not _STRING.match(value):
            what = "a text in double quotes" if m else 'msgid, msgstr or a "..." continuation'
            out.append(
                Finding(
                    rel,
                    number,
                    None,
                    "error",
                    "catalog-syntax",
                    f"this line should be {what}: {line[:60]}",
                    "each msgid and msgstr is followed by text in double quotes; "
                    'a quote inside the text is written \\"',
                )
            )
            keyword = None
            continue
        if not m:
            if keyword == "msgid" and entries:
                entries[-1]["msgid"] += value[1:-1]
            continue
        keyword = m.group(1)
        if keyword == "msgctxt":
            entries.append({"context": value[1:-1], "msgid": None, "line": number})
        elif keyword == "msgid":
            if entries and entries[-1]["msgid"] is None:
                entries[-1]["msgid"] = value[1:-1]
            else:
                entries.append({"context": None, "msgid": value[1:-1], "line": number})
    for entry in entries:
        if not entry["msgid"]:
            continue
        key = (entry["context"], entry["msgid"])
        if key in seen:
            out.append(
                Finding(
                    rel,
                    entry["line"],
                    None,
                    "error",
                    "catalog-duplicate",
                    f"the msgid '{entry['msgid']}' appears twice (first on line {seen[key]})",
                    "keep one entry for each msgid",
                )
            )
        else:
            seen[key] = entry["line"]
    return out


@dataclass(frozen=True)
class Untranslated:
    """A fixed string a render showed in English, and where a template asked for it."""

    lang: str
    msgid: str
    status: str  # absent (not in the catalog) | empty | fuzzy
    path: str | None
    line: int | None

    def finding(self) -> Finding:
        """The build's warning about it."""
        po = f"templates/locale/{self.lang}/LC_MESSAGES/{DOMAIN}.po"
        what = {
            "absent": f"the fixed string '{self.msgid}' is not in {po}",
            "empty": f"the fixed string '{self.msgid}' has no {self.lang} translation",
            "fuzzy": f"the {self.lang} translation of '{self.msgid}' is marked fuzzy "
            "(not reviewed)",
        }[self.status]
        hint = {
            "absent": "run the extract and update commands of the README ('Translating the "
            f"templates'), then translate it in {po}",
            "empty": f"write its msgstr in {po}",
            "fuzzy": f"check its msgstr in {po} and delete the '#, fuzzy' line above it",
        }[self.status]
        shown = "" if self.lang == SOURCE_LANG else "; the brief shows it in English, marked"
        return Finding(
            self.path or po, self.line, None, "warning", "untranslated", what + shown, hint
        )


class Translations:
    """The reviewed translations of one language (no fuzzy or empty entries)."""

    def __init__(self, lang: str, catalog: Catalog):
        self.lang = lang
        self.catalog = catalog
        reviewed = Catalog(locale=catalog.locale)
        reviewed.mime_headers = catalog.mime_headers
        for message in catalog:
            if message.id and message_status(message) == "ok":
                reviewed.add(message.id, message.string, context=message.context)
        buf = io.BytesIO()
        write_mo(buf, reviewed)
        buf.seek(0)
        self.gnu = gettext.GNUTranslations(buf)

    def status(self, msgid: str, context: str | None = None) -> str:
        """ok, absent (not in the catalog), empty, or fuzzy."""
        return message_status(self.catalog.get(msgid, context=context))


def message_status(message) -> str:
    """ok, absent (None: not in the catalog), empty, or fuzzy: whether a message is reviewed."""
    """ok, absent (None: not in the catalog), empty, or fuzzy: whether a message is reviewed."""
    if message is None:
        return "absent"
    if message.fuzzy:
        return "fuzzy"
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return "ok" if all(strings) else "empty"


def catalog_stamp(templates: Path, lang: str) -> int | None:
    """When the .po file of `lang` last changed (None: it is missing): the key of the caches."""
    try:
        return po_path(templates, lang).stat().st_mtime_ns
    except OSError:
        return None


def translations(templates: Path, lang: str) -> Translations:
    """The reviewed translations of `lang`, read again when its .po file has changed."""
    return load_translations(templates, lang, catalog_stamp(templates, lang))


@lru_cache(maxsize=16)
def load_translations(templates: Path, lang: str, stamp: int | None = None) -> Translations:
    """The translations of `lang` (cached until the .po file changes: pass its mtime)."""
    return Translations(lang, read_catalog(templates, lang))
