"""Forms for who the user is and whom they can turn to (first run and Settings share them)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.core.profile import STANDARD_CONTACT_ROLES, Contact, Profile
from evidence_kit.ui.keyboard import LeavableTable


def suggest_initials(name: str) -> str:
    """Initials from a name, as the forms offer them until the user types their own."""
    return "".join(part[0] for part in name.split() if part[:1].isalpha()).upper()[:4]


class ProfileForm(QWidget):
    """Name, role, initials for exhibit marks, and school."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Your name")
        self.name.setPlaceholderText("e.g. Jo Smith")
        self.role = QLineEdit(self)
        self.role.setAccessibleName("Your role")
        self.role.setPlaceholderText("e.g. Year 6 teacher")
        self.initials = QLineEdit(self)
        self.initials.setAccessibleName("Initials for exhibit marks")
        self.initials.setMaxLength(6)
        self.initials.setMaximumWidth(120)
        self.initials.setPlaceholderText("JS")
        self.school = QLineEdit(self)
        self.school.setAccessibleName("School")
        self.school.setPlaceholderText("e.g. Riverside Primary School")
        self._initials_touched = False
        self.initials.textEdited.connect(self._initials_edited)
        self.initials.textChanged.connect(self._show_marks)
        self.name.textChanged.connect(self._name_changed)

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for label, widget in (("Your na&me:", self.name), ("Your &role:", self.role),
                              ("&Initials:", self.initials), ("&School:", self.school)):
            text = QLabel(label, self)
            text.setBuddy(widget)
            form.addRow(text, widget)
            if widget is self.initials:
                hint = QLabel(self)
                self.initials_hint = hint
                hint.setWordWrap(True)
                hint.setProperty("hint", True)
                form.addRow("", hint)
        self._show_marks("")

    def _show_marks(self, initials: str) -> None:
        # The user's own marks, so the hint explains what their exhibits will be called.
        mark = initials.strip().upper() or "JS"
        self.initials_hint.setText(
            "Used to mark exhibits, as the police do: the first item you produce "
            f"becomes {mark}/1, the next {mark}/2.")

    def _initials_edited(self, _text: str) -> None:
        self._initials_touched = True

    def _name_changed(self, name: str) -> None:
        if not self._initials_touched:
            self.initials.setText(suggest_initials(name))

    def set_profile(self, profile: Profile) -> None:
        self.name.setText(profile.name)
        self.role.setText(profile.role)
        self.school.setText(profile.school)
        self.initials.setText(profile.initials)
        self._initials_touched = bool(profile.initials)

    def values(self) -> dict[str, str]:
        return {
            "name": self.name.text().strip(),
            "role": self.role.text().strip(),
            "initials": self.initials.text().strip().upper(),
            "school": self.school.text().strip(),
        }


class ContactsEditor(QWidget):
    """A table of the school's contacts: one row per role, name, phone and email."""

    COLUMNS = ("Who", "Name", "Phone", "Email")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = LeavableTable(0, len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setAccessibleName("School contacts")
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("&Add a contact", self)
        self.remove_button = QPushButton("&Remove selected", self)
        self.add_button.clicked.connect(lambda: self._add_row(Contact(role="")))
        self.remove_button.clicked.connect(self._remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.set_contacts(())

    def _add_row(self, contact: Contact) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, value in enumerate((contact.role, contact.name, contact.phone, contact.email)):
            self.table.setItem(row, col, QTableWidgetItem(value))
        if not contact.role:
            self.table.setCurrentCell(row, 0)
            first = self.table.item(row, 0)
            if first is not None:
                self.table.editItem(first)

    def _remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)

    def set_contacts(self, contacts: tuple[Contact, ...]) -> None:
        self.table.setRowCount(0)
        present = {c.role for c in contacts}
        for contact in contacts:
            self._add_row(contact)
        for role in STANDARD_CONTACT_ROLES:
            if role not in present:
                self._add_row(Contact(role=role))

    def contacts(self) -> tuple[Contact, ...]:
        found = []
        for row in range(self.table.rowCount()):
            values = []
            for col in range(len(self.COLUMNS)):
                item = self.table.item(row, col)
                values.append(item.text().strip() if item is not None else "")
            role, name, phone, email = values
            if role and (name or phone or email):
                found.append(Contact(role=role, name=name, phone=phone, email=email))
        return tuple(found)


def profile_from(form: ProfileForm, contacts: ContactsEditor) -> Profile:
    return Profile(contacts=contacts.contacts(), **form.values())
