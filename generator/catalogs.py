"""Gettext catalogs for the templates' fixed strings, read straight from the .po files."""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from .errors import BriefError

DOMAIN = "messages"


def po_path(templates: Path, lang: str) -> Path:
    """Where the catalog of `lang` lives."""
    return templates / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(templates: Path, lang: str) -> Catalog:
    """Parse the .po file of `lang`; a broken file is a located error."""
    path = po_path(templates, lang)
    rel = path.relative_to(templates.parent).as_posix()
    if not path.exists():
        raise BriefError(f"{rel} is missing: the fixed strings of '{lang}' have no translations",
                         path=rel, hint="create it with: pybabel init -i templates/messages.pot "
                         f"-d templates/locale -l {lang}", code="catalog-missing")
    try:
        with path.open("rb") as fp:
            return read_po(fp, locale=lang, abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", None)
        raise BriefError(f"{rel} cannot be read: {exc}", path=rel, line=line,
                         hint="fix the quoting of msgid/msgstr on that line", code="catalog-syntax"
                         ) from None


@dataclass
class Translations(gettext.NullTranslations):
    """Translations of one language that remember which strings had none."""

    lang: str
    catalog: Catalog
    missing: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        super().__init__()
        buf = io.BytesIO()
        complete = Catalog(locale=self.catalog.locale)
        complete.plural_forms  # noqa: B018 - computed from the locale
        for message in self.catalog:
            if message.id and not message.fuzzy and _translated(message.string):
                complete[message.id] = message
        write_mo(buf, complete)
        buf.seek(0)
        self._inner = gettext.GNUTranslations(buf)

    def gettext(self, message: str) -> str:
        out = self._inner.gettext(message)
        if out is message or (out == message and not self._has(message)):
            self.missing.add(message)
        return out

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        out = self._inner.ngettext(singular, plural, n)
        if not self._has(singular):
            self.missing.add(singular)
        return out

    def pgettext(self, context: str, message: str) -> str:
        return self._inner.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._inner.npgettext(context, singular, plural, n)

    def _has(self, msgid: str) -> bool:
        message = self.catalog.get(msgid)
        return bool(message and not message.fuzzy and _translated(message.string))


def _translated(string) -> bool:
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)
