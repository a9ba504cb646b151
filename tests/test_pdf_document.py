"""The PDF writer gives WeasyPrint the brief's tree as libxml2 reads it (as the document
model is read), not its text to parse again: the tree is the one WeasyPrint's own parser
builds, for every brief the templates make and every element they may use."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from xml.etree import ElementTree

import pytest
from conftest import REPO
from test_writers import EVERY_ELEMENT

from generator.facts.paths import kinds
from generator.facts.project import load_project
from generator.render.brief import render_brief
from generator.writers import pdf
from generator.writers.weasy import HTML, TemplatesOnly, document


def laid_out(element: ElementTree.Element) -> ElementTree.Element:
    """A tree as layout sees it: without comments (the text after one joins the text before
    it), and without white space closing the body (no box is made of it)."""
    out = ElementTree.Element(element.tag, dict(element.attrib))
    out.text, last = element.text, None
    for child in element:
        if not isinstance(child.tag, str):
            if last is None:
                out.text = (out.text or "") + (child.tail or "")
            else:
                last.tail = (last.tail or "") + (child.tail or "")
            continue
        last = laid_out(child)
        last.tail = child.tail
        out.append(last)
    if out.tag == "body" and len(out) and not (out[-1].tail or "").strip():
        out[-1].tail = None
    return out


def difference(ours: ElementTree.Element, theirs: ElementTree.Element, where: str = "") -> str:
    """Where two trees differ ('' when they do not)."""
    here = f"{where}/{theirs.tag}"
    if (ours.tag, dict(ours.attrib)) != (theirs.tag, dict(theirs.attrib)):
        return f"{here}: {ours.tag} {dict(ours.attrib)}"
    if (ours.text or "", ours.tail or "") != (theirs.text or "", theirs.tail or ""):
        return f"{here}: text {ours.text!r}, {ours.tail!r} vs {theirs.text!r}, {theirs.tail!r}"
    if len(ours) != len(theirs):
        return f"{here}: {[c.tag for c in ours]} vs {[c.tag for c in theirs]}"
    for mine, other in zip(ours, theirs, strict=True):
        found = difference(mine, other, here)
        if found:
            return found
    return ""


def assert_same_tree(html: str) -> None:
    base = (REPO / "templates").as_uri() + "/"
    fetcher = TemplatesOnly(REPO / "templates")
    ours = document(html, base, fetcher)
    theirs = HTML(string=html, base_url=base, url_fetcher=fetcher)
    assert ours.base_url == theirs.base_url
    assert difference(laid_out(ours.etree_element), laid_out(theirs.etree_element)) == ""


def test_every_shipped_brief_is_the_tree_weasyprint_reads():
    project = load_project(REPO)
    for pair in sorted(project.dossiers):
        for kind in kinds(project.templates):
            for lang in project.languages:
                for draft in (False, True):
                    brief = render_brief(project, pair, lang=lang, kind=kind,
                                         on=dt.date(2026, 2, 2), draft=draft)  # fmt: skip
                    assert_same_tree(pdf.layout(replace(brief, name="b")).html)


@pytest.mark.parametrize(
    "html",
    [
        EVERY_ELEMENT,
        "<!DOCTYPE html>\n<html><head><title>t</title></head>\n<body>\n<p>a <!-- note --> b</p>"
        "<table><tr><td>1</td></tr><tr><td>2</td></tr></table>\n</body>\n</html>\n",
        "<html><head><base href='sub/'></head><body><p>x</p></body></html>",
    ],
    ids=["every element", "comment and table rows without tbody", "base"],
)
def test_the_vocabulary_is_the_tree_weasyprint_reads(html: str):
    assert_same_tree(html)
