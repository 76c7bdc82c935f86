"""The full page check of an export: shared by packs made one after another in the same
open, and run beside the build, which it stops when it finds damage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from evidence_kit.core import damage, head, keys
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.errors import StorageFull, VaultDamaged
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import PAGES_TRUSTED_FOR, NewItem, Vault
from evidence_kit.export.exporter import export_pack
from evidence_kit.export.pack import PackRequest
from tests.conftest import PASSPHRASE
from tests.core.test_damage import content_page, flip
from tests.export.conftest import populate, screenshot


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many full page checks ran (each still runs for real)."""
    made: list[int] = []
    real = damage.page_problems

    def counted(conn: object) -> list[str]:
        made.append(1)
        return real(conn)

    monkeypatch.setattr(damage, "page_problems", counted)
    return made


def test_packs_one_after_another_check_the_pages_once(
        vault: Vault, clock: FixedClock, tmp_path: Path, checks: list[int]) -> None:
    incident, *_ = populate(vault)
    for who in ("slt", "police", "lado"):
        export_pack(vault, PackRequest(recipient=who, incident=incident), tmp_path / who)
    assert len(checks) == 1
    clock.advance(PAGES_TRUSTED_FOR)
    export_pack(vault, PackRequest(recipient="slt", incident=incident), tmp_path / "later")
    assert len(checks) == 2


def test_a_backup_always_checks_every_page(vault: Vault, tmp_path: Path,
                                           checks: list[int]) -> None:
    incident, *_ = populate(vault)
    export_pack(vault, PackRequest(recipient="slt", incident=incident), tmp_path / "pack")
    vault.backup(tmp_path / "backup")
    assert len(checks) == 2


def test_another_connections_write_or_a_new_open_checks_again(
        vault: Vault, vault_dir: Path, tmp_path: Path, checks: list[int]) -> None:
    incident, *_ = populate(vault)
    export_pack(vault, PackRequest(recipient="slt", incident=incident), tmp_path / "one")
    other = vault.new_connection()
    try:
        other.execute("CREATE TABLE written_elsewhere(x)")  # a commit not made by the vault
    finally:
        other.close()
    export_pack(vault, PackRequest(recipient="slt", incident=incident), tmp_path / "two")
    assert len(checks) == 2
    vault.lock()
    with Vault.open(vault_dir, PASSPHRASE,
                    clock=FixedClock(dt.datetime(2026, 3, 15, tzinfo=dt.UTC))) as again:
        export_pack(again, PackRequest(recipient="slt", incident=incident), tmp_path / "three")
    assert len(checks) == 3


# ---- the check beside the build (core/pagecheck.py) ------------------------------------


def _vault_with_other_content(folder: Path) -> int:
    """A small incident to export and, in another, content filling most of the file."""
    vault, _ = Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    with vault:
        save_profile(vault, Profile(initials="JS"))
        exported = vault.create_incident("Posts").id
        vault.add_item(NewItem(data=screenshot(640, 400, (20, 90, 20)), name="post.png",
                               media_type="image/png", incident=exported))
        other = vault.create_incident("Another matter").id
        for n in range(3):
            vault.add_item(NewItem(data=bytes([n + 1]) * 600_000, name=f"e{n}.bin",
                                   media_type="application/octet-stream", incident=other))
        return exported


def test_damage_found_beside_the_build_stops_the_pack_and_keeps_nothing(
        tmp_path: Path) -> None:
    """A page of content the pack does not hold is damaged: the build never reads it,
    the check made beside it does, and nothing is recorded, kept or published."""
    folder = tmp_path / "vault"
    incident = _vault_with_other_content(folder)
    flip(folder, content_page(folder))
    out = tmp_path / "out"
    with Vault.open(folder, PASSPHRASE) as vault:
        assert not vault.check_pages_before_writing  # the app's way: check beside it
        before = (vault.event_count(), len(vault.checkpoints()))
        with pytest.raises(VaultDamaged, match="fail their check"):
            export_pack(vault, PackRequest("police", incident=incident), out)
        assert (vault.event_count(), len(vault.checkpoints())) == before
        # The building folder is gone. (Its entry in the settings stays: a vault met
        # damaged takes no more writes; a restored backup never had it.)
    assert not out.exists() or list(out.iterdir()) == []
    with Vault.open(folder, PASSPHRASE) as again:
        assert again.damage is not None  # remembered for the rest of the process


def test_a_failed_export_keeps_no_checkpoint(vault: Vault, tmp_path: Path) -> None:
    """The checkpoint a pack carries is kept with the export's events, not before: an
    export that fails after it was signed leaves the checkpoints as they were."""
    incident, *_ = populate(vault)
    vault.checkpoint()
    kept = vault.checkpoints()

    def fail(done: int, total: int, message: str) -> None:
        if message.startswith("exhibit"):
            raise OSError(28, "No space left on device")

    with pytest.raises(StorageFull):
        export_pack(vault, PackRequest("slt", incident=incident), tmp_path / "out", fail)
    assert vault.checkpoints() == kept
    made = export_pack(vault, PackRequest("slt", incident=incident), tmp_path / "out")
    assert vault.checkpoints()[-1] == made.checkpoint
    assert head.read(vault.folder) == made.checkpoint.note


def test_a_checkpoint_kept_meanwhile_stays_the_head(vault: Vault) -> None:
    """A checkpoint signed for a pack, then another made and kept before the pack's is:
    both are kept, the newer stays the head and the latest."""
    vault.add_note("first")
    for_pack = vault.sign_checkpoint()
    vault.add_note("second")
    newer = vault.checkpoint()
    vault.append_all([], "the export", checkpoint=for_pack)
    assert [c.tree_size for c in vault.checkpoints()] == [for_pack.tree_size, newer.tree_size]
    assert vault.latest_checkpoint() == newer
    assert head.read(vault.folder) == newer.note


def test_an_abandoned_check_stops_and_decides_nothing(vault: Vault) -> None:
    populate(vault)
    check = vault.start_page_check()
    check.abandon()
    check.abandon()  # twice is harmless
    assert vault.damage is None
    vault.check_pages(recent_ok=True)  # abandoned, so it did not count as a check


def test_locking_after_an_export_leaves_nothing_frozen(vault_dir: Path, tmp_path: Path) -> None:
    """Loading the pack's fonts freezes the collector's heap (for speed); a lock must
    undo it, so that what the vault held in cycles is collected after it is locked."""
    import gc
    import weakref

    opened, _ = Vault.create(vault_dir, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    incident, *_ = populate(opened)

    class Held:  # something the session holds in a cycle, like a widget and its vault
        def __init__(self) -> None:
            self.me = self

    held = Held()
    gone = weakref.ref(held)
    gc.freeze()  # as a font's registration does, with the cycle alive
    export_pack(opened, PackRequest("slt", incident=incident), tmp_path / "out")
    del held
    opened.lock()
    assert gc.get_freeze_count() == 0
    assert gone() is None
