"""What an imported file is, read from its bytes without changing them.

:func:`describe` is pure: it looks at the bytes the vault has already hashed and
returns the type, a kind for the browser, and the facts the file states about
itself (an email's headers, a photo's EXIF time, a voicemail's length). Those facts
are kept under ``reported`` because they are claims made by the file, not checked
by us: a camera clock can be wrong and an email header can be forged.

The type comes from the content first and the name second, so a renamed file is
typed by what it is; the mismatch is noted, never fixed. Every parser here reads
hostile input: lengths are checked before use, reads are bounded, and failing to
read a detail (a broken EXIF block, a damaged PDF) only omits that detail.

Only a damaged image (refused by :func:`evidence_kit.core.media.check_image`), an
empty file or a chat archive built to exhaust memory is refused outright.
"""

from __future__ import annotations

import datetime as dt
import email
import email.message
import email.policy
import email.utils
import importlib
import io
import re
import struct
import warnings
import wave
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from PIL import Image, features

from evidence_kit.core.clock import utc_stamp
from evidence_kit.core.errors import FileProblem
from evidence_kit.core.media import check_image

JsonValue: TypeAlias = "str | int | bool | list[JsonValue] | dict[str, JsonValue] | None"

KINDS = ("image", "email", "audio", "video", "pdf", "text", "chat", "other")

OCTET_STREAM = "application/octet-stream"

MAX_REPORTED_TEXT = 2000
"""Longest header or tag value kept; longer ones are cut and end with an ellipsis."""

MAX_CHAT_TEXT_BYTES = 64 * 1024 * 1024
"""A WhatsApp text export of years of chat is a few MB; more is not a chat export."""

MAX_ZIP_RATIO = 200
"""Text compresses ~10x; a member claiming far more is built to exhaust memory."""

MAX_ZIP_ENTRIES = 200_000
MAX_SCAN_FOR_AMR = 32 * 1024 * 1024
_JSON_SAFE_INT = 2**53

JUNK_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store", "icon\r"})
JUNK_DIRS = frozenset({"__macosx", ".spotlight-v100", ".trashes", ".fseventsd", ".git"})

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


@dataclass(frozen=True)
class ImportFacts:
    media_type: str
    kind: str
    """One of :data:`KINDS`."""
    reported: dict[str, JsonValue] = field(default_factory=dict)
    """Facts the file states about itself, as it states them; JSON-able, no floats."""
    notes: tuple[str, ...] = ()
    """Plain sentences about what we noticed (a misleading name, a detail unreadable)."""

    def to_record(self) -> dict[str, JsonValue]:
        return {
            "media_type": self.media_type,
            "kind": self.kind,
            "reported": _json_safe(self.reported),
            "notes": list(self.notes),
        }


class _Facts:
    """Mutable scratch space while one file is described."""

    def __init__(self, media_type: str, kind: str) -> None:
        self.media_type = media_type
        self.kind = kind
        self.reported: dict[str, JsonValue] = {}
        self.notes: list[str] = []

    def report(self, key: str, value: Any) -> None:
        cleaned = _clean(value)
        if cleaned is not None:
            self.reported[key] = cleaned

    def freeze(self) -> ImportFacts:
        return ImportFacts(
            self.media_type, self.kind, _json_safe(self.reported), tuple(self.notes)
        )


def _clean(value: Any) -> JsonValue:
    """A value read from a file, made safe to show and store, or None when blank."""
    if value is None:
        return None
    if isinstance(value, bool | int):
        return value
    if isinstance(value, list | tuple):
        items = [_clean(item) for item in value]
        return [item for item in items if item is not None]
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = str(value).replace("\x00", "").strip()
    if not text:
        return None
    if len(text) > MAX_REPORTED_TEXT:
        text = text[:MAX_REPORTED_TEXT] + "…"
    return text


def _json_safe(value: Any) -> Any:
    # Records are hashed as JCS, which cannot carry integers beyond 2**53 exactly.
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < _JSON_SAFE_INT else str(value)
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value


