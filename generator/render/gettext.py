"""Gettext for the templates: newstyle callables over a catalog that record every fixed
string shown without a reviewed translation, and mark it in the brief.

The brief shows such a string in English, marked as such (<span class="fallback" lang="en">).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from contextvars import ContextVar
from types import FrameType

from jinja2 import Environment
from markupsafe import escape

from generator.l10n.catalogs import SOURCE_LANG, Translations, Untranslated

# around a string shown untranslated, until the render marks it up (private-use characters)
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKED = re.compile(f"{_OPEN}(.*?){_CLOSE}", re.S)
_TAG_OR_TITLE = re.compile(r"<title>.*?</title>|<[^>]*>", re.S | re.I)

# the render in progress records its untranslated strings here (one per thread or task)
current_record: ContextVar[Callable[[Untranslated], None] | None] = ContextVar(
    "current_record", default=None
)


def install(env: Environment, translations: Translations) -> None:
    """Give the templates gettext, ngettext, pgettext and npgettext (newstyle) over a catalog."""
    gnu, lang = translations.gnu, translations.lang

    def seen(msgid: str, context: str | None, shown: str) -> str:
        status = translations.status(msgid, context)
        if status == "ok":
            return shown
        path, line = _template_line()
        record = current_record.get()
        if record is not None:
            record(Untranslated(lang, msgid, status, path, line))
        return shown if lang == SOURCE_LANG else f"{_OPEN}{shown}{_CLOSE}"

    def _gettext(message: str) -> str:
        return seen(message, None, gnu.gettext(message))

    def _ngettext(singular: str, plural: str, n: int) -> str:
        return seen(singular, None, gnu.ngettext(singular, plural, n))

    def _pgettext(context: str, message: str) -> str:
        return seen(message, context, gnu.pgettext(context, message))

    def _npgettext(context: str, singular: str, plural: str, n: int) -> str:
        return seen(singular, context, gnu.npgettext(context, singular, plural, n))

    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )


def mark_untranslated(text: str, html: bool = True) -> str:
    """Turn the render's marks into <span class="fallback" lang="en"> (plain inside tags,
    <title> and plain-text templates)."""
    if _OPEN not in text:
        return text
    if not html:
        return text.replace(_OPEN, "").replace(_CLOSE, "")
    text = _TAG_OR_TITLE.sub(lambda m: m.group().replace(_OPEN, "").replace(_CLOSE, ""), text)
    return _MARKED.sub(
        lambda m: f'<span class="fallback" lang="{escape(SOURCE_LANG)}">{m.group(1)}</span>', text
    )


def _template_line() -> tuple[str | None, int | None]:
    """The template file and line being rendered (the innermost template frame)."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None and template.name:
            return f"templates/{template.name}", template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return None, None
