"""Sample files the import tests make for themselves, real enough for the real parsers."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import struct
import wave
import zipfile
import zlib
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import pytest
from PIL import Image

from evidence_kit.capture.imports import (
    KINDS,
    ImportFacts,
)

# --------------------------------------------------------------------------- sample makers


def png_bytes(size: tuple[int, int] = (40, 30), **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(out, format="PNG", **save)
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 13 mini"
    exif[0x0132] = "2024:03:13 09:00:00"
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = "2024:03:12 14:05:33"
    sub[0x9011] = "+00:00"
    sub[0x9286] = b"ASCII\x00\x00\x00Screenshot"
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 240)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def bomb_png() -> bytes:
    # A valid header claiming 100000 x 100000 pixels; the pixels are never there.
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def email_bytes() -> bytes:
    message = EmailMessage()
    message["From"] = "Angry Parent <angry.parent@example.com>"
    message["To"] = "Ms Jones <j.jones@school.example>"
    message["Subject"] = "Über die Klassenfahrt – you will regret this 💬"
    plus_one = dt.timezone(dt.timedelta(hours=1))
    message["Date"] = format_datetime(dt.datetime(2024, 3, 12, 15, 5, 33, tzinfo=plus_one))
    message["Message-ID"] = "<abc.123@mail.example.com>"
    message.set_content("I know where you live.\n")
    message.add_attachment(
        png_bytes(), maintype="image", subtype="png", filename="screenshot of her car.png"
    )
    return message.as_bytes()


def wav_bytes(frames: int = 12_345, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(b"\x01\x00" * frames)
    return out.getvalue()


ANDROID_CHAT = (
    "12/03/2024, 14:05 - Messages and calls are end-to-end encrypted. No one outside of "
    "this chat, not even WhatsApp, can read or listen to them.\n"
    "12/03/2024, 14:05 - Parent A: did you see what Mrs Jones did today\n"
    "12/03/2024, 14:06 - Parent B: yes!! disgusting\n"
    "she should be sacked\n"
    "13/03/2024, 08:15 - Parent A: I've posted it on the village page\n"
    "13/03/2024, 08:16 - Parent C joined using this group's invite link\n"
    "13/03/2024, 21:40 - Parent C: Здравствуйте: I agree\n"
)

IOS_CHAT = (
    "\u200e[12/03/2024, 14:05:33] Year 6 Parents: \u200eMessages and calls are end-to-end "
    "encrypted.\n"
    "[12/03/2024, 2:06:01\u202fPM] Parent A: she was rude to my son\n"
    "[12/03/2024, 2:07:12\u202fPM] Parent B: \u200eimage omitted\n"
    "[14/03/2024, 9:00:00\u202fAM] Parent A: we should all complain\n"
    "and post her address\n"
)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def mp3_with_info_header(frames: int = 100) -> bytes:
    header = bytes([0xFF, 0xFB, 0x90, 0x00])  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz, stereo
    frame_length = 144 * 128_000 // 44_100
    first = header + bytes(32) + b"Info" + struct.pack(">II", 1, frames)
    first += bytes(frame_length - len(first))
    other = header + bytes(frame_length - 4)
    id3 = b"ID3\x04\x00\x00" + bytes([0, 0, 0, 10]) + bytes(10)
    return id3 + first + other * 3


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def iso_media(brand: bytes, handler: bytes, timescale: int, duration: int) -> bytes:
    created = 3_793_000_000  # seconds since 1904: 2024-03-10T…
    mvhd = box(b"mvhd", bytes(4) + struct.pack(">IIII", created, created, timescale, duration))
    hdlr = box(b"hdlr", bytes(8) + handler + bytes(12))
    mdhd = box(b"mdhd", bytes(4) + struct.pack(">IIII", created, created, timescale, duration)
               + bytes(4))
    trak = box(b"trak", box(b"tkhd", bytes(84)) + box(b"mdia", mdhd + hdlr))
    return (
        box(b"ftyp", brand + bytes(4) + brand + b"isom")
        + box(b"mdat", bytes(500))
        + box(b"moov", mvhd + trak)
    )


def ogg_page(granule: int, serial: int, packet: bytes, header_type: int = 0) -> bytes:
    segments = bytes([len(packet)]) if len(packet) < 255 else bytes([255, len(packet) - 255])
    return (
        b"OggS\x00"
        + bytes([header_type])
        + struct.pack("<qII", granule, serial, 0)
        + bytes(4)
        + bytes([len(segments)])
        + segments
        + packet
    )


def opus_bytes(seconds: int, preskip: int = 312) -> bytes:
    head = b"OpusHead" + bytes([1, 1]) + struct.pack("<HIhB", preskip, 48_000, 0, 0)
    return (
        ogg_page(0, 77, head, header_type=2)
        + ogg_page(0, 77, b"OpusTags" + bytes(8))
        + ogg_page(48_000 * seconds // 2, 77, bytes(100))
        + ogg_page(48_000 * seconds + preskip, 77, bytes(100), header_type=4)
    )


def amr_bytes(frames: int) -> bytes:
    return b"#!AMR\n" + (bytes([0x3C]) + bytes(31)) * frames  # mode 7 (12.2 kbit/s)


def flac_bytes(samples: int, rate: int = 44_100) -> bytes:
    packed = (rate << 44) | (1 << 41) | (15 << 36) | samples
    info = struct.pack(">HH", 4096, 4096) + bytes(6) + struct.pack(">Q", packed) + bytes(16)
    return b"fLaC" + bytes([0x80, 0, 0, len(info)]) + info


def pdf_bytes(pages: int) -> bytes:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Minutes of the governors' meeting"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def ole_bytes(with_msg_streams: bool) -> bytes:
    body = bytearray(4096)
    body[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    if with_msg_streams:
        name = "__substg1.0_0037001F".encode("utf-16-le")
        body[1024 : 1024 + len(name)] = name
    return bytes(body)


def random_bytes(size: int = 4096, seed: int = 7) -> bytes:
    data = bytearray(random.Random(seed).randbytes(size))
    data[0] = 0x42  # not the start of any magic number we sniff
    data[1] = 0x00
    return bytes(data)


def assert_plain_json(facts: ImportFacts) -> None:
    def walk(value: Any) -> None:
        assert not isinstance(value, float), value
        if isinstance(value, dict):
            assert all(isinstance(key, str) for key in value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        else:
            assert value is None or type(value) in (str, int, bool), value

    record = facts.to_record()
    walk(record)
    assert json.loads(json.dumps(record)) == record
    assert facts.kind in KINDS

