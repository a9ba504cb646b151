"""Render a brief's HTML from templates in Jinja's sandbox, with gettext and house-style filters."""

from __future__ import annotations

import re
import sys
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import StrictUndefined, pass_context
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup

from .catalogs import current_record, install, load_translations, mark_untranslated, po_path
from .checks.wording import explain_syntax
from .errors import BriefError
from .l10n import Formatter, load_house

JINJA_OPTIONS = {
    # mirrored by babel.cfg: extraction must see the same syntax as rendering
    "extensions": ["jinja2.ext.i18n"],
    "trim_blocks": True,
    "lstrip_blocks": True,
}


@dataclass
class RenderState:
    """What one render collects: citations in order, texts shown in another language."""

    formatter: Formatter
    citations: dict[str, int] = field(default_factory=dict)
    untranslated: list = field(default_factory=list)  # catalogs.Untranslated, in order

    def cite(self, source_id: str) -> int:
        """The number of a source in this brief, assigned on first citation."""
        if source_id not in self.citations:
            self.citations[source_id] = len(self.citations) + 1
        return self.citations[source_id]


def _state(ctx) -> RenderState:
    return ctx["_state"]


def _filter(method: str):
    @pass_context
    def apply(ctx, value, *args, **kwargs):
        return getattr(_state(ctx).formatter, method)(value, *args, **kwargs)

    apply.__name__ = method
    return apply


FILTERS = {
    "t": "text",
    "date": "date",
    "amount": "amount",
    "number": "number",
    "compact": "compact",
    "percent": "percent",
    "ordinal": "ordinal",
    "country": "country",
    "language": "language",
    "join_list": "join",
}


@pass_context
def _cite(ctx, *facts) -> Markup:
    """A citation marker for one or more facts: [1], [1, 3]."""
    state = _state(ctx)
    numbers = sorted({state.cite(f.source) for f in facts if f is not None})
    if not numbers:
        return Markup("")
    links = ", ".join(f'<a href="#src-{n}">{n}</a>' for n in numbers)
    return Markup(f'<sup class="cite">[{links}]</sup>')


@pass_context
def _cited_sources(ctx) -> list[tuple[int, Any]]:
    """The sources cited so far, numbered in order of first citation."""
    state = _state(ctx)
    sources = ctx["sources"]
    return [(n, sources[sid]) for sid, n in sorted(state.citations.items(), key=lambda i: i[1])]


@pass_context
def _trade_chart(ctx, **labels: str) -> str:
    """The trade-by-year chart as an SVG data: URI, labelled in the brief's language."""
    from .chart import data_uri, trade_svg

    rows = [r for r in ctx["derived"].trade if r.turnover or r.exports or r.imports]
    return data_uri(trade_svg(rows, _state(ctx).formatter, labels))


def environment(templates: Path, lang: str) -> SandboxedEnvironment:
    """One sandboxed Environment per templates folder and language (cached; a new one when
    the language's catalog changes)."""
    try:
        stamp = po_path(templates, lang).stat().st_mtime_ns
    except OSError:
        stamp = None
    return _environment(templates, lang, stamp)


class BriefSandbox(SandboxedEnvironment):
    """Jinja's sandbox, also refusing arithmetic that would build huge values.

    `{{ 'x' * 10**9 }}` or `{{ 9 ** 9 ** 9 }}` would otherwise stall a build; no brief
    needs a repeated text longer than MAX_REPEAT or a power above MAX_POWER.
    """

    intercepted_binops = frozenset({"*", "**"})
    MAX_REPEAT = 10_000
    MAX_POWER = 64

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int) and abs(right) > self.MAX_POWER:
            raise SecurityError(f"a power above {self.MAX_POWER} ({left} ** {right})")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(count, int)
                    and count * max(len(seq), 1) > self.MAX_REPEAT
                ):
                    raise SecurityError(
                        f"repeating a text or list {count} times (the limit is "
                        f"{self.MAX_REPEAT} characters or items)"
                    )
        return super().call_binop(context, operator, left, right)


@lru_cache(maxsize=16)
def _environment(templates: Path, lang: str, stamp: int | None) -> SandboxedEnvironment:
    env = BriefSandbox(
        loader=jinja2.FileSystemLoader(str(templates), followlinks=False),
        # HTML is escaped; plain-text templates (*.txt: e-mail subject and body) are not
        autoescape=jinja2.select_autoescape(
            disabled_extensions=("txt",), default=True, default_for_string=True
        ),
        undefined=StrictUndefined,
        **JINJA_OPTIONS,
    )
    env.policies["ext.i18n.trimmed"] = True
    translations = load_translations(templates, lang, stamp)
    install(env, translations)  # newstyle gettext that records untranslated strings
    env.globals["cite"] = _cite
    env.globals["cited_sources"] = _cited_sources
    env.globals["trade_chart"] = _trade_chart
    for name, method in FILTERS.items():
        env.filters[name] = _filter(method)
    env.brief_translations = translations  # type: ignore[attr-defined]
    return env


