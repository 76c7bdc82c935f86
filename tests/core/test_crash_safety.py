"""A process killed at any moment leaves a vault that opens, verifies, and has no half-event."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from evidence_kit.core.journal import EventType
from evidence_kit.core.vault import Vault
from tests.conftest import PASSPHRASE

WRITER = r"""
import os, sys
from pathlib import Path
from evidence_kit.core.vault import NewItem, Vault
vault = Vault.open(Path(sys.argv[1]), sys.argv[2])
print("ready", flush=True)
n = 0
while True:
    n += 1
    data = os.urandom(int.from_bytes(os.urandom(3), "big") % 64_000 + 1)
    vault.add_item(NewItem(data=data, name=f"f{n}.bin", media_type="application/octet-stream",
                           note=f"note {n}"))
    if n % 7 == 0:
        vault.checkpoint()
"""


@pytest.mark.slow
def test_sigkill_at_random_moments_never_breaks_the_vault(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    rng = random.Random(20261122)
    kills = 0
    seen_counts = []
    while kills < 22:
        with subprocess.Popen([sys.executable, "-c", WRITER, str(vault_dir), PASSPHRASE],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
            assert child.stdout is not None
            line = child.stdout.readline()
            assert line.strip() == b"ready", child.stderr.read() if child.stderr else b""
            time.sleep(rng.uniform(0.0, 0.4))
            child.send_signal(signal.SIGKILL)
            child.wait(10)
        kills += 1
        with Vault.open(vault_dir, PASSPHRASE) as reopened:
            report = reopened.verify()
            assert report.ok, report.failures
            items = reopened.items()
            added = [e for e in reopened.events() if e.type == EventType.ITEM_IMPORTED]
            # Every item event has its item row, its content and its note: all or nothing.
            assert len(items) == len(added) == len(reopened.notes())
            for item in items[-3:]:
                assert len(reopened.read_blob(item.sha256)) == item.size
            seen_counts.append(len(items))
    assert seen_counts[-1] > 0, "the writer never got to add anything before being killed"
