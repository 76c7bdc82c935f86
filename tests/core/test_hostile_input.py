"""Input that used to crash or hang a command: each now ends in one sentence, the
documented exit code, and an unchanged vault. All made for real: a number too large
for SQLite, a crafted vault.keys, /dev/full, a FIFO."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest

from evidence_kit import intake
from evidence_kit.core import keys
from evidence_kit.core.errors import FileProblem, KeysFileDamaged, NotFound
from evidence_kit.core.vault import KEYS_NAME, NewItem, Vault
from tests.conftest import PASSPHRASE, run_cli_process, snapshot

HUGE = 99999999999999999999999  # beyond SQLite's signed 64-bit integers


def test_ids_too_large_for_sqlite_are_not_found(vault: Vault) -> None:
    item = vault.add_item(NewItem(data=b"kept", name="a.txt", media_type="text/plain"))
    for call in (lambda: vault.item(HUGE), lambda: vault.incident(HUGE),
                 lambda: vault.event(HUGE), lambda: vault.record_bytes(-HUGE),
                 lambda: vault.add_note("x", item=HUGE),
                 lambda: vault.add_item(NewItem(data=b"y", name="b", media_type="text/plain",
                                                incident=HUGE))):
        with pytest.raises(NotFound, match=r"no (item|incident|event)"):
            call()
    assert vault.items(incident=HUGE) == [] and vault.notes(item=HUGE) == []
    assert vault.actions(incident=HUGE) == []
    assert [i.id for i in vault.items()] == [item.id]


def test_show_of_a_number_too_large_for_sqlite_says_not_found(vault_dir: Path) -> None:
    vault, _ = Vault.create(vault_dir, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    vault.lock()
    before = snapshot(vault_dir)
    result = run_cli_process("--vault", vault_dir, "show", str(HUGE))
    assert result.returncode == 2, result.stderr
    assert f"There is no item {HUGE}" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(vault_dir) == before


@pytest.mark.parametrize(("field", "value"), [("memory_kib", 2**40), ("passes", 10**9)])
def test_absurd_key_derivation_settings_are_refused_at_once(
    vault_dir: Path, field: str, value: int,
) -> None:
    vault, _ = Vault.create(vault_dir, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    vault.lock()
    path = vault_dir / KEYS_NAME
    crafted = json.loads(path.read_text())
    crafted["passphrase"][field] = value
    path.write_text(json.dumps(crafted))
    before = snapshot(vault_dir)
    started = time.monotonic()
    with pytest.raises(KeysFileDamaged, match=r"far beyond .* Restore vault\.keys"):
        Vault.open(vault_dir, PASSPHRASE)
    result = run_cli_process("--vault", vault_dir, "list", timeout=30)
    assert time.monotonic() - started < 20, "no derivation was attempted"
    assert result.returncode == 3, result.stderr
    assert "vault.keys" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(vault_dir) == before


def test_tuning_and_the_floor_stay_within_the_caps() -> None:
    assert keys.FLOOR_PARAMS.memory_kib <= keys.CAP_MEMORY_KIB
    assert keys.MAX_MEMORY_KIB <= keys.CAP_MEMORY_KIB
    with pytest.raises(ValueError, match="above the caps"):
        keys.KdfParams(keys.FLOOR_MEMORY_KIB, keys.CAP_PASSES + 1, keys.LANES)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_extract_refuses_to_replace_a_device(vault: Vault, vault_dir: Path) -> None:
    item = vault.add_item(NewItem(data=b"kept", name="a.txt", media_type="text/plain"))
    events = vault.event_count()
    with pytest.raises(FileProblem, match="not a regular file"):
        vault.extract(item.id, Path("/dev/full"), overwrite=True)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert vault.event_count() == events, "a refused extraction is not recorded"
    vault.lock()
    result = run_cli_process("--vault", vault_dir, "extract", str(item.id), "--out",
                             "/dev/full", "--force")
    assert result.returncode == 2, result.stderr
    assert "not a regular file" in result.stderr and "Traceback" not in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_extract_refuses_to_replace_a_pipe(vault: Vault, tmp_path: Path) -> None:
    item = vault.add_item(NewItem(data=b"kept", name="a.txt", media_type="text/plain"))
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileProblem, match="not a regular file"):
        vault.extract(item.id, fifo, overwrite=True)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_adding_a_pipe_or_a_device_is_refused_without_waiting(
    vault: Vault, tmp_path: Path,
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/null")):
        with pytest.raises(FileProblem, match="not a regular file"):
            intake.read_evidence_file(path)
    report = intake.import_paths(vault, [fifo], intake.Details())
    assert report.added == () and "not a regular file" in report.problems[0].message
    assert vault.items() == []


def test_add_of_a_pipe_ends_in_a_sentence_not_a_hang(vault_dir: Path, tmp_path: Path) -> None:
    vault, _ = Vault.create(vault_dir, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    vault.lock()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run_cli_process("--vault", vault_dir, "add", fifo, timeout=30)
    assert result.returncode == 2, result.stderr
    assert "not a regular file" in result.stderr and "Traceback" not in result.stderr
    with Vault.open(vault_dir, PASSPHRASE) as again:
        assert again.items() == []
