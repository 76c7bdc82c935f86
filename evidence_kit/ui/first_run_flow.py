"""The first run: the wizard that makes the vault, shows the recovery code, takes details.

:class:`FirstRunFlow` gets the session and the main window. It hands the wizard what it
may do (create the vault, print or save the code, save the profile) and says when the
wizard has closed.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from evidence_kit.core.clock import SystemClock
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.ui import recovery_sheet
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

    def _made(self) -> dt.datetime:
        # The vault's clock once it exists (it does by the time a code is shown).
        if self.session.is_unlocked:
            return self.session.vault.clock.now()
        return SystemClock().now()

    def print_code(self, parent: QWidget, code: str) -> None:
        recovery_sheet.print_code(parent, self.session.folder, code, self._made())

    def code_sheet(self, code: str) -> str:
        return recovery_sheet.code_sheet(self.session.folder, code, self._made())

    def save_code(self, parent: QWidget, code: str) -> bool:
        return recovery_sheet.save_code(parent, self.session.folder, code, self._made())

    def save_profile(self, profile: Profile) -> None:
        if not self.session.is_unlocked:
            return
        try:
            save_profile(self.session.vault, profile)
        except Exception as exc:
            show_error(self.window, exc, "saving your details")
