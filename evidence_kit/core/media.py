"""Checks on images before they are trusted, and the thumbnails the browser shows.

Only the checks live here; the bytes stored are always the bytes given. Pillow is
told nothing global: the pixel limit is ours and is checked from the header before
any pixel is decoded, so a decompression bomb costs nothing to refuse.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from evidence_kit.core.errors import MediaRejected

# A 200-megapixel phone photo is the largest real evidence we expect; a bomb is far larger.
MAX_IMAGE_PIXELS = 250_000_000

IMAGE_TYPES = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
    "HEIF": "image/heic",
}


@dataclass(frozen=True)
class ImageFacts:
    media_type: str
    width: int
    height: int
    format: str


def looks_like_image(data: bytes) -> bool:
    """Cheap sniff of the magic bytes, so non-images never reach the decoder."""
    return (
        data.startswith(b"\x89PNG\r\n\x1a\n")
        or data.startswith(b"\xff\xd8\xff")
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
        or data[:6] in (b"GIF87a", b"GIF89a")
        or data.startswith(b"BM")
        or data[:4] in (b"II*\x00", b"MM\x00*")
        or (data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"heim"))
    )


def check_image(data: bytes, name: str = "the image") -> ImageFacts:
    """Decode the whole image once, refusing truncated files and decompression bombs."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # A damaged EXIF block is the file's problem, not a reason to refuse pixels.
            warnings.filterwarnings("ignore", message="(?i).*exif", category=UserWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise MediaRejected(
                        f"{name} claims to be {width}×{height} pixels, far larger than any "
                        "real screenshot or photo (a 'decompression bomb'); it was not added."
                    )
                fmt = image.format or "unknown"
                image.load()
    except MediaRejected:
        raise
    except Image.DecompressionBombError as exc:
        raise MediaRejected(
            f"{name} is built to expand to an enormous size when opened (a "
            "'decompression bomb'); it was not added."
        ) from exc
    except UnidentifiedImageError as exc:
        raise MediaRejected(f"{name} looks like an image but cannot be read as one.") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaRejected(
            f"{name} is damaged or incomplete (perhaps cut short while copying): {exc}."
        ) from exc
    return ImageFacts(IMAGE_TYPES.get(fmt, f"image/{fmt.lower()}"), width, height, fmt)


def thumbnail_png(data: bytes, longest_side: int = 320) -> bytes:
    """A small PNG for browsing; only call on bytes that passed :func:`check_image`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (longest_side, longest_side))
            thumb = image.convert("RGBA") if image.mode in ("P", "LA") else image.convert("RGB")
            thumb.thumbnail((longest_side, longest_side))
            out = io.BytesIO()
            thumb.save(out, format="PNG", compress_level=6)
            return out.getvalue()
