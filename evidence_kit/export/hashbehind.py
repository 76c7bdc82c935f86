"""The SHA-256 (and CRC-32) of a file being written, computed just behind the writer in
another thread.

The export records the SHA-256 of its ZIP, and reading back the whole ZIP (over 600 MB
for a 500-exhibit pack) to hash it was a sixteenth of the export's time. The ZIP cannot
simply be hashed as it is written: the ``zipfile`` module goes back to fill in each
member's header once the member is written. So the writer says how far the file is
final (:meth:`HashBehind.final_to`, after each member), and a thread reads that part
back, from the page cache, and hashes it, on the other core, while the export goes on:
reading a file and SHA-256 over large buffers both let go of Python's GIL.

The PDF is hashed the same way as the join writes it, with the CRC-32 its ZIP member
needs, so that it can go into the ZIP without being read back into Python
(:meth:`.bundle.BundleWriter.finish`).
"""

from __future__ import annotations

import hashlib
import os
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

from evidence_kit.core.writeback import WriteBack

_PIECE = 1 << 20


@dataclass(frozen=True)
class FileDigest:
    sha256: str
    crc32: int
    size: int


class HashBehind:
    """Hashes ``path`` up to the offsets it is told are final (and, with ``crc``, takes
    its CRC-32 too)."""

    def __init__(self, path: Path, crc: bool = False, forget_behind: bool = False) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        # What is hashed is final: it goes to the disk now rather than at the fsync.
        self._back = WriteBack(self._fd, forget_behind)
        self._digest = hashlib.sha256()
        self._crc: int | None = 0 if crc else None
        self._hashed = 0
        self._final = 0
        self._closed = False
        self._error: OSError | None = None
        self._wake = threading.Condition()
        self._thread = threading.Thread(target=self._work, name="evidence-kit zip hash",
                                        daemon=True)
        self._thread.start()

    def final_to(self, offset: int) -> None:
        """The file's first ``offset`` bytes are written and will not change."""
        with self._wake:
            self._final = max(self._final, offset)
            self._wake.notify()

    def _work(self) -> None:
        try:
            while True:
                with self._wake:
                    while self._hashed >= self._final and not self._closed:
                        self._wake.wait()
                    final, closed = self._final, self._closed
                while self._hashed < final:
                    piece = os.pread(self._fd, min(_PIECE, final - self._hashed),
                                     self._hashed)
                    if not piece:
                        raise OSError(f"the file ended at {self._hashed} bytes, before "
                                      f"{final}")
                    self._digest.update(piece)
                    if self._crc is not None:
                        self._crc = zlib.crc32(piece, self._crc)
                    self._hashed += len(piece)
                    self._back.final_to(self._hashed)
                if closed and self._hashed >= self._final:
                    return
        except OSError as exc:
            self._error = exc

    def hexdigest(self, size: int) -> str:
        """The hash of the whole file, once it is ``size`` bytes and complete."""
        return self.digest(size).sha256

    def digest(self, size: int) -> FileDigest:
        """SHA-256 and CRC-32 (0 unless asked for) of the whole file, once it is ``size``
        bytes and complete."""
        self.final_to(size)
        self._stop()
        if self._error is not None:
            raise self._error
        if self._hashed != size:
            raise OSError(f"hashed {self._hashed} bytes of a file of {size}")
        return FileDigest(self._digest.hexdigest(), self._crc or 0, size)

    def abandon(self) -> None:
        with self._wake:
            self._final = self._hashed  # nothing more to read
        self._stop()

    def _stop(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()
        self._thread.join()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
