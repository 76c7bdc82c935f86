"""Actions on the whole vault: check it, back it up, change the passphrase, settings.

:class:`VaultActions` gets the session, the task runner, the main window and the app's
settings file; what the app must redo after a settings change (the idle timeout, the
capture shortcut) it is told through signals.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QProgressDialog, QWidget

from evidence_kit.core.model import VerifyReport
from evidence_kit.core.profile import Profile, load_profile, save_profile
from evidence_kit.settings import AppConfig
from evidence_kit.ui import recovery_sheet
from evidence_kit.ui.dialogs import ChangePassphraseDialog, SettingsDialog, VerifyDialog
from evidence_kit.ui.messages import describe, show_error, verify_words
from evidence_kit.ui.recovery_code import NewRecoveryCodeDialog
from evidence_kit.ui.session import AUTOLOCK_SETTING, VaultSession
from evidence_kit.ui.shortcut import GlobalShortcut, availability
from evidence_kit.ui.tasks import Cancelled, TaskRunner

log = logging.getLogger(__name__)


class VaultActions(QObject):
    autolock_changed = Signal(int)  # minutes, saved in the vault
    shortcut_changed = Signal()  # config.capture_shortcut holds the new one
    status = Signal(str)

    def __init__(self, session: VaultSession, tasks: TaskRunner, window: QWidget,
                 config: AppConfig, shortcut: GlobalShortcut | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tasks = tasks
        self.window = window
        self.config = config
        self.shortcut = shortcut
        self.verify_dialog: VerifyDialog | None = None
        self.last_verify: VerifyReport | None = None
        self.trusted_time: Any = None  # the TrustedTimeDrainer, set by the controller

    def about_to_lock(self) -> None:
        self.verify_dialog = None

    # ---- check ---------------------------------------------------------------------

    def verify(self) -> None:
        if not self.session.is_unlocked:
            return
        if self.verify_dialog is not None:
            self.verify_dialog.raise_()
            return
        vault = self.session.vault
        dialog = VerifyDialog(self.window)
        self.verify_dialog = dialog

        def done(report: VerifyReport) -> None:
            self.last_verify = report
            if self.verify_dialog is dialog:
                dialog.show_result(verify_words(report))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled) or self.verify_dialog is not dialog:
                return
            message = describe(exc, "checking the vault")
            dialog.show_problem(message.title, message.full)

        def closed() -> None:
            if self.verify_dialog is dialog:
                self.verify_dialog = None
            dialog.deleteLater()

        handle = self.tasks.run("verify", lambda report: vault.verify(report),
                                on_done=done, on_error=failed,
                                on_progress=dialog.show_progress, cancellable=True,
                                context=dialog)
        dialog.cancel_requested.connect(handle.cancel)
        dialog.finished.connect(closed)
        dialog.show()

    def verify_bundle(self, path: Path | None = None) -> None:
        """Check a pack someone was given; needs no vault, so works locked too."""
        from evidence_kit.ui.verify_bundle_dialog import (
            VerifyBundleDialog,
            open_verify_bundle_dialog,
        )

        existing = self.window.findChild(VerifyBundleDialog)
        if existing is not None and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return
        open_verify_bundle_dialog(self.tasks, self.window, path)

    # ---- backup and passphrase -------------------------------------------------------

    def backup(self, parent: QWidget) -> None:
        if not self.session.is_unlocked:
            return
        where = QFileDialog.getExistingDirectory(
            parent, "Choose where to put the backup (e.g. a USB stick)", str(Path.home()))
        if not where or not self.session.is_unlocked:
            return
        vault = self.session.vault
        # The vault's own clock (injected in tests), in the zone in force now.
        stamp = vault.clock.now().astimezone().strftime("%Y-%m-%d %H%M")
        dest = Path(where) / f"Evidence Kit backup {stamp}"
        progress = QProgressDialog("Making the backup…", "", 0, 0, parent)
        progress.setWindowTitle("Back up the vault")
        progress.setCancelButton(None)
        progress.setMinimumDuration(0)
        progress.setModal(True)
        progress.show()

        def over() -> QWidget:
            return parent if parent.isVisible() else self.window

        def done(path: Path) -> None:
            progress.close()
            progress.deleteLater()
            QMessageBox.information(
                over(), "Backup made",
                f"The backup is in:\n{path}\n\nIt is encrypted and opens with the same "
                "passphrase and recovery code.")

        def failed(exc: BaseException) -> None:
            progress.close()
            progress.deleteLater()
            show_error(over(), exc, "making the backup")

        self.tasks.run("backup", lambda _p: vault.backup(dest), on_done=done,
                       on_error=failed, writes=True, context=progress)

    def change_passphrase(self, parent: QWidget) -> None:
        if not self.session.is_unlocked:
            return
        vault = self.session.vault
        dialog = ChangePassphraseDialog(parent)

        def done(result: Any) -> None:
            dialog.accept()
            if isinstance(result, str):  # a rotation: its new recovery code, shown once
                folder = self.session.folder
                shown = NewRecoveryCodeDialog(result, parent)
                made = vault.clock.now()
                shown.print_code.connect(
                    lambda: recovery_sheet.print_code(shown, folder, result, made))
                shown.save_code.connect(
                    lambda: recovery_sheet.save_code(shown, folder, result, made))
                shown.exec()
                shown.deleteLater()
                return
            QMessageBox.information(parent, "Passphrase changed",
                                    "Your new passphrase is set. The old one no longer "
                                    "opens this copy of vault.keys, but backups made before "
                                    "today still open with it.")

        def failed(exc: BaseException) -> None:
            dialog.show_error(describe(exc, "changing the passphrase").full)

        def go() -> None:
            if not dialog.new.valid or not self.session.is_unlocked:
                return
            dialog.set_busy(True)
            current, new = dialog.current.text(), dialog.new.passphrase()
            change = vault.rotate_key if dialog.rotate.isChecked() else vault.change_passphrase
            self.tasks.run("passphrase", lambda _p: change(current, new),
                           on_done=done, on_error=failed, writes=True, context=dialog)

        dialog.ok_button.clicked.connect(go)
        dialog.new.submitted.connect(go)
        dialog.exec()
        dialog.deleteLater()

    # ---- settings ------------------------------------------------------------------

    def open_settings(self, tab: int = 0) -> None:
        if not self.session.is_unlocked:
            return
        vault = self.session.vault
        try:
            profile = load_profile(vault)
            minutes = self.session.autolock_minutes()
        except Exception as exc:
            show_error(self.window, exc, "reading the settings")
            return
        default = self.config.vault_folder or self.session.folder
        found = availability()
        if self.shortcut is not None and self.shortcut.problem and found.ok:
            note, ok = self.shortcut.problem, True
        else:
            note, ok = found.reason, found.ok
        dialog = SettingsDialog(profile, minutes, self.session.folder, default,
                                vault.key_fingerprint, self.window,
                                shortcut=self.config.capture_shortcut, shortcut_ok=ok,
                                shortcut_note=note,
                                web_keep_logins=self.config.web_keep_logins)
        from evidence_kit.ui.trusted_time import TrustedTimePanel

        dialog.tabs.addTab(TrustedTimePanel(self.session, self.trusted_time, dialog),
                           "T&rusted time")
        dialog.tabs.setCurrentIndex(tab)
        dialog.change_passphrase.connect(lambda: self.change_passphrase(dialog))
        dialog.backup.connect(lambda: self.backup(dialog))

        def choose() -> None:
            folder = QFileDialog.getExistingDirectory(dialog, "Vault folder to open at start",
                                                      str(dialog.default_folder))
            if folder:
                dialog.set_default_folder(Path(folder))

        dialog.choose_location.connect(choose)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted or not self.session.is_unlocked:
            return
        self.apply_settings(dialog.profile(), dialog.autolock.value(), dialog.default_folder,
                            shortcut=dialog.capture_shortcut(),
                            web_keep_logins=dialog.web_browser.keep.isChecked())

    def apply_settings(self, profile: Profile, minutes: int, default_folder: Path,
                       shortcut: str | None = None,
                       web_keep_logins: bool | None = None) -> None:
        try:
            save_profile(self.session.vault, profile)
            self.session.vault.set_setting(AUTOLOCK_SETTING, str(minutes))
        except Exception as exc:
            show_error(self.window, exc, "saving the settings")
            return
        self.autolock_changed.emit(minutes)
        shortcut_changed = shortcut is not None and shortcut != self.config.capture_shortcut
        if shortcut_changed:
            assert shortcut is not None
            self.config.capture_shortcut = shortcut
            self.shortcut_changed.emit()
            if shortcut and self.shortcut is not None and not self.shortcut.active:
                QMessageBox.warning(self.window, "Shortcut not set",
                                    self.shortcut.problem or "The shortcut could not be set.")
        folder_changed = default_folder != (self.config.vault_folder or self.session.folder)
        if folder_changed:
            self.config.vault_folder = default_folder
        web_changed = (web_keep_logins is not None
                       and web_keep_logins != self.config.web_keep_logins)
        if web_changed:
            assert web_keep_logins is not None
            self.config.web_keep_logins = web_keep_logins
        if folder_changed or shortcut_changed or web_changed:
            try:
                self.config.save()
            except Exception as exc:
                show_error(self.window, exc, "remembering the vault folder")
                return
        self.status.emit("Settings saved.")

    def about(self) -> None:
        from evidence_kit.ui.about import AboutDialog

        existing = self.window.findChild(AboutDialog)
        if existing is not None:
            existing.raise_()
            existing.activateWindow()
            return
        AboutDialog(self.session.folder, self.config.path, self.window).open()
