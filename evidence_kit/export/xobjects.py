"""Pictures as PDF image objects in a ReportLab document: registered once per document,
and, while a chunk of the pack is built, only named in it and kept in a bank for the
join to write (:class:`ImageBank`). Apart from :mod:`.images` (the pictures' flowables)
so that text can draw its emoji through it too."""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
from collections.abc import Iterator
from typing import Any

from reportlab.pdfbase import pdfdoc

from evidence_kit.export import pdfimage
from evidence_kit.export.pdfimage import PdfImage

__all__ = ["IMAGE_KEY", "ImageBank", "banked", "draw_image"]


class _HexString(pdfdoc.PDFObject):  # type: ignore[misc]
    """A PDF hex string (a palette's bytes), which ReportLab writes as it is given."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return b"<" + self.data.hex().encode("ascii") + b">"


IMAGE_KEY = "EvidenceKitImage"
"""In a chunk built with an :class:`ImageBank`, an image stream is empty and this key
of its dictionary names the bank's entry the join writes in its place."""


class ImageBank:
    """The pictures of the chunk being built, handed to the join as they are.

    ReportLab would copy each picture's data into the stream's bytes, the stream's into
    the document's, and the document's into the chunk's buffer, and the join would copy
    it out again: four copies of every exhibit's pixels. With a bank, the chunk holds
    an empty stream naming the picture, and the join writes the picture's own bytes
    (:class:`.pdfjoin.StreamingJoin`)."""

    def __init__(self) -> None:
        self._numbers: dict[int, int] = {}  # id of a PdfImage -> its number
        self.data: dict[int, bytes] = {}
        self._kept: list[PdfImage] = []  # so an id is not reused while it is banked

    def number(self, image: PdfImage) -> int:
        found = self._numbers.get(id(image))
        if found is None:
            found = self._numbers[id(image)] = len(self._numbers) + 1
            self.data[found] = image.data
            self._kept.append(image)
        return found

    def clear(self) -> None:
        self._numbers.clear()
        self.data.clear()
        self._kept.clear()


_bank: contextvars.ContextVar[ImageBank | None] = contextvars.ContextVar(
    "evidence_kit_image_bank", default=None)


@contextlib.contextmanager
def banked(bank: ImageBank) -> Iterator[None]:
    """Pictures drawn meanwhile go into ``bank`` rather than into the document."""
    token = _bank.set(bank)
    try:
        yield
    finally:
        _bank.reset(token)


class _ImageXObject(pdfdoc.PDFObject):  # type: ignore[misc]
    def __init__(self, image: PdfImage, banked_as: int | None = None,
                 soft_mask: str | None = None) -> None:
        self.image = image
        self.banked_as = banked_as
        self.soft_mask = soft_mask  # the registered name of its alpha's image

    def format(self, document: Any) -> bytes:
        image = self.image
        stream = pdfdoc.PDFStream(content=b"" if self.banked_as else image.data)
        d = stream.dictionary
        d["Type"] = pdfdoc.PDFName("XObject")
        d["Subtype"] = pdfdoc.PDFName("Image")
        d["Width"] = image.width
        d["Height"] = image.height
        d["BitsPerComponent"] = image.bits
        space = pdfdoc.PDFName(image.colour_space)
        if image.palette is not None:
            space = pdfdoc.PDFArray([pdfdoc.PDFName("Indexed"), space,
                                     len(image.palette) // 3 - 1, _HexString(image.palette)])
        d["ColorSpace"] = space
        # A bare name, not an array: with a one-filter array, poppler ignores a
        # DecodeParms dictionary (it wants an array there too) and draws black.
        d["Filter"] = pdfdoc.PDFName(image.filter)
        if image.predictor_colours is not None:
            d["DecodeParms"] = pdfdoc.PDFDictionary({
                "Predictor": 15, "Colors": image.predictor_colours,
                "BitsPerComponent": image.bits, "Columns": image.width})
        if image.colour_key is not None:
            d["Mask"] = pdfdoc.PDFArray(list(image.colour_key))
        if image.decode is not None:
            d["Decode"] = pdfdoc.PDFArray(list(image.decode))
        if self.soft_mask is not None:
            d["SMask"] = pdfdoc.PDFObjectReference(self.soft_mask)
        if self.banked_as:
            d[IMAGE_KEY] = self.banked_as
            d["Length"] = 0
        else:
            d["Length"] = len(image.data)
        result: bytes = stream.format(document)
        return result


def _register(canvas: Any, image: PdfImage, in_use: bool = True) -> str:
    """The image's name in the document, adding it once (ReportLab's canvas has no
    public call for an already-encoded stream, so this registers it as drawImage does)."""
    doc = canvas._doc
    soft_mask = None if image.soft_mask is None else _register(canvas, image.soft_mask,
                                                               in_use=False)
    bank = _bank.get()
    if bank is not None:
        banked_as: int | None = bank.number(image)
        name = f"EKimg{banked_as}"
    else:
        banked_as = None
        name = "EKimg" + hashlib.sha256(image.data).hexdigest()[:24]
    reg_name: str = doc.getXObjectName(name)
    if doc.idToObject.get(reg_name) is None:
        doc.Reference(_ImageXObject(image, banked_as, soft_mask), reg_name)
        if in_use:
            doc.addForm(name, doc.idToObject[reg_name])
        if image.min_version > doc._pdfVersion:
            doc._pdfVersion = image.min_version
    if in_use:
        canvas._formsinuse.append(name)
    return reg_name


def draw_image(canvas: Any, image: PdfImage, width: float, height: float,
               orientation: int = 1) -> None:
    """Draw ``image`` upright in the box ``width`` × ``height`` at the origin."""
    reg_name = _register(canvas, image)
    canvas.saveState()
    canvas.transform(*pdfimage.orientation_matrix(orientation, width, height))
    canvas._code.append(f"/{reg_name} Do")
    canvas.restoreState()
    canvas._currentPageHasImages = 1
