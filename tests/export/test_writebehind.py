"""A file written by a thread behind its writer: the same bytes, told as they land, and
a failure raised in the writer's thread."""

from __future__ import annotations

import errno
import io
import os
import random
import threading
from pathlib import Path
from typing import Any

import pytest

from evidence_kit.export.writebehind import WriteBehind


def test_small_and_large_writes_land_in_order_and_are_told_as_they_land(
        tmp_path: Path) -> None:
    rnd = random.Random(7)
    pieces = [rnd.randbytes(rnd.choice([1, 17, 5000, 300_000, 2_500_000])) for _ in range(60)]
    told: list[int] = []
    path = tmp_path / "out.bin"
    with path.open("wb", buffering=0) as handle:
        out = WriteBehind(handle, told.append, behind_bytes=1 << 20)
        for index, piece in enumerate(pieces):
            out.write(memoryview(piece) if index % 2 else piece)
            assert out.tell() == sum(map(len, pieces[:index + 1]))
        out.close()
    expected = b"".join(pieces)
    assert path.read_bytes() == expected
    assert told == sorted(told) and told[-1] == len(expected)


class _FullDisk(io.RawIOBase):
    def __init__(self) -> None:
        self.taken = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.taken > 3_000_000:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.taken += len(data)
        return len(data)


def test_a_full_disk_is_raised_to_the_writer_and_its_thread_ends() -> None:
    out = WriteBehind(_FullDisk(), behind_bytes=1 << 20)  # type: ignore[arg-type]
    with pytest.raises(OSError, match="No space left"):
        for _ in range(100):
            out.write(b"x" * 1_500_000)
        out.close()
    out.abandon()
    assert not any(t.name == "evidence-kit pdf write" for t in threading.enumerate())


def test_abandoned_writes_stop_the_thread_without_writing_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    with path.open("wb", buffering=0) as handle:
        out = WriteBehind(handle)
        out.write(b"started ")
        out.abandon()
    assert not any(t.name == "evidence-kit pdf write" for t in threading.enumerate())
    assert path.stat().st_size <= len(b"started ")
