"""Exhibit images on the page: fitted to the width, never shrunk until text is unreadable.

A screenshot of a whole thread can be many screens tall. Rather than shrink it onto
one page, it is cut into strips that each fill a page at a readable scale (at least
:data:`MIN_SCALE` points per pixel, about 330 dpi in print); an image wider than the
page at that scale is cut into columns as well. Strips are cropped from the decoded
pixels, so nothing is re-sampled, and each continued strip says which pixel rows it
shows. The image is decoded once, when its first strip is drawn, and let go after its
last, so memory does not grow with the number of exhibits.
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
import warnings
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.platypus import Flowable

from evidence_kit.export.styles import FRAME_WIDTH, MUTED, RULE
from evidence_kit.export.text import draw_line

MIN_SCALE = 0.22  # points per pixel: a 1920-pixel-wide capture fits at 0.25
MAX_SCALE = 0.75  # small crops are shown larger, but not blown up into blur
MIN_STRIP = 110.0  # points; a shorter strip at the foot of a page starts on the next
CAPTION = 12.0


class PixelSource:
    """One exhibit's image bytes, decoded on first use and released after the last strip."""

    def __init__(self, data: bytes, name: str) -> None:
        self.data = data
        self.name = name
        self._image: Image.Image | None = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
                self.format = probe.format or ""
                # Pillow decodes a whole PNG to look for EXIF; only photos carry it.
                orientation = (probe.getexif().get(0x0112, 1)
                               if self.format in ("JPEG", "WEBP", "TIFF", "MPO") else 1)
        # EXIF orientations 5-8 turn the picture on its side: show it as the camera meant.
        self.rotated = orientation not in (1, None)
        self.size = (height, width) if orientation in (5, 6, 7, 8) else (width, height)

    def pixels(self) -> Image.Image:
        if self._image is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(self.data)) as opened:
                    upright = ImageOps.exif_transpose(opened) if self.rotated else opened
                    if upright.mode in ("RGBA", "LA", "P", "PA"):
                        rgba = upright.convert("RGBA")
                        flat = Image.new("RGB", rgba.size, "white")
                        flat.paste(rgba, mask=rgba.getchannel("A"))
                        self._image = flat
                    else:
                        self._image = upright.convert("RGB")
        return self._image

    def reader(self, box: tuple[int, int, int, int]) -> ImageReader:
        whole = box == (0, 0, *self.size)
        if whole and self.format == "JPEG" and not self.rotated:
            return ImageReader(io.BytesIO(self.data))  # embedded as it is, no re-encoding
        return ImageReader(self.pixels().crop(box))

    def passthrough(self, box: tuple[int, int, int, int]) -> PngData | None:
        if box != (0, 0, *self.size) or self.rotated or self.format != "PNG":
            return None
        return png_passthrough(self.data)

    def release(self) -> None:
        self._image = None


@dataclass(frozen=True)
class PngData:
    """A PNG whose compressed pixel data a PDF can hold as it is (8-bit grey or RGB,
    not interlaced, no transparency): PDF's Flate filter with PNG predictors reads the
    IDAT stream directly, so the picture is neither decoded nor compressed again."""

    width: int
    height: int
    colours: int
    idat: bytes


def png_passthrough(data: bytes) -> PngData | None:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    pos, idat, header = 8, [], None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length:
            return None
        if kind == b"IHDR" and length == 13:
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"tRNS":
            return None  # transparency needs a mask: take the decoding path
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None or not idat:
        return None
    width, height, depth, colour_type, _compression, _filter, interlace = header
    if depth != 8 or interlace != 0 or colour_type not in (0, 2):
        return None
    joined = b"".join(idat)
    # The whole file's hash was checked when it was stored and read; checking that the
    # stream starts as zlib does keeps a mislabelled file from reaching a PDF viewer.
    if len(joined) < 2 or (joined[0] * 256 + joined[1]) % 31 or joined[0] & 0x0F != 8:
        return None
    return PngData(width, height, 3 if colour_type == 2 else 1, joined)


class _PngXObject(pdfdoc.PDFObject):  # type: ignore[misc]
    def __init__(self, name: str, png: PngData) -> None:
        self.name = name
        self.png = png

    def format(self, document: Any) -> bytes:
        png = self.png
        stream = pdfdoc.PDFStream(content=png.idat)
        d = stream.dictionary
        d["Type"] = pdfdoc.PDFName("XObject")
        d["Subtype"] = pdfdoc.PDFName("Image")
        d["Width"] = png.width
        d["Height"] = png.height
        d["BitsPerComponent"] = 8
        d["ColorSpace"] = pdfdoc.PDFName("DeviceRGB" if png.colours == 3 else "DeviceGray")
        # A bare name, not an array: with a one-filter array, poppler ignores a
        # DecodeParms dictionary (it wants an array there too) and draws black.
        d["Filter"] = pdfdoc.PDFName("FlateDecode")
        d["DecodeParms"] = pdfdoc.PDFDictionary({
            "Predictor": 15, "Colors": png.colours, "BitsPerComponent": 8,
            "Columns": png.width})
        d["Length"] = len(png.idat)
        result: bytes = stream.format(document)
        return result


