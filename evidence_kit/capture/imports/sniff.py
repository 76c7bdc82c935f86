"""Which describer a file goes to, decided by its content first and its name second."""

from __future__ import annotations

from pathlib import Path

from evidence_kit.capture.imports.av import (
    describe_amr,
    describe_flac,
    describe_iso_media,
    describe_mp3,
    describe_ogg,
    describe_wav,
    is_mp3,
)
from evidence_kit.capture.imports.chat import (
    MAX_CHAT_TEXT_BYTES,
    decode_text,
    describe_zip,
    whatsapp_summary,
)
from evidence_kit.capture.imports.documents import describe_pdf
from evidence_kit.capture.imports.facts import OCTET_STREAM, Draft, ImportFacts
from evidence_kit.capture.imports.images import AVIF_BRANDS, HEIF_BRANDS, describe_image
from evidence_kit.capture.imports.mail import (
    MSG_STREAM_NAME,
    OLE_MAGIC,
    describe_email,
    describe_outlook,
    looks_like_email,
)
from evidence_kit.core.errors import FileProblem

_EXTENSION_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".heic": "image/heic",
    ".heif": "image/heic",
    ".avif": "image/avif",
    ".eml": "message/rfc822",
    ".msg": "application/vnd.ms-outlook",
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".amr": "audio/amr",
    ".flac": "audio/flac",
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".txt": "text/plain",
}
# Text has no magic bytes, so for text the name is the only hint at a subtype.
_TEXT_EXTENSION_TYPES = {
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".html": "text/html",
    ".htm": "text/html",
    ".md": "text/markdown",
    ".json": "application/json",
    ".xml": "application/xml",
    ".srt": "application/x-subrip",
    ".vtt": "text/vtt",
}



def _ftyp_brand(data: bytes) -> bytes | None:
    return data[8:12] if len(data) >= 12 and data[4:8] == b"ftyp" else None


def sniff(data: bytes, name: str, ext: str) -> Draft:
    brand = _ftyp_brand(data)
    if brand is not None and (brand in HEIF_BRANDS or brand in AVIF_BRANDS):
        compatible = data[16 : min(len(data), 64)]
        if brand == b"mif1" and b"avif" in compatible:
            brand = b"avif"
        return describe_image(data, brand)
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) or (
        data[:4] in (b"II*\x00", b"MM\x00*")
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
        or (data.startswith(b"BM") and len(data) >= 26 and data[6:10] == b"\0\0\0\0")
    ):
        return describe_image(data, None)
    if brand is not None:
        return describe_iso_media(data, brand, ext)
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return describe_wav(data)
    if data[:4] == b"RIFF" and data[8:12] == b"AVI ":
        return Draft("video/x-msvideo", "video")
    if data.startswith(b"OggS"):
        return describe_ogg(data)
    if data.startswith((b"#!AMR\n", b"#!AMR-WB\n")):
        return describe_amr(data)
    if data.startswith(b"fLaC"):
        return describe_flac(data)
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        return Draft("video/webm", "video")
    if b"%PDF-" in data[:1024]:
        return describe_pdf(data)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return describe_zip(data)
    if data.startswith(OLE_MAGIC):
        if ext == ".msg" or MSG_STREAM_NAME in data[:1024 * 1024]:
            return describe_outlook(data)
        return Draft("application/x-ole-storage", "other")
    if is_mp3(data):
        return describe_mp3(data)
    if looks_like_email(data) or (ext == ".eml" and decode_text(data) is not None):
        return describe_email(data)
    text = decode_text(data)
    if text is None:
        return Draft(OCTET_STREAM, "other")
    summary = whatsapp_summary(text[: MAX_CHAT_TEXT_BYTES])
    if summary is not None:
        facts = Draft("text/plain", "chat")
        facts.reported.update(summary)
        return facts
    head = text[:512].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        media_type = "text/html"
    else:
        media_type = _TEXT_EXTENSION_TYPES.get(ext, "text/plain")
    facts = Draft(media_type, "text")
    facts.report("lines", text.count("\n") + (0 if text.endswith("\n") else 1))
    return facts


def describe(data: bytes | bytearray | memoryview, name: str) -> ImportFacts:
    """Type and self-reported facts of an imported file; never changes ``data``.

    ``name`` is the file's name as the user sees it, used in messages and as a
    second hint at the type. Raises :class:`FileProblem` only for an empty file:
    anything else is described as far as it can be, with notes, and kept.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"describe() needs the file's bytes, not {type(data).__name__}")
    # A private immutable copy (free for bytes): nothing here can write to the caller's.
    data = bytes(data)
    if not data:
        raise FileProblem(f"{name} is empty (0 bytes), so there is nothing to keep.")
    ext = Path(name).suffix.lower()
    facts = sniff(data, name, ext)
    expected = _EXTENSION_TYPES.get(ext)
    if expected is not None and not _same_family(expected, facts.media_type):
        what = facts.media_type if facts.media_type != OCTET_STREAM else "not recognised"
        facts.notes.append(
            f"The name ends in {ext} but the content is {what}; it is kept exactly as it is."
        )
    return facts.freeze()


def _same_family(expected: str, actual: str) -> bool:
    if expected == actual:
        return True
    # .mp4 holding only sound, .m4a written as video/mp4, .amr as AMR-WB, .txt as a chat …
    pairs = {
        ("video/mp4", "audio/mp4"),
        ("audio/mp4", "video/mp4"),
        ("audio/amr", "audio/amr-wb"),
        ("image/heic", "image/avif"),
        ("audio/ogg", "video/ogg"),
        ("video/mp4", "video/quicktime"),
        ("video/quicktime", "video/mp4"),
    }
    return (expected, actual) in pairs

