"""Help ▸ About: the version, the licence, and what is stored where.

Plain text only (no links, nothing to click away to): a person on a shared family
computer should be able to read, in a few lines, where their evidence is, how it is
protected, and that nothing leaves the computer unless they export it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from evidence_kit import APP_NAME, __version__
from evidence_kit.ui.style import fit_to_screen

LICENCE = "GPL-3.0-or-later"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _icons() -> resources.abc.Traversable:
    return resources.files("evidence_kit") / "resources" / "icons"


def app_icon() -> QIcon:
    """The app's icon at every size it was rendered (packaging/make_icons.py), so it
    is sharp without depending on Qt's SVG icon plugin."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = _icons() / f"evidence-kit-{size}.png"
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    return icon


def icon_pixmap(size: int) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData((_icons() / f"evidence-kit-{size}.png").read_bytes(), "PNG")
    return pixmap


def licence_text() -> str:
    return (f"Licence: {LICENCE}. Evidence Kit is free software: you may use, share and "
            "change it under the terms of the GNU General Public License, version 3 or "
            "any later version. It comes with no warranty.")


def storage_text(vault_folder: Path, config_path: Path) -> list[tuple[str, str]]:
    """What is stored where, as (heading, words) pairs, in the order they are shown."""
    return [
        ("Your vault", str(vault_folder)),
        ("vault.db", "Your evidence, notes, reports and contacts, and the journal of every "
                     "change, encrypted with SQLCipher (AES-256) under a random key."),
        ("vault.keys", "That key, locked with your passphrase, and separately with the "
                       "recovery code you wrote down when you made the vault."),
        ("vault.lock", "An empty file that always stays. While Evidence Kit has the vault "
                       "open it holds the system's lock on it; the lock ends with the app, "
                       "even after a crash, so the file never keeps you out."),
        ("Settings file", f"{config_path}: only where your vault is and the capture "
                          "shortcut. Nothing about your evidence. Every other setting is "
                          "kept inside the vault."),
    ]


NEVER_LEAVES = (
    "Nothing leaves this computer unless you export it (an evidence pack, or a copy of "
    "one file) or make a backup (which stays encrypted), and then only to the place you "
    "choose. Evidence Kit does not use the network at all: no accounts, no uploads, no "
    "updates, no tracking."
)


GUIDANCE_POINTER = (
    "If you are being abused online, Help ▸ What to do: guidance (F1) says what to do "
    "next and whom to tell."
)


def about_text(vault_folder: Path, config_path: Path) -> str:
    """Everything the About box says, as plain text (also what tests read)."""
    lines = [f"{APP_NAME} {__version__}",
             "Keeps evidence of online abuse of school staff in an encrypted, "
             "tamper-evident vault on this computer.", "",
             "What is stored where"]
    lines += [f"{heading}: {words}" for heading, words in storage_text(vault_folder,
                                                                      config_path)]
    lines += ["", "What never leaves this computer", NEVER_LEAVES, GUIDANCE_POINTER, "",
              licence_text()]
    return "\n".join(lines)


def _label(text: str, parent: QWidget, **properties: bool) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    for name, value in properties.items():
        label.setProperty(name, value)
    return label


class AboutDialog(QDialog):
    """Window-modal and plain: the version, what is stored where, the licence."""

    def __init__(self, vault_folder: Path, config_path: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.setObjectName("about-dialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        icon = QLabel(self)
        icon.setPixmap(icon_pixmap(64))
        icon.setFixedSize(64, 64)
        icon.setAccessibleName(f"{APP_NAME} icon")
        title = _label(APP_NAME, self, heading=True)
        self.version = _label(f"Version {__version__}", self, hint=True)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addStretch(1)
        titles.addWidget(title)
        titles.addWidget(self.version)
        titles.addStretch(1)
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(icon)
        top.addLayout(titles, 1)

        where = QFormLayout()
        where.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        where.setHorizontalSpacing(14)
        where.setVerticalSpacing(8)
        where.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for heading, words in storage_text(vault_folder, config_path):
            name = _label(heading, self, hint=True)
            name.setWordWrap(False)
            name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            where.addRow(name, _label(words, self))

        # The words scroll and Close stays in view: at 200 % they are taller than a screen.
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(_label("Keeps evidence of online abuse of school staff in an "
                                "encrypted, tamper-evident vault on this computer.", self))
        layout.addWidget(_label("What is stored where", self, section=True))
        layout.addLayout(where)
        layout.addWidget(_label("What never leaves this computer", self, section=True))
        layout.addWidget(_label(NEVER_LEAVES, self))
        layout.addWidget(_label(GUIDANCE_POINTER, self))
        layout.addSpacing(4)
        self.licence = _label(licence_text(), self, hint=True)
        layout.addWidget(self.licence)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(buttons)
        self.setMinimumWidth(min(560, self.screen().availableGeometry().width() - 40))
        tall = body.heightForWidth(620) if body.hasHeightForWidth() else body.sizeHint().height()
        fit_to_screen(self, 660, tall + buttons.sizeHint().height() + 40)
