"""The viewer's "Text" tab: the words software read from the picture, with Copy."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.core.model import Item
from evidence_kit.core.texts import ReadText
from evidence_kit.ui import text

CAVEAT = "Text read from the picture by software; it may contain errors."


class ReadTextPanel(QWidget):
    read_now = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caveat = QLabel(CAVEAT, self)
        self.caveat.setWordWrap(True)
        self.caveat.setProperty("hint", True)
        self.alike = QLabel(self)
        self.alike.setWordWrap(True)
        self.alike.setVisible(False)
        self.words = QPlainTextEdit(self)
        self.words.setReadOnly(True)
        self.words.setAccessibleName("Text read from the picture")
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.copy_button = QPushButton("C&opy the text", self)
        self.copy_button.setToolTip("Copy the text read from the picture to the clipboard")
        self.read_button = QPushButton("Read the text &now", self)
        self.read_button.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.read_button)
        buttons.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caveat)
        layout.addWidget(self.alike)
        layout.addWidget(self.words, 1)
        layout.addLayout(buttons)
        self.copy_button.clicked.connect(self.copy)
        self.read_button.clicked.connect(self.read_now)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.words.toPlainText())
        self.state.setText("Copied.")

    def show_for(self, item: Item, found: ReadText | None, unavailable: str | None,
                 alike: str | None = None) -> None:
        self.alike.setText(alike or "")
        self.alike.setVisible(bool(alike))
        is_picture = item.media_type.startswith("image/") and not item.withdrawn
        self.words.setPlainText(found.text if found is not None else "")
        self.copy_button.setEnabled(bool(found is not None and found.text))
        self.read_button.setVisible(is_picture and found is None and unavailable is None)
        self.read_button.setEnabled(True)
        if found is not None:
            langs = ", ".join(found.languages)
            self.state.setText(
                f"Read with {found.engine} ({langs}), "
                 f"{text.local_time(found.recorded_at)}."
                 if found.text else "No text was found in this picture.")
        elif not is_picture:
            self.state.setText("Only pictures have their text read.")
        elif unavailable is not None:
            self.state.setText(unavailable)
        else:
            self.state.setText("The text of this picture has not been read yet; it is read "
                               "in the background after each capture or import.")

    def reading(self) -> None:
        self.read_button.setEnabled(False)
        self.state.setText("Reading the text…")

    def release(self) -> None:
        self.words.clear()
