"""The DOCX package: its parts zipped with fixed dates, so that the same brief gives the same
bytes, and parts that are the same in every document (the embedded fonts, the reference's
styles) deflated once a process."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from generator.errors import BriefError


@dataclass(frozen=True)
class Deflated:
    """Bytes as a ZIP member carries them: raw deflate, with the original's CRC-32 and size."""

    data: bytes
    crc: int
    size: int


def deflate(data: bytes) -> Deflated:
    """Deflate bytes as zipfile does for a ZIP member (zlib's default level, no header).

    >>> zlib.decompress(deflate(b"font" * 10).data, -15) == b"font" * 10
    True
    """
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Deflated(compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


class ZipWriter:
    """A DOCX's ZIP container, byte for byte as zipfile writes it with fixed dates (the same
    headers, deflated at zlib's default level), that also takes a member already deflated.

    The embedded fonts are the same bytes in every document, so they are deflated once per
    process (generator/writers/fonts.py); zipfile has no way to take deflated data, hence
    this small writer of the container (zipfile stays the reader): local headers, data, the
    central directory and its end, all without ZIP64 (a brief's DOCX is far below its
    2 GiB limit).
    """

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.offset = 0
        self.directory: list[bytes] = []

    def add(self, name: str, data: bytes | Deflated) -> None:
        """One member, deflated here unless it already is."""
        packed = data if isinstance(data, Deflated) else deflate(data)
        if packed.size * 1.05 > _ZIP_LIMIT or self.offset > _ZIP_LIMIT:
            raise BriefError(
                "the DOCX would be larger than 2 GB",
                hint="use smaller images in the brief's templates",
                code="docx-size",
            )
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        sizes = (packed.crc, len(packed.data), packed.size, len(encoded))  # extra field: none
        local = (b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, 0, _DOS_DATE, *sizes, 0)
        self.chunks += [_LOCAL.pack(*local), encoded, packed.data]
        # no extra field, comment or disk number; internal attributes 0
        central = (b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, flags, _DEFLATED, 0, _DOS_DATE)
        tail = (0, 0, 0, 0, _PERMISSIONS, self.offset)
        self.directory.append(_CENTRAL.pack(*central, *sizes, *tail) + encoded)
        self.offset += _LOCAL.size + len(encoded) + len(packed.data)

    def getvalue(self) -> bytes:
        """The whole file: members, central directory, end of central directory."""
        directory = b"".join(self.directory)
        count = len(self.directory)
        end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), self.offset, 0)
        return b"".join(self.chunks) + directory + end


# ZIP records as zipfile packs them (APPNOTE 4.3.7, 4.3.12, 4.3.16)
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # 2.0: deflate
_UNIX = 3  # the system that made the file, as zipfile says on Linux and macOS
_DEFLATED = 8
_DOS_DATE = 1 << 5 | 1  # 1980-01-01, 00:00: the same file from the same brief
_PERMISSIONS = 0o600 << 16
_UTF8_NAME = 0x800
_ZIP_LIMIT = (1 << 31) - 1


def package_bytes(document) -> bytes:
    """The DOCX file of a python-docx document, reproducibly: its parts in the order and
    form python-docx's own save writes them, with fixed dates (python-docx stamps the time)."""
    from docx.opc.pkgwriter import _ContentTypesItem

    package = document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    zip_ = ZipWriter()
    zip_.add("[Content_Types].xml", _ContentTypesItem.from_parts(parts).blob)
    zip_.add("_rels/.rels", package.rels.xml)
    for part in parts:
        # a part shared by the documents of a process (styles, fonts) is deflated already
        zip_.add(part.partname.membername, getattr(part, "deflated", None) or part.blob)
        if len(part.rels):
            zip_.add(part.partname.rels_uri.membername, part.rels.xml)
    return zip_.getvalue()


def reproducible_zip(data: bytes) -> bytes:
    """Re-zip a saved DOCX with fixed dates so the same file gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    zip_ = ZipWriter()
    for info in src.infolist():
        zip_.add(info.filename, src.read(info.filename))
    return zip_.getvalue()
