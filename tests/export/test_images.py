"""Exhibit images in the PDF: each kind of PNG and JPEG embedded, rendered back with
pdftoppm at the image's own resolution, and compared with the original's pixels; the
bytes that were hashed are the bytes in the PDF wherever PDF can carry them."""

from __future__ import annotations

import datetime as dt
import io
import struct
import subprocess
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
from PIL import Image, ImageDraw, ImageOps
from reportlab.pdfgen.canvas import Canvas

from evidence_kit.core import keys
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export import pdfimage
from evidence_kit.export.exporter import ExportResult, export_pack
from evidence_kit.export.images import PixelSource
from evidence_kit.export.pack import PackRequest
from evidence_kit.export.xobjects import draw_image
from tests.conftest import PASSPHRASE
from tests.export.conftest import needs_poppler, pdf_text, tool

pytestmark = needs_poppler

Pixel = tuple[int, ...]

# --- PNGs of every kind, written by hand (Pillow writes neither 16-bit colour nor
# interlacing), each row with a different filter so the PDF's predictor meets them all.


def _pack_row(samples: list[int], depth: int) -> bytes:
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    if depth == 8:
        return bytes(samples)
    out, acc, bits = bytearray(), 0, 0
    for sample in samples:
        acc = (acc << depth) | sample
        bits += depth
        if bits == 8:
            out.append(acc)
            acc = bits = 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def _filter_rows(rows: list[bytes], bpp: int) -> bytes:
    out = bytearray()
    prior = bytes(len(rows[0])) if rows else b""
    for number, row in enumerate(rows):
        kind = number % 5
        line = bytearray([kind])
        for i, x in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prior[i]
            c = prior[i - bpp] if i >= bpp else 0
            predicted = (0, a, b, (a + b) // 2, _paeth(a, b, c))[kind]
            line.append((x - predicted) & 0xFF)
        out += line
        prior = row
    return bytes(out)


_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4),
          (1, 0, 2, 2), (0, 1, 1, 2))


