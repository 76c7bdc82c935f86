"""Tampering for real: change the stored vault behind the app's back, then verify.

Each test opens the database with the unwrapped key (as someone with the passphrase
could), makes one kind of change, and checks that both the API and the command line
name the event and the kind of failure.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evidence_kit.core import keys, merkle, store
from evidence_kit.core.journal import parse_record
from evidence_kit.core.model import FailureKind
from evidence_kit.core.vault import DB_NAME, KEYS_NAME, NewItem, Vault
from tests.conftest import PASSPHRASE, run_cli_process


def build(vault: Vault) -> dict[str, int]:
    """A small journal: incident, three items, a note. Returns seqs of interest."""
    inc = vault.create_incident("Messages on Instagram")
    seqs = {}
    for n in range(1, 4):
        item = vault.add_item(NewItem(data=f"evidence {n} ".encode() * 500, name=f"e{n}.txt",
                                      media_type="text/plain", incident=inc.id))
        seqs[f"item{n}"] = item.created_seq
    seqs["note"] = vault.add_note("Reported to the platform", incident=inc.id).seq
    return seqs


@contextlib.contextmanager
def raw(folder: Path) -> Iterator[Any]:
    key = keys.KeysFile.load(folder / KEYS_NAME).unlock_with_passphrase(PASSPHRASE)
    conn = store.connect(folder / DB_NAME, key)
    try:
        yield conn
    finally:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()


@pytest.fixture
def built(vault: Vault, vault_dir: Path) -> tuple[Path, dict[str, int]]:
    seqs = build(vault)
    vault.lock()  # makes a checkpoint covering everything
    return vault_dir, seqs


def verify_again(folder: Path) -> Any:
    with Vault.open(folder, PASSPHRASE) as reopened:
        return reopened.verify()


def assert_cli_names(folder: Path, seq: int | None, kind: str) -> None:
    result = run_cli_process("--vault", folder, "verify", "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is False
    first = report["failures"][0]
    assert (first["seq"], first["kind"]) == (seq, kind)
    human = run_cli_process("--vault", folder, "verify")
    assert human.returncode == 1
    assert kind in human.stdout and "FAILED" in human.stdout


def test_untouched_vault_verifies(built: tuple[Path, dict[str, int]]) -> None:
    folder, _ = built
    report = verify_again(folder)
    assert report.ok, report.failures
    assert report.events == 6 and report.blobs == 3 and report.checkpoints == 1
    assert run_cli_process("--vault", folder, "verify").returncode == 0


def test_one_byte_of_content_changed(built: tuple[Path, dict[str, int]]) -> None:
    folder, seqs = built
    with raw(folder) as conn:
        sha = json.loads(conn.execute("SELECT details FROM items WHERE id = 2").fetchone()[0])[
            "file"]["sha256"]
        data = bytearray(conn.execute("SELECT data FROM chunks WHERE sha256 = ?",
                                      (sha,)).fetchone()[0])
        data[100] ^= 0x01
        conn.execute("UPDATE chunks SET data = ? WHERE sha256 = ?", (bytes(data), sha))
    report = verify_again(folder)
    assert report.first is not None
    assert (report.first.seq, report.first.kind) == (seqs["item2"], FailureKind.CONTENT_CHANGED)
    assert_cli_names(folder, seqs["item2"], FailureKind.CONTENT_CHANGED)


def test_one_field_of_a_record_changed(built: tuple[Path, dict[str, int]]) -> None:
    folder, seqs = built
    target = seqs["note"]
    with raw(folder) as conn:
        record = bytes(conn.execute("SELECT record FROM events WHERE seq = ?",
                                    (target,)).fetchone()[0])
        forged = record.replace(b"Reported to the platform", b"Reported to the police!!")
        assert forged != record
        conn.execute("UPDATE events SET record = ? WHERE seq = ?", (forged, target))
    report = verify_again(folder)
    assert report.first is not None
    assert (report.first.seq, report.first.kind) == (target, FailureKind.RECORD_CHANGED)
    assert_cli_names(folder, target, FailureKind.RECORD_CHANGED)


def test_record_changed_and_its_hash_recomputed_is_still_caught(
    built: tuple[Path, dict[str, int]],
) -> None:
    folder, seqs = built
    target = seqs["item1"]
    with raw(folder) as conn:
        record = bytes(conn.execute("SELECT record FROM events WHERE seq = ?",
                                    (target,)).fetchone()[0])
        forged = record.replace(b'"e1.txt"', b'"x1.txt"')
        conn.execute("UPDATE events SET record = ?, leaf = ? WHERE seq = ?",
                     (forged, merkle.leaf_hash(forged), target))
    report = verify_again(folder)
    assert report.first is not None
    assert (report.first.seq, report.first.kind) == (target, FailureKind.RECORD_CHANGED)


def test_event_row_deleted(built: tuple[Path, dict[str, int]]) -> None:
    folder, seqs = built
    target = seqs["item2"]
    with raw(folder) as conn:
        conn.execute("DELETE FROM events WHERE seq = ?", (target,))
    report = verify_again(folder)
    assert report.first is not None
    assert (report.first.seq, report.first.kind) == (target, FailureKind.EVENT_MISSING)
    assert_cli_names(folder, target, FailureKind.EVENT_MISSING)


def test_two_sequence_numbers_swapped(built: tuple[Path, dict[str, int]]) -> None:
    folder, seqs = built
    a, b = seqs["item1"], seqs["item3"]
    with raw(folder) as conn:
        conn.execute("UPDATE events SET seq = -1 WHERE seq = ?", (a,))
        conn.execute("UPDATE events SET seq = ? WHERE seq = ?", (a, b))
        conn.execute("UPDATE events SET seq = ? WHERE seq = -1", (b,))
    report = verify_again(folder)
    assert report.first is not None
    assert (report.first.seq, report.first.kind) == (a, FailureKind.ORDER_CHANGED)
    assert_cli_names(folder, a, FailureKind.ORDER_CHANGED)


def test_tail_dropped_after_a_checkpoint(built: tuple[Path, dict[str, int]]) -> None:
    folder, seqs = built
    last = seqs["note"]
    with raw(folder) as conn:
        conn.execute("DELETE FROM notes WHERE seq = ?", (last,))
        conn.execute("DELETE FROM events WHERE seq = ?", (last,))
    report = verify_again(folder)
    assert report.first is not None
    assert (report.first.seq, report.first.kind) == (last, FailureKind.TRUNCATED)
    assert_cli_names(folder, last, FailureKind.TRUNCATED)


def test_state_row_edited_behind_the_journal(built: tuple[Path, dict[str, int]]) -> None:
    folder, _ = built
    with raw(folder) as conn:
        conn.execute("UPDATE items SET url = 'https://example.org/forged' WHERE id = 1")
    report = verify_again(folder)
    assert report.first is not None
    assert report.first.kind == FailureKind.STATE_MISMATCH
    assert "items" in report.first.message


def test_checkpoint_signature_forged(built: tuple[Path, dict[str, int]]) -> None:
    folder, _ = built
    with raw(folder) as conn:
        note = conn.execute("SELECT note FROM checkpoints ORDER BY id DESC").fetchone()[0]
        lines = note.split("\n")
        lines[1] = str(int(lines[1]) - 1)  # claim a smaller tree, keep the old signature
        conn.execute("UPDATE checkpoints SET note = ?", ("\n".join(lines),))
    report = verify_again(folder)
    assert not report.ok
    assert report.failures[0].kind == FailureKind.CHECKPOINT_INVALID


def test_byte_flipped_in_the_encrypted_file(built: tuple[Path, dict[str, int]]) -> None:
    folder, _ = built
    db = folder / DB_NAME
    data = bytearray(db.read_bytes())
    # A page in the middle: the content chunks live there, so the page HMAC must fail.
    data[len(data) // 2] ^= 0xFF
    db.write_bytes(bytes(data))
    result = run_cli_process("--vault", folder, "verify", "--json")
    assert result.returncode == 1, (result.stdout, result.stderr)
    report = json.loads(result.stdout)
    kinds = {f["kind"] for f in report["failures"]}
    assert FailureKind.UNREADABLE in kinds
    assert "Traceback" not in result.stderr


def test_header_page_flipped_is_a_damaged_vault_not_a_wrong_passphrase(
    built: tuple[Path, dict[str, int]],
) -> None:
    folder, _ = built
    db = folder / DB_NAME
    data = bytearray(db.read_bytes())
    data[200] ^= 0xFF
    db.write_bytes(bytes(data))
    result = run_cli_process("--vault", folder, "verify")
    assert result.returncode == 1
    assert "damaged" in result.stderr and "passphrase" not in result.stderr.lower()
    assert "Traceback" not in result.stderr


def test_records_are_stored_exactly_as_hashed(built: tuple[Path, dict[str, int]]) -> None:
    folder, _ = built
    with raw(folder) as conn:
        rows = conn.execute("SELECT seq, record, leaf FROM events ORDER BY seq").fetchall()
    prev = "0" * 64
    for seq, record, leaf in rows:
        assert merkle.leaf_hash(bytes(record)) == bytes(leaf)
        parsed = parse_record(bytes(record))
        assert parsed.seq == seq and parsed.prev == prev
        prev = bytes(leaf).hex()
