"""Real-world oddities are kept with notes, never turned away (issue 12).

Every sample is written here with the same libraries phones and tools use (Pillow,
pillow-heif), or byte by byte where Pillow cannot write that variant.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from evidence_kit.capture.imports import describe
from evidence_kit.core import media
from tests.capture.imports.samples import email_bytes

pillow_heif = pytest.importorskip("pillow_heif")
pillow_heif.register_heif_opener()

DAMAGED = "this picture is damaged: only part of it can be shown"


@pytest.fixture(scope="session")
def heic_200mp() -> bytes:
    # The size of a Samsung Ultra's 200 MP photo, in tiles as the phone writes it; grey
    # and fast settings keep the encoding to a few seconds.
    out = io.BytesIO()
    Image.new("L", (16320, 12240), 90).save(out, format="HEIF", quality=0, tile_size=4096,
                                            enc_params={"preset": "ultrafast"})
    return out.getvalue()


@pytest.mark.slow
def test_a_200_megapixel_heic_is_kept_with_its_size(heic_200mp: bytes) -> None:
    facts = describe(heic_200mp, "200MP.heic")
    assert (facts.media_type, facts.kind) == ("image/heic", "image")
    assert (facts.reported["width"], facts.reported["height"]) == (16320, 12240)
    assert facts.notes == ()
    thumb = media.thumbnail_png(heic_200mp)
    assert thumb is not None
    with Image.open(io.BytesIO(thumb)) as small:
        assert max(small.size) == 320


def heif_two_images() -> bytes:
    out = io.BytesIO()
    first = Image.new("RGB", (256, 192), (200, 30, 60))
    second = Image.new("RGB", (256, 192), (20, 130, 60))
    first.save(out, format="HEIF", save_all=True, append_images=[second], quality=50)
    return out.getvalue()


def test_a_truncated_two_image_heif_is_kept_with_a_note() -> None:
    data = heif_two_images()
    facts = describe(data[: len(data) * 2 // 3], "IMG_0002.HEIC")
    assert (facts.media_type, facts.kind) == ("image/heic", "image")
    assert facts.notes, "a damaged picture must say so"
    assert media.preview_decision(data[: len(data) * 2 // 3]).message is not None


def webp_tiff() -> bytes:
    """A valid TIFF whose one strip is WebP-compressed (Compression 50001), as GDAL writes.

    Pillow's libtiff here cannot write WebP strips, so the file is laid out by hand
    around a WebP stream that Pillow writes.
    """
    strip = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 240)).save(strip, format="WEBP", lossless=True)
    payload = strip.getvalue()
    entries = [  # tag, type, count, value
        (256, 3, 1, 64), (257, 3, 1, 48), (258, 3, 1, 8), (259, 3, 1, 50001),
        (262, 3, 1, 2), (273, 4, 1, 0), (277, 3, 1, 3), (278, 3, 1, 48),
        (279, 4, 1, len(payload)), (284, 3, 1, 1),
    ]
    ifd_size = 2 + 12 * len(entries) + 4
    data_at = 8 + ifd_size
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        value = data_at if tag == 273 else value
        packed = struct.pack("<HI", value, 0)[:4] if kind == 3 else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, kind, count) + packed
    ifd += struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + payload


def test_a_webp_compressed_tiff_is_kept_not_called_damaged() -> None:
    facts = describe(webp_tiff(), "scan.tif")
    assert (facts.media_type, facts.kind) == ("image/tiff", "image")
    assert (facts.reported["width"], facts.reported["height"]) == (64, 48)
    assert not any("cut short" in note for note in facts.notes)


def bitfields_bmp(masks: tuple[int, int, int, int], bits: int = 32) -> bytes:
    """A BITMAPV4 BMP with BI_BITFIELDS; Pillow reads these but writes only BI_RGB."""
    width, height = 8, 4
    row = width * bits // 8
    pixels = Image.new("RGB", (width, height), (250, 10, 10))
    body = b"".join(
        (struct.pack("<I", 0x00FF0000) if bits == 32 else struct.pack("<H", 0xF800))
        for _ in range(width * height))
    assert pixels.size == (width, height) and len(body) == row * height
    header = struct.pack("<IiiHHIIiiII", 108, width, height, 1, bits, 3, len(body),
                         2835, 2835, 0, 0) + struct.pack("<4I", *masks) + bytes(108 - 56)
    offset = 14 + len(header)
    return b"BM" + struct.pack("<IHHI", offset + len(body), 0, 0, offset) + header + body


@pytest.mark.parametrize(("masks", "bits"), [
    ((0x00FF0000, 0x0000FF00, 0x000000FF, 0), 32),  # what Windows writes
    ((0xF800, 0x07E0, 0x001F, 0), 16),              # RGB 565
    ((0x0F00, 0x00F0, 0x000F, 0xF000), 16),         # RGBA 4444: valid, Pillow cannot read
])
def test_bitfields_bmps_are_kept(masks: tuple[int, int, int, int], bits: int) -> None:
    facts = describe(bitfields_bmp(masks, bits), "drawing.bmp")
    assert (facts.media_type, facts.kind) == ("image/bmp", "image")
    assert not any("cut short" in note for note in facts.notes)


def test_a_phone_jpeg_with_a_multi_picture_block_is_not_called_misnamed() -> None:
    out = io.BytesIO()
    main = Image.new("RGB", (80, 60), (10, 120, 240))
    main.save(out, format="MPO", save_all=True, append_images=[Image.new("RGB", (80, 60))])
    facts = describe(out.getvalue(), "20240312_140533.jpg")
    assert facts.media_type == "image/jpeg"
    assert facts.notes == ()


def test_a_truncated_jpeg_is_kept_and_its_top_rows_previewed() -> None:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (240, 20, 20)).save(out, format="JPEG", quality=95)
    data = out.getvalue()[: len(out.getvalue()) // 2]
    facts = describe(data, "photo.jpg")
    assert any(DAMAGED in note.lower() for note in facts.notes)
    decision = media.preview_decision(data)
    assert (decision.show, decision.partial) == (True, True)
    thumb = media.thumbnail_png(data)
    assert thumb is not None
    with Image.open(io.BytesIO(thumb)) as small:
        top = small.convert("RGB").getpixel((5, 2))
    assert isinstance(top, tuple) and top[0] > 200  # the part that arrived is red


def test_a_bomb_gets_a_placeholder_not_a_preview() -> None:
    from tests.capture.imports.samples import bomb_png
    decision = media.preview_decision(bomb_png())
    assert not decision.show
    assert "too large" in str(decision.message)
    assert media.thumbnail_png(bomb_png()) is None


def test_an_out_of_range_email_date_is_kept_and_noted() -> None:
    data = email_bytes().replace(b"Date: Tue, 12 Mar 2024 15:05:33 +0100",
                                 b"Date: Fri, 31 Dec 9999 23:59:59 -2359")
    facts = describe(data, "odd.eml")
    assert facts.kind == "email"
    assert facts.reported["date"] == "Fri, 31 Dec 9999 23:59:59 -2359"
    assert "date_utc" not in facts.reported
    assert any("date could not be read" in note for note in facts.notes)


def test_describing_odd_files_writes_nothing_on_stderr(tmp_path: Path) -> None:
    samples = {"scan.tif": webp_tiff(), "a.bmp": bitfields_bmp((0x0F00, 0xF0, 0xF, 0xF000), 16),
               "broken.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage xref trailer"}
    for name, data in samples.items():
        (tmp_path / name).write_bytes(data)
    script = ("import sys, pathlib\nfrom evidence_kit.capture.imports import describe\n"
              "for p in sorted(pathlib.Path(sys.argv[1]).iterdir()):\n"
              "    describe(p.read_bytes(), p.name)\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
