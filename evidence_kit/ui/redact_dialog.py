"""Redacting an image exhibit: black boxes drawn with the mouse over the original.

The original is shown at full resolution (one scene unit is one pixel of the file, so a
box drawn at any zoom is a box of whole pixels: every pixel it touches is covered).
Saving makes a redacted copy through :func:`evidence_kit.export.redact.redact_item`, off
the UI thread; the copy is a new item whose record names the original, and the
original's bytes never change.

Over 400 lines on purpose: the dialog and the canvas the boxes are drawn on belong
together; the redaction itself is in the export package.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QImageReader,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGraphicsRectItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.core import media
from evidence_kit.core.model import Item
from evidence_kit.core.vault import Vault
from evidence_kit.export.pack import DERIVATION_KEY
from evidence_kit.export.redact import MAX_BOXES, Box, redact_item
from evidence_kit.ui.messages import describe, show_error
from evidence_kit.ui.style import fit_to_screen
from evidence_kit.ui.tasks import TaskHandle, TaskRunner
from evidence_kit.ui.viewer import ImageView

MIN_SIDE = 2  # pixels: a click without a drag is not a box


def can_redact(item: Item) -> bool:
    """Image items that are not withdrawn and not themselves redacted copies."""
    return (item.media_type.startswith("image/") and not item.withdrawn
            and not (isinstance(item.details, dict) and DERIVATION_KEY in item.details))


def decode_original(data: bytes) -> QImage:
    """The file's pixels as stored, not turned by its EXIF orientation: the boxes are
    in the pixels the redaction paints, which are the stored ones."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    reader = QImageReader(buffer)
    reader.setAutoTransform(False)
    reader.setAllocationLimit(0)
    image = reader.read()
    if image.isNull():
        image = _stored_pixels_with_pillow(data)
    return image


def _stored_pixels_with_pillow(data: bytes) -> QImage:
    # Qt has no HEIC reader here; an iPhone photo is decoded by Pillow (pillow-heif),
    # in memory, and, like the Qt path, not turned by its orientation.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with media.open_image(data) as opened:
                if opened.width * opened.height > media.MAX_IMAGE_PIXELS:
                    return QImage()
                rgba = opened.convert("RGBA")
    except (OSError, ValueError, Image.DecompressionBombError):
        return QImage()
    raw = rgba.tobytes()
    return QImage(raw, rgba.width, rgba.height, rgba.width * 4,
                  QImage.Format.Format_RGBA8888).copy()


def box_for(rect: QRectF, width: int, height: int) -> Box | None:
    """Every whole pixel the rectangle (in image coordinates) touches, inside the image."""
    left = max(0, math.floor(rect.left()))
    top = max(0, math.floor(rect.top()))
    right = min(width, math.ceil(rect.right()))
    bottom = min(height, math.ceil(rect.bottom()))
    if right - left < MIN_SIDE or bottom - top < MIN_SIDE:
        return None
    return Box(left, top, right - left, bottom - top)


class RedactCanvas(ImageView):
    """The image; drag with the left button to draw a box. Scroll, or drag with the
    middle button (or with Space held), to move around; Ctrl+wheel zooms."""

    box_drawn = Signal(QRectF)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName("The original image: drag to draw a box")
        self._start: QPointF | None = None
        self._band: QGraphicsRectItem | None = None
        self._pan_from: QPoint | None = None
        self._space = False

    def _scene_point(self, event: QMouseEvent) -> QPointF:
        point = self.mapToScene(event.position().toPoint())
        rect = self.sceneRect()
        return QPointF(min(max(point.x(), rect.left()), rect.right()),
                       min(max(point.y(), rect.top()), rect.bottom()))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        panning = (event.button() == Qt.MouseButton.MiddleButton
                   or (event.button() == Qt.MouseButton.LeftButton and self._space))
        if panning:
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton and self.image_size != (0, 0):
            self._start = self._scene_point(event)
            pen = QPen(QColor("#d32f2f"))
            pen.setCosmetic(True)
            pen.setWidth(2)
            pen.setStyle(Qt.PenStyle.DashLine)
            self._band = self.scene().addRect(QRectF(self._start, self._start), pen,
                                              QBrush(QColor(0, 0, 0, 150)))
            self._band.setZValue(10)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position().toPoint() - self._pan_from
            self._pan_from = event.position().toPoint()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        if self._start is not None and self._band is not None:
            self._band.setRect(QRectF(self._start, self._scene_point(event)).normalized())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().setCursor(Qt.CursorShape.CrossCursor)
            event.accept()
            return
        if self._start is not None and event.button() == Qt.MouseButton.LeftButton:
            rect = QRectF(self._start, self._scene_point(event)).normalized()
            if self._band is not None:
                self.scene().removeItem(self._band)
            self._start, self._band = None, None
            self.box_drawn.emit(rect)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().setCursor(Qt.CursorShape.CrossCursor)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def add_box(self, box: Box) -> QGraphicsRectItem:
        shown = self.scene().addRect(QRectF(box.left, box.top, box.width, box.height),
                                     QPen(Qt.PenStyle.NoPen), QBrush(Qt.GlobalColor.black))
        shown.setZValue(5)
        return shown


