"""Exhibit images as PDF image objects, from the bytes that were hashed wherever PDF can
carry them.

A PDF image may be compressed the way a PNG is (zlib with PNG row filters, read back
with ``/Predictor 15``) or the way a JPEG is (``DCTDecode``), so a PNG's IDAT data and a
whole JPEG go into the pack as they are: nothing is decoded or compressed again, which
is both the fast way and the better evidence. What PDF cannot carry is re-encoded, and
:attr:`PdfImage.how` says so:

- interlaced PNGs: PNG predictors work row by row and cannot undo Adam7, so the image
  is decoded and written again without interlacing;
- PNGs with an alpha channel (grey + alpha, RGBA), or a palette with partly clear
  entries: the picture is flattened on white for the page and written again, while the
  original, transparency and all, stays in the bundle. (A soft mask would keep the
  alpha in the PDF, but the colour would still have to be separated from it and
  written again, and the page would then depend on each viewer's blending; flattened,
  it shows the same everywhere. An alpha that is opaque everywhere, as in many
  screenshots, changes nothing.)
- anything else (a slice of a tall capture, other formats) comes here as pixels.

Single-colour transparency (tRNS in a grey or RGB PNG, or one run of fully clear
palette entries) becomes a colour-key ``/Mask``, with no decoding at all. EXIF orientation is
not applied to the pixels: :func:`orientation_matrix` gives the transform that draws
the stored picture upright.

This module knows nothing of ReportLab; :mod:`.images` writes these objects into pages.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass, replace
from typing import Literal

from PIL import Image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ColourSpace = Literal["DeviceRGB", "DeviceGray", "DeviceCMYK"]
# Pillow's PNG writer at this level: 1080p screenshots in ~25 ms, within a few per cent
# of level 6, which takes three times as long.
REENCODE_LEVEL = 3


@dataclass(frozen=True)
class PdfImage:
    """An image XObject: its dictionary's values and its (already compressed) data."""

    width: int
    height: int
    colour_space: ColourSpace
    bits: int
    filter: Literal["FlateDecode", "DCTDecode"]
    data: bytes
    how: str
    """"passed through", or why the pixels were written again."""
    palette: bytes | None = None
    """RGB triples: the colour space is then ``[/Indexed colour_space n palette]``."""
    predictor_colours: int | None = None
    """Components per pixel for ``/DecodeParms /Predictor 15``; None: no predictor."""
    colour_key: tuple[int, ...] | None = None
    """``/Mask`` ranges (min, max per component, or per palette index range)."""
    decode: tuple[int, ...] | None = None
    min_version: tuple[int, int] = (1, 4)
    soft_mask: PdfImage | None = None
    """Its alpha, as a grey image (``/SMask``): only for what is drawn over colours
    other than white (an emoji in a shaded table row); exhibits are flattened."""


@dataclass(frozen=True)
class _Png:
    width: int
    height: int
    depth: int
    colour_type: int
    interlaced: bool
    palette: bytes | None
    transparency: bytes | None
    idat: bytes


