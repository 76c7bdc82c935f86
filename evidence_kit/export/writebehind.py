"""A file written by a thread of its own, so that the caller's thread goes on meanwhile.

The pack's PDF is over 300 MB for a 500-exhibit pack, nearly all of it pictures the join
copies in whole (:mod:`.pdfjoin`). Writing that much costs the kernel real time (page
cache to fill, blocks to allocate: on the 2-core test machine about a second), and a
write lets go of Python's GIL, so it can run on the other core while the page layout
goes on in Python. :class:`WriteBehind` takes the writes, gathers the small ones, and
hands them to its thread; the caller is only held up when the thread is more than
:data:`BEHIND_BYTES` behind, which bounds the memory it holds.

The thread tells ``written_to`` how far the file is written (for :class:`.HashBehind`,
which hashes just behind it). An error the thread meets (a full disk) is raised in the
caller's thread at its next :meth:`WriteBehind.write` or at :meth:`WriteBehind.close`.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import threading
from collections.abc import Callable
from typing import BinaryIO

BEHIND_BYTES = 4 * 1024 * 1024
"""Bytes handed over and not yet written before the caller waits."""

_GATHER = 1 << 20
"""Small writes (object headers, page contents) are handed over this many at a time."""

_AS_IT_IS = 64 << 10
"""A write this large (a picture) is handed over as it is, not copied among the small
ones: each picture was copied twice on the layout's thread, for nothing."""


class WriteBehind:
    """Writes to ``handle`` in a thread; ``handle`` is opened unbuffered (``buffering=0``),
    so that what the thread reports written is in the file. What is written must not
    change afterwards (bytes, or a view of bytes): large writes are kept as they are
    until the thread has written them."""

    def __init__(self, handle: BinaryIO, written_to: Callable[[int], None] | None = None,
                 behind_bytes: int = BEHIND_BYTES) -> None:
        self._handle = handle
        self._written_to = written_to
        self._behind_bytes = behind_bytes
        self._gathered = bytearray()
        self._queue: collections.deque[bytes | memoryview] = collections.deque()
        self._queued = 0
        self._handed = 0  # bytes handed to the thread (the caller's position)
        self._closing = False
        self._error: BaseException | None = None
        self._turn = threading.Condition()
        self._thread = threading.Thread(target=self._work, name="evidence-kit pdf write",
                                        daemon=True)
        self._thread.start()

    def write(self, data: bytes | memoryview) -> int:
        size = len(data)
        if size >= _AS_IT_IS:
            self._hand_over()
            self._queue_piece(data)
        else:
            self._gathered += data
            if len(self._gathered) >= _GATHER:
                self._hand_over()
        return size

    def tell(self) -> int:
        return self._handed + len(self._gathered)

    def flush(self) -> None:
        """Hand over what is gathered (without waiting for it to be written)."""
        self._hand_over()

    def close(self) -> None:
        """Write everything, wait for the thread, and raise what it met."""
        # What fails to be handed over is the thread's own error, raised below once
        # the thread has ended.
        with contextlib.suppress(Exception):
            self._hand_over()
        with self._turn:
            self._closing = True
            self._turn.notify_all()
        self._thread.join()
        if self._error is not None:
            raise self._error

    def abandon(self) -> None:
        """Stop without writing the rest (the export failed)."""
        with self._turn:
            self._queue.clear()
            self._queued = 0
            self._closing = True
            self._turn.notify_all()
        self._thread.join()

    def _hand_over(self) -> None:
        if self._gathered:
            piece = bytes(self._gathered)
            self._gathered.clear()
            self._queue_piece(piece)

    def _queue_piece(self, piece: bytes | memoryview) -> None:
        with self._turn:
            while (self._queued >= self._behind_bytes and self._error is None
                   and self._thread.is_alive()):
                self._turn.wait()
            if self._error is not None:
                raise self._error
            self._queue.append(piece)
            self._queued += len(piece)
            self._handed += len(piece)
            self._turn.notify_all()

    def _work(self) -> None:
        position = 0
        try:
            while True:
                with self._turn:
                    while not self._queue and not self._closing:
                        self._turn.wait()
                    if not self._queue:
                        return
                    piece = self._queue.popleft()
                view = memoryview(piece)
                while view:
                    written = self._handle.write(view)
                    if not written:  # a regular file takes something or raises
                        raise OSError(errno.EIO, "the file took none of a write")
                    view = view[written:]
                position += len(piece)
                with self._turn:
                    self._queued -= len(piece)
                    self._turn.notify_all()
                if self._written_to is not None:
                    self._written_to(position)
        except BaseException as exc:  # handed to the caller's thread
            with self._turn:
                self._error = exc
                self._queue.clear()
                self._queued = 0
                self._turn.notify_all()
