"""One item: the evidence itself (zoom and pan for images), every recorded detail, its
fingerprint, its notes and its history. Layout only; the workspace controller acts.

Over 400 lines on purpose: one widget's layout (the zoomable image and the
detail, note and history panes), with no logic to move out.
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut, QWheelEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit import wording
from evidence_kit.core.model import Event, Item, Note
from evidence_kit.ui import keyboard, text
from evidence_kit.ui.preview import Preview

MIN_ZOOM = 0.05
MAX_ZOOM = 16.0
STEP = 1.25


class ImageView(QGraphicsView):
    """The image at full resolution; zoom with Ctrl+wheel, +/−, and pan by dragging."""

    zoomChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self._item: QGraphicsPixmapItem | None = None
        self._zoom = 1.0
        self._fit = True
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setAccessibleName("Evidence image")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(Qt.GlobalColor.darkGray)

    def set_image(self, image: QImage) -> None:
        self.scene().clear()
        self._item = self.scene().addPixmap(QPixmap.fromImage(image))
        self.scene().setSceneRect(QRectF(image.rect()))
        self.fit()

    def clear(self) -> None:
        self.scene().clear()
        self._item = None

    @property
    def zoom(self) -> float:
        return self._zoom

    @property
    def image_size(self) -> tuple[int, int]:
        if self._item is None:
            return (0, 0)
        size = self._item.pixmap().size()
        return (size.width(), size.height())

    def set_zoom(self, factor: float) -> None:
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        self._fit = False
        self.resetTransform()
        self.scale(factor, factor)
        self._zoom = factor
        self.zoomChanged.emit(factor)

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom * STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom / STEP)

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def fit(self) -> None:
        if self._item is None:
            return
        rect = self.scene().sceneRect()
        view = self.viewport().rect()
        if rect.isEmpty() or view.isEmpty():
            return
        factor = min(view.width() / rect.width(), view.height() / rect.height(), 1.0)
        self.set_zoom(factor)
        self._fit = True

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self._fit:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.angleDelta().y() > 0:
                self.zoom_in()
            elif event.angleDelta().y() < 0:
                self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)


def _value(textvalue: str, parent: QWidget, mono: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(textvalue)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    if mono:
        label.setProperty("mono", True)
    return label


_SHOWN_DETAILS = {"file_modified_reported", "name_bytes_hex", "original_path", "kind"}
_DETAIL_HEADINGS = {
    "capture": "How it was captured",
    "context": "Where and when (device clock)",
    "reported_by_file": "What the file says about itself (not checked)",
    "notes": "Noticed on import",
}


def _detail_lines(value: object, depth: int) -> list[str]:
    """Nested recorded details as indented "label: value" lines."""
    pad = "    " * depth
    if isinstance(value, dict):
        lines: list[str] = []
        for key, inner in value.items():
            if inner in (None, "", {}, []):
                continue
            label = str(key).replace("_", " ")
            if isinstance(inner, dict):
                lines.append(f"{pad}{label}:")
                lines.extend(_detail_lines(inner, depth + 1))
            else:
                lines.append(f"{pad}{label}: {_flat(inner)}")
        return lines
    if isinstance(value, list):
        return [f"{pad}• {_flat(v)}" for v in value]
    return [f"{pad}{value}"]


def _flat(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_flat(v)}" for k, v in value.items()
                         if v not in (None, "", {}, []))
    return str(value)


class ItemViewer(QWidget):
    back = Signal()
    add_note = Signal(str)
    edit_details = Signal()
    move_item = Signal()
    save_copy = Signal()
    redact = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item: Item | None = None

        self.back_button = QPushButton("← &Back to the list", self)
        self.back_button.setAccessibleName("Back to the list")
        self.title = QLabel(self)
        self.title.setProperty("subheading", True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)

        # ---- the evidence
        self.image = ImageView(self)
        self.zoom_out_button = QToolButton(self)
        self.zoom_out_button.setText("−")
        self.zoom_out_button.setAccessibleName("Zoom out")
        self.zoom_out_button.setToolTip("Zoom out (Ctrl+−)")
        self.zoom_in_button = QToolButton(self)
        self.zoom_in_button.setText("+")
        self.zoom_in_button.setAccessibleName("Zoom in")
        self.zoom_in_button.setToolTip("Zoom in (Ctrl++)")
        self.fit_button = QToolButton(self)
        self.fit_button.setText("Fit")
        self.fit_button.setAccessibleName("Fit to window")
        self.fit_button.setToolTip("Fit to window (Ctrl+0)")
        self.actual_button = QToolButton(self)
        self.actual_button.setText("100%")
        self.actual_button.setAccessibleName("Actual size")
        self.actual_button.setToolTip("Actual size (Ctrl+1)")
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(60)
        self.zoom_label.setAccessibleName("Zoom level")
        self.redact_button = QPushButton("&Redact…", self)
        self.redact_button.setToolTip("Black out names, faces or addresses of other people in "
                                      "a copy; the original never changes")
        zoom_row = QHBoxLayout()
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button,
                       self.actual_button, self.zoom_label):
            zoom_row.addWidget(widget)
        zoom_row.addStretch(1)
        zoom_row.addWidget(self.redact_button)
        image_page = QWidget(self)
        image_layout = QVBoxLayout(image_page)
        image_layout.setContentsMargins(0, 0, 0, 0)
        image_layout.addLayout(zoom_row)
        image_layout.addWidget(self.image, 1)

        self.text_preview = QPlainTextEdit(self)
        self.text_preview.setReadOnly(True)
        self.text_preview.setAccessibleName("Contents")
        self.text_note = QLabel(self)
        self.text_note.setWordWrap(True)
        self.text_note.setProperty("hint", True)
        text_page = QWidget(self)
        text_layout = QVBoxLayout(text_page)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.addWidget(self.text_note)
        text_layout.addWidget(self.text_preview, 1)

        self.no_preview = QLabel(self)
        self.no_preview.setWordWrap(True)
        self.no_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_preview.setMargin(24)
        self.preview = QStackedWidget(self)
        self.preview.addWidget(image_page)
        self.preview.addWidget(text_page)
        self.preview.addWidget(self.no_preview)

        # ---- details, notes, history
        self.details_box = QWidget(self)
        self.details = QFormLayout(self.details_box)
        self.details.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.details.setVerticalSpacing(4)
        self.details.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        details_scroll = QScrollArea(self)
        details_scroll.setWidgetResizable(True)
        details_scroll.setWidget(self.details_box)
        details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        details_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.edit_button = QPushButton("&Edit details…", self)
        self.move_button = QPushButton("&Move to incident…", self)
        self.save_button = QPushButton("Save a &copy…", self)
        self.save_button.setToolTip("Write the original file, exactly as kept, to a place "
                                    "you choose (recorded in the item's history)")
        detail_buttons = QHBoxLayout()
        detail_buttons.addWidget(self.edit_button)
        detail_buttons.addWidget(self.move_button)
        detail_buttons.addWidget(self.save_button)
        detail_buttons.addStretch(1)
        details_page = QWidget(self)
        details_layout = QVBoxLayout(details_page)
        details_layout.addWidget(details_scroll, 1)
        details_layout.addLayout(detail_buttons)

        self.notes = QListWidget(self)
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("Notes")
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setAccessibleName("New note")
        self.note_edit.setPlaceholderText("Write a note about this item: what happened, "
                                          "who you told… (" + keyboard.hint("adds it") + ")")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(110)
        self.note_button = QPushButton("&Add note", self)
        self.note_button.setEnabled(False)
        note_hint = QLabel("Notes are added to the record; the evidence itself never "
                           "changes.", self)
        note_hint.setWordWrap(True)
        note_hint.setProperty("hint", True)
        notes_page = QWidget(self)
        notes_layout = QVBoxLayout(notes_page)
        notes_layout.addWidget(self.notes, 1)
        notes_layout.addWidget(self.note_edit)
        note_row = QHBoxLayout()
        note_row.addWidget(note_hint, 1)
        note_row.addWidget(self.note_button)
        notes_layout.addLayout(note_row)

        self.history = QListWidget(self)
        self.history.setWordWrap(True)
        self.history.setAccessibleName("History")
        history_page = QWidget(self)
        history_layout = QVBoxLayout(history_page)
        history_hint = QLabel("Everything recorded about this item, oldest first. Each "
                              "entry is part of the vault's tamper-evident journal.", self)
        history_hint.setWordWrap(True)
        history_hint.setProperty("hint", True)
        history_layout.addWidget(history_hint)
        history_layout.addWidget(self.history, 1)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(details_page, "&Details")
        self.tabs.addTab(notes_page, "No&tes")
        self.tabs.addTab(history_page, "Histor&y")
        from evidence_kit.ui.read_text_panel import ReadTextPanel

        self.read_text = ReadTextPanel(self)
        self.tabs.addTab(self.read_text, "Te&xt")

        self.splitter = QSplitter(self)
        self.splitter.addWidget(self.preview)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([560, 440])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self.back_button.clicked.connect(self.back)
        self.zoom_in_button.clicked.connect(self.image.zoom_in)
        self.zoom_out_button.clicked.connect(self.image.zoom_out)
        self.fit_button.clicked.connect(self.image.fit)
        self.actual_button.clicked.connect(self.image.actual_size)
        self.image.zoomChanged.connect(lambda z: self.zoom_label.setText(f"{z * 100:.0f}%"))
        self.edit_button.clicked.connect(self.edit_details)
        self.move_button.clicked.connect(self.move_item)
        self.save_button.clicked.connect(self.save_copy)
        self.redact_button.clicked.connect(self.redact)
        self.note_edit.textChanged.connect(
            lambda: self.note_button.setEnabled(bool(self.note_edit.toPlainText().strip())))
        self.note_button.clicked.connect(self._submit_note)
        for keys, slot in ((QKeySequence.StandardKey.ZoomIn, self.image.zoom_in),
                           (QKeySequence.StandardKey.ZoomOut, self.image.zoom_out),
                           (QKeySequence("Ctrl+="), self.image.zoom_in),
                           (QKeySequence("Ctrl+0"), self.image.fit),
                           (QKeySequence("Ctrl+1"), self.image.actual_size),
                           (QKeySequence("Esc"), self.back.emit),
                           (QKeySequence("Alt+Left"), self.back.emit)):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        keyboard.on_ctrl_enter(self.note_edit, self._submit_note)

    def _submit_note(self) -> None:
        note = self.note_edit.toPlainText().strip()
        if note:
            self.add_note.emit(note)

    def note_added(self) -> None:
        self.note_edit.clear()

    # ---- filling -------------------------------------------------------------------

    def show_item(self, item: Item, preview: Preview, image: QImage | None,
                  incident_title: str, category_label: str) -> None:
        self.item = item
        self.title.setText(text.summary_of(item))
        if preview.kind == "image" and image is not None and not image.isNull():
            self.image.set_image(image)
            self.preview.setCurrentIndex(0)
        elif preview.kind in ("text", "email"):
            self.text_preview.setPlainText(preview.text)
            self.text_note.setText(preview.note)
            self.text_note.setVisible(bool(preview.note))
            self.preview.setCurrentIndex(1)
        else:
            note = preview.note
            if item.withdrawn:
                note = "This item was withdrawn: its content was removed from the vault. " \
                       "Its record and fingerprint remain."
            elif preview.kind == "image":
                note = "This image could not be shown."
            self.no_preview.setText(note)
            self.preview.setCurrentIndex(2)
        self.edit_button.setEnabled(not item.withdrawn)
        self.save_button.setEnabled(not item.withdrawn)
        self._fill_details(item, incident_title, category_label)

    def _fill_details(self, item: Item, incident_title: str, category_label: str) -> None:
        while self.details.rowCount():
            self.details.removeRow(0)
        rows: list[tuple[str, str, bool]] = [
            ("What it shows", item.description or "(not described yet)", False),
            ("Web address", item.url or "", False),
            ("Platform", item.platform or "", False),
            ("Account", item.account or "", False),
            ("Category", category_label, False),
            ("Incident", incident_title, False),
            ("Recorded (device time)", text.item_time_long(item), False),
            *([("When it was posted (as shown on the page)",
                wording.posted_words(item.posted_at), False)] if item.posted_at else []),
            ("Recorded (UTC)", item.recorded_at, True),
            ("How", text.how_text(item), False),
            ("File name", item.original_name, False),
            ("Type", f"{text.kind_text(item)} ({item.media_type})", False),
            ("Size", f"{text.size_text(item.size)} ({item.size:,} bytes)", False),
            ("SHA-256 fingerprint", item.sha256, True),
        ]
        modified = item.details.get("file_modified_reported")
        if modified:
            rows.append(("File's date on the disk it came from",
                         text.local_time_long(modified), False))
        if item.details.get("original_path"):
            rows.append(("Imported from", str(item.details["original_path"]), False))
        for label, value, mono in rows:
            if value:
                name = QLabel(f"{label}:", self.details_box)
                name.setProperty("fieldName", True)
                self.details.addRow(name, _value(value, self.details_box, mono))
        for key, value in item.details.items():
            if key in _SHOWN_DETAILS or value in (None, "", {}, []):
                continue
            heading = QLabel(_DETAIL_HEADINGS.get(key, key.replace("_", " ").capitalize()),
                             self.details_box)
            heading.setProperty("section", True)
            heading.setWordWrap(True)
            self.details.addRow(heading)
            self.details.addRow(_value("\n".join(_detail_lines(value, 0)), self.details_box))

    def show_notes(self, notes: list[Note]) -> None:
        self.notes.clear()
        for note in notes:
            self.notes.addItem(f"{text.local_time(note.recorded_at)}\n{note.text}")
        if not notes:
            self.notes.addItem("No notes yet.")
        self.tabs.setTabText(1, f"No&tes ({len(notes)})")

    def show_history(self, events: list[Event], incidents: dict[int, str],
                     unpublished: Collection[int] = ()) -> None:
        self.history.clear()
        for event in events:
            self.history.addItem(f"{text.local_time(event.recorded_at)} · event {event.seq}\n"
                                 f"{text.event_text(event, incidents, unpublished)}")

    def release(self) -> None:
        """Drop the decrypted picture and text now, before this widget is deleted."""
        self.image.clear()
        self.text_preview.clear()
        self.read_text.release()
        self.item = None
