"""Opening SQLCipher connections the one safe way, and the vault's own tables.

The plain ``sqlite3`` module silently ignores keys, so every connection is made here,
keyed with the raw data key, and proven to be encrypted (``cipher_version``) and
readable before anyone gets it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from sqlcipher3 import dbapi2 as sqlcipher

from evidence_kit.core import damage, projection, texts
from evidence_kit.core.errors import (
    EnvironmentFailure,
    EvidenceKitError,
    IntegrityFailure,
    StorageFull,
    VaultInUse,
    VaultUnavailable,
)
from evidence_kit.core.keys import sqlcipher_raw_key

log = logging.getLogger(__name__)

SCHEMA_VERSION = 3

Connection = Any  # sqlcipher3's Connection has no type stubs

# Content is split so no single row is huge and a read can report progress as it goes.
CHUNK_BYTES = 4 * 1024 * 1024

_BASE_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    record BLOB NOT NULL,
    leaf BLOB NOT NULL
);
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    chunks INTEGER NOT NULL,
    purged_seq INTEGER
);
CREATE TABLE chunks (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    idx INTEGER NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (sha256, idx)
);
CREATE TABLE checkpoints (
    id INTEGER PRIMARY KEY,
    tree_size INTEGER NOT NULL,
    root BLOB NOT NULL,
    note TEXT NOT NULL,
    made_at TEXT NOT NULL
);
CREATE TABLE thumbnails (sha256 TEXT PRIMARY KEY, png BLOB NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Each entry upgrades the schema from version (index) to version (index + 1).
MIGRATIONS: tuple[str, ...] = (
    _BASE_SCHEMA + projection.SCHEMA,
    # 2: exhibit marks assigned once (projection.SCHEMA already has it for new vaults).
    "CREATE TABLE IF NOT EXISTS marks (item_id INTEGER PRIMARY KEY, mark TEXT NOT NULL, "
    "number INTEGER NOT NULL UNIQUE, seq INTEGER NOT NULL)",
    # 3: text read from pictures, and its search index (see texts).
    texts.STATE_SCHEMA + texts.INDEX_SCHEMA,
)


# SQLite's primary result codes (the low byte of an extended code such as IOERR_SHORT_READ).
_FULL = sqlcipher.SQLITE_FULL
_READONLY = sqlcipher.SQLITE_READONLY
_IOERR = sqlcipher.SQLITE_IOERR
_CANTOPEN = sqlcipher.SQLITE_CANTOPEN
_BUSY = sqlcipher.SQLITE_BUSY
_LOCKED = sqlcipher.SQLITE_LOCKED
_CORRUPT = sqlcipher.SQLITE_CORRUPT
_NOTADB = sqlcipher.SQLITE_NOTADB

ENVIRONMENT_CODES = frozenset({_FULL, _READONLY, _IOERR, _CANTOPEN, _BUSY, _LOCKED})
DAMAGE_CODES = frozenset({_CORRUPT, _NOTADB})


def primary_code(exc: BaseException) -> int | None:
    """SQLite's primary result code for a database error, or None when it carries none
    (errors raised by the Python binding itself, such as using a closed connection)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def db_error(exc: BaseException, what: str) -> EvidenceKitError | None:
    """Words for a database error the user can act on, or None when it is a bug.

    Sorted by SQLite's own result code, never by the message text: a programming error
    (``no such column``) must not reach the user as a damaged vault.
    """
    code = primary_code(exc)
    if code == _FULL:
        return StorageFull(f"The disk is full, so {what} was not saved. Nothing was lost.")
    if code in (_BUSY, _LOCKED):
        return VaultInUse("The vault is busy in another process; try again in a moment.")
    if code == _READONLY:
        return EnvironmentFailure(
            "This vault is on a read-only disk or folder: it can be looked at and checked, "
            "but nothing can be added. Copy the folder to this computer to work in it."
        )
    if code == _CANTOPEN:
        return EnvironmentFailure(f"The vault could not be written ({exc}); check permissions.")
    if code == _IOERR:
        return EnvironmentFailure(f"The disk reported an error while {what}: {exc}.")
    if code in DAMAGE_CODES:
        return IntegrityFailure(
            f"The vault database is damaged ({exc}). Keep this copy as it is and restore "
            "your latest backup."
        )
    return None


def raise_db_error(exc: BaseException, what: str, conn: Connection | None = None) -> NoReturn:
    """Raise the user-facing error for ``exc``; a bug is logged and re-raised as itself,
    so it is reported as a bug rather than hidden behind a plausible sentence.

    Damage met on ``conn`` is remembered for its database (:mod:`damage`), so every later
    write in this process is refused.
    """
    mapped = db_error(exc, what)
    if mapped is None:
        log.error("Unexpected database error while %s (SQLite code %s)", what,
                  getattr(exc, "sqlite_errorname", None) or "none", exc_info=exc)
        raise exc
    if isinstance(mapped, IntegrityFailure):
        note_damage(conn, f"a page of the database cannot be read ({exc})")
    raise mapped from exc


