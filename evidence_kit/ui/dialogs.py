"""Dialogs (layout only): item details, vault check, settings, passphrase change.

Just over 400 lines on purpose: the small dialogs of the vault menu (check, settings,
passphrase) share their layout helpers; each is a few dozen lines.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.core.errors import BadInput
from evidence_kit.core.model import Item
from evidence_kit.core.posted import check_posted_at
from evidence_kit.core.profile import Profile
from evidence_kit.ui import keyboard
from evidence_kit.ui.category_box import fill_categories
from evidence_kit.ui.messages import VerifyWords
from evidence_kit.ui.passphrase import NewPassphraseForm, PassphraseField
from evidence_kit.ui.profile_forms import ContactsEditor, ProfileForm, profile_from
from evidence_kit.ui.style import fit_to_screen


def _label(text: str, parent: QWidget, *, hint: bool = False, rich: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    if hint:
        label.setProperty("hint", True)
    return label


class EditDetailsDialog(QDialog):
    """What an item shows and where it came from. Saving adds an event."""

    def __init__(self, item: Item, categories: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit details")
        self.item = item
        self.description = QPlainTextEdit(item.description or "", self)
        self.description.setTabChangesFocus(True)
        self.description.setAccessibleName("What it shows")
        self.description.setMaximumHeight(100)
        self.description.setPlaceholderText("what the item shows (" + keyboard.hint("saves")
                                            + ")")
        keyboard.on_ctrl_enter(self, self.accept, whole_window=True)
        self.url = QLineEdit(item.url or "", self)
        self.url.setAccessibleName("Web address")
        self.url.setPlaceholderText("https://…")
        self.platform = QLineEdit(item.platform or "", self)
        self.platform.setAccessibleName("Platform")
        self.account = QLineEdit(item.account or "", self)
        self.account.setAccessibleName("Account")
        self.account.setPlaceholderText("the account or handle responsible, e.g. @name")
        self.posted_at = QLineEdit((item.posted_at or "").replace("T", " "), self)
        self.posted_at.setAccessibleName("When it was posted (as shown on the page)")
        self.posted_at.setPlaceholderText("the date the page shows, e.g. 2026-03-12 18:40")
        self.category = QComboBox(self)
        self.category.setAccessibleName("Category")
        known = {value for value, _label in categories}
        fill_categories(self.category, "(none)",
                        (item.category,) if item.category and item.category not in known
                        else ())
        self.category.setCurrentIndex(max(0, self.category.findData(item.category)))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for text, widget in (("What it s&hows:", self.description),
                             ("&Web address:", self.url), ("&Platform:", self.platform),
                             ("&Account:", self.account),
                             ("When it was pos&ted\n(as shown on the page):", self.posted_at),
                             ("&Category:", self.category)):
            buddy = QLabel(text, self)
            buddy.setBuddy(widget)
            form.addRow(buddy, widget)
        note = _label("The original file never changes. Your changes are recorded as a new "
                      "entry in the item's history.", self, hint=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        fit_to_screen(self, 560, self.sizeHint().height())

    def changes(self) -> dict[str, str | None]:
        """Only the fields the user changed."""
        now: dict[str, str | None] = {
            "description": self.description.toPlainText().strip() or None,
            "url": self.url.text().strip() or None,
            "platform": self.platform.text().strip() or None,
            "account": self.account.text().strip() or None,
            "category": self.category.currentData(),
        }
        found = {k: v for k, v in now.items() if v != getattr(self.item, k)}
        posted = self.posted_at.text().strip()
        try:
            same = (check_posted_at(posted) or None) == self.item.posted_at
        except BadInput:
            same = False  # saved as typed, so the vault's one-sentence refusal is shown
        if not same:
            found["posted_at"] = posted or None
        return found


class VerifyDialog(QDialog):
    """Progress while the vault is checked, then the result in words."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check the vault")
        self.intro = _label(
            "Evidence Kit is re-reading every recorded event and every stored file, and "
            "checking each fingerprint and signature. You can keep working meanwhile.", self)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Check progress")
        self.progress.setRange(0, 0)
        self.headline = QLabel(self)
        self.headline.setProperty("subheading", True)
        self.headline.setWordWrap(True)
        self.details = _label("", self)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.next_steps = _label("", self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.rejected.connect(self._cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.progress)
        layout.addWidget(self.headline)
        layout.addWidget(self.details)
        layout.addWidget(self.next_steps)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.finished_check = False
        fit_to_screen(self, 560, 300)

    def _cancel(self) -> None:
        if not self.finished_check:
            self.cancel_requested.emit()
        self.reject()

    def show_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def show_result(self, words: VerifyWords) -> None:
        self.finished_check = True
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.intro.setVisible(False)
        self.headline.setText(words.headline)
        self.headline.setProperty("ok", words.ok)
        self.headline.setProperty("error", not words.ok)
        self.headline.style().unpolish(self.headline)
        self.headline.style().polish(self.headline)
        self.details.setText(words.details)
        self.next_steps.setText(words.next_steps)
        self._close_button()

    def show_problem(self, headline: str, text: str) -> None:
        self.finished_check = True
        self.progress.setVisible(False)
        self.headline.setText(headline)
        self.details.setText(text)
        self._close_button()

    def _close_button(self) -> None:
        self.buttons.clear()
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        close.setFocus()


class ChangePassphraseDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change passphrase")
        self.current = PassphraseField("Current passphrase", self)
        current_label = QLabel("&Current passphrase:", self)
        current_label.setBuddy(self.current.edit)
        self.new = NewPassphraseForm(self, "New passphrase")
        note = _label("Your recovery code keeps working. Backups and copies of vault.keys "
                      "made before today still open with the old passphrase.", self, hint=True)
        self.rotate = QCheckBox("Also &re-encrypt the vault under a new key", self)
        rotate_note = _label(
            "Do this if someone may know the old passphrase: afterwards no earlier copy of "
            "vault.keys opens the vault. It takes a little longer and gives you a new "
            "recovery code to write down; the old code stops working.", self, hint=True)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setVisible(False)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.message = _label("", self)
        self.message.setProperty("error", True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("C&hange passphrase")
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(current_label, self.current)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.new)
        layout.addWidget(note)
        layout.addWidget(self.rotate)
        layout.addWidget(rotate_note)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.current.textChanged.connect(self._update)
        self.new.validityChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.current.text()) and self.new.valid)

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.current, self.new, self.ok_button, self.rotate):
            widget.setEnabled(not busy)
        if busy:
            self.message.clear()

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self._update()
        self.message.setText(text)


