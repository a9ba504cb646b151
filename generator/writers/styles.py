"""The Word styles the DOCX writer uses, by HTML element (read by the writer and by check)."""

# HTML element (and class) → Word paragraph style. Analysts restyle these in reference.docx.
PARAGRAPH_STYLES = {
    "h1": "Title",
    "h2": "Heading 1",
    "h3": "Heading 2",
    "p": "Body Text",
    "p.office": "Office",
    "p.marking": "Marking",
    "p.subtitle": "Subtitle",
    "p.note": "Note",
    "p.attribution": "Attribution",
    "p.drafter": "Note",
    "ul": "List Bullet",
    "ul2": "List Bullet 2",
    "ol": "List Number",
    "ol2": "List Number 2",
    "blockquote": "Quote",
    "aside": "Fact Box",
    "aside.h3": "Fact Box Heading",
    "aside.ul": "Fact Box List",
    "figure": "Figure",
    "figcaption": "Caption",
    "caption": "Caption",
    "th": "Table Heading",
    "td": "Table Text",
    "header": "Header",
    "footer": "Footer",
    "draft": "Draft Mark",
}
CHARACTER_STYLES = {
    "strong": "Strong",
    "b": "Strong",
    "em": "Emphasis",
    "i": "Emphasis",
    "sup.cite": "Citation",
    "a": "Hyperlink",
    "span.fallback": "Fallback Text",
}
TABLE_STYLE = "Brief Table"

# The names Word writes in styles.xml for some built-in styles (python-docx shows the UI name).
WORD_INTERNAL_NAMES = {f"heading {n}": f"Heading {n}" for n in range(1, 10)} | {
    "caption": "Caption",
    "header": "Header",
    "footer": "Footer",
}


def required_styles() -> list[tuple[str, str]]:
    """(name, type) of every style the DOCX writer needs: paragraph, character or table."""
    out = [(name, "paragraph") for name in dict.fromkeys(PARAGRAPH_STYLES.values())]
    out += [(name, "character") for name in dict.fromkeys(CHARACTER_STYLES.values())]
    out.append((TABLE_STYLE, "table"))
    return out
