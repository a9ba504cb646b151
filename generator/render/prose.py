"""The analysts' prose in a brief: the figures and people a text names, filled in.

A fact's text may name a figure of the facts instead of typing it, so the prose and the
tables agree, and a person, so protocol forms are used:

- ``{trade 2021 turnover}`` (or exports, imports): that year's figure, in the house style;
- ``{target ID}``, ``{investment ID}``: the amount of a target or an investment;
- an amount role may follow, e.g. ``{trade 2021 turnover to}`` ("to 4.1 bn USD" as the
  language says it: «4,1 млрд АҚШ долларына»);
- ``{person ID}``: the person's full protocol form on first mention in the brief, the short
  form after (``{person ID full}`` or ``{person ID short}`` to choose).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from generator.errors import BriefError
from generator.facts.model import TRADE_FIGURES, Dossier, Person
from generator.facts.values import PLACEHOLDER, PLACEHOLDER_KINDS, Amount, Text
from generator.l10n.format import Formatter
from generator.l10n.house import AMOUNT_ROLES
from generator.render.wording import did_you_mean

PERSON_FORMS = ("full", "short")


@dataclass
class Mentions:
    """Whom a brief has named so far (protocol: in full once, in short after)."""

    named: set[str]

    def form(self, person: Person, lang_text: Callable[[Text], str], form: str | None) -> str:
        """The person's name in protocol form for this mention."""
        protocol = person.protocol
        if protocol is None:
            chosen = person.name
        elif form == "full" or (form is None and person.id not in self.named):
            chosen = protocol.full
        else:
            chosen = protocol.short
        self.named.add(person.id)
        return str(lang_text(chosen))


class PlaceholderProblem(Exception):
    """A placeholder that names nothing in the facts (with a hint of what would)."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def fill(
    text: Text,
    shown: str | Markup,
    *,
    dossier: Dossier,
    people: dict[str, Person],
    formatter: Formatter,
    mentions: Mentions,
) -> str | Markup:
    """`shown` (one language of `text`) with every placeholder filled in; an unknown one is
    a located error at the text's line."""
    if "{" not in shown:
        return shown
    markup = isinstance(shown, Markup)

    def replace(match: re.Match) -> str:
        try:
            value = _value(match, dossier, people, formatter, mentions)
        except PlaceholderProblem as exc:
            origin = text.origin
            raise BriefError(
                f"{match.group(0)}: {exc.message}",
                origin.path if origin else None,
                origin.line_of(formatter.lang) if origin else None,
                hint=exc.hint,
                code="placeholder",
            ) from None
        return escape(value) if markup else value

    filled = PLACEHOLDER.sub(replace, str(shown))
    return Markup(filled) if markup else filled


def _value(
    match: re.Match,
    dossier: Dossier,
    people: dict[str, Person],
    formatter: Formatter,
    mentions: Mentions,
) -> str:
    kind, args = match.group(1), match.group(2).split()
    if kind not in PLACEHOLDER_KINDS:
        raise PlaceholderProblem(
            f"'{kind}' is not a kind of figure or person a text can name",
            did_you_mean(kind, PLACEHOLDER_KINDS) + "write {trade YEAR turnover}, {target ID}, "
            "{investment ID} or {person ID}",
        )
    if kind == "person":
        return _person(args, people, formatter, mentions)
    amount, rest = _amount(kind, args, dossier)
    role = rest[0] if rest else None
    if role is not None and (role not in AMOUNT_ROLES or len(rest) > 1):
        raise PlaceholderProblem(
            f"'{' '.join(rest)}' is not an amount role",
            "after the figure, one of: " + ", ".join(AMOUNT_ROLES),
        )
    return formatter.amount(amount, role)


def _amount(kind: str, args: list[str], dossier: Dossier) -> tuple[Amount, list[str]]:
    if kind == "trade":
        if len(args) < 2 or not args[0].isdigit() or args[1] not in TRADE_FIGURES:
            raise PlaceholderProblem(
                "a trade figure is named by its year and which figure",
                "write e.g. {trade 2021 turnover} (or exports, imports)",
            )
        row = next((r for r in dossier.trade if r.year == int(args[0])), None)
        value = getattr(row, args[1]) if row else None
        if value is None:
            years = ", ".join(str(r.year) for r in dossier.trade if getattr(r, args[1]))
            raise PlaceholderProblem(
                f"the facts of this brief give no {args[1]} for {args[0]}",
                f"years with a {args[1]}: {years or 'none'} (a figure from a source dated "
                "after the brief is not known on its date)",
            )
        return value, args[2:]
    records = dossier.targets if kind == "target" else dossier.investment
    ids = [r.id for r in records if r.id]
    record = next((r for r in records if args and r.id == args[0]), None)
    if record is None or record.amount is None:
        name = args[0] if args else ""
        raise PlaceholderProblem(
            f"no {kind} with an amount has the id '{name}'",
            did_you_mean(name, ids) + f"ids of {kind}s: {', '.join(ids) or 'none'}",
        )
    return record.amount, args[1:]


def _person(
    args: list[str], people: dict[str, Person], formatter: Formatter, mentions: Mentions
) -> str:
    ident = args[0] if args else ""
    person = people.get(ident)
    if person is None:
        raise PlaceholderProblem(
            f"no person has the id '{ident}' in briefs/people.yaml",
            did_you_mean(ident, list(people)) + "add the person to briefs/people.yaml",
        )
    form = args[1] if len(args) > 1 else None
    if form is not None and (form not in PERSON_FORMS or len(args) > 2):
        raise PlaceholderProblem(
            f"'{' '.join(args[1:])}' is not a protocol form",
            "write {person ID}, {person ID full} or {person ID short}",
        )
    return mentions.form(person, formatter.text, form)
