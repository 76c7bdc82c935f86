"""One process owns a vault: an OS advisory lock on ``vault.lock``.

The OS drops the lock when the process dies, so a killed process never leaves the vault
stuck. The file's bytes are never written, so a failed open changes nothing on disk.

The file itself stays after a clean exit, on purpose (the README says so): deleting it on
release would let a process that opened the old file while it was held lock a file no
longer in the folder, beside a newcomer locking a new one, both thinking they own the vault;
and Windows cannot delete a file another process holds open.
"""

from __future__ import annotations

import errno
import sys
import time
from pathlib import Path
from typing import IO

from evidence_kit.core.errors import VaultInUse

if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds only
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


class FolderLock:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._handle: IO[bytes] | None = None

    def acquire(self, wait_seconds: float = 0.0) -> None:
        """Take the lock, waiting up to ``wait_seconds`` for another process to let go."""
        handle: IO[bytes]
        try:
            handle = open(self._path, "ab")  # noqa: SIM115 - held open for the lock's lifetime
        except OSError as exc:
            if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise
            if not self._path.exists():
                return  # a read-only copy without a lock file: nobody can write to it anyway
            handle = open(self._path, "rb")  # noqa: SIM115 - flock works on a read-only file
        deadline = time.monotonic() + wait_seconds
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                handle.close()
                raise VaultInUse(
                    "This vault is already open in another Evidence Kit window or command. "
                    "Close that one first."
                )
            time.sleep(0.1)
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the lock
            self._handle = None

    @property
    def held(self) -> bool:
        return self._handle is not None
