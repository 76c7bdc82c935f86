"""The "LADO referral details" form: what a referral to the LADO asks that only the
member of staff can say (the adult it concerns, the children involved, which of the
LADO's criteria apply). Saved as one ``incident.referral`` event per save; the LADO pack
prints it, and marks anything left empty "(to be completed)"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.core import referral
from evidence_kit.core.referral import HARM_CRITERIA, Adult, Child, Referral
from evidence_kit.core.vault import Vault
from evidence_kit.ui.messages import describe, show_error
from evidence_kit.ui.style import fit_to_screen

if TYPE_CHECKING:
    from evidence_kit.ui.workspace import WorkspaceController


def _hint(words: str, parent: QWidget) -> QLabel:
    label = QLabel(words, parent)
    label.setWordWrap(True)
    label.setProperty("hint", True)
    return label


class _CriterionLabel(QLabel):
    """The criterion's words beside its box, wrapped, and ticking it when clicked (a
    check box's own text never wraps, and these are long)."""

    def __init__(self, words: str, box: QCheckBox, parent: QWidget) -> None:
        super().__init__(words, parent)
        self.box = box
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.box.isEnabled():
            self.box.toggle()
            self.box.setFocus()
        super().mousePressEvent(event)


class ChildRow:
    def __init__(self, parent: QWidget, number: int) -> None:
        self.name = QLineEdit(parent)
        self.name.setAccessibleName(f"Child {number}: name or initials")
        self.name.setPlaceholderText("name or initials")
        self.age = QLineEdit(parent)
        self.age.setAccessibleName(f"Child {number}: age")
        self.age.setPlaceholderText("e.g. 14")
        self.age.setMaximumWidth(90)
        self.school = QLineEdit(parent)
        self.school.setAccessibleName(f"Child {number}: school")
        self.school.setPlaceholderText("their school")

    def child(self) -> Child:
        return Child(self.name.text(), self.age.text(), self.school.text())

    def set_child(self, child: Child) -> None:
        self.name.setText(child.name)
        self.age.setText(child.age)
        self.school.setText(child.school)


