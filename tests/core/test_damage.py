"""A damaged vault, for real: bytes flipped in vault.db, a 0-byte vault.db, a database
that lost events it once had. Reading goes on as far as it can and says so; writing is
refused in words, exit 1, and changes no byte."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evidence_kit.core import damage, head, keys, store
from evidence_kit.core.errors import IntegrityFailure, VaultDamaged
from evidence_kit.core.model import FailureKind
from evidence_kit.core.vault import DB_NAME, KEYS_NAME, NewItem, Vault
from tests.conftest import PASSPHRASE, run_cli_process, snapshot

PAGE = 4096
BIG = 600_000  # content large enough that most of the file's pages are content pages


def build(folder: Path) -> None:
    vault, _ = Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    with vault:
        incident = vault.create_incident("Messages on Instagram")
        for n in range(3):
            vault.add_item(NewItem(data=bytes([n + 1]) * BIG, name=f"e{n}.bin",
                                   media_type="application/octet-stream",
                                   incident=incident.id))
        vault.add_note("Reported to the platform", incident=incident.id)


def root_page(folder: Path, table: str) -> int:
    """The first page of ``table`` (1-based), from the schema the vault itself holds."""
    key = keys.KeysFile.load(folder / KEYS_NAME).unlock_with_passphrase(PASSPHRASE)
    conn = store.connect(folder / DB_NAME, key)
    try:
        return int(conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                (table,)).fetchone()[0])
    finally:
        conn.close()


def flip(folder: Path, page: int, offset: int = 1000) -> None:
    """One byte of ``page`` (1-based) changed in the file itself, as a failing disk would."""
    db = folder / DB_NAME
    data = bytearray(db.read_bytes())
    data[(page - 1) * PAGE + offset] ^= 0x5A
    db.write_bytes(bytes(data))


def content_page(folder: Path) -> int:
    """A page in the middle of the file: with 1.8 MB of content, one of the content's."""
    return (folder / DB_NAME).stat().st_size // PAGE // 2


@pytest.fixture
def built(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    build(folder)
    return folder


# ---- the journal's own pages damaged ---------------------------------------------------


def test_a_damaged_journal_page_refuses_every_write_in_words(built: Path, tmp_path: Path) -> None:
    flip(built, root_page(built, "items"))
    before = snapshot(built)
    (tmp_path / "new.txt").write_bytes(b"more evidence")
    for args in (["note", "more"], ["add", str(tmp_path / "new.txt")], ["checkpoint"],
                 ["incident", "new", "Another"]):
        result = run_cli_process("--vault", built, *args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "This vault is damaged:" in result.stderr, args
        assert "Restore your most recent backup (see the README)" in result.stderr
        assert "Traceback" not in result.stderr
    # The items table is unreadable, so the list is rebuilt from the journal; and it
    # still says the vault is damaged, exit 1.
    listed = run_cli_process("--vault", built, "list")
    assert listed.returncode == 1, listed.stderr
    assert all(f"e{n}.bin" in listed.stdout for n in range(3)), listed.stdout
    assert "This vault is damaged" in listed.stderr and "nothing was written" in listed.stderr
    assert "Traceback" not in listed.stderr
    assert snapshot(built) == before  # not a byte written, not even at lock


def test_in_one_process_damage_met_once_is_sticky(built: Path) -> None:
    flip(built, root_page(built, "notes"))
    with Vault.open(built, PASSPHRASE) as vault:
        assert vault.damage is None  # nothing has read the damaged page yet
        assert len(vault.items()) == 3  # reading what is intact still works
        # The notes table cannot be read: its rows are rebuilt from the journal.
        assert [n.text for n in vault.notes()] == ["Reported to the platform"]
        assert vault.damage is not None
        assert vault.incident(1).item_count == 3
        with pytest.raises(VaultDamaged, match="This vault is damaged"):
            vault.create_incident("Refused")
        with pytest.raises(VaultDamaged):
            vault.set_setting("theme", "dark")
        keys_before = (built / KEYS_NAME).read_bytes()
        with pytest.raises(VaultDamaged):
            vault.change_passphrase(PASSPHRASE, "another passphrase entirely")
        assert (built / KEYS_NAME).read_bytes() == keys_before
        with pytest.raises(VaultDamaged):
            vault.extract(1, built.parent / "out.bin")
        assert not (built.parent / "out.bin").exists()
    # A second unlock in the same process (the app locking and unlocking) remembers.
    with Vault.open(built, PASSPHRASE) as again:
        assert again.damage is not None
        with pytest.raises(VaultDamaged):
            again.add_note("still refused")


# ---- the content's pages damaged -------------------------------------------------------


def test_damaged_content_refuses_backup_export_and_writes_after_it_is_met(
    built: Path, tmp_path: Path,
) -> None:
    flip(built, content_page(built))
    before = snapshot(built)
    with Vault.open(built, PASSPHRASE) as vault:
        assert len(vault.items()) == 3
        with pytest.raises(VaultDamaged, match="fail their check"):
            vault.backup(tmp_path / "copy")
        assert not (tmp_path / "copy").exists()
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".copy.")]
        with pytest.raises(VaultDamaged):
            vault.add_note("after the damage was met")
    assert snapshot(built) == before

    backup = run_cli_process("--vault", built, "backup", tmp_path / "cli-copy")
    assert backup.returncode == 1, backup.stderr
    assert "This vault is damaged" in backup.stderr and "read-only" not in backup.stderr
    assert not (tmp_path / "cli-copy").exists()
    export = run_cli_process("--vault", built, "export", "--incident", "1", "--for", "slt",
                             "--out", tmp_path / "pack")
    assert export.returncode == 1, export.stderr
    assert "This vault is damaged" in export.stderr
    assert not (tmp_path / "pack").exists() or not list((tmp_path / "pack").iterdir())
    assert snapshot(built) == before