def draw_png(canvas: Any, png: PngData, width: float, height: float) -> None:
    """Draw a pass-through PNG at the origin, registered as ReportLab registers images
    (its canvas has no public call for an already-encoded stream)."""
    name = "EKpng" + hashlib.sha256(png.idat).hexdigest()[:24]
    reg_name = canvas._doc.getXObjectName(name)
    if canvas._doc.idToObject.get(reg_name) is None:
        canvas._doc.Reference(_PngXObject(name, png), reg_name)
        canvas._doc.addForm(name, canvas._doc.idToObject[reg_name])
    canvas.saveState()
    canvas.scale(width, height)
    canvas._code.append(f"/{reg_name} Do")
    canvas.restoreState()
    canvas._formsinuse.append(name)
    canvas._currentPageHasImages = 1


@dataclass(frozen=True)
class Slice:
    x0: int
    y0: int
    x1: int
    y1: int


class ImageStrip(Flowable):  # type: ignore[misc]
    """A horizontal strip of an exhibit image; splits itself at page ends."""

    def __init__(self, source: PixelSource, part: Slice, scale: float, mark: str,
                 column: tuple[int, int] = (1, 1), continued: bool = False) -> None:
        super().__init__()
        self.source = source
        self.part = part
        self.scale = scale
        self.mark = mark
        self.column = column
        self.continued = continued

    def _caption(self) -> str:
        height = self.source.size[1]
        bits = []
        if self.column[1] > 1:
            bits.append(f"column {self.column[0]} of {self.column[1]} "
                        f"(pixels {self.part.x0 + 1:,}–{self.part.x1:,} across)")
        if self.continued or self.part.y1 < height:
            bits.append(f"rows {self.part.y0 + 1:,}–{self.part.y1:,} of {height:,}")
        if not bits:
            return ""
        return f"{self.mark}{' (continued)' if self.continued else ''}: " + ", ".join(bits)

    def _caption_height(self) -> float:
        return CAPTION if self._caption() else 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = (self.part.x1 - self.part.x0) * self.scale
        self.height = (self.part.y1 - self.part.y0) * self.scale + self._caption_height()
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if availHeight < MIN_STRIP:
            return []
        rows = int((availHeight - CAPTION) / self.scale)
        if rows >= self.part.y1 - self.part.y0:
            return [self]
        if rows <= 0:
            return []
        p = self.part
        first = ImageStrip(self.source, Slice(p.x0, p.y0, p.x1, p.y0 + rows), self.scale,
                           self.mark, self.column, self.continued)
        rest = ImageStrip(self.source, Slice(p.x0, p.y0 + rows, p.x1, p.y1), self.scale,
                          self.mark, self.column, continued=True)
        return [first, rest]

    def draw(self) -> None:
        canvas: Any = self.canv
        p = self.part
        image_height = (p.y1 - p.y0) * self.scale
        caption = self._caption()
        if caption:
            draw_line(canvas, 0, image_height + 3.5, caption, 7.2, color=MUTED)
        png = self.source.passthrough((p.x0, p.y0, p.x1, p.y1))
        if png is not None:
            draw_png(canvas, png, self.width, image_height)
        else:
            canvas.drawImage(self.source.reader((p.x0, p.y0, p.x1, p.y1)), 0, 0,
                             width=self.width, height=image_height)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.rect(0, 0, self.width, image_height, stroke=1, fill=0)
        width, height = self.source.size
        if p.y1 >= height and p.x1 >= width:
            self.source.release()


def image_flowables(source: PixelSource, mark: str, width: float = FRAME_WIDTH
                    ) -> list[Flowable]:
    """The strips that show one image, column by column."""
    img_width, img_height = source.size
    scale = min(MAX_SCALE, width / img_width)
    columns = 1
    if scale < MIN_SCALE:
        scale = MIN_SCALE
        columns = math.ceil(img_width * scale / width)
    column_px = math.ceil(img_width / columns)
    strips: list[Flowable] = []
    for column in range(columns):
        x0 = column * column_px
        x1 = min(img_width, x0 + column_px)
        strips.append(ImageStrip(source, Slice(x0, 0, x1, img_height), scale, mark,
                                 (column + 1, columns)))
    return strips
