"""The locked screen, the welcome screen, and the recovery-code dialog (layout only)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.passphrase import NewPassphraseForm, PassphraseField


def _card(parent: QWidget) -> tuple[QWidget, QVBoxLayout]:
    """A centred column of limited width, so text stays readable on wide windows."""
    outer = QVBoxLayout(parent)
    outer.addStretch(1)
    row = QHBoxLayout()
    row.addStretch(1)
    card = QFrame(parent)
    card.setProperty("card", True)
    card.setMaximumWidth(560)
    inner = QVBoxLayout(card)
    inner.setContentsMargins(28, 24, 28, 24)
    inner.setSpacing(12)
    row.addWidget(card, 4)
    row.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)
    return card, inner


def _check_pack_link(parent: QWidget) -> QPushButton:
    """For someone who was given a pack: checking it needs no vault."""
    link = QPushButton("Someone gave you an evidence pack? &Check it…", parent)
    link.setFlat(True)
    link.setProperty("link", True)
    link.setCursor(Qt.CursorShape.PointingHandCursor)
    link.setAutoDefault(False)
    return link


class UnlockView(QWidget):
    """One field and Enter to open; the recovery code is one click away."""

    unlock_requested = Signal(str)
    recovery_requested = Signal()
    discard_pending = Signal()
    check_pack_requested = Signal()

    def __init__(self, folder_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _card_widget, inner = _card(self)
        heading = QLabel("Evidence Kit is locked", self)
        heading.setProperty("heading", True)
        heading.setAccessibleName("Evidence Kit is locked")
        intro = QLabel("Type your passphrase to open your evidence.", self)
        intro.setWordWrap(True)
        self.intro = intro
        self.passphrase = PassphraseField("Passphrase", self)
        label = QLabel("&Passphrase:", self)
        label.setBuddy(self.passphrase.edit)
        self.unlock_button = QPushButton("&Unlock", self)
        self.unlock_button.setDefault(True)
        self.unlock_button.setAccessibleName("Unlock")
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(8)
        self.busy.setTextVisible(False)
        self.busy.setVisible(False)
        self.busy.setAccessibleName("Unlocking")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setProperty("error", True)
        self.message.setAccessibleName("Message")
        self.recovery_button = QPushButton("I forgot my passphrase: use my &recovery code", self)
        self.recovery_button.setFlat(True)
        self.recovery_button.setProperty("link", True)
        self.recovery_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.folder = QLabel(folder_text, self)
        self.folder.setWordWrap(True)
        self.folder.setProperty("hint", True)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pending = QLabel(
            "<b>A capture is waiting.</b> It is held in memory only. Unlock to keep it in "
            "the vault; if you discard it, nothing of it is stored.", self)
        self.pending.setWordWrap(True)
        self.pending.setProperty("warning", True)
        self.pending.setAccessibleName("A capture is waiting")
        self.discard_button = QPushButton("&Discard the capture", self)
        self.discard_button.setAutoDefault(False)
        pending_row = QHBoxLayout()
        pending_row.addWidget(self.pending, 1)
        pending_row.addWidget(self.discard_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.pending.setVisible(False)
        self.discard_button.setVisible(False)

        field_row = QHBoxLayout()
        field_row.addWidget(self.passphrase, 1)
        field_row.addWidget(self.unlock_button)
        inner.addWidget(heading)
        inner.addLayout(pending_row)
        inner.addWidget(intro)
        inner.addWidget(label)
        inner.addLayout(field_row)
        inner.addWidget(self.busy)
        inner.addWidget(self.message)
        inner.addWidget(self.recovery_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.check_pack_button = _check_pack_link(self)
        self.check_pack_button.clicked.connect(self.check_pack_requested)
        inner.addWidget(self.check_pack_button, 0, Qt.AlignmentFlag.AlignLeft)
        inner.addWidget(self.folder)

        self.setTabOrder(self.passphrase.edit, self.unlock_button)
        self.setTabOrder(self.unlock_button, self.passphrase.toggle)
        self.setTabOrder(self.passphrase.toggle, self.recovery_button)
        self.setFocusProxy(self.passphrase)
        self.passphrase.returnPressed.connect(self._submit)
        self.unlock_button.clicked.connect(self._submit)
        self.recovery_button.clicked.connect(self.recovery_requested)
        self.discard_button.clicked.connect(self.discard_pending)

    def show_pending(self, waiting: bool) -> None:
        self.intro.setText("Type your passphrase to keep the capture." if waiting else
                           "Type your passphrase to open your evidence.")
        self.pending.setVisible(waiting)
        self.discard_button.setVisible(waiting)

    def _submit(self) -> None:
        text = self.passphrase.text()
        if not text:
            self.show_error("Type your passphrase first.")
            return
        self.unlock_requested.emit(text)

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.recovery_button.setEnabled(not busy)
        if busy:
            self.message.clear()

    def _say(self, text: str, error: bool) -> None:
        self.message.setProperty("error", error)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)

    def show_error(self, text: str) -> None:
        self._say(text, True)
        self.passphrase.edit.selectAll()
        self.passphrase.setFocus()

    def show_info(self, text: str) -> None:
        self._say(text, False)

    def reset(self) -> None:
        self.set_busy(False)
        self.passphrase.clear()
        self.passphrase.setFocus()


class WelcomeView(QWidget):
    """Shown when there is no vault yet at the chosen place."""

    create_requested = Signal()
    open_other_requested = Signal()
    check_pack_requested = Signal()

    def __init__(self, folder_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _card_widget, inner = _card(self)
        heading = QLabel("Welcome to Evidence Kit", self)
        heading.setProperty("heading", True)
        text = QLabel(
            "Evidence Kit keeps screenshots, files and notes about online abuse in an "
            "encrypted vault on this computer. Every change is recorded so that, later, "
            "your school, the police or the LADO can check nothing was altered.<br><br>"
            "Nothing leaves this computer unless you export it.", self)
        text.setWordWrap(True)
        self.create_button = QPushButton("&Set up my vault", self)
        self.create_button.setDefault(True)
        self.open_button = QPushButton("I already have a vault: &open its folder…", self)
        self.open_button.setFlat(True)
        self.open_button.setProperty("link", True)
        self.folder = QLabel(folder_text, self)
        self.folder.setWordWrap(True)
        self.folder.setProperty("hint", True)
        inner.addWidget(heading)
        inner.addWidget(text)
        inner.addSpacing(8)
        inner.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignLeft)
        inner.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.check_pack_button = _check_pack_link(self)
        self.check_pack_button.clicked.connect(self.check_pack_requested)
        inner.addWidget(self.check_pack_button, 0, Qt.AlignmentFlag.AlignLeft)
        inner.addWidget(self.folder)
        self.setFocusProxy(self.create_button)
        self.create_button.clicked.connect(self.create_requested)
        self.open_button.clicked.connect(self.open_other_requested)


class RecoveryDialog(QDialog):
    """Recovery code plus a new passphrase. The controller does the unlocking."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Use your recovery code")
        self.setMinimumWidth(560)
        intro = QLabel(
            "Type the recovery code you wrote down when you set up Evidence Kit (dashes and "
            "spaces do not matter), then choose a new passphrase. The recovery code keeps "
            "working afterwards.", self)
        intro.setWordWrap(True)
        self.code = QLineEdit(self)
        self.code.setAccessibleName("Recovery code")
        self.code.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        self.code.setMinimumWidth(320)
        code_label = QLabel("Recovery &code:", self)
        code_label.setBuddy(self.code)
        self.new_passphrase = NewPassphraseForm(self, "New passphrase")
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.setTextVisible(False)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setProperty("error", True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Open with the recovery code")
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(code_label, self.code)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.new_passphrase)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.code.textChanged.connect(self._update)
        self.new_passphrase.validityChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.code.text().strip()) and self.new_passphrase.valid)

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.code.setEnabled(not busy)
        self.new_passphrase.setEnabled(not busy)
        self.ok_button.setEnabled(not busy)
        if busy:
            self.message.clear()

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self._update()
        self.message.setText(text)