def render(
    templates: Path, template: str, lang: str, context: dict, *, draft: bool = False
) -> tuple[str, RenderState]:
    """Render `template` in `lang`; template errors become located BriefErrors."""
    templates = templates.resolve()
    env = environment(templates, lang)
    formatter = Formatter(load_house(templates, lang), draft=draft)
    state = RenderState(formatter)
    recording = current_record.set(state.untranslated.append)
    try:
        tmpl = env.get_template(template)
        html = tmpl.render({**context, "_state": state})
    except jinja2.TemplateSyntaxError as exc:
        raise syntax_error(templates, exc) from None
    except jinja2.TemplateNotFound as exc:
        raise BriefError(
            f"the template '{exc.name}' does not exist in templates/",
            path=_where(templates, sys.exc_info()[2])[0] or "templates",
            line=_where(templates, sys.exc_info()[2])[1],
            hint="check the name in {% include %} or {% extends %}",
            code="template-not-found",
        ) from None
    except jinja2.UndefinedError as exc:
        path, line = _where(templates, sys.exc_info()[2])
        message, hint = undefined_message(
            exc.message or str(exc), _source_line(templates, path, line)
        )
        raise BriefError(
            message, path=path, line=line, hint=hint, code="template-undefined"
        ) from None
    except SecurityError as exc:
        path, line = _where(templates, sys.exc_info()[2])
        raise BriefError(
            f"not allowed in a template: {exc}",
            path=path,
            line=line,
            hint="templates may only read facts and call the documented filters",
            code="template-unsafe",
        ) from None
    except BriefError as exc:  # a filter's own message (e.g. an unknown date role): locate it
        if exc.path is None:
            exc.path, exc.line = _where(templates, sys.exc_info()[2])
        raise
    except RecursionError:
        path, line = _where(templates, sys.exc_info()[2])
        raise BriefError(
            "the templates include each other in a loop",
            path=path,
            line=line,
            hint="a template cannot include, import or extend itself, directly or through others",
            code="template-loop",
        ) from None
    except UnicodeDecodeError:
        path = next(
            (
                f"templates/{p.relative_to(templates).as_posix()}"
                for p in sorted(templates.rglob("*.html"))
                if not _utf8(p)
            ),
            None,
        )
        raise BriefError(
            "the template is not UTF-8",
            path=path,
            hint="save the file as UTF-8 (in most editors: Save As → Encoding → UTF-8)",
            code="template-encoding",
        ) from None
    except jinja2.TemplateRuntimeError as exc:
        path, line = _where(templates, sys.exc_info()[2])
        message, hint = explain_syntax(str(exc), "", env.filters, env.tests)
        raise BriefError(message, path=path, line=line, hint=hint, code="template-error") from None
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError, IndexError) as exc:
        path, line = _where(templates, sys.exc_info()[2])
        if path is None:
            raise
        if isinstance(exc, KeyError):
            raise BriefError(
                f"the template failed here: no value is given for {exc}",
                path=path,
                line=line,
                hint='each %(name)s in a _("...") string needs name=... in the same call',
                code="template-error",
            ) from None
        raise BriefError(
            f"the template failed here: {exc}",
            path=path,
            line=line,
            hint="check the filter's arguments and the value it is given",
            code="template-error",
        ) from None
    finally:
        current_record.reset(recording)
    return mark_untranslated(html, html=not template.endswith(".txt")), state


def syntax_error(templates: Path, exc: jinja2.TemplateSyntaxError) -> BriefError:
    """A Jinja syntax error in the analyst's words, with template and line."""
    name = exc.name or (Path(exc.filename).name if exc.filename else "template")
    env = environment(templates.resolve(), "en")
    line_text = _source_line(templates.resolve(), f"templates/{name}", exc.lineno)
    message, hint = explain_syntax(exc.message or "", line_text, env.filters, env.tests)
    return BriefError(
        message, path=f"templates/{name}", line=exc.lineno, hint=hint, code="template-syntax"
    )


def _utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return True


def _source_line(templates: Path, path: str | None, line: int | None) -> str:
    """The text of one line of a template (for messages), or ''."""
    if not path or not line:
        return ""
    try:
        lines = (templates.parent / path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _where(templates: Path, tb) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback."""
    found: tuple[str | None, int | None] = (None, None)
    for frame, lineno in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        try:
            rel = Path(filename).resolve().relative_to(templates)
        except ValueError:
            continue
        found = (f"templates/{rel.as_posix()}", lineno)
    return found


def undefined_message(message: str, line_text: str = "") -> tuple[str, str]:
    """(message, hint) for Jinja's "'x' is undefined" or "'X object' has no attribute 'y'"."""
    from .checks.wording import missing_attribute

    m = re.match(r"'(\w+)' is undefined", message)
    if m:
        return (
            f"undefined value: '{m.group(1)}' is not defined",
            "check the spelling of the fact's name; optional facts need {% if ... %} around them",
        )
    m = re.match(r"'(?:[\w.]*\.)?(\w+) object' has no (?:attribute|element) '?([^']+)'?", message)
    if m:
        owner, attr = m.group(1), m.group(2)
        cls = _record_class(owner)
        expr = re.search(rf"([A-Za-z_][\w.]*(?:\[[^\]]*\][\w.]*)*)\.{re.escape(attr)}\b", line_text)
        if cls is not None:
            from .checks.names import members

            return missing_attribute(expr.group(0) if expr else None, owner, attr, members(cls))
        return missing_attribute(
            expr.group(0) if expr else None, "mapping" if owner == "dict" else owner, attr, []
        )
    return (
        f"undefined value: {message.replace('jinja2.', '')}",
        "check the spelling of the fact's name; optional facts need {% if ... %} around them",
    )


def _record_class(name: str) -> type | None:
    from . import context, facts, values

    for module in (facts, context, values):
        cls = getattr(module, name, None)
        if isinstance(cls, type):
            return cls
    return None
