"""Reading text with the real Tesseract, on screenshots drawn here; and without it."""

from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from evidence_kit.capture import ocr
from evidence_kit.core.errors import MediaRejected
from evidence_kit.core.vault import NewItem, Vault
from tests.capture.chat_pictures import LATIN, POST, URDU, chat

needs_tesseract = pytest.mark.skipif(ocr.find_tessdata() is None,
                                     reason="Tesseract's language data is not installed")


PICTURE_ENDINGS = (".png", ".bmp", ".tif", ".tiff", ".pnm", ".jpg", ".txt")


def _temp_files(folder: str) -> set[str]:
    found = set()
    for root, _dirs, files in os.walk(folder):
        if "pytest-of-" in root:  # pytest's own folders, where other tests keep pictures
            continue
        found.update(os.path.join(root, f) for f in files)
    return found


@pytest.mark.slow
@needs_tesseract
def test_a_post_in_three_languages_and_urdu_is_read_in_memory(
        vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = chat(POST, rtl=URDU)
    item = vault.add_item(NewItem(data=data, name="post.png", media_type="image/png"))
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    before = _temp_files("/tmp")
    found = ocr.read_item(vault, item.id)
    # No decrypted picture in a temporary file: the private folder stays empty, and no
    # picture or text file appeared in /tmp (which other programs here also write to).
    assert not any(private.iterdir())
    assert not [f for f in _temp_files("/tmp") - before if f.endswith(PICTURE_ENDINGS)
                or os.path.basename(f).startswith("tess")]
    assert "14 Acacia Avenue, go round there tonight" in found.text
    assert "Dw i'n gwybod ble mae hi'n byw" in found.text
    assert "gdzie ona mieszka" in found.text
    assert "کہاں رہتی" in found.text
    assert found.engine.startswith("tesseract ")
    assert {"eng", "cym", "pol", "urd"} <= set(found.languages)
    assert vault.find_text(["acacia", "tonight"]) == {item.id}
    assert vault.find_text(["کہاں"]) == {item.id}


@pytest.mark.slow
@needs_tesseract
def test_a_picture_without_words_reads_as_empty_and_a_damaged_one_is_refused() -> None:
    reader = ocr.engine()
    blank = chat([], size=(400, 300))
    assert reader.read(blank).text.strip() in ("", "Parents of Hillside")
    with pytest.raises(MediaRejected):
        reader.read(blank[:200], "cut.png")


def test_without_tesseract_it_says_plainly_that_text_reading_is_unavailable(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    monkeypatch.setattr(ocr, "_candidate_folders", lambda: [tmp_path])
    ocr.reset()
    try:
        with pytest.raises(ocr.TextReadingUnavailable) as caught:
            ocr.engine()
        assert "Text reading is unavailable" in str(caught.value)
        assert ocr.available() == ocr.UNAVAILABLE
    finally:
        ocr.reset()


def test_the_language_data_is_looked_for_where_tesseract_installs_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "tessdata").mkdir()
    (tmp_path / "tessdata" / "eng.traineddata").write_bytes(b"")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    assert ocr.find_tessdata() == tmp_path / "tessdata"


def test_tidy_drops_form_feeds_and_runs_of_blank_lines() -> None:
    assert ocr.tidy("one  \n\n\n\ntwo\n\f") == "one\n\ntwo"


def _tall_thread(rows: int) -> Image.Image:
    font = ImageFont.truetype(LATIN, 24)
    image = Image.new("RGB", (1000, 40 + rows * 50), "white")
    draw = ImageDraw.Draw(image)
    for n in range(rows):
        draw.text((30, 30 + n * 50), f"Message number {n + 1} in the long thread", fill="black",
                  font=font)
    return image


def test_a_long_capture_is_cut_into_strips_between_lines_of_text() -> None:
    image = _tall_thread(150)
    cuts = ocr.strips(image)
    assert cuts[0][0] == 0 and cuts[-1][1] == image.height
    assert all(a[1] == b[0] for a, b in itertools.pairwise(cuts))
    assert len(cuts) == 3
    grey = image.convert("L")
    for _top, bottom in cuts[:-1]:
        row = grey.crop((0, bottom, grey.width, bottom + 1)).tobytes()
        assert max(row) == min(row)  # a blank row: no line of text is cut in two


@pytest.mark.slow
@needs_tesseract
def test_a_long_capture_is_read_whole_at_full_size() -> None:
    text = ocr.engine().read_image(_tall_thread(150)).text
    assert "Message number 1 in the long thread" in text
    assert "Message number 150 in the long thread" in text
    assert text.count("in the long thread") >= 145
