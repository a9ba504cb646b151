"""templates/theme.css as WeasyPrint reads it: unknown properties, values it rejects, syntax
errors, blocks never closed and selectors it cannot parse, each at its line. WeasyPrint only
logs and skips such declarations, so without this a typo silently changes the brief."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

import tinycss2
from tinycss2.ast import Node

from generator.errors import Finding, Findings, Severity
from generator.facts.files import InputFileError, read_input
from generator.writers.resources import SIZE_LIMIT

THEME = "theme.css"
BLOCKS = ("{} block", "() block", "[] block", "function")
BRACKETS = {
    "{} block": ("{", "}"),
    "() block": ("(", ")"),
    "[] block": ("[", "]"),
    "function": ("(", ")"),
}


@lru_cache(maxsize=1)
def _weasyprint() -> SimpleNamespace:
    """What WeasyPrint knows of CSS (imported only when a stylesheet is read: it is slow)."""
    from generator.writers.weasy import load

    load()  # as every stage loads it
    import cssselect2  # type: ignore[import-untyped]
    from weasyprint.css import (
        PAGE_MARGIN_BOXES,
        PSEUDO_ELEMENTS,
        media_queries,
        parse_page_selectors,
    )
    from weasyprint.css.properties import KNOWN_PROPERTIES
    from weasyprint.css.tokens import InvalidValues, remove_whitespace
    from weasyprint.css.validation import NOT_PRINT_MEDIA
    from weasyprint.css.validation.descriptors import DESCRIPTORS
    from weasyprint.css.validation.expanders import EXPANDERS
    from weasyprint.css.validation.properties import (
        PREFIX,
        PROPRIETARY,
        UNSTABLE,
        validate_non_shorthand,
    )

    return SimpleNamespace(
        SelectorError=cssselect2.SelectorError,
        compile_selector_list=cssselect2.compile_selector_list,
        PAGE_MARGIN_BOXES=PAGE_MARGIN_BOXES,
        PSEUDO_ELEMENTS=PSEUDO_ELEMENTS,
        parse_media_query=media_queries.parse_media_query,
        parse_page_selectors=parse_page_selectors,
        PROPERTY_NAMES=sorted(KNOWN_PROPERTIES | set(EXPANDERS)),
        InvalidValues=InvalidValues,
        remove_whitespace=remove_whitespace,
        NOT_PRINT_MEDIA=NOT_PRINT_MEDIA,
        DESCRIPTORS=DESCRIPTORS,
        EXPANDERS=EXPANDERS,
        PREFIX=PREFIX,
        PROPRIETARY_OR_UNSTABLE=PROPRIETARY | UNSTABLE,
        validate_non_shorthand=validate_non_shorthand,
    )


class _Sheet:
    """The findings of one stylesheet, each at its line."""

    def __init__(self, rel: str, base_url: str):
        self.rel = rel
        self.base_url = base_url
        self.wp = _weasyprint()
        self.out: list[Finding] = []

    def add(self, line: int | None, message: str, hint: str, code: str, warning=False) -> None:
        severity: Severity = "warning" if warning else "error"
        self.out.append(Finding(self.rel, line, None, severity, code, message, hint))


def _shown(nodes: Iterable[Node] | Node) -> str:
    """CSS as the analyst wrote it, on one line, at most 60 characters."""
    text = " ".join(tinycss2.serialize(nodes if isinstance(nodes, list) else [nodes]).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _did_you_mean(name: str, names: Iterable[str]) -> str:
    near = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
    return f" — did you mean '{near[0]}'?" if near else ""


def _parse_error(sheet: _Sheet, node: Node) -> None:
    sheet.add(
        node.source_line,
        f"CSS syntax error: {node.message.rstrip('.')}; WeasyPrint skips this rule or declaration",
        "write each declaration as 'property: value;' inside a rule's { } (is a ':' or ';' "
        "missing, or a } without its {?)",
        "css-syntax",
    )


def _declaration(sheet: _Sheet, node: Node) -> None:
    """One declaration, decided as WeasyPrint's preprocess_declarations decides it."""
    wp = sheet.wp
    name = node.name if node.name.startswith("--") else node.lower_name
    value = _shown(node.value)
    if name in wp.NOT_PRINT_MEDIA or name.startswith("--"):
        return
    if name.startswith(wp.PREFIX):
        unprefixed = name[len(wp.PREFIX) :]
        if unprefixed not in wp.PROPRIETARY_OR_UNSTABLE:
            sheet.add(
                node.source_line,
                f"WeasyPrint ignores '{node.name}': it takes this property without the prefix",
                f"write '{unprefixed}: {value}'",
                "css-prefix",
                warning=True,
            )
            return
        name = unprefixed
    if name.startswith("-"):  # another engine's prefix: WeasyPrint leaves it to that engine
        return
    tokens = wp.remove_whitespace(node.value)
    validator = wp.EXPANDERS.get(name, wp.validate_non_shorthand)
    try:
        if not tokens:
            raise wp.InvalidValues("no value")
        list(validator(tokens, name, sheet.base_url))
    except wp.InvalidValues as exc:
        reason = exc.args[0] if exc.args and exc.args[0] else "invalid value"
        if reason == "unknown property":
            sheet.add(
                node.source_line,
                f"unknown property '{node.name}'{_did_you_mean(name, wp.PROPERTY_NAMES)}",
                "WeasyPrint skips a declaration it does not know: correct the property's name",
                "css-property",
            )
        elif reason == "property not supported yet":
            sheet.add(
                node.source_line,
                f"WeasyPrint does not support the property '{node.name}': it is ignored",
                "remove the declaration (it has no effect on the PDF)",
                "css-unsupported",
                warning=True,
            )
        else:
            sheet.add(
                node.source_line,
                f"invalid value for '{node.name}': '{value}' ({reason})",
                f"WeasyPrint skips the whole declaration: write a value '{node.name}' accepts",
                "css-value",
            )