class ReferralForm(QDialog):
    """Edit one incident's referral details; Save records them (if they changed)."""

    saved = Signal(int)
    """The incident whose details were saved."""

    def __init__(self, vault: Vault, incident_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.incident_id = incident_id
        incident = vault.incident(incident_id)
        self.setWindowTitle("LADO referral details")
        self.original = referral.current(vault, incident_id)

        intro = _hint(
            f"For “{incident.title}”. A referral to the LADO asks for these, and only you "
            "(or your DSL) can say them. Write only what you know: anything left empty, "
            "the LADO pack marks “(to be completed)” for the referrer to fill in. Names "
            "of children stay in this vault and in the LADO's pack only.", self)

        adult_box = QGroupBox("The adult the allegation is about (if any)", self)
        self.adult_name = QLineEdit(adult_box)
        self.adult_name.setAccessibleName("The adult's name")
        self.adult_name.setPlaceholderText("e.g. Mr A Brown")
        self.adult_role = QLineEdit(adult_box)
        self.adult_role.setAccessibleName("The adult's role")
        self.adult_role.setPlaceholderText("e.g. parent governor, sports coach")
        self.adult_relationship = QLineEdit(adult_box)
        self.adult_relationship.setAccessibleName("The adult's relationship to the school")
        self.adult_relationship.setPlaceholderText("e.g. a parent of a pupil, a volunteer")
        adult_form = QFormLayout(adult_box)
        adult_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for words, field in (("&Name:", self.adult_name), ("&Role:", self.adult_role),
                             ("Relationship to the sc&hool:", self.adult_relationship)):
            label = QLabel(words, adult_box)
            label.setBuddy(field)
            adult_form.addRow(label, field)

        children_box = QGroupBox("The child or children involved (if any)", self)
        self.children_grid = QGridLayout()
        for column, words in enumerate(("Name or initials", "Age", "School")):
            heading = QLabel(words, children_box)
            heading.setProperty("hint", True)
            self.children_grid.addWidget(heading, 0, column)
        self.children_grid.setColumnStretch(0, 2)
        self.children_grid.setColumnStretch(2, 3)
        self.child_rows: list[ChildRow] = []
        self.add_child_button = QPushButton("&Add another child", children_box)
        children_layout = QVBoxLayout(children_box)
        children_layout.addLayout(self.children_grid)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_child_button)
        add_row.addStretch(1)
        children_layout.addLayout(add_row)
        children_layout.addWidget(_hint("Their age and school as you know them; nothing "
                                        "is worked out for you. Clear a row to remove it.",
                                        children_box))
        self._children_box = children_box

        criteria_box = QGroupBox("Which of the LADO's criteria apply", self)
        criteria_layout = QGridLayout(criteria_box)
        criteria_layout.addWidget(QLabel("The adult has:", criteria_box), 0, 0, 1, 2)
        self.criteria: list[QCheckBox] = []
        self.criterion_labels: list[QLabel] = []
        for number, words in enumerate(HARM_CRITERIA, start=1):
            box = QCheckBox(criteria_box)
            box.setAccessibleName(f"The adult has {words}")
            label = _CriterionLabel(words, box, criteria_box)
            criteria_layout.addWidget(box, number, 0, Qt.AlignmentFlag.AlignTop)
            criteria_layout.addWidget(label, number, 1)
            self.criteria.append(box)
            self.criterion_labels.append(label)
        criteria_layout.setColumnStretch(1, 1)
        criteria_layout.addWidget(_hint(
            "The LADO's own words. Tick those you believe apply; the LADO decides.",
            criteria_box), len(HARM_CRITERIA) + 1, 0, 1, 2)

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(intro)
        body_layout.addWidget(adult_box)
        body_layout.addWidget(children_box)
        body_layout.addWidget(criteria_box)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self.add_child_button.clicked.connect(lambda: self.add_child_row().name.setFocus())
        self.set_referral(self.original)
        self.adult_name.setFocus()
        fit_to_screen(self, 680, body.sizeHint().height() + 120)

    def add_child_row(self) -> ChildRow:
        row = ChildRow(self._children_box, len(self.child_rows) + 1)
        at = len(self.child_rows) + 1
        self.children_grid.addWidget(row.name, at, 0)
        self.children_grid.addWidget(row.age, at, 1)
        self.children_grid.addWidget(row.school, at, 2)
        for field in (row.name, row.age, row.school):
            field.show()  # at once, so the new row can take the focus straight away
        self.child_rows.append(row)
        return row

    def set_referral(self, details: Referral) -> None:
        self.adult_name.setText(details.adult.name)
        self.adult_role.setText(details.adult.role)
        self.adult_relationship.setText(details.adult.relationship)
        while len(self.child_rows) < max(1, len(details.children)):
            self.add_child_row()
        for row, child in zip(self.child_rows, details.children, strict=False):
            row.set_child(child)
        for number, box in enumerate(self.criteria, start=1):
            box.setChecked(number in details.criteria)

    def referral(self) -> Referral:
        """What the form holds, tidied exactly as the command line tidies it."""
        return referral.make(
            Adult(self.adult_name.text(), self.adult_role.text(),
                  self.adult_relationship.text()),
            [row.child() for row in self.child_rows],
            [n for n, box in enumerate(self.criteria, start=1) if box.isChecked()])

    def save(self) -> None:
        try:
            details = self.referral()
            if details != self.original:
                referral.record(self.vault, self.incident_id, details)
        except Exception as exc:
            message = describe(exc, "saving the referral details")
            self.status.setProperty("error", True)
            self.status.style().unpolish(self.status)
            self.status.style().polish(self.status)
            self.status.setText(f"{message.title}. {message.full}")
            return
        self.original = details
        self.saved.emit(self.incident_id)
        self.accept()


def open_referral_form(vault: Vault, incident_id: int, parent: QWidget) -> ReferralForm:
    """Open the form window-modal over ``parent``; it deletes itself when closed."""
    form = ReferralForm(vault, incident_id, parent)
    form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    form.open()
    return form


def edit_current_incident(workspace: WorkspaceController) -> ReferralForm | None:
    """Incident ▸ LADO referral details…: the form for the incident shown."""
    window = workspace.window
    incident_id = workspace.current_incident()
    if incident_id is None:
        QMessageBox.information(window, "LADO referral details",
                                "Choose an incident in the list first: the details belong "
                                "to one incident.")
        return None
    try:
        return open_referral_form(workspace.vault, incident_id, window)
    except Exception as exc:
        show_error(window, exc, "opening the referral details")
        return None
