"""The stop path: "This contains a sexual image of a child".

Reached before anything is grabbed or read, from every capture and import entry point.
It never captures, never opens a file and never shows a picture: it puts the immediate
steps in front of the user and offers a short text-only record (where, when, who found
it, who has been told), which the controller stores with ``intake.record_sighting``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.capture import stop_path
from evidence_kit.core.profile import Profile
from evidence_kit.ui import keyboard
from evidence_kit.ui.style import fit_to_screen


@dataclass(frozen=True)
class SightingForm:
    url: str | None
    platform: str | None
    seen_at: str | None
    found_by: str | None
    told: str | None
    note: str | None


def kept_words(form: SightingForm) -> str:
    """What a written record holds, in words: "when it was recorded, where and who found it"."""
    parts = [name for name, value in (
        ("where", form.url), ("the platform", form.platform),
        ("when you saw it", form.seen_at), ("who found it", form.found_by),
        ("whom you told", form.told), ("your note", form.note)) if value]
    if not parts:
        return "the time this was recorded"
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"the time this was recorded, {listed}"


def _text(value: str) -> str | None:
    value = value.strip()
    return value or None


def steps_html(profile: Profile | None) -> str:
    parts = [f"<p>{html.escape(stop_path.REASSURANCE)}</p><ol>"]
    for step in stop_path.STEPS:
        parts.append(f"<li style='margin-bottom:6px'><b>{html.escape(step.heading)}.</b> "
                     f"{html.escape(step.detail)}</li>")
    parts.append("</ol>")
    dsl = profile.contact("Designated safeguarding") if profile is not None else None
    deputy = profile.contact("Deputy DSL") if profile is not None else None
    found = [c for c in (dsl, deputy) if c is not None and (c.name or c.phone or c.email)]
    if found:
        lines = "<br>".join(
            f"<b>{html.escape(c.role)}</b>: " + html.escape(
                " · ".join(p for p in (c.name, c.phone, c.email) if p)) for c in found)
        parts.append(f"<p>{lines}</p>")
    return "".join(parts)


class StopPathDialog(QDialog):
    """The steps, then an optional written record. Emits :attr:`record` with the form."""

    record = Signal(object)  # SightingForm
    unlock_requested = Signal()

    def __init__(self, profile: Profile | None, can_record: bool, seen_at: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("A sexual image of a child")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        heading = QLabel(stop_path.TITLE, self)
        heading.setProperty("heading", True)
        heading.setWordWrap(True)
        steps = QLabel(steps_html(profile), self)
        steps.setWordWrap(True)
        steps.setTextFormat(Qt.TextFormat.RichText)
        steps.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        steps.setAccessibleName("What to do now")

        record_heading = QLabel("Keep a written record (optional)", self)
        record_heading.setProperty("subheading", True)
        recorded = QLabel(stop_path.WHAT_IS_RECORDED, self)
        recorded.setWordWrap(True)
        recorded.setProperty("hint", True)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("the web address, or the app and account where you saw it")
        self.url.setAccessibleName("Where you saw it")
        self.platform = QLineEdit(self)
        self.platform.setAccessibleName("Platform")
        self.platform.setPlaceholderText("e.g. Instagram")
        self.seen_at = QLineEdit(seen_at, self)
        self.seen_at.setAccessibleName("When you saw it")
        self.found_by = QLineEdit(profile.name if profile else "", self)
        self.found_by.setAccessibleName("Who found it")
        self.told = QLineEdit(self)
        self.told.setAccessibleName("Who you have told")
        self.told.setPlaceholderText("e.g. Mr Patel (DSL), 10:15 today")
        self.note = QPlainTextEdit(self)
        self.note.setAccessibleName("Note")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(70)
        self.note.setPlaceholderText("Anything else, in words only. Do not describe the "
                                     "image in detail. (" + keyboard.hint("saves") + ")")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for text, widget in (("&Where:", self.url), ("&Platform:", self.platform),
                             ("When you &saw it:", self.seen_at),
                             ("Who &found it:", self.found_by),
                             ("Who you have &told:", self.told), ("&Note:", self.note)):
            buddy = QLabel(text, self)
            buddy.setBuddy(widget)
            form.addRow(buddy, widget)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.locked_note = QLabel(
            "Evidence Kit is locked, so the record cannot be kept yet. The steps above "
            "are what matters now; unlock later to write the record.", self)
        self.locked_note.setWordWrap(True)
        self.locked_note.setProperty("warning", True)

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(heading)
        body_layout.addWidget(steps)
        line = QFrame(body)
        line.setFrameShape(QFrame.Shape.HLine)
        body_layout.addWidget(line)
        body_layout.addWidget(record_heading)
        body_layout.addWidget(recorded)
        self.form_box = QWidget(body)
        self.form_box.setLayout(form)
        body_layout.addWidget(self.form_box)
        body_layout.addWidget(self.locked_note)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        self.record_button = QPushButton("&Keep this written record", self)
        self.record_button.setDefault(True)
        self.unlock_button = QPushButton("&Unlock…", self)
        self.close_button = QPushButton("&Close", self)
        self.close_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        # Outside the scroll area, beside the buttons: the confirmation is seen at once,
        # never below the fold of a long form.
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.record_button.clicked.connect(self._record)
        keyboard.on_ctrl_enter(self.note, self._record)
        self.close_button.clicked.connect(self.reject)
        self.unlock_button.clicked.connect(self.unlock_requested)
        self.set_can_record(can_record)
        fit_to_screen(self, 660, 720)

    def set_can_record(self, can: bool) -> None:
        self.form_box.setEnabled(can)
        self.record_button.setVisible(can)
        self.unlock_button.setVisible(not can)
        self.locked_note.setVisible(not can)

    def form(self) -> SightingForm:
        return SightingForm(
            url=_text(self.url.text()), platform=_text(self.platform.text()),
            seen_at=_text(self.seen_at.text()), found_by=_text(self.found_by.text()),
            told=_text(self.told.text()), note=_text(self.note.toPlainText()))

    def _record(self) -> None:
        self.record.emit(self.form())

    def recorded(self, seq: int) -> None:
        del seq  # the journal's number means nothing to the person; the words below do
        self.message.setProperty("ok", True)
        self.message.setProperty("error", False)
        self._restyle()
        self.message.setText(f"Kept in the vault: {kept_words(self.form())}, in words only. "
                             "No picture was kept. If you have not told your DSL yet, do "
                             "it now.")
        self.message.setVisible(True)
        self.form_box.setEnabled(False)
        self.record_button.setEnabled(False)
        self.close_button.setDefault(True)
        self.close_button.setFocus()

    def failed(self, text: str) -> None:
        self.message.setProperty("ok", False)
        self.message.setProperty("error", True)
        self._restyle()
        self.message.setText(text)
        self.message.setVisible(True)

    def _restyle(self) -> None:
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
