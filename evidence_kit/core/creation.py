"""A vault folder's layout, and making a new one.

::

    <vault>/vault.db     SQLCipher 4, keyed with a random 256-bit data key
    <vault>/vault.keys   the data key wrapped under the passphrase and the recovery code
    <vault>/vault.lock   held by the one process that has the vault open
    <vault>/vault.head   the latest signed checkpoint, outside the database (see head.py)

The database is built under a temporary name and renamed into place after vault.keys
is written, so a crash while creating leaves no half-made vault that looks whole.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evidence_kit.core import keys, merkle, store
from evidence_kit.core.checkpoint import fingerprint, public_key_bytes
from evidence_kit.core.errors import BadInput, VaultExists
from evidence_kit.core.fsutil import storage_error
from evidence_kit.core.journal import GENESIS_PREV, EventType, new_record

DB_NAME = "vault.db"
KEYS_NAME = "vault.keys"
LOCK_NAME = "vault.lock"


def vault_exists(folder: Path) -> bool:
    return (folder / DB_NAME).exists() or (folder / KEYS_NAME).exists()


def prepare_folder(folder: Path, passphrase: str) -> None:
    """Refuse a place that already holds something; make the folder owner-only."""
    if vault_exists(folder):
        raise VaultExists(f"There is already a vault in {folder}.")
    if folder.exists() and not folder.is_dir():
        raise VaultExists(f"{folder} is a file, not a folder; choose a new folder.")
    if folder.is_dir() and any(folder.iterdir()):
        raise VaultExists(
            f"{folder} already has other files in it; choose a new or empty folder "
            "for the vault, so nothing else gets mixed up with the evidence."
        )
    if not passphrase:
        raise BadInput("The passphrase cannot be empty.")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder.chmod(0o700)
        (folder / LOCK_NAME).touch(mode=0o600)
    except OSError as exc:
        raise storage_error(exc, f"the vault folder {folder}") from exc


@dataclass(frozen=True)
class Made:
    data_key: bytes
    keyfile: keys.KeysFile
    recovery_code: str


def make_vault_files(folder: Path, passphrase: str, created: str, kdf: keys.KdfParams,
                     tool: str) -> Made:
    """Write vault.keys and a vault.db holding the genesis event, in that order."""
    vault_id = uuid.uuid4().hex
    data_key = os.urandom(keys.DATA_KEY_BYTES)
    recovery = keys.new_recovery_code()
    keyfile = keys.new_keys_file(data_key, passphrase, recovery, vault_id, created, kdf)
    signing = Ed25519PrivateKey.generate()
    tmp_db = folder / f".{DB_NAME}.creating"
    for leftover in folder.glob(f".{DB_NAME}.creating*"):
        leftover.unlink()
    conn = store.connect(tmp_db, data_key, create=True)
    # SQLite gives its -wal and -shm files the database's mode: owner only for all three.
    tmp_db.chmod(0o600)
    try:
        store.migrate(conn)
        with store.transaction(conn, "creating the vault"):
            conn.execute("INSERT INTO meta VALUES ('vault_id', ?)", (vault_id.encode(),))
            conn.execute(
                "INSERT INTO meta VALUES ('signing_key', ?)", (signing.private_bytes_raw(),)
            )
            public = public_key_bytes(signing)
            conn.execute("INSERT INTO meta VALUES ('public_key', ?)", (public,))
            record = new_record(
                vault_id, 1, EventType.VAULT_CREATED, GENESIS_PREV, created,
                {
                    "vault": vault_id,
                    "public_key": public.hex(),
                    "key_fingerprint": fingerprint(public),
                    "tool": tool,
                },
            )
            data = record.encode()
            conn.execute(
                "INSERT INTO events(seq, type, record, leaf) VALUES (1, ?, ?, ?)",
                (record.type, data, merkle.leaf_hash(data)),
            )
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    try:
        for suffix in ("-wal", "-shm"):
            extra = folder / f".{DB_NAME}.creating{suffix}"
            if extra.exists():
                extra.unlink()
        keyfile.save(folder / KEYS_NAME)
        os.replace(tmp_db, folder / DB_NAME)
    except OSError as exc:
        raise storage_error(exc, "the new vault") from exc
    return Made(data_key, keyfile, recovery)
