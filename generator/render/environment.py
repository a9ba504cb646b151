"""The sandboxed Jinja environment of the templates: gettext, the house-style filters, citations."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import StrictUndefined, nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment
from markupsafe import Markup

from generator import cache
from generator.errors import BriefError
from generator.facts.values import Text
from generator.l10n.catalogs import catalog_stamp, load_translations
from generator.l10n.format import Formatter
from generator.render import limits
from generator.render.gettext import install
from generator.render.loader import TemplatesLoader
from generator.render.namespace import exposed
from generator.render.prose import Mentions, fill
from generator.render.wording import did_you_mean

# values whose attributes Jinja's immutable sandbox already limits (no mutation, no internals)
PLAIN_DATA = (str, int, float, Decimal, list, tuple, dict, type(None))

JINJA_OPTIONS: dict[str, Any] = {
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
    mentions: Mentions = field(default_factory=lambda: Mentions(set()))  # people named so far
    notes: list[Text] = field(default_factory=list)  # notes of inferred dates, in order

    def note(self, text: Text) -> int:
        """The number of a note in this brief (set without brackets, unlike a citation's),
        assigned on first use."""
        if text not in self.notes:
            self.notes.append(text)
        return self.notes.index(text) + 1

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
def _text(ctx, value: Text | None) -> str | Markup:
    """A fact's text in the brief's language, with the figures and people it names filled in."""
    state = _state(ctx)
    shown = state.formatter.text(value)
    if value is None or not shown:
        return shown
    return fill(
        value,
        shown,
        dossier=ctx["d"],
        people=ctx["people"],
        formatter=state.formatter,
        mentions=state.mentions,
    )


@pass_context
def _date(ctx, value, role: str = "plain") -> str | Markup:
    """A date in the house style; an inferred one with a note gets the note's number."""
    shown = _state(ctx).formatter.date(value, role)
    mark = _note_mark(ctx, value)
    return Markup("{}{}").format(shown, mark) if mark else shown


@pass_context
def _note_mark(ctx, value) -> Markup:
    """The number of the note of an inferred date, raised and linked to the note ('' if none)."""
    note = getattr(value, "note", None) if getattr(value, "inferred", False) else None
    if note is None:
        return Markup("")
    number = _state(ctx).note(note)
    return Markup('<sup class="cite"><a href="#note-{}">{}</a></sup>').format(number, number)


@pass_context
def _notes(ctx) -> list[tuple[int, Text]]:
    """The notes marked so far, with their numbers."""
    state = _state(ctx)
    return [(state.note(text), text) for text in state.notes]


@pass_context
def _declared_section(ctx, key: str) -> Any:
    """A section declared in templates/sections.yaml (an unknown key is the template's error)."""
    sections = ctx["declared_sections"]
    if key not in sections:
        raise BriefError(
            f"no section '{key}' is declared in templates/sections.yaml",
            hint=did_you_mean(key, sections)
            + "declare it there (key, heading in each language, shape of its items)",
            code="unknown-section",
        )
    return sections[key]


@pass_context
def _mention(ctx, person_id: str, form: str | None = None) -> str:
    """A person as protocol names them: in full on first mention in the brief, short after."""
    state = _state(ctx)
    person = ctx["people"][person_id]
    return state.mentions.form(person, state.formatter.text, form)


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
    """The trade-by-year chart as an SVG data: URI, labelled in the brief's language, with
    the turnover targets the dossier sets."""
    from generator.render.chart import data_uri, trade_svg

    derived = ctx["derived"]
    rows = [r for r in derived.trade if r.turnover or r.exports or r.imports]
    targets = [p.target for p in derived.targets]
    return data_uri(trade_svg(rows, _state(ctx).formatter, labels, targets))


def environment(templates: Path, lang: str) -> SandboxedEnvironment:
    """One sandboxed Environment per templates folder and language (cached; a new one when
    the language's catalog changes)."""
    return _environment(templates, lang, catalog_stamp(templates, lang))


COUNTED = "brief_counted"  # the filter each loop's items pass through


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, measuring every `~` joined text."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.measured(")
        super().visit_Concat(node, frame)
        self.write(")")


class BriefSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, showing templates data and nothing else.

    Of the facts' records and the derived values a template reads the fields and the
    reviewed methods (generator.render.namespace.exposed), never a model's own machinery
    (pydantic's parse_raw or parse_file would run code or read files). Plain values
    (text, numbers, lists, mappings) keep what Jinja's immutable sandbox allows them.
    Every render is bounded (generator.render.limits): loops and calls count as steps,
    texts are measured before they are built, widths and counts are checked before use.
    """

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        return _plain(obj) or attr in exposed(type(obj))

    def getattr(self, obj: Any, attribute: str) -> Any:
        if self._hidden(obj, attribute):
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, str) and self._hidden(obj, argument):
            return self.unsafe_undefined(obj, argument)
        return super().getitem(obj, argument)

    @staticmethod
    def _hidden(obj: Any, attribute: str) -> bool:
        """An attribute a record has but a template may not read, decided without reading it
        (reading some is itself an action); one it lacks is undefined, as for any value."""
        if _plain(obj) or attribute in exposed(type(obj)):
            return False
        return inspect.getattr_static(obj, attribute, _MISSING) is not _MISSING

    # ---- bounds (generator.render.limits) -----------------------------------------------

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})
    concat = staticmethod(limits.joined)  # every block's and the document's output, measured
    measured = staticmethod(limits.text)

    def call_binop(self, context, operator, left, right):
        limits.binop(operator, left, right)
        return limits.text(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        limits.step()
        args, kwargs = limits.method_call(__obj, args, kwargs)
        return limits.text(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any):
        wrapper = super().wrap_str_format(value)
        if wrapper is not None:
            limits.format_spec(value.__self__)
        return wrapper

    def _parse(self, source, name, filename):
        """The template's syntax tree, each loop counting its rounds."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, COUNTED, [], [], None, None, lineno=loop.lineno)
        return tree


_MISSING = object()


_PARSER = jinja2.Environment(**JINJA_OPTIONS)  # the templates' syntax, as the render reads it


@lru_cache(maxsize=1024)
def parse_template(
    source: str, name: str | None = None, filename: str | None = None
) -> nodes.Template:
    """A template's syntax tree as the render reads it (kept per source: `brief check`, the
    build's dependencies and the preview read the same files again and again; never changed)."""
    return _PARSER.parse(source, name, filename)


def _plain(obj: Any) -> bool:
    """Plain data and Jinja's own helpers, whose attributes the immutable sandbox limits."""
    return isinstance(obj, PLAIN_DATA) or type(obj).__module__.startswith(("jinja2.", "markupsafe"))


class _Compiled(jinja2.FileSystemBytecodeCache):
    """The templates compiled to Python code, kept in the cache folder (generator.cache):
    compiled again when a template's source, its name, this code or Jinja changes."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return cache.key("template", name, filename or "")


def _compiled() -> _Compiled | None:
    root = cache.folder()
    if root is None:
        return None
    try:
        (root / "templates").mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    return _Compiled(str(root / "templates"), "%s.jinja")


@lru_cache(maxsize=16)
def _environment(templates: Path, lang: str, stamp: int | None) -> SandboxedEnvironment:
    env = BriefSandbox(
        loader=TemplatesLoader(templates),
        bytecode_cache=_compiled(),
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
    env.globals["mention"] = _mention
    env.globals["declared_section"] = _declared_section
    env.globals["date_notes"] = _notes
    env.globals["note_mark"] = _note_mark
    env.globals["cited_sources"] = _cited_sources
    env.globals["trade_chart"] = _trade_chart
    for name, method in FILTERS.items():
        env.filters[name] = _filter(method)
    env.filters["t"] = _text
    env.filters["date"] = _date
    env.filters = limits.bounded_filters(env.filters)
    env.filters[COUNTED] = limits.counted
    env.globals["lipsum"] = limits.lipsum
    return env
