"""The PDF read back: every page numbered, marks, hashes, times and text in every script."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pypdf
from PIL import Image

from evidence_kit.export.fonts import fonts
from evidence_kit.export.styles import BODY
from evidence_kit.export.text import Coverage, emoji_name, layout
from tests.export.conftest import SCRIPTS, TALL_HEIGHT, Built, needs_poppler, pdf_text, tool

pytestmark = needs_poppler


def test_every_page_has_page_x_of_y_and_the_pack_id(built: Built) -> None:
    for result in built.packs.values():
        pages = pdf_text(result.pdf)
        assert len(pages) == result.pages == len(pypdf.PdfReader(result.pdf).pages)
        for number, page in enumerate(pages, start=1):
            assert f"Page {number} of {len(pages)}" in page
            assert result.pack_id in page
            assert "OFFICIAL-SENSITIVE" in page


def test_marks_urls_hashes_and_times(built: Built) -> None:
    result = built.packs["police"]
    text = "\n".join(pdf_text(result.pdf))
    flat = re.sub(r"\s+", "", text)
    vault = built.vault
    for number, item_id in enumerate(sorted(
            (built.items[k] for k in SCRIPTS), key=lambda i: vault.item(i).details["capture"]
            ["time_utc"]), start=1):
        item = vault.item(item_id)
        assert f"Exhibit JS/{number}" in text
        assert item.sha256 in flat
        assert item.url is not None and item.url in text
        stamp = item.details["capture"]["time_utc"]
        assert f"{stamp[:10]} {stamp[11:19]} UTC" in text
    redacted = vault.item(built.redacted_item)
    assert redacted.sha256 in flat  # both hashes for the redacted exhibit
    assert "REDACTED COPY" in text
    assert "GMT" in text  # local times are shown beside UTC


def test_text_in_every_script_is_text(built: Built) -> None:
    text = "\n".join(pdf_text(built.packs["slt"].pdf))
    squeezed = re.sub(r"\s+", " ", text)
    fontset = fonts()
    for script, sample in SCRIPTS.items():
        if script == "emoji":
            continue
        coverage = Coverage()
        layout(sample, BODY, 1000, coverage, fontset)
        for word in sample.split():
            if coverage.named and any(c in word for c in "".join(coverage.named)):
                continue  # no font here for this word; the name is checked below
            assert unicodedata.normalize("NFKC", word) in squeezed, (script, word)


def test_emoji_are_drawn_or_named_never_missing(built: Built) -> None:
    text = "\n".join(pdf_text(built.packs["slt"].pdf))
    coverage = Coverage()
    layout(SCRIPTS["emoji"], BODY, 1000, coverage)
    for emoji in ("😡", "🔪"):
        assert emoji in text or emoji_name(emoji) in text
    for named in coverage.named:
        assert emoji_name(named) in text


def _flat(pdf: Path) -> str:
    return re.sub(r"\s+", " ", "\n".join(pdf_text(pdf)))


def test_recipient_sections(built: Built) -> None:
    police = _flat(built.packs["police"].pdf)
    for phrase in ("For the police", "Exhibit list", "Draft witness statement (DRAFT)",
                   "I produce exhibit JS/1", "course of conduct", "Malicious Communications Act"):
        assert phrase in police, phrase
    slt = _flat(built.packs["slt"].pdf)
    for phrase in ("For the senior leadership team", "within 24 hours", "consent",
                   "Actions requested"):
        assert phrase in slt, phrase
    lado = _flat(built.packs["lado"].pdf)
    for phrase in ("For the LADO", "Referrer", "The adult this concerns",
                   "The child or children involved", "Category of harm", "(to be completed)"):
        assert phrase in lado, phrase
    for text in (police, slt, lado):
        for phrase in ("Chronology", "Timeline", "Actions taken", "FB-123456",
                       "Integrity: how to check this pack", "sha256sum -c SHA256SUMS",
                       "certutil", "openssl pkeyutl", "evidence-kit verify-bundle",
                       "does not prove", "distressing"):
            assert phrase in text, phrase
        assert "PRIVATE-OTHER-INCIDENT" not in text


def test_tall_capture_is_split_not_shrunk(built: Built) -> None:
    pages = pdf_text(built.packs["police"].pdf)
    continued = [p for p in pages if "(continued from page" in p]
    assert continued, "the tall capture should continue over pages"
    assert any(f"of {TALL_HEIGHT:,}" in p for p in continued)


def test_outline_lists_every_exhibit(built: Built) -> None:
    reader = pypdf.PdfReader(built.packs["police"].pdf)
    titles: list[str] = []

    def walk(items: list) -> None:  # type: ignore[type-arg]
        for entry in items:
            if isinstance(entry, list):
                walk(entry)
            else:
                titles.append(entry.title)

    walk(reader.outline)
    assert "Integrity: how to check this pack" in titles
    assert sum(t.startswith("Exhibit JS/") for t in titles) == 7


def _render(pdf: Path, page: int, folder: Path) -> Image.Image:
    prefix = folder / f"page{page}"
    subprocess.run([tool("pdftoppm"), "-png", "-r", "40", "-f", str(page), "-l", str(page),
                    str(pdf), str(prefix)], check=True, timeout=60)
    found = sorted(folder.glob(f"page{page}*.png"))
    return Image.open(found[0]).convert("RGB")


def test_pages_are_not_blank_and_images_are_drawn(built: Built, tmp_path: Path) -> None:
    pdf = built.packs["police"].pdf
    pages = pdf_text(pdf)
    cover = _render(pdf, 1, tmp_path)
    assert len(set(cover.get_flattened_data())) > 20  # text and boxes, not an empty page
    exhibit_page = next(i for i, p in enumerate(pages, 1)
                        if "Exhibit JS/2" in p and "SHA-256 of the original" in p)
    image = _render(pdf, exhibit_page, tmp_path)
    pixels = list(image.get_flattened_data())
    # The capture's pale page colour (236, 240, 246) covers a large part of the page.
    pale = sum(1 for r, g, b in pixels if abs(r - 236) < 6 and abs(g - 240) < 6
               and abs(b - 246) < 6)
    assert pale > len(pixels) * 0.15


def test_redacted_exhibit_shows_black_box(built: Built, tmp_path: Path) -> None:
    pdf = built.packs["police"].pdf
    pages = pdf_text(pdf)
    number = next(i for i, p in enumerate(pages, 1) if "REDACTED COPY" in p)
    image = _render(pdf, number, tmp_path)
    black = sum(1 for px in image.get_flattened_data() if px == (0, 0, 0))
    assert black > 100


def test_png_captures_are_embedded_without_change(built: Built) -> None:
    """Screen captures go into the PDF as their own compressed pixels (no re-encoding),
    and decode to exactly the captured pixels."""
    import io

    reader = pypdf.PdfReader(built.packs["police"].pdf)
    item = built.vault.item(built.items["cyrillic"])
    original = Image.open(io.BytesIO(built.vault.read_blob(item.sha256))).convert("RGB")
    found = False
    for page in reader.pages:
        for image in page.images:
            decoded = image.image.convert("RGB")
            if decoded.size == original.size and decoded.tobytes() == original.tobytes():
                found = True
    assert found
