"""Reading a write-protected vault whose ``vault.db-wal`` holds committed events.

A vault on a read-only disk is opened ``immutable``, which ignores the -wal file: a
folder copied while the app had the vault open (or after a crash) would then show, and
verify as intact, the older state in ``vault.db`` alone. SQLite cannot fold the -wal in
without writing, so both files are copied to a private folder (0700) and the copy is
folded and opened instead. Both files hold only SQLCipher's encrypted pages, so nothing
decrypted reaches the disk; the copy is removed when the vault is locked, and one left
by a killed process is removed by the next open of a read-only vault.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from evidence_kit.core import store
from evidence_kit.core.errors import EnvironmentFailure, EvidenceKitError

PREFIX = "evidence-kit-readonly-"


def wal_of(db: Path) -> Path:
    return db.with_name(db.name + "-wal")


def needed(db: Path) -> bool:
    """Whether ``db`` has a -wal with frames in it (a header alone is 32 bytes)."""
    try:
        return wal_of(db).stat().st_size > 32
    except OSError:
        return False


def make(db: Path, data_key: bytes) -> Path:
    """The path of a private, folded copy of ``db`` and its -wal, to open read-only."""
    _clean_dead()
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    copy = folder / db.name
    try:
        shutil.copyfile(db, copy)
        shutil.copyfile(wal_of(db), wal_of(copy))
        conn = store.connect(copy, data_key)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            conn.execute("PRAGMA journal_mode = DELETE").fetchall()
        finally:
            conn.close()
    except OSError as exc:
        remove(copy)
        raise EnvironmentFailure(
            "This vault is on a read-only disk and its latest changes are still in "
            "vault.db-wal, which cannot be read here without a private copy, and that "
            f"copy could not be made ({exc.strerror or exc}). It was not opened, so that "
            "an older state is never shown as the current one. Copy the vault's folder "
            "to this computer and open it there.") from exc
    except (EvidenceKitError, store.DatabaseError):
        remove(copy)
        raise
    return copy


def remove(copy: Path) -> None:
    """Remove a private copy (the folder made for it, and only that)."""
    if copy.parent.name.startswith(PREFIX):
        shutil.rmtree(copy.parent, ignore_errors=True)


def _clean_dead() -> None:
    """Copies left by killed processes: their pid is in the folder's name."""
    if os.name != "posix":
        return  # os.kill(pid, 0) would send CTRL_C_EVENT on Windows
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        pid_text = folder.name[len(PREFIX):].split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid():
            continue
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # alive, or not ours to ask about
