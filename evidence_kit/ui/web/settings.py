"""The web browser's part of Settings: stay logged in between sessions, or not."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from evidence_kit.ui.web.profile import KEEP_LOGINS_WARNING, delete_logins, profile_folder


class WebBrowserSettings(QWidget):
    def __init__(self, keep_logins: bool, parent: QWidget | None = None,
                 folder: Path | None = None) -> None:
        super().__init__(parent)
        self.folder = folder or profile_folder()
        self.keep = QCheckBox("The web browser: stay &logged in between sessions", self)
        self.keep.setChecked(keep_logins)
        self.warning = QLabel(KEEP_LOGINS_WARNING.format(folder=self.folder), self)
        self.warning.setWordWrap(True)
        self.warning.setProperty("warning", True)
        self.note = QLabel("A change takes effect the next time the web browser opens.", self)
        self.note.setProperty("hint", True)
        self.delete_button = QPushButton("&Delete the web browser's logins…", self)
        self.delete_button.setEnabled(self.folder.exists())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        for widget in (self.keep, self.warning, self.note, self.delete_button):
            layout.addWidget(widget)
        self.delete_button.clicked.connect(self.delete)

    def delete(self) -> None:
        answer = QMessageBox.question(
            self, "Delete the web browser's logins?",
            f"Everything the web browser kept in {self.folder} (logins, cookies, what "
            "sites stored) is deleted. Your evidence in the vault is not touched.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            gone = delete_logins(self.folder)
        except OSError as exc:
            QMessageBox.warning(self, "Not deleted", f"{self.folder} could not be deleted: "
                                f"{exc.strerror or exc}. Close the web browser and try again.")
            return
        self.delete_button.setEnabled(False)
        QMessageBox.information(self, "Deleted", "The web browser's logins are deleted."
                                if gone else "The web browser had kept no logins.")
