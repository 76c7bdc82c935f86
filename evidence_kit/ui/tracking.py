"""Report tracking: what was done about an incident, and the checks that fall due.

Every step is one ``action.recorded`` event (``Vault.record_action``) with the date it
happened and its details. Asking for something to be taken down starts a check that
falls due 24 hours later (the policies expect removal within a day, and someone has
to look); recording the check closes it. If the content is still up, that check starts
the next one, and the user is offered a fresh capture. Due checks are worked out from
the events each time, with the vault's clock: nothing else is stored. That logic is
Qt-free in :mod:`evidence_kit.core.tracking` (so packs can report what is due); this
module re-exports it for the app.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit import wording
from evidence_kit.core.actions import (
    ACTION_KINDS,
    REMOVAL_CHECKED,
    REMOVED,
    STILL_UP,
    ActionKind,
)
from evidence_kit.core.model import Event
from evidence_kit.core.tracking import DueCheck as DueCheck
from evidence_kit.core.tracking import Escalation, escalations
from evidence_kit.core.tracking import due_now as due_now
from evidence_kit.core.tracking import happened_at as happened_at
from evidence_kit.core.tracking import open_checks as open_checks
from evidence_kit.ui import keyboard
from evidence_kit.ui.date_field import DateTimeField, date_problem, is_far_back
from evidence_kit.ui.style import fit_to_screen


def describe_action(event: Event) -> tuple[str, str]:
    """A heading and detail lines for one recorded step, in the words the packs use
    (the request being checked and what was found included)."""
    words = wording.describe_action(event, short=True)
    return f"{words.when} · {words.heading}", words.detail_text("\n")


def check_text(check: DueCheck, now: dt.datetime) -> str:
    asked = wording.when_short(check.asked_at)
    due = wording.when_short(check.due_at)
    if check.is_due(now):
        return f"Due since {due}: check whether “{check.what}” was taken down (asked {asked})."
    return f"Due {due}: check whether “{check.what}” was taken down."


def escalation_text(found: Escalation) -> str:
    return (f"You reported it to {found.platform} on {wording.when_short(found.reported_at)} "
            "and nothing is recorded as taken down after 48 hours: you can now ask Report "
            "Harmful Content (reportharmfulcontent.com) to review it, and record that here.")


# ---- widgets ---------------------------------------------------------------------------


class TrackingPanel(QWidget):
    """One incident's steps, its open checks, and the button to record the next step."""

    record = Signal(str, object)  # action kind id, the request being checked (or None)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        intro = QLabel("Each step you record is kept in the vault's journal with its date, "
                       "so the evidence pack can show what was done and when.", self)
        intro.setWordWrap(True)
        intro.setProperty("hint", True)
        self.record_button = QPushButton("&Record what you did", self)  # Qt draws the menu arrow
        self.record_button.setAccessibleName("Record what you did")
        menu = QMenu(self.record_button)
        for kind in ACTION_KINDS:
            act = menu.addAction(kind.label)
            act.triggered.connect(lambda _c=False, k=kind.id: self.record.emit(k, None))
        self.record_button.setMenu(menu)
        self.checks = QFrame(self)
        self.checks.setProperty("card", True)
        self.checks_layout = QVBoxLayout(self.checks)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Steps recorded")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(1)
        top = QHBoxLayout()
        top.addWidget(intro, 1)
        top.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.checks)
        layout.addWidget(self.list, 1)
        self.check_buttons: list[QPushButton] = []

    def show_actions(self, actions: list[Event], now: dt.datetime) -> None:
        self.list.clear()
        for event in sorted(actions, key=happened_at):
            heading, detail = describe_action(event)
            entry = QListWidgetItem(self.list)
            entry.setData(Qt.ItemDataRole.UserRole, event.seq)
            entry.setData(Qt.ItemDataRole.AccessibleTextRole, f"{heading}. {detail}")
            label = QLabel(self.list)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setContentsMargins(6, 6, 6, 6)
            label.setText(f"<b>{html.escape(heading)}</b>" + "".join(
                f"<br>{html.escape(line)}" for line in detail.splitlines()))
            entry.setSizeHint(label.sizeHint())
            self.list.setItemWidget(entry, label)
        if not actions:
            self.list.addItem("Nothing recorded yet. When you tell someone, report it or "
                              "ask for it to be taken down, record it here.")
        while self.checks_layout.count():
            child = self.checks_layout.takeAt(0)
            widget = child.widget() if child is not None else None
            if widget is not None:
                widget.deleteLater()
        self.check_buttons = []
        checks = open_checks(actions)
        for check in checks:
            row = QHBoxLayout()
            label = QLabel(check_text(check, now), self.checks)
            label.setWordWrap(True)
            label.setProperty("error" if check.is_due(now) else "hint", True)
            button = QPushButton("Check now…", self.checks)
            button.clicked.connect(
                lambda _c=False, s=check.request_seq: self.record.emit(REMOVAL_CHECKED, s))
            self.check_buttons.append(button)
            holder = QWidget(self.checks)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(label, 1)
            row.addWidget(button)
            holder.setLayout(row)
            self.checks_layout.addWidget(holder)
        suggested = escalations(actions, now)
        for found in suggested:
            label = QLabel(escalation_text(found), self.checks)
            label.setWordWrap(True)
            label.setProperty("hint", True)
            self.checks_layout.addWidget(label)
        self.checks.setVisible(bool(checks) or bool(suggested))


