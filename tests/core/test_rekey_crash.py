"""kill -9 during a key rotation leaves exactly one vault that opens: old or new, whole.

The rotation runs in a child process. At each of the test-only pause points
(``EVIDENCE_KIT_TEST_PAUSE_AT``) the child waits and is killed there; then it is killed
at random moments with no pause at all, which also lands inside the export itself.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from evidence_kit.core import rekey
from evidence_kit.core.errors import IntegrityFailure, WrongPassphrase
from evidence_kit.core.vault import NewItem, Vault
from tests.conftest import PASSPHRASE

NEW = "the passphrase after rotation"
# What a vault folder holds once nothing is half-done.
VAULT_FILES = ["vault.db", "vault.head", "vault.keys", "vault.lock"]

ROTATOR = r"""
import sys
from pathlib import Path
from evidence_kit.core.vault import Vault
vault = Vault.open(Path(sys.argv[1]), sys.argv[2])
print("ready", flush=True)
vault.rotate_key(sys.argv[2], sys.argv[3])
vault.lock()
print("rotated", flush=True)
"""


def _env(pause: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != rekey.PAUSE_ENV}
    if pause is not None:
        env[rekey.PAUSE_ENV] = pause
    return env


def _start(folder: Path, current: str, new: str, pause: str | None) -> subprocess.Popen[bytes]:
    child = subprocess.Popen([sys.executable, "-c", ROTATOR, str(folder), current, new],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(pause))
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.strip() == b"ready", child.stderr.read() if child.stderr else b""
    return child


def _which_opens(folder: Path, passphrases: tuple[str, str], items: int,
                 fingerprint: str) -> str:
    """The one passphrase that opens the vault; checks the vault is whole and tidy."""
    opened = []
    for passphrase in passphrases:
        try:
            vault = Vault.open(folder, passphrase)
        except WrongPassphrase:
            continue
        with vault:
            report = vault.verify()
            assert report.ok, report.failures
            assert len(vault.items()) == items
            assert vault.key_fingerprint == fingerprint
            for item in vault.items():
                assert len(vault.read_blob(item.sha256)) == item.size
        opened.append(passphrase)
    assert len(opened) == 1, f"{len(opened)} passphrases open the vault"
    assert sorted(p.name for p in folder.iterdir()) == VAULT_FILES
    return opened[0]


@pytest.fixture
def filled(recovery_vault: tuple[Path, str]) -> tuple[Path, str]:
    folder, _code = recovery_vault
    with Vault.open(folder, PASSPHRASE) as vault:
        for n in range(6):
            vault.add_item(NewItem(data=os.urandom(200_000), name=f"f{n}.bin",
                                   media_type="application/octet-stream"))
        fingerprint = vault.key_fingerprint
    return folder, fingerprint


@pytest.mark.slow
@pytest.mark.parametrize(("point", "expected"), [
    ("exported", "old"), ("prepared", "old"), ("committed", "new"), ("db-swapped", "new"),
])
def test_kill_at_each_step(filled: tuple[Path, str], tmp_path: Path, point: str,
                           expected: str) -> None:
    folder, fingerprint = filled
    old_keys = tmp_path / "old.keys"
    shutil.copyfile(folder / "vault.keys", old_keys)
    child = _start(folder, PASSPHRASE, NEW, point)
    assert child.stderr is not None
    with child:
        said = child.stderr.readline().decode()
        assert said.strip() == f"evidence-kit test pause: {point}", said
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    leftovers = {p.name for p in folder.iterdir()} - set(VAULT_FILES)
    assert leftovers, "the kill came after the rotation had tidied up"
    opens = _which_opens(folder, (PASSPHRASE, NEW), 6, fingerprint)
    assert opens == (PASSPHRASE if expected == "old" else NEW)
    if expected == "new":
        # A vault.keys kept from before the rotation is no way in to what is there now.
        stale = tmp_path / "stale"
        shutil.copytree(folder, stale)
        shutil.copyfile(old_keys, stale / "vault.keys")
        with pytest.raises(IntegrityFailure):
            Vault.open(stale, PASSPHRASE)


@pytest.mark.slow
def test_kill_at_random_moments(filled: tuple[Path, str]) -> None:
    folder, fingerprint = filled
    # How long one rotation takes here, so the kills spread over all of it on a slow
    # machine as on a fast one.
    child = _start(folder, PASSPHRASE, NEW, None)
    started = time.monotonic()
    with child:
        assert child.wait(60) == 0, child.stderr.read() if child.stderr else b""
    took = time.monotonic() - started
    current, other = NEW, PASSPHRASE
    rng = random.Random(20260314)
    interrupted = 0
    for n in range(8):
        child = _start(folder, current, other, None)
        with child:
            time.sleep(took * (n + rng.random()) / 8)
            child.send_signal(signal.SIGKILL)
            child.wait(10)
            assert child.stdout is not None
            interrupted += b"rotated" not in child.stdout.read()
        opens = _which_opens(folder, (current, other), 6, fingerprint)
        if opens == other:
            current, other = other, current
    # Not a requirement of the vault, but of the test: the kills must land mid-rotation.
    assert interrupted >= 4, f"only {interrupted} of 8 kills came before the rotation ended"
