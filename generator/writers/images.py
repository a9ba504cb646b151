"""Images every writer can show: PNG, JPEG and GIF whose header reads, and SVG read without
entities or the network, self-contained (no declarations in its DOCTYPE, no references
outside itself)."""

from __future__ import annotations

import io
import math
import re
import struct
import sys
import zlib
from collections.abc import Iterator

from lxml import etree

from generator.writers.resources import Resource, css_references, data_resource, refused, shown

MAX_PIXELS = 50_000_000  # of a PNG, JPEG or GIF
MAX_SVG_SIZE = 100_000  # the largest width, height or viewBox number of an SVG
IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/svg+xml": "SVG"}
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]*)", re.I)
_XML_ENCODING = re.compile(r"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)")
_UNIT = re.compile(r"(px|pt|pc|mm|cm|in|em|ex|%)$", re.I)
_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[", re.I)  # a DOCTYPE with declarations of its own
RASTER_MAX = 4000  # pixels of the longer side of an SVG rasterised for Word
_UNITS = {"px": 1, "pt": 4 / 3, "pc": 16, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96, "em": 16}
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*(px|pt|pc|mm|cm|in|em)?\s*$", re.I)


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "image/svg+xml"
    return None


def image_type(resource: Resource, what: str = "image", depth: int = 0) -> str:
    """The media type of an image every writer can show (PNG, JPEG, GIF, SVG), or a
    BriefError saying why the image cannot be used."""
    kinds = ", ".join(IMAGE_TYPES.values())
    declared = "image/jpeg" if resource.media_type == "image/jpg" else resource.media_type
    if resource.path is None and declared not in IMAGE_TYPES:
        raise refused(
            f"the {what} is a data: URI of type '{resource.media_type[:40]}', not an image "
            f"type briefs can show ({kinds})",
            code="image-type",
            hint="convert the image to PNG, JPEG, GIF or SVG and embed it as "
            "data:image/png;base64,... (or data:image/svg+xml;base64,...)",
        )
    found = _sniff(resource.data)
    if found is None or (resource.path is None and found != declared):
        said = IMAGE_TYPES.get(declared, "image") if resource.path is None else "image"
        raise refused(
            f"the {what} is not a {said} file that briefs can show ({kinds})",
            code="image-type",
            hint="save the image again as PNG, JPEG, GIF or SVG",
        )
    if found == "image/svg+xml":
        check_svg(resource.data, what, depth)
    else:
        _check_raster(resource.data, IMAGE_TYPES[found], what)
    return found


def _check_raster(data: bytes, kind: str, what: str) -> None:
    from docx.image.image import Image  # the DOCX writer reads the same header

    try:
        image = Image.from_blob(data)
        pixels = image.px_width * image.px_height
    except Exception:  # any malformed header: the analyst's file, not our bug
        raise refused(
            f"the {what} cannot be read as {kind}: the file is damaged or cut short",
            code="image-type",
            hint="save the image again from an image editor",
        ) from None
    if pixels > MAX_PIXELS:
        raise refused(
            f"the {what} has {pixels:,} pixels, over the limit of {MAX_PIXELS:,}",
            code="resource-size",
            hint="scale the image down",
        )


_SVG_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


def check_svg(data: bytes, what: str = "image", depth: int = 0) -> etree._Element:
    """Parse an SVG image without entities or the network; entity declarations, references
    outside the image itself and malformed XML are BriefErrors."""
    try:  # UTF-8 only: declarations cannot hide in another encoding
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        text = None
    declared = _XML_ENCODING.match(text or "")
    if text is None or (declared and declared.group(1).lower() not in ("utf-8", "utf8")):
        raise refused(
            f"the {what} is an SVG that is not written in UTF-8",
            code="image-svg",
            hint="save the SVG again as UTF-8",
        )
    if _SUBSET.search(text):  # looked for before parsing: the parser would read them
        raise refused(
            f"the {what} is an SVG with declarations (<!ENTITY …>, <!ATTLIST …>) in its <!DOCTYPE>",
            code="image-svg-entity",
            hint="remove the [ … ] part of the SVG's <!DOCTYPE>: briefs do not read entities "
            "or other declarations",
        )
    try:
        root = etree.fromstring(data, _SVG_PARSER)
    except etree.XMLSyntaxError as exc:
        raise refused(
            f"the {what} is not a well-formed SVG image: {exc.msg}",
            code="image-svg",
            hint="save the image again as SVG from a drawing program",
        ) from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise refused(
            f"the {what} is XML but not an SVG image (its root is <{etree.QName(root).localname}>)",
            code="image-type",
            hint="save the image again as SVG (root element <svg xmlns="
            '"http://www.w3.org/2000/svg">)',
        )
    for attr in ("width", "height", "viewBox"):
        if not _sizes_drawable(root.get(attr) or ""):
            raise refused(
                f"the {what} is an SVG whose {attr} '{shown(root.get(attr) or '')}' is not a "
                "size it can be drawn at",
                code="image-svg",
                hint=f"give the SVG a width and height in pixels up to {MAX_SVG_SIZE:,}, e.g. "
                'width="600" height="300"',
            )
    for node in (*root.itersiblings(preceding=True), *root.iter()):
        if isinstance(node, etree._ProcessingInstruction):
            raise refused(
                f"the {what} is an SVG with a processing instruction <?{node.target} …?>",
                code="image-svg",
                hint="remove it: an SVG image in a brief is self-contained",
            )
        if not isinstance(node.tag, str):
            continue
        for name, value in node.attrib.items():
            for reference in _svg_references(name, value):
                _svg_reference(reference, what, depth)
        if etree.QName(node).localname == "style" and node.text:
            for found in css_references(node.text):
                _svg_reference(found.reference, what, depth)
    return root


def _sizes_drawable(value: str) -> bool:
    """Whether every number of a width, height or viewBox is finite and at most MAX_SVG_SIZE.

    >>> [_sizes_drawable(v) for v in ("600", "10cm", "0 0 640 480", "1e400", "nan", "inf%")]
    [True, True, True, False, False, False]
    """
    for token in re.split(r"[\s,]+", value.strip()):
        number = _UNIT.sub("", token)
        try:
            size = float(number)
        except ValueError:
            continue  # not a number: the drawing program's default size
        if not math.isfinite(size) or abs(size) > MAX_SVG_SIZE:
            return False
    return True


def _svg_references(name: str, value: str) -> Iterator[str]:
    if name in ("href", XLINK_HREF):
        yield value.strip()
    yield from (m.group(1).strip() for m in _CSS_URL.finditer(value))


def _svg_reference(reference: str | None, what: str, depth: int) -> None:
    if reference is not None and (not reference or reference.startswith("#")):
        return  # a part of the image itself
    if reference is not None and reference.lower().startswith("data:") and depth < 3:
        image_type(data_resource(reference, f"image inside the {what}"), what, depth + 1)
        return
    raise refused(
        f"the {what} is an SVG that refers to "
        + (f"'{shown(reference)}'" if reference is not None else "another stylesheet (@import)"),
        code="resource",
        hint="an SVG image in a brief is self-contained: embed what it shows, or draw it",
    )


# ---- PNG from a cairo image --------------------------------------------------------------

_PARTLY_CLEAR = bytes([0] + [1] * 254 + [0])  # an alpha byte → 1 if neither clear nor opaque
# colour ÷ alpha for each alpha, rounded as cairo's PNG writer does (the premultiplied
# colour of a pixel with alpha 0 is 0, of one with alpha 255 itself)
_UNPREMULTIPLY = [bytes(256)] + [
    bytes(min(255, (c * 255 + a // 2) // a) for c in range(256)) for a in range(1, 256)
]


def png_from_argb(data: bytes, width: int, height: int) -> bytes:
    """A PNG (8-bit RGBA) of a cairo ARGB32 image on a little-endian machine: each pixel's
    B, G, R, A bytes, colours premultiplied by alpha. The pixels are those cairo's own PNG
    writer gives; deflated at zlib's fastest level without row filters, which is about twice
    as fast for a chart's flat colours, and a little larger.

    >>> png = png_from_argb(bytes([0, 0, 128, 128, 0, 0, 0, 0]), 2, 1)
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n" and zlib.decompress(png[41:-16])
    b'\\x00\\xff\\x00\\x00\\x80\\x00\\x00\\x00\\x00'
    """
    rgba = bytearray(data)
    rgba[0::4], rgba[2::4] = data[2::4], data[0::4]
    partly_clear = data[3::4].translate(_PARTLY_CLEAR)
    i = partly_clear.find(1)
    while i >= 0:  # the few pixels of antialiased edges
        j = 4 * i
        table = _UNPREMULTIPLY[rgba[j + 3]]
        rgba[j], rgba[j + 1], rgba[j + 2] = table[rgba[j]], table[rgba[j + 1]], table[rgba[j + 2]]
        i = partly_clear.find(1, i + 1)
    row = width * 4
    raw = b"".join([b"\0" + rgba[y * row : (y + 1) * row] for y in range(height)])
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(raw, 1))
        + _png_chunk(b"IEND", b"")
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def load() -> None:
    """Import cairosvg before the first figure is drawn (on import, cairocffi reads cairo's
    C declarations: about a third of a second)."""
    import cairosvg.surface  # noqa: F401


def rasterise(svg: bytes, width: int, height: int) -> bytes:
    """An SVG drawn by cairosvg at a size in pixels, as PNG (the same pixels as its svg2png,
    encoded faster on the usual little-endian machine)."""
    import cairosvg
    from cairosvg.parser import Tree
    from cairosvg.surface import PNGSurface

    if sys.byteorder != "little":
        return cairosvg.svg2png(bytestring=svg, output_width=width, output_height=height)
    drawn = PNGSurface(Tree(bytestring=svg), None, 96, output_width=width, output_height=height)
    image = drawn.cairo
    image.flush()
    if image.get_stride() != image.get_width() * 4:  # rows padded: cairo writes the PNG
        out = io.BytesIO()
        image.write_to_png(out)
        return out.getvalue()
    return png_from_argb(bytes(image.get_data()), image.get_width(), image.get_height())


def svg_size(root) -> tuple[float, float]:
    """The width and height of an SVG image in CSS pixels (from width/height, else viewBox;
    100 when neither says, as cairosvg assumes)."""
    box = (root.get("viewBox") or "").replace(",", " ").split()
    sizes = []
    for i, attr in enumerate(("width", "height")):
        m = _LENGTH.match(root.get(attr) or "")
        size = 100.0
        try:
            if m:
                size = float(m.group(1)) * _UNITS[(m.group(2) or "px").lower()]
            elif len(box) == 4:
                size = abs(float(box[2 + i]))
        except ValueError:
            pass
        sizes.append(size if math.isfinite(size) and size > 0 else 100.0)
    return sizes[0], sizes[1]