def make_png(width: int, height: int, colour_type: int, depth: int,
             pixel: Callable[[int, int], Pixel], palette: bytes | None = None,
             trns: bytes | None = None, interlace: bool = False) -> bytes:
    channels = _CHANNELS[colour_type]
    bpp = max(1, channels * depth // 8)

    def rows(xs: range, ys: range) -> list[bytes]:
        return [_pack_row([s for x in xs for s in pixel(x, y)], depth) for y in ys]

    if interlace:
        raw = b""
        for x0, y0, dx, dy in _ADAM7:
            xs, ys = range(x0, width, dx), range(y0, height, dy)
            if len(xs) and len(ys):
                raw += _filter_rows(rows(xs, ys), bpp)
    else:
        raw = _filter_rows(rows(range(width), range(height)), bpp)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    out = pdfimage.PNG_SIGNATURE + chunk(b"IHDR", struct.pack(
        ">IIBBBBB", width, height, depth, colour_type, 0, 0, 1 if interlace else 0))
    if palette is not None:
        out += chunk(b"PLTE", palette)
    if trns is not None:
        out += chunk(b"tRNS", trns)
    raw_z = zlib.compress(raw, 9)
    half = len(raw_z) // 2  # two IDAT chunks: the PDF must get them joined
    return out + chunk(b"IDAT", raw_z[:half]) + chunk(b"IDAT", raw_z[half:]) + chunk(b"IEND",
                                                                                      b"")


W, H = 61, 37  # odd sizes: rows that do not end on a byte, predictors across the edge


def _rgb(x: int, y: int, top: int = 255) -> Pixel:
    return ((x * 7 + y * 3) * top // 400 % (top + 1), (y * 11) * top // 400 % (top + 1),
            (x * y) % (top + 1))


PALETTE = bytes(v for i in range(16) for v in ((i * 16) % 256, 255 - i * 13, (i * 71) % 256))


def _index(x: int, y: int) -> Pixel:
    return ((x // 4 + y // 3) % 16,)


KINDS: dict[str, Callable[[], bytes]] = {
    "rgb8": lambda: make_png(W, H, 2, 8, _rgb),
    "rgb16": lambda: make_png(W, H, 2, 16, lambda x, y: tuple(v * 256 + (x * 5 & 0xFF)
                                                              for v in _rgb(x, y))),
    "grey8": lambda: make_png(W, H, 0, 8, lambda x, y: ((x * 4 + y) % 256,)),
    "grey1": lambda: make_png(W, H, 0, 1, lambda x, y: ((x + y) % 3 == 0,)),
    "grey4": lambda: make_png(W, H, 0, 4, lambda x, y: ((x + 2 * y) % 16,)),
    "grey16": lambda: make_png(W, H, 0, 16, lambda x, y: ((x * 1000 + y * 37) % 65536,)),
    "palette4": lambda: make_png(W, H, 3, 4, _index, PALETTE),
    "palette8": lambda: make_png(W, H, 3, 8, _index, PALETTE),
    "palette-clear": lambda: make_png(W, H, 3, 8, _index, PALETTE,
                                      trns=bytes([255, 255, 255, 255, 0, 0, 0])),
    "palette-clear-apart": lambda: make_png(W, H, 3, 8, _index, PALETTE,
                                            trns=bytes([255, 0, 255, 255, 0, 0])),
    "palette-partial": lambda: make_png(W, H, 3, 4, _index, PALETTE,
                                        trns=bytes([255, 128, 40, 255, 0])),
    "rgb-key": lambda: make_png(W, H, 2, 8, lambda x, y: (10, 20, 30) if (x + y) % 5 == 0
                                else _rgb(x, y), trns=struct.pack(">3H", 10, 20, 30)),
    "grey-key": lambda: make_png(W, H, 0, 8, lambda x, y: ((x * 4 + y) % 256,),
                                 trns=struct.pack(">H", 64)),
    "rgba": lambda: make_png(W, H, 6, 8, lambda x, y: (*_rgb(x, y), (x * 9 + y * 5) % 256)),
    "rgba-opaque": lambda: make_png(W, H, 6, 8, lambda x, y: (*_rgb(x, y), 255)),
    "grey-alpha": lambda: make_png(W, H, 4, 8, lambda x, y: ((x * 4) % 256, (y * 7) % 256)),
    "interlaced": lambda: make_png(W, H, 2, 8, _rgb, interlace=True),
    "interlaced-palette": lambda: make_png(W, H, 3, 2, lambda x, y: ((x + y) % 4,),
                                           PALETTE[:12], interlace=True),
}
PASSED_THROUGH = {"rgb8", "rgb16", "grey8", "grey1", "grey4", "grey16", "palette4",
                  "palette8", "palette-clear", "rgb-key", "grey-key"}


def expected(data: bytes) -> Image.Image:
    """What the page should show: the picture upright, flattened on white."""
    with Image.open(io.BytesIO(data)) as opened:
        picture = pdfimage.normalise(ImageOps.exif_transpose(opened))
    if picture.mode in ("RGBA", "LA"):
        rgba = picture.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return picture.convert("RGB")


ZOOM = 4  # device pixels for each image pixel, each way


def render_alone(data: bytes, folder: Path, box: tuple[int, int, int, int] | None = None
                 ) -> tuple[Image.Image, Path]:
    """The image drawn as the pack draws it, on a page exactly its size at one point a
    pixel, rendered with pdftoppm and read back one value for each image pixel.

    pdftoppm smooths (bilinear) any image drawn at less than four device pixels per image
    pixel, so at the image's own resolution it would measure its filter, not the PDF; at
    exactly four times it repeats each pixel, and the centre of each 4 × 4 cell is the
    image's own pixel."""
    source = PixelSource(data, "exhibit")
    box = box or (0, 0, *source.size)
    width, height = box[2] - box[0], box[3] - box[1]
    pdf = folder / "alone.pdf"
    canvas = Canvas(str(pdf), pagesize=(width, height), invariant=1)
    image, orientation = source.embedded(box)
    draw_image(canvas, image, width, height, orientation)
    canvas.showPage()
    canvas.save()
    prefix = folder / "alone"
    subprocess.run([tool("pdftoppm"), "-png", "-r", str(72 * ZOOM), "-singlefile", str(pdf),
                    str(prefix)], check=True, timeout=60)
    with Image.open(f"{prefix}.png") as page:
        rendered = page.convert("RGB")
    assert rendered.size == (width * ZOOM, height * ZOOM)
    pixels = Image.new("RGB", (width, height))
    pixels.putdata([rendered.getpixel((x * ZOOM + ZOOM // 2, y * ZOOM + ZOOM // 2))
                    for y in range(height) for x in range(width)])
    return pixels, pdf


def differences(a: Image.Image, b: Image.Image) -> int:
    """The largest difference of any channel of any pixel."""
    assert a.size == b.size
    return max(abs(p - q) for pa, pb in zip(a.get_flattened_data(), b.get_flattened_data(),
                                            strict=True) for p, q in zip(pa, pb, strict=True))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_png_kind_renders_as_the_original(kind: str, tmp_path: Path) -> None:
    data = KINDS[kind]()
    page, _pdf = render_alone(data, tmp_path)
    want = expected(data)
    assert page.size == want.size == (W, H)
    # 16-bit samples may round one step differently in poppler and Pillow; every other
    # kind (transparency flattened on white included) comes back exactly.
    assert differences(page, want) <= (1 if kind.endswith("16") else 0), kind


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_png_data_is_passed_through_where_pdf_can_carry_it(kind: str) -> None:
    data = KINDS[kind]()
    image, _ = PixelSource(data, "exhibit").embedded((0, 0, W, H))
    idat = pdfimage._read_png(data)
    assert idat is not None
    if kind in PASSED_THROUGH:
        assert image.data == idat.idat and image.how.startswith("passed through")
    else:
        assert image.data != idat.idat and image.how.startswith("re-encoded")
    has_key = kind in ("palette-clear", "rgb-key", "grey-key")
    assert (image.colour_key is not None) == has_key, kind


def test_screenshot_from_pillow_is_pixel_exact(tmp_path: Path) -> None:
    """A real screenshot-like RGB PNG (Pillow's adaptive filters), 1:1 on the page."""
    picture = Image.new("RGB", (320, 180), (236, 240, 246))
    draw = ImageDraw.Draw(picture)
    draw.rectangle([0, 0, 320, 20], fill=(59, 89, 152))
    for y in range(30, 170, 9):
        draw.rectangle([12, y, 12 + (y * 37) % 280, y + 4], fill=(40, 40, 48))
    draw.ellipse([200, 60, 300, 160], fill=(200, 30, 90), outline=(0, 0, 0))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    page, _ = render_alone(out.getvalue(), tmp_path)
    assert differences(page, picture) == 0


def test_a_strip_of_a_tall_image_shows_exactly_its_rows(tmp_path: Path) -> None:
    data = KINDS["rgb8"]()
    page, _ = render_alone(data, tmp_path, (0, 10, W, 30))
    assert differences(page, expected(data).crop((0, 10, W, 30))) == 0


def _photo(orientation: int) -> bytes:
    """A phone photo stored on its side: 80×48 stored, with EXIF saying how to turn it."""
    picture = Image.new("RGB", (80, 48), (250, 250, 250))
    draw = ImageDraw.Draw(picture)
    draw.rectangle([0, 0, 39, 23], fill=(220, 20, 20))  # stored top left: red
    draw.rectangle([40, 24, 79, 47], fill=(20, 20, 220))  # stored bottom right: blue
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=95, exif=exif)
    return out.getvalue()


def _mean(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[float, ...]:
    pixels = list(image.crop(box).get_flattened_data())
    return tuple(sum(p[c] for p in pixels) / len(pixels) for c in range(3))


@pytest.mark.parametrize("orientation", range(1, 9))
def test_phone_photo_comes_out_upright(orientation: int, tmp_path: Path) -> None:
    data = _photo(orientation)
    source = PixelSource(data, "photo.jpg")
    image, drawn_with = source.embedded((0, 0, *source.size))
    assert image.data == data and drawn_with == orientation  # turned on the page, not re-encoded
    page, _ = render_alone(data, tmp_path)
    want = expected(data)
    assert page.size == want.size == ((48, 80) if orientation >= 5 else (80, 48))
    # JPEG decoders may differ a little; each quarter must still be its colour.
    qw, qh = want.size[0] // 2, want.size[1] // 2
    for box in ((0, 0, qw, qh), (qw, 0, 2 * qw, qh), (0, qh, qw, 2 * qh),
                (qw, qh, 2 * qw, 2 * qh)):
        inner = (box[0] + 3, box[1] + 3, box[2] - 3, box[3] - 3)
        got, wanted = _mean(page, inner), _mean(want, inner)
        assert all(abs(g - w) < 12 for g, w in zip(got, wanted, strict=True)), (box, got,
                                                                                wanted)


def test_orientation_6_is_a_quarter_turn_clockwise(tmp_path: Path) -> None:
    page, _ = render_alone(_photo(6), tmp_path)
    # Stored top left (red) is shown top right; stored bottom right (blue) bottom left.
    assert _mean(page, (30, 5, 44, 35))[0] > 180 > _mean(page, (30, 5, 44, 35))[2]
    assert _mean(page, (4, 45, 18, 75))[2] > 180 > _mean(page, (4, 45, 18, 75))[0]


def test_unusual_files_fall_back_to_decoding(tmp_path: Path) -> None:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 200, 30)).save(out, format="GIF")
    page, _ = render_alone(out.getvalue(), tmp_path)
    assert differences(page, expected(out.getvalue())) == 0
    assert pdfimage.from_png(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20) is None
    assert pdfimage.from_jpeg(b"\xff\xd8\xff\xc3" + b"\x00" * 20) is None


# --- in a real pack ----------------------------------------------------------------------


@dataclass
class Exported:
    result: ExportResult
    originals: dict[str, bytes]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    root = tmp_path_factory.mktemp("images")
    clock = FixedClock(dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.UTC),
                       step=dt.timedelta(seconds=3))
    vault, _ = Vault.create(root / "vault", PASSPHRASE, clock=clock, kdf=keys.FLOOR_PARAMS)
    photo = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 160, 200)).save(photo, format="JPEG", quality=90)
    originals = {"photo.jpg": photo.getvalue(), "sideways.jpg": _photo(6),
                 "palette.png": KINDS["palette-partial"](), "rgba.png": KINDS["rgba"](),
                 "interlaced.png": KINDS["interlaced"](), "palette8.png": KINDS["palette8"](),
                 "grey16.png": KINDS["grey16"]()}
    try:
        save_profile(vault, Profile(name="Jane Smith", initials="JS"))  # marks need initials
        incident = vault.create_incident("Images of every kind")
        for name, data in originals.items():
            vault.add_item(NewItem(data=data, name=name, incident=incident.id,
                                   media_type="image/jpeg" if name.endswith(".jpg")
                                   else "image/png", description=name))
        yield Exported(export_pack(vault, PackRequest(recipient="police",
                                                      incident=incident.id), root / "out"),
                       originals)
    finally:
        vault.lock()


