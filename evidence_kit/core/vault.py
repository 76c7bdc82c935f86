"""The vault: an encrypted folder holding the journal, the evidence and the keys.

::

    <vault>/vault.db     SQLCipher 4, keyed with a random 256-bit data key
    <vault>/vault.keys   the data key wrapped under the passphrase and the recovery code
    <vault>/vault.lock   held by the one process that has the vault open

Every change goes through :meth:`Vault._append`, which writes the event, its content
and the state rows in one transaction, so a crash leaves all of it or none of it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evidence_kit.core import keys, merkle, projection, store
from evidence_kit.core.checkpoint import (
    Checkpoint,
    CheckpointError,
    fingerprint,
    origin_for,
    parse_and_verify,
    public_key_bytes,
)
from evidence_kit.core.clock import Clock, SystemClock, utc_stamp
from evidence_kit.core.errors import (
    BadInput,
    EnvironmentFailure,
    FileProblem,
    NotFound,
    Refused,
    VaultExists,
    VaultLocked,
    VaultMissing,
    VaultUnavailable,
    WrongPassphrase,
)
from evidence_kit.core.folderlock import FolderLock
from evidence_kit.core.fsutil import atomic_writer, storage_error
from evidence_kit.core.journal import (
    GENESIS_PREV,
    EventType,
    Record,
    new_record,
    parse_record,
)
from evidence_kit.core.model import CheckpointInfo, Event, Incident, Item, Note, VerifyReport

DB_NAME = "vault.db"
KEYS_NAME = "vault.keys"
LOCK_NAME = "vault.lock"

# Refused with a clear message rather than exhausting memory on a family laptop.
MAX_ITEM_BYTES = 512 * 1024 * 1024
MAX_TEXT_CHARS = 100_000

Progress = Callable[[int, int], None]


def _now_stamp(clock: Clock) -> str:
    return utc_stamp(clock.now())


def _tool() -> str:
    try:
        from evidence_kit import __version__
    except ImportError:  # pragma: no cover
        __version__ = "unknown"
    return f"evidence-kit {__version__}"


def check_text(text: str, what: str) -> str:
    """Accept any script and emoji; refuse only what cannot be stored as Unicode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(f"The {what} contains characters that are not valid text.") from None
    if len(text) > MAX_TEXT_CHARS:
        raise BadInput(f"The {what} is longer than {MAX_TEXT_CHARS:,} characters.")
    return text


@dataclass(frozen=True)
class NewItem:
    """What a caller knows about evidence it is adding; the vault adds hash and time."""

    data: bytes
    name: str
    media_type: str
    method: str = "import"  # or "capture"
    incident: int | None = None
    url: dict[str, Any] | None = None  # {"text": ..., "valid": bool, "flags": [...]}
    platform: str | None = None
    account: str | None = None
    description: str | None = None
    category: str | None = None
    note: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    expected_sha256: str | None = None
    thumbnail: bytes | None = None


def vault_exists(folder: Path) -> bool:
    return (folder / DB_NAME).exists() or (folder / KEYS_NAME).exists()


