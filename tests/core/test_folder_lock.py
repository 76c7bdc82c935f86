"""vault.lock: one process at a time, and a leftover file never keeps anyone out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from evidence_kit.core.errors import VaultInUse
from evidence_kit.core.vault import LOCK_NAME, Vault
from tests.conftest import PASSPHRASE

HOLD = """
import sys, time
from pathlib import Path
from evidence_kit.core.vault import Vault
vault = Vault.open(Path(sys.argv[1]), sys.argv[2])
print("open", flush=True)
time.sleep(60)
"""


def test_a_killed_owner_leaves_the_file_but_not_the_lock(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(vault_dir), PASSPHRASE],
                             stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(root)})
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "open"
        with pytest.raises(VaultInUse, match="already open"):
            Vault.open(vault_dir, PASSPHRASE)
    finally:
        child.kill()
        child.wait(timeout=10)
        if child.stdout is not None:
            child.stdout.close()
    # The crash left the file (it always stays); the OS dropped the lock with the process.
    assert (vault_dir / LOCK_NAME).exists()
    again = Vault.open(vault_dir, PASSPHRASE)
    again.lock()
    assert (vault_dir / LOCK_NAME).exists(), "a clean close keeps the file too (README)"