def _read_png(data: bytes) -> _Png | None:
    """The chunks a PDF needs, or None for anything but a well-formed PNG."""
    if not data.startswith(PNG_SIGNATURE):
        return None
    pos, header = 8, None
    idat: list[memoryview] = []  # views: the pixels are copied once, when joined
    palette = transparency = None
    view = memoryview(data)
    while pos + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        body = view[pos + 8:pos + 8 + length]
        if len(body) != length:
            return None
        if kind == b"IHDR" and length == 13:
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = bytes(body)
        elif kind == b"tRNS":
            transparency = bytes(body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None or not idat:
        return None
    width, height, depth, colour_type, compression, filtering, interlace = header
    allowed = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
    if (depth not in allowed.get(colour_type, ()) or compression or filtering
            or interlace not in (0, 1) or not width or not height):
        return None
    if colour_type == 3 and (palette is None or not palette or len(palette) % 3
                             or len(palette) > 3 * (1 << depth)):
        return None
    joined = b"".join(idat)
    # The whole file's hash was checked when it was stored and read; checking that the
    # stream starts as zlib does keeps a mislabelled file from reaching a PDF viewer.
    if len(joined) < 2 or (joined[0] * 256 + joined[1]) % 31 or joined[0] & 0x0F != 8:
        return None
    return _Png(width, height, depth, colour_type, interlace == 1, palette, transparency,
                joined)


def _index_range(alphas: bytes) -> tuple[int, ...] | None:
    """Palette transparency as a colour-key range (PDF allows one for an Indexed image),
    if the clear entries are one run and every other entry is opaque; () if none is
    clear; None when the transparency cannot be said so."""
    if any(a not in (0, 255) for a in alphas):
        return None
    clear = [index for index, alpha in enumerate(alphas) if not alpha]
    if not clear:
        return ()
    if clear[-1] - clear[0] + 1 != len(clear):
        return None
    return (clear[0], clear[-1])


def from_png(data: bytes) -> PdfImage | None:
    """The PNG's own compressed pixels as an image, or None when they cannot be used as
    they are (interlaced, an alpha channel, not a PNG); then decode and use
    :func:`from_pixels`."""
    png = _read_png(data)
    if png is None or png.interlaced or png.colour_type in (4, 6):
        return None
    colours = 3 if png.colour_type == 2 else 1
    space: ColourSpace = "DeviceRGB" if png.colour_type == 2 else "DeviceGray"
    key: tuple[int, ...] | None = None
    trns = png.transparency
    if png.colour_type == 3:
        space = "DeviceRGB"
        if trns:
            key = _index_range(trns)
            if key is None:
                return None  # partly clear, or clear in places: flattened on white
            key = key or None
    elif trns and len(trns) == 2 * colours:
        # A 16-bit sample per component, whatever the depth: the colour shown clear.
        values = struct.unpack(f">{colours}H", trns)
        key = tuple(v for value in values for v in (value, value))
    return PdfImage(
        png.width, png.height, space, png.depth, "FlateDecode", png.idat, "passed through",
        palette=png.palette if png.colour_type == 3 else None, predictor_colours=colours,
        colour_key=key, min_version=(1, 5) if png.depth == 16 else (1, 4))


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        # The size was checked when the image was stored; a tall capture is not a bomb.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def _encode(image: Image.Image, how: str) -> PdfImage:
    """An 8-bit grey or RGB picture written as a PNG (fast, with row filters) and taken
    from that PNG."""
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=REENCODE_LEVEL)
    png = _read_png(out.getvalue())
    if png is None or png.depth != 8 or png.colour_type not in (0, 2):
        raise ValueError(f"could not re-encode a {image.mode} picture")
    rgb = png.colour_type == 2
    return PdfImage(png.width, png.height, "DeviceRGB" if rgb else "DeviceGray", 8,
                    "FlateDecode", png.idat, how, predictor_colours=3 if rgb else 1)


def with_alpha(image: Image.Image, how: str) -> PdfImage:
    """An RGBA picture as its colour, with its alpha as a soft mask."""
    rgba = image.convert("RGBA")
    colour = _encode(rgba.convert("RGB"), how)
    return replace(colour, soft_mask=_encode(rgba.getchannel("A"), how))


def normalise(image: Image.Image) -> Image.Image:
    """The picture as 8-bit grey or RGB, with alpha if it has any transparency."""
    mode = image.mode
    if mode in ("LA", "RGBA") or (mode in ("L", "RGB") and "transparency" not in image.info):
        return image
    if mode.startswith("I"):
        # Pillow keeps 16-bit grey as integers; a re-encoded page keeps the top 8 bits.
        return image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    has_alpha = mode in ("PA", "RGBa", "La") or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def from_pixels(image: Image.Image, why: str) -> PdfImage:
    """Decoded pixels written again (see the module's introduction for when), flattened
    on white where they are not opaque."""
    image = normalise(image)
    if image.mode in ("RGBA", "LA"):
        colour = image.convert("RGB" if image.mode == "RGBA" else "L")
        alpha = image.getchannel("A")
        if alpha.getextrema() != (255, 255):
            flat = Image.new(colour.mode, colour.size, "white")
            flat.paste(colour, mask=alpha)
            colour = flat
        image = colour
    return _encode(image, why)


