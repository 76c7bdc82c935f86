"""Disks that let us down: full (the add fails in words, nothing is half-written, the
vault still verifies) and write-protected (the vault opens read-only)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from evidence_kit.core import keys
from evidence_kit.core.errors import StorageFull
from evidence_kit.core.vault import NewItem, Vault
from tests.conftest import PASSPHRASE


def tmpfs(mount_point: Path, size: str) -> Iterator[Path]:
    """A real small file system; needs root with CAP_SYS_ADMIN, as CI and dev machines have."""
    mount_point.mkdir()
    result = subprocess.run(["/usr/bin/mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                             str(mount_point)], capture_output=True, check=False)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a disk here: {result.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["/usr/bin/umount", "-l", str(mount_point)], check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    yield from tmpfs(tmp_path / "small", "6m")


def test_filling_the_disk_loses_nothing(small_disk: Path) -> None:
    folder = small_disk / "vault"
    vault, _ = Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    stored = 0
    with pytest.raises(StorageFull, match="disk is full") as caught:
        for n in range(100):
            vault.add_item(NewItem(data=os.urandom(700_000), name=f"{n}.bin",
                                   media_type="application/octet-stream"))
            stored += 1
    assert "Nothing was lost" in str(caught.value)
    assert stored >= 1
    vault.lock()  # never raises, even when the checkpoint cannot be written
    # Even with the disk still full, the vault opens and all that was stored is intact.
    with Vault.open(folder, PASSPHRASE) as again:
        assert len(again.items()) == stored
        report = again.verify()
        assert report.ok, report.failures


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    """Remounted read-only by the test once a vault is copied onto it."""
    yield from tmpfs(tmp_path / "ro", "16m")


def test_a_vault_on_a_write_protected_disk_can_be_listed_and_verified(
    read_only_disk: Path, tmp_path: Path,
) -> None:
    import shutil

    from tests.conftest import run_cli_process

    source = tmp_path / "vault"
    vault, _ = Vault.create(source, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    with vault:
        vault.add_item(NewItem(data=b"kept evidence", name="a.txt", media_type="text/plain"))
    shutil.copytree(source, read_only_disk / "vault")
    remount = subprocess.run(["/usr/bin/mount", "-o", "remount,ro", str(read_only_disk)],
                             capture_output=True, check=False)
    assert remount.returncode == 0, remount.stderr
    folder = read_only_disk / "vault"
    with Vault.open(folder, PASSPHRASE) as copy:
        assert copy.read_only
        assert [i.original_name for i in copy.items()] == ["a.txt"]
        assert copy.verify().ok
    verified = run_cli_process("--vault", folder, "verify")
    assert verified.returncode == 0, verified.stderr
    refused = run_cli_process("--vault", folder, "note", "cannot be written here")
    assert refused.returncode == 3
    assert "read-only" in refused.stderr and "Traceback" not in refused.stderr
