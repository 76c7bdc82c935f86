"""Right after a capture: a preview and the details, saved with one keypress.

The capture is already in the vault when this dialog opens, so closing it loses
nothing. Save (Enter, or Ctrl+Enter from anywhere) adds the details as events;
"Discard this capture" withdraws it (the picture is purged, the record stays).
Layout only: :mod:`evidence_kit.ui.capture_controller` acts on the signals.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.capture.urls import PLATFORMS, check_url, guess_account
from evidence_kit.core.model import Incident, Item
from evidence_kit.intake import Details
from evidence_kit.ui import keyboard, text
from evidence_kit.ui.category_box import fill_categories
from evidence_kit.ui.style import fit_to_screen

NEW_INCIDENT = -1
COPY_TIP = ("Tip: before you capture, click the browser's address bar and press Ctrl+C; "
            "the address is then filled in here.")
FROM_CLIPBOARD = "Filled in from the clipboard: check it is the page you captured."
PREVIEW = QSize(380, 300)


@dataclass(frozen=True)
class CaptureChoices:
    details: Details
    new_incident: str | None


def clipboard_url(clipboard_text: str | None) -> str | None:
    """The clipboard's text if it is one well-formed web address, else None."""
    if not clipboard_text:
        return None
    candidate = clipboard_text.strip()
    if not candidate or "\n" in candidate or len(candidate) > 4096:
        return None
    check = check_url(candidate)
    return candidate if check.valid else None


def _clean(value: str) -> str | None:
    value = value.strip()
    return value or None


