"""passwd, passwd --rotate-key and recovery-code --new: what they say is what they did."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli_process

NEW = "a brand new passphrase"
CODE = re.compile(r"^\s+([0-9A-Z]{5}(?:-[0-9A-Z]{5}){5})$", re.MULTILINE)


def _code(text: str) -> str:
    found = CODE.findall(text)
    assert len(found) == 1, text
    return found[0]


def _old_keys_folder(vault_dir: Path, old_keys: bytes, where: Path) -> Path:
    shutil.copytree(vault_dir, where)
    (where / "vault.keys").write_bytes(old_keys)
    return where


def test_plain_passwd_says_old_copies_still_open(inited, vault_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    old_keys = (vault_dir / "vault.keys").read_bytes()
    monkeypatch.setenv("EVIDENCE_KIT_NEW_PASSPHRASE", NEW)
    done = inited("passwd")
    assert done.code == 0, done.err
    assert "no longer opens this copy of vault.keys" in done.out
    assert "copies of vault.keys made before today still open" in done.out
    assert "--rotate-key" in done.out
    # And it is so: the old file, with the old passphrase, opens today's database.
    copy = _old_keys_folder(vault_dir, old_keys, tmp_path / "copy")
    assert run_cli_process("--vault", copy, "verify").returncode == 0


def test_rotate_key_makes_old_keys_useless(inited, vault_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    cli = inited
    old_keys = (vault_dir / "vault.keys").read_bytes()
    fingerprint = cli("verify").out.split("fingerprint: ")[1].strip()
    monkeypatch.setenv("EVIDENCE_KIT_NEW_PASSPHRASE", NEW)
    done = cli("passwd", "--rotate-key")
    assert done.code == 0, done.err
    assert "re-encrypted under a new key" in done.out
    code = _code(done.out)

    assert cli("list").code == 3  # the old passphrase
    monkeypatch.setenv("EVIDENCE_KIT_PASSPHRASE", NEW)
    after = cli("verify")
    assert after.code == 0, after.out
    assert fingerprint in after.out  # the same signing key

    copy = _old_keys_folder(vault_dir, old_keys, tmp_path / "copy")
    stale = run_cli_process("--vault", copy, "verify")
    assert stale.returncode == 1 and "cannot be read" in stale.stderr

    monkeypatch.setenv("EVIDENCE_KIT_RECOVERY_CODE", code)
    monkeypatch.setenv("EVIDENCE_KIT_NEW_PASSPHRASE", "after recovery")
    assert cli("recover").code == 0


def test_recovery_code_new_retires_the_old_code(cli, vault_dir: Path,  # type: ignore[no-untyped-def]
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    old = _code(cli("init").out)
    done = cli("recovery-code", "--new")
    assert done.code == 0, done.err
    assert "old code no longer opens this copy of vault.keys" in done.out
    new = _code(done.out)
    assert new != old
    monkeypatch.setenv("EVIDENCE_KIT_NEW_PASSPHRASE", "after recovery")
    monkeypatch.setenv("EVIDENCE_KIT_RECOVERY_CODE", old)
    refused = cli("recover")
    assert refused.code == 3 and "recovery code is not right" in refused.err
    monkeypatch.setenv("EVIDENCE_KIT_RECOVERY_CODE", new)
    assert cli("recover").code == 0
    with pytest.raises(SystemExit) as usage:  # --new is what it does; nothing is guessed
        cli("recovery-code")
    assert usage.value.code == 2
