"""A full disk: the add fails in words, nothing is half-written, the vault still verifies."""

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


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 6 MB tmpfs; needs root with CAP_SYS_ADMIN, as CI and the dev machines have."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    result = subprocess.run(["/usr/bin/mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs",
                             str(mount_point)], capture_output=True, check=False)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small disk here: {result.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["/usr/bin/umount", "-l", str(mount_point)], check=False)


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
