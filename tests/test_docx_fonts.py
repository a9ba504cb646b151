"""The DOCX carries the brief's own fonts, so Word and LibreOffice lay it out in them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import REPO, built_copy
from fontTools.ttLib import TTFont
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
OBFUSCATED = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FACES = {
    "embedRegular": "Regular",
    "embedBold": "Bold",
    "embedItalic": "Italic",
    "embedBoldItalic": "Bold Italic",
}
ARGS = ("kz-tr", "--lang", "kk", "--kind", "meeting", "--format", "docx")


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> list[Path]:
    """The Kazakh meeting note of Kazakhstan–Türkiye as DOCX, built twice in two projects."""
    base = tmp_path_factory.mktemp("fonts")
    return [next((built_copy(base / str(i), *ARGS) / "out").glob("*.docx")) for i in range(2)]


def _read(path: Path, part: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(part)


def _deobfuscate(data: bytes, key: str) -> bytes:
    secret = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    return bytes(b ^ secret[i % 16] for i, b in enumerate(data[:32])) + data[32:]


def test_docx_embeds_the_shipped_fonts(builds: list[Path]):
    path = builds[0]
    table = etree.fromstring(_read(path, "word/fontTable.xml"))
    rels = etree.fromstring(_read(path, "word/_rels/fontTable.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target")
        for rel in rels.iter(f"{PR}Relationship")
        if rel.get("Type").endswith("/relationships/font")
    }
    types = etree.fromstring(_read(path, "[Content_Types].xml"))
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{CT}Override")}
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.iter(f"{CT}Default")}
    shipped = {p.read_bytes() for p in (REPO / "templates" / "fonts").glob("*.ttf")}
    embedded = {}
    for font in table.iter(f"{W}font"):
        for el in font:
            tag = etree.QName(el).localname
            if tag not in FACES:
                continue
            part = "word/" + targets[el.get(f"{R}id")]
            assert part.endswith(".odttf")
            assert overrides.get("/" + part, defaults.get("odttf")) == OBFUSCATED
            key = el.get(f"{W}fontKey")
            assert key.startswith("{") and len(key.strip("{}").replace("-", "")) == 32
            data = _deobfuscate(_read(path, part), key)
            assert data in shipped  # exactly the shipped file, byte for byte
            names = TTFont(io.BytesIO(data))["name"]
            assert names.getDebugName(1) == font.get(f"{W}name")
            assert names.getDebugName(2) == FACES[tag]
            embedded[font.get(f"{W}name"), FACES[tag]] = part
    families = {"Noto Serif", "Noto Sans"}
    assert set(embedded) == {(f, face) for f in families for face in FACES.values()}
    assert len(set(embedded.values())) == 8
    settings = [
        etree.QName(el).localname for el in etree.fromstring(_read(path, "word/settings.xml"))
    ]
    assert "embedTrueTypeFonts" in settings
    # in the schema's order: after the zoom, before the proofing state
    assert (
        settings.index("zoom") < settings.index("embedTrueTypeFonts") < settings.index("proofState")
    )
    assert docx.Document(str(path)).paragraphs  # python-docx opens it again


def test_two_builds_of_the_docx_are_byte_identical(builds: list[Path]):
    assert builds[0].name == builds[1].name
    assert builds[0].read_bytes() == builds[1].read_bytes()