class RecordActionDialog(QDialog):
    """The details of one step; ``result()`` gives (happened_on, details)."""

    def __init__(self, kind: ActionKind, now: dt.datetime,
                 requests: list[tuple[int, str]] | None = None,
                 request: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setWindowTitle(kind.label)
        heading = QLabel(kind.label, self)
        heading.setProperty("subheading", True)
        self.now = now
        self.when = DateTimeField(self)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("d MMM yyyy, HH:mm")
        local = now.astimezone()
        self.when.setDateTime(QDateTime(local.year, local.month, local.day, local.hour,
                                        local.minute, 0))
        self.when.setAccessibleName("When")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("&When:", self.when)
        self.date_error = QLabel(self)
        self.date_error.setWordWrap(True)
        self.date_error.setProperty("error", True)
        form.addRow("", self.date_error)
        form.setRowVisible(self.date_error, False)
        self.when.dateTimeChanged.connect(
            lambda _d: form.setRowVisible(self.date_error, False))
        self._form = form
        self.edits: dict[str, QLineEdit] = {}
        for field in kind.fields:
            edit = QLineEdit(self)
            edit.setPlaceholderText(field.placeholder)
            edit.setAccessibleName(field.label)
            self.edits[field.key] = edit
            form.addRow(f"{field.label}:", edit)
        self.request: QComboBox | None = None
        self.removed: QRadioButton | None = None
        self.still_up: QRadioButton | None = None
        self.capture_hint: QLabel | None = None
        if kind.id == REMOVAL_CHECKED:
            self.request = QComboBox(self)
            self.request.setAccessibleName("Which request")
            for seq, label in requests or []:
                self.request.addItem(label, seq)
            if request is not None:
                self.request.setCurrentIndex(max(0, self.request.findData(request)))
            form.addRow("Which request:", self.request)
            self.removed = QRadioButton("It has been taken &down", self)
            self.still_up = QRadioButton("It is &still up", self)
            group = QButtonGroup(self)
            group.addButton(self.removed)
            group.addButton(self.still_up)
            self.removed.setChecked(True)
            result = QVBoxLayout()
            result.addWidget(self.removed)
            result.addWidget(self.still_up)
            form.addRow("What you found:", result)
            self.capture_hint = QLabel(
                "After saving you can capture it again, so the record shows it was still "
                "up; another check falls due in 24 hours.", self)
            self.capture_hint.setWordWrap(True)
            self.capture_hint.setProperty("hint", True)
            self.capture_hint.setVisible(False)
            form.addRow("", self.capture_hint)
            self.still_up.toggled.connect(self.capture_hint.setVisible)
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(80)
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("anything else about this step (" + keyboard.hint("saves")
                                     + ")")
        keyboard.on_ctrl_enter(self, self.accept, whole_window=True)
        form.addRow("&Note:", self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 520, self.sizeHint().height())

    @property
    def found_still_up(self) -> bool:
        return self.still_up is not None and self.still_up.isChecked()

    def _moment(self) -> dt.datetime:
        moment = self.when.dateTime().toPython()
        assert isinstance(moment, dt.datetime)
        return moment.astimezone()  # the field shows local time

    def accept(self) -> None:
        """A date in the future is refused; one far back is asked about (a typo, usually)."""
        moment = self._moment()
        problem = date_problem(moment, self.now)
        if problem is not None:
            self.date_error.setText(problem)
            self._form.setRowVisible(self.date_error, True)
            self.when.setFocus()
            return
        if is_far_back(moment, self.now):
            answer = QMessageBox.question(
                self, "Is the date right?",
                f"{moment.strftime('%-d %B %Y')} is more than a year ago. Keep that date?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                self.when.setFocus()
                return
        super().accept()

    def result_values(self) -> tuple[str, dict[str, object]]:
        happened = self._moment().isoformat(timespec="minutes")
        details: dict[str, object] = {}
        for key, edit in self.edits.items():
            value = edit.text().strip()
            if value:
                details[key] = value
        if self.request is not None and self.request.currentData() is not None:
            details["request"] = int(self.request.currentData())
        if self.removed is not None:
            details["result"] = STILL_UP if self.found_still_up else REMOVED
        note = self.note.toPlainText().strip()
        if note:
            details["note"] = note
        return happened, details


class DueBanner(QFrame):
    """On the main window while a check is due; hidden when there is none."""

    check_now = Signal(object)  # DueCheck

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dueBanner")
        self.setStyleSheet("#dueBanner { background: #fff4e0; border-bottom: 1px solid "
                           "#e0b870; } #dueBanner QLabel { color: #3d2a00; }")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Checks due")
        self.button = QPushButton("Check now…", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self._first: DueCheck | None = None
        self.button.clicked.connect(self._clicked)
        self.setVisible(False)

    def show_checks(self, checks: list[DueCheck], titles: dict[int, str],
                    now: dt.datetime) -> None:
        self._first = checks[0] if checks else None
        if not checks:
            self.setVisible(False)
            self.label.clear()
            return
        first = checks[0]
        where = titles.get(first.incident or 0, "")
        where_text = f" in “{where}”" if where else ""
        more = f" (and {len(checks) - 1} more)" if len(checks) > 1 else ""
        self.label.setText(f"<b>A check is due{where_text}{more}.</b> "
                           + check_text(first, now).replace("<", "&lt;"))
        self.setVisible(True)

    def _clicked(self) -> None:
        if self._first is not None:
            self.check_now.emit(self._first)
