"""The recovery code a key rotation made, shown this once (layout only)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


class NewRecoveryCodeDialog(QDialog):
    """The recovery code made by a key rotation, shown this once."""

    print_code = Signal()
    save_code = Signal()

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your new recovery code")
        intro = _wrapped("Your new passphrase is set and the vault is re-encrypted under a "
                         "new key: no earlier copy of vault.keys opens it. Here is your new "
                         "recovery code; the old one no longer works. Write it down, or "
                         "print it, and keep it away from this computer.", self)
        self.code = QLabel(code, self)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.code.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setFamily("monospace")
        self.code.setFont(font)
        self.buttons = QDialogButtonBox(self)
        printing = self.buttons.addButton("&Print…", QDialogButtonBox.ButtonRole.ActionRole)
        saving = self.buttons.addButton("&Save to a file…",
                                        QDialogButtonBox.ButtonRole.ActionRole)
        self.done_button = self.buttons.addButton("I have &written it down",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        printing.clicked.connect(self.print_code)
        saving.clicked.connect(self.save_code)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.code)
        layout.addWidget(self.buttons)



def _wrapped(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
