from __future__ import annotations

import hashlib
import io
import multiprocessing
from pathlib import Path

import pytest
from PIL import Image

from evidence_kit.core import keys
from evidence_kit.core.checkpoint import parse_and_verify
from evidence_kit.core.errors import (
    BadInput,
    NotFound,
    VaultExists,
    VaultInUse,
    VaultLocked,
    WrongPassphrase,
)
from evidence_kit.core.journal import EventType
from evidence_kit.core.vault import NewItem, Vault
from tests.conftest import PASSPHRASE


def png_bytes(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="PNG")
    return out.getvalue()


def test_create_writes_genesis_event_and_opens_again(vault: Vault, vault_dir: Path) -> None:
    events = list(vault.events())
    assert [e.type for e in events] == [EventType.VAULT_CREATED]
    assert events[0].payload["public_key"] == vault.public_key.hex()
    vault_id = vault.vault_id
    vault.lock()
    with Vault.open(vault_dir, PASSPHRASE) as again:
        assert again.vault_id == vault_id
        assert again.verify().ok


def test_create_refuses_an_existing_vault(vault: Vault, vault_dir: Path) -> None:
    with pytest.raises(VaultExists):
        Vault.create(vault_dir, "other", kdf=keys.FLOOR_PARAMS)


def test_items_are_kept_byte_for_byte_once_per_hash(vault: Vault) -> None:
    data = png_bytes()
    first = vault.add_item(NewItem(data=data, name="a.png", media_type="image/png"))
    second = vault.add_item(NewItem(data=data, name="copy of a.png", media_type="image/png"))
    assert first.sha256 == second.sha256 == hashlib.sha256(data).hexdigest()
    assert vault.read_blob(first.sha256) == data
    assert vault.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1
    assert [i.original_name for i in vault.items()] == ["a.png", "copy of a.png"]


def test_large_item_is_split_and_joined_exactly(vault: Vault) -> None:
    data = bytes(range(256)) * (40 * 1024)  # 10 MiB, three chunks
    item = vault.add_item(NewItem(data=data, name="big.bin", media_type="application/octet-stream"))
    assert vault.conn.execute("SELECT chunks FROM blobs").fetchone()[0] == 3
    assert vault.read_blob(item.sha256) == data
    assert vault.verify().ok


def test_incidents_notes_moves_and_history(vault: Vault) -> None:
    a = vault.create_incident("Comments on the school Facebook page")
    b = vault.create_incident("WhatsApp group")
    item = vault.add_item(NewItem(data=b"chat", name="chat.txt", media_type="text/plain",
                                  incident=a.id, note="first seen by a parent"))
    vault.add_note("نص عربي — Polski: zażółć — Кириллица — 中文 — 🙂", item=item.id)
    vault.move_item(item.id, b.id)
    vault.rename_incident(b.id, "WhatsApp parents' group")
    vault.update_item(item.id, account="@someone", description="threatening message")
    assert vault.incident(a.id).item_count == 0
    assert vault.incident(b.id).item_count == 1
    assert vault.incident(b.id).title == "WhatsApp parents' group"
    got = vault.item(item.id)
    assert (got.incident_id, got.account, got.description) == (b.id, "@someone",
                                                               "threatening message")
    assert [n.text for n in vault.notes(item=item.id)][1].startswith("نص عربي")
    history = [e.type for e in vault.item_history(item.id)]
    assert history == [EventType.ITEM_IMPORTED, EventType.NOTE_ADDED, EventType.ITEM_MOVED,
                       EventType.ITEM_DETAILS]
    assert vault.verify().ok


def test_unknown_ids_and_empty_text_are_refused(vault: Vault) -> None:
    with pytest.raises(NotFound):
        vault.item(99)
    with pytest.raises(NotFound):
        vault.add_item(NewItem(data=b"x", name="x", media_type="text/plain", incident=7))
    with pytest.raises(BadInput):
        vault.create_incident("   ")
    with pytest.raises(BadInput):
        vault.add_note("")
    with pytest.raises(BadInput):
        vault.update_item(vault.add_item(NewItem(data=b"y", name="y",
                                                 media_type="text/plain")).id, sha256="0")
    assert vault.verify().ok


