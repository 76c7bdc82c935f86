"""Key rotation: the database rewritten under a new data key, then swapped in with its keys.

A passphrase change only rewraps the data key, so an old copy of ``vault.keys`` with the
old passphrase still opens today's ``vault.db``. Rotation makes that copy useless: the
database is exported by SQLCipher (``sqlcipher_export``) into a new file under a new
random key, and that file and a new ``vault.keys`` replace the old pair.

Two files cannot be renamed in one step, so the swap is a small protocol whose single
commit point is the appearance of the complete new keys file::

    1. .vault.db.new       the whole database under the new key, synced (a KEY_CHANGED
                           event already inside it)
    2. .vault.keys.new     written atomically: from here on the rotation has happened
    3. .vault.db.new  → vault.db
    4. .vault.keys.new → vault.keys

:func:`finish_interrupted` runs at every open, with the folder lock held, before the
keys are read: with ``.vault.keys.new`` present it completes steps 3 and 4 (roll
forward); without it, it deletes a half-built ``.vault.db.new`` (roll back). A crash at
any moment therefore leaves exactly one vault that opens: the old passphrase with the
old database, or the new passphrase with the new one. ``PRAGMA rekey`` was measured as
fast (both ≈ 0.4 s for 50 MB here) but rewrites the only copy in place, so there would be
no moment at which both the old and the new database exist whole.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from evidence_kit.core import keys, store
from evidence_kit.core.errors import VaultInUse, VaultUnavailable
from evidence_kit.core.fsutil import _fsync_dir, atomic_write, storage_error, unfinished

DB_NAME = "vault.db"
KEYS_NAME = "vault.keys"
NEW_DB = ".vault.db.new"
NEW_KEYS = ".vault.keys.new"
_SQLITE_SIDES = ("-journal", "-wal", "-shm")

# Test-only: when this names a point below, the process says so on stderr and waits
# there, so a test can kill -9 it at exactly that moment. Never set in real use.
PAUSE_ENV = "EVIDENCE_KIT_TEST_PAUSE_AT"
PAUSE_POINTS = ("exported", "prepared", "committed", "db-swapped")


def _pause(point: str) -> None:
    if os.environ.get(PAUSE_ENV) != point:
        return
    sys.stderr.write(f"evidence-kit test pause: {point}\n")
    sys.stderr.flush()
    time.sleep(600)


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _discard_new_db(folder: Path) -> None:
    for name in (NEW_DB, *(NEW_DB + side for side in _SQLITE_SIDES)):
        _remove(folder / name)


def _discard_partials(folder: Path) -> None:
    # atomic_write names its unfinished file after the target (..vault.keys.new.X.partial):
    # a pattern of our own here once missed it, and a kill left it in the folder for good.
    for leftover in unfinished(folder / NEW_KEYS):
        _remove(leftover)


def finish_interrupted(folder: Path) -> bool:
    """Complete or undo a rotation a crash cut short; True when one was completed.

    The caller holds the folder lock. Decided by which files exist alone, so it needs no
    key and gives the same answer however often it is interrupted itself.
    """
    new_keys, new_db = folder / NEW_KEYS, folder / NEW_DB
    if not new_keys.exists() and not new_db.exists():
        return False
    if not os.access(folder, os.W_OK):
        raise VaultUnavailable(
            "A change of this vault's key was interrupted, and the folder is read-only, so "
            "it cannot be finished here. Copy the whole folder somewhere writable and open "
            "it there.")
    try:
        if not new_keys.exists():
            _discard_new_db(folder)
            _discard_partials(folder)
            _fsync_dir(folder)
            return False
        if new_db.exists():
            # The old database's side files would be replayed into the new one.
            for side in ("-wal", "-shm"):
                _remove(folder / (DB_NAME + side))
            os.replace(new_db, folder / DB_NAME)
            _fsync_dir(folder)
        os.replace(new_keys, folder / KEYS_NAME)
        _fsync_dir(folder)
        _discard_new_db(folder)
        _discard_partials(folder)
    except OSError as exc:
        raise storage_error(exc, "finishing the change of the vault's key") from exc
    return True


def export_database(conn: store.Connection, new_key: bytes, target: Path) -> None:
    """Copy every table of the database behind ``conn`` into ``target`` under ``new_key``."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    try:
        conn.execute("ATTACH DATABASE ? AS rotated KEY ?",
                     (os.fspath(target), keys.sqlcipher_raw_key(new_key)))
        try:
            conn.execute("SELECT sqlcipher_export('rotated')").fetchall()
            # sqlcipher_export copies tables and rows but not the schema version.
            conn.execute(f"PRAGMA rotated.user_version = {int(version)}")
        finally:
            conn.execute("DETACH DATABASE rotated")
    except store.DatabaseError as exc:
        store.raise_db_error(exc, "re-encrypting the vault")


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def rotate(
    folder: Path, conn: store.Connection, new_key: bytes, new_keyfile: keys.KeysFile,
    record: Callable[[store.Connection], None], close_old: Callable[[], None],
) -> None:
    """Replace the vault's database and keys with ones under ``new_key``.

    ``conn`` is the open vault's connection; the caller holds the write lock throughout, so
    nothing is written to the old database after its export. ``record`` appends the
    key-change event inside the new database; ``close_old`` closes the old database's
    connection. On an error before the commit point the old vault is left as it was and the
    caller reconnects to it; after it, whatever is left is finished at the next open.
    """
    new_db = folder / NEW_DB
    _discard_new_db(folder)
    try:
        export_database(conn, new_key, new_db)
        new_db.chmod(0o600)
        _pause("exported")
        fresh = store.connect(new_db, new_key)
        try:
            with store.transaction(fresh, "the key change"):
                record(fresh)
            fresh.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            fresh.execute("PRAGMA journal_mode = DELETE")
        finally:
            fresh.close()
        _sync_file(new_db)
        _pause("prepared")
        close_old()
        # Closing the last connection removes the side files; if they are still there,
        # another connection (a check running in the app, say) is reading the old file.
        if any((folder / (DB_NAME + side)).exists() for side in ("-wal", "-shm")):
            raise VaultInUse("The vault is busy (a check may be running); let it finish and "
                             "change the key again.")
    except BaseException:
        _discard_new_db(folder)
        raise
    try:
        atomic_write(folder / NEW_KEYS, new_keyfile.to_bytes())
    except BaseException:
        _remove(folder / NEW_KEYS)
        _discard_new_db(folder)
        raise
    _pause("committed")
    try:
        os.replace(new_db, folder / DB_NAME)
        _fsync_dir(folder)
        _pause("db-swapped")
        os.replace(folder / NEW_KEYS, folder / KEYS_NAME)
        _fsync_dir(folder)
    except OSError as exc:
        raise storage_error(exc, "the vault's new key (it is finished when the vault is "
                            "next opened)") from exc
