"""The brief's languages as Babel locales, each with CLDR data of its own.

Babel keeps one shared copy of CLDR data per process and writes resolved aliases back into
it, so after one locale has been used another can show its neighbour's names (python-babel
issue 1234: after ru_KZ, Kazakh stand-alone quarter names come out in Russian). The locales
here read their data straight from Babel's files into a private copy, so nothing another
locale (or other code in the process) resolves can reach them.
"""

from __future__ import annotations

import pickle
from functools import cache

from babel import Locale
from babel.core import get_global
from babel.localedata import LocaleDataDict, merge, resolve_locale_filename


class _OwnDataLocale(Locale):
    """A Babel locale whose CLDR data is a private copy, not the process-wide cache."""

    @property
    def _data(self) -> LocaleDataDict:
        own = self.__dict__.get("_own_data")
        if own is None:
            own = self.__dict__["_own_data"] = LocaleDataDict(_fresh_data(str(self)))
        return own


def babel_locale(name: str) -> Locale:
    """The Babel locale of a name such as kk_KZ (a house style's `locale:`), isolated.

    >>> babel_locale("kk_KZ").territories["TR"]
    'Түркия'
    """
    return _locale(name)


@cache
def _locale(name: str) -> Locale:
    parsed = Locale.parse(name)
    return _OwnDataLocale(
        parsed.language, parsed.territory, parsed.script, parsed.variant, parsed.modifier
    )


def _fresh_data(name: str) -> dict:
    """CLDR data of `name` merged with its parents, read from Babel's files, shared with none."""
    data: dict = {}
    for link in _chain(name):
        with open(resolve_locale_filename(link), "rb") as fileobj:
            merge(data, pickle.load(fileobj))  # Babel's own data files, as Babel reads them
    return data


def _chain(name: str) -> list[str]:
    """root, then each parent down to `name` (kk_KZ → root, kk, kk_KZ), as Babel inherits."""
    names = [name]
    while name != "root":
        parent = get_global("parent_exceptions").get(name)
        if not parent:
            parts = name.split("_")
            parent = "root" if len(parts) == 1 else "_".join(parts[:-1])
        names.append(parent)
        name = parent
    return names[::-1]