def note_damage(conn: Connection | None, reason: str) -> None:
    """Remember damage met on ``conn``'s database for the rest of the process."""
    path = getattr(conn, "db_path", None)
    if path:
        damage.record(path, reason)


class Rows:
    """A cursor whose fetches are classified too: SQLite reads most pages while rows are
    fetched, not when the statement starts, so a damaged page shows up there."""

    def __init__(self, conn: Connection, cursor: Any, what: str) -> None:
        self._conn, self._cursor, self._what = conn, cursor, what

    def fetchone(self) -> Any:
        try:
            return self._cursor.fetchone()
        except sqlcipher.Error as exc:
            raise_db_error(exc, self._what, self._conn)

    def fetchall(self) -> list[Any]:
        try:
            return list(self._cursor.fetchall())
        except sqlcipher.Error as exc:
            raise_db_error(exc, self._what, self._conn)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


def query(conn: Connection, sql: str, params: Sequence[Any] = (), *,
          what: str = "reading the vault") -> Rows:
    """Run one read and return its rows, with database errors classified.

    Every query of the vault's state goes through here, so a damaged page reads as
    damage, a full or vanished disk as the machine's fault, and a wrong statement as a
    bug; tests reach the bug path by handing it a broken statement.
    """
    try:
        return Rows(conn, conn.execute(sql, params), what)
    except sqlcipher.Error as exc:
        raise_db_error(exc, what, conn)


DatabaseError = sqlcipher.Error


class _VaultConnection(sqlcipher.Connection):  # type: ignore[misc]
    """A connection that knows its file, so damage met on it is remembered for that file."""

    db_path = ""


def _empty(path: Path) -> bool:
    """A 0-byte database with no -wal to rebuild it from: SQLite would take it for a new,
    empty database and the schema would be written into it as if the vault were new."""
    wal = path.with_name(path.name + "-wal")
    try:
        return path.stat().st_size == 0 and (not wal.exists() or wal.stat().st_size == 0)
    except OSError:
        return False


def connect(path: Path, data_key: bytes, *, create: bool = False,
            read_only: bool = False) -> Connection:
    """A keyed, checked connection; autocommit mode so transactions are explicit.

    ``read_only`` opens a vault on a write-protected disk (a copy handed to someone who
    must check it): immutable, so SQLite needs no -wal or -shm file beside it.
    """
    if not create and not path.exists():
        raise VaultUnavailable(f"The vault database {path} is missing.")
    if not create and _empty(path):
        damage.record(path, f"{path.name} is empty (0 bytes)")
        raise IntegrityFailure(
            f"The vault database {path} is empty (0 bytes): what it held was lost, and it "
            f"was left as it is. {damage.RESTORE}")
    try:
        if read_only:
            uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
            conn = sqlcipher.connect(uri, uri=True, isolation_level=None,
                                     check_same_thread=False, timeout=5.0,
                                     factory=_VaultConnection)
        else:
            conn = sqlcipher.connect(str(path), isolation_level=None,
                                     check_same_thread=False, timeout=5.0,
                                     factory=_VaultConnection)
        conn.db_path = str(path.resolve())
    except sqlcipher.Error as exc:
        raise_db_error(exc, "opening the vault")
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.set_key(sqlcipher_raw_key(data_key))
        conn.execute("PRAGMA cipher_memory_security = ON")
        version = conn.execute("PRAGMA cipher_version").fetchone()
        if not version or not version[0]:
            raise IntegrityFailure("The database library has no encryption; refusing to open.")
        # A wrong key or a damaged header only shows on the first read.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlcipher.Error as exc:
        conn.close()
        if primary_code(exc) in DAMAGE_CODES:
            damage.record(path, "its first page cannot be read")
            raise IntegrityFailure(
                "The key for this vault is right, but its database cannot be read: it is "
                "damaged or was replaced. Restore it from a backup."
            ) from exc
        raise_db_error(exc, "opening the vault", conn)
    except BaseException:
        conn.close()
        raise
    return conn


def migrate(conn: Connection) -> None:
    """Bring an older vault's schema up to date, in one transaction."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise VaultUnavailable(
            "This vault was made by a newer version of Evidence Kit; please update the app."
        )
    if current == SCHEMA_VERSION:
        return
    with transaction(conn, "upgrading the vault"):
        for version in range(current, SCHEMA_VERSION):
            for statement in MIGRATIONS[version].split(";"):
                if statement.strip():
                    conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


@contextlib.contextmanager
def transaction(conn: Connection, what: str) -> Iterator[Connection]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error, with errors put into words."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlcipher.Error as exc:
        raise_db_error(exc, what, conn)
    try:
        yield conn
        conn.execute("COMMIT")
    except sqlcipher.Error as exc:
        with contextlib.suppress(sqlcipher.Error):
            conn.execute("ROLLBACK")
        raise_db_error(exc, what, conn)
    except BaseException:
        with contextlib.suppress(sqlcipher.Error):
            conn.execute("ROLLBACK")
        raise
