"""The packs the user made: listed from the journal, their files found or not, and
deleted (the PDF and the ZIP only) once handed over, with the deletion recorded."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from evidence_kit.core import exports
from evidence_kit.core.errors import NotFound, Refused
from evidence_kit.core.journal import EventType
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export.exporter import ExportResult, export_pack
from evidence_kit.export.pack import PackRequest


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def make_pack(vault: Vault, out: Path, recipient: str = "slt") -> ExportResult:
    if not vault.incidents():
        save_profile(vault, Profile(name="Jane Smith", initials="JS"))
        incident = vault.create_incident("Posts on the school page")
        vault.add_item(NewItem(_png(), "shot.png", "image/png", incident=incident.id))
    return export_pack(vault, PackRequest(recipient=recipient,  # type: ignore[arg-type]
                                          incidents=(1,)), out)


@pytest.fixture
def made(vault: Vault, tmp_path: Path) -> ExportResult:
    return make_pack(vault, tmp_path / "packs")


def test_every_pack_made_is_listed_with_its_folder_and_files(
        vault: Vault, made: ExportResult, tmp_path: Path) -> None:
    second = make_pack(vault, tmp_path / "elsewhere", "police")
    listed = vault.exports()
    assert [s.pack for s in listed] == [made.pack_id, second.pack_id]
    first = listed[0]
    assert first.published and first.confirmed and first.deleted is None
    assert first.recipient == "slt" and listed[1].recipient == "police"
    assert first.folder == os.fsdecode((tmp_path / "packs").resolve())
    assert listed[1].folder == os.fsdecode((tmp_path / "elsewhere").resolve())
    assert [f.name for f in first.files] == [made.pdf.name, made.bundle.name]
    assert [f.sha256 for f in first.files] == [made.pdf_sha256, made.bundle_sha256]
    assert all(f.present for f in first.files)
    # Moved away by hand: the list says so, and the pack stays one that was published.
    made.pdf.rename(tmp_path / "moved.pdf")
    again = vault.exports()[0]
    assert [f.present for f in again.files] == [False, True]
    assert again.published


def test_deleting_removes_the_pdf_and_zip_only_and_records_it_without_the_folder(
        vault: Vault, made: ExportResult) -> None:
    folder = made.pdf.parent
    (folder / "my-letter.docx").write_bytes(b"not the pack's")
    deletion = exports.delete_files(vault, made.pack_id.lower())
    assert set(deletion.deleted) == {made.pdf.name, made.bundle.name}
    assert sorted(p.name for p in folder.iterdir()) == ["my-letter.docx"]
    event = vault.event(deletion.seq)
    assert event.type == EventType.EXPORT_FILES_DELETED
    assert event.payload["pack"] == made.pack_id
    assert event.payload["of"] == made.started_seq
    record = vault.record_bytes(deletion.seq).decode()
    assert str(folder) not in record and folder.name not in record
    state = vault.exports()[0]
    assert state.deleted is not None and state.deleted.seq == deletion.seq
    assert state.published and not state.files_there
    assert vault.verify().ok
    with pytest.raises(Refused, match="no longer in"):
        exports.delete_files(vault, made.pack_id)


def test_a_file_changed_since_the_export_is_not_the_packs_and_is_left(
        vault: Vault, made: ExportResult) -> None:
    made.pdf.write_bytes(b"%PDF-1.7 someone else's document, same name")
    deletion = exports.delete_files(vault, made.pack_id)
    assert deletion.deleted == (made.bundle.name,)
    assert deletion.left == (made.pdf.name,)
    assert made.pdf.exists() and not made.bundle.exists()
    assert vault.event(deletion.seq).payload["left_changed"] == [made.pdf.name]


def test_a_symlink_in_place_of_a_pack_file_is_never_followed(
        vault: Vault, made: ExportResult, tmp_path: Path) -> None:
    precious = tmp_path / "precious.pdf"
    precious.write_bytes(made.pdf.read_bytes())
    made.pdf.unlink()
    made.pdf.symlink_to(precious)
    deletion = exports.delete_files(vault, made.pack_id)
    assert deletion.left == (made.pdf.name,)
    assert precious.exists() and made.pdf.is_symlink()


def test_an_unknown_reference_names_the_packs_there_are(
        vault: Vault, made: ExportResult) -> None:
    with pytest.raises(NotFound, match=made.pack_id):
        exports.delete_files(vault, "EK-19990101-0000-ABCDEF")


def test_a_read_only_vault_refuses_before_deleting_anything(
        vault: Vault, made: ExportResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vault, "read_only", True)
    with pytest.raises(Refused, match="read-only"):
        exports.delete_files(vault, made.pack_id)
    assert made.pdf.exists() and made.bundle.exists()


def test_a_started_but_unpublished_export_offers_nothing_to_delete(
        vault: Vault, made: ExportResult) -> None:
    # What a kill between the record and the rename leaves: the started event, no files
    # under their names, no confirmation.
    events = [e for e in vault.events() if e.type != EventType.EXPORT_MADE]
    made.pdf.unlink()
    made.bundle.unlink()
    state = exports.states(events, {made.pack_id: os.fsdecode(made.pdf.parent)})[0]
    assert not state.published and not state.confirmed
    with pytest.raises(Refused, match="never published"):
        exports.check_deletable(state)


def test_an_older_vaults_export_made_still_lists() -> None:
    from evidence_kit.core.model import Event

    older = Event(seq=7, type=EventType.EXPORT_MADE, recorded_at="2025-01-02T03:04:05.000000Z",
                  payload={"pack": "EK-OLD", "for": "police", "files": [
                      {"name": "p.pdf", "sha256": "0" * 64, "size": 3}]}, leaf="")
    state = exports.states([older])[0]
    assert state.published and state.folder is None
    with pytest.raises(Refused, match="older version"):
        exports.check_deletable(state)