def _image_streams(pdf: Path) -> list[pypdf.generic.StreamObject]:
    found = []
    for page in pypdf.PdfReader(pdf).pages:
        xobjects = page["/Resources"].get("/XObject", {})
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                found.append(obj)
    return found


def test_jpeg_in_the_pack_is_the_file_byte_for_byte(exported: Exported) -> None:
    streams = [s for s in _image_streams(exported.result.pdf) if s["/Filter"] == "/DCTDecode"]
    raw = {bytes(s._data) for s in streams}
    assert exported.originals["photo.jpg"] in raw
    assert exported.originals["sideways.jpg"] in raw


def test_pack_images_are_passed_through_or_flattened(exported: Exported) -> None:
    streams = _image_streams(exported.result.pdf)
    assert len(streams) == len(exported.originals)
    # Chunks only name their pictures (ImageBank); the join writes them: no name is left.
    assert b"/EvidenceKitImage" not in exported.result.pdf.read_bytes()
    assert not any("/SMask" in s for s in streams)  # transparency is flattened on white
    raw = {bytes(s._data) for s in streams}
    for name in ("palette8.png", "grey16.png"):
        png = pdfimage._read_png(exported.originals[name])
        assert png is not None and png.idat in raw, name  # the file's own compressed rows
    indexed = [s for s in streams if isinstance(s["/ColorSpace"], list)]
    assert indexed and indexed[0]["/ColorSpace"][0] == "/Indexed"
    for stream in streams:
        if stream["/Filter"] == "/FlateDecode":
            assert len(stream.get_data()) > 0  # pypdf undoes the predictor without error


