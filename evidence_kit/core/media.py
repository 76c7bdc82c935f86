"""What a picture is, whether it can be shown, and the thumbnails the browser shows.

Keeping and showing are apart. A picture the user has is always kept, byte for byte:
:func:`inspect_image` never refuses one, it only says what it found (its size, and a
note when it is damaged or cannot be decoded here). The decoding limits protect what
we *draw*: :func:`preview_decision` says whether a picture can be shown (whole, in
part, or not at all, with a sentence to show instead), and :func:`thumbnail_png`
follows it. :func:`check_image` is the strict form, for work that needs every pixel
(redaction).

Pillow's own pixel limit is a process-wide setting, so it is set here, once, to ours:
otherwise its ~179-megapixel default would turn away a real 200-megapixel phone photo
before our own check is reached. Every decode in the app goes through code that
imports this module.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib
import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile, ImageOps

from evidence_kit.core.errors import MediaRejected

# A 200-megapixel phone photo is the largest real evidence we expect; a bomb is far larger.
MAX_IMAGE_PIXELS = 250_000_000
# Pillow warns above its limit and refuses above twice it: refuse exactly above ours.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS // 2


def _silence_libtiff() -> None:
    """Stop libtiff printing to the terminal ("WEBP compression support is not configured").

    libtiff writes its errors and warnings straight to stderr unless given handlers;
    Pillow still gets the error code, and the file is still kept and noted. Best effort:
    a Pillow built some other way only keeps its chatter.
    """
    here = Path(Image.__file__).resolve().parent
    candidates = [*here.parent.glob("pillow.libs/libtiff*"), *here.glob(".dylibs/libtiff*")]
    found = ctypes.util.find_library("tiff")
    for candidate in [*map(str, candidates), *([found] if found else [])]:
        try:
            library = ctypes.CDLL(candidate)
            for setter in (library.TIFFSetErrorHandler, library.TIFFSetWarningHandler):
                setter.restype = ctypes.c_void_p
                setter.argtypes = [ctypes.c_void_p]
                setter(None)
        except (OSError, AttributeError):
            continue


_silence_libtiff()

DAMAGED_PARTIAL = "This picture is damaged: only part of it can be shown."
TOO_LARGE = "This picture is too large to be shown safely."
CANNOT_SHOW = "This picture cannot be decoded on this computer."

IMAGE_TYPES = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    # A phone JPEG with a multi-picture block (depth map, second lens) is still a JPEG.
    "MPO": "image/jpeg",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
    "HEIF": "image/heic",
}


@dataclass(frozen=True)
class ImageFacts:
    media_type: str
    width: int | None
    height: int | None
    format: str
    note: str | None = None
    """A sentence for the user when the picture is damaged or cannot be shown."""


@dataclass(frozen=True)
class CheckedImage:
    """A picture that decodes in full (see :func:`check_image`)."""

    media_type: str
    width: int
    height: int
    format: str


@dataclass(frozen=True)
class PreviewDecision:
    """Whether a picture can be drawn, and what to say when it cannot be drawn whole."""

    show: bool
    """Some pixels can be drawn (all of them unless ``partial``)."""
    partial: bool = False
    message: str | None = None
    """The placeholder text (``show`` False) or the caption beside a partial picture."""


def looks_like_image(data: bytes) -> bool:
    """Cheap sniff of the magic bytes, so non-images never reach the decoder."""
    return _magic_type(data) is not None


def _magic_type(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data.startswith(b"BM"):
        return "image/bmp"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"heim"):
        return "image/heic"
    return None


def heif_available() -> bool:
    """Whether HEIC/HEIF pictures can be decoded here (pillow-heif's opener, registered)."""
    # Registered on first need rather than at import: pillow-heif costs ~20 ms to load,
    # and most vaults hold no iPhone photos. Asked again each time (a loaded module is a
    # dictionary lookup), so the answer is never an old one.
    try:
        pillow_heif = importlib.import_module("pillow_heif")
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


def open_image(data: bytes) -> Image.Image:
    if data[4:8] == b"ftyp":  # HEIC/HEIF (and AVIF, which Pillow reads itself)
        heif_available()
    return Image.open(io.BytesIO(data))


@contextmanager
def _quiet() -> Iterator[None]:
    # Pillow warns (UserWarning) about odd EXIF and TIFF tags and about large pictures;
    # the warnings name site-packages paths and would reach the user's terminal.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _is_truncation(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "truncated" in text or "incomplete" in text or "end of file" in text


def inspect_image(data: bytes) -> ImageFacts:
    """What the picture is, decoding it once in full; never refuses it.

    The whole picture is decoded so that damage is found now and noted on the item,
    not discovered when a pack is made. Pictures above :data:`MAX_IMAGE_PIXELS` are
    not decoded at all.
    """
    fallback = _magic_type(data) or "image/unknown"
    try:
        with _quiet(), open_image(data) as image:
            width, height = image.size
            fmt = image.format or "unknown"
            media_type = IMAGE_TYPES.get(fmt, f"image/{fmt.lower()}")
            if width * height > MAX_IMAGE_PIXELS:
                return ImageFacts(media_type, width, height, fmt, TOO_LARGE)
            try:
                image.load()
            except Exception as exc:  # decoders raise OSError, ValueError, RuntimeError…
                note = DAMAGED_PARTIAL if _is_truncation(exc) else CANNOT_SHOW
                return ImageFacts(media_type, width, height, fmt, note)
            return ImageFacts(media_type, width, height, fmt)
    except Image.DecompressionBombError:
        return ImageFacts(fallback, None, None, "unknown", TOO_LARGE)
    except Exception as exc:  # the header itself is unreadable or cut short
        note = DAMAGED_PARTIAL if _is_truncation(exc) else CANNOT_SHOW
        return ImageFacts(fallback, None, None, "unknown", note)


def preview_decision(data: bytes) -> PreviewDecision:
    """Whether a picture can be shown, from a full decode (see :func:`inspect_image`)."""
    facts = inspect_image(data)
    if facts.note is None:
        return PreviewDecision(True)
    if facts.note == DAMAGED_PARTIAL and facts.width is not None:
        return PreviewDecision(True, partial=True, message=DAMAGED_PARTIAL)
    if facts.note == DAMAGED_PARTIAL:
        return PreviewDecision(False, message="This picture is damaged and cannot be shown.")
    return PreviewDecision(False, message=facts.note)


def check_image(data: bytes, name: str = "the image") -> CheckedImage:
    """The strict check, for work that needs every pixel: refuses what cannot be decoded."""
    facts = inspect_image(data)
    if facts.note == TOO_LARGE:
        raise MediaRejected(
            f"{name} is larger than any real screenshot or photo (a 'decompression "
            "bomb'), so it cannot be worked on.")
    if facts.note is not None or facts.width is None or facts.height is None:
        raise MediaRejected(f"{name} is damaged or cannot be decoded here, so it cannot be "
                            "worked on.")
    return CheckedImage(facts.media_type, facts.width, facts.height, facts.format)


def _partial(image: Image.Image) -> Image.Image:
    """The rows a truncated picture did decode, before the error (the rest stays black)."""
    try:
        image.load()
    except OSError as exc:
        if not _is_truncation(exc) or not isinstance(image, ImageFile.ImageFile):
            raise
        # Pillow has already decoded what was there into the image's memory; dropping
        # the remaining tiles lets it be used as it is, with no global switch
        # (ImageFile.LOAD_TRUNCATED_IMAGES would change every decode in the process).
        image.tile = []
    return image


def thumbnail_png(data: bytes, longest_side: int = 320) -> bytes | None:
    """A small PNG for browsing, or None when the picture cannot be shown.

    It decides as :func:`preview_decision` does (too large or undecodable: None; cut
    short: the part that decodes) from the one reduced decode it makes anyway.
    """
    try:
        with _quiet(), open_image(data) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                return None
            image.draft("RGB", (longest_side, longest_side))
            # Upright, as the viewer and the packs show it (phone photos are often
            # stored sideways with an EXIF orientation).
            source = ImageOps.exif_transpose(_partial(image))
            thumb = source.convert("RGBA") if source.mode in ("P", "LA") else source.convert("RGB")
            thumb.thumbnail((longest_side, longest_side))
            out = io.BytesIO()
            thumb.save(out, format="PNG", compress_level=6)
            return out.getvalue()
    except Image.DecompressionBombError:
        return None
    except Exception:  # decoders raise OSError, ValueError, RuntimeError…: no preview
        return None
