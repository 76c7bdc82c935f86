"""Writing files so that a crash leaves either the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from evidence_kit.core.errors import (
    EnvironmentFailure,
    EvidenceKitError,
    FileProblem,
    StorageFull,
)


def _fsync_dir(folder: Path) -> None:
    # Windows cannot open a directory; the rename is durable enough there.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def storage_error(exc: OSError, what: str) -> EvidenceKitError:
    """Translate an OS error during a write into words the user can act on."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return StorageFull(f"The disk is full, so {what} could not be written. Nothing was lost.")
    if exc.errno == errno.EROFS:
        return EnvironmentFailure(
            f"{what} is on a read-only disk; copy it to this computer first."
        )
    if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.EEXIST):
        return FileProblem(f"{what} could not be written: {exc.strerror or exc}.")
    return EnvironmentFailure(f"{what} could not be written: {exc.strerror or exc}.")


_PARTIAL = ".partial"


def unfinished(path: Path) -> list[Path]:
    """The files a killed :func:`atomic_writer` of ``path`` left beside it."""
    path = Path(path)
    return [p for p in path.parent.glob(f"{glob.escape('.' + path.name)}.*{_PARTIAL}")
            if p.is_file()]


@contextlib.contextmanager
def atomic_writer(path: Path, mode: int = 0o600) -> Iterator[BinaryIO]:
    """Yield a file whose contents replace ``path`` only once they are complete and synced;
    a kill before then leaves only a file :func:`unfinished` finds."""
    path = Path(path)
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_PARTIAL, dir=folder)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        _fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    try:
        with atomic_writer(path, mode) as handle:
            handle.write(data)
    except OSError as exc:
        raise storage_error(exc, str(path)) from exc


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


_COPY_PIECE = 1 << 20
_KERNEL_PIECE = 32 << 20


def copy_into(source: Path, target: BinaryIO, size: int,
              copied: Callable[[int], None] | None = None) -> None:
    """Append the first ``size`` bytes of ``source`` at ``target``'s current position (its
    buffer flushed first), by the kernel where it can (Linux ``copy_file_range``), else a
    piece at a time. ``target``'s own position is left to the caller to set. ``copied``
    is told how many bytes are in, piece by piece (so what follows the writing, such as
    :class:`.writeback.WriteBack`, can start before the end)."""
    target.flush()
    with open(source, "rb") as handle:
        left = size
        copy_range = getattr(os, "copy_file_range", None)
        if copy_range is not None:
            try:
                while left:
                    done = copy_range(handle.fileno(), target.fileno(),
                                      min(left, _KERNEL_PIECE))
                    if done == 0:
                        break
                    left -= done
                    if copied is not None:
                        copied(size - left)
            except OSError as exc:
                # Not supported between these files (another file system, an old kernel):
                # copied by hand from where the kernel stopped.
                if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP,
                                     errno.EINVAL):
                    raise
        if left:
            handle.seek(size - left)
            raw = os.fdopen(os.dup(target.fileno()), "wb", buffering=0)
            try:
                while left:
                    piece = handle.read(min(left, _COPY_PIECE))
                    if not piece:
                        break
                    raw.write(piece)
                    left -= len(piece)
                    if copied is not None:
                        copied(size - left)
            finally:
                raw.close()
    if left:
        raise OSError(errno.EIO, f"{source.name} ended {left} bytes early")
