"""A large file sent to the disk as it is written, and its cached pages let go of once
they are there: the bytes stay exactly as written, and the pages really leave the
cache (read back with RWF_NOWAIT, which refuses what is not cached)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evidence_kit.core import writeback
from evidence_kit.core.writeback import WriteBack

MB = 1 << 20

pytestmark = pytest.mark.skipif(not writeback.available(),
                                reason="sync_file_range is Linux's")


def _cached(path: Path, offset: int) -> bool:
    """Whether the page at ``offset`` is in the page cache, without reading the disk."""
    buffer = bytearray(4096)
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.preadv(fd, [buffer], offset, os.RWF_NOWAIT) > 0
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def _drops_pages(folder: Path) -> bool:
    """tmpfs, for one, keeps a file only in the cache: nothing can leave it there."""
    probe = folder / "probe.bin"
    with open(probe, "wb") as handle:
        handle.write(os.urandom(MB))
        handle.flush()
        writeback.forget(handle.fileno(), 0, MB)
        try:
            return not _cached(probe, 0)
        except OSError:  # RWF_NOWAIT not taken by this file system
            return False
        finally:
            probe.unlink()


def test_what_is_far_enough_behind_leaves_the_cache_and_the_bytes_stay(
        tmp_path: Path) -> None:
    if not _drops_pages(tmp_path):
        pytest.skip("this file system keeps its files in the cache")
    path = tmp_path / "pack.zip"
    written = bytearray()
    with open(path, "wb", buffering=0) as handle:
        back = WriteBack(handle.fileno(), forget_behind=True, step=MB, lag=2 * MB)
        for _ in range(12):
            piece = os.urandom(MB)
            handle.write(piece)
            written += piece
            back.final_to(len(written))
        back.final_to(len(written), last=True)
        assert not _cached(path, 0) and not _cached(path, 8 * MB)
        assert _cached(path, len(written) - MB)  # within the lag: still cached
    assert path.read_bytes() == written


def test_without_forgetting_everything_stays_cached(tmp_path: Path) -> None:
    path = tmp_path / "pack.pdf"
    with open(path, "wb", buffering=0) as handle:
        back = WriteBack(handle.fileno(), forget_behind=False, step=MB)
        data = os.urandom(6 * MB)
        handle.write(data)
        back.final_to(len(data), last=True)
        assert all(_cached(path, offset) for offset in range(0, 6 * MB, MB))
    assert path.read_bytes() == data


def test_a_bad_descriptor_changes_nothing_but_the_speed() -> None:
    """Only advice: a failure is not an export's failure."""
    read, write = os.pipe()  # a pipe has no pages to write back
    try:
        writeback.start_writing(write, 0, MB)
        writeback.forget(write, 0, MB)
        WriteBack(write, forget_behind=True, step=1, lag=1).final_to(10 * MB, last=True)
    finally:
        os.close(read)
        os.close(write)
