"""The vault facade: the one API the command line, intake, export and the app call.

It stands on :mod:`store` (connections, transactions, errors by SQLite code),
:mod:`creation` (the folder's layout, a new vault), :mod:`queries` (reading state and
journal), :mod:`blobs` (content in chunks, hash-checked reads, previews, purge) and
:mod:`backup`. Every change goes through :meth:`Vault._append`, which writes the event,
its content and the state rows in one transaction, so a crash leaves all of it or none.

Why this module is longer than ~400 lines: it is one class whose methods are each a
few lines of checks around a call into the modules above; splitting the class itself
would give callers two objects to hold for one unlocked vault.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
import os
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evidence_kit.core import (
    backup,
    blobs,
    creation,
    damage,
    exports,
    head,
    keys,
    leftovers,
    marks,
    merkle,
    privatecopy,
    projection,
    queries,
    rekey,
    salvage,
    store,
    texts,
)
from evidence_kit.core.checkpoint import (
    Checkpoint,
    CheckpointError,
    fingerprint,
    origin_for,
    parse_and_verify,
    public_key_bytes,
)
from evidence_kit.core.clock import Clock, SystemClock, utc_stamp
from evidence_kit.core.creation import DB_NAME as DB_NAME  # re-exported: the folder's layout
from evidence_kit.core.creation import KEYS_NAME as KEYS_NAME
from evidence_kit.core.creation import LOCK_NAME as LOCK_NAME
from evidence_kit.core.creation import vault_exists as vault_exists
from evidence_kit.core.errors import (
    BadInput,
    EnvironmentFailure,
    FileProblem,
    IntegrityFailure,
    NotFound,
    Refused,
    VaultLocked,
    VaultMissing,
    VaultUnavailable,
    WrongPassphrase,
)
from evidence_kit.core.exports import ExportState
from evidence_kit.core.folderlock import FolderLock
from evidence_kit.core.fsutil import atomic_writer, storage_error
from evidence_kit.core.journal import (
    GENESIS_PREV,
    EventType,
    Record,
    new_record,
)
from evidence_kit.core.model import (
    CheckpointInfo,
    Event,
    FailureKind,
    Incident,
    Item,
    Note,
    VerifyReport,
)
from evidence_kit.core.pagecheck import PageCheck
from evidence_kit.core.posted import POSTED_AT, check_posted_at
from evidence_kit.core.profile import load_profile

if TYPE_CHECKING:
    from evidence_kit.core.verify import JournalCheck

# Refused with a clear message rather than exhausting memory on a family laptop.
MAX_ITEM_BYTES = 512 * 1024 * 1024
MAX_TEXT_CHARS = 100_000
PAGES_TRUSTED_FOR = dt.timedelta(minutes=10)
"""How long a passing full page check serves the next packs of the same open (SLT,
police and LADO packs made one after the other pay for one check, not three)."""

Progress = Callable[[int, int], None]
T = TypeVar("T")


# timestamps.ON_SETTING, named here so a checkpoint with trusted time off does not
# import the RFC 3161 library (~80 ms).
TIMESTAMPS_ON = "timestamps.on"


def _now_stamp(clock: Clock) -> str:
    return utc_stamp(clock.now())


def _tool() -> str:
    from evidence_kit import __version__

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
    posted_at: str | None = None
    """When the page said it was posted, as :func:`.posted.check_posted_at` gives it."""
    exhibit: bool = True
    """False for a derivative (a redacted copy): it is shown under its original's mark,
    so it takes no number of its own."""


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
        # Sentences for the user about what this open found and tidied (leftovers of a
        # killed command); the command line prints them, the app may show them.
        self.notices: list[str] = []
        # A copy on a write-protected disk can still be opened, listed and verified.
        self.read_only = not os.access(folder, os.W_OK) or not os.access(
            folder / DB_NAME, os.W_OK)
        # Held for every write and by lock(), so a lock never lands in the middle of a write.
        self._write_lock = threading.RLock()
        self._db_path = folder / DB_NAME
        self._private_copy: Path | None = None
        if self.read_only and privatecopy.needed(self._db_path):
            self._private_copy = self._db_path = privatecopy.make(self._db_path, data_key)
        # The cheap page check runs once per unlock, before the first write (see damage).
        self._structure_checked = False
        # When the full page check last passed in this open, and the file as it was then.
        self._pages_checked: tuple[dt.datetime, tuple[int, int, int]] | None = None
        # Set by a short-lived process that opens the vault to append (the command line):
        # it has not read the content pages, so before its first write it checks every
        # page when that is affordable (see damage.full_check_affordable).
        self.check_pages_before_writing = False
        self._pages_tried = False
        self._salvaged: Any = None  # the state rebuilt from the journal, once needed
        self._retired: list[store.Connection] = []
        try:
            self._conn: store.Connection | None = store.connect(
                self._db_path, data_key, read_only=self.read_only)
        except BaseException:
            self._drop_private_copy()
            raise
        try:
            if not self.read_only:
                if self._conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                    # Only a new vault starts at version 0, and creation migrates it
                    # before this: an existing vault.db without a schema lost everything.
                    damage.record(self._db_path, "vault.db holds no vault tables")
                    raise IntegrityFailure(
                        "The vault database holds no vault: it was emptied or replaced, and "
                        f"it was left as it is. {damage.RESTORE}")
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
            self._drop_private_copy()
            raise

    def _drop_private_copy(self) -> None:
        if self._private_copy is not None:
            privatecopy.remove(self._private_copy)
            self._private_copy = None

    # ---- opening and closing -------------------------------------------------------

    @classmethod
    def create(
        cls, folder: Path, passphrase: str, *, clock: Clock | None = None,
        kdf: keys.KdfParams | None = None,
    ) -> tuple[Vault, str]:
        """Make a new vault; returns it unlocked with the recovery code (shown once)."""
        clock = clock or SystemClock()
        folder = Path(folder)
        creation.prepare_folder(folder, passphrase)
        lock = FolderLock(folder / LOCK_NAME)
        lock.acquire()
        try:
            made = creation.make_vault_files(folder, passphrase, _now_stamp(clock),
                                             kdf or keys.tune_kdf(), _tool())
            return cls(folder, made.data_key, made.keyfile, lock, clock), made.recovery_code
        except BaseException:
            lock.release()
            raise

    @classmethod
    def _open_with(
        cls, folder: Path, unwrap: Callable[[keys.KeysFile], bytes], clock: Clock | None,
        wait_seconds: float = 0.0,
    ) -> Vault:
        folder = Path(folder)
        if not folder.is_dir() or not vault_exists(folder):
            raise VaultMissing(
                f"There is no vault in {folder}: create one there, or choose the folder "
                "that holds the vault."
            )
        lock = FolderLock(folder / LOCK_NAME)
        try:
            lock.acquire(wait_seconds)
        except OSError as exc:
            raise storage_error(exc, "the vault's lock file") from exc
        try:
            # Only with the lock held: a key rotation may have been under way until now,
            # and its files decide which vault.keys and vault.db belong together.
            rekey.finish_interrupted(folder)
            keyfile = keys.KeysFile.load(folder / KEYS_NAME)
            if not (folder / DB_NAME).exists():
                raise VaultMissing(
                    f"{folder} has vault.keys but no vault.db; restore it from a backup."
                )
            data_key = unwrap(keyfile)
            # Only once the key unwraps: someone without the passphrase changes nothing.
            notices = leftovers.clean(folder) if os.access(folder, os.W_OK) else []
            vault = cls(folder, data_key, keyfile, lock, clock or SystemClock())
        except BaseException:
            lock.release()
            raise
        vault.notices[:0] = notices
        return vault

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
        with self._write_lock:
            self._check_writable()
            with store.transaction(self.conn, what) as conn:
                yield conn

    # ---- damage: read-only for the rest of the process (see core/damage.py) ----------

    @property
    def damage(self) -> str | None:
        """What damage this process has met in this vault's database, or None."""
        return damage.seen(self._db_path)

    def _check_writable(self, pages: bool = True) -> None:
        """Refuse a write to a vault met damaged; the first time, check its structure
        (and, for a process that asked, every page: ``pages``)."""
        conn = self.conn
        with self._write_lock:
            if not self._structure_checked and not self.damage:
                problem = damage.structure_problem(conn)
                self._structure_checked = True
                if problem:
                    damage.record(self._db_path, problem)
            if (pages and self.check_pages_before_writing and self._pages_checked is None
                    and not self._pages_tried and not self.damage
                    and damage.full_check_affordable(self._db_path)):
                self._check_all_pages()
            reason = self.damage
            if reason:
                raise damage.refusal(reason)

    def check_pages(self, recent_ok: bool = False) -> None:
        """The full page check (every page's HMAC), before a copy that leaves the machine
        claiming to be whole (a backup, a pack). About 1 s per 400 MB here.

        With ``recent_ok`` (packs made one after another), a full check that passed in
        this open less than :data:`PAGES_TRUSTED_FOR` ago stands, if the database file
        is the same one and no other connection has written to it since: a pack reads
        every page it carries again anyway, checking each page and each exhibit's hash."""
        self._check_writable(pages=False)
        if recent_ok and self._pages_recent():
            return
        self._check_all_pages()
        if self.damage:
            raise damage.refusal(self.damage)

    def start_page_check(self, recent_ok: bool = False) -> PageCheck:
        """:meth:`check_pages` in a thread of its own, beside an export that reads the
        vault meanwhile (see :mod:`.pagecheck`); its ``wait()`` raises as
        :meth:`check_pages` would."""
        self._check_writable(pages=False)
        if recent_ok and self._pages_recent():
            return PageCheck(None)
        self._pages_tried = True
        at, mark = self.clock.now(), self._page_mark()
        _conn, data_key = self._require_open()
        running: list[store.Connection] = []

        def run() -> list[str]:
            conn = store.connect(self._db_path, data_key, read_only=self.read_only)
            running.append(conn)
            try:
                return damage.page_problems(conn)
            finally:
                conn.close()

        def settle(problems: list[str]) -> None:
            self._take_page_check(problems, at, mark)
            if self.damage:
                raise damage.refusal(self.damage)

        def interrupt() -> None:
            for conn in running:
                conn.interrupt()

        return PageCheck(run, settle, interrupt)

    def _pages_recent(self) -> bool:
        if self._pages_checked is None:
            return False
        at, mark = self._pages_checked
        return (mark == self._page_mark()
                and dt.timedelta(0) <= self.clock.now() - at < PAGES_TRUSTED_FOR)

    def _check_all_pages(self) -> None:
        self._pages_tried = True  # once per open for a writer's own check (see above)
        conn = self.new_connection()
        try:
            problems = damage.page_problems(conn)
        finally:
            conn.close()
        self._take_page_check(problems, self.clock.now(), self._page_mark())

    def _take_page_check(self, problems: list[str], at: dt.datetime,
                         mark: tuple[int, int, int]) -> None:
        if problems:
            self._pages_checked = None
            damage.record(self._db_path, f"{len(problems)} page(s) of vault.db fail their "
                          f"check (first: {problems[0]})")
            return
        self._pages_checked = (at, mark)

    def _page_mark(self) -> tuple[int, int, int]:
        """Changes when another connection commits, or the file is replaced."""
        version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        info = os.stat(self._db_path)
        return version, info.st_dev, info.st_ino

    def check_writable(self) -> None:
        """Refuse in words, before work outside the vault that an event must then record."""
        if self.read_only:
            raise Refused("This vault is on a read-only disk, so nothing can be recorded in "
                          "it; nothing was changed.")
        self._check_writable()

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
            # A damaged vault is not written to, not even to fold its -wal in.
            if not self.read_only and not self.damage:
                if self._has_unsigned_events():
                    self.checkpoint()
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except (EnvironmentFailure, IntegrityFailure, store.DatabaseError) as exc:
            self.lock_problem = str(exc)
        finally:
            self._conn.close()
            self._conn = None
            self._data_key = None
            if self._salvaged is not None:
                self._salvaged.close()
                self._salvaged = None
            for retired in self._retired:
                retired.close()
            self._retired.clear()
            self._drop_private_copy()
            self._lock.release()
            # The pack's fonts freeze the garbage collector's heap when they load
            # (export/fonts.py); what that kept must go now: a locked vault's keys and
            # evidence in cycles are collected, not held for the rest of the process.
            if gc.get_freeze_count():
                gc.unfreeze()
                gc.collect()

    close = lock

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock()

    def _require_open(self) -> tuple[store.Connection, bytes]:
        """The connection and data key, or VaultLocked: the one place that says so."""
        if self._conn is None or self._data_key is None:
            raise VaultLocked("The vault is locked. Unlock it to continue.")
        return self._conn, self._data_key

    @property
    def conn(self) -> store.Connection:
        return self._require_open()[0]

    def new_connection(self) -> store.Connection:
        """A separate keyed connection, e.g. for verification in a worker thread."""
        _conn, data_key = self._require_open()
        return store.connect(self._db_path, data_key, read_only=self.read_only)

    def _meta(self, key: str) -> bytes:
        value = queries.meta(self.conn, key)
        if value is None:
            damage.record(self._db_path, f"its {key} is missing")
            raise IntegrityFailure(
                f"The vault database is damaged (its {key} is missing). Keep this copy as "
                "it is and restore your latest backup."
            )
        return value

    @property
    def public_key(self) -> bytes:
        return public_key_bytes(self._signing_key)

    @property
    def key_fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def sign_detached(self, data: bytes) -> bytes:
        """An Ed25519 signature over ``data`` with the vault's key (export bundles)."""
        self._require_open()
        return self._signing_key.sign(data)

    # ---- the journal ---------------------------------------------------------------

    def _append(self, conn: store.Connection, type: str, payload: dict[str, Any]) -> Record:
        """Add one event and apply it to the state, inside the caller's transaction."""
        head = queries.head(conn)
        seq, prev = (head[0] + 1, head[1].hex()) if head else (1, GENESIS_PREV)
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

    def append_all(
        self, entries: Collection[tuple[str, dict[str, Any]]], what: str = "the change",
        check: Callable[[store.Connection], None] | None = None,
        checkpoint: CheckpointInfo | None = None,
    ) -> list[Record]:
        """Several events in one transaction: all are recorded or none. ``check`` runs
        first inside it, so what it checks cannot change before the events are in;
        ``checkpoint`` (from :meth:`sign_checkpoint`) is kept in the same transaction."""
        with self._write_lock:
            with self._transaction(f"saving {what}") as conn:
                if check is not None:
                    check(conn)
                newest = (self._keep_checkpoint(conn, checkpoint)
                          if checkpoint is not None else False)
                records = [self._append(conn, type, payload) for type, payload in entries]
            if checkpoint is not None:
                self._after_checkpoint(checkpoint, newest)
        return records

    def event_count(self) -> int:
        return queries.event_count(self.conn)

    def events(self, since: int = 0) -> Iterator[Event]:
        return queries.events(self.conn, since)

    def events_of_type(self, *types: str) -> list[Event]:
        return queries.events_of_types(self.conn, types)

    def record_bytes(self, seq: int) -> bytes:
        return queries.record_bytes(self.conn, seq)

    def leaves(self, upto: int | None = None) -> list[bytes]:
        return queries.leaves(self.conn, upto)

    # ---- checkpoints ---------------------------------------------------------------

    def _has_unsigned_events(self) -> bool:
        return self.event_count() > queries.signed_size(self.conn)

    def checkpoint(self) -> CheckpointInfo:
        """Sign the Merkle root over every event so far, and keep the signed note, in the
        database and (once committed) in vault.head beside it."""
        with self._write_lock:  # so a backup copies the head and the database that match
            with self._transaction("the checkpoint") as conn:
                info = self._sign(conn)
                newest = self._keep_checkpoint(conn, info)
            self._after_checkpoint(info, newest)
        return info

    def sign_checkpoint(self) -> CheckpointInfo:
        """A checkpoint over every event so far, signed but not yet kept: an export
        carries it in its pack and keeps it with its own events (``append_all``'s
        ``checkpoint``), so an export that fails leaves nothing behind."""
        self.check_writable()
        with self._write_lock:
            return self._sign(self.conn)

    def _sign(self, conn: store.Connection) -> CheckpointInfo:
        leaves = [bytes(r[0]) for r in store.query(
            conn, "SELECT leaf FROM events ORDER BY seq", what="the checkpoint")]
        made_at = _now_stamp(self.clock)
        cp = Checkpoint(origin_for(self.vault_id), len(leaves), merkle.root(leaves), made_at)
        return CheckpointInfo(cp.tree_size, cp.root.hex(), cp.sign(self._signing_key), made_at)

    def _keep_checkpoint(self, conn: store.Connection, info: CheckpointInfo) -> bool:
        """Store ``info``; whether it is the newest (a checkpoint signed before another
        was kept, during an export, is stored but does not become the head)."""
        newest = info.tree_size >= queries.signed_size(conn)
        conn.execute("INSERT INTO checkpoints(tree_size, root, note, made_at) "
                     "VALUES (?, ?, ?, ?)",
                     (info.tree_size, bytes.fromhex(info.root), info.note, info.made_at))
        return newest

    def _after_checkpoint(self, info: CheckpointInfo, newest: bool) -> None:
        if newest:
            head.write(self.folder, info.note)
        if self.setting(TIMESTAMPS_ON) == "1":
            from evidence_kit.core import timestamps

            timestamps.enqueue(self, info)  # only queued: sending is a drain's job

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
        return queries.checkpoints(self.conn)

    def latest_checkpoint(self) -> CheckpointInfo | None:
        found = self.checkpoints()
        return found[-1] if found else None

    # ---- content -------------------------------------------------------------------

    def iter_blob(self, sha256: str) -> Iterator[bytes]:
        """The content a chunk at a time, hash-checked, so a large video is never whole
        in memory."""
        return blobs.iter_blob(self.conn, sha256)

    def blob_reader(self) -> blobs.BlobReader:
        """Content read on a connection of its own, for a thread beside this one; the
        caller closes it."""
        return blobs.BlobReader(self.new_connection())

    def read_blob(self, sha256: str, limit: int | None = None) -> bytes:
        """The content whole, hash-checked; with ``limit``, only its first bytes."""
        return blobs.read_blob(self.conn, sha256, limit)

    def set_thumbnail(self, sha256: str, png: bytes) -> None:
        """A preview made after the evidence was committed (kept off the capture path)."""
        with self._transaction("the preview") as conn:
            if blobs.add_thumbnail(conn, sha256, png):
                self._append(conn, EventType.PREVIEW_MADE, blobs.preview_payload(sha256, png))

    def thumbnail(self, sha256: str) -> bytes | None:
        return blobs.thumbnail(self.conn, sha256)

    # ---- operations ----------------------------------------------------------------

    def create_incident(self, title: str) -> Incident:
        title = check_text(title.strip(), "incident title")
        if not title:
            raise BadInput("An incident needs a title.")
        with self._transaction("the incident") as conn:
            next_id = queries.next_incident_id(conn)
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
        return self.add_items([new])[0]

    def add_items(
        self, news: Sequence[NewItem], what: str | None = None,
        then: Callable[[list[int]], tuple[str, dict[str, Any]]] | None = None,
    ) -> list[Item]:
        """Several pieces of evidence in one transaction (all or none), then the event
        ``then`` makes from their item ids, if given (a scrolling capture's sequence)."""
        payloads = [self._item_payload(new) for new in news]
        ids: list[int] = []
        with self._transaction(what or (news[0].name if news else "the evidence")) as conn:
            for new, (sha256, payload) in zip(news, payloads, strict=True):
                ids.append(self._store_item(conn, new, sha256, payload))
            if then is not None:
                self._append(conn, *then(ids))
        return [self.item(item_id) for item_id in ids]

    def _item_payload(self, new: NewItem) -> tuple[str, dict[str, Any]]:
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
        if new.posted_at:
            # Only when given, so the records of everything else stay as they were.
            payload[POSTED_AT] = check_posted_at(new.posted_at)
        return sha256, payload

    def _store_item(self, conn: store.Connection, new: NewItem, sha256: str,
                    payload: dict[str, Any]) -> int:
        kind = EventType.ITEM_CAPTURED if new.method == "capture" else EventType.ITEM_IMPORTED
        item_id = queries.next_item_id(conn)
        payload["item"] = item_id
        blobs.store_blob(conn, new.data, sha256)
        self._append(conn, kind, payload)
        if new.thumbnail is not None and blobs.add_thumbnail(conn, sha256, new.thumbnail):
            self._append(conn, EventType.PREVIEW_MADE,
                         blobs.preview_payload(sha256, new.thumbnail))
        prefix = marks.initials(load_profile(self)) if new.exhibit else None
        if prefix is not None:
            # Marked as it is recorded; without initials, at its first export.
            self._append(conn, EventType.EXHIBIT_MARKED,
                         marks.payload(item_id, prefix, marks.next_number(conn)))
        return item_id

    def exports(self) -> list[ExportState]:
        """Every export recorded, with whether its files were published."""
        folders = {key[len(exports.FOLDER_KEY_PREFIX):]: value for key, value in store.query(
            self.conn, "SELECT key, value FROM settings WHERE key LIKE ?",
            (exports.FOLDER_KEY_PREFIX + "%",), what="reading where packs went").fetchall()}
        return exports.states(queries.events_of_types(self.conn, exports.TYPES), folders)

    def exhibit_marks(self) -> dict[int, marks.Mark]:
        """Every item's exhibit mark, by item id (items not yet marked are absent)."""
        return marks.all_marks(self.conn)

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
        unknown = set(fields) - set(projection.EDITABLE_ITEM_FIELDS) - {POSTED_AT}
        if unknown:
            raise BadInput(f"Cannot change {', '.join(sorted(unknown))} of an item.")
        for key, value in fields.items():
            if isinstance(value, str):
                check_text(value, key)
        if POSTED_AT in fields:
            fields[POSTED_AT] = check_posted_at(str(fields[POSTED_AT] or ""))
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
            read = texts.text_blobs(conn, item_id)
            record = self._append(
                conn, EventType.ITEM_WITHDRAWN,
                {"item": item_id, "sha256": current.sha256, "reason": reason},
            )
            if not queries.active_items_with_content(conn, current.sha256):
                blobs.purge(conn, current.sha256, record.seq)
            # The words read from it go with it (unless another item's reading is the same).
            texts.index(conn, item_id, None)
            for sha in read:
                if not texts.blob_in_use(conn, sha):
                    blobs.purge(conn, sha, record.seq)

    def extract(self, item_id: int, out: Path, *, overwrite: bool = False) -> Path:
        """Write an item's original bytes to ``out`` atomically; the extraction is an event."""
        current = self.item(item_id)
        self._check_writable()  # the extraction is an event: refused before any file
        data = self.read_blob(current.sha256)
        out = Path(out)
        if out.is_dir():
            raise FileProblem(f"{out} is a folder; give a file name to write to.")
        if out.exists() and not out.is_file():
            # Replacing a device node or pipe (/dev/full, a FIFO) is never what was meant.
            raise FileProblem(f"{out} is not a regular file (it is a device, a pipe or the "
                              "like); give the name of a file to write to.")
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
            # The file's name only: its folder would name the user's account and disks.
            {"item": item_id, "sha256": current.sha256, "to": os.fsdecode(out.name)},
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
        seqs = self._reading(lambda conn: queries.seqs_of(conn, "actions", incident))
        return [self.event(seq) for seq in seqs]

    def event(self, seq: int) -> Event:
        return queries.event(self.conn, seq)

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
        seqs = self._reading(lambda conn: queries.seqs_of(conn, "sightings"))
        return [self.event(seq) for seq in seqs]

    # ---- passphrase and backups ----------------------------------------------------

    def _set_passphrase(self, new_passphrase: str, method: str) -> None:
        _conn, data_key = self._require_open()
        self._check_writable()  # vault.keys is rewritten before the event is appended
        updated = self._keyfile.with_passphrase(data_key, new_passphrase)
        updated.save(self.folder / KEYS_NAME)
        self._keyfile = updated
        self.append(EventType.KEY_CHANGED, {"slot": "passphrase", "method": method},
                    "the passphrase change")

    def change_passphrase(self, current: str, new_passphrase: str) -> None:
        if not new_passphrase:
            raise BadInput("The new passphrase cannot be empty.")
        self._keyfile.unlock_with_passphrase(current)
        self._set_passphrase(new_passphrase, method="passphrase")

    def rotate_key(self, current: str, new_passphrase: str) -> str:
        """Re-encrypt the vault under a new data key; returns the new recovery code.

        For when the old passphrase may be known to someone: afterwards no copy of the old
        vault.keys opens this vault.db, with the old passphrase or the old recovery code.
        The journal and the signing key carry over unchanged, with a KEY_CHANGED event.
        """
        if not new_passphrase:
            raise BadInput("The new passphrase cannot be empty.")
        if self.read_only:
            raise Refused("This vault is on a read-only disk, so its key cannot be changed.")
        self._keyfile.unlock_with_passphrase(current)
        new_key = os.urandom(keys.DATA_KEY_BYTES)
        code = keys.new_recovery_code()
        updated = self._keyfile.rotated(new_key, new_passphrase, code)
        with self._write_lock:
            conn, old_key = self._require_open()

            def record(fresh: store.Connection) -> None:
                self._append(fresh, EventType.KEY_CHANGED,
                             {"slot": "data key", "method": "rotation"})

            def close_old() -> None:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.close()
                self._conn = None

            try:
                rekey.rotate(self.folder, conn, new_key, updated, record, close_old)
            except BaseException:
                if self._conn is None:
                    self._reconnect_after_failed_rotation(old_key, new_key, updated)
                if self._data_key is not new_key:
                    raise
            else:
                self._conn = store.connect(self.folder / DB_NAME, new_key)
                self._data_key, self._keyfile = new_key, updated
        return code

    def _reconnect_after_failed_rotation(self, old_key: bytes, new_key: bytes,
                                         updated: keys.KeysFile) -> None:
        """Back to whichever key the files on disk now say, or locked if neither works."""
        try:
            if (self.folder / rekey.NEW_KEYS).exists():
                rekey.finish_interrupted(self.folder)
            if (self.folder / KEYS_NAME).read_bytes() == updated.to_bytes():
                self._conn = store.connect(self.folder / DB_NAME, new_key)
                self._data_key, self._keyfile = new_key, updated
            else:
                self._conn = store.connect(self.folder / DB_NAME, old_key)
        except (EnvironmentFailure, OSError, store.DatabaseError):
            # Finished (or undone) at the next open; until then the vault is locked.
            self._conn = None
            self._data_key = None
            self._lock.release()

    def replace_recovery_code(self, current: str) -> str:
        """A new recovery code (returned, to show once); the old one stops opening vault.keys."""
        self._keyfile.unlock_with_passphrase(current)
        _conn, data_key = self._require_open()
        code = keys.new_recovery_code()
        with self._write_lock:
            updated = self._keyfile.with_recovery_code(data_key, code)
            updated.save(self.folder / KEYS_NAME)
            self._keyfile = updated
            self.append(EventType.KEY_CHANGED, {"slot": "recovery code", "method": "passphrase"},
                        "the new recovery code")
        return code

    def backup(self, dest: Path) -> Path:
        """A consistent copy (database via SQLCipher's backup API, plus vault.keys)."""
        dest = Path(dest)
        backup.check_destination(self.folder, dest)
        conn, data_key = self._require_open()
        # A copy of a damaged vault could later be taken for a good backup: refused.
        self.check_pages()
        if self._has_unsigned_events():
            self.checkpoint()
        self.notices += backup.copy_vault(conn, data_key, self._write_lock,
                                          self.folder / KEYS_NAME, LOCK_NAME, DB_NAME, dest)
        self.append(EventType.BACKUP_MADE, {"to": os.fsdecode(dest.resolve())}, "the backup")
        return dest

    # ---- queries -------------------------------------------------------------------

    # ---- text read from pictures (see texts) ---------------------------------------

    def record_text(self, item_id: int, of_sha256: str, text: str, engine: str,
                    languages: Collection[str]) -> texts.ReadText:
        """Keep the text software read from an item's picture, as a derivative event.

        ``of_sha256`` is the picture that was read: if the item changed meanwhile (it was
        withdrawn), nothing is recorded.
        """
        current = self.item(item_id)
        if current.withdrawn or current.sha256 != of_sha256:
            raise NotFound(f"Item {item_id} no longer holds the picture that was read.")
        text = check_text(text, "text read from the picture")
        payload, data = texts.payload(item_id, of_sha256, text, engine, languages)
        with self._transaction("the text read from the picture") as conn:
            blobs.store_blob(conn, data, payload["file"]["sha256"])
            record = self._append(conn, EventType.TEXT_READ, payload)
            texts.index(conn, item_id, text)
        return texts.ReadText(item_id, record.seq, of_sha256, payload["file"]["sha256"],
                              engine, tuple(languages), text, record.recorded_at)

    def read_text(self, item_id: int) -> texts.ReadText | None:
        """The latest text read from an item's picture, or None if none was read."""
        found = self._reading(lambda conn: texts.read_text(conn, item_id))
        if found is None:
            return None
        data = self.read_blob(found.sha256)  # whole and hash-checked
        return dataclasses.replace(found, text=data.decode("utf-8"))

    def items_without_text(self) -> list[int]:
        return self._reading(texts.items_without_text)

    def find_text(self, words: Collection[str]) -> set[int]:
        """Items whose read text holds every word (any script, case folded)."""
        return texts.find(self.conn, words)

    def items_with_content(self, sha256: str) -> list[int]:
        """Items already holding these exact bytes (to tell the user about duplicates)."""
        return queries.items_with_content(self.conn, sha256)

    def _reading(self, read: Callable[[Any], T]) -> T:
        """``read`` on the vault; if the state it reads is damaged, on the state rebuilt
        from the journal instead (:mod:`salvage`), so a damaged vault still lists."""
        try:
            return read(self.conn)
        except IntegrityFailure:
            with self._write_lock:
                # SQLCipher leaves a connection that met a damaged page unable to read any
                # other, so the rest of the session reads on a fresh one. The old one is
                # closed at lock: another thread of the app may still be reading on it.
                old, self._conn = self._conn, self.new_connection()
                if old is not None:
                    self._retired.append(old)
                if self._salvaged is None:
                    self._salvaged = salvage.journal_state(self.conn)
            if self._salvaged is None:
                raise
            return read(self._salvaged)

    def item(self, item_id: int) -> Item:
        return self._reading(lambda conn: queries.item(conn, item_id))

    def items(self, incident: int | None = None, include_withdrawn: bool = True) -> list[Item]:
        return self._reading(lambda conn: queries.items(conn, incident, include_withdrawn))

    def incident(self, incident_id: int) -> Incident:
        return self._reading(lambda conn: queries.incident(conn, incident_id))

    def incidents(self) -> list[Incident]:
        return self._reading(queries.incidents)

    def notes(self, *, item: int | None = None, incident: int | None = None) -> list[Note]:
        return self._reading(lambda conn: queries.notes(conn, item=item, incident=incident))

    def item_history(self, item_id: int, exclude: Collection[str] = ()) -> list[Event]:
        """The item's events in order, without those of the types in ``exclude``."""
        return queries.item_history(self.conn, item_id, exclude)

    # ---- settings (not evidence: kept encrypted, outside the journal) ---------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        value = queries.setting(self.conn, key)
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        with self._transaction("the setting") as conn:
            conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, value))

    # ---- verification --------------------------------------------------------------

    def check_journal(self) -> JournalCheck:
        """The journal alone, in full: every leaf, every link, the latest checkpoint's
        signature and root (what a pack relies on; content and state stay ``verify``'s)."""
        from evidence_kit.core.verify import check_journal

        return check_journal(self.conn, self.public_key, self.vault_id)

    def verify(self, progress: Progress | None = None) -> VerifyReport:
        """Check everything; runs on its own connection so it may run in a worker thread."""
        from evidence_kit.core.verify import verify_connection

        _own, data_key = self._require_open()
        latest = head.read(self.folder)  # read first: the database may only be newer
        conn = self.new_connection()
        try:
            report = verify_connection(conn, self.public_key, self.vault_id, progress,
                                       data_key, read_only=self.read_only, head=latest)
        finally:
            conn.close()
        unreadable = [f for f in report.failures if f.kind == FailureKind.UNREADABLE]
        if unreadable:
            damage.record(self._db_path, unreadable[0].message)
        return report


def file_time_reported(path: Path) -> str | None:
    """The file system's modification time, which the file's owner could have set."""
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return None
    moment = dt.datetime.fromtimestamp(stamp / 1e9, tz=dt.UTC)
    return utc_stamp(moment)

