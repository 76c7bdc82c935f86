"""init, passwd, recover, backup, verify, checkpoint: outputs, exit codes, nothing lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import png
from tests.conftest import PASSPHRASE, run_cli_process, snapshot


def test_init_prints_the_recovery_code_once(cli, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("init")
    assert result.code == 0
    code_lines = [line.strip() for line in result.out.splitlines() if line.count("-") == 5]
    assert len(code_lines) == 1 and len(code_lines[0]) == 35
    assert (vault_dir / "vault.db").exists() and (vault_dir / "vault.keys").exists()
    assert code_lines[0] not in (vault_dir / "vault.keys").read_text()
    again = cli("init")
    assert again.code == 2 and "already a vault" in again.err


def test_verify_and_checkpoint(inited) -> None:  # type: ignore[no-untyped-def]
    verified = inited("verify")
    assert verified.code == 0 and "all intact" in verified.out
    assert "Signing key fingerprint" in verified.out
    as_json = json.loads(inited("verify", "--json").out)
    assert as_json["ok"] is True and as_json["events"] >= 1
    checkpoint = inited("checkpoint")
    assert checkpoint.code == 0 and checkpoint.out.splitlines()[0].startswith("evidence-kit/")
    assert "Give a copy to someone you trust" in checkpoint.err


def test_wrong_passphrase_exits_3_and_changes_no_byte(inited, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(vault_dir)
    result = run_cli_process("--vault", vault_dir, "list",
                             env={"EVIDENCE_KIT_PASSPHRASE": "not it"})
    assert result.returncode == 3
    assert "passphrase is not right" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(vault_dir) == before


def test_passphrase_file_and_no_passphrase(inited, vault_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    env = {k: v for k, v in os.environ.items() if k != "EVIDENCE_KIT_PASSPHRASE"}
    ok = subprocess.run([sys.executable, "-m", "evidence_kit", "--vault", str(vault_dir),
                         "--passphrase-file", str(secret), "list"],
                        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                        check=False)
    assert ok.returncode == 0, ok.stderr
    missing = subprocess.run([sys.executable, "-m", "evidence_kit", "--vault", str(vault_dir),
                              "list"], capture_output=True, text=True, env=env,
                             stdin=subprocess.DEVNULL, check=False)
    assert missing.returncode == 2 and "No passphrase given" in missing.stderr


def test_passwd_then_recover(cli, vault_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    code = next(line.strip() for line in cli("init").out.splitlines() if line.count("-") == 5)
    monkeypatch.setenv("EVIDENCE_KIT_NEW_PASSPHRASE", "a brand new passphrase")
    assert cli("passwd").code == 0
    assert cli("list").code == 3  # the old passphrase no longer opens it
    monkeypatch.setenv("EVIDENCE_KIT_PASSPHRASE", "a brand new passphrase")
    assert cli("list").code == 0
    monkeypatch.setenv("EVIDENCE_KIT_RECOVERY_CODE", code.lower())
    monkeypatch.setenv("EVIDENCE_KIT_NEW_PASSPHRASE", "after recovery")
    recovered = cli("recover")
    assert recovered.code == 0, recovered.err
    monkeypatch.setenv("EVIDENCE_KIT_PASSPHRASE", "after recovery")
    assert cli("verify").code == 0
    monkeypatch.setenv("EVIDENCE_KIT_RECOVERY_CODE", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF")
    wrong = cli("recover")
    assert wrong.code == 3 and "recovery code is not right" in wrong.err


def test_backup_is_a_working_vault(inited, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = inited
    shot = tmp_path / "a.png"
    shot.write_bytes(png())
    cli("add", shot)
    dest = tmp_path / "backup"
    assert cli("backup", dest).code == 0
    copy = run_cli_process("--vault", dest, "verify", "--json")
    assert copy.returncode == 0, copy.stderr
    assert json.loads(copy.stdout)["blobs"] == 1
    assert cli("backup", dest).code == 2  # never overwrites


class TestVaultProblems:
    def test_missing_vault(self, cli) -> None:  # type: ignore[no-untyped-def]
        result = cli("list")
        assert result.code == 3 and "There is no vault" in result.err

    def test_vault_folder_without_keys(self, inited, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
        (vault_dir / "vault.keys").unlink()
        result = inited("list")
        assert result.code == 3 and "no vault.keys" in result.err

    def test_corrupt_keys_file(self, inited, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
        keys_file = vault_dir / "vault.keys"
        keys_file.write_bytes(keys_file.read_bytes()[:100])
        before = snapshot(vault_dir)
        result = inited("list")
        assert result.code == 3 and "vault.keys is damaged" in result.err
        assert "Traceback" not in result.err
        assert snapshot(vault_dir) == before


def test_short_passphrases_and_malformed_codes_are_refused(  # type: ignore[no-untyped-def]
    cli, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EVIDENCE_KIT_PASSPHRASE", "short")
    result = cli("init")
    assert result.code == 2 and "too short" in result.err
    monkeypatch.setenv("EVIDENCE_KIT_PASSPHRASE", PASSPHRASE)
    assert cli("init").code == 0
    monkeypatch.setenv("EVIDENCE_KIT_RECOVERY_CODE", "ABCDE-12")
    monkeypatch.setenv("EVIDENCE_KIT_NEW_PASSPHRASE", "another long one")
    bad = cli("recover")
    assert bad.code == 2 and "6 groups of 5" in bad.err


def test_no_plaintext_anywhere_in_the_vault(inited, vault_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    marker_note = "MARKER-NOTE-7f3a9c-plaintext"
    marker_file = "MARKER-FILE-b41d22-plaintext"
    doc = tmp_path / "evidence.txt"
    doc.write_text(f"{marker_file}\n" * 50)
    assert inited("add", doc, "--note", marker_note).code == 0
    assert inited("note", marker_note).code == 0
    assert inited("incident", "new", marker_note).code == 0
    files = snapshot(vault_dir)
    assert "vault.db" in files
    for name, data in files.items():
        for marker in (marker_note, marker_file):
            assert marker.encode() not in data, f"{marker} in {name}"
            assert marker.encode("utf-16-le") not in data
