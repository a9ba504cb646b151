"""Render a template to text in Jinja's sandbox; every template error becomes a located
BriefError in the analyst's words."""

from __future__ import annotations

import re
import sys
import traceback
from pathlib import Path

import jinja2
from jinja2.sandbox import SecurityError

from generator.errors import BriefError
from generator.facts.values import DEFAULT_LANGUAGES
from generator.l10n.format import Formatter
from generator.l10n.house import load_house
from generator.render import limits
from generator.render.environment import RenderState, environment
from generator.render.gettext import current_record, mark_untranslated
from generator.render.namespace import members
from generator.render.wording import UNSAFE_HINT, explain_syntax, missing_attribute


def render(
    templates: Path,
    template: str,
    lang: str,
    context: dict,
    *,
    draft: bool = False,
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
) -> tuple[str, RenderState]:
    """Render `template` in `lang`; template errors become located BriefErrors."""
    templates = templates.resolve()
    env = environment(templates, lang)
    formatter = Formatter(load_house(templates, lang), draft=draft, languages=languages)
    state = RenderState(formatter)
    recording = current_record.set(state.untranslated.append)
    budget = limits.start()
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
    except limits.RenderLimit as exc:
        path, line = _where(templates, sys.exc_info()[2])
        raise BriefError(
            f"the template goes past a limit: {exc}",
            path=path,
            line=line,
            hint="a brief needs far less; look for a loop, a width or a repeated text that "
            "grows without end",
            code="template-limit",
        ) from None
    except SecurityError as exc:
        path, line = _where(templates, sys.exc_info()[2])
        raise BriefError(
            f"not allowed in a template: {exc}",
            path=path,
            line=line,
            hint=UNSAFE_HINT,
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
            hint="a template cannot include, import or extend itself, directly or through "
            "others, and a macro or a recursive loop cannot call itself without end",
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
        limits.stop(budget)
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
            return missing_attribute(expr.group(0) if expr else None, owner, attr, members(cls))
        return missing_attribute(
            expr.group(0) if expr else None, "mapping" if owner == "dict" else owner, attr, []
        )
    return (
        f"undefined value: {message.replace('jinja2.', '')}",
        "check the spelling of the fact's name; optional facts need {% if ... %} around them",
    )


def _record_class(name: str) -> type | None:
    from generator.facts import model, values
    from generator.render import context

    for module in (model, context, values):
        cls = getattr(module, name, None)
        if isinstance(cls, type):
            return cls
    return None
