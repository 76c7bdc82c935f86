"""The first run: the wizard that makes the vault, shows the recovery code, takes details.

:class:`FirstRunFlow` gets the session and the main window. It hands the wizard what it
may do (create the vault, print or save the code, save the profile) and says when the
wizard has closed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from evidence_kit import APP_NAME
from evidence_kit.core.fsutil import atomic_write
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.ui.first_run import FirstRunActions, FirstRunWizard
from evidence_kit.ui.messages import describe, show_error
from evidence_kit.ui.session import VaultSession


class FirstRunFlow(QObject):
    finished = Signal()  # the wizard closed (the vault may or may not have been made)

    def __init__(self, session: VaultSession, window: QWidget,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.window = window
        self.wizard: FirstRunWizard | None = None

    def start(self) -> None:
        actions = FirstRunActions(create=self.session.create, print_code=self.print_code,
                                  save_code=self.save_code, save_profile=self.save_profile)
        self.wizard = FirstRunWizard(actions, lambda exc: describe(exc, "creating the vault")
                                     .full, self.window)
        self.wizard.finished.connect(self._finished)
        self.wizard.open()

    def _finished(self, _result: int) -> None:
        wizard, self.wizard = self.wizard, None
        if wizard is not None:
            wizard.deleteLater()
        self.finished.emit()

    def print_code(self, parent: QWidget, code: str) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle("Print your recovery code")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        doc = QTextDocument()
        doc.setPlainText(self.code_sheet(code))
        doc.print_(printer)

    def code_sheet(self, code: str) -> str:
        made = dt.datetime.now().astimezone().strftime("%d %B %Y")
        return (f"{APP_NAME}: recovery code\n\n"
                f"Vault folder: {self.session.folder}\nMade: {made}\n\n"
                f"    {code}\n\n"
                "This code opens your evidence vault if you forget your passphrase.\n"
                "Keep it somewhere safe, away from the computer. Anyone with this code and\n"
                "the vault folder can read your evidence.\n")

    def save_code(self, parent: QWidget, code: str) -> bool:
        path, _filter = QFileDialog.getSaveFileName(
            parent, "Save the recovery code", str(Path.home() / "evidence-kit-recovery-code.txt"),
            "Text files (*.txt)")
        if not path:
            return False
        try:
            atomic_write(Path(path), self.code_sheet(code).encode("utf-8"))
        except Exception as exc:
            show_error(parent, exc, "saving the recovery code")
            return False
        return True

    def save_profile(self, profile: Profile) -> None:
        if not self.session.is_unlocked:
            return
        try:
            save_profile(self.session.vault, profile)
        except Exception as exc:
            show_error(self.window, exc, "saving your details")
