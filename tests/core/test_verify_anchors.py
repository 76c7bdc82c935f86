"""What verify checks beyond the chain itself: the key the first event names, and the
checkpoints the journal refers to."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evidence_kit.core.checkpoint import parse_and_verify
from evidence_kit.core.journal import EventType
from evidence_kit.core.model import FailureKind
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import NewItem, Vault
from tests.conftest import PASSPHRASE, run_cli_process
from tests.core.test_tamper import assert_cli_names, built, raw, verify_again

__all__ = ["built"]  # the fixture, shared with the tamper tests


def test_a_replaced_key_with_every_checkpoint_re_signed_is_caught(
        built: tuple[Path, dict[str, int]]) -> None:
    folder, _ = built
    assert verify_again(folder).failures == ()
    forged = Ed25519PrivateKey.generate()
    with raw(folder) as conn:
        old_public = bytes(conn.execute(
            "SELECT value FROM meta WHERE key = 'public_key'").fetchone()[0])
        conn.execute("UPDATE meta SET value = ? WHERE key = 'signing_key'",
                     (forged.private_bytes_raw(),))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'public_key'",
                     (forged.public_key().public_bytes_raw(),))
        # Re-sign every checkpoint as someone holding the passphrase could.
        for cp_id, note in conn.execute("SELECT id, note FROM checkpoints").fetchall():
            cp = parse_and_verify(note, old_public)
            conn.execute("UPDATE checkpoints SET note = ? WHERE id = ?",
                         (cp.sign(forged), cp_id))
    report = verify_again(folder)
    kinds = [(f.seq, f.kind) for f in report.failures]
    assert kinds == [(1, FailureKind.KEY_REPLACED)], kinds
    assert_cli_names(folder, 1, FailureKind.KEY_REPLACED)


def test_a_deleted_checkpoint_that_a_pack_carries_is_reported(
        vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    save_profile(vault, Profile(initials="JS"))
    incident = vault.create_incident("Posts")
    vault.add_item(NewItem(data=b"a post " * 100, name="post.txt", media_type="text/plain",
                           incident=incident.id))
    vault.lock()
    made = run_cli_process("--vault", vault_dir, "export", "--incident", str(incident.id),
                           "--for", "slt", "--out", tmp_path / "out")
    assert made.returncode == 0, made.stderr
    assert verify_again(vault_dir).failures == ()
    with Vault.open(vault_dir, PASSPHRASE) as opened:
        export = [e for e in opened.events() if e.type == EventType.EXPORT_STARTED][-1]
    carried = export.payload["checkpoint"]["tree_size"]
    with raw(vault_dir) as conn:
        deleted = conn.execute("DELETE FROM checkpoints WHERE tree_size = ?", (carried,))
        assert deleted.rowcount >= 1
    report = verify_again(vault_dir)
    missing = [f for f in report.failures if f.kind == FailureKind.CHECKPOINT_MISSING]
    assert len(missing) == 1, report.failures
    assert missing[0].seq == export.seq
    assert f"checkpoint of {carried} events" in missing[0].message


def _png(colour: tuple[int, int, int]) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="PNG")
    return out.getvalue()


def test_a_replaced_preview_is_caught(vault: Vault, vault_dir: Path) -> None:
    # An import keeps its preview with the evidence; a capture's comes after its commit.
    imported = vault.add_item(NewItem(data=_png((200, 30, 30)), name="post.png",
                                      media_type="image/png", thumbnail=_png((200, 30, 30))))
    captured = vault.add_item(NewItem(data=_png((30, 200, 30)), name="capture.png",
                                      media_type="image/png", method="capture"))
    vault.set_thumbnail(captured.sha256, _png((30, 200, 30)))
    vault.set_thumbnail(captured.sha256, _png((1, 2, 3)))  # a second preview is not kept
    previews = [e for e in vault.events() if e.type == EventType.PREVIEW_MADE]
    assert [e.payload["of"] for e in previews] == [imported.sha256, captured.sha256]
    vault.lock()
    assert verify_again(vault_dir).failures == ()
    with raw(vault_dir) as conn:
        conn.execute("UPDATE thumbnails SET png = ? WHERE sha256 = ?",
                     (_png((0, 0, 0)), captured.sha256))
    report = verify_again(vault_dir)
    assert [(f.seq, f.kind) for f in report.failures] == [
        (previews[1].seq, FailureKind.PREVIEW_CHANGED)]
    assert_cli_names(vault_dir, previews[1].seq, FailureKind.PREVIEW_CHANGED)
