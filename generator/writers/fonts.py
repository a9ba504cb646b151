"""The brief's own fonts embedded in its DOCX, so Word and LibreOffice lay it out as the PDF."""

from __future__ import annotations

import functools
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from lxml import etree

from generator.writers.package import Deflated, deflate
from generator.writers.typefaces import FACE_NAMES, Face, faces

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# a face's subfamily (name ID 2) → its element in <w:font>, in the schema's order
FACES = {face: f"embed{face.replace(' ', '')}" for face in FACE_NAMES}
_EMBEDS = {qn(f"w:{tag}") for tag in FACES.values()}
_NAMES = ("ascii", "hAnsi", "cs", "eastAsia")
# what precedes <w:embedTrueTypeFonts> in <w:settings>, in the schema's order
_BEFORE_EMBED = {
    qn(f"w:{tag}")
    for tag in (
        "writeProtection",
        "view",
        "zoom",
        "removePersonalInformation",
        "removeDateAndTime",
        "doNotDisplayPageBoundaries",
        "displayBackgroundShape",
        "printPostScriptOverText",
        "printFractionalCharacterWidth",
        "printFormsData",
    )
}
_FONT_CACHE = 32  # font files kept obfuscated and deflated: a few families of four faces
_FONT_TABLE_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<w:fonts xmlns:w="' + W_NS.encode() + b'" xmlns:r="' + R_NS.encode() + b'"/>'
)


def embed_fonts(document, fonts_dir: Path) -> None:
    """Embed every face of each font family the document names that fonts_dir holds."""
    shelf = faces(fonts_dir)
    used = sorted(_families(document) & set(shelf))
    if not used:
        return  # a family without a file is skipped: brief check reports the fonts
    table_part = _font_table_part(document)
    table = _element(table_part)
    package = document.part.package
    for family in used:
        font = _font_element(table, family, shelf[family])
        for old in [el for el in font if el.tag in _EMBEDS]:
            table_part.rels.pop(old.get(qn("r:id")), None)
            font.remove(old)
        for name, tag in FACES.items():
            face = shelf[family].get(name)
            if face is None or not face.embeddable:
                continue
            packed = packed_font(face.path)
            partname = package.next_partname("/word/fonts/font%d.odttf")
            part = FontPart(PackURI(partname), package, packed)
            embed = etree.SubElement(font, qn(f"w:{tag}"))
            embed.set(qn("r:id"), table_part.relate_to(part, RT.FONT))
            embed.set(qn("w:fontKey"), packed.key)
    if not isinstance(table_part, XmlPart):
        table_part._blob = etree.tostring(
            table, xml_declaration=True, encoding="UTF-8", standalone=True
        )
    settings = document.settings.element
    if settings.find(qn("w:embedTrueTypeFonts")) is None:
        before = [i for i, el in enumerate(settings) if el.tag in _BEFORE_EMBED]
        settings.insert(before[-1] + 1 if before else 0, etree.Element(qn("w:embedTrueTypeFonts")))


@dataclass(frozen=True)
class PackedFont:
    """A font file as every DOCX embeds it: its key, obfuscated bytes, and those deflated."""

    key: str
    obfuscated: bytes
    deflated: Deflated


class FontPart(Part):
    """An embedded font's part, whose bytes are already deflated for the zip."""

    def __init__(self, partname: PackURI, package, packed: PackedFont) -> None:
        super().__init__(partname, OBFUSCATED_FONT, packed.obfuscated, package)
        self.deflated = packed.deflated


def packed_font(path: Path) -> PackedFont:
    """A font file obfuscated and deflated, worked out once while its time of change and size
    stay the same: each document of a batch embeds the same bytes."""
    stat = path.stat()
    return _packed_font(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=_FONT_CACHE)
def _packed_font(path: Path, mtime_ns: int, size: int) -> PackedFont:
    """The font file at `path` as it was at this time of change and size."""
    data = path.read_bytes()
    key = font_key(data)
    obfuscated = obfuscate(data, key)
    return PackedFont(key, obfuscated, deflate(obfuscated))


def font_key(data: bytes) -> str:
    """The GUID that obfuscates a font, taken from the font's bytes so the DOCX is reproducible.

    >>> font_key(b"")
    '{E3B0C442-98FC-1C14-9AFB-F4C8996FB924}'
    """
    guid = uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])
    return "{" + str(guid).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """A font as Word embeds it (ECMA-376 Part 1, 17.8.1): its first 32 bytes XOR the key's
    16 bytes, read from the GUID's hex digits last to first; the same call undoes it.

    >>> obfuscate(obfuscate(b"font" * 10, font_key(b"x")), font_key(b"x")) == b"font" * 10
    True
    """
    digits = key.strip("{}").replace("-", "")
    secret = bytes.fromhex(digits)[::-1]
    head = bytes(b ^ secret[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def _families(document) -> set[str]:
    """The font families the document's styles, numbering and text name in w:rFonts."""
    names: set[str] = set()
    for part in document.part.package.iter_parts():
        if not isinstance(part, XmlPart):
            continue
        for fonts in part.element.iter(qn("w:rFonts")):
            names.update(v for a in _NAMES if (v := fonts.get(qn(f"w:{a}"))))
    return names


def _font_table_part(document) -> Part:
    """The document's font table part, created when the reference document has none."""
    main = document.part
    for rel in main.rels.values():
        if rel.reltype == RT.FONT_TABLE and not rel.is_external:
            return rel.target_part
    part = Part(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, _FONT_TABLE_XML, main.package)
    main.relate_to(part, RT.FONT_TABLE)
    return part


def _element(part: Part):
    """The <w:fonts> root of the font table, parsed once when python-docx keeps it as bytes."""
    if isinstance(part, XmlPart):
        return part.element
    return etree.fromstring(part.blob)


def _font_element(table, family: str, faces: dict[str, Face]):
    """The family's <w:font>, added with its panose, family kind and coverage when missing."""
    for font in table.iter(qn("w:font")):
        if font.get(qn("w:name")) == family:
            return font
    font = etree.SubElement(table, qn("w:font"))
    font.set(qn("w:name"), family)
    face = faces.get("Regular") or next(iter(faces.values()))
    with TTFont(face.path, lazy=True) as ttf:
        os2 = ttf["OS/2"]
        p = os2.panose
        panose = [
            p.bFamilyType,
            p.bSerifStyle,
            p.bWeight,
            p.bProportion,
            p.bContrast,
            p.bStrokeVariation,
            p.bArmStyle,
            p.bLetterForm,
            p.bMidline,
            p.bXHeight,
        ]
        sig = {
            "usb0": os2.ulUnicodeRange1,
            "usb1": os2.ulUnicodeRange2,
            "usb2": os2.ulUnicodeRange3,
            "usb3": os2.ulUnicodeRange4,
            "csb0": getattr(os2, "ulCodePageRange1", 0),
            "csb1": getattr(os2, "ulCodePageRange2", 0),
        }
    kind = "auto"
    if p.bFamilyType == 2:  # Latin text: serif styles 11–13 are the sans serifs
        kind = "swiss" if 11 <= p.bSerifStyle <= 13 else "roman"
    etree.SubElement(font, qn("w:panose1")).set(qn("w:val"), bytes(panose).hex().upper())
    etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "00")
    etree.SubElement(font, qn("w:family")).set(qn("w:val"), kind)
    etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "variable")
    el = etree.SubElement(font, qn("w:sig"))
    for attr, value in sig.items():
        el.set(qn(f"w:{attr}"), f"{value:08X}")
    return font