# --------------------------------------------------------------------------- images

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}
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


def _heif_available() -> bool:
    try:
        pillow_heif = importlib.import_module("pillow_heif")
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


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


def _image_metadata(data: bytes, fmt: str, facts: _Facts) -> None:
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


def _describe_image(data: bytes, name: str, brand: bytes | None) -> _Facts:
    if brand is not None:
        is_avif = brand in _AVIF_BRANDS
        media_type = "image/avif" if is_avif else "image/heic"
        readable = features.check("avif") if is_avif else _heif_available()
        if not readable:
            facts = _Facts(media_type, "image")
            add_on = "AVIF support in Pillow" if is_avif else "the pillow-heif add-on"
            facts.notes.append(
                f"This kind of picture cannot be opened on this computer ({add_on} is not "
                "installed), so its size and dates were not read; it is kept as it is."
            )
            return facts
    with warnings.catch_warnings():
        # Pillow warns (UserWarning) about corrupt EXIF while decoding; the pixels are
        # still checked in full, and a warning turned into an error must not look like
        # a crash to the user.
        warnings.simplefilter("ignore", UserWarning)
        image_facts = check_image(data, name)
    facts = _Facts(image_facts.media_type, "image")
    facts.report("width", image_facts.width)
    facts.report("height", image_facts.height)
    _image_metadata(data, image_facts.format, facts)
    return facts


# --------------------------------------------------------------------------- email

_HEADER_LINE = re.compile(rb"^[!-9;-~]{1,76}:[ \t]?", re.MULTILINE)
_KNOWN_HEADERS = re.compile(
    rb"^(from|to|subject|date|message-id|received|return-path|mime-version|"
    rb"delivered-to|reply-to|cc|x-[a-z0-9-]+):",
    re.IGNORECASE | re.MULTILINE,
)
_EMAIL_HEADERS = {
    "From": "from",
    "To": "to",
    "Cc": "cc",
    "Date": "date",
    "Subject": "subject",
    "Message-ID": "message_id",
}


