"""Pictures: size, EXIF and XMP details, and what a damaged picture gives."""

from __future__ import annotations

import sys

import pytest
from PIL import PngImagePlugin

from evidence_kit.capture.imports import (
    describe,
)
from tests.capture.imports.samples import (
    assert_plain_json,
    bomb_png,
    box,
    jpeg_with_exif,
    png_bytes,
)

# --------------------------------------------------------------------------- images


def test_a_phone_screenshot_png_gives_its_size() -> None:
    facts = describe(png_bytes((1170, 2532)), "IMG_0042.PNG")
    assert (facts.media_type, facts.kind) == ("image/png", "image")
    assert (facts.reported["width"], facts.reported["height"]) == (1170, 2532)
    assert facts.notes == ()
    assert_plain_json(facts)


def test_jpeg_exif_capture_time_and_camera_are_reported() -> None:
    facts = describe(jpeg_with_exif(), "photo.jpg")
    assert facts.media_type == "image/jpeg"
    assert facts.reported["exif_date_time_original"] == "2024:03:12 14:05:33"
    assert facts.reported["exif_offset_time_original"] == "+00:00"
    assert facts.reported["camera_make"] == "Apple"
    assert facts.reported["camera_model"] == "iPhone 13 mini"
    assert facts.reported["exif_date_time"] == "2024:03:13 09:00:00"
    assert facts.reported["exif_user_comment"] == "Screenshot"
    assert_plain_json(facts)


def test_png_xmp_creation_date_is_reported() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_itxt(
        "XML:com.adobe.xmp",
        '<x:xmpmeta><rdf:Description photoshop:DateCreated="2024-03-12T14:05:33"/></x:xmpmeta>',
    )
    facts = describe(png_bytes(pnginfo=info), "Screenshot.png")
    assert facts.reported["xmp_date_created"] == "2024-03-12T14:05:33"


def test_a_truncated_png_is_kept_with_a_visible_note() -> None:
    data = png_bytes((300, 300))
    facts = describe(data[: len(data) // 2], "cut-short.png")
    assert (facts.media_type, facts.kind) == ("image/png", "image")
    assert (facts.reported["width"], facts.reported["height"]) == (300, 300)
    assert any("this picture is damaged: only part of it can be shown" in n.lower()
               for n in facts.notes)


def test_a_decompression_bomb_header_is_kept_but_never_decoded() -> None:
    facts = describe(bomb_png(), "innocent.png")
    assert (facts.media_type, facts.kind) == ("image/png", "image")
    assert any("too large to be shown" in note for note in facts.notes)


def test_heic_without_the_add_on_is_kept_as_an_unchecked_image(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pillow_heif", None)  # makes the import fail
    data = box(b"ftyp", b"heic" + bytes(4) + b"mif1heic") + bytes(200)
    facts = describe(data, "IMG_0001.HEIC")
    assert (facts.media_type, facts.kind) == ("image/heic", "image")
    assert "width" not in facts.reported
    assert any("pillow-heif" in note for note in facts.notes)


def test_content_wins_over_a_misleading_name() -> None:
    facts = describe(png_bytes(), "holiday.jpg")
    assert facts.media_type == "image/png"
    assert any(".jpg" in note and "image/png" in note for note in facts.notes)