class Vault:
    """An unlocked vault. Create with :meth:`create` or :meth:`open`; call :meth:`lock`."""

    def __init__(
        self, folder: Path, data_key: bytes, keyfile: keys.KeysFile, lock: FolderLock,
        clock: Clock,
    ) -> None:
        self.folder = folder
        self._data_key: bytes | None = data_key
        self._keyfile = keyfile
        self._lock = lock
        self.clock = clock
        self.lock_problem: str | None = None
        # A copy on a write-protected disk can still be opened, listed and verified.
        self.read_only = not os.access(folder, os.W_OK) or not os.access(
            folder / DB_NAME, os.W_OK)
        # Held for every write and by lock(), so a lock never lands in the middle of a write.
        self._write_lock = threading.RLock()
        self._conn: store.Connection | None = store.connect(folder / DB_NAME, data_key,
                                                             read_only=self.read_only)
        try:
            if not self.read_only:
                store.migrate(self._conn)
            elif self._conn.execute("PRAGMA user_version").fetchone()[0] != (
                    store.SCHEMA_VERSION):
                raise VaultUnavailable("This read-only vault was made by another version of "
                                       "Evidence Kit; copy it to this computer to open it.")
            self.vault_id = self._meta("vault_id").decode("ascii")
            self._signing_key = Ed25519PrivateKey.from_private_bytes(self._meta("signing_key"))
        except BaseException:
            self._conn.close()
            self._conn = None
            raise

    # ---- opening and closing -------------------------------------------------------

    @classmethod
    def create(
        cls, folder: Path, passphrase: str, *, clock: Clock | None = None,
        kdf: keys.KdfParams | None = None,
    ) -> tuple[Vault, str]:
        """Make a new vault; returns it unlocked with the recovery code (shown once)."""
        clock = clock or SystemClock()
        folder = Path(folder)
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
        lock = FolderLock(folder / LOCK_NAME)
        lock.acquire()
        try:
            return cls._initialise(folder, passphrase, clock, kdf or keys.tune_kdf(), lock)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def _initialise(
        cls, folder: Path, passphrase: str, clock: Clock, kdf: keys.KdfParams, lock: FolderLock,
    ) -> tuple[Vault, str]:
        vault_id = uuid.uuid4().hex
        data_key = os.urandom(keys.DATA_KEY_BYTES)
        recovery = keys.new_recovery_code()
        created = _now_stamp(clock)
        keyfile = keys.new_keys_file(data_key, passphrase, recovery, vault_id, created, kdf)
        signing = Ed25519PrivateKey.generate()
        # Build the database under a temporary name so a crash leaves no half-made vault.
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
                        "tool": _tool(),
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
        vault = cls(folder, data_key, keyfile, lock, clock)
        return vault, recovery

    @classmethod
    def _open_with(
        cls, folder: Path, unwrap: Callable[[keys.KeysFile], bytes], clock: Clock | None,
        wait_seconds: float = 0.0,
    ) -> Vault:
        folder = Path(folder)
        if not folder.is_dir() or not vault_exists(folder):
            raise VaultMissing(
                f"There is no vault in {folder}. Create one with 'evidence-kit init', "
                "or give the right folder with --vault."
            )
        keyfile = keys.KeysFile.load(folder / KEYS_NAME)
        if not (folder / DB_NAME).exists():
            raise VaultMissing(
                f"{folder} has vault.keys but no vault.db; restore it from a backup."
            )
        lock = FolderLock(folder / LOCK_NAME)
        try:
            lock.acquire(wait_seconds)
        except OSError as exc:
            raise storage_error(exc, "the vault's lock file") from exc
        try:
            data_key = unwrap(keyfile)
            return cls(folder, data_key, keyfile, lock, clock or SystemClock())
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open(
        cls, folder: Path, passphrase: str, *, clock: Clock | None = None,
        wait_seconds: float = 0.0,
    ) -> Vault:
        """Unlock; ``wait_seconds`` lets a script wait for another command to finish."""
        if not passphrase:
            raise WrongPassphrase("No passphrase was typed.")
        return cls._open_with(folder, lambda kf: kf.unlock_with_passphrase(passphrase), clock,
                              wait_seconds)

    @classmethod
    def recover(
        cls, folder: Path, recovery_code: str, new_passphrase: str, *, clock: Clock | None = None,
    ) -> Vault:
        """Open with the recovery code and set a new passphrase at once."""
        if not new_passphrase:
            raise BadInput("The new passphrase cannot be empty.")
        vault = cls._open_with(folder, lambda kf: kf.unlock_with_recovery_code(recovery_code),
                               clock)
        try:
            vault._set_passphrase(new_passphrase, method="recovery code")
        except BaseException:
            vault.lock()
            raise
        return vault

    @contextlib.contextmanager
    def _transaction(self, what: str) -> Iterator[store.Connection]:
        """One writer at a time: the app's worker threads share this connection."""
        with self._write_lock, store.transaction(self.conn, what) as conn:
            yield conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def lock(self) -> None:
        """Checkpoint, close every connection and forget the key. Safe to call twice.

        Locking always succeeds: if the disk is too full for the checkpoint, the events
        are already safe and the checkpoint is made at the next lock instead.
        """
        with self._write_lock:
            self._lock_now()

    def _lock_now(self) -> None:
        if self._conn is None:
            return
        try:
            if not self.read_only:
                if self._has_unsigned_events():
                    self.checkpoint()
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except (EnvironmentFailure, store.DatabaseError) as exc:
            self.lock_problem = str(exc)
        finally:
            self._conn.close()
            self._conn = None
            self._data_key = None
            self._lock.release()

    close = lock

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock()

    @property
    def conn(self) -> store.Connection:
        if self._conn is None:
            raise VaultLocked("The vault is locked. Unlock it to continue.")
        return self._conn

    def new_connection(self) -> store.Connection:
        """A separate keyed connection, e.g. for verification in a worker thread."""
        if self._data_key is None:
            raise VaultLocked("The vault is locked. Unlock it to continue.")
        return store.connect(self.folder / DB_NAME, self._data_key, read_only=self.read_only)

    def _meta(self, key: str) -> bytes:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise store.db_error(RuntimeError(f"meta {key} missing"), "reading the vault")
        return bytes(row[0])

    @property
    def public_key(self) -> bytes:
        return public_key_bytes(self._signing_key)

    @property
    def key_fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def sign_detached(self, data: bytes) -> bytes:
        """An Ed25519 signature over ``data`` with the vault's key (export bundles)."""
        if self._conn is None:
            raise VaultLocked("The vault is locked. Unlock it to continue.")
        return self._signing_key.sign(data)

    # ---- the journal ---------------------------------------------------------------

    def _append(self, conn: store.Connection, type: str, payload: dict[str, Any]) -> Record:
        """Add one event and apply it to the state, inside the caller's transaction."""
        head = conn.execute("SELECT seq, leaf FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (head[0] + 1, bytes(head[1]).hex()) if head else (1, GENESIS_PREV)
        record = new_record(self.vault_id, seq, type, prev, _now_stamp(self.clock), payload)
        data = record.encode()
        conn.execute(
            "INSERT INTO events(seq, type, record, leaf) VALUES (?, ?, ?, ?)",
            (seq, type, data, merkle.leaf_hash(data)),
        )
        projection.apply(conn, record)
        return record

    def append(self, type: str, payload: dict[str, Any], what: str = "the change") -> Record:
        with self._transaction(f"saving {what}") as conn:
            return self._append(conn, type, payload)

    def event_count(self) -> int:
        row = self.conn.execute("SELECT max(seq) FROM events").fetchone()
        return int(row[0] or 0)

    def events(self, since: int = 0) -> Iterator[Event]:
        rows = self.conn.execute(
            "SELECT record, leaf FROM events WHERE seq > ? ORDER BY seq", (since,)
        ).fetchall()
        for data, leaf in rows:
            record = parse_record(bytes(data))
            yield Event(record.seq, record.type, record.recorded_at, record.payload,
                        bytes(leaf).hex())

    def record_bytes(self, seq: int) -> bytes:
        row = self.conn.execute("SELECT record FROM events WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            raise NotFound(f"There is no event {seq}.")
        return bytes(row[0])

    def leaves(self, upto: int | None = None) -> list[bytes]:
        rows = self.conn.execute(
            "SELECT leaf FROM events WHERE seq <= ? ORDER BY seq",
            (upto if upto is not None else self.event_count(),),
        ).fetchall()
        return [bytes(r[0]) for r in rows]

    # ---- checkpoints ---------------------------------------------------------------

    def _has_unsigned_events(self) -> bool:
        row = self.conn.execute("SELECT max(tree_size) FROM checkpoints").fetchone()
        return self.event_count() > int(row[0] or 0)

    def checkpoint(self) -> CheckpointInfo:
        """Sign the Merkle root over every event so far, and keep the signed note."""
        with self._transaction("the checkpoint") as conn:
            leaves = [bytes(r[0]) for r in conn.execute("SELECT leaf FROM events ORDER BY seq")]
            made_at = _now_stamp(self.clock)
            cp = Checkpoint(origin_for(self.vault_id), len(leaves), merkle.root(leaves), made_at)
            note = cp.sign(self._signing_key)
            conn.execute(
                "INSERT INTO checkpoints(tree_size, root, note, made_at) VALUES (?, ?, ?, ?)",
                (cp.tree_size, cp.root, note, made_at),
            )
        return CheckpointInfo(cp.tree_size, cp.root.hex(), note, made_at)

    def inclusion_proof(self, seq: int, tree_size: int | None = None) -> list[bytes]:
        """Audit path showing event ``seq`` is in the tree of ``tree_size`` events."""
        leaves = self.leaves(tree_size)
        if not 1 <= seq <= len(leaves):
            raise NotFound(f"There is no event {seq} in a journal of {len(leaves)} events.")
        return merkle.inclusion_proof(seq - 1, leaves)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        leaves = self.leaves(new_size)
        if not 1 <= old_size <= len(leaves):
            raise BadInput(f"A checkpoint of {old_size} events is not part of this journal.")
        return merkle.consistency_proof(old_size, leaves)

    def extends(self, old_note: str) -> bool:
        """Whether today's journal only appended to what an earlier checkpoint signed.

        ``old_note`` is a signed checkpoint someone kept (a recipient's copy, say).
        """
        try:
            old = parse_and_verify(old_note, self.public_key)
        except CheckpointError as exc:
            raise BadInput(f"That checkpoint is not one of this vault's: {exc}.") from exc
        leaves = self.leaves()
        if old.tree_size > len(leaves) or old.origin != origin_for(self.vault_id):
            return False
        if old.tree_size == 0:
            return True
        proof = merkle.consistency_proof(old.tree_size, leaves)
        return merkle.verify_consistency(old.tree_size, len(leaves), old.root,
                                         merkle.root(leaves), proof)

    def checkpoints(self) -> list[CheckpointInfo]:
        rows = self.conn.execute(
            "SELECT tree_size, root, note, made_at FROM checkpoints ORDER BY id"
        ).fetchall()
        return [CheckpointInfo(r[0], bytes(r[1]).hex(), r[2], r[3]) for r in rows]

    def latest_checkpoint(self) -> CheckpointInfo | None:
        found = self.checkpoints()
        return found[-1] if found else None

    # ---- content -------------------------------------------------------------------

    def _store_blob(self, conn: store.Connection, data: bytes, sha256: str) -> None:
        """Keep content once per hash; an identical file already kept costs nothing."""
        row = conn.execute("SELECT purged_seq FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        if row is not None and row[0] is None:
            return
        if row is not None:  # it was purged; the same bytes arriving again are kept again
            conn.execute("DELETE FROM blobs WHERE sha256 = ?", (sha256,))
        view = memoryview(data)
        chunks = 0
        for chunks, offset in enumerate(range(0, len(data), store.CHUNK_BYTES), start=1):
            conn.execute(
                "INSERT INTO chunks(sha256, idx, data) VALUES (?, ?, ?)",
                (sha256, chunks - 1, view[offset : offset + store.CHUNK_BYTES]),
            )
        conn.execute(
            "INSERT INTO blobs(sha256, size, chunks, purged_seq) VALUES (?, ?, ?, NULL)",
            (sha256, len(data), chunks),
        )

    def _blob_chunks(self, sha256: str) -> int:
        row = self.conn.execute(
            "SELECT chunks, purged_seq FROM blobs WHERE sha256 = ?", (sha256,)
        ).fetchone()
        if row is None:
            raise NotFound("That content is not in the vault.")
        if row[1] is not None:
            raise NotFound("That content was withdrawn and purged from the vault.")
        return int(row[0])

    def iter_blob(self, sha256: str) -> Iterator[bytes]:
        """The content a chunk at a time, so a large video never sits whole in memory.

        The hash is checked as it goes; if the bytes do not match it at the end, the
        reader gets an error rather than a clean finish.
        """
        digest = hashlib.sha256()
        for idx in range(self._blob_chunks(sha256)):
            row = self.conn.execute(
                "SELECT data FROM chunks WHERE sha256 = ? AND idx = ?", (sha256, idx)
            ).fetchone()
            if row is None:
                break
            chunk = bytes(row[0])
            digest.update(chunk)
            yield chunk
        if digest.hexdigest() != sha256:
            raise store.db_error(
                RuntimeError("stored content does not match its hash"), "reading evidence"
            )

    def read_blob(self, sha256: str, limit: int | None = None) -> bytes:
        """The content whole, hash-checked; with ``limit``, only its first bytes."""
        if limit is not None:
            head = b""
            for idx in range(self._blob_chunks(sha256)):
                if len(head) >= limit:
                    break
                row = self.conn.execute(
                    "SELECT substr(data, 1, ?) FROM chunks WHERE sha256 = ? AND idx = ?",
                    (limit - len(head), sha256, idx),
                ).fetchone()
                head += bytes(row[0]) if row else b""
            return head[:limit]
        return b"".join(self.iter_blob(sha256))

    def set_thumbnail(self, sha256: str, png: bytes) -> None:
        """A preview made after the evidence was committed (kept off the capture path)."""
        with self._transaction("the preview") as conn:
            conn.execute("INSERT OR IGNORE INTO thumbnails(sha256, png) VALUES (?, ?)",
                         (sha256, png))

    def thumbnail(self, sha256: str) -> bytes | None:
        row = self.conn.execute(
            "SELECT png FROM thumbnails WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return bytes(row[0]) if row else None

    # ---- operations ----------------------------------------------------------------

    def create_incident(self, title: str) -> Incident:
        title = check_text(title.strip(), "incident title")
        if not title:
            raise BadInput("An incident needs a title.")
        with self._transaction("the incident") as conn:
            next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM incidents").fetchone()[0]
            self._append(conn, EventType.INCIDENT_CREATED, {"incident": next_id, "title": title})
        return self.incident(next_id)

    def rename_incident(self, incident_id: int, title: str) -> Incident:
        self.incident(incident_id)
        title = check_text(title.strip(), "incident title")
        if not title:
            raise BadInput("An incident needs a title.")
        self.append(EventType.INCIDENT_RENAMED, {"incident": incident_id, "title": title},
                    "the new title")
        return self.incident(incident_id)

    def set_incident_summary(self, incident_id: int, summary: str) -> Incident:
        self.incident(incident_id)
        summary = check_text(summary, "summary")
        self.append(EventType.INCIDENT_SUMMARY, {"incident": incident_id, "summary": summary},
                    "the summary")
        return self.incident(incident_id)

    def add_item(self, new: NewItem) -> Item:
        """Store evidence exactly as given, with its event, in one transaction."""
        if len(new.data) > MAX_ITEM_BYTES:
            raise FileProblem(
                f"{new.name} is larger than {MAX_ITEM_BYTES // (1024 * 1024)} MB; "
                "it was not added."
            )
        sha256 = hashlib.sha256(new.data).hexdigest()
        if new.expected_sha256 is not None and sha256 != new.expected_sha256:
            raise FileProblem(f"{new.name} changed while it was being added; try again.")
        if new.incident is not None:
            self.incident(new.incident)
        for text, what in ((new.note, "note"), (new.description, "description"),
                           (new.account, "account")):
            if text is not None:
                check_text(text, what)
        payload: dict[str, Any] = {
            "file": {
                "sha256": sha256,
                "size": len(new.data),
                "type": new.media_type,
                "name": new.name,
            },
            "incident": new.incident,
            "url": new.url,
            "platform": new.platform,
            "account": new.account,
            "description": new.description,
            "category": new.category,
            "note": new.note,
            "details": new.details,
        }
        kind = EventType.ITEM_CAPTURED if new.method == "capture" else EventType.ITEM_IMPORTED
        with self._transaction(new.name) as conn:
            item_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM items").fetchone()[0]
            payload["item"] = item_id
            self._store_blob(conn, new.data, sha256)
            if new.thumbnail is not None:
                conn.execute("INSERT OR IGNORE INTO thumbnails(sha256, png) VALUES (?, ?)",
                             (sha256, new.thumbnail))
            self._append(conn, kind, payload)
        return self.item(item_id)

    def add_note(self, text: str, *, item: int | None = None, incident: int | None = None) -> Note:
        text = check_text(text, "note")
        if not text.strip():
            raise BadInput("The note is empty.")
        if item is not None:
            self.item(item)
        if incident is not None:
            self.incident(incident)
        record = self.append(
            EventType.NOTE_ADDED, {"text": text, "item": item, "incident": incident}, "the note"
        )
        return Note(record.seq, item, incident, text, record.recorded_at)

    def update_item(self, item_id: int, **fields: Any) -> Item:
        """Change what is recorded about an item (a new event; the original stays)."""
        self.item(item_id)
        unknown = set(fields) - set(projection.EDITABLE_ITEM_FIELDS)
        if unknown:
            raise BadInput(f"Cannot change {', '.join(sorted(unknown))} of an item.")
        for key, value in fields.items():
            if isinstance(value, str):
                check_text(value, key)
        self.append(EventType.ITEM_DETAILS, {"item": item_id, **fields}, "the details")
        return self.item(item_id)

    def move_item(self, item_id: int, incident_id: int | None) -> Item:
        current = self.item(item_id)
        if incident_id is not None:
            self.incident(incident_id)
        self.append(EventType.ITEM_MOVED,
                    {"item": item_id, "from": current.incident_id, "to": incident_id},
                    "the move")
        return self.item(item_id)

    def withdraw_item(self, item_id: int, reason: str) -> None:
        """Purge an item's content; the events, and so its hash, stay in the journal."""
        current = self.item(item_id)
        check_text(reason, "reason")
        with self._transaction("the withdrawal") as conn:
            record = self._append(
                conn, EventType.ITEM_WITHDRAWN,
                {"item": item_id, "sha256": current.sha256, "reason": reason},
            )
            still_used = conn.execute(
                "SELECT count(*) FROM items WHERE sha256 = ? AND withdrawn = 0",
                (current.sha256,),
            ).fetchone()[0]
            if not still_used:
                conn.execute("DELETE FROM chunks WHERE sha256 = ?", (current.sha256,))
                conn.execute("DELETE FROM thumbnails WHERE sha256 = ?", (current.sha256,))
                conn.execute("UPDATE blobs SET purged_seq = ? WHERE sha256 = ?",
                             (record.seq, current.sha256))

    def extract(self, item_id: int, out: Path, *, overwrite: bool = False) -> Path:
        """Write an item's original bytes to ``out`` atomically; the extraction is an event."""
        current = self.item(item_id)
        data = self.read_blob(current.sha256)
        out = Path(out)
        if out.is_dir():
            raise FileProblem(f"{out} is a folder; give a file name to write to.")
        if out.exists() and not overwrite:
            raise FileProblem(f"{out} already exists; choose a new name so nothing is "
                              "overwritten.")
        if not out.parent.is_dir():
            raise FileProblem(f"The folder {out.parent} does not exist.")
        try:
            with atomic_writer(out) as handle:
                handle.write(data)
        except OSError as exc:
            raise storage_error(exc, str(out)) from exc
        self.append(
            EventType.ITEM_EXTRACTED,
            {"item": item_id, "sha256": current.sha256, "to": os.fsdecode(out.resolve())},
            "the extraction",
        )
        return out

    def record_action(
        self, incident_id: int | None, action: str, happened_on: str | None,
        details: dict[str, Any],
    ) -> Record:
        """Note something done about an incident (told SLT, reported to a platform, …)."""
        if incident_id is not None:
            self.incident(incident_id)
        for key, value in details.items():
            if isinstance(value, str):
                check_text(value, key)
        return self.append(
            EventType.ACTION_RECORDED,
            {"incident": incident_id, "action": action, "happened_on": happened_on,
             "details": details},
            "the action",
        )

    def actions(self, incident: int | None = None) -> list[Event]:
        sql = "SELECT seq FROM actions"
        params: tuple[Any, ...] = ()
        if incident is not None:
            sql += " WHERE incident_id = ?"
            params = (incident,)
        seqs = [row[0] for row in self.conn.execute(sql + " ORDER BY seq", params)]
        return [self.event(seq) for seq in seqs]

    def event(self, seq: int) -> Event:
        row = self.conn.execute("SELECT record, leaf FROM events WHERE seq = ?",
                                (seq,)).fetchone()
        if row is None:
            raise NotFound(f"There is no event {seq}.")
        record = parse_record(bytes(row[0]))
        return Event(record.seq, record.type, record.recorded_at, record.payload,
                     bytes(row[1]).hex())

    def report_sighting(
        self, *, url: dict[str, Any] | None, platform: str | None, seen_at: str | None,
        found_by: str | None, told: str | None, note: str | None,
    ) -> Record:
        """The stop path: a text-only record that a sexual image of a child was seen.

        It takes no file and refuses an address that carries a picture inside it
        (``data:``), so no image can enter the vault this way.
        """
        text_fields = {"platform": platform, "seen_at": seen_at, "found_by": found_by,
                       "told": told, "note": note}
        for key, value in text_fields.items():
            if value is not None and not isinstance(value, str):
                raise Refused("This record takes words only, never a file or picture.")
            if value is not None:
                check_text(value, key.replace("_", " "))
        if url is not None:
            text = str(url.get("text", ""))
            if text.strip().lower().startswith("data:"):
                raise Refused(
                    "That address holds the picture itself, so it cannot be recorded. "
                    "Write down the page or account where you saw it instead."
                )
            check_text(text, "address")
        return self.append(
            EventType.SIGHTING_REPORTED,
            {"url": url, **text_fields},
            "the report",
        )

    def sightings(self) -> list[Event]:
        seqs = [r[0] for r in self.conn.execute("SELECT seq FROM sightings ORDER BY seq")]
        return [self.event(seq) for seq in seqs]

    # ---- passphrase and backups ----------------------------------------------------

    def _set_passphrase(self, new_passphrase: str, method: str) -> None:
        if self._data_key is None:
            raise VaultLocked("The vault is locked. Unlock it to continue.")
        updated = self._keyfile.with_passphrase(self._data_key, new_passphrase)
        updated.save(self.folder / KEYS_NAME)
        self._keyfile = updated
        self.append(EventType.KEY_CHANGED, {"slot": "passphrase", "method": method},
                    "the passphrase change")

    def change_passphrase(self, current: str, new_passphrase: str) -> None:
        if not new_passphrase:
            raise BadInput("The new passphrase cannot be empty.")
        self._keyfile.unlock_with_passphrase(current)
        self._set_passphrase(new_passphrase, method="passphrase")

    def backup(self, dest: Path) -> Path:
        """A consistent copy (database via SQLCipher's backup API, plus vault.keys)."""
        dest = Path(dest)
        if dest.resolve().is_relative_to(self.folder.resolve()):
            raise FileProblem("A backup inside the vault folder would be lost with it; "
                              "choose another place, ideally another disk.")
        if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
            raise FileProblem(f"{dest} already exists and is not an empty folder.")
        if self._data_key is None:
            raise VaultLocked("The vault is locked. Unlock it to continue.")
        if self._has_unsigned_events():
            self.checkpoint()
        parent = dest.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=parent))
        except OSError as exc:
            raise storage_error(exc, f"the backup folder {dest}") from exc
        try:
            target = store.connect(staging / DB_NAME, self._data_key, create=True)
            try:
                with self._write_lock:
                    self.conn.backup(target)
                target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            (staging / DB_NAME).chmod(0o600)
            staging.chmod(0o700)
            shutil.copyfile(self.folder / KEYS_NAME, staging / KEYS_NAME)
            (staging / KEYS_NAME).chmod(0o600)
            (staging / LOCK_NAME).touch(mode=0o600)
            if dest.exists():
                dest.rmdir()
            os.replace(staging, dest)
        except store.DatabaseError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise store.db_error(exc, "the backup") from exc
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise storage_error(exc, f"the backup in {dest}") from exc
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self.append(EventType.BACKUP_MADE, {"to": os.fsdecode(dest.resolve())}, "the backup")
        return dest

    # ---- queries -------------------------------------------------------------------

    _ITEM_COLUMNS = (
        "id, incident_id, method, sha256, size, media_type, original_name, recorded_at, url, "
        "platform, account, description, category, withdrawn, created_seq, details"
    )

    @staticmethod
    def _item_from_row(row: Any) -> Item:
        # Plain parsing: verify checks these rows against the journal; listing 10,000 items
        # must not pay for re-canonicalising each one.
        payload = json.loads(row[15])
        details = payload.get("details") or {}
        url = payload.get("url") or {}
        return Item(
            id=row[0], incident_id=row[1], method=row[2], sha256=row[3], size=row[4],
            media_type=row[5], original_name=row[6], recorded_at=row[7], url=row[8],
            platform=row[9], account=row[10], description=row[11], category=row[12],
            withdrawn=bool(row[13]), created_seq=row[14], details=details,
            url_flags=tuple(url.get("flags") or ()),
        )

    def items_with_content(self, sha256: str) -> list[int]:
        """Items already holding these exact bytes (to tell the user about duplicates)."""
        rows = self.conn.execute("SELECT id FROM items WHERE sha256 = ? ORDER BY id", (sha256,))
        return [row[0] for row in rows]

    def item(self, item_id: int) -> Item:
        row = self.conn.execute(
            f"SELECT {self._ITEM_COLUMNS} FROM items WHERE id = ?", (item_id,)  # noqa: S608
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no item {item_id} in this vault.")
        return self._item_from_row(row)

    def items(self, incident: int | None = None, include_withdrawn: bool = True) -> list[Item]:
        sql = f"SELECT {self._ITEM_COLUMNS} FROM items"  # noqa: S608
        clauses, params = [], []
        if incident is not None:
            clauses.append("incident_id = ?")
            params.append(incident)
        if not include_withdrawn:
            clauses.append("withdrawn = 0")
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        rows = self.conn.execute(sql + " ORDER BY recorded_at, id", params).fetchall()
        return [self._item_from_row(r) for r in rows]

    _INCIDENT_QUERY = (
        "SELECT i.id, i.title, i.summary, i.created_at, count(t.id), min(t.recorded_at), "
        "max(t.recorded_at) FROM incidents i LEFT JOIN items t ON t.incident_id = i.id "
        "AND t.withdrawn = 0 {where} GROUP BY i.id ORDER BY i.id"
    )

    def incident(self, incident_id: int) -> Incident:
        row = self.conn.execute(
            self._INCIDENT_QUERY.format(where="WHERE i.id = ?"), (incident_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no incident {incident_id} in this vault.")
        return Incident(*row)

    def incidents(self) -> list[Incident]:
        rows = self.conn.execute(self._INCIDENT_QUERY.format(where="")).fetchall()
        return [Incident(*row) for row in rows]

    def notes(self, *, item: int | None = None, incident: int | None = None) -> list[Note]:
        if item is not None:
            rows = self.conn.execute(
                "SELECT seq, item_id, incident_id, text, recorded_at FROM notes "
                "WHERE item_id = ? ORDER BY seq", (item,)).fetchall()
        elif incident is not None:
            rows = self.conn.execute(
                "SELECT seq, item_id, incident_id, text, recorded_at FROM notes "
                "WHERE incident_id = ? ORDER BY seq", (incident,)).fetchall()
        else:
            rows = self.conn.execute(
                "SELECT seq, item_id, incident_id, text, recorded_at FROM notes ORDER BY seq"
            ).fetchall()
        return [Note(*row) for row in rows]

    def item_history(self, item_id: int, exclude: Collection[str] = ()) -> list[Event]:
        """The item's events in order, leaving out those of the types in ``exclude``
        (unread: an export's record names every item it carried, so reading them for
        each item of a large incident would cost exports × items²)."""
        self.item(item_id)
        skip = sorted(exclude)
        marks = ", ".join("?" * len(skip))  # placeholders only: the types are parameters
        rows = self.conn.execute(
            "SELECT e.record, e.leaf FROM item_events h JOIN events e ON e.seq = h.seq "  # noqa: S608
            f"WHERE h.item_id = ? AND e.type NOT IN ({marks}) ORDER BY e.seq", (item_id, *skip)
        ).fetchall()
        out = []
        for data, leaf in rows:
            record = parse_record(bytes(data))
            out.append(Event(record.seq, record.type, record.recorded_at, record.payload,
                             bytes(leaf).hex()))
        return out

    # ---- settings (not evidence: kept encrypted, outside the journal) ---------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._transaction("the setting") as conn:
            conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, value))

    # ---- verification --------------------------------------------------------------

    def verify(self, progress: Progress | None = None) -> VerifyReport:
        """Check everything; runs on its own connection so it may run in a worker thread."""
        from evidence_kit.core.verify import verify_connection

        conn = self.new_connection()
        try:
            return verify_connection(conn, self.public_key, self.vault_id, progress,
                                     self._data_key_for_verify(), read_only=self.read_only)
        finally:
            conn.close()

    def _data_key_for_verify(self) -> bytes:
        if self._data_key is None:
            raise VaultLocked("The vault is locked. Unlock it to continue.")
        return self._data_key


def file_time_reported(path: Path) -> str | None:
    """The file system's modification time, which the file's owner could have set."""
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return None
    moment = dt.datetime.fromtimestamp(stamp / 1e9, tz=dt.UTC)
    return utc_stamp(moment)

