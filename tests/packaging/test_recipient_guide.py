"""The recipients' one-page guide is the bundle's README.txt, word for word."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from PIL import Image

from evidence_kit.core.clock import FixedClock
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export import instructions
from evidence_kit.export.exporter import export_pack
from evidence_kit.export.pack import PackRequest

from .conftest import ROOT, load_script


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 60)).save(out, format="PNG")
    return out.getvalue()


def test_guide_file_and_readme_section_are_up_to_date() -> None:
    guide = load_script("recipient_guide")
    assert guide.main(["--check"]) == 0, "run python packaging/recipient_guide.py"
    text = guide.guide_text()
    assert (ROOT / "resources" / "recipient-guide.txt").read_text(encoding="utf-8") == text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert guide.readme_block(text) in readme


def test_guide_covers_windows_macos_and_linux() -> None:
    text = load_script("recipient_guide").guide_text()
    for words in ("WHAT IS IN IT", "HOW TO CHECK IT", "sha256sum -c SHA256SUMS",
                  "shasum -a 256 -c SHA256SUMS", "certutil -hashfile", "Get-FileHash",
                  "openssl pkeyutl -verify", "evidence-kit verify-bundle",
                  "WHAT A SUCCESSFUL CHECK PROVES", "WHAT IT DOES NOT PROVE"):
        assert words in text, words
    assert "\r" not in text


def test_a_real_bundle_readme_is_the_guide_with_that_packs_values(
        vault: Vault, clock: FixedClock, tmp_path: Path) -> None:
    """Every line of the guide that names no pack-specific value is in a real pack's
    README.txt, in the same order, and the README has no other lines."""
    guide = load_script("recipient_guide")
    save_profile(vault, Profile(initials="JS"))
    incident = vault.create_incident("Posts").id
    clock.advance(dt.timedelta(minutes=5))
    vault.add_item(NewItem(data=_png(), name="post.png", media_type="image/png",
                           method="import", incident=incident,
                           url={"text": "https://example.com/p/1"}, details={}))
    result = export_pack(vault, PackRequest("police", incident=incident), tmp_path / "out")
    with zipfile.ZipFile(result.bundle) as bundle:
        readme = bundle.read(instructions.README).decode("utf-8")
    assert "\r\n" in readme, "CRLF, for Notepad"
    real = {"pack_id": result.pack_id, "zip_name": result.bundle.name,
            "pdf_name": result.pdf.name, "fingerprint": vault.key_fingerprint,
            "root_hex": result.checkpoint.root, "marking": "OFFICIAL-SENSITIVE"}
    assert readme == instructions.readme_text(
        result.pack_id, result.bundle.name, result.pdf.name, vault.key_fingerprint,
        result.checkpoint.tree_size, result.checkpoint.root, "OFFICIAL-SENSITIVE")

    def common(text: str, values: list[str]) -> list[str]:
        return [line for line in text.replace("\r\n", "\n").split("\n")
                if not any(value in line for value in values)]

    placeholders = [v for k, v in guide.PLACEHOLDERS.items() if k in real]
    shared = common(guide.guide_text(), placeholders)
    assert shared == common(readme, [str(v) for v in real.values()])
    assert len(shared) > 50
