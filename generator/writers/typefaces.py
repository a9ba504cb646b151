"""The shipped font files, by family and face, as their own name tables say (read once)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

# the faces of a family a brief uses (name ID 2, the subfamily)
FACE_NAMES = ("Regular", "Bold", "Italic", "Bold Italic")
# OS/2 fsType, licence bits: 0 installable, 8 editable: both may travel inside an editable
# document; 2 (restricted) and 4 (preview and print) may not
_EMBEDDABLE = {0x0, 0x8}


@dataclass(frozen=True)
class Face:
    """One font file: its family, its face (Regular, Bold, Italic, Bold Italic) and bytes."""

    family: str
    face: str
    path: Path
    embeddable: bool


def families(fonts_dir: Path) -> dict[str, str]:
    """Each font file of a folder (by file name) and its family, as its name table says."""
    return {
        face.path.name: family
        for family, faces in faces(fonts_dir).items()
        for face in faces.values()
    }


def faces(fonts_dir: Path) -> dict[str, dict[str, Face]]:
    """The font files of a folder by family and face, as each font's name table says."""
    return _read_faces(font_files(fonts_dir))


def font_files(fonts_dir: Path) -> tuple[tuple[Path, int, int], ...]:
    """The font files of a folder with their times of change and sizes: what is read of
    them is kept while this stays the same."""
    files = sorted(p for p in fonts_dir.glob("*") if p.suffix.lower() in (".ttf", ".otf"))
    return tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in files)


@functools.lru_cache(maxsize=8)
def _read_faces(stamp: tuple[tuple[Path, int, int], ...]) -> dict[str, dict[str, Face]]:
    """The font files named in `stamp`, read once while none of them changes."""
    shelf: dict[str, dict[str, Face]] = {}
    for path, _, _ in stamp:
        try:
            with TTFont(path, lazy=True) as font:
                family = font["name"].getDebugName(1)
                face = font["name"].getDebugName(2)
                # the shipped Noto fonts have fsType 0: installable, free to embed (OFL)
                embeddable = (font["OS/2"].fsType & 0x000E) in _EMBEDDABLE
        except (TTLibError, KeyError, OSError):
            continue  # not a font: brief check reports the fonts
        if family and face in FACE_NAMES:
            shelf.setdefault(family, {}).setdefault(face, Face(family, face, path, embeddable))
    return shelf
