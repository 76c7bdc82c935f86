"""Exhibit marks assigned once (issue 11 §2): the same mark in every pack, never reused."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from evidence_kit.core.errors import StorageFull
from evidence_kit.core.journal import EventType
from evidence_kit.core.marks import InitialsMissing
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export.bundle import BundleWriter
from evidence_kit.export.exporter import export_pack
from evidence_kit.export.pack import PackRequest
from tests.export.conftest import screenshot


def _marks_in(bundle: Path) -> dict[int, str]:
    with zipfile.ZipFile(bundle) as z:
        manifest = json.loads(z.read("manifest.json"))
    return {e["item"]: e["mark"] for e in manifest["exhibits"]}


def _add(vault: Vault, name: str, incident: int | None) -> int:
    return vault.add_item(NewItem(data=screenshot(320, 200, (10, 20, len(name) * 9)),
                                  name=name, media_type="image/png", incident=incident)).id


def _older_items(vault: Vault) -> tuple[int, int, list[int]]:
    """Items recorded before any initials were set, so none has a mark yet."""
    first = vault.create_incident("Facebook").id
    second = vault.create_incident("Instagram").id
    ids = [_add(vault, f"post-{n}.png", first if n < 3 else second) for n in range(5)]
    return first, second, ids


def test_the_same_item_has_the_same_mark_in_three_different_packs(
        vault: Vault, tmp_path: Path) -> None:
    first, second, ids = _older_items(vault)
    assert vault.exhibit_marks() == {}
    save_profile(vault, Profile(name="Jane Smith", initials="js"))
    slt = export_pack(vault, PackRequest("slt", incident=second), tmp_path / "a")
    police = export_pack(vault, PackRequest("police", incident=first), tmp_path / "b")
    lado = export_pack(vault, PackRequest("lado", items=(ids[4], ids[1], ids[0])),
                       tmp_path / "c")
    packs = [_marks_in(p.bundle) for p in (slt, police, lado)]
    # The first pack numbered its own items first; the second went on from there.
    assert packs[0] == {ids[3]: "JS/1", ids[4]: "JS/2"}
    assert packs[1] == {ids[0]: "JS/3", ids[1]: "JS/4", ids[2]: "JS/5"}
    assert packs[2] == {ids[4]: "JS/2", ids[1]: "JS/4", ids[0]: "JS/3"}
    text = exporter_pdf_text(lado.pdf)
    assert "JS/2" in text and "JS/1" not in text
    recorded = {e.payload["item"]: e.payload["mark"] for e in vault.events()
                if e.type == EventType.EXHIBIT_MARKED}
    assert recorded == {i: m for p in packs for i, m in p.items()}
    # Each mark went in with the export that first used it, just before its record.
    started = vault.event(slt.started_seq)
    marked = [e for e in vault.events() if e.type == EventType.EXHIBIT_MARKED]
    assert [e.seq for e in marked[:2]] == [started.seq - 2, started.seq - 1]
    assert vault.verify().ok


def exporter_pdf_text(pdf: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def test_items_recorded_with_initials_are_marked_at_once_and_numbers_never_reused(
        vault: Vault, tmp_path: Path) -> None:
    save_profile(vault, Profile(initials="AB"))
    incident = vault.create_incident("Posts").id
    one = _add(vault, "one.png", incident)
    two = _add(vault, "two.png", incident)
    assert {i: m.mark for i, m in vault.exhibit_marks().items()} == {one: "AB/1", two: "AB/2"}
    vault.withdraw_item(one, "added twice")
    save_profile(vault, Profile(initials="AC"))  # a new surname: marks already given stay
    three = _add(vault, "three.png", incident)
    assert vault.exhibit_marks()[three].mark == "AC/3"
    made = export_pack(vault, PackRequest("police", incident=incident), tmp_path)
    assert _marks_in(made.bundle) == {two: "AB/2", three: "AC/3"}


def test_a_redacted_copy_takes_no_number(vault: Vault) -> None:
    from evidence_kit.export.redact import Box, redact_item

    save_profile(vault, Profile(initials="JS"))
    original = _add(vault, "post.png", None)
    copy = redact_item(vault, original, [Box(1, 1, 10, 10)], "a pupil's name")
    after = _add(vault, "next.png", None)
    found = vault.exhibit_marks()
    assert copy.id not in found
    assert (found[original].mark, found[after].mark) == ("JS/1", "JS/2")


def test_without_initials_export_says_how_to_set_them(vault: Vault, tmp_path: Path) -> None:
    _first, second, _ids = _older_items(vault)
    save_profile(vault, Profile(name="Jane Smith"))  # a name is not initials: no "EK/1"
    before = (vault.event_count(), len(vault.checkpoints()))
    with pytest.raises(InitialsMissing, match="in the app's Settings"):
        export_pack(vault, PackRequest("slt", incident=second), tmp_path / "out")
    assert (vault.event_count(), len(vault.checkpoints())) == before
    assert not (tmp_path / "out").exists()


def test_a_failed_export_assigns_no_marks(vault: Vault, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    first, _second, ids = _older_items(vault)
    save_profile(vault, Profile(initials="JS"))

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(BundleWriter, "finish", full)  # the disk fills as the PDF goes in
    with pytest.raises(StorageFull):
        export_pack(vault, PackRequest("police", incident=first), tmp_path / "out")
    assert vault.exhibit_marks() == {}
    assert all(e.type not in (EventType.EXHIBIT_MARKED, EventType.EXPORT_STARTED)
               for e in vault.events())
    assert list((tmp_path / "out").iterdir()) == []
    monkeypatch.undo()
    made = export_pack(vault, PackRequest("police", incident=first), tmp_path / "out")
    assert _marks_in(made.bundle) == {ids[0]: "JS/1", ids[1]: "JS/2", ids[2]: "JS/3"}
