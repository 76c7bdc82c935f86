"""Packs checked against what the recipient already holds: an earlier pack (--since), the
PDF handed over beside the ZIP (--pdf), a fingerprint obtained separately
(--fingerprint), and checkpoints handed to someone (checkpoint --out, verify --against).

Every vault here is real (SQLCipher in a temp folder); the rewritten history is a
backup of the vault taken before the first pack, written on differently, and signed
with the same key, as someone holding the passphrase could.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from evidence_kit.core import keys
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.held import check_held, write_checkpoint
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export.exporter import ExportResult, export_pack
from evidence_kit.export.pack import PackRequest
from evidence_kit.export.verify import (
    ALTERED,
    INTACT,
    KEY_NOT_COMPARED,
    verify_bundle,
)
from tests.conftest import PASSPHRASE, run_cli_process
from tests.export.conftest import needs_poppler, pdf_text, screenshot


@dataclass
class History:
    vault: Vault
    folder: Path
    first: ExportResult
    second: ExportResult
    rewritten: ExportResult
    stranger: ExportResult


def _clock(day: int) -> FixedClock:
    return FixedClock(dt.datetime(2026, 3, day, 9, 0, tzinfo=dt.UTC),
                      step=dt.timedelta(seconds=5))


def _evidence(vault: Vault, incident: int, label: str, seed: int) -> None:
    vault.add_item(NewItem(data=screenshot(400, 300, (40, 90, 160), seed),
                           name=f"{label}.png", media_type="image/png", incident=incident,
                           description=label))


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    root = tmp_path_factory.mktemp("held")
    vault, _ = Vault.create(root / "vault", PASSPHRASE, clock=_clock(3), kdf=keys.FLOOR_PARAMS)
    stranger_vault, _ = Vault.create(root / "stranger", PASSPHRASE, clock=_clock(3),
                                     kdf=keys.FLOOR_PARAMS)
    try:
        # Exports mark exhibits with the producer's initials, so they must be set.
        for one in (vault, stranger_vault):
            save_profile(one, Profile(initials="JS"))
        incident = vault.create_incident("Posts in the parents' group").id
        _evidence(vault, incident, "first post", 1)
        vault.backup(root / "copy")  # the history as it was: rewritten below
        vault.add_note("Told the head of year.", incident=incident)
        first = export_pack(vault, PackRequest(recipient="slt", incident=incident,
                                               timezone="Europe/London"), root / "out1")
        vault.add_note("The posts carried on.", incident=incident)
        _evidence(vault, incident, "second post", 2)
        second = export_pack(vault, PackRequest(recipient="police", incident=incident,
                                                timezone="Europe/London"), root / "out2")
        copy = Vault.open(root / "copy", PASSPHRASE, clock=_clock(9))
        try:
            copy.add_note("Nothing happened, really.", incident=incident)
            copy.add_note("A second note to make the journal as long.", incident=incident)
            rewritten = export_pack(copy, PackRequest(recipient="police", incident=incident,
                                                      timezone="Europe/London"), root / "out3")
        finally:
            copy.lock()
        other = stranger_vault.create_incident("Someone else's").id
        _evidence(stranger_vault, other, "theirs", 3)
        stranger = export_pack(stranger_vault, PackRequest(recipient="slt", incident=other),
                               root / "out4")
        yield History(vault, root / "vault", first, second, rewritten, stranger)
    finally:
        stranger_vault.lock()
        vault.lock()


def _history(report_findings: tuple[object, ...]) -> list[object]:
    return [f for f in report_findings if getattr(f, "check", "") == "history"]


def test_a_later_pack_extends_the_earlier_one(history: History) -> None:
    report = verify_bundle(history.second.bundle, since=history.first.bundle)
    assert report.status == INTACT, report.text()
    (finding,) = _history(report.findings)
    size = history.first.checkpoint.tree_size
    assert finding.ok  # type: ignore[attr-defined]
    assert "nothing recorded before the pack of 3 Mar 2026" in finding.message  # type: ignore[attr-defined]
    assert f"its {size} events are the first of this pack's" in finding.message  # type: ignore[attr-defined]
    assert history.first.pack_id in report.text()


def test_an_earlier_pack_does_not_extend_a_later_one(history: History) -> None:
    report = verify_bundle(history.first.bundle, since=history.second.bundle)
    assert report.status == ALTERED and report.exit_code == 1
    assert report.first_problem is not None and report.first_problem.check == "history"
    assert "were removed since" in report.first_problem.message


def test_a_rewritten_history_is_caught_at_the_first_differing_event(history: History) -> None:
    report = verify_bundle(history.rewritten.bundle, since=history.first.bundle)
    assert report.status == ALTERED and report.exit_code == 1, report.text()
    first = report.first_problem
    assert first is not None and first.check == "history"
    assert "diverges from the pack of 3 Mar 2026" in first.message
    old = history.vault.leaves(history.first.checkpoint.tree_size)
    with zipfile.ZipFile(history.rewritten.bundle) as z:
        new = [bytes.fromhex(x) for x in z.read("leaves.txt").decode().split()]
    differs = next(i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b) + 1
    assert f"at event {differs}:" in first.message
    # The rewritten pack verifies on its own: only the comparison exposes it.
    assert verify_bundle(history.rewritten.bundle).status == INTACT


def test_a_pack_from_another_vault_has_another_key(history: History) -> None:
    report = verify_bundle(history.second.bundle, since=history.stranger.bundle)
    assert report.exit_code == 1 and report.first_problem is not None
    assert "another key" in report.first_problem.message


def test_every_pack_lists_the_earlier_packs(history: History) -> None:
    with zipfile.ZipFile(history.second.bundle) as z:
        manifest = json.loads(z.read("manifest.json"))
    (earlier,) = manifest["earlier_packs"]
    assert earlier["pack"] == history.first.pack_id and earlier["for"] == "slt"
    assert earlier["tree_size"] == history.first.checkpoint.tree_size
    assert earlier["root"] == history.first.checkpoint.root
    report = verify_bundle(history.second.bundle)
    assert [e.pack for e in report.earlier_packs] == [history.first.pack_id]
    with zipfile.ZipFile(history.first.bundle) as z:
        assert json.loads(z.read("manifest.json"))["earlier_packs"] == []


@needs_poppler
def test_the_pdf_lists_the_earlier_packs(history: History) -> None:
    text = " ".join(" ".join(pdf_text(history.second.pdf)).split())
    assert "Earlier packs from the same vault" in text
    assert history.first.pack_id in text
    assert history.first.checkpoint.root[:40] in text.replace(" ", "")
    assert "Earlier packs from the same vault" not in " ".join(pdf_text(history.first.pdf))


def test_the_pdf_beside_the_zip_is_checked(history: History) -> None:
    good = verify_bundle(history.second.bundle, pdf=history.second.pdf)
    assert good.status == INTACT
    assert any(f.check == "pdf" and f.ok for f in good.findings)
    wrong = verify_bundle(history.second.bundle, pdf=history.first.pdf)
    assert wrong.exit_code == 1 and wrong.first_problem is not None
    assert wrong.first_problem.check == "pdf"
    assert "is not the PDF this bundle lists" in wrong.first_problem.message


def test_the_fingerprint_pins_the_key(history: History) -> None:
    plain = verify_bundle(history.second.bundle)
    assert not plain.key_compared and KEY_NOT_COMPARED in plain.text()
    assert plain.to_json()["caveats"] == [KEY_NOT_COMPARED]
    pinned = verify_bundle(history.second.bundle, fingerprint=history.vault.key_fingerprint)
    assert pinned.status == INTACT and pinned.key_compared
    assert pinned.to_json()["caveats"] == [] and KEY_NOT_COMPARED not in pinned.text()
    other = verify_bundle(history.stranger.bundle, fingerprint=history.vault.key_fingerprint)
    assert other.exit_code == 1 and other.first_problem is not None
    assert other.first_problem.check == "key" and "not the one you expected" in \
        other.first_problem.message
    with pytest.raises(ValueError, match="32 hexadecimal"):
        verify_bundle(history.second.bundle, fingerprint="not a fingerprint")


def test_a_bundle_without_the_first_record_is_not_intact(history: History,
                                                          tmp_path: Path) -> None:
    """Even re-signed with the real key: the first record is what binds the key."""
    with zipfile.ZipFile(history.second.bundle) as z:
        files = {n: z.read(n) for n in z.namelist()}
    del files["records/000001.json"]
    body = {n: d for n, d in files.items() if n not in ("SHA256SUMS", "SHA256SUMS.sig")}
    sums = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n"
                   for n, d in sorted(body.items())).encode()
    files["SHA256SUMS"], files["SHA256SUMS.sig"] = sums, history.vault.sign_detached(sums)
    out = tmp_path / "no-first-record.zip"
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    report = verify_bundle(out)
    assert report.exit_code == 1 and report.first_problem is not None
    assert report.first_problem.check == "key"
    assert "first record" in report.first_problem.message


def test_verify_bundle_options_on_the_command_line(history: History) -> None:
    done = run_cli_process("verify-bundle", history.second.bundle, "--since",
                           history.first.bundle, "--pdf", history.second.pdf, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert {f["check"] for f in result["findings"] if f["ok"]} >= {"history", "pdf", "key"}
    assert result["key_compared"] is False and result["caveats"] == [KEY_NOT_COMPARED]
    diverged = run_cli_process("verify-bundle", history.rewritten.bundle, "--since",
                               history.first.bundle)
    assert diverged.returncode == 1 and "diverges" in diverged.stdout
    pinned = run_cli_process("verify-bundle", history.second.bundle, "--fingerprint",
                             history.vault.key_fingerprint)
    assert pinned.returncode == 0 and "not compared" not in pinned.stdout
    bad = run_cli_process("verify-bundle", history.second.bundle, "--fingerprint", "xyz")
    assert bad.returncode == 2 and "32 hexadecimal" in bad.stderr


# ---- checkpoints handed to someone ---------------------------------------------------


def test_a_held_checkpoint_after_more_events_and_after_a_rewrite(tmp_path: Path) -> None:
    vault, _ = Vault.create(tmp_path / "vault", PASSPHRASE, clock=_clock(3),
                            kdf=keys.FLOOR_PARAMS)
    with vault:
        vault.add_note("First thing that happened.")
        vault.backup(tmp_path / "copy")
        vault.add_note("Second thing.")
        held = tmp_path / "given-to-slt.txt"
        info = write_checkpoint(vault, held)
        assert held.read_text() == info.note and held.stat().st_mode & 0o777 == 0o644
        vault.add_note("Later thing.")
        later = check_held(vault, held.read_text())
        assert later.extends and later.held_size == info.tree_size
        assert "nothing recorded in its" in later.message
    with Vault.open(tmp_path / "copy", PASSPHRASE, clock=_clock(5)) as copy:
        for text in ("A different second thing.", "And more.", "And more again."):
            copy.add_note(text)
        rewritten = check_held(copy, held.read_text())
        assert not rewritten.extends and "does not extend" in rewritten.message


def test_checkpoint_out_and_verify_against_on_the_command_line(tmp_path: Path) -> None:
    folder, copy = tmp_path / "vault", tmp_path / "copy"
    assert run_cli_process("--vault", folder, "init").returncode == 0
    assert run_cli_process("--vault", folder, "note", "First.").returncode == 0
    assert run_cli_process("--vault", folder, "backup", copy).returncode == 0
    held = tmp_path / "checkpoint.txt"
    given = run_cli_process("--vault", folder, "checkpoint", "--out", held)
    assert given.returncode == 0 and "written to" in given.stdout
    assert held.read_text().startswith("evidence-kit/")
    assert run_cli_process("--vault", folder, "note", "Later.").returncode == 0
    extends = run_cli_process("--vault", folder, "verify", "--against", held)
    assert extends.returncode == 0, extends.stdout + extends.stderr
    assert "The vault extends the checkpoint" in extends.stdout
    as_json = json.loads(run_cli_process("--vault", folder, "verify", "--against", held,
                                         "--json").stdout)
    assert as_json["ok"] and as_json["against"]["extends"]
    for text in ("Rewritten.", "More.", "More again.", "And again."):
        assert run_cli_process("--vault", copy, "note", text).returncode == 0
    rewritten = run_cli_process("--vault", copy, "verify", "--against", held)
    assert rewritten.returncode == 1 and "does not extend" in rewritten.stdout
    junk = tmp_path / "junk.txt"
    junk.write_text("hello\n")
    refused = run_cli_process("--vault", folder, "verify", "--against", junk)
    assert refused.returncode == 2 and "not a checkpoint" in refused.stderr
