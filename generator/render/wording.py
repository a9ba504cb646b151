"""Jinja's messages said in an analyst's words, shared by `brief check` and the render."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

GENERAL_HINT = (
    "every {% if %} / {% for %} / {% block %} needs its {% end... %}; "
    "{{ }} and {% %} must be closed"
)
OWN_FILTERS = (
    "amount",
    "compact",
    "country",
    "date",
    "join_list",
    "language",
    "number",
    "ordinal",
    "percent",
    "t",
)


def did_you_mean(name: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    """'did you mean 'x'? ' for the nearest candidate, or ''."""
    near = difflib.get_close_matches(name, list(candidates), n=1, cutoff=cutoff)
    return f"did you mean '{near[0]}'? " if near else ""


def filters_hint(name: str, filters: Iterable[str]) -> str:
    """What to write instead of an unknown filter: the nearest and every available one."""
    filters = sorted(filters)
    own = [f for f in OWN_FILTERS if f in filters]
    builtin = [f for f in filters if f not in own]
    return (
        did_you_mean(name, filters)
        + "the brief's filters are: "
        + ", ".join(own)
        + "; Jinja's own: "
        + ", ".join(builtin)
    )


def tests_hint(name: str, tests: Iterable[str]) -> str:
    """What to write instead of an unknown test (the word after 'is')."""
    tests = sorted(tests)
    return did_you_mean(name, tests) + "the tests after 'is' are: " + ", ".join(tests)


def explain_syntax(
    message: str, line_text: str = "", filters: Iterable[str] = (), tests: Iterable[str] = ()
) -> tuple[str, str]:
    """(message, hint) for a Jinja syntax error message."""
    m = re.match(r"No filter named '([^']+)'", message)
    if m:
        return (f"the filter '{m.group(1)}' does not exist", filters_hint(m.group(1), filters))
    m = re.match(r"No test named '([^']+)'", message)
    if m:
        return (f"the test '{m.group(1)}' does not exist", tests_hint(m.group(1), tests))
    m = re.match(
        r"Unexpected end of template\. Jinja was looking for the following tags: "
        r"(.*)\. The innermost block that needs to be closed is '(\w+)'",
        message,
    )
    if m:
        block = m.group(2)
        return (
            f"template syntax error: a {{% {block} %}} is never closed",
            f"add {{% end{block} %}} where the {block} block should end",
        )
    m = re.match(
        r"Encountered unknown tag '(\w+)'\. (?:Jinja was looking for the following "
        r"tags|You probably made a nesting mistake\. Jinja is expecting this tag, but "
        r"currently looking for)(.*)\. The innermost block that needs to be closed is "
        r"'(\w+)'",
        message,
    )
    if m:
        tag, block = m.group(1), m.group(3)
        return (
            f"template syntax error: {{% {tag} %}} found where {{% end{block} %}} was expected",
            f"close the {{% {block} %}} block with {{% end{block} %}} first",
        )
    m = re.match(r"Encountered unknown tag '(\w+)'", message)
    if m:
        tag = m.group(1)
        if tag.startswith("end"):
            return (
                f"template syntax error: {{% {tag} %}} has no {{% {tag[3:]} %}} to close",
                f"remove it, or add the {{% {tag[3:]} ... %}} it belongs to",
            )
        return (
            f"template syntax error: unknown tag {{% {tag} %}}",
            did_you_mean(tag, _TAGS) + "the tags are: " + ", ".join(_TAGS),
        )
    if "{% trans" in line_text and re.match(
        r"expected token 'end of print statement', "
        r"got '[.\[(|]'",
        message,
    ):
        return (
            "template syntax error: inside {% trans %} only plain names may be used in {{ }}",
            "name the value in the tag: {% trans name=fact.title|t %}...{{ name }}..."
            "{% endtrans %}",
        )
    if message.startswith(
        ("unexpected end of template, expected 'end of print", "unexpected '/'", "unexpected '<'")
    ):
        return (
            "template syntax error: a {{ is not closed by }}",
            "close the value with }} before the HTML continues",
        )
    if message == "Missing end of comment tag":
        return (
            "template syntax error: a comment {# is not closed by #}",
            "close the comment with #}",
        )
    if message.startswith("Expected an expression"):
        return (
            "template syntax error: a tag or {{ }} is empty or incomplete",
            "write the fact or the condition inside it, e.g. {{ d.pair }}",
        )
    if message.startswith("unexpected char"):
        return (
            "template syntax error: a quote is not closed",
            'close each text in quotes: {{ _("Summary") }}',
        )
    return (f"template syntax error: {message}", GENERAL_HINT)


_TAGS = (
    "if",
    "elif",
    "else",
    "for",
    "set",
    "include",
    "import",
    "from",
    "extends",
    "block",
    "macro",
    "call",
    "filter",
    "with",
    "trans",
    "pluralize",
    "raw",
)


def class_words(name: str) -> str:
    """A class name in words: 'KeyDate' → 'a key date'."""
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()
    return ("an " if words[:1] in "aeiou" else "a ") + words


def missing_attribute(
    expr: str | None, owner: str, attr: str, fields: Iterable[str]
) -> tuple[str, str]:
    """(message, hint) for a fact or value a template asks for that does not exist."""
    fields = [f for f in fields if not f.startswith("_")]
    what = class_words(owner) if owner != "mapping" else "the mapping"
    message = (
        f"undefined value: '{expr}' does not exist: {what} has no '{attr}'"
        if expr
        else f"undefined value: {what} has no '{attr}'"
    )
    hint = did_you_mean(attr, fields)
    hint += (
        f"{what} has: {', '.join(fields)}" if fields else "check the spelling of the fact's name"
    )
    return message, hint


UNSAFE_HINT = "templates may only read facts and call the documented filters"


def unsafe_attribute(owner: str, attr: str) -> tuple[str, str]:
    """(message, hint) for an attribute a template may not read (the sandbox's own words)."""
    return (
        f"not allowed in a template: access to attribute '{attr}' of '{owner}' object is unsafe.",
        UNSAFE_HINT,
    )
