"""WhatsApp exports, bare and in the ZIP the phone shares."""

from __future__ import annotations

import struct
import zlib

from evidence_kit.capture.imports import (
    describe,
    whatsapp_summary,
)
from tests.capture.imports.samples import (
    ANDROID_CHAT,
    IOS_CHAT,
    assert_plain_json,
    jpeg_with_exif,
    png_bytes,
    zip_bytes,
)

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


def test_a_zip_whose_chat_unpacks_absurdly_is_kept_but_not_unpacked() -> None:
    data = zip_bytes({"_chat.txt": b"\x00" * (3 * 1024 * 1024)})
    assert len(data) < 50_000
    facts = describe(data, "WhatsApp Chat.zip")
    assert (facts.media_type, facts.kind) == ("application/zip", "other")
    assert any("zip bomb" in note and "kept" in note for note in facts.notes)
    assert "message_count" not in facts.reported


def test_a_chat_member_name_without_the_utf8_flag_is_read_as_utf8() -> None:
    # macOS and many Android tools write UTF-8 names without setting the flag.
    name = "WhatsApp Chat with Zoë.txt"
    utf8 = name.encode("utf-8")
    raw = _zip_with_raw_name(utf8, ANDROID_CHAT.encode())
    facts = describe(raw, "export.zip")
    assert facts.kind == "chat"
    assert facts.reported["chat_file"] == name


def test_a_cp437_member_name_stays_cp437() -> None:
    # Old Windows tools wrote names in the DOS code page: 0x94 is "ö" there.
    raw = _zip_with_raw_name(b"WhatsApp Chat with J\x94rg.txt", ANDROID_CHAT.encode())
    facts = describe(raw, "export.zip")
    assert facts.reported["chat_file"] == "WhatsApp Chat with Jörg.txt"


def _zip_with_raw_name(raw_name: bytes, content: bytes) -> bytes:
    """A one-member stored ZIP whose name bytes are exactly ``raw_name``, flag bit 11 clear."""
    crc = zlib.crc32(content)
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 0, 0, 0, crc,
                        len(content), len(content), len(raw_name), 0) + raw_name + content
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, crc,
                          len(content), len(content), len(raw_name), 0, 0, 0, 0, 0, 0)
    central += raw_name
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local), 0)
    return local + central + end


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
