"""Trusted time end to end: on, checkpoint, token kept as an event, pack, verify-bundle
says what the token proves; bad tokens are named; OpenSSL checks the pack's files as its
README.txt says."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from evidence_kit.core import timestamps
from evidence_kit.core.journal import EventType
from evidence_kit.core.vault import Vault
from evidence_kit.export import instructions
from evidence_kit.export.exporter import export_pack
from evidence_kit.export.pack import PackRequest
from evidence_kit.export.verify import INTACT, verify_bundle
from tests.conftest import PASSPHRASE
from tests.export.conftest import populate
from tests.tsa import NEEDS_OPENSSL, OPENSSL, Tsa, make_root, running_tsa

pytestmark = NEEDS_OPENSSL


@pytest.fixture
def tsa(tmp_path: Path) -> Iterator[Tsa]:
    yield from running_tsa(tmp_path / "tsa")


def _stamped_pack(vault: Vault, tsa: Tsa, out: Path) -> tuple[Path, int]:
    incident, _other, _items, _redacted = populate(vault)
    timestamps.set_authorities(vault, [tsa.authority()])
    timestamps.turn_on(vault)
    covered = vault.checkpoint().tree_size
    assert timestamps.drain(vault).stamped == [covered]
    result = export_pack(vault, PackRequest("police", incident=incident), out)
    return result.bundle, covered


def _forged_token(vault: Vault, tsa: Tsa, url: str) -> None:
    """A token event written straight into the journal, as the drain would never keep."""
    checkpoint = vault.checkpoint()
    body, _nonce = timestamps.request_for(checkpoint.note)
    reply = tsa.reply(body)
    vault.append(EventType.TIMESTAMP_ADDED, {
        "tree_size": checkpoint.tree_size, "root": checkpoint.root, "note": checkpoint.note,
        "authority": "Test TSA", "url": url, "stamped_at": "2026-01-01T00:00:00.000000Z",
        "reply": reply.hex(), "roots_pem": tsa.root_pem,
        "chain_pem": timestamps.chain_pem(reply)})


def test_a_stamped_pack_says_what_the_token_proves(vault: Vault, tsa: Tsa,
                                                   tmp_path: Path) -> None:
    bundle, covered = _stamped_pack(vault, tsa, tmp_path / "out")
    report = verify_bundle(bundle)
    assert report.status == INTACT, report.text()
    [stamp] = report.timestamps
    assert stamp.accepted and stamp.tree_size == covered
    text = report.text()
    assert re.search(rf"\[accepted\] the journal up to event {covered} existed by .+ UTC\), "
                     "according to Test TSA; checked against the root certificate in the "
                     "pack \\(CN=Evidence Kit Test Root", text), text
    done = subprocess.run([sys.executable, "-m", "evidence_kit", "verify-bundle", str(bundle),
                           "--json"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    [entry] = json.loads(done.stdout)["timestamps"]
    assert entry["accepted"] and entry["tree_size"] == covered
    assert entry["message"].startswith(f"the journal up to event {covered} existed by ")
    # With the recipient's own copy of the root, the caveat about the pack's root goes.
    (tmp_path / "mine.pem").write_text(tsa.root_pem, encoding="ascii")
    done = subprocess.run([sys.executable, "-m", "evidence_kit", "verify-bundle", str(bundle),
                           "--tsa-root", str(tmp_path / "mine.pem")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "checked against the root certificate you gave" in (
        done.stdout), done.stdout + done.stderr


def test_the_readme_openssl_commands_work_on_the_packs_files(vault: Vault, tsa: Tsa,
                                                             tmp_path: Path) -> None:
    bundle, covered = _stamped_pack(vault, tsa, tmp_path / "out")
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(unpacked)
        readme = archive.read(instructions.README).decode("utf-8")
    commands = [line.strip() for line in readme.splitlines()
                if line.strip().startswith("openssl ts -verify") and "/N" not in line]
    assert commands, readme
    assert f"(journal up to event {covered}; Test TSA" in readme
    for command in commands:
        done = subprocess.run([OPENSSL, *command.split()[1:]], cwd=unpacked,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0 and "Verification: OK" in done.stdout, done.stderr
    # The same command refuses a checkpoint note that is not the one stamped.
    note = next(unpacked.glob("timestamps/*-checkpoint.txt"))
    note.write_text(note.read_text(encoding="utf-8") + "x", encoding="utf-8")
    done = subprocess.run([OPENSSL, *commands[0].split()[1:]], cwd=unpacked,
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0


def test_a_token_for_a_different_hash_is_not_accepted(vault: Vault, tsa: Tsa,
                                                      tmp_path: Path) -> None:
    incident, *_ = populate(vault)
    tsa.other_hash = True
    _forged_token(vault, tsa, tsa.url)
    assert not vault.verify().ok  # the vault's own check names it too
    result = export_pack(vault, PackRequest("police", incident=incident), tmp_path / "out")
    report = verify_bundle(result.bundle)
    [stamp] = report.timestamps
    assert not stamp.accepted and "different hash" in stamp.message
    assert "[NOT ACCEPTED] the timestamp from Test TSA" in report.text()


def test_an_untrusted_chain_is_not_accepted(vault: Vault, tsa: Tsa, tmp_path: Path) -> None:
    bundle, _covered = _stamped_pack(vault, tsa, tmp_path / "out")
    stranger, _key = make_root("Somebody Else's Root")
    other = stranger.public_bytes(serialization.Encoding.PEM).decode("ascii")
    report = verify_bundle(bundle, tsa_roots=other)
    [stamp] = report.timestamps
    assert report.status == INTACT  # the evidence is intact; the token is not accepted
    assert not stamp.accepted and "does not check out against the root" in stamp.message


def test_a_token_signed_after_the_chain_expired_is_not_accepted(
        vault: Vault, tmp_path: Path) -> None:
    incident, *_ = populate(vault)
    for expired in running_tsa(tmp_path / "expired", expired=True):
        _forged_token(vault, expired, expired.url)
    result = export_pack(vault, PackRequest("police", incident=incident), tmp_path / "out")
    [stamp] = verify_bundle(result.bundle).timestamps
    assert not stamp.accepted and "does not check out" in stamp.message, stamp.message


def test_offline_then_online_drains_and_the_command_line_reports_it(
        vault: Vault, tsa: Tsa, tmp_path: Path) -> None:
    folder = vault.folder
    vault.lock()
    env = {"EVIDENCE_KIT_PASSPHRASE": PASSPHRASE, "PATH": "/usr/bin:/bin",
           "PYTHONPATH": sys.path[0] or "."}

    def run(*args: str) -> Any:
        return subprocess.run([sys.executable, "-m", "evidence_kit", "--vault", str(folder),
                               "timestamp", *args], capture_output=True, text=True,
                              check=False, env=env)

    root = tmp_path / "root.pem"
    root.write_text(tsa.root_pem, encoding="ascii")
    port = tsa.url.split(":")[2].split("/")[0]
    offline = tsa.url.replace(port, "9")  # the discard port: nothing answers there
    done = run("authorities", "add", "Test TSA", offline, "--root", str(root))
    assert done.returncode == 0 and "has not been contacted" in done.stdout, done.stderr
    done = run("on")
    assert done.returncode == 0 and "wait to be sent later" in done.stdout, done.stdout
    assert "Queued: 1 request; kept: 0 tokens." in run("status").stdout
    run("authorities", "remove", "Test TSA")
    run("authorities", "add", "Test TSA", tsa.url, "--root", str(root))
    run("on")
    status = json.loads(run("status", "--json").stdout)
    assert status["stamped"] >= 1 and status["queued"] == 0, status
    assert " existed by " in status["last"]["says"]
    assert "Trusted time is on." in run("status").stdout
    assert run("drain").stdout.strip() == "Nothing was waiting to be sent."
    assert run("off").returncode == 0 and "is off" in run("status").stdout
