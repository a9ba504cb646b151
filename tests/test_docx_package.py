"""The DOCX package: its zip as zipfile writes it, fonts worked out once but never stale,
the same brief giving the same bytes within one process."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
import zlib
from pathlib import Path

from conftest import REPO
from test_writers import EVERY_ELEMENT

from generator.render.brief import RenderedBrief
from generator.render.document import parse
from generator.writers import docx as docx_writer
from generator.writers import writer
from generator.writers.fonts import font_key, obfuscate, packed_font
from generator.writers.package import ZipWriter, deflate

MEMBERS = {
    "[Content_Types].xml": b"<Types/>" * 50,
    "word/document.xml": "<w:document>Қазақстан–Түркия</w:document>".encode() * 40,
    "word/media/ıçğ.png": bytes(range(256)) * 7,  # a name outside ASCII
    "empty.bin": b"",
}


def _zipfile_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
    return out.getvalue()


def test_the_container_is_the_one_zipfile_writes():
    ours = ZipWriter()
    for i, (name, data) in enumerate(MEMBERS.items()):
        ours.add(name, deflate(data) if i % 2 else data)  # deflated beforehand or here
    assert ours.getvalue() == _zipfile_bytes(MEMBERS)
    with zipfile.ZipFile(io.BytesIO(ours.getvalue())) as archive:
        assert archive.testzip() is None
        assert {n: archive.read(n) for n in archive.namelist()} == MEMBERS


def test_a_changed_font_file_is_packed_again(tmp_path: Path):
    font = tmp_path / "Face.ttf"
    shutil.copy(next((REPO / "templates" / "fonts").glob("*.ttf")), font)
    first = packed_font(font)
    assert packed_font(font) is first  # worked out once while the file stays the same
    data = font.read_bytes()
    font.write_bytes(data[:-4] + b"\0\0\0\1")
    os.utime(font, ns=(font.stat().st_atime_ns, font.stat().st_mtime_ns + 1_000_000))
    second = packed_font(font)
    assert second is not first
    assert second.key == font_key(font.read_bytes())
    assert obfuscate(second.obfuscated, second.key) == font.read_bytes()
    assert zlib.decompress(second.deflated.data, -15) == second.obfuscated


def _brief(templates: Path) -> RenderedBrief:
    return RenderedBrief(
        parse(EVERY_ELEMENT), templates, (("en", "en-GB"), ("ru", "ru-RU")), (), "v"
    )


def test_the_same_brief_gives_the_same_bytes_in_one_process():
    brief = _brief(REPO / "templates")
    first = writer("docx").write(brief)
    assert writer("docx").write(brief) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.testzip() is None


def test_fonts_changed_between_two_documents_are_the_new_ones(tmp_path: Path):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    before = writer("docx").write(_brief(templates))
    regular = next(p for p in (templates / "fonts").glob("*.ttf") if "Regular" in p.name)
    changed = regular.read_bytes() + b"\0\0\0\0"  # padding after the last table: still a font
    regular.write_bytes(changed)
    os.utime(regular, ns=(regular.stat().st_atime_ns, regular.stat().st_mtime_ns + 1_000_000))
    after = writer("docx").write(_brief(templates))
    assert after != before
    with zipfile.ZipFile(io.BytesIO(after)) as archive:
        fonts = [archive.read(n) for n in archive.namelist() if n.endswith(".odttf")]
    assert any(obfuscate(f, font_key(changed)) == changed for f in fonts)


def test_the_chart_has_the_pixels_cairo_writes():
    import cairocffi
    import cairosvg

    from generator.writers.images import rasterise

    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="20">'
        b'<rect x="0.5" y="2.3" width="40.4" height="9" fill="#1f3a5f" fill-opacity="0.6"/>'
        b'<text x="2" y="18" font-size="11" fill="#222">Trade 4,1</text></svg>'
    )

    def pixels(png: bytes) -> bytes:
        image = cairocffi.ImageSurface.create_from_png(io.BytesIO(png))
        return bytes(image.get_data())

    ours = rasterise(svg, 128, 40)
    theirs = cairosvg.svg2png(bytestring=svg, output_width=128, output_height=40)
    assert ours.startswith(b"\x89PNG") and pixels(ours) == pixels(theirs)
    assert rasterise(svg, 128, 40) == ours


def _variant(lang: str, kind: str) -> RenderedBrief:
    """The sample brief in another language and kind (another page, another spelling)."""
    html = EVERY_ELEMENT.replace('<html lang="en">', f'<html lang="{lang}">').replace(
        '<meta name="brief:marking"',
        f'<meta name="brief:kind" content="{kind}"><meta name="brief:marking"',
    )
    tags = (("en", "en-GB"), ("ru", "ru-RU"), ("kk", "kk-KZ"))
    return RenderedBrief(parse(html), REPO / "templates", tags, (), "v")


def test_what_documents_share_never_carries_one_brief_into_another():
    docx_writer._prepared.cache_clear()
    docx_writer._read_reference.cache_clear()
    briefs = [_variant("kk", "background"), _variant("ru", "meeting"), _variant("en", "meeting")]
    alone = []
    for brief in briefs:  # each as the first document of a process
        docx_writer._prepared.cache_clear()
        docx_writer._read_reference.cache_clear()
        alone.append(writer("docx").write(brief))
    mixed = [writer("docx").write(brief) for brief in briefs + briefs[::-1]]
    assert mixed == alone + alone[::-1]
    with zipfile.ZipFile(io.BytesIO(alone[0])) as kk, zipfile.ZipFile(io.BytesIO(alone[1])) as ru:
        assert b'w:val="kk-KZ"' in kk.read("word/styles.xml")
        assert b'w:val="ru-RU"' in ru.read("word/styles.xml")
        assert kk.read("word/styles.xml") != ru.read("word/styles.xml")
