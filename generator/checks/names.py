"""What each name in a template holds: facts and derived values, followed through the template."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jinja2 import nodes

from generator.errors import Finding
from generator.render.namespace import ListOf, MapOf, Method, attribute, is_record, members
from generator.render.wording import missing_attribute, unsafe_attribute


def expression(node: nodes.Node) -> str | None:
    """The template expression of a name path, e.g. 'd.key_dates[0].date'."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = expression(node.node)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        base = expression(node.node)
        return f"{base}[{node.arg.value!r}]" if base else None
    return None


_SAME_LIST = {"list", "selectattr", "rejectattr", "sort", "unique", "reverse", "batch"}
_ONE_ITEM = {"first", "last", "random"}
_OPTIONAL = {"default", "d", "defined", "undefined"}


class Walker:
    """Follows the kinds of names through one template and reports fields that do not exist."""

    def __init__(self, path: str, roots: dict[str, Any]):
        self.path = path
        self.roots = roots
        self.findings: list[Finding] = []
        self.optional = 0

    def run(self, template: nodes.Template) -> list[Finding]:
        self.body(template.body, {})
        return self.findings

    def body(self, items: list[nodes.Node], scope: dict[str, Any]) -> None:
        for node in items:
            self.statement(node, scope)

    def statement(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            kind = self.kind(node.iter, scope)
            inner = dict(scope)
            for name in _targets(node.target):
                inner[name] = None
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = kind.item if isinstance(kind, ListOf) else None
            inner["loop"] = None
            if node.test is not None:
                self.kind(node.test, inner)
            self.body(node.body, inner)
            self.body(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            kind = self.kind(node.node, scope)
            for name in _targets(node.target):
                scope[name] = kind if isinstance(node.target, nodes.Name) else None
        elif isinstance(node, nodes.AssignBlock):
            self.body(node.body, scope)
            for name in _targets(node.target):
                scope[name] = None
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope)
            for arg in node.args:
                inner[arg.name] = None
            for default in node.defaults:
                self.kind(default, scope)
            inner.update(caller=None, varargs=None, kwargs=None)
            if isinstance(node, nodes.CallBlock):
                self.kind(node.call, scope)
            self.body(node.body, inner)
            if isinstance(node, nodes.Macro):
                scope[node.name] = None
        elif isinstance(node, nodes.Import):
            scope[node.target] = None
        elif isinstance(node, nodes.FromImport):
            for imported in node.names:
                scope[imported if isinstance(imported, str) else imported[1]] = None
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=False):
                for name in _targets(target):
                    inner[name] = (
                        self.kind(value, scope) if isinstance(target, nodes.Name) else None
                    )
            self.body(node.body, inner)
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.kind(child, scope)
                else:
                    self.statement(child, scope)

    def kind(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        """The kind of an expression's value (None when unknown); reports missing fields."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            return self.roots.get(node.name)
        if isinstance(node, nodes.Getattr):
            base = self.kind(node.node, scope)
            return self.member(node, base, node.attr)
        if isinstance(node, nodes.Getitem):
            base = self.kind(node.node, scope)
            self.kind(node.arg, scope)
            if isinstance(base, ListOf) and not isinstance(node.arg, nodes.Slice):
                return base.item
            if isinstance(base, ListOf):
                return base
            if isinstance(base, MapOf):
                return base.value
            if (
                is_record(base)
                and isinstance(node.arg, nodes.Const)
                and isinstance(node.arg.value, str)
            ):
                return self.member(node, base, node.arg.value)
            return None
        if isinstance(node, nodes.Filter | nodes.Test) and node.name in _OPTIONAL:
            self.optional += 1  # `x.y|default(...)` and `x.y is defined` may be missing
            try:
                base = self.kind(node.node, scope) if node.node is not None else None
            finally:
                self.optional -= 1
            if isinstance(node, nodes.Filter):
                self.arguments(node, scope)
            return base if node.name in ("default", "d") else None
        if isinstance(node, nodes.Filter):
            base = self.kind(node.node, scope) if node.node is not None else None
            self.arguments(node, scope)
            if node.name in _SAME_LIST and isinstance(base, ListOf):
                return base
            if node.name in _ONE_ITEM and isinstance(base, ListOf):
                return base.item
            return None
        if isinstance(node, nodes.Call):
            base = self.kind(node.node, scope)
            self.arguments(node, scope)
            return base.result if isinstance(base, Method) else None
        if isinstance(node, nodes.CondExpr):
            self.kind(node.test, scope)
            first = self.kind(node.expr1, scope)
            second = self.kind(node.expr2, scope) if node.expr2 is not None else None
            return first if first == second else None
        for child in node.iter_child_nodes():
            self.kind(child, scope)
        return None

    def arguments(
        self, node: nodes.Filter | nodes.Test | nodes.Call, scope: dict[str, Any]
    ) -> None:
        for arg in node.args:
            self.kind(arg, scope)
        for keyword in node.kwargs:
            self.kind(keyword.value, scope)
        for extra in (node.dyn_args, node.dyn_kwargs):
            if extra is not None:
                self.kind(extra, scope)

    def member(self, node: nodes.Node, base: Any, attr: str) -> Any:
        if isinstance(base, MapOf) and attr in dir(dict):
            return Method(base.value) if attr == "get" else None
        if not is_record(base):
            return None
        exists, kind = attribute(base, attr)
        if not exists and hasattr(base, attr):  # machinery, not data: the sandbox refuses it
            message, hint = unsafe_attribute(base.__name__, attr)
            self.findings.append(
                Finding(self.path, node.lineno, None, "error", "template-unsafe", message, hint)
            )
        elif not exists and not self.optional:
            message, hint = missing_attribute(expression(node), base.__name__, attr, members(base))
            self.findings.append(
                Finding(self.path, node.lineno, None, "error", "template-undefined", message, hint)
            )
        return kind


def _targets(node: nodes.Node) -> Iterator[str]:
    if isinstance(node, nodes.Name):
        yield node.name
    elif isinstance(node, nodes.Tuple):
        for item in node.items:
            yield from _targets(item)
    elif isinstance(node, nodes.NSRef):
        return
