"""Pictures: their size, and the dates and camera the file claims (EXIF, XMP)."""

from __future__ import annotations

import io
import re
import warnings
from typing import Any

from PIL import Image, features

from evidence_kit.capture.imports.facts import Draft
from evidence_kit.core.media import heif_available, inspect_image

HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
AVIF_BRANDS = {b"avif", b"avis"}
_EXIF_IFD = 0x8769
_EXIF_TAGS = {  # tag: key in reported
    0x010F: "camera_make",
    0x0110: "camera_model",
    0x0131: "software",
    0x0132: "exif_date_time",
}
_EXIF_SUB_TAGS = {
    0x9003: "exif_date_time_original",
    0x9011: "exif_offset_time_original",
    0x9004: "exif_date_time_digitized",
}
_EXIF_USER_COMMENT = 0x9286
_XMP_DATE = re.compile(
    rb"(?:photoshop:DateCreated|xmp:CreateDate)(?:>|=[\"'])\s*([0-9T:+\-.Z ]{4,40})"
)



def _user_comment(value: Any) -> str | None:
    """EXIF UserComment: an 8-byte character-set code, then the text (iOS: "Screenshot")."""
    if not isinstance(value, bytes):
        return None if value is None else str(value)
    code, body = value[:8], value[8:]
    if code.startswith(b"UNICODE"):
        # The byte order follows the file's, which Pillow does not pass on; a stray
        # NUL-heavy decoding shows the wrong guess.
        for encoding in ("utf-16-be", "utf-16-le"):
            text = body.decode(encoding, errors="replace")
            if all(ch.isprintable() or ch.isspace() for ch in text):
                return text
        return None
    if code.startswith(b"ASCII") or code == bytes(8):
        return body.decode("ascii", errors="replace")
    return None


def _image_metadata(data: bytes, fmt: str, facts: Draft) -> None:
    try:
        with warnings.catch_warnings():
            # Broken EXIF is common in forwarded photos; it only costs us the detail.
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
                if isinstance(xmp, str):
                    xmp = xmp.encode("utf-8", errors="replace")
                if isinstance(xmp, bytes) and (found := _XMP_DATE.search(xmp)):
                    facts.report("xmp_date_created", found.group(1).decode("ascii"))
                # A PNG without an eXIf chunk would be decoded a second time for nothing.
                if fmt == "PNG" and b"eXIf" not in data:
                    return
                exif = image.getexif()
                for tag, key in _EXIF_TAGS.items():
                    facts.report(key, exif.get(tag))
                sub = exif.get_ifd(_EXIF_IFD)
                for tag, key in _EXIF_SUB_TAGS.items():
                    facts.report(key, sub.get(tag))
                facts.report("exif_user_comment", _user_comment(sub.get(_EXIF_USER_COMMENT)))
    except Exception as exc:  # hostile metadata must never stop the evidence being kept
        facts.notes.append(f"The picture's embedded details (EXIF) could not be read: {exc}.")


def describe_image(data: bytes, brand: bytes | None) -> Draft:
    if brand is not None:
        is_avif = brand in AVIF_BRANDS
        media_type = "image/avif" if is_avif else "image/heic"
        readable = features.check("avif") if is_avif else heif_available()
        if not readable:
            facts = Draft(media_type, "image")
            add_on = "AVIF support in Pillow" if is_avif else "the pillow-heif add-on"
            facts.notes.append(
                f"This kind of picture cannot be opened on this computer ({add_on} is not "
                "installed), so its size and dates were not read; it is kept as it is."
            )
            return facts
    # Never a refusal: a picture the user has is kept, with a note when it is damaged
    # or cannot be decoded here (see evidence_kit.core.media).
    image_facts = inspect_image(data)
    media_type = image_facts.media_type
    if brand is not None and image_facts.width is None:
        media_type = "image/avif" if brand in AVIF_BRANDS else "image/heic"
    facts = Draft(media_type, "image")
    facts.report("width", image_facts.width)
    facts.report("height", image_facts.height)
    if image_facts.note is not None:
        facts.notes.append(f"{image_facts.note} It is kept exactly as it is.")
    if image_facts.width is not None:
        _image_metadata(data, image_facts.format, facts)
    return facts