def test_adobe_cmyk_jpeg_is_passed_through_not_inverted(tmp_path: Path) -> None:
    picture = Image.new("CMYK", (40, 30), (0, 255, 255, 0))  # magenta and yellow ink: red
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=95)  # Pillow writes Adobe's inverted CMYK
    image, _ = PixelSource(out.getvalue(), "print.jpg").embedded((0, 0, 40, 30))
    assert image.data == out.getvalue() and image.colour_space == "DeviceCMYK"
    page, _ = render_alone(out.getvalue(), tmp_path)
    red, green, blue = _mean(page, (5, 5, 35, 25))
    assert red > 200 and green < 80 and blue < 80  # inverted inks would show cyan


@needs_poppler
def test_a_damaged_import_is_kept_and_the_pack_says_it_cannot_be_shown(tmp_path: Path) -> None:
    # The pack trusts the check made at import (no second full decode per picture), so
    # a picture that check found damaged must still get the sentence, not a broken image.
    from evidence_kit.intake import Details, import_file

    vault, _ = Vault.create(tmp_path / "vault", PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    try:
        save_profile(vault, Profile(name="Jane Smith", initials="JS"))
        incident = vault.create_incident("Pictures sent to me")
        good, cut = tmp_path / "good.png", tmp_path / "cut.png"
        whole = KINDS["rgb8"]()
        good.write_bytes(whole)
        big = io.BytesIO()
        Image.new("RGB", (400, 300), (10, 120, 200)).save(big, format="PNG", compress_level=0)
        cut.write_bytes(big.getvalue()[: len(big.getvalue()) // 2])
        for path in (good, cut):
            import_file(vault, path, Details(incident=incident.id))
        made = export_pack(vault, PackRequest(recipient="slt", incident=incident.id),
                           tmp_path / "out")
    finally:
        vault.lock()
    text = " ".join(" ".join(pdf_text(made.pdf)).split())
    assert text.count("This file is kept but cannot be shown") == 1
    assert "only part of it can be shown" in text
