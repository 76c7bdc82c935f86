"""Right after a capture: a preview and the details, saved with one keypress.

The capture is already in the vault when this dialog opens, with any details the
command line gave (they are shown filled in). Save (Enter, or Ctrl+Enter from
anywhere) adds the details as events; "Discard this capture" withdraws it (the picture
is purged, the record stays). Closing it (Esc) while something shown is not kept yet —
an address filled in from the clipboard, words typed — asks whether to keep it, so
nothing shown is silently dropped.
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
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit import wording
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
FROM_BROWSER = ("Address read from the browser: the exact address of the page, after any "
                "redirects.")
FROM_COMMAND = "Given with the command that asked for this capture; already kept with it."
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
                 parent: QWidget | None = None, *, given: Details | None = None) -> None:
        super().__init__(parent)
        given = given or Details()
        self._kept_note = given.note
        self.keep_box: QMessageBox | None = None  # the question on closing, while it shows
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
        front = wording.in_front(item.details)
        if front:
            when.setTextFormat(Qt.TextFormat.PlainText)  # a window title is anyone's text
            when.setText(f"{when.text()}\nIn front: {front}")
        when.setProperty("hint", True)
        intro = QLabel("Add what you know; every field is optional. Closing this window "
                       "keeps the capture, and asks before leaving out what is filled in.",
                       self)
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
        self.posted_at = QLineEdit(self)
        self.posted_at.setAccessibleName("When it was posted (as shown on the page)")
        self.posted_at.setPlaceholderText("the date the page shows, e.g. 2026-03-12 18:40 "
                                          "(kept beside the capture time)")
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
        row("When it was pos&ted\n(as shown on the page):", self.posted_at)
        row("What it s&hows:", self.description)
        row("&Category:", self.category)
        row("&Incident:", self.incident)
        form.addRow("", self.new_incident)
        row("N&ote:", self.note)
        self.incident_hint = QLabel(self)
        self.incident_hint.setWordWrap(True)
        self.incident_hint.setProperty("error", True)
        form.insertRow(form.rowCount() - 2, "", self.incident_hint)
        form.setRowVisible(self.url_flags, False)
        form.setRowVisible(self.new_incident, False)
        form.setRowVisible(self.incident_hint, False)
        if given.incident is not None and item.incident_id != given.incident:
            self.incident_hint.setText(f"There is no incident {given.incident} in this vault, "
                                       "so the capture is not in one yet: choose one here.")
            form.setRowVisible(self.incident_hint, True)

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

        prefill = None if item.url else clipboard_url(clipboard_text)
        self._prefill = prefill
        self._given_url = item.url
        if item.url:
            self.url.setText(item.url)
            self.url.setCursorPosition(0)
            from_browser = isinstance(item.details.get("page"), dict)
            self.url_hint.setText(FROM_BROWSER if from_browser else FROM_COMMAND)
        elif prefill is not None:
            self.url.setText(prefill)
            self.url.setCursorPosition(0)  # show where the address starts: the site's name
            self.url_hint.setText(FROM_CLIPBOARD)
        else:
            self.url_hint.setText(COPY_TIP)
            self._url_changed("")
        self._show_kept(item, given)
        fit_to_screen(self, 900, self.sizeHint().height())
        if prefill is not None or item.url:
            self.description.setFocus()
        else:
            self.url.setFocus()

    def _show_kept(self, item: Item, given: Details) -> None:
        """What is already kept with the item (from the command line), filled in as kept."""
        for edit, value, flag in ((self.platform, item.platform, "_platform_edited"),
                                  (self.account, item.account, "_account_edited")):
            if value:
                edit.setText(value)
                setattr(self, flag, True)
        if item.description:
            self.description.setText(item.description)
        if item.category:
            self.category.setCurrentIndex(max(0, self.category.findData(item.category)))
        if given.note:
            self.note.setPlainText(given.note)

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
        url = _clean(self.url.text())
        # Kept with the address: a statement can then say how it was obtained.
        source = None if url is None else (
            "clipboard" if url == (self._prefill or "").strip()
            else "command line" if url == (self._given_url or "").strip() else "typed")
        note = _clean(self.note.toPlainText())
        if note is not None and note == _clean(self._kept_note or ""):
            note = None  # kept with the capture already: not a second note
        details = Details(
            incident=incident, url=url, url_source=source,
            note=note, account=_clean(self.account.text()),
            description=_clean(self.description.text()),
            category=self.category.currentData(), platform=_clean(self.platform.text()),
            posted_at=_clean(self.posted_at.text()))
        return CaptureChoices(details, new_title)

    def unsaved(self) -> list[str]:
        """What is shown but not kept with the capture yet, in words (empty: nothing)."""
        chosen = self.choices()
        shown, item = chosen.details, self.item
        found = []
        for label, value, kept in (("the web address", shown.url, item.url),
                                   ("the platform", shown.platform, item.platform),
                                   ("the account", shown.account, item.account),
                                   ("what it shows", shown.description, item.description),
                                   ("the category", shown.category, item.category),
                                   ("the note", shown.note, None)):
            if value is not None and value != kept:
                found.append(label)
        if chosen.new_incident is not None or shown.incident != item.incident_id:
            found.append("the incident")
        return found

    def reject(self) -> None:
        """Esc or the window's close button: ask before dropping what is shown."""
        if self.acted or self.keep_box is not None:
            super().reject()
            return
        missing = self.unsaved()
        if not missing:
            super().reject()
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Keep what is filled in?",
                          f"The capture is kept. What is filled in ({', '.join(missing)}) "
                          "is not saved with it yet. Keep it too?",
                          QMessageBox.StandardButton.NoButton, self)
        keep = box.addButton("&Keep it", QMessageBox.ButtonRole.AcceptRole)
        leave = box.addButton("&Leave it out", QMessageBox.ButtonRole.DestructiveRole)
        back = box.addButton("&Go back", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(back)
        self.keep_box = box

        def answered(_result: int) -> None:
            self.keep_box = None
            clicked = box.clickedButton()
            box.deleteLater()
            if clicked is keep:
                self._save()
            elif clicked is leave:
                super(CaptureDetailsDialog, self).reject()

        box.finished.connect(answered)
        box.open()

    def save(self) -> None:
        """Keep what is shown, as Save does."""
        self._save()

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