def test_verify_of_damaged_content_makes_the_vault_read_only(built: Path) -> None:
    flip(built, content_page(built))
    with Vault.open(built, PASSPHRASE) as vault:
        report = vault.verify()
        assert FailureKind.UNREADABLE in {f.kind for f in report.failures}
        with pytest.raises(VaultDamaged, match="Restore your most recent backup"):
            vault.add_note("refused")
        items = vault.items()
        readable = 0
        for item in items:
            try:
                vault.read_blob(item.sha256)
                readable += 1
            except IntegrityFailure:
                pass
        assert 0 < readable < 3  # what is intact can still be read back


# ---- an empty vault.db -----------------------------------------------------------------


def test_a_zero_byte_database_is_never_given_a_fresh_schema(built: Path) -> None:
    (built / DB_NAME).write_bytes(b"")
    with pytest.raises(IntegrityFailure, match="empty"):
        Vault.open(built, PASSPHRASE)
    assert (built / DB_NAME).stat().st_size == 0
    for args in (["list"], ["note", "x"], ["verify"]):
        result = run_cli_process("--vault", built, *args)
        assert result.returncode == 1, (args, result.stderr)
        assert "empty" in result.stderr and "Traceback" not in result.stderr
        assert (built / DB_NAME).stat().st_size == 0
    assert not (built / "vault.db-wal").exists()


def test_a_database_without_a_schema_is_not_made_into_a_new_one(built: Path) -> None:
    key = keys.KeysFile.load(built / KEYS_NAME).unlock_with_passphrase(PASSPHRASE)
    (built / DB_NAME).unlink()
    # A keyed but empty database, as a tool that "repaired" the file might leave it.
    store.connect(built / DB_NAME, key, create=True).close()
    with pytest.raises(IntegrityFailure, match="holds no vault"):
        Vault.open(built, PASSPHRASE)
    conn = store.connect(built / DB_NAME, key)
    try:
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        conn.close()


# ---- vault.head: events a database once had ----------------------------------------------


def test_an_older_database_copied_over_is_named(built: Path, tmp_path: Path) -> None:
    older = tmp_path / "older.db"
    shutil.copyfile(built / DB_NAME, older)
    with Vault.open(built, PASSPHRASE) as vault:
        had = vault.event_count()
        for n in range(3):
            vault.add_note(f"later note {n}")
    latest = head.read(built)
    assert latest is not None and f"\n{had + 3}\n" in latest  # the lock's checkpoint
    shutil.copyfile(older, built / DB_NAME)
    with Vault.open(built, PASSPHRASE) as vault:
        report = vault.verify()
    first = report.first
    assert first is not None and first.kind == FailureKind.TRUNCATED
    assert first.seq == had + 1
    assert f"Events {had + 1}…{had + 3}" in first.message and "missing" in first.message
    assert "recorded on or before" in first.message
    cli = run_cli_process("--vault", built, "verify", "--json")
    assert cli.returncode == 1
    assert json.loads(cli.stdout)["failures"][0]["kind"] == FailureKind.TRUNCATED


def test_an_edited_head_is_reported(built: Path) -> None:
    text = head.read(built)
    assert text is not None
    lines = text.split("\n")
    lines[1] = str(int(lines[1]) + 5)
    (built / head.HEAD_NAME).write_text("\n".join(lines))
    with Vault.open(built, PASSPHRASE) as vault:
        report = vault.verify()
    assert [f.kind for f in report.failures] == [FailureKind.CHECKPOINT_INVALID]
    assert "vault.head" in report.failures[0].message


def test_a_backup_carries_its_head_and_verifies(built: Path, tmp_path: Path) -> None:
    with Vault.open(built, PASSPHRASE) as vault:
        vault.add_note("just before the backup")
        vault.backup(tmp_path / "copy")
    assert (tmp_path / "copy" / head.HEAD_NAME).exists()
    with Vault.open(tmp_path / "copy", PASSPHRASE) as copy:
        report = copy.verify()
    assert report.ok, report.failures


def test_damage_is_remembered_per_database_not_per_folder_name(tmp_path: Path) -> None:
    damage.record(tmp_path / "a" / DB_NAME, "a test")
    assert damage.seen(tmp_path / "a" / ".." / "a" / DB_NAME) == "a test"
    assert damage.seen(tmp_path / "b" / DB_NAME) is None
    damage.forget(tmp_path / "a" / DB_NAME)
    assert damage.seen(tmp_path / "a" / DB_NAME) is None


def test_a_damaged_journal_is_said_in_one_sentence(built: Path) -> None:
    flip(built, root_page(built, "events"))
    shown = run_cli_process("--vault", built, "show", "1")
    assert shown.returncode == 1, shown.stderr
    assert "damaged" in shown.stderr and "Traceback" not in shown.stderr
    noted = run_cli_process("--vault", built, "note", "refused")
    assert noted.returncode == 1 and "This vault is damaged" in noted.stderr
    verified = run_cli_process("--vault", built, "verify")
    assert verified.returncode == 1 and "FAILED" in verified.stdout
