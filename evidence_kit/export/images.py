"""Exhibit images on the page: fitted to the width, never shrunk until text is unreadable.

A screenshot of a whole thread can be many screens tall. Rather than shrink it onto
one page, it is cut into strips that each fill a page at a readable scale (at least
:data:`MIN_SCALE` points per pixel, about 330 dpi in print); an image wider than the
page at that scale is cut into columns as well. Strips are cropped from the decoded
pixels, so nothing is re-sampled, and each continued strip says which pixel rows it
shows. The image is decoded once, when its first strip is drawn, and let go after its
last, so memory does not grow with the number of exhibits.

An image shown whole is not decoded at all where PDF can carry its file's own
compressed data (:mod:`.pdfimage`): the pack then holds the very bytes that were
hashed. The strips of a cut image are re-encoded (PNG row filters and zlib, without
loss): a PNG's compressed rows cannot be cut apart without decoding them.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps
from reportlab.platypus import Flowable

from evidence_kit.export import pdfimage
from evidence_kit.export.pdfimage import PdfImage
from evidence_kit.export.seams import Seams
from evidence_kit.export.styles import FRAME_HEIGHT, FRAME_WIDTH, MARKING, RULE
from evidence_kit.export.xobjects import draw_image

MIN_SCALE = 0.22  # points per pixel: a 1920-pixel-wide capture fits at 0.25
MAX_SCALE = 0.75  # small crops are shown larger, but not blown up into blur
MIN_STRIP = 110.0  # points; a shorter strip at the foot of a page starts on the next
CAPTION = 12.0
FOOT = 11.0
"""Room below a strip that goes on, for the line saying on which page."""
SLICE_ABOVE_PAGES = 2.0
"""Pictures up to this many pages tall at the page's width are shrunk onto one page
(a phone screenshot or photo); only taller ones (a long thread) are cut into strips."""
MIN_FIT_SHARE = 0.7
"""A picture shrunk to the space left on a page smaller than this share of a whole
page's fit starts on the next page instead, unless :data:`ROOMY` is left."""
ROOMY = 0.4
"""Where at least this share of a page is left (below an exhibit's heading and details),
moving the picture would leave the exhibit's first page mostly empty and part it from
its details: it is shrunk onto this page down to :data:`LEAST_FIT_SHARE`."""
LEAST_FIT_SHARE = 0.5
"""Of its whole-page size: a 1170-pixel-wide phone screenshot is then about 6 cm wide,
near the size the phone itself shows it."""
KEEP_WITH_SHARE = 0.75
"""A picture is shrunk to this share of its whole-page size, at most, to keep a short
note on its page: a note alone on a page of its own reads as a page left blank."""
OVERLAP = 36.0
"""Points of picture repeated at the top of each continued strip, so no line of text is
cut in half at a seam."""
_PHOTO_FORMATS = ("JPEG", "WEBP", "TIFF", "MPO")


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
                               if self.format in _PHOTO_FORMATS else 1)
        self.orientation = orientation if orientation in range(1, 9) else 1
        self.rotated = self.orientation != 1
        # EXIF orientations 5-8 turn the picture on its side: show it as the camera meant.
        self.size = (height, width) if self.orientation in (5, 6, 7, 8) else (width, height)

    def pixels(self) -> Image.Image:
        """The decoded picture, upright (grey, RGB, or either with alpha)."""
        if self._image is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(self.data)) as opened:
                    upright = ImageOps.exif_transpose(opened) if self.rotated else opened
                    upright = pdfimage.normalise(upright)
                    # Closing the file closes its image too: keep a copy.
                    self._image = upright.copy() if upright is opened else upright
        return self._image

    def embedded(self, box: tuple[int, int, int, int]) -> tuple[PdfImage, int]:
        """The PDF image for the part ``box`` of the upright picture, and the EXIF
        orientation to draw it with (1 unless the file's own bytes are used)."""
        if box == (0, 0, *self.size):
            found = None
            if self.format == "PNG":
                found = pdfimage.from_png(self.data)
            elif self.format == "JPEG":  # not MPO: its second picture follows the first
                found = pdfimage.from_jpeg(self.data)
            if found is not None:
                return found, self.orientation
            why = (pdfimage.png_needs(self.data) if self.format == "PNG" else None) \
                or f"re-encoded: {self.format or 'this'} format is decoded for the page"
            return pdfimage.from_pixels(self.pixels(), why), 1
        return pdfimage.from_pixels(self.pixels().crop(box),
                                    "re-encoded: a strip cut from a tall image"), 1

    def release(self) -> None:
        self._image = None


@dataclass(frozen=True)
class Slice:
    x0: int
    y0: int
    x1: int
    y1: int


