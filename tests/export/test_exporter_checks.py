"""What export checks before it makes a pack (issue 11 §7), and how it writes the files."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from evidence_kit.core.errors import FileProblem, NotFound
from evidence_kit.core.journal import EventType
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export.errors import PackCheckFailed
from evidence_kit.export.exporter import export_pack
from evidence_kit.export.pack import PackRequest
from tests.conftest import PASSPHRASE, run_cli_process
from tests.core.test_tamper import raw
from tests.export.conftest import pdf_text, screenshot, tool


def _small(vault: Vault) -> tuple[int, int]:
    save_profile(vault, Profile(initials="JS"))
    incident = vault.create_incident("Posts").id
    item = vault.add_item(NewItem(data=screenshot(400, 300, (90, 20, 20)), name="post.png",
                                  media_type="image/png", incident=incident))
    vault.add_note("Reported to the platform", incident=incident)
    return incident, item.id


def _state(vault: Vault) -> tuple[int, int, str | None]:
    return vault.event_count(), len(vault.checkpoints()), vault.setting("export.stagings")


def test_a_changed_record_stops_the_export_and_names_the_event(
        vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    incident, _item = _small(vault)
    vault.lock()
    with raw(vault_dir) as conn:
        target = conn.execute("SELECT seq FROM events WHERE type = 'note.added'").fetchone()[0]
        record = bytes(conn.execute("SELECT record FROM events WHERE seq = ?",
                                    (target,)).fetchone()[0])
        conn.execute("UPDATE events SET record = ? WHERE seq = ?",
                     (record.replace(b"the platform", b"the police!!"), target))
    out = tmp_path / "out"
    with Vault.open(vault_dir, PASSPHRASE) as opened:
        before = _state(opened)
        with pytest.raises(PackCheckFailed) as refused:
            export_pack(opened, PackRequest("slt", incident=incident), out)
        assert f"Event {target} was altered" in str(refused.value)
        assert "restore your most recent backup" in str(refused.value)
        assert _state(opened) == before
    assert list(out.iterdir()) == []
    done = run_cli_process("--vault", vault_dir, "export", "--incident", str(incident),
                           "--for", "police", "--out", out)
    assert done.returncode == 1 and f"Event {target} was altered" in done.stderr
    assert done.stderr.count("\n") == 1  # one sentence, no traceback
    with Vault.open(vault_dir, PASSPHRASE) as opened:
        assert _state(opened) == before


def test_changed_content_stops_the_export_and_names_the_exhibit(
        vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    incident, item = _small(vault)
    sha = vault.item(item).sha256
    vault.lock()
    with raw(vault_dir) as conn:
        data = bytearray(conn.execute("SELECT data FROM chunks WHERE sha256 = ?",
                                      (sha,)).fetchone()[0])
        data[200] ^= 0x01
        conn.execute("UPDATE chunks SET data = ? WHERE sha256 = ?", (bytes(data), sha))
    with Vault.open(vault_dir, PASSPHRASE) as opened:
        events = opened.event_count()
        with pytest.raises(PackCheckFailed, match=rf"exhibit JS/1 \(item {item}\)"):
            export_pack(opened, PackRequest("police", incident=incident), tmp_path / "out")
        assert all(e.type not in (EventType.EXPORT_STARTED, EventType.EXPORT_MADE)
                   for e in opened.events(events))
    assert list((tmp_path / "out").iterdir()) == []


def test_a_bad_request_or_folder_adds_no_checkpoint(vault: Vault, tmp_path: Path) -> None:
    _incident, _item = _small(vault)
    before = _state(vault)
    with pytest.raises(NotFound):
        export_pack(vault, PackRequest("slt", incident=99), tmp_path / "out")
    a_file = tmp_path / "a-file"
    a_file.write_bytes(b"not a folder")
    for bad in (a_file, a_file / "below"):
        with pytest.raises(FileProblem, match="is a file"):
            export_pack(vault, PackRequest("slt", incident=1), bad)
    assert _state(vault) == before
    assert a_file.read_bytes() == b"not a folder"


def test_packs_are_private_and_say_what_was_checked(vault: Vault, tmp_path: Path) -> None:
    incident, _item = _small(vault)
    old = os.umask(0o022)  # the usual one, which left packs readable by every account
    try:
        made = export_pack(vault, PackRequest("slt", incident=incident), tmp_path)
    finally:
        os.umask(old)
    for path in (made.pdf, made.bundle):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    tool("pdftotext")
    text = " ".join(" ".join(pdf_text(made.pdf)).split())
    checked = vault.event(made.started_seq).payload["journal_checked"]
    assert checked == made.checkpoint.tree_size
    assert (f"the journal of {checked} events was checked in full") in text
    assert "every exhibit re-hashed: intact" in text


def test_a_vault_from_before_marks_gains_them_on_opening(vault: Vault, vault_dir: Path) -> None:
    vault.add_item(NewItem(data=b"a post", name="post.txt", media_type="text/plain"))
    vault.lock()
    with raw(vault_dir) as conn:
        conn.execute("DROP TABLE marks")
        conn.execute("PRAGMA user_version = 1")
    with Vault.open(vault_dir, PASSPHRASE) as opened:
        assert opened.exhibit_marks() == {}
        assert opened.verify().ok


def test_the_app_history_says_an_export_never_published(vault: Vault) -> None:
    from evidence_kit.ui.text import event_text

    started = vault.append(EventType.EXPORT_STARTED, {"pack": "EK-1", "for": "police",
                                                      "items": [], "files": []})
    event = vault.event(started.seq)
    assert event_text(event, {}) == "Included in an evidence pack for the police (EK-1)"
    unpublished = event_text(event, {}, {started.seq})
    assert unpublished.startswith("An evidence pack for the police (EK-1) was started but "
                                  "never published")
    assert [s.published for s in vault.exports()] == [False]


def test_the_recorded_hashes_are_the_files_hashes(vault: Vault, tmp_path: Path) -> None:
    """The ZIP is hashed just behind its writing and the PDF as it goes into the ZIP;
    both must be the hashes of the files as published."""
    incident, _item = _small(vault)
    made = export_pack(vault, PackRequest("police", incident=incident), tmp_path / "out")
    assert made.bundle_sha256 == hashlib.sha256(made.bundle.read_bytes()).hexdigest()
    assert made.pdf_sha256 == hashlib.sha256(made.pdf.read_bytes()).hexdigest()
    recorded = vault.events_of_type(EventType.EXPORT_STARTED)[-1].payload["files"]
    assert [f["sha256"] for f in recorded] == [made.pdf_sha256, made.bundle_sha256]
