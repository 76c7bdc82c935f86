"""Imported files are typed by content and described from real sample files."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import random
import struct
import sys
import types
import wave
import zipfile
import zlib
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from evidence_kit.capture.imports import (
    KINDS,
    OCTET_STREAM,
    ImportFacts,
    describe,
    iter_files,
    whatsapp_summary,
)
from evidence_kit.core.errors import BadInput, FileProblem, MediaRejected

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
    trak = box(b"trak", box(b"tkhd", bytes(84)) + box(b"mdia", box(b"mdhd", bytes(24)) + hdlr))
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


def test_a_truncated_png_is_refused_with_its_name() -> None:
    data = png_bytes((300, 300))
    with pytest.raises(MediaRejected, match=r"cut-short\.png"):
        describe(data[: len(data) // 2], "cut-short.png")


def test_a_decompression_bomb_header_is_refused() -> None:
    with pytest.raises(MediaRejected, match=r"innocent\.png .*(bomb|far larger)"):
        describe(bomb_png(), "innocent.png")


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


# --------------------------------------------------------------------------- email


def test_eml_headers_are_reported_as_written_and_decoded() -> None:
    facts = describe(email_bytes(), "message.eml")
    assert (facts.media_type, facts.kind) == ("message/rfc822", "email")
    reported = facts.reported
    assert reported["from"] == "Angry Parent <angry.parent@example.com>"
    assert reported["to"] == "Ms Jones <j.jones@school.example>"
    assert reported["subject"] == "Über die Klassenfahrt – you will regret this 💬"
    assert reported["date"] == "Tue, 12 Mar 2024 15:05:33 +0100"
    assert reported["date_utc"] == "2024-03-12T14:05:33.000000Z"
    assert reported["message_id"] == "<abc.123@mail.example.com>"
    assert reported["attachments"] == ["screenshot of her car.png"]
    assert_plain_json(facts)


def test_an_email_is_recognised_by_content_whatever_its_name() -> None:
    facts = describe(email_bytes(), "saved.txt")
    assert facts.kind == "email"
    assert any(".txt" in note for note in facts.notes)


def test_a_broken_email_still_gives_what_it_can() -> None:
    data = b"From: someone\nSubject: =?utf-8?q?broken=ZZ?=\nDate: not a date\n\nbody"
    facts = describe(data, "odd.eml")
    assert facts.kind == "email"
    assert facts.reported["from"] == "someone"
    assert "date_utc" not in facts.reported
    assert_plain_json(facts)


def test_outlook_msg_without_a_reader_is_typed_and_explained(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "extract_msg", None)
    facts = describe(ole_bytes(with_msg_streams=True), "complaint.msg")
    assert (facts.media_type, facts.kind) == ("application/vnd.ms-outlook", "email")
    assert facts.reported == {}
    assert any("Outlook" in note for note in facts.notes)


def test_outlook_msg_details_come_from_extract_msg_when_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    closed: list[bool] = []

    class FakeMessage:
        sender = "Angry Parent <angry.parent@example.com>"
        to = "j.jones@school.example"
        cc = None
        date = "Tue, 12 Mar 2024 15:05:33 +0100"
        subject = "You will regret this"
        messageId = "<x@y>"
        attachments = (types.SimpleNamespace(longFilename="car.png", shortFilename="CAR.PNG"),)

        def close(self) -> None:
            closed.append(True)

    opened: list[bytes] = []

    def open_msg(data: bytes) -> FakeMessage:
        opened.append(data)
        return FakeMessage()

    fake = types.ModuleType("extract_msg")
    fake.openMsg = open_msg  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "extract_msg", fake)

    data = ole_bytes(with_msg_streams=False)
    facts = describe(data, "complaint.msg")
    assert opened == [data]
    assert closed == [True]
    assert facts.reported["subject"] == "You will regret this"
    assert facts.reported["attachments"] == ["car.png"]
    assert "cc" not in facts.reported


def test_other_ole_files_are_not_called_emails() -> None:
    facts = describe(ole_bytes(with_msg_streams=False), "old.doc")
    assert (facts.media_type, facts.kind) == ("application/x-ole-storage", "other")


# --------------------------------------------------------------------------- audio / video


def test_wav_voicemail_duration_in_whole_milliseconds() -> None:
    facts = describe(wav_bytes(frames=12_345, rate=8000), "voicemail.wav")
    assert (facts.media_type, facts.kind) == ("audio/wav", "audio")
    assert facts.reported["duration_ms"] == 1543  # 12345 / 8000 s, rounded down
    assert facts.reported["sample_rate"] == 8000
    assert_plain_json(facts)


def test_a_wav_cut_short_keeps_the_header_s_claim_or_says_why_not() -> None:
    data = wav_bytes()[:30]
    facts = describe(data, "voicemail.wav")
    assert facts.media_type == "audio/wav"
    assert "duration_ms" not in facts.reported
    assert facts.notes


def test_mp3_duration_comes_from_its_info_header() -> None:
    facts = describe(mp3_with_info_header(frames=100), "voicemail.mp3")
    assert (facts.media_type, facts.kind) == ("audio/mpeg", "audio")
    assert facts.reported["duration_ms"] == 100 * 1152 * 1000 // 44_100


def test_mp3_without_a_length_header_is_typed_but_not_guessed() -> None:
    data = mp3_with_info_header()
    bare = data[20:]  # no ID3; first frame's Info header damaged below
    bare = bare[:36] + b"XXXX" + bare[40:]
    facts = describe(bare, "clip.mp3")
    assert facts.media_type == "audio/mpeg"
    assert "duration_ms" not in facts.reported


def test_m4a_voicemail_duration_and_creation_time() -> None:
    facts = describe(iso_media(b"M4A ", b"soun", 1000, 61_500), "Voicemail.m4a")
    assert (facts.media_type, facts.kind) == ("audio/mp4", "audio")
    assert facts.reported["duration_ms"] == 61_500
    assert str(facts.reported["created_utc"]).startswith("2024-")


def test_mp4_screen_recording_is_video() -> None:
    facts = describe(iso_media(b"isom", b"vide", 600, 6000), "ScreenRecording.mp4")
    assert (facts.media_type, facts.kind) == ("video/mp4", "video")
    assert facts.reported["duration_ms"] == 10_000


def test_ogg_opus_duration_accounts_for_pre_skip() -> None:
    facts = describe(opus_bytes(seconds=5), "voice-note.ogg")
    assert (facts.media_type, facts.kind) == ("audio/ogg", "audio")
    assert facts.reported["duration_ms"] == 5000


def test_amr_voicemail_duration_counts_frames() -> None:
    facts = describe(amr_bytes(frames=150), "voicemail.amr")
    assert (facts.media_type, facts.kind) == ("audio/amr", "audio")
    assert facts.reported["duration_ms"] == 3000


def test_amr_with_an_unknown_frame_gives_no_length() -> None:
    data = amr_bytes(frames=10) + bytes([0x6C]) + bytes(40)  # frame type 13 is reserved
    facts = describe(data, "voicemail.amr")
    assert facts.media_type == "audio/amr"
    assert "duration_ms" not in facts.reported


def test_flac_duration_from_streaminfo() -> None:
    facts = describe(flac_bytes(samples=44_100 * 3), "recording.flac")
    assert (facts.media_type, facts.reported["duration_ms"]) == ("audio/flac", 3000)


# --------------------------------------------------------------------------- pdf and text


def test_pdf_pages_and_title_are_reported() -> None:
    facts = describe(pdf_bytes(3), "minutes.pdf")
    assert (facts.media_type, facts.kind) == ("application/pdf", "pdf")
    assert facts.reported["pages"] == 3
    assert facts.reported["title"] == "Minutes of the governors' meeting"
    assert_plain_json(facts)


def test_a_damaged_pdf_is_still_a_pdf() -> None:
    facts = describe(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "broken.pdf")
    assert (facts.media_type, facts.kind) == ("application/pdf", "pdf")
    assert "pages" not in facts.reported
    assert facts.notes


def test_plain_text_in_any_script() -> None:
    text = "Notes\nمرحبا بالعالم\n你好，世界\nשלום\n👋🏽 done\n"
    facts = describe(text.encode("utf-8"), "notes.txt")
    assert (facts.media_type, facts.kind) == ("text/plain", "text")
    assert facts.reported["lines"] == 5


def test_a_saved_web_page_is_html_text() -> None:
    facts = describe(b"<!DOCTYPE html><html><body>post</body></html>", "page")
    assert (facts.media_type, facts.kind) == ("text/html", "text")


# --------------------------------------------------------------------------- chats


def test_android_whatsapp_export() -> None:
    facts = describe(ANDROID_CHAT.encode("utf-8"), "WhatsApp Chat with Year 6 Parents.txt")
    assert (facts.media_type, facts.kind) == ("text/plain", "chat")
    assert facts.reported == {
        "chat_format": "WhatsApp (Android)",
        "message_count": 4,
        "participants": ["Parent A", "Parent B", "Parent C"],
        "first_message_at": "12/03/2024, 14:05",
        "last_message_at": "13/03/2024, 21:40",
    }


def test_ios_whatsapp_export() -> None:
    facts = describe(("\ufeff" + IOS_CHAT).encode("utf-8"), "_chat.txt")
    assert facts.kind == "chat"
    assert facts.reported["chat_format"] == "WhatsApp (iOS)"
    assert facts.reported["message_count"] == 4
    assert facts.reported["participants"] == ["Year 6 Parents", "Parent A", "Parent B"]
    assert facts.reported["first_message_at"] == "12/03/2024, 14:05:33"
    assert facts.reported["last_message_at"] == "14/03/2024, 9:00:00\u202fAM"


def test_whatsapp_zip_export_is_read_in_memory() -> None:
    data = zip_bytes(
        {"_chat.txt": IOS_CHAT.encode("utf-8"), "00000012-PHOTO-2024-03-12.jpg": jpeg_with_exif()}
    )
    facts = describe(data, "WhatsApp Chat - Year 6 Parents.zip")
    assert (facts.media_type, facts.kind) == ("application/zip", "chat")
    assert facts.reported["message_count"] == 4
    assert facts.reported["chat_file"] == "_chat.txt"
    assert facts.reported["other_files_in_archive"] == 1
    assert_plain_json(facts)


def test_android_zip_export_names_its_chat_file() -> None:
    name = "WhatsApp Chat with Parent A.txt"
    facts = describe(zip_bytes({name: ANDROID_CHAT.encode("utf-8")}), "export.zip")
    assert facts.kind == "chat"
    assert facts.reported["chat_file"] == name


def test_a_zip_whose_chat_unpacks_absurdly_is_refused() -> None:
    data = zip_bytes({"_chat.txt": b"\x00" * (3 * 1024 * 1024)})
    assert len(data) < 50_000
    with pytest.raises(FileProblem, match="claims to unpack"):
        describe(data, "WhatsApp Chat.zip")


def test_other_zips_are_listed_not_opened() -> None:
    facts = describe(zip_bytes({"a.txt": b"x", "b/c.png": png_bytes()}), "stuff.zip")
    assert (facts.media_type, facts.kind) == ("application/zip", "other")
    assert facts.reported["entries"] == 2


def test_a_damaged_zip_is_kept_as_a_zip() -> None:
    data = zip_bytes({"_chat.txt": ANDROID_CHAT.encode()})
    facts = describe(data[:40], "export.zip")
    assert facts.media_type == "application/zip"
    assert facts.notes


def test_text_that_is_not_a_chat_is_not_called_one() -> None:
    assert whatsapp_summary("Dear parents,\nthe trip is on 12/03/2024, 14:05 - see you\n") is None
    assert whatsapp_summary("12/03/2024, 14:05 - only a system line\n") is None


# --------------------------------------------------------------------------- anything else


def test_an_empty_file_is_refused_by_name() -> None:
    with pytest.raises(FileProblem, match=r"nothing\.txt is empty") as caught:
        describe(b"", "nothing.txt")
    assert isinstance(caught.value, BadInput)


def test_random_binary_is_an_octet_stream() -> None:
    facts = describe(random_bytes(), "blob.bin")
    assert (facts.media_type, facts.kind) == (OCTET_STREAM, "other")
    assert facts.notes == ()


def test_random_binary_with_a_media_name_says_so() -> None:
    facts = describe(random_bytes(), "voicemail.mp3")
    assert facts.media_type == OCTET_STREAM
    assert any(".mp3" in note and "not recognised" in note for note in facts.notes)


def test_describe_never_changes_the_bytes() -> None:
    samples = [email_bytes(), jpeg_with_exif(), wav_bytes(), ANDROID_CHAT.encode()]
    for sample in samples:
        buffer = bytearray(sample)
        before = hashlib.sha256(buffer).hexdigest()
        describe(buffer, "sample")
        assert hashlib.sha256(buffer).hexdigest() == before


@pytest.mark.parametrize("seed", range(200))
def test_mangled_files_never_crash_the_describer(seed: int) -> None:
    rng = random.Random(seed)
    samples = [
        email_bytes(),
        wav_bytes(),
        mp3_with_info_header(),
        iso_media(b"M4A ", b"soun", 1000, 5000),
        opus_bytes(3),
        amr_bytes(20),
        flac_bytes(1000),
        zip_bytes({"_chat.txt": ANDROID_CHAT.encode()}),
        ANDROID_CHAT.encode(),
        jpeg_with_exif(),
        pdf_bytes(2),
        ole_bytes(with_msg_streams=True),
    ]
    data = bytearray(rng.choice(samples))
    for _ in range(rng.randint(1, 12)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    data = data[: rng.randint(1, len(data))]
    try:
        facts = describe(bytes(data), "mangled")
    except BadInput:
        return  # a clear refusal is fine; any other exception is a bug
    assert_plain_json(facts)


# --------------------------------------------------------------------------- folders


def test_folders_expand_sorted_without_system_junk(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / ".git").mkdir()
    for name in [
        "b/z.png",
        "b/a.eml",
        "Alpha.txt",
        "alpha2.txt",
        ".DS_Store",
        "Thumbs.db",
        "desktop.ini",
        "._Alpha.txt",
        "__MACOSX/._z.png",
        ".git/config",
    ]:
        (tmp_path / name).write_bytes(b"x")
    assert iter_files([tmp_path]) == [
        tmp_path / "Alpha.txt",
        tmp_path / "alpha2.txt",
        tmp_path / "b" / "a.eml",
        tmp_path / "b" / "z.png",
    ]


def test_files_named_explicitly_are_kept_in_order_once(tmp_path: Path) -> None:
    hidden = tmp_path / ".hidden-note.txt"
    first = tmp_path / "z.txt"
    for path in (hidden, first):
        path.write_bytes(b"x")
    assert iter_files([first, str(hidden), first, tmp_path]) == [first, hidden]


def test_a_missing_path_is_kept_for_the_per_file_loop_to_report(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"x")
    missing = tmp_path / "nope.png"
    assert iter_files([missing, tmp_path]) == [missing, tmp_path / "a.txt"]


def test_a_folder_that_cannot_be_listed_is_a_file_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()

    def refuse(self: Path) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)
    with pytest.raises(FileProblem, match="could not be opened") as caught:
        iter_files([locked])
    assert "locked" in str(caught.value)


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_bytes(b"x")
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "real", target_is_directory=True)
    assert iter_files([tmp_path]) == [tmp_path / "real" / "a.txt"]


def test_a_mixed_folder_reports_bad_files_by_name_and_describes_the_rest(
    tmp_path: Path,
) -> None:
    files = {
        "01 email.eml": email_bytes(),
        "02 empty.png": b"",
        "03 photo.jpg": jpeg_with_exif(),
        "04 truncated.png": png_bytes((200, 200))[:100],
        "05 voicemail.wav": wav_bytes(),
        "06 chat.txt": ANDROID_CHAT.encode(),
        "07 unknown.bin": random_bytes(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    described: dict[str, str] = {}
    refused: dict[str, str] = {}
    for path in iter_files([tmp_path]):
        try:
            described[path.name] = describe(path.read_bytes(), path.name).kind
        except BadInput as exc:
            refused[path.name] = str(exc)

    assert described == {
        "01 email.eml": "email",
        "03 photo.jpg": "image",
        "05 voicemail.wav": "audio",
        "06 chat.txt": "chat",
        "07 unknown.bin": "other",
    }
    assert set(refused) == {"02 empty.png", "04 truncated.png"}
    assert all(name in message for name, message in refused.items())


@given(
    data=st.binary(min_size=1, max_size=3000),
    name=st.sampled_from(["x.bin", "x.eml", "x.txt", "x.jpg", "x.zip", "x.msg", "x.m4a"]),
)
def test_any_bytes_are_described_or_clearly_refused(data: bytes, name: str) -> None:
    try:
        facts = describe(data, name)
    except BadInput as exc:
        assert name in str(exc)
        return
    assert_plain_json(facts)
