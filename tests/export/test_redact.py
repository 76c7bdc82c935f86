"""Redacted copies: black where the boxes were, the original untouched, upright."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export.errors import RedactionRefused
from evidence_kit.export.redact import Box, redact_item, redacted_bytes


def jpeg_turned(orientation: int) -> bytes:
    """A 120×80 photo stored landscape, whose EXIF says how to turn it for viewing."""
    image = Image.new("RGB", (120, 80), (250, 250, 250))
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95, exif=exif)
    return out.getvalue()


def pixel(data: bytes, xy: tuple[int, int]) -> tuple[int, ...]:
    with Image.open(io.BytesIO(data)) as image:
        return tuple(image.convert("RGB").getpixel(xy))  # type: ignore[arg-type]


def size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def test_a_phone_photo_taken_sideways_comes_out_upright() -> None:
    # Orientation 6: the camera was turned; viewers rotate it 90° clockwise to show it.
    copy = redacted_bytes(jpeg_turned(6), [Box(0, 0, 30, 20)])
    assert size(copy) == (80, 120)
    # The stored top-left corner is the viewed top-right corner after that turn.
    assert pixel(copy, (79, 0)) == (0, 0, 0)
    assert pixel(copy, (0, 0))[0] > 200
    assert pixel(copy, (40, 60))[0] > 200


def test_an_upright_image_is_not_turned_and_the_original_stays(vault: Vault) -> None:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 10)).save(out, format="PNG")
    original = out.getvalue()
    item = vault.add_item(NewItem(data=original, name="a.png", media_type="image/png"))
    copy = redact_item(vault, item.id, [Box(8, 8, 16, 16)], "a pupil's face")
    data = vault.read_blob(copy.sha256)
    assert size(data) == (64, 48)
    assert pixel(data, (10, 10)) == (0, 0, 0) and pixel(data, (40, 40)) == (10, 200, 10)
    assert vault.read_blob(item.sha256) == original
    with pytest.raises(RedactionRefused):
        redacted_bytes(original, [Box(60, 40, 10, 10)])