def test_withdrawal_purges_content_and_keeps_the_event(vault: Vault) -> None:
    item = vault.add_item(NewItem(data=b"posted by mistake", name="m.txt",
                                  media_type="text/plain"))
    vault.withdraw_item(item.id, "a pupil's name is visible; purged at the DSL's request")
    with pytest.raises(NotFound, match="withdrawn"):
        vault.read_blob(item.sha256)
    assert vault.item(item.id).withdrawn
    types = [e.type for e in vault.item_history(item.id)]
    assert types == [EventType.ITEM_IMPORTED, EventType.ITEM_WITHDRAWN]
    assert vault.conn.execute("SELECT count(*) FROM chunks").fetchone()[0] == 0
    assert vault.verify().ok


def test_extract_writes_exact_bytes_and_records_it(vault: Vault, tmp_path: Path) -> None:
    data = png_bytes((1, 2, 3))
    item = vault.add_item(NewItem(data=data, name="a.png", media_type="image/png"))
    out = vault.extract(item.id, tmp_path / "out.png")
    assert out.read_bytes() == data
    assert vault.item_history(item.id)[-1].type == EventType.ITEM_EXTRACTED
    assert not list(tmp_path.glob(".out.png.*")), "the temporary file was left behind"


def test_lock_makes_a_signed_checkpoint_and_forgets_the_key(vault: Vault, vault_dir: Path) -> None:
    vault.add_item(NewItem(data=b"x", name="x", media_type="text/plain"))
    public = vault.public_key
    vault.lock()
    with pytest.raises(VaultLocked):
        vault.items()
    with pytest.raises(VaultLocked):
        vault.new_connection()
    with Vault.open(vault_dir, PASSPHRASE) as again:
        cp = again.latest_checkpoint()
        assert cp is not None and cp.tree_size == 2
        parsed = parse_and_verify(cp.note, public)
        assert parsed.root.hex() == cp.root


def _hold_vault(folder: str, ready: multiprocessing.synchronize.Event,
                done: multiprocessing.synchronize.Event) -> None:
    with Vault.open(Path(folder), PASSPHRASE):
        ready.set()
        done.wait(30)


def test_second_process_is_refused(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    ctx = multiprocessing.get_context("spawn")
    ready, done = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_vault, args=(str(vault_dir), ready, done))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(VaultInUse, match="already open"):
            Vault.open(vault_dir, PASSPHRASE)
    finally:
        done.set()
        holder.join(30)
    with Vault.open(vault_dir, PASSPHRASE) as again:  # free once the holder has gone
        assert again.is_open


def test_second_open_in_the_same_process_is_refused(vault: Vault, vault_dir: Path) -> None:
    with pytest.raises(VaultInUse):
        Vault.open(vault_dir, PASSPHRASE)


def test_change_passphrase_and_recover(recovery_vault: tuple[Path, str]) -> None:
    folder, code = recovery_vault
    with Vault.open(folder, PASSPHRASE) as v:
        with pytest.raises(WrongPassphrase):
            v.change_passphrase("not the current one", "new one")
        v.change_passphrase(PASSPHRASE, "second passphrase")
    with pytest.raises(WrongPassphrase):
        Vault.open(folder, PASSPHRASE)
    with Vault.recover(folder, code, "third passphrase") as v:
        assert [e.payload["method"] for e in v.events() if e.type == EventType.KEY_CHANGED] == [
            "passphrase", "recovery code"]
    with pytest.raises(WrongPassphrase):
        Vault.open(folder, "second passphrase")
    with Vault.open(folder, "third passphrase") as v:
        assert v.verify().ok


def test_backup_opens_and_verifies(vault: Vault, tmp_path: Path) -> None:
    vault.add_item(NewItem(data=png_bytes(), name="a.png", media_type="image/png"))
    dest = vault.backup(tmp_path / "backup")
    assert vault.items()[0].sha256
    vault.lock()
    with Vault.open(dest, PASSPHRASE) as copy:
        assert copy.verify().ok
        assert len(copy.items()) == 1
    with pytest.raises(BadInput, match="already exists"), \
            Vault.open(vault.folder, PASSPHRASE) as again:
        again.backup(dest)


