"""Gettext catalogs for the templates' fixed strings, read straight from the .po files.

A string without a reviewed translation (missing, empty, fuzzy, or not in the catalog yet)
never passes silently: the render records where the template asked for it (see
generator.render.gettext), and `brief check` says the same of every template string.
"""

from __future__ import annotations

import codecs
import gettext
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, unescape

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
    return po_text_problems(text, rel)


def po_text_problems(text: str, rel: str) -> list[Finding]:
    """The problems of a .po file's text: lines Babel would misread, a keyword twice in one
    entry, repeated msgids, and header fields that Babel or gettext cannot use."""
    out: list[Finding] = []
    seen: dict[tuple[str | None, str], int] = {}
    entries: list[dict] = []  # {"context", "msgid", "line", "keywords", "strings"} in file order
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
            elif keyword == "msgstr" and entries:
                entries[-1]["strings"].append((number, value))
            continue
        keyword = m.group(1)
        if keyword == "msgctxt":
            entries.append(_entry(value[1:-1], None, number))
        elif keyword == "msgid":
            if entries and entries[-1]["msgid"] is None:
                entries[-1]["msgid"] = value[1:-1]
            else:
                entries.append(_entry(None, value[1:-1], number))
        elif entries:  # msgid_plural, msgstr, msgstr[n]: once in an entry
            entry = entries[-1]
            if keyword in entry["keywords"]:
                first = entry["keywords"][keyword]
                out.append(
                    Finding(
                        rel,
                        number,
                        None,
                        "error",
                        "catalog-syntax",
                        f"{keyword} appears twice in this entry (first on line {first})",
                        f"keep one {keyword} line for each msgid; a longer text continues "
                        'on the next lines as "..."',
                    )
                )
            else:
                entry["keywords"][keyword] = number
            if keyword == "msgstr":
                entry["strings"] = [(number, value)]
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
    header = next((e for e in entries if e["msgid"] == "" and e["context"] is None), None)
    if header is not None:
        out += header_problems(header_fields(header["strings"]), rel)
    return out


def _entry(context: str | None, msgid: str | None, line: int) -> dict:
    return {"context": context, "msgid": msgid, "line": line, "keywords": {}, "strings": []}


def header_fields(strings: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """(line, name, value) of each 'Name: value' field of a header's msgstr "..." lines.

    >>> header_fields([(5, '""'), (6, '"Language: kk\\n"'), (7, '"Plural-Forms: nplurals=2;"')])
    [(6, 'Language', 'kk'), (7, 'Plural-Forms', 'nplurals=2;')]
    """
    fields = []
    pending, start = "", None
    for line, quoted in strings:
        text = unescape(quoted)
        while text:
            piece, newline, text = text.partition("\n")
            if start is None and piece:
                start = line
            pending += piece
            if newline:
                if pending.strip():
                    fields.append((start or line, pending))
                pending, start = "", None
    if pending.strip():
        fields.append((start or strings[-1][0], pending))
    out = []
    for line, field in fields:
        name, colon, value = field.partition(":")
        if colon:
            out.append((line, name.strip(), value.strip()))
    return out


_DATE_HEADERS = ("pot-creation-date", "po-revision-date")
_OCTAL = re.compile(r"(?<![0-9])0[0-9]+")
MAX_PLURALS = 6  # Arabic has the most: zero, one, two, few, many, other


def header_problems(fields: list[tuple[int, str, str]], rel: str) -> list[Finding]:
    """Header fields Babel cannot read, and plural forms or a charset gettext would misuse."""
    out = []
    for line, name, value in fields:
        key = name.lower()
        problem: tuple[str, str] | None = None
        try:  # Babel's own reading of the field, one field at a time
            Catalog().mime_headers = [(name, value)]
        except Exception as exc:  # noqa: BLE001 - any failure is the file's, not ours
            if key in _DATE_HEADERS:
                problem = (
                    f"the {name} '{value[:40]}' is not a date and time",
                    f"write it as YYYY-MM-DD HH:MM+ZZZZ, e.g. {name}: 2026-11-23 19:10+0000",
                )
            else:
                problem = (
                    f"the header {name} '{value[:40]}' cannot be read: {exc}",
                    "write it as the other catalogs do, or delete the line: pybabel update "
                    "writes it again",
                )
        if problem is None and key == "plural-forms":
            problem = plural_forms_problem(value)
        if problem is None and key == "content-type":
            problem = charset_problem(value)
        if problem is not None:
            out.append(Finding(rel, line, None, "error", "catalog-header", *problem))
    return out


def _params(value: str) -> dict[str, str]:
    params = {}
    for part in value.split(";"):
        name, equals, given = part.partition("=")
        if equals:
            params[name.strip().lower()] = given.strip()
    return params


def plural_forms_problem(value: str) -> tuple[str, str] | None:
    """Why a Plural-Forms value cannot be used (message, hint), or None.

    >>> plural_forms_problem("nplurals=2; plural=(n != 1);") is None
    True
    >>> plural_forms_problem("nplurals=2; plural=(n != 010);")[0]
    "the plural formula writes the number '010' with a leading zero (gettext reads it as octal)"
    """
    hint = (
        "copy the Plural-Forms line of the language from the GNU gettext manual, "
        "e.g. nplurals=2; plural=(n != 1);"
    )
    params = _params(value)
    count = params.get("nplurals", "2")
    if not count.isdigit() or not 1 <= int(count) <= MAX_PLURALS:
        return f"nplurals must be a whole number from 1 to {MAX_PLURALS}, got '{count[:20]}'", hint
    expression = params.get("plural", "(n != 1)")
    octal = _OCTAL.search(expression)
    if octal:
        return (
            f"the plural formula writes the number '{octal.group()}' with a leading zero "
            "(gettext reads it as octal)",
            f"write it without the leading zero: {_decimal(octal.group())}",
        )
    try:
        formula = gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError) as exc:
        return f"the plural formula '{expression[:60]}' cannot be read: {exc}", hint
    for n in (*range(1001), 10**6, 10**9 + 1):
        try:
            form = formula(n)
        except ArithmeticError:
            return f"the plural formula '{expression[:60]}' divides by zero for n = {n}", hint
        if not 0 <= form < int(count):
            return (
                f"the plural formula gives form {form} for n = {n}, but nplurals is {count} "
                f"(forms 0 to {int(count) - 1})",
                hint,
            )
    return None


def _decimal(token: str) -> str:
    """What a number with a leading zero may have meant, in decimal.

    >>> _decimal("010"), _decimal("09")
    ('10 as written, or 8 as gettext reads it', '9')
    """
    written = str(int(token))
    try:
        octal = int(token, 8)
    except ValueError:  # 08, 09: not octal either
        return written
    return (
        written if octal == int(token) else f"{written} as written, or {octal} as gettext reads it"
    )


def charset_problem(value: str) -> tuple[str, str] | None:
    """Why a Content-Type's charset does not fit a .po file read as UTF-8, or None."""
    charset = _params(" ;" + value).get("charset", "").lower()
    if not charset or charset == "charset":
        return None  # gettext's placeholder: Babel reads UTF-8
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        name = ""
    if name == "utf-8":
        return None
    return (
        f"the catalog declares charset={charset[:30]}, but catalogs are read as UTF-8",
        "save the file as UTF-8 and write: Content-Type: text/plain; charset=utf-8",
    )


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