def png_needs(data: bytes) -> str | None:
    """Why a PNG cannot be passed through as it is (for :func:`from_pixels`), or None."""
    png = _read_png(data)
    if png is None:
        return "re-encoded: not a PNG a PDF can hold as it is"
    if png.interlaced:
        return "re-encoded: interlaced PNG (PDF's predictors cannot undo Adam7)"
    if png.colour_type in (4, 6) or from_png(data) is None:
        return "re-encoded: flattened on white (the bundle keeps its transparency)"
    return None


_SOF = frozenset((0xC0, 0xC1, 0xC2))  # baseline, extended, progressive Huffman
_JPEG_SPACES: dict[int, ColourSpace] = {1: "DeviceGray", 3: "DeviceRGB", 4: "DeviceCMYK"}


def from_jpeg(data: bytes) -> PdfImage | None:
    """A whole JPEG as a DCTDecode image, byte for byte; None if it is not one PDF
    readers decode (arithmetic coding, lossless, 12-bit)."""
    if not data.startswith(b"\xff\xd8"):
        return None
    pos = 2
    adobe = False
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        segment = data[pos + 4:pos + 2 + length]
        if marker == 0xEE and segment.startswith(b"Adobe"):
            adobe = True
        if marker in _SOF:
            if len(segment) < 6:
                return None
            bits, height, width, components = struct.unpack(">BHHB", segment[:6])
            if bits != 8 or not width or not height or components not in (1, 3, 4):
                return None
            space = _JPEG_SPACES[components]
            # Adobe's CMYK JPEGs store the inks inverted, as Photoshop writes them.
            decode = (1, 0) * 4 if components == 4 and adobe else None
            return PdfImage(width, height, space, 8, "DCTDecode", data, "passed through",
                            decode=decode)
        if 0xC3 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return None  # a coding PDF readers do not all decode
        if marker == 0xDA:
            return None  # image data before any frame header
        pos += 2 + length
    return None


Matrix = tuple[float, float, float, float, float, float]


def orientation_matrix(orientation: int, width: float, height: float) -> Matrix:
    """The PDF transform that draws an image stored under EXIF ``orientation`` upright
    into a ``width`` × ``height`` box at the origin (the upright size).

    An image XObject fills the unit square with its first stored row at the top. For
    each orientation, the stored corners (0, 0), (1, 0) and (0, 1) of that square map
    to these corners of the upright box, in units of the box."""
    corners = {
        1: ((0, 0), (1, 0), (0, 1)),
        2: ((1, 0), (0, 0), (1, 1)),  # mirrored left to right
        3: ((1, 1), (0, 1), (1, 0)),  # upside down
        4: ((0, 1), (1, 1), (0, 0)),  # mirrored top to bottom
        5: ((1, 1), (1, 0), (0, 1)),  # transposed
        6: ((0, 1), (0, 0), (1, 1)),  # shown after a quarter turn clockwise (phones)
        7: ((0, 0), (0, 1), (1, 0)),  # transverse
        8: ((1, 0), (1, 1), (0, 0)),  # shown after a quarter turn anticlockwise
    }.get(orientation, ((0, 0), (1, 0), (0, 1)))
    (ox, oy), (ux, uy), (vx, vy) = corners
    return ((ux - ox) * width, (uy - oy) * height, (vx - ox) * width, (vy - oy) * height,
            ox * width, oy * height)

