"""``passwd`` and ``backup`` killed with SIGKILL at the moment before their rename: what
they leave is removed on the next run, and the user is told."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from evidence_kit.core import keys, leftovers
from evidence_kit.core.vault import Vault
from tests.conftest import PASSPHRASE, run_cli_process

# Runs one command with os.replace paused when it is about to publish ``target``: the
# child prints "paused" and waits there to be killed, exactly where a power cut would hurt.
PAUSED = r"""
import os, sys, time
from evidence_kit.cli import main
target = sys.argv[1]
real = os.replace
def paused(src, dst, *a, **k):
    if os.path.basename(os.fspath(dst)) == target:
        print("paused", flush=True)
        time.sleep(600)
    return real(src, dst, *a, **k)
os.replace = paused
main(sys.argv[2:])
"""

NEW_PASSPHRASE = "a brand new passphrase"


def kill_paused(target: str, *args: str | os.PathLike[str]) -> None:
    env = {**os.environ, "EVIDENCE_KIT_PASSPHRASE": PASSPHRASE,
           "EVIDENCE_KIT_NEW_PASSPHRASE": NEW_PASSPHRASE, "EVIDENCE_KIT_KDF_SECONDS": "0"}
    with subprocess.Popen([sys.executable, "-c", PAUSED, target, *map(os.fspath, args)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as child:
        assert child.stdout is not None
        line = child.stdout.readline()
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    assert line.strip() == b"paused", child.stderr.read() if child.stderr else b""


def made(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)[0].lock()
    return folder


def test_a_killed_passwd_leaves_a_partial_keys_file_that_the_next_run_removes(
    tmp_path: Path,
) -> None:
    folder = made(tmp_path)
    kill_paused("vault.keys", "--vault", folder, "passwd")
    partial = list(folder.glob(".vault.keys.*.partial"))
    assert len(partial) == 1 and partial[0].stat().st_size > 0
    result = run_cli_process("--vault", folder, "list")
    assert result.returncode == 0, result.stderr
    assert "unfinished copy of vault.keys; it was removed" in result.stderr
    assert "passphrase that just opened the vault is the one in force" in result.stderr
    assert not list(folder.glob(".vault.keys.*"))
    again = run_cli_process("--vault", folder, "list")
    assert "removed" not in again.stderr  # said once, when it was done
    with Vault.open(folder, PASSPHRASE) as vault:  # the old passphrase is still the one
        assert vault.verify().ok


def test_a_killed_backup_leaves_a_hidden_folder_that_the_next_run_removes(
    tmp_path: Path,
) -> None:
    folder = made(tmp_path)
    dest = tmp_path / "backups" / "monday"
    kill_paused("monday", "--vault", folder, "backup", dest)
    staging = list(dest.parent.glob(".monday.*"))
    assert len(staging) == 1 and (staging[0] / "vault.db").exists()
    assert not dest.exists()
    assert (folder / leftovers.PENDING_BACKUP).exists()
    result = run_cli_process("--vault", folder, "list")
    assert result.returncode == 0, result.stderr
    assert f"left an unfinished copy in {staging[0]}; it was removed" in result.stderr
    assert not staging[0].exists() and not (folder / leftovers.PENDING_BACKUP).exists()
    done = run_cli_process("--vault", folder, "backup", dest)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in dest.parent.iterdir()) == ["monday"]
    assert run_cli_process("--vault", dest, "verify").returncode == 0


def test_an_unmarked_staging_folder_beside_the_destination_is_swept(tmp_path: Path) -> None:
    folder = made(tmp_path)
    dest = tmp_path / "copy"
    ours = tmp_path / ".copy.abcd1234"
    ours.mkdir()
    (ours / leftovers.STAGING_SIGN).touch()
    (ours / "vault.db").write_bytes(b"half a copy")
    theirs = tmp_path / ".copy.notes"
    theirs.mkdir()
    (theirs / "mine.txt").write_text("someone else's folder, never ours to remove")
    with Vault.open(folder, PASSPHRASE) as vault:
        vault.backup(dest)
        assert any(str(ours) in notice for notice in vault.notices)
    assert not ours.exists()
    assert (theirs / "mine.txt").exists()
    assert not (folder / leftovers.PENDING_BACKUP).exists()
