"""Emoji drawn whole: a picture from a colour emoji font, or one outline glyph.

ReportLab can embed only TrueType outlines, and colour emoji fonts are bitmaps (CBDT,
sbix) or layered outlines (COLR). So Pillow draws each emoji sequence from the colour
font, once per process, and the page places the picture inline where the text would be.
A sequence is drawn only when the font turns it into a single glyph (HarfBuzz says
so): a skin-toned teacher is one picture, never a woman, a square and a school.
"""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path

import uharfbuzz as hb
from PIL import Image, ImageDraw, ImageFont, features

# Pillow draws a bitmap font only at one of its strike sizes: Noto Color Emoji has 109,
# Apple's has several; scalable colour fonts accept any.
_STRIKES = (109, 96, 128, 136, 160, 64, 48)
_lock = threading.Lock()


@functools.lru_cache(maxsize=32)
def _hb_font(path: Path) -> hb.Font:
    return hb.Font(hb.Face(hb.Blob.from_file_path(os.fspath(path)), 0))


def one_glyph(path: Path, cluster: str) -> bool:
    """Whether the font draws the whole sequence as one glyph it has."""
    buffer = hb.Buffer()
    buffer.add_str(cluster)
    buffer.guess_segment_properties()
    with _lock:
        hb.shape(_hb_font(path), buffer, {})
    glyphs = [info.codepoint for info in buffer.glyph_infos]
    # Joiners and selectors the font lacks come back as zero-width copies of a space or
    # as glyph 0 after a real glyph; only the visible ones count.
    positions = buffer.glyph_positions
    drawn = [g for g, pos in zip(glyphs, positions, strict=True) if pos.x_advance > 0]
    return len(drawn) == 1 and drawn[0] != 0


@functools.lru_cache(maxsize=8)
def _pil_font(path: Path) -> ImageFont.FreeTypeFont | None:
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    for size in _STRIKES:
        try:
            return ImageFont.truetype(os.fspath(path), size, layout_engine=engine)
        except OSError:
            continue
    return None


@functools.lru_cache(maxsize=2048)
def picture(path: Path, cluster: str) -> Image.Image | None:
    """The emoji as an RGBA picture cropped to its ink, or None if this font or this
    Pillow cannot draw it whole (Pillow without libraqm cannot join ZWJ sequences)."""
    if not one_glyph(path, cluster):
        return None
    font = _pil_font(path)
    if font is None:
        return None
    if len(cluster) > 1 and not features.check("raqm") and len(cluster.rstrip("\ufe0f")) > 1:
        return None
    with _lock:
        left, top, right, bottom = (int(v) for v in font.getbbox(cluster))
        if right <= left or bottom <= top:
            return None
        size = max(right - left, bottom - top)
        image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        # Centred in a square, so every emoji sits on the line the same way.
        x = (size - (right - left)) // 2 - left
        y = (size - (bottom - top)) // 2 - top
        draw.text((x, y), cluster, font=font, embedded_color=True)
    if image.getbbox() is None:
        return None
    return image