def _left(widget: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row


def _scrolling(widget: QWidget, parent: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


class SettingsDialog(QDialog):
    """Profile, contacts, auto-lock, vault location, passphrase and backup.

    Saving (profile, contacts, auto-lock, location) happens on OK; passphrase change and
    backup are actions of their own and happen when their buttons are pressed.
    """

    change_passphrase = Signal()
    backup = Signal()
    choose_location = Signal()

    def __init__(self, profile: Profile, autolock_minutes: int, vault_folder: Path,
                 default_folder: Path, fingerprint: str, parent: QWidget | None = None,
                 *, shortcut: str = "", shortcut_ok: bool = True,
                 shortcut_note: str = "", web_keep_logins: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.tabs = QTabWidget(self)

        # About you
        self.profile_form = ProfileForm(self)
        self.profile_form.set_profile(profile)
        about = QWidget(self)
        about_layout = QVBoxLayout(about)
        about_layout.addWidget(self.profile_form)
        about_layout.addStretch(1)
        self.tabs.addTab(_scrolling(about, self), "About &you")

        # Contacts
        self.contacts = ContactsEditor(self)
        self.contacts.set_contacts(profile.contacts)
        contacts_page = QWidget(self)
        contacts_layout = QVBoxLayout(contacts_page)
        contacts_layout.addWidget(_label("Whom your school's policy says to tell. Evidence "
                                         "packs use these.", self, hint=True))
        contacts_layout.addWidget(self.contacts, 1)
        self.tabs.addTab(contacts_page, "&Contacts")

        # Security
        self.autolock = QSpinBox(self)
        self.autolock.setRange(1, 240)
        # The suffix follows the number, so 1 reads "1 minute", not "1 minutes".
        self.autolock.valueChanged.connect(
            lambda n: self.autolock.setSuffix(" minute" if n == 1 else " minutes"))
        self.autolock.setSuffix(" minutes")
        self.autolock.setValue(autolock_minutes)
        self.autolock.setSuffix(" minute" if autolock_minutes == 1 else " minutes")
        self.autolock.setAccessibleName("Lock after minutes without use")
        self.passphrase_button = QPushButton("Change &passphrase…", self)
        security = QWidget(self)
        security_form = QFormLayout(security)
        security_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        lock_label = QLabel("&Lock after this long without use:", self)
        lock_label.setBuddy(self.autolock)
        security_form.addRow(lock_label, self.autolock)
        security_form.addRow("", _label(
            "Evidence Kit also locks when you press Ctrl+L, and when the screen locks or "
            "the computer goes to sleep (where the desktop tells it).", self, hint=True))
        security_form.addRow("Passphrase:", _left(self.passphrase_button))
        security_form.addRow("Key fingerprint:", _label(fingerprint, self))
        self.tabs.addTab(_scrolling(security, self), "S&ecurity")

        # Vault
        self.vault_folder = vault_folder
        self.location = _label(str(default_folder), self)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location_button = QPushButton("C&hoose…", self)
        self.backup_button = QPushButton("&Back up now…", self)
        location_row = QHBoxLayout()
        location_row.addWidget(self.location, 1)
        location_row.addWidget(self.location_button)
        storage = QWidget(self)
        storage_form = QFormLayout(storage)
        storage_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        storage_form.addRow("This vault:", _label(str(vault_folder), self))
        storage_form.addRow("Open at start:", location_row)
        storage_form.addRow("", _label(
            "The folder Evidence Kit opens when it starts. Changing it does not move this "
            "vault; to move it, make a backup to the new place and choose that.", self,
            hint=True))
        storage_form.addRow("Backup:", _left(self.backup_button))
        storage_form.addRow("", _label(
            "A backup is a complete encrypted copy in a new folder you choose (a USB stick "
            "is a good place). It opens with the same passphrase and recovery code.", self,
            hint=True))
        self.tabs.addTab(_scrolling(storage, self), "&Vault")

        # Capture
        self._shortcut_given = shortcut
        self.shortcut_on = QCheckBox("Capture with a keyboard shortcut that works in every "
                                     "app", self)
        self.shortcut_on.setChecked(bool(shortcut) and shortcut_ok)
        self.shortcut_on.setEnabled(shortcut_ok)
        self.shortcut = keyboard.ShortcutEdit(QKeySequence(shortcut or "Ctrl+Alt+Shift+E"), self)
        self.shortcut.setMaximumSequenceLength(1)
        self.shortcut.setClearButtonEnabled(True)
        self.shortcut.setAccessibleName("Capture shortcut")
        self.shortcut.setEnabled(shortcut_ok and bool(shortcut))
        self.shortcut_on.toggled.connect(self.shortcut.setEnabled)
        shortcut_label = QLabel("&Shortcut:", self)
        shortcut_label.setBuddy(self.shortcut)
        self.shortcut_note = _label(shortcut_note, self)
        self.shortcut_note.setProperty("hint" if shortcut_ok else "warning", True)
        self.shortcut_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.shortcut_note.setVisible(bool(shortcut_note))
        capture = QWidget(self)
        capture_form = QFormLayout(capture)
        capture_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        capture_form.addRow(self.shortcut_on)
        capture_form.addRow(shortcut_label, _left(self.shortcut))
        capture_form.addRow("", _label(
            "The shortcut freezes the screen so you can drag around what to keep (Enter "
            "keeps the whole screen). It works while Evidence Kit is locked too: the "
            "capture waits in memory until you unlock. Click the box and press the keys "
            "you want; use Ctrl, Alt or Shift with a letter.", self, hint=True))
        capture_form.addRow("", self.shortcut_note)
        from evidence_kit.ui.web.settings import WebBrowserSettings

        self.web_browser = WebBrowserSettings(web_keep_logins, self)
        capture_form.addRow(self.web_browser)
        self.tabs.addTab(_scrolling(capture, self), "Cap&ture")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.passphrase_button.clicked.connect(self.change_passphrase)
        self.backup_button.clicked.connect(self.backup)
        self.location_button.clicked.connect(self.choose_location)
        self.default_folder = default_folder
        fit_to_screen(self, 760, 560)

    def set_default_folder(self, folder: Path) -> None:
        self.default_folder = folder
        self.location.setText(str(folder))

    def profile(self) -> Profile:
        return profile_from(self.profile_form, self.contacts)

    def capture_shortcut(self) -> str:
        """The chosen shortcut in Qt's portable text; "" when switched off."""
        if not self.shortcut_on.isEnabled():
            return self._shortcut_given  # cannot work here: keep what was set
        if not self.shortcut_on.isChecked():
            return ""
        return self.shortcut.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
