"""The one ZIP screen: strict for bundles (refuses), lenient for the user's own ZIPs (notes)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

from evidence_kit.core import zipscreen
from evidence_kit.core.errors import BadInput


def make_zip(members: dict[str, bytes], *, link: str | None = None) -> zipfile.ZipFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if link is not None:
            info = zipfile.ZipInfo(link)
            info.external_attr = (0o120777 << 16)
            archive.writestr(info, "target")
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


BOMB = {"big.txt": b"\x00" * (3 * 1024 * 1024)}


@pytest.mark.parametrize(("members", "link", "words"), [
    ({"../escape.txt": b"x"}, None, "climbs out"),
    ({"/etc/passwd": b"x"}, None, "absolute path"),
    ({"a.txt": b"x", "A.TXT": b"y"}, None, "more than once"),
    ({"a.txt": b"x"}, "evil", "is a link"),
    (BOMB, None, "zip bomb"),
])
def test_strict_refuses_what_no_bundle_holds(members: dict[str, bytes], link: str | None,
                                              words: str) -> None:
    with pytest.raises(zipscreen.ZipRefused, match=words) as caught:
        zipscreen.screen(make_zip(members, link=link), zipscreen.STRICT)
    assert isinstance(caught.value, BadInput)


def test_lenient_keeps_everything_and_only_marks_what_it_will_not_read() -> None:
    screening = zipscreen.screen(
        make_zip({"../odd.txt": b"x", **BOMB}, link="shortcut"), zipscreen.LENIENT)
    by_name = {m.name: m for m in screening.members}
    assert set(by_name) == {"../odd.txt", "big.txt", "shortcut"}
    assert by_name["../odd.txt"].unreadable is None  # read in memory only: its path is harmless
    assert "zip bomb" in str(by_name["big.txt"].unreadable)
    assert set(screening.readable()) == {"../odd.txt", "shortcut"}


def test_lenient_looks_at_the_first_entries_of_a_huge_archive() -> None:
    small = zipscreen.ZipPolicy(refuse=False, max_entries=2, max_member_bytes=100,
                                max_total_bytes=1000, max_ratio=200, ratio_floor=10,
                                too_big="too big")
    screening = zipscreen.screen(make_zip({f"{i}.txt": b"x" for i in range(5)}), small)
    assert screening.entries == 5
    assert len(screening.members) == 2
    assert "5 entries" in screening.notes[0]


def _info_with(raw_name: bytes, extra: bytes = b"") -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(raw_name.decode("cp437"))
    info.orig_filename = raw_name.decode("cp437")
    info.flag_bits = 0
    info.extra = extra
    return info


def test_names_without_the_utf8_flag_are_decoded_by_content() -> None:
    assert zipscreen.member_name(_info_with("Zoë.txt".encode())) == "Zoë.txt"
    assert zipscreen.member_name(_info_with(b"J\x94rg.txt")) == "Jörg.txt"


def test_the_info_zip_unicode_path_field_wins_when_its_crc_matches() -> None:
    raw = b"J\x94rg.txt"
    good = "Jörg (Unicode).txt".encode()
    field = struct.pack("<B I", 1, zlib.crc32(raw)) + good
    extra = struct.pack("<HH", 0x7075, len(field)) + field
    assert zipscreen.member_name(_info_with(raw, extra)) == "Jörg (Unicode).txt"
    stale = struct.pack("<B I", 1, zlib.crc32(b"other")) + good
    extra = struct.pack("<HH", 0x7075, len(stale)) + stale
    assert zipscreen.member_name(_info_with(raw, extra)) == "Jörg.txt"
