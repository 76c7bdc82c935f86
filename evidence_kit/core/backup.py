"""Backups: a consistent copy of an open vault (SQLCipher's backup API plus vault.keys).

The copy is built in a hidden staging folder beside the destination and renamed into
place only when complete, so a crash never leaves something that looks like a backup
but is not one; the folder a killed backup leaves is removed on the next run
(:mod:`leftovers`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

from evidence_kit.core import head, leftovers, store
from evidence_kit.core.errors import FileProblem
from evidence_kit.core.fsutil import storage_error


def check_destination(vault_folder: Path, dest: Path) -> None:
    """Refuse a place where a backup would be lost with the vault or would mix with
    other files."""
    if dest.resolve().is_relative_to(vault_folder.resolve()):
        raise FileProblem("A backup inside the vault folder would be lost with it; "
                          "choose another place, ideally another disk.")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise FileProblem(f"{dest} already exists and is not an empty folder.")


def copy_vault(conn: store.Connection, data_key: bytes, write_lock: threading.RLock,
               keys_file: Path, lock_name: str, db_name: str, dest: Path) -> list[str]:
    """Copy the database behind ``conn``, the keys file and the head into ``dest``;
    returns a sentence for each unfinished earlier backup it removed on the way."""
    parent = dest.parent
    folder = keys_file.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        said = leftovers.sweep_beside(dest)
        staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=parent))
    except OSError as exc:
        raise storage_error(exc, f"the backup folder {dest}") from exc
    try:
        leftovers.backup_started(folder, staging)
        target = store.connect(staging / db_name, data_key, create=True)
        try:
            with write_lock:  # no write (nor checkpoint) may land half-way through the copy
                conn.backup(target)
                if (folder / head.HEAD_NAME).exists():
                    shutil.copyfile(folder / head.HEAD_NAME, staging / head.HEAD_NAME)
                    (staging / head.HEAD_NAME).chmod(0o600)
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        (staging / db_name).chmod(0o600)
        staging.chmod(0o700)
        shutil.copyfile(keys_file, staging / keys_file.name)
        (staging / keys_file.name).chmod(0o600)
        (staging / lock_name).touch(mode=0o600)
        if dest.exists():
            dest.rmdir()
        os.replace(staging, dest)
        # The sign stays until the rename, so a copy killed before it is known as ours.
        with contextlib.suppress(OSError):
            (dest / leftovers.STAGING_SIGN).unlink()
        leftovers.backup_ended(folder)
    except store.DatabaseError as exc:
        _abandon(folder, staging)
        store.raise_db_error(exc, "the backup")
    except OSError as exc:
        _abandon(folder, staging)
        raise storage_error(exc, f"the backup in {dest}") from exc
    except BaseException:
        _abandon(folder, staging)
        raise
    return said


def _abandon(folder: Path, staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    leftovers.backup_ended(folder)
