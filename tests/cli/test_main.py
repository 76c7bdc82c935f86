"""How a command ends when it cannot finish: bugs, a reader that went away."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from evidence_kit import settings, wording
from evidence_kit.cli import EX_SOFTWARE, EXIT_BROKEN_PIPE
from tests.cli.conftest import png
from tests.conftest import PASSPHRASE, snapshot


def test_a_bug_is_logged_and_told_in_one_sentence(inited, vault_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from evidence_kit.core.vault import Vault

    shot = tmp_path / "a.png"
    shot.write_bytes(png())
    assert inited("add", shot).code == 0
    marker = "a fault planted by test_a_bug_is_logged 6c1f"

    def broken(self: Vault, **_: object) -> None:
        raise RuntimeError(marker)

    monkeypatch.setattr(Vault, "items", broken)
    before = snapshot(vault_dir)
    log = settings.log_file()
    logged_before = log.read_text(encoding="utf-8") if log.exists() else ""
    result = inited("list")
    assert result.code == EX_SOFTWARE == 70
    assert result.out == ""
    assert result.err == f"evidence-kit: {wording.bug_message(log)}\n"
    written = log.read_text(encoding="utf-8")[len(logged_before):]
    assert "Traceback (most recent call last)" in written
    assert f"RuntimeError: {marker}" in written and "in broken" in written
    assert snapshot(vault_dir) == before
    # Ours are still ours: an expected failure is not called a bug.
    assert inited("show", "99").code == 2


def test_our_own_errors_and_interrupts_are_not_bugs(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.cli import evidence

    def interrupted(_session: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(evidence, "cmd_categories", interrupted)
    from evidence_kit.cli import build_parser

    assert build_parser().parse_args(["categories"]).handler is interrupted
    result = cli("categories")
    assert result.code == 130 and "stopped" in result.err and "went wrong" not in result.err


@pytest.mark.parametrize("command", ["list", "verify"])
def test_a_reader_that_went_away_ends_the_command_quietly(inited, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                          vault_dir: Path, command: str) -> None:
    """``evidence-kit list | head -1``: head has gone before the output is written."""
    shot = tmp_path / "a.png"
    shot.write_bytes(png())
    assert inited("add", shot).code == 0
    read_end, write_end = os.pipe()
    env = {**os.environ, "EVIDENCE_KIT_PASSPHRASE": PASSPHRASE,
           "EVIDENCE_KIT_KDF_SECONDS": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "evidence_kit", "--vault", str(vault_dir), command],
        stdout=write_end, stderr=subprocess.PIPE, env=env,
    )
    os.close(write_end)
    os.close(read_end)  # the reader is gone long before Python has even started
    _out, err = proc.communicate(timeout=60)
    assert err.decode() == ""
    assert proc.returncode == EXIT_BROKEN_PIPE == 141


@pytest.mark.slow
def test_head_in_a_real_shell_pipeline(inited, tmp_path: Path, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Far more than a pipe holds (64 KiB), so head has exited while list still writes."""
    files = tmp_path / "many"
    files.mkdir()
    for n in range(400):
        (files / f"note-{n:04}.txt").write_text(f"note {n}")
    long_url = "https://example.com/" + "a" * 300
    assert inited("add", files, "--url", long_url).code == 0
    assert len(inited("list").out.encode()) > 2 * 64 * 1024
    env = {**os.environ, "EVIDENCE_KIT_PASSPHRASE": PASSPHRASE, "EVIDENCE_KIT_KDF_SECONDS": "0",
           "VAULT": str(vault_dir)}
    result = subprocess.run(
        ["/bin/bash", "-c", f'set -o pipefail; "{sys.executable}" -m evidence_kit --vault "$VAULT" '
         'list | head -1; echo "status $?" >&2'],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert result.stdout.split()[:2] == ["ITEM", "RECORDED"]
    assert result.stderr.strip() == f"status {EXIT_BROKEN_PIPE}"
