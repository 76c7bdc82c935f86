"""Packs made one after another in the same open share one full page check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from evidence_kit.core import damage
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.vault import PAGES_TRUSTED_FOR, Vault
from evidence_kit.export.exporter import export_pack
from evidence_kit.export.pack import PackRequest
from tests.conftest import PASSPHRASE
from tests.export.conftest import populate


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
