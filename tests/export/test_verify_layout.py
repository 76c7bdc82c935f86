"""A bundle is what every unzip tool sees: each layout trick is built from a real pack's
bytes, shown to fool at least one real tool where it does, and refused by the checker."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

from evidence_kit.export.verify import INTACT, NOT_A_BUNDLE, verify_bundle
from tests.export.conftest import Built, rewrite_zip, tool

FORGED_TEXT = b"%PDF-1.4 FORGED PACK: not what was recorded"


def _genuine(built: Built) -> tuple[Path, bytes]:
    path = built.packs["police"].bundle
    return path, path.read_bytes()


def _end(data: bytes) -> tuple[int, int, int]:
    """(end record offset, central directory size, central directory offset)."""
    at = len(data) - 22
    assert data[at:at + 4] == b"PK\x05\x06"
    cd_size, cd_offset = struct.unpack_from("<II", data, at + 12)
    return at, cd_size, cd_offset


def _central_entries(data: bytes) -> list[tuple[int, str, int]]:
    """(entry offset, name, local header offset) for each central directory entry."""
    _at, cd_size, pos = _end(data)
    out = []
    stop = pos + cd_size
    while pos < stop:
        nlen, xlen, clen = struct.unpack_from("<HHH", data, pos + 28)
        (offset,) = struct.unpack_from("<I", data, pos + 42)
        out.append((pos, data[pos + 46:pos + 46 + nlen].decode(), offset))
        pos += 46 + nlen + xlen + clen
    return out


def _refused(path: Path, words: str) -> None:
    report = verify_bundle(path)
    assert report.status == NOT_A_BUNDLE and report.exit_code == 2, report.text()
    first = report.first_problem
    assert first is not None and words in first.message, first.message


def _forged_zip(pdf_name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(pdf_name, FORGED_TEXT)
        z.writestr("originals/JS-1_forged.png", b"forged exhibit")
    return out.getvalue()


def test_todays_packs_use_zip64_local_headers_and_verify(built: Built) -> None:
    """Packs already issued (ZIP64 local headers, real sizes in the central directory)."""
    _path, data = _genuine(built)
    first_pdf = _central_entries(data)[0][2]
    csize, usize = struct.unpack_from("<II", data, first_pdf + 18)
    assert (csize, usize) == (0xFFFFFFFF, 0xFFFFFFFF)  # the sizes live in the ZIP64 field
    for result in built.packs.values():
        assert verify_bundle(result.bundle).status == INTACT


def test_forged_archive_in_front_is_refused(built: Built, tmp_path: Path) -> None:
    path, data = _genuine(built)
    with zipfile.ZipFile(path) as z:
        pdf_name = next(n for n in z.namelist() if n.endswith(".pdf"))
    hostile = tmp_path / path.name
    hostile.write_bytes(_forged_zip(pdf_name) + data)
    # Python's zipfile (and so yesterday's checker) reads the genuine archive at the end …
    with zipfile.ZipFile(hostile) as z:
        assert z.read(pdf_name) != FORGED_TEXT
    # … while a tool that reads from the first byte opens the forgery.
    if shutil.which("7z"):
        listing = subprocess.run([tool("7z"), "l", "-slt", str(hostile)], capture_output=True,
                                 text=True, timeout=60).stdout
        assert "originals/JS-1_forged.png" in listing
    if shutil.which("bsdtar"):  # reading a stream (a download, a pipe), as browsers do
        names = subprocess.run([tool("bsdtar"), "-tf", "-"], input=hostile.read_bytes(),
                               capture_output=True, timeout=60).stdout.decode().split()
        assert "originals/JS-1_forged.png" in names
    _refused(hostile, "bytes in front of the archive")


def test_data_after_the_end_record_is_refused(built: Built, tmp_path: Path) -> None:
    _path, data = _genuine(built)
    hostile = tmp_path / "junk.zip"
    hostile.write_bytes(data + b"\x00" * 40 + b"junk")
    with zipfile.ZipFile(hostile) as z:
        assert z.testzip() is None  # zipfile shrugs it off
    _refused(hostile, "44 bytes of data after the ZIP's end record")


def test_an_archive_comment_is_refused(built: Built, tmp_path: Path) -> None:
    _path, data = _genuine(built)
    comment = b"Checked and found intact by the police. Do not check again."
    at, _size, _offset = _end(data)
    patched = bytearray(data)
    struct.pack_into("<H", patched, at + 20, len(comment))
    hostile = tmp_path / "comment.zip"
    hostile.write_bytes(bytes(patched) + comment)
    listing = subprocess.run([tool("unzip"), "-l", str(hostile)], capture_output=True,
                             text=True, timeout=60).stdout
    assert "Checked and found intact" in listing  # shown as if it were part of the pack
    _refused(hostile, "archive comment")


def test_a_central_size_that_disagrees_with_its_local_header(built: Built,
                                                             tmp_path: Path) -> None:
    _path, data = _genuine(built)
    entry, name, _offset = next(e for e in _central_entries(data) if e[1] == "README.txt")
    patched = bytearray(data)
    (usize,) = struct.unpack_from("<I", patched, entry + 24)
    struct.pack_into("<I", patched, entry + 24, usize - 7)
    hostile = tmp_path / "size.zip"
    hostile.write_bytes(bytes(patched))
    _refused(hostile, "gives a different size than the central directory")
    assert name in verify_bundle(hostile).first_problem.message  # type: ignore[union-attr]


def test_a_local_name_that_disagrees_with_the_central_one(built: Built, tmp_path: Path) -> None:
    _path, data = _genuine(built)
    _entry, _name, offset = next(e for e in _central_entries(data) if e[1] == "README.txt")
    patched = bytearray(data)
    patched[offset + 30] = ord("X")  # README.txt -> XEADME.txt in the local header only
    hostile = tmp_path / "name.zip"
    hostile.write_bytes(bytes(patched))
    _refused(hostile, "names another file ('XEADME.txt')")


def test_overlapping_members_are_refused(built: Built, tmp_path: Path) -> None:
    """Two central entries sharing one local header (the overlapping-file zip bomb)."""
    _path, data = _genuine(built)
    entries = _central_entries(data)
    patched = bytearray(data)
    struct.pack_into("<I", patched, entries[2][0] + 42, entries[1][2])
    hostile = tmp_path / "overlap.zip"
    hostile.write_bytes(bytes(patched))
    _refused(hostile, "an overlap with the member before")


def test_a_gap_before_the_central_directory_is_refused(built: Built, tmp_path: Path) -> None:
    _path, data = _genuine(built)
    at, _size, cd_offset = _end(data)
    hidden = b"a hidden file nobody lists"
    patched = bytearray(data[:cd_offset] + hidden + data[cd_offset:])
    struct.pack_into("<I", patched, at + len(hidden) + 16, cd_offset + len(hidden))
    hostile = tmp_path / "gap.zip"
    hostile.write_bytes(bytes(patched))
    with zipfile.ZipFile(hostile) as z:
        assert z.testzip() is None
    _refused(hostile, "a gap between the last member and the central directory")


def test_a_folder_entry_is_refused(built: Built, tmp_path: Path) -> None:
    path, _data = _genuine(built)
    hostile = tmp_path / "folder.zip"
    rewrite_zip(path, hostile, lambda _n, d: d)
    with zipfile.ZipFile(hostile, "a") as z:
        z.writestr(zipfile.ZipInfo("originals/x.png/"), b"")
    _refused(hostile, "is a folder")


def test_a_bundle_rewritten_with_data_descriptors_still_verifies(built: Built,
                                                                 tmp_path: Path) -> None:
    """A writer that cannot seek puts sizes after the data; the walk reads them there."""
    path, _data = _genuine(built)

    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.buffer = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b: bytes) -> int:  # type: ignore[override]
            self.buffer += b
            return len(b)

    sink = Unseekable()
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(sink, "w") as new:  # type: ignore[arg-type]
        for info in old.infolist():
            with old.open(info) as source, new.open(zipfile.ZipInfo(
                    info.filename, info.date_time), "w") as target:
                shutil.copyfileobj(source, target)
    rewritten = tmp_path / "descriptors.zip"
    rewritten.write_bytes(bytes(sink.buffer))
    with zipfile.ZipFile(rewritten) as z:
        assert all(i.flag_bits & 0x08 for i in z.infolist())
    assert verify_bundle(rewritten).status == INTACT


def test_unzip_bsdtar_7z_and_the_checker_agree_on_a_passing_bundle(built: Built) -> None:
    path, _data = _genuine(built)
    report = verify_bundle(path)
    assert report.status == INTACT
    with zipfile.ZipFile(path) as z:
        sums = z.read("SHA256SUMS").decode().splitlines()
    checked = sorted([line.split("  ", 1)[1] for line in sums] + ["SHA256SUMS",
                                                                  "SHA256SUMS.sig"])
    unzip = subprocess.run([tool("unzip"), "-Z1", str(path)], capture_output=True, text=True,
                           timeout=60, check=True).stdout.split("\n")
    assert sorted(n for n in unzip if n) == checked
    if shutil.which("bsdtar"):
        bsdtar = subprocess.run([tool("bsdtar"), "-tf", str(path)], capture_output=True,
                                text=True, timeout=60, check=True).stdout.split("\n")
        assert sorted(n for n in bsdtar if n) == checked
    if shutil.which("7z"):
        listing = subprocess.run([tool("7z"), "l", "-slt", str(path)], capture_output=True,
                                 text=True, timeout=60, check=True).stdout
        seven = [line[7:] for line in listing.splitlines() if line.startswith("Path = ")]
        assert sorted(seven[1:]) == checked  # the first Path is the archive itself
