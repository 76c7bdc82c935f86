"""The stop path: a sexual image of a child is never captured, saved or looked into.

:class:`StopPathController` shows the immediate steps and, when the vault is unlocked,
keeps a text-only record (where, when, who found it, who was told). Nothing is grabbed
or read from the screen on this path. It gets the session, the main window and the
clock; it asks the app to bring the unlock page up through ``unlock_requested``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from evidence_kit.core.clock import Clock
from evidence_kit.core.profile import load_profile
from evidence_kit.intake import record_sighting
from evidence_kit.ui import text
from evidence_kit.ui.messages import describe
from evidence_kit.ui.session import VaultSession
from evidence_kit.ui.stop_path_dialog import SightingForm, StopPathDialog


class StopPathController(QObject):
    unlock_requested = Signal()

    def __init__(self, session: VaultSession, window: QWidget, clock: Clock,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.window = window
        self.clock = clock
        self.dialog: StopPathDialog | None = None

    def open(self, parent: QWidget | None = None) -> None:
        """Nothing is grabbed or read: the steps, and a text-only record if wanted."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        unlocked = self.session.is_unlocked
        profile = None
        if unlocked:
            try:
                profile = load_profile(self.session.vault)
            except Exception:
                profile = None
        seen = text.local_time_long(self.clock.now().isoformat())
        window = self.window
        if parent is None and window.isVisible() and not window.isMinimized():
            parent = window
        dialog = StopPathDialog(profile, unlocked, seen, parent)
        self.dialog = dialog
        dialog.record.connect(lambda form: self._record_sighting(dialog, form))

        def unlock() -> None:
            dialog.close()
            self.unlock_requested.emit()

        dialog.unlock_requested.connect(unlock)
        # Forgotten as it is deleted, so no one has to ask whether it still exists.
        dialog.destroyed.connect(self._forget)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _forget(self, *_args: object) -> None:
        self.dialog = None

    def _record_sighting(self, dialog: StopPathDialog, form: SightingForm) -> None:
        if not self.session.is_unlocked:
            dialog.set_can_record(False)
            return
        try:
            seq = record_sighting(self.session.vault, url=form.url, platform=form.platform,
                                  seen_at=form.seen_at, found_by=form.found_by,
                                  told=form.told, note=form.note)
        except Exception as exc:
            dialog.failed(describe(exc, "keeping the written record").full)
            return
        dialog.recorded(seq)

    def about_to_lock(self) -> None:
        if self.dialog is not None:
            self.dialog.set_can_record(False)
