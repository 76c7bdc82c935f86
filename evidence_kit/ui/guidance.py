"""The guidance panel: what to do, in the app's own words, with the user's own contacts.

The text lives in ``evidence_kit/resources/guidance.html`` so it can be read and
corrected without touching code; the contacts come from Settings ▸ Contacts (they are
inside the vault, so they show only while it is unlocked).
"""

from __future__ import annotations

import html
from importlib import resources

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.core.profile import Contact, Profile
from evidence_kit.ui.style import fit_to_screen


def guidance_template() -> str:
    return (resources.files("evidence_kit") / "resources" / "guidance.html").read_text(
        encoding="utf-8")


def contacts_html(profile: Profile | None) -> str:
    if profile is None:
        return ("<p><i>Your contacts are kept inside the vault: unlock Evidence Kit to see "
                "them here.</i></p>")
    filled = [c for c in profile.contacts if c.name or c.phone or c.email]
    if not filled:
        return ("<p><i>No contacts yet. Add your headteacher or line manager, your DSL, "
                "your union and the helplines in Vault ▸ Settings ▸ Contacts, and they "
                "will be listed here.</i></p>")
    rows = "".join(_contact_row(c) for c in filled)
    return f"<table cellpadding='4'>{rows}</table>"


def _contact_row(contact: Contact) -> str:
    parts = [html.escape(p) for p in (contact.name, contact.phone, contact.email) if p]
    return (f"<tr><td valign='top'><b>{html.escape(contact.role)}</b></td>"
            f"<td>{' · '.join(parts)}</td></tr>")


def guidance_html(profile: Profile | None, shortcut: str | None) -> str:
    if shortcut:
        how = (f"Press <b>{html.escape(shortcut)}</b> from any app (or use the Evidence Kit "
               "icon by the clock, or File ▸ Capture) and drag around what to keep.")
    else:
        how = ("Use File ▸ Capture, or the Evidence Kit icon by the clock, and drag around "
               "what to keep.")
    return guidance_template().replace("{capture_how}", how).replace(
        "{contacts}", contacts_html(profile))


class GuidanceDialog(QDialog):
    """Non-modal: it can stay open beside the evidence while the user works."""

    stop_path = Signal()
    open_settings = Signal()

    def __init__(self, profile: Profile | None, shortcut: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("What to do: guidance")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.text = QTextBrowser(self)
        self.text.setOpenLinks(False)
        self.text.setAccessibleName("Guidance")
        self.text.setHtml(guidance_html(profile, shortcut))
        self.stop_button = QPushButton("This contains a sexual image of a child…", self)
        self.stop_button.setAutoDefault(False)
        self.contacts_button = QPushButton("Edit my &contacts…", self)
        self.contacts_button.setAutoDefault(False)
        self.contacts_button.setVisible(profile is not None)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.stop_button)
        row.addWidget(self.contacts_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addLayout(row)
        self.stop_button.clicked.connect(self.stop_path)
        self.contacts_button.clicked.connect(self.open_settings)
        fit_to_screen(self, 640, 640)
