"""A process that opens the vault only to append (``note``, ``add``, ``incident new``)
after a page in the middle of vault.db was damaged: it has read none of the content, yet
it notices the damage before writing and says so, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence_kit.core import damage
from evidence_kit.core.model import FailureKind
from evidence_kit.core.vault import DB_NAME, Vault
from tests.conftest import PASSPHRASE, run_cli_process, snapshot
from tests.core.test_damage import PAGE, build, content_page, flip


@pytest.fixture
def built(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    build(folder)
    return folder


def test_a_fresh_command_notices_a_damaged_content_page_before_its_first_write(
        built: Path, tmp_path: Path) -> None:
    page = content_page(built)
    flip(built, page)
    before = snapshot(built)
    (tmp_path / "new.txt").write_bytes(b"more evidence")
    for args in (["note", "Reported again"], ["add", str(tmp_path / "new.txt")],
                 ["incident", "new", "Another"]):
        result = run_cli_process("--vault", built, *args)
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "This vault is damaged:" in result.stderr, args
        assert f"HMAC verification failed for page {page}" in result.stderr, args
        assert "Nothing was changed" in result.stderr
        assert "Restore your most recent backup (see the README)" in result.stderr
        assert "Traceback" not in result.stderr
    assert snapshot(built) == before


def test_above_the_limit_the_write_goes_ahead_and_leaves_the_damaged_page_as_it_was(
        built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = content_page(built)
    flip(built, page)
    damaged = (built / DB_NAME).read_bytes()[(page - 1) * PAGE:page * PAGE]
    monkeypatch.setattr(damage, "FULL_CHECK_LIMIT", PAGE)  # as for a vault of videos
    with Vault.open(built, PASSPHRASE) as vault:
        vault.check_pages_before_writing = True
        vault.add_note("written before the damage was met")
        report = vault.verify()
    assert FailureKind.UNREADABLE in {f.kind for f in report.failures}
    assert (built / DB_NAME).read_bytes()[(page - 1) * PAGE:page * PAGE] == damaged


def test_a_whole_vault_is_written_to_after_the_check(built: Path) -> None:
    result = run_cli_process("--vault", built, "note", "All is well")
    assert result.returncode == 0, result.stderr
    with Vault.open(built, PASSPHRASE) as vault:
        assert vault.notes()[-1].text == "All is well"
        assert vault.verify().ok


def test_the_limit_counts_the_wal_too(tmp_path: Path) -> None:
    db = tmp_path / DB_NAME
    db.write_bytes(b"x" * 10)
    assert damage.full_check_affordable(db, limit=15)
    (tmp_path / f"{DB_NAME}-wal").write_bytes(b"y" * 10)
    assert not damage.full_check_affordable(db, limit=15)