def _looks_like_email(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith(b"From "):  # an mbox "From " line before the headers
        head = head.split(b"\n", 1)[-1]
    if not _HEADER_LINE.match(head):
        return False
    block = re.split(rb"\r?\n\r?\n", head, maxsplit=1)[0]
    found = {m.group(1).lower() for m in _KNOWN_HEADERS.finditer(block)}
    return len(found) >= 2 and bool(found & {b"from", b"to", b"subject", b"date"})


def _header_text(message: email.message.Message, header: str) -> str | None:
    try:
        value = message.get(header)
        return None if value is None else str(value)
    except Exception:  # the modern parser trips on some broken headers; fall back to raw
        return None


def _describe_email(data: bytes) -> _Facts:
    facts = _Facts("message/rfc822", "email")
    modern = email.message_from_bytes(data, policy=email.policy.default)
    raw = email.message_from_bytes(data, policy=email.policy.compat32)
    for header, key in _EMAIL_HEADERS.items():
        text = _header_text(modern, header)
        if text is None:
            text = _header_text(raw, header)
        facts.report(key, text)
    date_text = _header_text(raw, "Date")
    if date_text:
        try:
            sent = email.utils.parsedate_to_datetime(date_text)
        except (TypeError, ValueError, IndexError):
            sent = None
        if sent is not None and sent.tzinfo is not None:
            facts.report("date_utc", utc_stamp(sent))
    attachments: list[str] = []
    try:
        for part in modern.walk():
            if part.is_multipart():
                continue
            filename = part.get_filename()
            if filename or part.get_content_disposition() == "attachment":
                attachments.append(str(filename) if filename else "(no name)")
    except Exception as exc:  # a malformed MIME tree still leaves the headers worth keeping
        facts.notes.append(f"The email's attachments could not all be listed: {exc}.")
    if attachments:
        facts.report("attachments", attachments)
    if modern.defects:
        facts.notes.append("The email is not perfectly formed; its headers are shown as found.")
    return facts


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MSG_STREAM_NAME = "__substg1.0_".encode("utf-16-le")


def _describe_outlook(data: bytes) -> _Facts:
    facts = _Facts("application/vnd.ms-outlook", "email")
    try:
        extract_msg = importlib.import_module("extract_msg")
    except ImportError:
        facts.notes.append(
            "Outlook .msg details (sender, date, subject) cannot be read on this computer; "
            "the message is kept as it is."
        )
        return facts
    try:
        message = extract_msg.openMsg(data)
        try:
            facts.report("from", message.sender)
            facts.report("to", message.to)
            facts.report("cc", message.cc)
            facts.report("date", message.date)
            facts.report("subject", message.subject)
            facts.report("message_id", message.messageId)
            names = [
                getattr(item, "longFilename", None) or getattr(item, "shortFilename", None)
                for item in getattr(message, "attachments", [])
            ]
            facts.report("attachments", [n or "(no name)" for n in names])
        finally:
            message.close()
    except Exception as exc:  # the library reads hostile files; any failure costs only details
        facts.notes.append(f"The Outlook message's details could not be read: {exc}.")
    return facts


# --------------------------------------------------------------------------- audio / video

_MP3_BITRATES = {
    (3, 3): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (3, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (3, 1): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (2, 3): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (2, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (2, 1): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


@dataclass(frozen=True)
class _MpegFrame:
    mpeg1: bool
    layer: int
    sample_rate: int
    mono: bool
    length: int

    @property
    def samples(self) -> int:
        if self.layer == 3:
            return 384
        if self.layer == 1 and not self.mpeg1:
            return 576
        return 1152


def _mpeg_frame(data: bytes, pos: int) -> _MpegFrame | None:
    if pos + 4 > len(data) or data[pos] != 0xFF or data[pos + 1] & 0xE0 != 0xE0:
        return None
    b1, b2, b3 = data[pos + 1], data[pos + 2], data[pos + 3]
    version, layer_bits = (b1 >> 3) & 3, (b1 >> 1) & 3  # layer_bits: 3=I, 2=II, 1=III
    bitrate_index, rate_index = b2 >> 4, (b2 >> 2) & 3
    if version == 1 or layer_bits == 0 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    table = _MP3_BITRATES[(3 if version == 3 else 2, layer_bits)]
    bitrate = table[bitrate_index] * 1000
    rate = _MP3_RATES[version][rate_index]
    padding = (b2 >> 1) & 1
    if layer_bits == 3:
        length = (12 * bitrate // rate + padding) * 4
    elif layer_bits == 1 and version != 3:
        length = 72 * bitrate // rate + padding
    else:
        length = 144 * bitrate // rate + padding
    return _MpegFrame(version == 3, layer_bits, rate, b3 >> 6 == 3, length)


def _id3_end(data: bytes) -> int:
    if data[:3] != b"ID3" or len(data) < 10:
        return 0
    size = 0
    for byte in data[6:10]:
        size = (size << 7) | (byte & 0x7F)
    return 10 + size + (10 if data[5] & 0x10 else 0)


def _is_mp3(data: bytes) -> bool:
    if data[:3] == b"ID3":
        return True
    first = _mpeg_frame(data, 0)
    # A lone 0xFFEx pair is common in random bytes; two frames back to back are not.
    return first is not None and _mpeg_frame(data, first.length) is not None


def _describe_mp3(data: bytes) -> _Facts:
    facts = _Facts("audio/mpeg", "audio")
    pos = _id3_end(data)
    frame = _mpeg_frame(data, pos)
    if frame is None:
        return facts
    facts.report("sample_rate", frame.sample_rate)
    # Only a Xing/Info or VBRI header states the length; guessing from the size would
    # be our estimate, not the file's, and is wrong for variable bit rates.
    side = (17 if frame.mono else 32) if frame.mpeg1 else (9 if frame.mono else 17)
    xing = pos + 4 + side
    frames: int | None = None
    if data[xing : xing + 4] in (b"Xing", b"Info") and len(data) >= xing + 12:
        (flags,) = struct.unpack(">I", data[xing + 4 : xing + 8])
        if flags & 1:
            (frames,) = struct.unpack(">I", data[xing + 8 : xing + 12])
    elif data[pos + 36 : pos + 40] == b"VBRI" and len(data) >= pos + 54:
        (frames,) = struct.unpack(">I", data[pos + 50 : pos + 54])
    if frames:
        facts.report("duration_ms", frames * frame.samples * 1000 // frame.sample_rate)
    return facts


def _describe_wav(data: bytes) -> _Facts:
    facts = _Facts("audio/wav", "audio")
    try:
        with wave.open(io.BytesIO(data)) as reader:
            rate, frames = reader.getframerate(), reader.getnframes()
            facts.report("channels", reader.getnchannels())
            facts.report("sample_rate", rate)
            if rate > 0:
                facts.report("duration_ms", frames * 1000 // rate)
    except Exception as exc:  # the wave module raises RuntimeError, EOFError… on odd headers
        facts.notes.append(f"The recording's length could not be read ({exc!r}).")
    return facts


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """ISO base media boxes between start and end: (type, payload start, box end)."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            if pos + 16 > end:
                return
            (size,) = struct.unpack(">Q", data[pos + 8 : pos + 16])
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        yield kind, pos + header, pos + size
        pos += size


def _child(data: bytes, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    for found, payload, box_end in _boxes(data, start, end):
        if found == kind:
            return payload, box_end
    return None


_MP4_EPOCH = dt.datetime(1904, 1, 1, tzinfo=dt.UTC)


def _describe_iso_media(data: bytes, brand: bytes, ext: str) -> _Facts:
    moov = _child(data, 0, len(data), b"moov")
    handlers: set[bytes] = set()
    facts = _Facts("", "")
    if moov is not None:
        mvhd = _child(data, *moov, b"mvhd")
        if mvhd is not None:
            start, end = mvhd
            version = data[start] if start < end else 0
            layout = ">QQIQ" if version == 1 else ">IIII"
            needed = struct.calcsize(layout)
            if end - start >= 4 + needed:
                created, _, timescale, duration = struct.unpack(
                    layout, data[start + 4 : start + 4 + needed]
                )
                if timescale:
                    facts.report("duration_ms", duration * 1000 // timescale)
                if created:
                    try:
                        facts.report(
                            "created_utc", utc_stamp(_MP4_EPOCH + dt.timedelta(seconds=created))
                        )
                    except OverflowError:
                        facts.notes.append("The recording's creation time is out of range.")
        for kind, payload, end in _boxes(data, *moov):
            if kind != b"trak":
                continue
            mdia = _child(data, payload, end, b"mdia")
            hdlr = _child(data, *mdia, b"hdlr") if mdia else None
            if hdlr is not None and hdlr[1] - hdlr[0] >= 12:
                handlers.add(data[hdlr[0] + 8 : hdlr[0] + 12])
    audio_only = b"vide" not in handlers and (b"soun" in handlers or brand.startswith(b"M4"))
    if brand.startswith(b"3g"):
        facts.media_type = "audio/3gpp" if audio_only else "video/3gpp"
    elif audio_only or (not handlers and ext == ".m4a"):
        facts.media_type = "audio/mp4"
    elif brand == b"qt  ":
        facts.media_type = "video/quicktime"
    else:
        facts.media_type = "video/mp4"
    facts.kind = facts.media_type.split("/")[0]
    return facts


def _describe_ogg(data: bytes) -> _Facts:
    facts = _Facts("audio/ogg", "audio")
    if len(data) < 28:
        return facts
    segments = data[26]
    packet = data[27 + segments : 27 + segments + 64]
    serial = data[14:18]
    rate = preskip = 0
    if packet.startswith(b"OpusHead") and len(packet) >= 16:
        rate, (preskip,) = 48000, struct.unpack("<H", packet[10:12])
    elif packet.startswith(b"\x01vorbis") and len(packet) >= 16:
        (rate,) = struct.unpack("<I", packet[12:16])
    elif packet.startswith(b"\x80theora"):
        facts.media_type, facts.kind = "video/ogg", "video"
        return facts
    if not rate:
        return facts
    facts.report("sample_rate", rate)
    # The last page's granule position is the stream's length in samples.
    pos = data.rfind(b"OggS", max(0, len(data) - 256 * 1024))
    while pos > 0 and data[pos + 14 : pos + 18] != serial:
        pos = data.rfind(b"OggS", max(0, len(data) - 256 * 1024), pos)
    if pos >= 0 and pos + 14 <= len(data):
        (granule,) = struct.unpack("<q", data[pos + 6 : pos + 14])
        if granule > preskip:
            facts.report("duration_ms", (granule - preskip) * 1000 // rate)
    return facts


_AMR_NB_SIZES = (12, 13, 15, 17, 19, 20, 26, 31, 5, 6, 5, 5, None, None, None, 0)
_AMR_WB_SIZES = (17, 23, 32, 36, 40, 46, 50, 58, 60, 5, None, None, None, None, 0, 0)


def _describe_amr(data: bytes) -> _Facts:
    wideband = data.startswith(b"#!AMR-WB\n")
    facts = _Facts("audio/amr-wb" if wideband else "audio/amr", "audio")
    if len(data) > MAX_SCAN_FOR_AMR:
        return facts
    sizes = _AMR_WB_SIZES if wideband else _AMR_NB_SIZES
    pos, frames = (9 if wideband else 6), 0
    while pos < len(data):
        size = sizes[(data[pos] >> 3) & 0x0F]
        if size is None:
            return facts  # not a frame we know: better no length than a wrong one
        pos += 1 + size
        frames += 1
    if pos == len(data):
        facts.report("duration_ms", frames * 20)  # every AMR frame is 20 ms
    return facts


def _describe_flac(data: bytes) -> _Facts:
    facts = _Facts("audio/flac", "audio")
    if len(data) >= 42 and data[4] & 0x7F == 0:  # STREAMINFO is always the first block
        (packed,) = struct.unpack(">Q", data[18:26])
        rate = packed >> 44
        samples = packed & ((1 << 36) - 1)
        if rate:
            facts.report("sample_rate", rate)
            if samples:
                facts.report("duration_ms", samples * 1000 // rate)
    return facts


# --------------------------------------------------------------------------- pdf

def _describe_pdf(data: bytes) -> _Facts:
    facts = _Facts("application/pdf", "pdf")
    try:
        pypdf = importlib.import_module("pypdf")
    except ImportError:
        return facts
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                facts.report("encrypted", True)
                return facts
            facts.report("pages", len(reader.pages))
            meta = reader.metadata
            if meta is not None:
                facts.report("title", meta.get("/Title"))
                facts.report("author", meta.get("/Author"))
                facts.report("created", meta.get("/CreationDate"))
                facts.report("producer", meta.get("/Producer"))
    except Exception as exc:  # pypdf raises many types on damaged files; only details are lost
        facts.notes.append(f"The PDF's pages could not be counted: {exc}.")
    return facts


# --------------------------------------------------------------------------- chats

_DATE = r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[AaPp]\.?\s?[Mm]\.?)?"
_ANDROID_LINE = re.compile(rf"^({_DATE}),?\s({_TIME})\s[-–]\s(.*)$")
_IOS_LINE = re.compile(rf"^\[({_DATE}),?\s({_TIME})\]\s(.*)$")
_SENDER = re.compile(r"^([^:\n]{1,120}?):\s(.*)$")
# Exports sprinkle direction marks and BOMs at line starts; they are not content.
_INVISIBLE_PREFIX = "\ufeff\u200e\u200f\u202a\u202b\u202c\u2066\u2067\u2068\u2069"
_MAX_PARTICIPANTS = 1000


def whatsapp_summary(text: str) -> dict[str, JsonValue] | None:
    """Message count, participants and first/last date of a WhatsApp export, or None.

    Dates are returned exactly as written: the export uses the phone's locale, so
    12/03/2024 may be March or December, and only the person who exported knows.
    """
    pattern = None
    count = 0
    participants: dict[str, None] = {}
    first = last = None
    for raw_line in text.splitlines():
        line = raw_line.lstrip(_INVISIBLE_PREFIX)
        if not line.strip():
            continue
        if pattern is None:
            pattern = next((p for p in (_ANDROID_LINE, _IOS_LINE) if p.match(line)), None)
            if pattern is None:
                return None  # an export starts with a dated line; anything else is not one
        found = pattern.match(line)
        if found is None:
            continue  # the next line of a multi-line message
        stamp = f"{found.group(1)}, {found.group(2)}"
        first = first or stamp
        last = stamp
        sender = _SENDER.match(found.group(3).lstrip(_INVISIBLE_PREFIX))
        if sender is not None:
            count += 1
            if len(participants) < _MAX_PARTICIPANTS:
                participants[sender.group(1).strip(_INVISIBLE_PREFIX + " ")] = None
    if pattern is None or count == 0:
        return None
    return {
        "chat_format": "WhatsApp (Android)" if pattern is _ANDROID_LINE else "WhatsApp (iOS)",
        "message_count": count,
        "participants": list(participants),
        "first_message_at": first,
        "last_message_at": last,
    }


def _decode_text(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:65536]:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    controls = sum(1 for c in text[:65536] if ord(c) < 32 and c not in "\t\n\r\f\v\x1b")
    return None if controls > 8 else text


_CHAT_MEMBER = re.compile(r"^(_chat\.txt|WhatsApp.*\.txt)$", re.IGNORECASE)


def _describe_zip(data: bytes, name: str) -> _Facts:
    facts = _Facts("application/zip", "other")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        facts.notes.append(f"The ZIP archive is damaged; its contents could not be listed ({exc}).")
        return facts
    with archive:
        infos = archive.infolist()
        facts.report("entries", len(infos))
        names = [info.filename for info in infos[:MAX_ZIP_ENTRIES]]
        if any(n.startswith("word/") for n in names) and "[Content_Types].xml" in names:
            facts.media_type = (
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            )
            return facts
        chats = [i for i in infos[:MAX_ZIP_ENTRIES] if _CHAT_MEMBER.match(i.filename)]
        if not chats:
            return facts
        member = chats[0]
        if member.file_size > MAX_CHAT_TEXT_BYTES or (
            member.file_size > 1024 * 1024
            and member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1)
        ):
            raise FileProblem(
                f"{name} contains a chat file that claims to unpack to "
                f"{member.file_size:,} bytes, far more than any real chat export; "
                "it was not added."
            )
        try:
            with archive.open(member) as stream:
                content = stream.read(MAX_CHAT_TEXT_BYTES + 1)
        except Exception as exc:  # zipfile/zlib raise many types on damaged or encrypted data
            facts.notes.append(f"The chat inside the ZIP could not be read ({exc!r}).")
            return facts
        if len(content) > MAX_CHAT_TEXT_BYTES:
            raise FileProblem(
                f"{name} contains a chat file larger than any real chat export; it was not added."
            )
        text = _decode_text(content)
        summary = whatsapp_summary(text) if text is not None else None
        if summary is None:
            return facts
        facts.kind = "chat"
        facts.reported.update(summary)
        facts.report("chat_file", member.filename)
        files = sum(1 for info in infos if not info.is_dir())
        facts.report("other_files_in_archive", files - 1)
    return facts


# --------------------------------------------------------------------------- dispatch

def _ftyp_brand(data: bytes) -> bytes | None:
    return data[8:12] if len(data) >= 12 and data[4:8] == b"ftyp" else None


def _sniff(data: bytes, name: str, ext: str) -> _Facts:
    brand = _ftyp_brand(data)
    if brand is not None and (brand in _HEIF_BRANDS or brand in _AVIF_BRANDS):
        compatible = data[16 : min(len(data), 64)]
        if brand == b"mif1" and b"avif" in compatible:
            brand = b"avif"
        return _describe_image(data, name, brand)
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) or (
        data[:4] in (b"II*\x00", b"MM\x00*")
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
        or (data.startswith(b"BM") and len(data) >= 26 and data[6:10] == b"\0\0\0\0")
    ):
        return _describe_image(data, name, None)
    if brand is not None:
        return _describe_iso_media(data, brand, ext)
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return _describe_wav(data)
    if data[:4] == b"RIFF" and data[8:12] == b"AVI ":
        return _Facts("video/x-msvideo", "video")
    if data.startswith(b"OggS"):
        return _describe_ogg(data)
    if data.startswith((b"#!AMR\n", b"#!AMR-WB\n")):
        return _describe_amr(data)
    if data.startswith(b"fLaC"):
        return _describe_flac(data)
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        return _Facts("video/webm", "video")
    if b"%PDF-" in data[:1024]:
        return _describe_pdf(data)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _describe_zip(data, name)
    if data.startswith(_OLE_MAGIC):
        if ext == ".msg" or _MSG_STREAM_NAME in data[:1024 * 1024]:
            return _describe_outlook(data)
        return _Facts("application/x-ole-storage", "other")
    if _is_mp3(data):
        return _describe_mp3(data)
    if _looks_like_email(data) or (ext == ".eml" and _decode_text(data) is not None):
        return _describe_email(data)
    text = _decode_text(data)
    if text is None:
        return _Facts(OCTET_STREAM, "other")
    summary = whatsapp_summary(text[: MAX_CHAT_TEXT_BYTES])
    if summary is not None:
        facts = _Facts("text/plain", "chat")
        facts.reported.update(summary)
        return facts
    head = text[:512].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        media_type = "text/html"
    else:
        media_type = _TEXT_EXTENSION_TYPES.get(ext, "text/plain")
    facts = _Facts(media_type, "text")
    facts.report("lines", text.count("\n") + (0 if text.endswith("\n") else 1))
    return facts


def describe(data: bytes | bytearray | memoryview, name: str) -> ImportFacts:
    """Type and self-reported facts of an imported file; never changes ``data``.

    ``name`` is the file's name as the user sees it, used in messages and as a
    second hint at the type. Raises :class:`FileProblem` for an empty file or a
    hostile chat archive and :class:`MediaRejected` for a damaged image.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"describe() needs the file's bytes, not {type(data).__name__}")
    # A private immutable copy (free for bytes): nothing here can write to the caller's.
    data = bytes(data)
    if not data:
        raise FileProblem(f"{name} is empty (0 bytes), so there is nothing to keep.")
    ext = Path(name).suffix.lower()
    facts = _sniff(data, name, ext)
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


# --------------------------------------------------------------------------- folders

def _is_junk(path: Path) -> bool:
    name = path.name.lower()
    return name in JUNK_NAMES or name.startswith(".")


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    try:
        entries = sorted(folder.iterdir(), key=lambda p: (p.name.casefold(), p.name))
    except OSError as exc:
        # Skipping it silently could lose evidence the user believes was added.
        raise FileProblem(
            f"The folder {folder} could not be opened ({exc.strerror or exc}); nothing was "
            "added from it."
        ) from exc
    for entry in entries:
        if _is_junk(entry) or entry.name.lower() in JUNK_DIRS:
            continue
        # Symlinked folders are skipped: they can loop, or lead outside what was chosen.
        if entry.is_dir() and not entry.is_symlink():
            found.extend(_walk(entry))
        elif entry.is_file():
            found.append(entry)
    return found


def iter_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to import: files as given, folders expanded (sorted, junk skipped).

    A file named explicitly is kept even if hidden (the user chose it), and so is a
    path that does not exist or is not a regular file: reading it is where the
    per-file loop reports it by name without stopping the others. Duplicates (the
    same file reached twice) are listed once, at their first place. Raises
    :class:`FileProblem` only for a folder that cannot be listed.
    """
    result: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        found = _walk(path) if path.is_dir() else [path]
        for item in found:
            key = item.resolve()
            if key not in seen:
                seen.add(key)
                result.append(item)
    return result