class ImageStrip(Flowable):  # type: ignore[misc]
    """A horizontal strip of an exhibit image; splits itself at page ends.

    Its captions (which part it is, the pages before and after) name pages of the whole
    pack, known only when every chunk is built: the strip keeps room for them and tells
    ``seams`` where it landed (:mod:`.seams`)."""

    def __init__(self, source: PixelSource, part: Slice, scale: float, mark: str,
                 seams: Seams, column: tuple[int, int] = (1, 1), seam: int = 0) -> None:
        super().__init__()
        self.seam = seam  # pixel rows at the top that repeat the foot of the strip before
        self.source = source
        self.part = part
        self.scale = scale
        self.mark = mark
        self.seams = seams
        self.column = column

    @property
    def _last(self) -> bool:
        return self.part.y1 >= self.source.size[1]

    def _foot(self) -> float:
        return 0.0 if self._last else FOOT

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = (self.part.x1 - self.part.x0) * self.scale
        self.height = (self.part.y1 - self.part.y0) * self.scale + CAPTION + self._foot()
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if availHeight < MIN_STRIP:
            return []
        p = self.part
        if int((availHeight - CAPTION - self._foot()) / self.scale) >= p.y1 - p.y0:
            return [self]
        rows = int((availHeight - CAPTION - FOOT) / self.scale)  # the first piece goes on
        if rows <= 0:
            return []
        overlap = int(OVERLAP / self.scale)
        least = overlap + int(MIN_STRIP / self.scale)
        if p.y1 - (p.y0 + rows) < least:
            # The last strip would be little more than the overlap: end this one
            # earlier, so that strip shows something new.
            rows = p.y1 - p.y0 - least
            if rows * self.scale < MIN_STRIP:
                return []
        first = ImageStrip(self.source, Slice(p.x0, p.y0, p.x1, p.y0 + rows), self.scale,
                           self.mark, self.seams, self.column, self.seam)
        rest = ImageStrip(self.source, Slice(p.x0, max(p.y0 + 1, p.y0 + rows - overlap), p.x1,
                                             p.y1), self.scale, self.mark, self.seams,
                          self.column, seam=min(overlap, rows - 1))
        return [first, rest]

    def draw(self) -> None:
        canvas: Any = self.canv
        p = self.part
        foot = self._foot()
        image_height = (p.y1 - p.y0) * self.scale
        top = canvas.absolutePosition(0, foot + image_height + 3.5)
        below = None if self._last else canvas.absolutePosition(0, 2.5)
        self.seams.record(canvas.getPageNumber(), self.mark, self.column, (p.y0, p.y1),
                          self.source.size[1], self.seam, top, below)
        canvas.saveState()
        canvas.translate(0, foot)
        image, orientation = self.source.embedded((p.x0, p.y0, p.x1, p.y1))
        draw_image(canvas, image, self.width, image_height, orientation)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.rect(0, 0, self.width, image_height, stroke=1, fill=0)
        if self.seam:  # where the repeated part ends: the seam, marked across the picture
            y = image_height - self.seam * self.scale
            canvas.setStrokeColor(MARKING)
            canvas.setLineWidth(0.8)
            canvas.setDash(4, 3)
            canvas.line(-4, y, self.width + 4, y)
        canvas.restoreState()
        width, height = self.source.size
        if p.y1 >= height and p.x1 >= width:
            self.source.release()


class FittedImage(Flowable):  # type: ignore[misc]
    """A picture up to about two pages tall, shrunk to fit on one page: on the rest of
    this page where it is still large enough there, otherwise on the next; ``room``
    is left under it for what follows it (a short note), which would otherwise be
    alone on a page of its own."""

    def __init__(self, source: PixelSource, scale: float, room: float = 0.0) -> None:
        super().__init__()
        self.source = source
        self.full_scale = scale  # the scale that fits it on an empty page, with its room
        self.scale = scale
        self.room = room

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width, height = self.source.size
        here = min(self.full_scale, (availHeight - self.room) / height)
        least = LEAST_FIT_SHARE if availHeight >= ROOMY * FRAME_HEIGHT else MIN_FIT_SHARE
        self.scale = here if here >= self.full_scale * least else self.full_scale
        self.width, self.height = width * self.scale, height * self.scale
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []  # never cut: it goes whole onto the next page

    def draw(self) -> None:
        canvas: Any = self.canv
        image, orientation = self.source.embedded((0, 0, *self.source.size))
        draw_image(canvas, image, self.width, self.height, orientation)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        self.source.release()


def image_flowables(source: PixelSource, mark: str, seams: Seams, width: float = FRAME_WIDTH,
                    page_height: float = FRAME_HEIGHT, then: float = 0.0) -> list[Flowable]:
    """A picture fitted on one page, or, when it is over about two pages tall, the
    strips that show it, column by column. ``then``: the height of what follows the
    picture and belongs on its page (an exhibit's notes), when it is short."""
    img_width, img_height = source.size
    scale = min(MAX_SCALE, width / img_width)
    if img_height * scale <= SLICE_ABOVE_PAGES * page_height:
        whole_page = min(scale, page_height / img_height)
        # Kept on the picture's page by shrinking the picture a little, not a lot: a
        # picture shrunk further than this loses more than a page turn costs.
        with_room = min(scale, (page_height - then) / img_height)
        if then and with_room >= whole_page * KEEP_WITH_SHARE:
            return [FittedImage(source, with_room, then)]
        return [FittedImage(source, whole_page)]
    columns = 1
    if scale < MIN_SCALE:
        scale = MIN_SCALE
        columns = math.ceil(img_width * scale / width)
    column_px = math.ceil(img_width / columns)
    strips: list[Flowable] = []
    for column in range(columns):
        x0 = column * column_px
        x1 = min(img_width, x0 + column_px)
        strips.append(ImageStrip(source, Slice(x0, 0, x1, img_height), scale, mark, seams,
                                 (column + 1, columns)))
    return strips
