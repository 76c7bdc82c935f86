"""The -wal file: lost (verify names the events it held, from vault.head), or present on
a write-protected disk (its commits are read, never an older state shown as current)."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from evidence_kit.core import keys, privatecopy
from evidence_kit.core.model import FailureKind
from evidence_kit.core.vault import DB_NAME, NewItem, Vault
from tests.conftest import PASSPHRASE, run_cli_process
from tests.core.test_disk_full import tmpfs

# Adds three notes and a checkpoint, then waits to be killed: its commits stay in the
# -wal, never folded into vault.db (that happens at lock, which never comes).
WRITER = r"""
import sys, time
from pathlib import Path
from evidence_kit.core.vault import Vault
vault = Vault.open(Path(sys.argv[1]), sys.argv[2])
for n in range(3):
    vault.add_note(f"note {n} kept only in the -wal")
vault.checkpoint()
print(vault.event_count(), flush=True)
time.sleep(600)
"""


def killed_writer(folder: Path) -> int:
    """Run WRITER on ``folder`` and SIGKILL it once its commits are made; its event count."""
    with subprocess.Popen([sys.executable, "-c", WRITER, str(folder), PASSPHRASE],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        assert child.stdout is not None
        line = child.stdout.readline()
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    assert line.strip().isdigit(), child.stderr.read() if child.stderr else b""
    return int(line)


def test_a_deleted_wal_with_a_checkpoint_in_it_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    vault, _ = Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    with vault:
        vault.add_item(NewItem(data=b"kept evidence", name="a.txt", media_type="text/plain"))
    with Vault.open(folder, PASSPHRASE) as before:
        folded = before.event_count()
    total = killed_writer(folder)
    assert total == folded + 3
    wal = folder / "vault.db-wal"
    assert wal.stat().st_size > 0
    wal.unlink()
    (folder / "vault.db-shm").unlink(missing_ok=True)
    with Vault.open(folder, PASSPHRASE) as reopened:
        assert reopened.event_count() == folded  # the three notes went with the -wal
        report = reopened.verify()
    assert report.first is not None
    assert (report.first.seq, report.first.kind) == (folded + 1, FailureKind.TRUNCATED)
    assert f"Events {folded + 1}…{total}, recorded on or before" in report.first.message
    human = run_cli_process("--vault", folder, "verify")
    assert human.returncode == 1
    assert f"Events {folded + 1}…{total}" in human.stdout and "missing" in human.stdout


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    yield from tmpfs(tmp_path / "ro", "16m")


def test_a_write_protected_vault_reads_the_commits_in_its_wal(
    read_only_disk: Path, tmp_path: Path,
) -> None:
    folder = read_only_disk / "vault"
    vault, _ = Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    with vault:
        vault.add_item(NewItem(data=b"kept evidence", name="a.txt", media_type="text/plain"))
    total = killed_writer(folder)  # a crash, or the folder copied while the app had it
    remount = subprocess.run(["/usr/bin/mount", "-o", "remount,ro", str(read_only_disk)],
                             capture_output=True, check=False)
    assert remount.returncode == 0, remount.stderr
    assert (folder / "vault.db-wal").stat().st_size > 0
    with Vault.open(folder, PASSPHRASE) as copy:
        assert copy.read_only
        assert copy.event_count() == total
        assert [n.text for n in copy.notes()][-1] == "note 2 kept only in the -wal"
        report = copy.verify()
        assert report.ok, report.failures
        assert report.events == total
        private = copy._db_path
        assert private != folder / DB_NAME and private.exists()
        assert (private.parent.stat().st_mode & 0o777) == 0o700
    assert not private.parent.exists()  # the private copy goes at lock
    verified = run_cli_process("--vault", folder, "verify")
    assert verified.returncode == 0, verified.stderr
    assert f"{total} events" in verified.stdout
    listed = run_cli_process("--vault", folder, "list")
    assert listed.returncode == 0 and "a.txt" in listed.stdout


def test_a_private_copy_that_cannot_be_made_refuses_to_show_an_older_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "vault"
    Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)[0].lock()
    killed_writer(folder)
    small = tmp_path / "small"
    # A temporary folder too small for the copy: a real full disk.
    for _ in tmpfs(small, "64k"):
        monkeypatch.setattr("tempfile.tempdir", str(small))
        monkeypatch.setattr("os.access", lambda path, mode: False)  # as on a read-only disk
        with pytest.raises(Exception, match="older state is never shown") as caught:
            Vault.open(folder, PASSPHRASE)
        assert type(caught.value).__name__ == "EnvironmentFailure"
        assert not list(small.iterdir())
    assert privatecopy.needed(folder / DB_NAME)
