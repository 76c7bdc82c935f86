"""A pack quotes the text read from the picture it shows, never what a redaction hides."""

from __future__ import annotations

import zipfile
from pathlib import Path

from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export.exporter import export_pack
from evidence_kit.export.pack import PackRequest
from evidence_kit.export.redact import Box, redact_item
from evidence_kit.export.sections import READ_TEXT_CAVEAT
from tests.export.conftest import needs_poppler, pdf_text, screenshot

HIDDEN = "Pupil name Tommy Atkins, Year 8"
SHOWN = "says Mrs Jones should be sacked 😡"


def _read(vault: Vault, item_id: int, text: str) -> None:
    vault.record_text(item_id, vault.item(item_id).sha256, text, "tesseract 5.5.4", ["eng"])


@needs_poppler
def test_the_redacted_copys_own_text_is_quoted_and_the_originals_never(
        vault: Vault, tmp_path: Path) -> None:
    save_profile(vault, Profile(name="Jane Smith", initials="JS"))
    incident = vault.create_incident("Comments about me").id
    original = vault.add_item(NewItem(data=screenshot(1280, 720, (40, 90, 160)),
                                      name="post.png", media_type="image/png",
                                      incident=incident)).id
    plain = vault.add_item(NewItem(data=screenshot(1280, 720, (160, 40, 90), 3),
                                   name="other.png", media_type="image/png",
                                   incident=incident)).id
    unread = vault.add_item(NewItem(data=screenshot(1280, 720, (90, 160, 40), 5),
                                    name="unread.png", media_type="image/png",
                                    incident=incident)).id
    _read(vault, original, f"{HIDDEN}\n{SHOWN}")
    _read(vault, plain, "I know where you live")
    copy = redact_item(vault, original, [Box(0, 0, 600, 60)], "a pupil's name")
    _read(vault, copy.id, SHOWN)
    # A redacted copy whose text was not read yet: nothing is quoted for it (the
    # original's text is never a stand-in).
    redact_item(vault, unread, [Box(0, 0, 100, 60)], "a pupil's name")
    _read(vault, unread, "UNREAD-ORIGINAL-WORDS")

    result = export_pack(vault, PackRequest(recipient="slt", incident=incident), tmp_path)
    words = "\n".join(pdf_text(result.pdf))
    assert "Text read from the image" in words
    assert READ_TEXT_CAVEAT in " ".join(words.split())
    assert "says Mrs Jones should be sacked" in words
    assert "I know where you live" in words
    assert "Tommy Atkins" not in words
    assert "UNREAD-ORIGINAL-WORDS" not in words
    with zipfile.ZipFile(result.bundle) as bundle:
        everything = b"".join(bundle.read(n) for n in bundle.namelist())
    assert b"Tommy Atkins" not in everything