class RedactDialog(QDialog):
    """Draw boxes, give a reason, save a redacted copy."""

    def __init__(self, vault: Vault, tasks: TaskRunner, item: Item, image: QImage,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Redact: hide parts of this image in a copy")
        self.vault = vault
        self.tasks = tasks
        self.item = item
        self.boxes: list[Box] = []
        self._shown: list[QGraphicsRectItem] = []
        self.created: Item | None = None
        self._handle: TaskHandle | None = None
        self.image_width, self.image_height = image.width(), image.height()

        how = QLabel("Drag over each name, face, address or anything else that identifies "
                     "someone who is not part of this. Scroll or drag with the middle "
                     "button (or hold Space) to move around; Ctrl+wheel zooms.", self)
        how.setWordWrap(True)
        self.canvas = RedactCanvas(self)
        self.canvas.set_image(image)
        self.zoom_out_button = QToolButton(self)
        self.zoom_out_button.setText("−")
        self.zoom_out_button.setToolTip("Zoom out (Ctrl+−)")
        self.zoom_out_button.setAccessibleName("Zoom out")
        self.zoom_in_button = QToolButton(self)
        self.zoom_in_button.setText("+")
        self.zoom_in_button.setToolTip("Zoom in (Ctrl++)")
        self.zoom_in_button.setAccessibleName("Zoom in")
        self.fit_button = QToolButton(self)
        self.fit_button.setText("Fit")
        self.fit_button.setToolTip("Fit to the window (Ctrl+0)")
        self.actual_button = QToolButton(self)
        self.actual_button.setText("100%")
        self.actual_button.setToolTip("One screen pixel per image pixel (Ctrl+1)")
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(50)
        size = QLabel(f"{self.image_width:,} × {self.image_height:,} pixels", self)
        size.setProperty("hint", True)
        zoom_row = QHBoxLayout()
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button,
                       self.actual_button, self.zoom_label):
            zoom_row.addWidget(widget)
        zoom_row.addStretch(1)
        zoom_row.addWidget(size)
        left = QVBoxLayout()
        left.addWidget(how)
        left.addLayout(zoom_row)
        left.addWidget(self.canvas, 1)

        boxes_label = QLabel("&Boxes drawn:", self)
        self.box_list = QListWidget(self)
        self.box_list.setAccessibleName("Boxes drawn")
        boxes_label.setBuddy(self.box_list)
        self.undo_button = QPushButton("&Undo the last box", self)
        self.undo_button.setToolTip("Ctrl+Z")
        self.remove_button = QPushButton("Re&move the chosen box", self)
        self.remove_button.setToolTip("Delete")
        self.clear_button = QPushButton("Remove &all", self)
        reason_label = QLabel("&What the boxes hide, and why:", self)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("e.g. pupils' names and a parent's face")
        self.reason.setAccessibleName("What the boxes hide, and why")
        reason_label.setBuddy(self.reason)
        reason_hint = QLabel("Printed in the pack beside the redacted copy.", self)
        reason_hint.setWordWrap(True)
        reason_hint.setProperty("hint", True)
        keep = QLabel("The original is never changed. Saving adds a redacted copy, linked "
                      "to the original in the vault's record; packs show the copy and "
                      "print both fingerprints.", self)
        keep.setWordWrap(True)
        keep.setProperty("hint", True)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(8)
        self.busy.setTextVisible(False)
        self.busy.setVisible(False)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setProperty("error", True)
        self.message.setAccessibleName("Message")
        side = QVBoxLayout()
        side.addWidget(boxes_label)
        side.addWidget(self.box_list, 1)
        side.addWidget(self.undo_button)
        side.addWidget(self.remove_button)
        side.addWidget(self.clear_button)
        side.addSpacing(8)
        side.addWidget(reason_label)
        side.addWidget(self.reason)
        side.addWidget(reason_hint)
        side.addSpacing(8)
        side.addWidget(keep)
        side.addWidget(self.busy)
        side.addWidget(self.message)
        side_widget = QWidget(self)
        side_widget.setLayout(side)
        side_widget.setFixedWidth(270)
        self.side = side_widget

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save the redacted copy")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(side_widget)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)

        self.canvas.box_drawn.connect(self._drawn)
        self.canvas.zoomChanged.connect(lambda z: self.zoom_label.setText(f"{z * 100:.0f}%"))
        self.zoom_in_button.clicked.connect(self.canvas.zoom_in)
        self.zoom_out_button.clicked.connect(self.canvas.zoom_out)
        self.fit_button.clicked.connect(self.canvas.fit)
        self.actual_button.clicked.connect(self.canvas.actual_size)
        self.undo_button.clicked.connect(self.undo)
        self.remove_button.clicked.connect(self.remove_chosen)
        self.clear_button.clicked.connect(self.clear)
        self.box_list.currentRowChanged.connect(self._highlight)
        self.reason.textChanged.connect(self._update)
        for keys, slot in ((QKeySequence.StandardKey.Undo, self.undo),
                           (QKeySequence.StandardKey.ZoomIn, self.canvas.zoom_in),
                           (QKeySequence("Ctrl+="), self.canvas.zoom_in),
                           (QKeySequence.StandardKey.ZoomOut, self.canvas.zoom_out),
                           (QKeySequence("Ctrl+0"), self.canvas.fit),
                           (QKeySequence("Ctrl+1"), self.canvas.actual_size)):
            QShortcut(keys, self).activated.connect(slot)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.box_list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_chosen)
        self._update()
        fit_to_screen(self, 1180, 800)
        self.canvas.setFocus()

    # ---- boxes ---------------------------------------------------------------------

    def _drawn(self, rect: QRectF) -> None:
        box = box_for(rect, self.image_width, self.image_height)
        if box is None:
            return
        if len(self.boxes) >= MAX_BOXES:
            self.message.setText(f"At most {MAX_BOXES} boxes can be drawn on one image.")
            return
        self.add_box(box)

    def add_box(self, box: Box) -> None:
        self.boxes.append(box)
        self._shown.append(self.canvas.add_box(box))
        self.box_list.addItem(self._describe(len(self.boxes), box))
        self.message.clear()
        self._update()

    @staticmethod
    def _describe(number: int, box: Box) -> str:
        return (f"{number}. {box.width:,} × {box.height:,} px at "
                f"{box.left:,}, {box.top:,}")

    def _relist(self) -> None:
        self.box_list.clear()
        for number, box in enumerate(self.boxes, start=1):
            self.box_list.addItem(self._describe(number, box))
        self._update()

    def _remove(self, index: int) -> None:
        if not 0 <= index < len(self.boxes):
            return
        del self.boxes[index]
        self.canvas.scene().removeItem(self._shown.pop(index))
        self._relist()

    def undo(self) -> None:
        self._remove(len(self.boxes) - 1)

    def remove_chosen(self) -> None:
        self._remove(self.box_list.currentRow())

    def clear(self) -> None:
        while self.boxes:
            self._remove(len(self.boxes) - 1)

    def _highlight(self, row: int) -> None:
        for index, shown in enumerate(self._shown):
            if index == row:
                pen = QPen(QColor("#ffb300"))
                pen.setCosmetic(True)
                pen.setWidth(3)
                shown.setPen(pen)
                self.canvas.ensureVisible(shown)
            else:
                shown.setPen(QPen(Qt.PenStyle.NoPen))

    def _update(self) -> None:
        has_boxes = bool(self.boxes)
        idle = self._handle is None
        self.undo_button.setEnabled(has_boxes and idle)
        self.remove_button.setEnabled(has_boxes and idle)
        self.clear_button.setEnabled(has_boxes and idle)
        self.save_button.setEnabled(has_boxes and bool(self.reason.text().strip()) and idle)
        if idle and not self.message.text():
            self.save_button.setToolTip(
                "" if self.save_button.isEnabled() else
                "Draw at least one box and say what the boxes hide first.")

    # ---- saving --------------------------------------------------------------------

    def save(self) -> None:
        if not self.save_button.isEnabled() or self._handle is not None:
            return
        vault, item_id = self.vault, self.item.id
        boxes, reason = list(self.boxes), " ".join(self.reason.text().split())
        self.busy.setVisible(True)
        self.message.clear()
        self.canvas.setEnabled(False)
        self.side.setEnabled(False)
        self._handle = self.tasks.run(
            "redact", lambda _p: redact_item(vault, item_id, boxes, reason),
            on_done=self._saved, on_error=self._failed, writes=True, context=self)
        self._update()

    def _saved(self, created: Item) -> None:
        self._handle = None
        self.created = created
        self.busy.setVisible(False)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._handle = None
        self.busy.setVisible(False)
        self.canvas.setEnabled(True)
        self.side.setEnabled(True)
        message = describe(exc, "saving the redacted copy")
        self.message.setText(f"{message.title}. {message.full}")
        self._update()

    def reject(self) -> None:
        if self._handle is not None:
            return  # saving takes a moment and is never left half done
        super().reject()


def open_redact_dialog(vault: Vault, tasks: TaskRunner, item: Item, parent: QWidget,
                       on_saved: Callable[[Item], None]) -> RedactDialog | None:
    """Open the redaction dialog on an image item (window-modal; deletes itself).
    ``on_saved`` gets the new redacted copy."""
    if not can_redact(item):
        QMessageBox.information(parent, "Redact", "Only images can be redacted, and only "
                                "their originals (not a redacted copy).")
        return None
    try:
        data = vault.read_blob(item.sha256)
    except Exception as exc:
        show_error(parent, exc, "opening the image")
        return None
    image = decode_original(data)
    del data
    if image.isNull():
        QMessageBox.warning(parent, "Redact", "This image could not be shown, so it cannot "
                            "be redacted here.")
        return None
    dialog = RedactDialog(vault, tasks, item, image, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(result: int) -> None:
        if result == QDialog.DialogCode.Accepted and dialog.created is not None:
            on_saved(dialog.created)

    dialog.finished.connect(finished)
    dialog.open()
    return dialog