class CaptureDetailsDialog(QDialog):
    saved = Signal(object)  # CaptureChoices
    discard = Signal()
    stop_path = Signal()
    guidance = Signal()

    def __init__(self, item: Item, image: QImage | None, incidents: list[Incident],
                 default_incident: int | None, clipboard_text: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Capture saved: add details")
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.item = item
        self.acted = False  # saved, discarded or sent to the stop path
        self._platform_edited = False
        self._account_edited = False

        heading = QLabel("Captured and kept safely in the vault", self)
        heading.setProperty("subheading", True)
        when = QLabel(f"{text.item_time_long(item)} · "
                      f"{item.details.get('capture', {}).get('width', '?')} × "
                      f"{item.details.get('capture', {}).get('height', '?')} pixels", self)
        when.setProperty("hint", True)
        intro = QLabel("Add what you know; every field is optional. Closing this window "
                       "keeps the capture as it is.", self)
        intro.setWordWrap(True)

        self.preview = QLabel(self)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(QSize(220, 160))
        self.preview.setMaximumSize(PREVIEW)
        self.preview.setStyleSheet("background: #2b3137; border-radius: 6px;")
        self.preview.setAccessibleName("The capture")
        if image is not None and not image.isNull():
            ratio = self.devicePixelRatioF()
            pixmap = QPixmap.fromImage(image).scaled(
                PREVIEW * ratio, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation)
            pixmap.setDevicePixelRatio(ratio)
            self.preview.setPixmap(pixmap)

        self.url = QLineEdit(self)
        self.url.setAccessibleName("Web address")
        self.url.setPlaceholderText("https://… the address of the page you captured")
        self.url_hint = QLabel(self)
        self.url_hint.setWordWrap(True)
        self.url_hint.setProperty("hint", True)
        self.url_flags = QLabel(self)
        self.url_flags.setWordWrap(True)
        self.url_flags.setProperty("error", True)
        self.platform = QLineEdit(self)
        self.platform.setAccessibleName("Platform")
        self.platform.setPlaceholderText("filled in from the address, e.g. Facebook")
        completer = QCompleter([p.name for p in PLATFORMS], self.platform)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.platform.setCompleter(completer)
        self.account = QLineEdit(self)
        self.account.setAccessibleName("Account")
        self.account.setPlaceholderText("the account or handle responsible, e.g. @name")
        self.description = QLineEdit(self)
        self.description.setAccessibleName("What it shows")
        self.description.setPlaceholderText("e.g. comment calling me a liar under the "
                                            "school's post")
        self.category = QComboBox(self)
        self.category.setAccessibleName("Category")
        fill_categories(self.category, "(choose if it helps)")
        self.incident = QComboBox(self)
        self.incident.setAccessibleName("Incident")
        self.incident.addItem("Not in an incident", None)
        for incident in incidents:
            self.incident.addItem(incident.title, incident.id)
        self.incident.addItem("New incident…", NEW_INCIDENT)
        found = self.incident.findData(default_incident) if default_incident else 0
        self.incident.setCurrentIndex(max(0, found))
        self.new_incident = QLineEdit(self)
        self.new_incident.setAccessibleName("Name of the new incident")
        self.new_incident.setPlaceholderText("name the new incident, e.g. “Comments on "
                                             "the parents' group, March”")
        self.note = QPlainTextEdit(self)
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("a note kept with it: what happened around it, who "
                                     "else saw it… (" + keyboard.hint("saves") + ")")
        self.note.setFixedHeight(64)

        form = QFormLayout()
        self._form = form
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def row(label: str, widget: QWidget) -> None:
            buddy = QLabel(label, self)
            buddy.setBuddy(widget)
            form.addRow(buddy, widget)

        row("&Web address:", self.url)
        form.addRow("", self.url_hint)
        form.addRow("", self.url_flags)
        row("&Platform:", self.platform)
        row("&Account:", self.account)
        row("What it s&hows:", self.description)
        row("&Category:", self.category)
        row("&Incident:", self.incident)
        form.addRow("", self.new_incident)
        row("N&ote:", self.note)
        form.setRowVisible(self.url_flags, False)
        form.setRowVisible(self.new_incident, False)

        self.guidance_button = QPushButton("What should I do now?", self)
        self.guidance_button.setProperty("link", True)
        self.guidance_button.setFlat(True)
        self.guidance_button.setAutoDefault(False)
        self.guidance_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.stop_button = QPushButton("It shows a sexual image of a child", self)
        self.stop_button.setProperty("link", True)
        self.stop_button.setFlat(True)
        self.stop_button.setAutoDefault(False)
        self.stop_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.stop_button.setToolTip("Removes the picture from the vault at once and shows "
                                    "what to do next")
        self.discard_button = QPushButton("&Discard this capture", self)
        self.discard_button.setAutoDefault(False)
        self.discard_button.setToolTip("Removes the picture from the vault. The record that "
                                       "a capture was taken and discarded stays.")
        self.save_button = QPushButton("&Save details", self)
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Enter, or Ctrl+Enter from any field")

        left = QVBoxLayout()
        left.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        left.addWidget(self.guidance_button, 0, Qt.AlignmentFlag.AlignLeft)
        left.addWidget(self.stop_button, 0, Qt.AlignmentFlag.AlignLeft)
        left.addStretch(1)
        middle = QHBoxLayout()
        middle.addLayout(left)
        middle.addSpacing(8)
        middle.addLayout(form, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(when)
        layout.addWidget(intro)
        layout.addLayout(middle, 1)
        layout.addLayout(buttons)

        self.url.textChanged.connect(self._url_changed)
        self.platform.textEdited.connect(lambda _t: setattr(self, "_platform_edited", True))
        self.account.textEdited.connect(lambda _t: setattr(self, "_account_edited", True))
        self.incident.currentIndexChanged.connect(self._incident_changed)
        self.save_button.clicked.connect(self._save)
        self.discard_button.clicked.connect(self._discard)
        self.stop_button.clicked.connect(self._stop)
        self.guidance_button.clicked.connect(self.guidance)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self._save)

        prefill = clipboard_url(clipboard_text)
        if prefill is not None:
            self.url.setText(prefill)
            self.url.setCursorPosition(0)  # show where the address starts: the site's name
            self.url_hint.setText(FROM_CLIPBOARD)
        else:
            self.url_hint.setText(COPY_TIP)
            self._url_changed("")
        fit_to_screen(self, 900, self.sizeHint().height())
        if prefill is not None:
            self.description.setFocus()
        else:
            self.url.setFocus()

    # ---- reacting to typing ----------------------------------------------------------

    def _url_changed(self, value: str) -> None:
        value = value.strip()
        check = check_url(value) if value else None
        flags = list(check.flags) if check is not None else []
        self.url_flags.setText("Check this address: " + "; ".join(flags) + "." if flags else "")
        self._form.setRowVisible(self.url_flags, bool(flags))
        if not self._platform_edited:
            self.platform.setText(check.platform or "" if check is not None and check.valid
                                  else "")
        if not self._account_edited:
            guess = guess_account(value) if check is not None and check.valid else None
            self.account.setText(guess or "")

    def _incident_changed(self, _index: int) -> None:
        new = self.incident.currentData() == NEW_INCIDENT
        self._form.setRowVisible(self.new_incident, new)
        if new:
            self.new_incident.setFocus()

    # ---- results -------------------------------------------------------------------

    def choices(self) -> CaptureChoices:
        chosen = self.incident.currentData()
        new_title = _clean(self.new_incident.text()) if chosen == NEW_INCIDENT else None
        incident = None if chosen in (None, NEW_INCIDENT) else int(chosen)
        if chosen == NEW_INCIDENT and new_title is None:
            new_title = "New incident"
        details = Details(
            incident=incident, url=_clean(self.url.text()),
            note=_clean(self.note.toPlainText()), account=_clean(self.account.text()),
            description=_clean(self.description.text()),
            category=self.category.currentData(), platform=_clean(self.platform.text()))
        return CaptureChoices(details, new_title)

    def _save(self) -> None:
        self.acted = True
        self.saved.emit(self.choices())
        self.done(QDialog.DialogCode.Accepted)

    def _discard(self) -> None:
        self.acted = True
        self.discard.emit()
        self.done(QDialog.DialogCode.Rejected)

    def _stop(self) -> None:
        self.acted = True
        self.stop_path.emit()
        self.done(QDialog.DialogCode.Rejected)

    def release(self) -> None:
        self.preview.clear()
