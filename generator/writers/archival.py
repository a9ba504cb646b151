"""PDF/A-3 and PDF/UA-1 in one file: the finishing touches WeasyPrint leaves to its caller."""

from __future__ import annotations

import functools
import io
from typing import Any

import pydyf
from fontTools.ttLib import TTFont

from generator.writers.weasy import get_hb_object_data

# The PDF/A level every brief declares: 3a (tagged, Unicode, logical structure), checked on
# every shipped brief by tests/test_pdf_archival.py.
PDFA_PART = 3
PDFA_CONFORMANCE = "A"
PDFUA_PART = 1

# PDF/A allows only the XMP schemas it predefines; pdfuaid is described in an extension
# schema block (ISO 19005-3, 6.6.2.3; ISO 14289-1, 5).
_PDFUA_DECLARATION = f"""\
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\
<pdfuaid:part>{PDFUA_PART}</pdfuaid:part></rdf:Description>\
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" \
xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">\
<pdfaProperty:name>part</pdfaProperty:name>\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>Indicates which part of ISO 14289 the file conforms to\
</pdfaProperty:description>\
</rdf:li></rdf:Seq></pdfaSchema:property>\
</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>""".encode()

_XMP_HEADER = b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
_XMP_HEADER += b'<x:xmpmeta xmlns:x="adobe:ns:meta/">'
_XMP_FOOTER = b'</x:xmpmeta>\n<?xpacket end="r"?>'


def xmp_packet(metadata: Any) -> bytes:
    """The XMP packet of a brief: WeasyPrint's description of the document (title, dates,
    producer) with the PDF/A and PDF/UA identification and the schema PDF/A needs for it."""
    rdf = metadata.generate_rdf_metadata("a", PDFA_PART, PDFA_CONFORMANCE)
    rdf = rdf.replace(b"</rdf:RDF>", _PDFUA_DECLARATION + b"</rdf:RDF>")
    return b"\n".join((_XMP_HEADER, rdf, _XMP_FOOTER))


def _clean_data(base: Any) -> property:
    """The `data` property `base`, with CR LF before `endstream` after data ending in CR."""

    def data(self: pydyf.Stream) -> bytes:
        data: bytes = base.fget(self)
        if data.endswith(b"\r\nendstream"):
            return data[: -len(b"\nendstream")] + b"\r\nendstream"
        return data

    return property(data)


_CLEAN_ENDING: dict[Any, type] = {}


def _clean_ending(cls: Any) -> type:
    """The stream class `cls` whose data, when it happens to end in a carriage return, is
    followed by CR LF before `endstream`, so that its /Length is unambiguous (ISO 19005-3,
    6.1.7.1: the bytes before the end-of-line marker that precedes `endstream`)."""
    if cls not in _CLEAN_ENDING:
        namespace = {"data": _clean_data(cls.data), "__module__": __name__}
        _CLEAN_ENDING[cls] = type(cls.__name__, (cls,), namespace)
    return _CLEAN_ENDING[cls]


def _end_cleanly(object_: Any) -> None:
    """Let a stream object end cleanly (see _clean_ending) wherever it comes from."""
    cls = type(object_)
    if isinstance(object_, pydyf.Stream) and cls.__module__ != __name__:
        object_.__class__ = _clean_ending(cls)


class _ArchivalPDF(pydyf.PDF):
    """pydyf's document, with the streams it adds while writing (object and cross-reference
    streams) ending cleanly too."""

    def add_object(self, object_: Any) -> None:
        _end_cleanly(object_)
        super().add_object(object_)


def _header_scopes(document: Any) -> None:
    """/Scope on every table header cell, from its `scope` attribute (Column unless 'row')."""
    for page in document.pages:
        for box in page._page_box.descendants():
            if box.element_tag == "th" and isinstance(getattr(box, "mark", None), dict):
                scope = "/Row" if box.element.get("scope") == "row" else "/Column"
                box.mark["A"]["Scope"] = scope


def _number(reference: bytes) -> int:
    return int(reference.split()[0])


