"""A scrolling capture in a pack: the joined image shown, every frame listed and in the
ZIP, and verify-bundle checks the joined image against the frames pixel for pixel. A
screen capture's window in front is printed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile
from pathlib import Path

from PIL import Image

from evidence_kit.capture.scrolling import encode_rgb
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import Vault
from evidence_kit.export import verify_bundle
from evidence_kit.export.exporter import export_pack
from evidence_kit.export.pack import PackRequest
from evidence_kit.intake import Details, commit_capture, commit_scroll
from tests.capture.test_scroll_commit import _frames, _result

from .conftest import pdf_text

IN_FRONT = "WhatsApp — 'Parents group'"


def _pack(vault: Vault, out: Path, *, lie: bool = False) -> tuple[Path, Path, list[int]]:
    save_profile(vault, Profile(name="Jane Smith", initials="JS"))
    incident = vault.create_incident("Messages in the parents' group")
    result = _result(_frames())
    if lie:  # a joined image that is not its frames, recorded faithfully by the vault
        wrong = Image.new("RGB", result.stitched.image.size, "red")  # type: ignore[union-attr]
        result = dataclasses.replace(result, stitched_png=encode_rgb(wrong))
    items = commit_scroll(vault, result, Details(incident=incident.id))
    shot = dataclasses.replace(result.frames[0], grabbed_at=dt.datetime(2026, 3, 14, 10, 0,
                                                                         tzinfo=dt.UTC))
    commit_capture(vault, shot, Details(incident=incident.id))
    made = export_pack(vault, PackRequest(recipient="police", incident=incident.id,
                                          timezone="Europe/London"), out)
    return made.pdf, made.bundle, [i.id for i in items]


def test_the_pack_shows_the_joined_image_lists_the_frames_and_the_zip_holds_all(
        vault: Vault, tmp_path: Path) -> None:
    pdf, bundle, ids = _pack(vault, tmp_path / "out")

    text = " ".join(" ".join(pdf_text(pdf)).split())
    assert "JS/1" in text and "JS/2" in text and "JS/3" not in text, \
        "a scrolling capture is one exhibit; the other capture the second"
    assert "Scrolling screen capture with Evidence Kit" in text
    assert "5 pictures kept" in text
    assert "JOINED into one image" in text
    assert "Picture 5 of 5" in text and "SHA-256 of picture 5" in text
    assert IN_FRONT in text and "Window in front" in text
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        frames = sorted(n for n in names if n.startswith("originals/JS-1"))
        assert len(frames) == 5
        assert [n for n in names if n.startswith("derived/JS-1-stitched")]
        assert sorted(archive.read(n) for n in frames) == sorted(
            vault.read_blob(vault.item(i).sha256) for i in ids[:5])
    report = verify_bundle(bundle)
    assert report.ok, report.findings
    status = report.exhibits[0]
    assert "all 5 frames have the SHA-256" in status.message
    assert "exactly its frames at the recorded offsets" in status.message


def test_verify_bundle_refuses_a_joined_image_that_is_not_its_frames(
        vault: Vault, tmp_path: Path) -> None:
    _pdf, bundle, _ids = _pack(vault, tmp_path / "out", lie=True)

    report = verify_bundle(bundle)

    assert not report.ok
    assert "not its frames placed at the recorded offsets" in report.exhibits[0].message


def test_a_redacted_scrolling_capture_withholds_its_frames_and_joined_image(
        vault: Vault, tmp_path: Path) -> None:
    # The joined image shows everything the redaction hides, so it goes (or stays) with
    # the original frames: a pack showing the redacted copy carries neither.
    from evidence_kit.export.redact import Box, redact_item

    save_profile(vault, Profile(name="Jane Smith", initials="JS"))
    incident = vault.create_incident("Messages in the parents' group")
    items = commit_scroll(vault, _result(_frames()), Details(incident=incident.id))
    redacted = redact_item(vault, items[0].id, [Box(0, 0, 20, 20)], "a pupil's name")
    made = export_pack(vault, PackRequest(recipient="police", incident=incident.id,
                                          timezone="Europe/London"), tmp_path / "out")
    with zipfile.ZipFile(made.bundle) as archive:
        names = archive.namelist()
        held = {archive.read(n) for n in names if not n.endswith((".json", ".txt", ".pdf"))}
    for item in items:
        assert vault.read_blob(item.sha256) not in held, item.original_name
    assert vault.read_blob(redacted.sha256) in held
    report = verify_bundle(made.bundle)
    assert report.ok, report.findings
    assert "withheld with the original" in report.exhibits[0].message
