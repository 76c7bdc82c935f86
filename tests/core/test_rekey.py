"""Key rotation and a new recovery code: what opens the vault afterwards, for real."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evidence_kit.core import rekey
from evidence_kit.core.errors import IntegrityFailure, VaultInUse, WrongPassphrase
from evidence_kit.core.journal import EventType
from evidence_kit.core.vault import NewItem, Vault
from tests.conftest import PASSPHRASE

# What a vault folder holds once nothing is half-done.
VAULT_FILES = ["vault.db", "vault.head", "vault.keys", "vault.lock"]

NEW = "a passphrase nobody else knows"


def _fill(vault: Vault) -> None:
    incident = vault.create_incident("Posts on the school page")
    vault.add_item(NewItem(data=b"\x89PNG evidence bytes " * 500, name="a.png",
                           media_type="image/png", incident=incident.id, note="first"))
    vault.add_note("what happened next", incident=incident.id)
    vault.set_setting("autolock_minutes", "7")
    vault.checkpoint()


def _with_keys(folder: Path, keys_file: Path, where: Path) -> Path:
    """A copy of the vault folder with ``keys_file`` in place of its vault.keys."""
    shutil.copytree(folder, where)
    shutil.copyfile(keys_file, where / "vault.keys")
    return where


def test_rotation_leaves_old_keys_copies_useless(recovery_vault: tuple[Path, str],
                                                 tmp_path: Path) -> None:
    folder, old_code = recovery_vault
    with Vault.open(folder, PASSPHRASE) as vault:
        _fill(vault)
        fingerprint, before = vault.key_fingerprint, vault.leaves()
        old_keys = tmp_path / "old.keys"
        shutil.copyfile(folder / "vault.keys", old_keys)
        old_db = (folder / "vault.db").read_bytes()
        code = vault.rotate_key(PASSPHRASE, NEW)
        # Still open, on the new database, and writing to it.
        assert vault.verify().ok
        vault.add_note("after the rotation")
    assert code != old_code
    assert (folder / "vault.db").read_bytes() != old_db
    assert sorted(p.name for p in folder.iterdir()) == VAULT_FILES

    with pytest.raises(WrongPassphrase):
        Vault.open(folder, PASSPHRASE)
    with Vault.open(folder, NEW) as vault:
        report = vault.verify()
        assert report.ok, report.failures
        assert vault.key_fingerprint == fingerprint  # the signing key carried over
        assert vault.leaves()[:len(before)] == before  # the journal only grew
        changed = [e.payload for e in vault.events() if e.type == EventType.KEY_CHANGED]
        assert changed == [{"slot": "data key", "method": "rotation"}]
        assert len(vault.items()) == 1 and vault.read_blob(vault.items()[0].sha256)
        assert vault.setting("autolock_minutes") == "7"
        assert len(vault.notes()) == 3

    # The old vault.keys, with the old passphrase and the old code, no longer opens it.
    stale = _with_keys(folder, old_keys, tmp_path / "stale")
    with pytest.raises(IntegrityFailure, match="cannot be read"):
        Vault.open(stale, PASSPHRASE)
    with pytest.raises(IntegrityFailure):
        Vault.recover(stale, old_code, "whatever comes next")
    # The new code does, on the real folder; the old one does not.
    with pytest.raises(WrongPassphrase, match="recovery code"):
        Vault.recover(folder, old_code, "never set")
    with Vault.recover(folder, code, "third passphrase") as vault:
        assert vault.verify().ok


def test_without_rotation_an_old_keys_copy_still_opens(recovery_vault: tuple[Path, str],
                                                       tmp_path: Path) -> None:
    """What the plain passphrase change message warns about, shown to be so."""
    folder, _code = recovery_vault
    old_keys = tmp_path / "old.keys"
    shutil.copyfile(folder / "vault.keys", old_keys)
    with Vault.open(folder, PASSPHRASE) as vault:
        vault.change_passphrase(PASSPHRASE, NEW)
    with Vault.open(_with_keys(folder, old_keys, tmp_path / "copy"), PASSPHRASE) as vault:
        assert vault.verify().ok


def test_rotation_checks_the_current_passphrase_and_changes_nothing(
        vault: Vault, vault_dir: Path) -> None:
    before = {p.name: p.read_bytes() for p in vault_dir.iterdir() if p.name == "vault.keys"}
    with pytest.raises(WrongPassphrase):
        vault.rotate_key("not the passphrase", NEW)
    assert {p.name: p.read_bytes() for p in vault_dir.iterdir() if p.name == "vault.keys"} == (
        before)
    assert vault.verify().ok


def test_a_reader_on_the_old_file_stops_the_rotation_before_it_commits(
        vault: Vault, vault_dir: Path) -> None:
    _fill(vault)
    reader = vault.new_connection()  # as a check running in a worker thread holds one
    try:
        with pytest.raises(VaultInUse, match="busy"):
            vault.rotate_key(PASSPHRASE, NEW)
    finally:
        reader.close()
    assert not (vault_dir / rekey.NEW_DB).exists() and not (vault_dir / rekey.NEW_KEYS).exists()
    # Back on the old key, whole, and the rotation works once the reader has gone.
    assert vault.verify().ok
    vault.rotate_key(PASSPHRASE, NEW)
    vault.lock()
    with Vault.open(vault_dir, NEW) as again:
        assert again.verify().ok


def test_new_recovery_code_retires_the_old_one(recovery_vault: tuple[Path, str]) -> None:
    folder, old_code = recovery_vault
    with Vault.open(folder, PASSPHRASE) as vault:
        with pytest.raises(WrongPassphrase):
            vault.replace_recovery_code("not the passphrase")
        code = vault.replace_recovery_code(PASSPHRASE)
    assert code != old_code
    with pytest.raises(WrongPassphrase, match="recovery code"):
        Vault.recover(folder, old_code, "never set")
    with Vault.recover(folder, code.lower().replace("-", " "), "after recovery") as vault:
        kinds = [e.payload["slot"] for e in vault.events() if e.type == EventType.KEY_CHANGED]
        assert kinds == ["recovery code", "passphrase"]
        assert vault.verify().ok
    with Vault.open(folder, "after recovery") as vault:
        assert vault.is_open


def test_leftovers_of_an_unfinished_rotation_are_undone_or_finished(
        recovery_vault: tuple[Path, str]) -> None:
    """The decision is made from which files exist, before the keys are read."""
    folder, _code = recovery_vault
    (folder / rekey.NEW_DB).write_bytes(b"half an export")
    # Named as atomic_write names it when killed part-way through the new keys file.
    (folder / f".{rekey.NEW_KEYS}.x1y2.partial").write_bytes(b"{")
    with Vault.open(folder, PASSPHRASE) as vault:  # rolled back: no new keys file
        assert vault.verify().ok
    assert sorted(p.name for p in folder.iterdir()) == VAULT_FILES
    assert rekey.finish_interrupted(folder) is False


def test_what_a_killed_keys_write_leaves_is_what_the_next_open_removes(
        recovery_vault: tuple[Path, str]) -> None:
    """The unfinished file is found by the name atomic_writer really gives it (a kill
    test once found ``..vault.keys.new.XXXX.partial`` left in the folder)."""
    from evidence_kit.core.fsutil import atomic_writer, unfinished

    folder, _code = recovery_vault
    (folder / rekey.NEW_DB).write_bytes(b"half an export")
    writer = atomic_writer(folder / rekey.NEW_KEYS)
    handle = writer.__enter__()  # the keys half written when the process is killed
    handle.write(b'{"half":')
    handle.flush()
    left = [p for p in folder.iterdir() if p.name.endswith(".partial")]
    assert left and unfinished(folder / rekey.NEW_KEYS) == left
    handle.close()  # the process is gone; its file stays
    with Vault.open(folder, PASSPHRASE) as vault:
        assert vault.verify().ok
    assert sorted(p.name for p in folder.iterdir()) == VAULT_FILES