def _declarations(sheet: _Sheet, content: list[Node] | None) -> None:
    """The declarations of a rule's block (nested rules checked for their declarations)."""
    for node in tinycss2.parse_blocks_contents(content or []):
        if node.type == "error":
            _parse_error(sheet, node)
        elif node.type == "declaration":
            _declaration(sheet, node)
        elif node.type == "qualified-rule":
            _declarations(sheet, node.content)


def _descriptors(sheet: _Sheet, rule: str, content: list[Node] | None) -> None:
    """The descriptors of an @font-face (or @counter-style…) rule, as WeasyPrint reads them."""
    wp = sheet.wp
    known = wp.DESCRIPTORS[rule]
    for node in tinycss2.parse_blocks_contents(content or []):
        if node.type == "error":
            _parse_error(sheet, node)
        if node.type != "declaration" or node.name in wp.NOT_PRINT_MEDIA:
            continue
        if node.name not in known:
            sheet.add(
                node.source_line,
                f"WeasyPrint ignores the @{rule} descriptor '{node.name}'"
                + _did_you_mean(node.name, known),
                f"@{rule} takes: {', '.join(sorted(known))}",
                "css-descriptor",
                warning=True,
            )
            continue
        function = known[node.name]
        tokens = wp.remove_whitespace(node.value)
        try:
            args = (tokens, sheet.base_url) if function.wants_base_url else (tokens,)
            if function(*args) is None:
                raise wp.InvalidValues
        except wp.InvalidValues as exc:
            reason = exc.args[0] if exc.args and exc.args[0] else "invalid value"
            sheet.add(
                node.source_line,
                f"invalid value for '{node.name}' in @{rule}: '{_shown(node.value)}' ({reason})",
                f"WeasyPrint skips the descriptor: write a value '{node.name}' accepts",
                "css-value",
            )


def _selector(sheet: _Sheet, rule: Node) -> None:
    """A rule's selector, compiled as WeasyPrint compiles it."""
    wp = sheet.wp
    prelude = _shown(rule.prelude)
    try:
        selectors = wp.compile_selector_list(rule.prelude)
        unknown = [
            s.pseudo_element for s in selectors if s.pseudo_element not in wp.PSEUDO_ELEMENTS
        ]
    except wp.SelectorError as exc:
        said = [a for a in exc.args if isinstance(a, str)]
        reason = f" ({': '.join(said)})" if said else ""
    else:
        if not unknown or all(p.startswith("-") for p in unknown):
            return
        reason = f" (unknown pseudo-element ::{unknown[0]})"
    sheet.add(
        rule.source_line,
        f"WeasyPrint cannot parse the selector '{prelude}'{reason}: the whole rule is ignored",
        "correct the selector (e.g. h2, .title-block .office, td.num)",
        "css-selector",
        warning=True,
    )


def _page(sheet: _Sheet, rule: Node) -> None:
    wp = sheet.wp
    if wp.parse_page_selectors(rule) is None:
        sheet.add(
            rule.source_line,
            f"WeasyPrint does not support the page selector '@page {_shown(rule.prelude)}': "
            "the whole @page rule is ignored",
            "use @page, @page NAME, @page :first, :left, :right or :blank",
            "css-page",
            warning=True,
        )
        return
    _declarations(sheet, rule.content)
    for box in tinycss2.parse_blocks_contents(rule.content or []):
        if box.type != "at-rule":
            continue
        if box.lower_at_keyword not in wp.PAGE_MARGIN_BOXES:
            sheet.add(
                box.source_line,
                f"unknown page margin box '@{box.at_keyword}'"
                + _did_you_mean(box.lower_at_keyword, wp.PAGE_MARGIN_BOXES),
                "the boxes are @top-left, @top-center, @top-right, @bottom-center and so on",
                "css-margin-box",
            )
        else:
            _declarations(sheet, box.content)


