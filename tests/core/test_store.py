"""The store: keyed connections, transactions, and database errors sorted by SQLite's
own result code. Each class of error is produced for real: a full disk, a read-only
database, a damaged page, another process holding the write lock, a folder that is not
there, and a wrong statement (a bug), which must never be shown as damage."""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlcipher3 import dbapi2 as sqlcipher

from evidence_kit.core import keys, store
from evidence_kit.core.errors import (
    EnvironmentFailure,
    EvidenceKitError,
    IntegrityFailure,
    StorageFull,
    VaultInUse,
    VaultUnavailable,
)
from evidence_kit.core.vault import Vault
from tests.conftest import PASSPHRASE
from tests.core.test_disk_full import tmpfs

KEY = bytes(range(32))


def fresh(path: Path, rows: int = 0, row_bytes: int = 3000) -> Any:
    conn = store.connect(path, KEY, create=True)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL)")
    for _ in range(rows):
        conn.execute("INSERT INTO t(data) VALUES (?)", (os.urandom(row_bytes),))
    return conn


def test_a_connection_is_encrypted_and_refuses_the_wrong_key(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    fresh(db, rows=3).close()
    assert b"CREATE TABLE" not in db.read_bytes()  # nothing readable without the key
    again = store.connect(db, KEY)
    assert again.execute("SELECT count(*) FROM t").fetchone()[0] == 3
    assert again.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert again.execute("PRAGMA secure_delete").fetchone()[0] == 1
    again.close()
    with pytest.raises(IntegrityFailure, match="damaged or was replaced"):
        store.connect(db, bytes(32))


def test_a_missing_database_is_unavailable_not_created(tmp_path: Path) -> None:
    with pytest.raises(VaultUnavailable, match="missing"):
        store.connect(tmp_path / "none.db", KEY)
    assert not (tmp_path / "none.db").exists()


def test_a_transaction_commits_or_leaves_nothing(tmp_path: Path) -> None:
    conn = fresh(tmp_path / "a.db")
    with store.transaction(conn, "the first row"):
        conn.execute("INSERT INTO t(data) VALUES (x'01')")
    with pytest.raises(KeyError), store.transaction(conn, "the second row"):
        conn.execute("INSERT INTO t(data) VALUES (x'02')")
        raise KeyError("stopped half-way")
    assert [bytes(r[0]) for r in conn.execute("SELECT data FROM t")] == [b"\x01"]
    assert conn.in_transaction is False


def test_migrate_refuses_a_schema_from_a_newer_version(tmp_path: Path) -> None:
    conn = store.connect(tmp_path / "a.db", KEY, create=True)
    store.migrate(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    store.migrate(conn)  # twice is harmless
    conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    with pytest.raises(VaultUnavailable, match="newer version"):
        store.migrate(conn)


# ---- errors by SQLite's code ---------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    yield from tmpfs(tmp_path / "small", "2m")


def test_a_full_disk_is_storage_full(small_disk: Path) -> None:
    conn = fresh(small_disk / "a.db")
    with pytest.raises(StorageFull, match="disk is full") as caught:
        for _ in range(100):
            with store.transaction(conn, "the row"):
                conn.execute("INSERT INTO t(data) VALUES (?)", (os.urandom(200_000),))
    assert store.primary_code(caught.value.__cause__) == sqlcipher.SQLITE_FULL  # type: ignore[arg-type]
    assert "was not saved" in str(caught.value)


def test_a_read_only_database_is_an_environment_failure(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    fresh(db, rows=1).close()
    conn = store.connect(db, KEY, read_only=True)
    with (pytest.raises(EnvironmentFailure, match="read-only") as caught,
          store.transaction(conn, "the row")):
        conn.execute("INSERT INTO t(data) VALUES (x'01')")
    assert not isinstance(caught.value, IntegrityFailure)


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    yield from tmpfs(tmp_path / "ro", "4m")


def test_a_write_on_a_read_only_disk_is_an_environment_failure(read_only_disk: Path) -> None:
    conn = fresh(read_only_disk / "a.db", rows=2)
    conn.execute("PRAGMA journal_mode = DELETE")  # no -shm: the remount must not pin it
    conn.close()
    remount = subprocess.run(["/usr/bin/mount", "-o", "remount,ro", str(read_only_disk)],
                             capture_output=True, check=False)
    assert remount.returncode == 0, remount.stderr
    conn = store.connect(read_only_disk / "a.db", KEY, read_only=True)
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    conn.close()
    with pytest.raises(EnvironmentFailure) as caught:
        writer = store.connect(read_only_disk / "a.db", KEY)
        with store.transaction(writer, "the row"):
            writer.execute("INSERT INTO t(data) VALUES (x'01')")
    assert not isinstance(caught.value, IntegrityFailure)


def test_a_folder_that_is_not_there_cannot_be_opened(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentFailure, match="could not be written"):
        store.connect(tmp_path / "no such folder" / "a.db", KEY, create=True)


def test_another_writer_holding_the_lock_is_busy(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    first = fresh(db)
    second = store.connect(db, KEY)
    second.execute("PRAGMA busy_timeout = 0")  # fail at once rather than after 5 s
    first.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(VaultInUse, match="busy"), store.transaction(second, "the row"):
            pass
    finally:
        first.execute("ROLLBACK")


def test_a_damaged_page_is_damage(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    conn = fresh(db, rows=50)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0xFF  # a page in the middle: its HMAC must fail
    db.write_bytes(bytes(data))
    conn = store.connect(db, KEY)  # the header page is intact, so it opens
    with pytest.raises(IntegrityFailure, match="damaged") as caught:
        store.query(conn, "SELECT sum(length(data)) FROM t").fetchone()
    assert store.primary_code(caught.value.__cause__) in store.DAMAGE_CODES  # type: ignore[arg-type]


def test_a_wrong_statement_is_a_bug_logged_and_raised_as_itself(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    conn = fresh(tmp_path / "a.db")
    with (caplog.at_level(logging.ERROR, logger="evidence_kit.core.store"),
          pytest.raises(sqlcipher.OperationalError, match="no such column") as caught):
        store.query(conn, "SELECT no_such_column FROM t", what="listing")
    assert not isinstance(caught.value, EvidenceKitError)
    [logged] = [r for r in caplog.records if r.name == "evidence_kit.core.store"]
    assert "listing" in logged.getMessage() and "SQLITE_ERROR" in logged.getMessage()
    assert logged.exc_info is not None and logged.exc_info[1] is caught.value


def test_a_bug_inside_a_transaction_is_rolled_back_and_not_called_damage(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    conn = fresh(tmp_path / "a.db")
    with (caplog.at_level(logging.ERROR, logger="evidence_kit.core.store"),
          pytest.raises(sqlcipher.IntegrityError), store.transaction(conn, "the rows")):
        conn.execute("INSERT INTO t(data) VALUES (x'01')")
        conn.execute("INSERT INTO t(data) VALUES (NULL)")  # NOT NULL: our mistake
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    assert any(r.exc_info for r in caplog.records)


def test_a_bug_in_a_vault_query_is_not_shown_as_a_damaged_vault(
    vault_dir: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    vault, _ = Vault.create(vault_dir, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    with vault, caplog.at_level(logging.ERROR, logger="evidence_kit.core.store"):
        with pytest.raises(sqlcipher.OperationalError):
            store.query(vault.conn, "SELECT id, nonsense FROM items")
        # The vault is unharmed by the bug and still checks out.
        assert vault.verify().ok
    assert caplog.records


def test_errors_without_a_sqlite_code_are_bugs(tmp_path: Path) -> None:
    conn = fresh(tmp_path / "a.db")
    conn.close()
    with pytest.raises(sqlcipher.ProgrammingError) as caught:
        store.query(conn, "SELECT 1")
    assert store.primary_code(caught.value) is None
    assert store.db_error(caught.value, "reading") is None
