"""The ZIP's SHA-256 made just behind its writing: the same hash as reading the finished
file, even though the writer goes back to fill in headers before each part is final."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pytest

from evidence_kit.export.hashbehind import HashBehind


def test_a_file_rewritten_before_each_part_is_final_hashes_as_finished(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    with open(path, "wb") as handle:
        behind = HashBehind(path)
        for part in range(40):
            start = handle.tell()
            handle.write(b"\0" * 16)  # a header, filled in once the data is written
            handle.write(os.urandom(300_000 + part))
            end = handle.tell()
            handle.seek(start)
            handle.write(part.to_bytes(16, "big"))
            handle.seek(end)
            handle.flush()
            behind.final_to(end)
    assert behind.hexdigest(path.stat().st_size) == hashlib.sha256(path.read_bytes()
                                                                   ).hexdigest()


def test_a_real_zip_written_member_by_member(tmp_path: Path) -> None:
    path = tmp_path / "bundle.zip"
    with open(path, "wb") as handle:
        behind = HashBehind(path)
        with zipfile.ZipFile(handle, "w", allowZip64=True) as archive:
            for n in range(12):
                with archive.open(f"member-{n}.bin", "w", force_zip64=True) as member:
                    member.write(os.urandom(200_000))
                handle.flush()
                behind.final_to(handle.tell())
            archive.writestr("README.txt", "hello")
            handle.flush()
            behind.final_to(handle.tell())
    assert behind.hexdigest(path.stat().st_size) == hashlib.sha256(path.read_bytes()
                                                                   ).hexdigest()


def test_a_file_shorter_than_said_is_an_error_not_a_wrong_hash(tmp_path: Path) -> None:
    path = tmp_path / "short.bin"
    path.write_bytes(b"x" * 1000)
    behind = HashBehind(path)
    with pytest.raises(OSError, match="ended"):
        behind.hexdigest(2000)


def test_abandoning_stops_the_thread(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"y" * 5000)
    behind = HashBehind(path)
    behind.final_to(1000)
    behind.abandon()
    behind.abandon()
