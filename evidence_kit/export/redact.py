"""Redacted copies: black boxes over third parties, kept beside the untouched original.

A redaction is a new item whose creation event names the original by item number and
SHA-256 (``details["derived_from"]``), so the link is itself in the hash chain. The
original's bytes never change; a pack shows the copy and prints both hashes.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from PIL import Image, ImageDraw

from evidence_kit.core import media
from evidence_kit.core.model import Item
from evidence_kit.core.vault import NewItem, Vault, check_text
from evidence_kit.export.errors import RedactionRefused
from evidence_kit.export.pack import DERIVATION_KEY

MAX_BOXES = 500


@dataclass(frozen=True)
class Box:
    """A rectangle in the original image's pixels (left, top, width, height)."""

    left: int
    top: int
    width: int
    height: int

    @classmethod
    def parse(cls, text: str) -> Box:
        try:
            left, top, width, height = (int(part) for part in text.split(","))
        except ValueError:
            raise RedactionRefused(
                f"{text!r} is not a rectangle; give it as LEFT,TOP,WIDTH,HEIGHT in pixels."
            ) from None
        return cls(left, top, width, height)


EXIF_ORIENTATION = 0x0112
ORIENTATION_TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def redacted_bytes(data: bytes, boxes: Sequence[Box], name: str = "the image") -> bytes:
    """The image with every box filled black, as PNG (lossless, so nothing else changes)."""
    facts = media.check_image(data, name)
    if not boxes:
        raise RedactionRefused("Draw at least one box to redact.")
    if len(boxes) > MAX_BOXES:
        raise RedactionRefused(f"At most {MAX_BOXES} boxes can be drawn on one image.")
    for box in boxes:
        if (box.width <= 0 or box.height <= 0 or box.left < 0 or box.top < 0
                or box.left + box.width > facts.width or box.top + box.height > facts.height):
            raise RedactionRefused(
                f"The box at {box.left},{box.top} ({box.width}×{box.height}) is not inside "
                f"the {facts.width}×{facts.height} image."
            )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as opened:
            orientation = opened.getexif().get(EXIF_ORIENTATION)
            image = opened.convert("RGBA" if "A" in opened.getbands() else "RGB")
    draw = ImageDraw.Draw(image)
    for box in boxes:
        draw.rectangle([box.left, box.top, box.left + box.width - 1, box.top + box.height - 1],
                       fill="black")
    # The boxes were drawn on the stored pixels; the copy carries no EXIF, so turn it the
    # way the phone meant it to be seen, or a rotated photo would come out sideways.
    turn = ORIENTATION_TURNS.get(orientation) if isinstance(orientation, int) else None
    if turn is not None:
        image = image.transpose(turn)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def redact_item(vault: Vault, item_id: int, boxes: Sequence[Box], reason: str = "") -> Item:
    """Make and store a redacted copy of an image item; returns the new item."""
    original = vault.item(item_id)
    if original.withdrawn:
        raise RedactionRefused(f"Item {item_id} was withdrawn; there is nothing to redact.")
    if not original.media_type.startswith("image/"):
        raise RedactionRefused(f"Item {item_id} is not an image, so it cannot be redacted "
                               "with boxes.")
    if isinstance(original.details, dict) and DERIVATION_KEY in original.details:
        raise RedactionRefused(f"Item {item_id} is itself a redacted copy; redact its "
                               "original instead.")
    check_text(reason, "reason")
    data = vault.read_blob(original.sha256)
    copy = redacted_bytes(data, boxes, original.original_name)
    stem = original.original_name.rsplit(".", 1)[0] or "image"
    return vault.add_item(NewItem(
        data=copy, name=f"{stem}-redacted.png", media_type="image/png", method="import",
        incident=original.incident_id,
        url={"text": original.url} if original.url else None,
        platform=original.platform, account=original.account,
        description=original.description, category=original.category,
        details={DERIVATION_KEY: {
            "item": original.id, "sha256": original.sha256, "method": "black boxes",
            "boxes": [asdict(b) for b in boxes], "reason": reason,
        }},
        thumbnail=media.thumbnail_png(copy),
        exhibit=False,
    ))