def _rules(sheet: _Sheet, rules: list[Node]) -> None:
    wp = sheet.wp
    for rule in rules:
        if rule.type == "error":
            _parse_error(sheet, rule)
        elif rule.type == "qualified-rule":
            _selector(sheet, rule)
            _declarations(sheet, rule.content)
        elif rule.type != "at-rule":
            continue
        elif rule.lower_at_keyword == "import":
            continue  # refused by the resource policy, said where the stylesheet is read
        elif rule.lower_at_keyword == "media":
            if wp.parse_media_query(rule.prelude) is None:
                sheet.add(
                    rule.source_line,
                    f"WeasyPrint cannot read the media query '@media {_shown(rule.prelude)}': "
                    "the whole @media rule is ignored",
                    "write e.g. @media print or @media screen",
                    "css-media",
                    warning=True,
                )
            else:
                _rules(sheet, tinycss2.parse_rule_list(rule.content or []))
        elif rule.lower_at_keyword == "page":
            _page(sheet, rule)
        elif rule.lower_at_keyword in wp.DESCRIPTORS:
            _descriptors(sheet, rule.lower_at_keyword, rule.content)
        elif rule.lower_at_keyword != "layer":
            sheet.add(
                rule.source_line,
                f"WeasyPrint does not know the rule '@{rule.at_keyword}': it is ignored",
                "use @page, @media, @font-face or a style rule",
                "css-at-rule",
                warning=True,
            )


def _rule_start(level: list[Node], index: int) -> int:
    """The line where the rule whose block is level[index] starts (its selector or @)."""
    start = index
    while start > 0:
        before = level[start - 1]
        if before.type == "{} block" or (before.type == "literal" and before.value == ";"):
            break
        start -= 1
        if before.type == "at-keyword":
            break
    for node in level[start:index]:
        if node.type not in ("whitespace", "comment"):
            return node.source_line
    return level[index].source_line


def _last_chain(nodes: list[Node]) -> Iterator[tuple[list[Node], Node]]:
    """Each block that ends the stylesheet, from the outermost in, with its level."""
    while nodes and nodes[-1].type in BLOCKS:
        block = nodes[-1]
        yield nodes, block
        nodes = block.arguments if block.type == "function" else block.content


def _trailing_errors(nodes: list[Node]) -> int:
    count = 0
    while count < len(nodes) and nodes[-1 - count].type == "error":
        count += 1
    return count


def _unclosed(sheet: _Sheet, text: str) -> None:
    """Blocks the file ends inside: CSS closes them at its end, so each swallows every rule
    after it. Found by closing them: a } the stylesheet does not need stands alone."""
    nodes = tinycss2.parse_component_value_list(text)
    chain = list(_last_chain(nodes))
    if not chain:
        return
    extra = len(chain) + 1
    closed = tinycss2.parse_component_value_list(text + "\n" + "}" * extra)
    missing = extra - (_trailing_errors(closed) - _trailing_errors(nodes))
    for _level, block in chain[:missing]:
        opener, closer = BRACKETS[block.type]
        if closer != "}":
            sheet.add(
                block.source_line,
                f"the '{opener}' opened here is never closed: every rule after it is lost",
                f"add the missing {closer}",
                "css-unclosed",
            )
            return  # it took the } of the blocks around it
    for level, block in chain[:missing]:
        sheet.add(
            _rule_start(level, level.index(block)),
            "the block opened here is never closed: every rule after it is lost",
            "add the missing }",
            "css-unclosed",
        )


def stylesheet_findings(text: str, rel: str, base_url: str) -> list[Finding]:
    """Every problem WeasyPrint would skip silently in a stylesheet's text, by line."""
    sheet = _Sheet(rel, base_url)
    _unclosed(sheet, text)
    _rules(sheet, tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True))
    return sorted(set(sheet.out), key=Finding.sort_key)


def theme_problems(templates: Path) -> list[Finding]:
    """The problems of templates/theme.css (one that is missing or unreadable is reported
    where the template links it)."""
    path = templates / THEME
    rel = f"templates/{THEME}"
    try:
        text = read_input(path, limit=SIZE_LIMIT, rel=rel).decode("utf-8")
    except (InputFileError, UnicodeDecodeError, OSError):
        return []
    return stylesheet_findings(text, rel, path.resolve().as_uri())


def check_theme(templates: Path, findings: Findings) -> None:
    """`brief check`: every problem of templates/theme.css."""
    findings.extend(theme_problems(templates))
