"""Sound and video: voicemails, voice notes, screen recordings, and their stated length.

FLAC, Ogg and MP4 lengths are read by mutagen (what the file states); MP3 and AMR
are read here, because for those mutagen would estimate (see :func:`describe_mp3`)
or has no reader.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import mutagen.flac
import mutagen.mp4
import mutagen.oggopus
import mutagen.oggvorbis

from evidence_kit.capture.imports.facts import Draft
from evidence_kit.core.clock import utc_stamp

MAX_SCAN_FOR_AMR = 32 * 1024 * 1024

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


def is_mp3(data: bytes) -> bool:
    if data[:3] == b"ID3":
        return True
    first = _mpeg_frame(data, 0)
    # A lone 0xFFEx pair is common in random bytes; two frames back to back are not.
    return first is not None and _mpeg_frame(data, first.length) is not None


def describe_mp3(data: bytes) -> Draft:
    facts = Draft("audio/mpeg", "audio")
    pos = _id3_end(data)
    frame = _mpeg_frame(data, pos)
    if frame is None:
        return facts
    facts.report("sample_rate", frame.sample_rate)
    # Only a Xing/Info or VBRI header states the length; guessing from the size would
    # be our estimate, not the file's, and is wrong for variable bit rates. mutagen is
    # not used here because, without such a header, it returns exactly that estimate
    # (bit rate × file size) with nothing to tell the two apart.
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


def describe_wav(data: bytes) -> Draft:
    facts = Draft("audio/wav", "audio")
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


def describe_iso_media(data: bytes, brand: bytes, ext: str) -> Draft:
    moov = _child(data, 0, len(data), b"moov")
    handlers: set[bytes] = set()
    facts = Draft("", "")
    if moov is not None:
        mvhd = _child(data, *moov, b"mvhd")
        if mvhd is not None:
            start, end = mvhd
            version = data[start] if start < end else 0
            layout = ">QQIQ" if version == 1 else ">IIII"
            needed = struct.calcsize(layout)
            if end - start >= 4 + needed:
                created, *_ = struct.unpack(
                    layout, data[start + 4 : start + 4 + needed]
                )
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
    _mutagen_length(mutagen.mp4.MP4, data, facts)
    return facts


def _mutagen_info(reader: Any, data: bytes) -> Any:
    try:
        return reader(io.BytesIO(data)).info
    except Exception:  # mutagen raises many types on hostile files; only the length is lost
        return None


def _mutagen_length(reader: Any, data: bytes, facts: Draft) -> Any:
    """The length the file states, read by mutagen; its stream info, or None.

    Used only for formats where mutagen reads a stated length (FLAC's STREAMINFO, the
    last Ogg granule position, MP4's track header), never an estimate.
    """
    info = _mutagen_info(reader, data)
    length = getattr(info, "length", None)
    if isinstance(length, int | float) and 0 < length < 10**9:
        # Whole milliseconds: the record holds no floats.
        facts.report("duration_ms", round(length * 1000))
    return info


def describe_ogg(data: bytes) -> Draft:
    facts = Draft("audio/ogg", "audio")
    packet_start = 27 + data[26] if len(data) >= 28 else len(data)
    packet = data[packet_start:packet_start + 16]
    if packet.startswith(b"\x80theora"):
        facts.media_type, facts.kind = "video/ogg", "video"
        return facts
    reader = (mutagen.oggopus.OggOpus if packet.startswith(b"OpusHead")
              else mutagen.oggvorbis.OggVorbis if packet.startswith(b"\x01vorbis") else None)
    if reader is not None:
        info = _mutagen_length(reader, data, facts)
        if info is not None and reader is mutagen.oggvorbis.OggVorbis:
            facts.report("sample_rate", info.sample_rate)
        elif info is not None:
            facts.report("sample_rate", 48000)  # Opus always decodes at 48 kHz
    return facts


_AMR_NB_SIZES = (12, 13, 15, 17, 19, 20, 26, 31, 5, 6, 5, 5, None, None, None, 0)
_AMR_WB_SIZES = (17, 23, 32, 36, 40, 46, 50, 58, 60, 5, None, None, None, None, 0, 0)


def describe_amr(data: bytes) -> Draft:
    wideband = data.startswith(b"#!AMR-WB\n")
    facts = Draft("audio/amr-wb" if wideband else "audio/amr", "audio")
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


def describe_flac(data: bytes) -> Draft:
    facts = Draft("audio/flac", "audio")
    info = _mutagen_info(mutagen.flac.FLAC, data)
    if info is not None and info.sample_rate:
        facts.report("sample_rate", info.sample_rate)
        if info.total_samples:
            # From the STREAMINFO sample count, in integers: exact, and no float in the record.
            facts.report("duration_ms", info.total_samples * 1000 // info.sample_rate)
    return facts
