"""Text read from pictures in the app: read after commits off the UI thread, found by
the Find box, shown beside the picture with Copy; look-alikes and the removal check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from evidence_kit.capture import ocr
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.ui import text_reading
from evidence_kit.ui.read_text_panel import CAVEAT
from tests.capture.chat_pictures import OTHER_POST, POST, chat, rescaled_jpeg
from tests.conftest import PASSPHRASE

from .conftest import Prepared, Said, unlock

URDU_WORDS = "یہ پیغام دھمکی آمیز ہے"


def _read_beforehand(prepared: Prepared, key: str, words: str) -> None:
    vault = Vault.open(prepared.folder, PASSPHRASE)
    try:
        item = vault.item(prepared.items[key])
        vault.record_text(item.id, item.sha256, words, "tesseract 5.5.4", ["eng", "urd"])
    finally:
        vault.lock()


def test_find_box_searches_the_text_and_the_viewer_shows_it_with_copy(
        qtbot: Any, make_app: Any, prepared: Prepared) -> None:
    _read_beforehand(prepared, "fb1", f"He lives at 14 Acacia Avenue\n{URDU_WORDS}")
    app = make_app(prepared.folder)
    unlock(qtbot, app)
    ws = app.workspace
    qtbot.keyClicks(ws.browser.search, "acacia avenue")
    assert ws.model.matching == 1
    assert ws.model.item_at(0).id == prepared.items["fb1"]
    ws.browser.search.clear()
    ws.browser.search.setText("پیغام")  # QTest types only ASCII; a paste does the same
    assert ws.model.matching == 1
    ws.browser.search.clear()
    assert ws.model.matching == 7

    ws.open_item(prepared.items["fb1"])
    panel = ws.viewer.read_text
    ws.viewer.tabs.setCurrentWidget(panel)
    assert "14 Acacia Avenue" in panel.words.toPlainText()
    assert panel.caveat.text() == CAVEAT
    assert "Read with tesseract 5.5.4 (eng, urd)" in panel.state.text()
    panel.copy_button.click()
    assert URDU_WORDS in QGuiApplication.clipboard().text()
    ws.show_browser()
    assert panel.words.toPlainText() == ""  # dropped with the picture


def test_without_tesseract_the_viewer_says_text_reading_is_unavailable(
        qtbot: Any, make_app: Any, prepared: Prepared, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setattr(ocr, "_candidate_folders", lambda: [tmp_path])
    ocr.reset()
    try:
        app = make_app(prepared.folder)
        unlock(qtbot, app)
        ws = app.workspace
        ws.open_item(prepared.items["fb0"])
        state = ws.viewer.read_text.state.text()
        assert state.startswith("Text reading is unavailable")
        assert not ws.viewer.read_text.read_button.isVisible()
        assert ws.viewer.back_button.isEnabled()  # everything else works
        ws.open_item(prepared.items["mail"])
        assert ws.viewer.read_text.state.text() == "Only pictures have their text read."
    finally:
        ocr.reset()


def test_an_import_is_compared_with_the_vault_without_words(
        prepared: Prepared, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Qt-free pass: a picture hash alone names a near-duplicate (no Tesseract here)."""
    monkeypatch.setattr(ocr, "_candidate_folders", lambda: [tmp_path])
    ocr.reset()
    vault = Vault.open(prepared.folder, PASSPHRASE)
    try:
        first = vault.add_item(NewItem(data=chat(POST), name="post.png",
                                       media_type="image/png")).id
        newest = vault.items()[-1].id
        again = vault.add_item(NewItem(data=rescaled_jpeg(chat(POST)), name="again.jpg",
                                       media_type="image/jpeg")).id
        found = text_reading.read_pass(vault, [again], newest, None, lambda _d, _t: None)
        assert found.unavailable == ocr.UNAVAILABLE and found.read == []
        assert [a.item.id for a in found.alikes[again]] == [first]
        assert text_reading.looks_like_text(found.alikes[again][0]).startswith(
            f"This looks like item {first}, recorded ")
    finally:
        vault.lock()
        ocr.reset()


def _answer_recheck(choice: str, seen: list[str]) -> None:
    def press() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.objectName() == "recheckVerdict":
                seen.append(widget.text())
                for button in widget.buttons():
                    if choice in button.text().replace("&", ""):
                        button.click()
                        return
        QTimer.singleShot(50, press)
    QTimer.singleShot(50, press)


@pytest.mark.slow
def test_after_a_removal_check_the_fresh_capture_is_compared_and_the_user_decides(
        qtbot: Any, make_app: Any, prepared: Prepared, monkeypatch: pytest.MonkeyPatch,
        said: Said) -> None:
    if ocr.available() is not None:
        pytest.skip("Tesseract is not installed")
    monkeypatch.setenv(text_reading.READ_TEXT_ENV, "1")
    vault = Vault.open(prepared.folder, PASSPHRASE)
    fb = prepared.incidents["fb"]
    try:
        original = vault.add_item(NewItem(data=chat(POST), name="post.png",
                                          media_type="image/png", incident=fb)).id
        vault.add_item(NewItem(data=chat(OTHER_POST), name="x.png", media_type="image/png"))
    finally:
        vault.lock()
    app = make_app(prepared.folder)
    unlock(qtbot, app)
    ws = app.workspace
    # At the unlock, the pictures not read yet are read in the background.
    qtbot.waitUntil(lambda: ws.text_reader.running is None
                    and not app.session.vault.items_without_text(), timeout=120_000)
    assert app.session.vault.find_text(["acacia"]) == {original}

    seen: list[str] = []
    ws.text_reader.expect_recapture(fb)
    _answer_recheck("Add a note", seen)
    fresh = app.session.vault.add_item(NewItem(data=chat(POST, shift=2), name="again.png",
                                               media_type="image/png", incident=fb))
    ws.reload()  # as after the capture's commit
    qtbot.waitUntil(lambda: bool(seen), timeout=60_000)
    assert seen[0].startswith("This looks the same as the capture of ")
    assert f"(item {original})" in seen[0]
    notes = app.session.vault.notes(item=fresh.id)
    assert [n.text for n in notes] == [
        f"Compared by Evidence Kit with item {original}: it looks the same."]

    seen.clear()
    ws.text_reader.expect_recapture(fb)
    _answer_recheck("Close", seen)
    gone = [POST[0], "This comment has been removed"]
    different = app.session.vault.add_item(NewItem(data=chat(gone), name="later.png",
                                                   media_type="image/png", incident=fb))
    ws.reload()
    qtbot.waitUntil(lambda: bool(seen), timeout=60_000)
    assert seen[0].startswith("This looks different from the capture of ")
    assert app.session.vault.notes(item=different.id) == []
    qtbot.waitUntil(lambda: ws.text_reader.running is None, timeout=60_000)