def test_schema_version_is_set_and_newer_vaults_are_refused(vault: Vault, vault_dir: Path) -> None:
    assert vault.conn.execute("PRAGMA user_version").fetchone()[0] >= 1
    vault.conn.execute("PRAGMA user_version = 999")
    vault.lock()
    with pytest.raises(Exception, match="newer version"):
        Vault.open(vault_dir, PASSPHRASE)


def test_inclusion_and_consistency_against_an_old_checkpoint(vault: Vault) -> None:
    from evidence_kit.core import merkle

    vault.add_item(NewItem(data=b"one", name="1.txt", media_type="text/plain"))
    held = vault.checkpoint()  # what a recipient was given with a pack
    for n in range(5):
        vault.add_note(f"later note {n}")
    assert vault.extends(held.note)
    leaves = vault.leaves()
    proof = vault.inclusion_proof(2)
    assert merkle.verify_inclusion(1, len(leaves), leaves[1], proof, merkle.root(leaves))
    proof = vault.consistency_proof(held.tree_size)
    assert merkle.verify_consistency(held.tree_size, len(leaves), bytes.fromhex(held.root),
                                     merkle.root(leaves), proof)
    forged = held.note.replace(held.note.split("\n")[1], "1", 1)
    with pytest.raises(BadInput, match="not one of this vault's"):
        vault.extends(forged)


def test_a_history_rewritten_under_a_held_checkpoint_is_not_an_extension(
    vault: Vault, vault_dir: Path,
) -> None:
    from evidence_kit.core import merkle, store
    from evidence_kit.core.journal import parse_record

    vault.add_note("what really happened")
    held = vault.checkpoint()
    vault.add_note("later")
    # Rewrite the note and re-chain every later event, as someone holding the key could.
    conn = vault.conn
    rows = conn.execute("SELECT seq, record FROM events ORDER BY seq").fetchall()
    prev = "0" * 64
    for seq, data in rows:
        record = parse_record(bytes(data))
        payload = dict(record.payload)
        if payload.get("text") == "what really happened":
            payload["text"] = "something else"
        rebuilt = type(record)(record.v, record.log, record.seq, record.type, record.salt, prev,
                               record.recorded_at, payload).encode()
        leaf = merkle.leaf_hash(rebuilt)
        with store.transaction(conn, "forging"):
            conn.execute("UPDATE events SET record = ?, leaf = ? WHERE seq = ?",
                         (rebuilt, leaf, seq))
        prev = leaf.hex()
    assert not vault.extends(held.note)


def test_worker_threads_can_write_at_once_and_lock_waits_for_them(vault: Vault) -> None:
    import threading

    errors: list[BaseException] = []

    def writer(tag: str) -> None:
        try:
            for n in range(15):
                vault.add_item(NewItem(data=f"{tag}{n}".encode() * 1000, name=f"{tag}{n}",
                                       media_type="text/plain"))
                vault.add_note(f"{tag} note {n}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(tag,)) for tag in "abc"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(vault.items()) == 45
    assert vault.verify().ok


def test_content_can_be_streamed_and_peeked_and_damage_still_shows(vault: Vault) -> None:
    from evidence_kit.core.errors import IntegrityFailure

    data = bytes(range(256)) * (40 * 1024)  # 10 MiB: three chunks
    item = vault.add_item(NewItem(data=data, name="video.mp4", media_type="video/mp4"))
    chunks = list(vault.iter_blob(item.sha256))
    assert len(chunks) == 3 and b"".join(chunks) == data
    assert vault.read_blob(item.sha256, limit=10) == data[:10]
    assert vault.read_blob(item.sha256, limit=5_000_000) == data[:5_000_000]
    vault.conn.execute("UPDATE chunks SET data = ? WHERE sha256 = ? AND idx = 2",
                       (b"\x00" * 100, item.sha256))
    with pytest.raises(IntegrityFailure):
        list(vault.iter_blob(item.sha256))
    with pytest.raises(IntegrityFailure):
        vault.read_blob(item.sha256)
