"""Redaction by mouse: boxes dragged over the original at any zoom become black pixels in a
new copy; the original's bytes never change."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt

from evidence_kit.core.model import Item
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export.pack import DERIVATION_KEY
from evidence_kit.export.redact import Box
from evidence_kit.ui.redact_dialog import RedactDialog, box_for, can_redact, decode_original
from evidence_kit.ui.tasks import TaskRunner
from tests.export.conftest import screenshot

from .conftest import Prepared, unlock

pytestmark = pytest.mark.gui



@pytest.fixture
def image_item(vault: Vault) -> Item:
    return vault.add_item(NewItem(data=screenshot(1600, 1000, (60, 90, 160), 3),
                                  name="thread.png", media_type="image/png",
                                  description="A thread naming a pupil"))


def _dialog(qtbot: Any, vault: Vault, runner: TaskRunner, item: Item) -> RedactDialog:
    image = decode_original(vault.read_blob(item.sha256))
    dialog = RedactDialog(vault, runner, item, image)
    qtbot.addWidget(dialog)
    dialog.resize(1100, 760)
    dialog.show()
    with qtbot.waitActive(dialog):  # shortcuts (Ctrl+Z) need the active window
        dialog.activateWindow()
    return dialog


def _drag(qtbot: Any, dialog: RedactDialog, start: QPointF, end: QPointF) -> None:
    """Press, move and release the left button between two image points."""
    canvas = dialog.canvas
    a, b = canvas.mapFromScene(start), canvas.mapFromScene(end)
    viewport = canvas.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(viewport, QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2))
    qtbot.mouseMove(viewport, b)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=b)


def _covers(box: Box, left: int, top: int, right: int, bottom: int) -> bool:
    return (box.left <= left and box.top <= top and box.left + box.width >= right
            and box.top + box.height >= bottom)


def test_boxes_drawn_by_mouse_become_black_in_a_copy(
        qtbot: Any, vault: Vault, runner: TaskRunner, image_item: Item) -> None:
    original_bytes = vault.read_blob(image_item.sha256)
    dialog = _dialog(qtbot, vault, runner, image_item)
    assert dialog.canvas.image_size == (1600, 1000)  # the original, full resolution
    assert not dialog.save_button.isEnabled()

    _drag(qtbot, dialog, QPointF(100, 100), QPointF(400, 220))  # at the fitted zoom
    dialog.canvas.set_zoom(2.0)  # and zoomed in, over another part
    dialog.canvas.centerOn(QPointF(1300, 800))
    _drag(qtbot, dialog, QPointF(1250, 760), QPointF(1350, 840))
    assert len(dialog.boxes) == 2
    first, second = dialog.boxes
    assert _covers(first, 101, 101, 399, 219) and first.width < 320
    assert _covers(second, 1251, 761, 1349, 839) and second.width < 110
    assert dialog.box_list.count() == 2

    qtbot.mouseClick(dialog.canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=dialog.canvas.mapFromScene(QPointF(900, 500)))
    assert len(dialog.boxes) == 2  # a click is not a box
    assert not dialog.save_button.isEnabled()  # no reason given yet
    qtbot.keyClicks(dialog.reason, "a pupil's name")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.created is not None, timeout=20_000)

    created = dialog.created
    assert created is not None and created.id != image_item.id
    link = created.details[DERIVATION_KEY]
    assert link["item"] == image_item.id and link["reason"] == "a pupil's name"
    assert link["sha256"] == image_item.sha256
    redacted = Image.open(io.BytesIO(vault.read_blob(created.sha256))).convert("RGB")
    assert redacted.size == (1600, 1000)
    for box in (first, second):
        region = redacted.crop((box.left, box.top, box.left + box.width, box.top + box.height))
        assert set(region.get_flattened_data()) == {(0, 0, 0)}
    before = Image.open(io.BytesIO(original_bytes)).convert("RGB")
    assert redacted.getpixel((800, 30)) == before.getpixel((800, 30)) != (0, 0, 0)
    # The original is byte for byte what it was.
    after = vault.read_blob(image_item.sha256)
    assert after == original_bytes
    assert hashlib.sha256(after).hexdigest() == image_item.sha256 == vault.item(
        image_item.id).sha256


def test_undo_remove_and_clear(qtbot: Any, vault: Vault, runner: TaskRunner,
                               image_item: Item) -> None:
    dialog = _dialog(qtbot, vault, runner, image_item)
    for n in range(3):
        _drag(qtbot, dialog, QPointF(100 + 200 * n, 100), QPointF(250 + 200 * n, 200))
    assert len(dialog.boxes) == 3
    assert len([i for i in dialog.canvas.scene().items() if i.zValue() == 5]) == 3
    qtbot.keyClick(dialog.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(dialog.boxes) == 2 and dialog.box_list.count() == 2
    dialog.box_list.setCurrentRow(0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert len(dialog.boxes) == 1 and dialog.boxes[0].left >= 290
    assert dialog.box_list.item(0).text().startswith("1. ")
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert dialog.boxes == [] and not dialog.undo_button.isEnabled()
    assert [i for i in dialog.canvas.scene().items() if i.zValue() == 5] == []


def test_boxes_are_whole_pixels_inside_the_image() -> None:
    assert box_for(QRectF(QPointF(10.4, 20.6), QPointF(50.2, 60.1)), 100, 100) == Box(
        10, 20, 41, 41)
    assert box_for(QRectF(QPointF(-30, -30), QPointF(20, 20)), 100, 100) == Box(0, 0, 20, 20)
    assert box_for(QRectF(QPointF(90, 90), QPointF(150, 150)), 100, 100) == Box(90, 90, 10, 10)
    assert box_for(QRectF(QPointF(5, 5), QPointF(6, 6)), 100, 100) is None


def test_only_image_originals_can_be_redacted(vault: Vault, image_item: Item,
                                              tmp_path: Path) -> None:
    from evidence_kit.export.redact import redact_item

    assert can_redact(image_item)
    copy = redact_item(vault, image_item.id, [Box(0, 0, 10, 10)], "a name")
    assert not can_redact(copy)
    text = vault.add_item(NewItem(data=b"hello", name="a.txt", media_type="text/plain"))
    assert not can_redact(text)


def test_a_refused_save_is_said_in_words(qtbot: Any, vault: Vault, runner: TaskRunner,
                                         image_item: Item) -> None:
    dialog = _dialog(qtbot, vault, runner, image_item)
    dialog.add_box(Box(1500, 900, 200, 200))  # past the edge: the core refuses it
    dialog.reason.setText("a face")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=20_000)
    assert "is not inside" in dialog.message.text()
    assert dialog.created is None and dialog.isVisible() and dialog.canvas.isEnabled()


# ---- from the viewer ------------------------------------------------------------------------


def test_redact_from_the_viewer(qtbot: Any, make_app: Any, prepared: Prepared) -> None:
    from PySide6.QtWidgets import QApplication

    app = make_app(prepared.folder)
    unlock(qtbot, app)
    ws = app.workspace
    ws.open_item(prepared.items["mail"])
    assert not ws.viewer.redact_button.isEnabled()  # an email is not an image
    ws.open_item(prepared.items["fb0"])
    original = app.session.vault.item(prepared.items["fb0"])
    before = app.session.vault.read_blob(original.sha256)
    assert ws.viewer.redact_button.isEnabled()
    qtbot.mouseClick(ws.viewer.redact_button, Qt.MouseButton.LeftButton)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, RedactDialog) and w.isVisible())
    assert dialog.canvas.image_size == (1600, 1000)
    _drag(qtbot, dialog, QPointF(300, 300), QPointF(700, 420))
    dialog.reason.setText("a child's name")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.viewer.item is not None
                    and ws.viewer.item.id != original.id, timeout=20_000)
    copy = ws.viewer.item
    assert copy is not None and copy.details[DERIVATION_KEY]["item"] == original.id
    assert not ws.viewer.redact_button.isEnabled()  # a copy is not redacted again
    assert copy.incident_id == original.incident_id
    assert app.session.vault.read_blob(original.sha256) == before


def test_an_iphone_heic_photo_can_be_redacted(qtbot: Any, vault: Vault,
                                              runner: TaskRunner) -> None:
    # Qt has no HEIC reader here: the dialog must still open the photo (through Pillow)
    # and the copy must black out exactly the box drawn on the stored pixels.
    pillow_heif = pytest.importorskip("pillow_heif")
    photo = Image.new("RGB", (640, 480), (200, 170, 120))
    encoded = io.BytesIO()
    pillow_heif.from_pillow(photo).save(encoded, quality=95)
    item = vault.add_item(NewItem(data=encoded.getvalue(), name="IMG_0042.HEIC",
                                  media_type="image/heic", description="A phone photo"))
    image = decode_original(vault.read_blob(item.sha256))
    assert not image.isNull() and (image.width(), image.height()) == (640, 480)

    dialog = _dialog(qtbot, vault, runner, item)
    _drag(qtbot, dialog, QPointF(100, 100), QPointF(300, 200))
    qtbot.keyClicks(dialog.reason, "a pupil's face")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.created is not None, timeout=20_000)
    created = dialog.created
    assert created is not None
    redacted = Image.open(io.BytesIO(vault.read_blob(created.sha256))).convert("RGB")
    assert redacted.size == (640, 480)
    assert redacted.getpixel((200, 150)) == (0, 0, 0)
    assert redacted.getpixel((500, 400)) != (0, 0, 0)