def _running_heads_as_artifacts(pdf: pydyf.PDF) -> None:
    """Mark the page margins' text (running header, page numbers) as pagination artifacts.

    WeasyPrint tags it but leaves its structure elements out of the tree; PDF/UA wants
    such content marked as an artifact (ISO 14289-1, 7.8), out of the parent tree too."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    root = pdf.objects[_number(pdf.catalog["StructTreeRoot"])]
    document = pdf.objects[_number(root["K"][0])]
    in_tree = set(document["K"])
    outside: set[bytes] = set()
    marked: dict[bytes, set[int]] = {}
    for object_ in pdf.objects:
        if not isinstance(object_, pydyf.Dictionary) or object_.get("Type") != "/StructElem":
            continue
        parent = object_.get("P")
        if (parent == document.reference and object_.reference not in in_tree) or (
            parent in outside
        ):
            outside.add(object_.reference)
            kids = object_["K"]
            marked.setdefault(object_["Pg"], set()).update(k for k in kids if isinstance(k, int))
    if not outside:
        return
    parent_tree = pdf.objects[_number(root["ParentTree"])]["Nums"]
    for page_index, page in enumerate(pdf.page_references):
        mcids = marked.get(page)
        if not mcids:
            continue
        content = pdf.objects[_number(pdf.objects[_number(page)]["Contents"])].stream
        entries = parent_tree[2 * page_index + 1]
        for i, item in enumerate(content):
            if isinstance(item, dict) and item.get("MCID") in mcids and i:
                entries[item["MCID"]] = b"null"
                content[i - 1] = "/Artifact"
                content[i] = pydyf.Dictionary({"Type": "/Pagination"})


@functools.lru_cache(maxsize=16)
def _ligatures(font_file: bytes, index: int) -> dict[int, str]:
    """Glyph id → the text it stands for, for every ligature glyph of a font (its GSUB)."""
    ttfont = TTFont(io.BytesIO(font_file), fontNumber=index, lazy=True)
    if "GSUB" not in ttfont:
        return {}
    letters: dict[str, str] = {}
    for code, glyph_name in sorted(ttfont.getBestCmap().items()):
        letters.setdefault(glyph_name, chr(code))
    texts: dict[int, str] = {}
    for lookup in ttfont["GSUB"].table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            subtable = getattr(subtable, "ExtSubTable", subtable)
            for first, ligatures in getattr(subtable, "ligatures", {}).items():
                for ligature in ligatures:
                    names = (first, *ligature.Component)
                    if all(name in letters for name in names):
                        glyph = ttfont.getGlyphID(ligature.LigGlyph)
                        texts.setdefault(glyph, "".join(letters[name] for name in names))
    return texts


def _ligatures_keep_their_text(document: Any, pdf: pydyf.PDF) -> None:
    """Map ligature glyphs to their letters where WeasyPrint mapped them to nothing.

    A ligature across a soft hyphen (of|fi|cial: 'ffi') shares its cluster with the hidden
    hyphen, and WeasyPrint then writes an empty ToUnicode entry: the word would read
    'ocial' to a screen reader or in a search (ISO 14289-1, 7.21.7)."""
    empty = {
        font.name: glyphs
        for font in document.fonts.values()
        if (glyphs := sorted(g for g, text in font.to_unicode.items() if not text))
    }
    if not empty:
        return
    fonts = {font.name: font for font in document.fonts.values()}
    for object_ in pdf.objects:
        if not isinstance(object_, pydyf.Dictionary) or object_.get("BaseFont") not in empty:
            continue
        if object_.get("Type") != "/Font" or "ToUnicode" not in object_:
            continue
        font = fonts[object_["BaseFont"]]
        texts = _ligatures(get_hb_object_data(font.hb_face), font.index)
        lines = pdf.objects[_number(object_["ToUnicode"])].stream
        for glyph in empty[object_["BaseFont"]]:
            if glyph in texts:
                entry = f"<{glyph:04x}> <>".encode()
                if entry in lines:
                    text = texts[glyph].encode("utf-16-be").hex()
                    lines[lines.index(entry)] = f"<{glyph:04x}> <{text}>".encode()


def finish(document: Any, pdf: pydyf.PDF) -> None:
    """Make WeasyPrint's tagged PDF/A-3 a PDF/A-3 + PDF/UA-1 file, before it is written."""
    stream = pdf.objects[_number(pdf.catalog["Metadata"])]
    stream.stream = [xmp_packet(document.metadata)]
    stream.compress = False  # PDF/A: the metadata stays readable without decoding
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    _header_scopes(document)
    _running_heads_as_artifacts(pdf)
    _ligatures_keep_their_text(document, pdf)
    for object_ in pdf.objects:
        _end_cleanly(object_)
    pdf.__class__ = _ArchivalPDF
