"""The app controller: which screen shows, and every action that is not about one item.

Owns the main window, the task runner, the session and the auto-lock. The views emit
what the user asked for; this module decides and calls the core (through the session
or the task runner) and turns failures into words with :mod:`evidence_kit.ui.messages`.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from evidence_kit import APP_NAME, __version__
from evidence_kit.core import keys
from evidence_kit.core.clock import Clock
from evidence_kit.core.fsutil import atomic_write
from evidence_kit.core.model import VerifyReport
from evidence_kit.core.profile import Profile, load_profile, save_profile
from evidence_kit.core.vault import vault_exists
from evidence_kit.ui.config import AppConfig
from evidence_kit.ui.dialogs import ChangePassphraseDialog, SettingsDialog, VerifyDialog
from evidence_kit.ui.first_run import FirstRunActions, FirstRunWizard
from evidence_kit.ui.main_window import MainWindow
from evidence_kit.ui.messages import describe, verify_words
from evidence_kit.ui.screenlock import ScreenLockWatcher
from evidence_kit.ui.session import AUTOLOCK_SETTING, AutoLock, KdfFactory, VaultSession
from evidence_kit.ui.tasks import Cancelled, TaskRunner
from evidence_kit.ui.unlock import RecoveryDialog, UnlockView, WelcomeView
from evidence_kit.ui.workspace import Snapshot, WorkspaceController, read_snapshot

log = logging.getLogger(__name__)

LOCK_REASONS = {
    "user": "Locked.",
    "idle": "Locked because Evidence Kit was not used for a while.",
    "screen": "Locked because the screen locked or the computer went to sleep.",
    "quit": "Locked.",
}


class AppController(QObject):
    def __init__(
        self, folder: Path, config: AppConfig, *, kdf: KdfFactory = keys.tune_kdf,
        clock: Clock | None = None, autolock_ms: int | None = None,
        watch_screen_lock: bool = True, exit_app_on_quit: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._exit_app_on_quit = exit_app_on_quit
        self.config = config
        self.window = MainWindow()
        self.tasks = TaskRunner(self)
        self.session = VaultSession(folder, self.tasks, kdf=kdf, clock=clock, parent=self)
        self.session.preload = read_snapshot
        self._autolock_override = autolock_ms
        self.autolock = AutoLock(self.session.request_lock, autolock_ms or 5 * 60_000, self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.autolock.install(app)
        self.screen_watch: ScreenLockWatcher | None = None
        if watch_screen_lock:
            self.screen_watch = ScreenLockWatcher(self.autolock.screen_locked, self)
            self.screen_watch.start()
        self.workspace: WorkspaceController | None = None
        self.unlock_view = UnlockView(self._folder_text())
        self.welcome_view = WelcomeView(self._folder_text())
        self.wizard: FirstRunWizard | None = None
        self.verify_dialog: VerifyDialog | None = None
        self.last_verify: VerifyReport | None = None
        self._quitting = False
        self.exit_code = 0

        w = self.window
        w.lock_action.triggered.connect(lambda: self.session.request_lock("user"))
        w.quit_action.triggered.connect(self.quit)
        w.close_requested.connect(self.quit)
        w.import_action.triggered.connect(lambda: self._in_workspace("import_files"))
        w.new_incident_action.triggered.connect(lambda: self._in_workspace("new_incident"))
        w.rename_incident_action.triggered.connect(
            lambda: self._in_workspace("rename_incident"))
        w.summary_action.triggered.connect(lambda: self._in_workspace("edit_summary"))
        w.move_action.triggered.connect(lambda: self._in_workspace("move_selected"))
        w.verify_action.triggered.connect(self.verify)
        w.settings_action.triggered.connect(self.open_settings)
        w.backup_action.triggered.connect(lambda: self.backup(self.window))
        w.about_action.triggered.connect(self.about)
        self.unlock_view.unlock_requested.connect(self.unlock)
        self.unlock_view.recovery_requested.connect(self.use_recovery_code)
        self.welcome_view.create_requested.connect(self.first_run)
        self.welcome_view.open_other_requested.connect(self.open_other_vault)
        self.session.unlocked.connect(self._unlocked)
        self.session.about_to_lock.connect(self._about_to_lock)
        self.session.locked.connect(self._locked)
        self.session.lock_waiting.connect(
            lambda: self.window.statusBar().showMessage(
                "Evidence Kit will lock as soon as it has finished saving."))

    def _folder_text(self) -> str:
        return f"Vault folder: {self.session.folder}"

    def _in_workspace(self, method: str) -> None:
        if self.workspace is not None and self.workspace.is_open:
            getattr(self.workspace, method)()

    def _error(self, exc: BaseException, doing: str, parent: QWidget | None = None) -> None:
        message = describe(exc, doing)
        QMessageBox.warning(parent or self.window, message.title, message.full)

    # ---- start ---------------------------------------------------------------------

    def start(self, passphrase: str | None = None) -> None:
        self.window.show()
        self.show_start_page()
        if passphrase is not None and self.session.vault_exists():
            self.unlock(passphrase)

    def show_start_page(self) -> None:
        self.unlock_view.folder.setText(self._folder_text())
        self.welcome_view.folder.setText(self._folder_text())
        if self.session.vault_exists():
            self.window.show_page(self.unlock_view)
            self.unlock_view.reset()
        else:
            self.window.show_page(self.welcome_view)
            self.welcome_view.setFocus()

    def open_other_vault(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Choose the vault folder",
                                                  str(Path.home()))
        if not folder:
            return
        if not vault_exists(Path(folder)):
            QMessageBox.information(
                self.window, "No vault there",
                f"There is no Evidence Kit vault in {folder}. Choose the folder that holds "
                "vault.db and vault.keys (a backup folder works too).")
            return
        self.session.folder = Path(folder)
        self.config.vault_folder = Path(folder)
        try:
            self.config.save()
        except Exception as exc:
            log.warning("could not remember the vault folder: %s", exc)
        self.show_start_page()

    # ---- first run -----------------------------------------------------------------

    def first_run(self) -> None:
        actions = FirstRunActions(create=self.session.create, print_code=self.print_code,
                                  save_code=self.save_code, save_profile=self.save_profile)
        self.wizard = FirstRunWizard(actions, lambda exc: describe(exc, "creating the vault")
                                     .full, self.window)
        self.wizard.finished.connect(self._first_run_finished)
        self.wizard.open()

    def _first_run_finished(self, _result: int) -> None:
        wizard, self.wizard = self.wizard, None
        if wizard is not None:
            wizard.deleteLater()
        if self.session.is_unlocked:
            self.autolock.arm()
        else:
            self.show_start_page()

    def print_code(self, parent: QWidget, code: str) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle("Print your recovery code")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        doc = QTextDocument()
        doc.setPlainText(self._code_sheet(code))
        doc.print_(printer)

    def _code_sheet(self, code: str) -> str:
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
            atomic_write(Path(path), self._code_sheet(code).encode("utf-8"))
        except Exception as exc:
            self._error(exc, "saving the recovery code", parent)
            return False
        return True

    def save_profile(self, profile: Profile) -> None:
        if not self.session.is_unlocked:
            return
        try:
            save_profile(self.session.vault, profile)
        except Exception as exc:
            self._error(exc, "saving your details")

    # ---- unlock and lock -----------------------------------------------------------

    def unlock(self, passphrase: str) -> None:
        if self.session.is_unlocked or self.tasks.busy:
            return
        self.unlock_view.set_busy(True)

        def failed(exc: BaseException) -> None:
            self.unlock_view.set_busy(False)
            self.unlock_view.show_error(describe(exc, "unlocking").full)

        self.session.unlock(passphrase, failed)

    def use_recovery_code(self) -> None:
        dialog = RecoveryDialog(self.window)

        def failed(exc: BaseException) -> None:
            dialog.show_error(describe(exc, "unlocking with the recovery code").full)

        def done() -> None:
            dialog.accept()
            QMessageBox.information(
                self.window, "New passphrase set",
                "Your vault is open and your new passphrase is set. Use it from now on; "
                "your recovery code still works too.")

        def go() -> None:
            dialog.set_busy(True)
            self.session.recover(dialog.code.text(), dialog.new_passphrase.passphrase(),
                                 done, failed)

        dialog.ok_button.clicked.connect(go)
        dialog.new_passphrase.submitted.connect(go)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _unlocked(self) -> None:
        vault = self.session.vault
        snapshot = self.session.preloaded
        self.session.preloaded = None
        self.workspace = WorkspaceController(
            vault, self.window, self.tasks, self,
            snapshot=snapshot if isinstance(snapshot, Snapshot) else None)
        self.workspace.status.connect(lambda t: self.window.statusBar().showMessage(t, 8000))
        self.window.show_page(self.workspace.widget)
        self.window.set_unlocked(True)
        self.unlock_view.reset()
        if self._autolock_override is None:
            self.autolock.set_timeout_ms(self.session.autolock_minutes() * 60_000)
        if self.wizard is None:  # the first-run wizard arms it when it closes
            self.autolock.arm()
        self._show_lock_state()
        self.workspace.browser.incidents.setFocus()

    def _show_lock_state(self) -> None:
        minutes = max(1, self.autolock.timeout_ms // 60_000)
        self.window.state_label.setText(
            f"Unlocked · locks after {minutes} minute{'s' if minutes != 1 else ''} unused "
            "· Ctrl+L locks now")

    def _about_to_lock(self) -> None:
        self.autolock.disarm()
        # Close every open dialog first (their results are discarded), then the evidence.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        self.verify_dialog = None
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None

    def _locked(self, reason: str) -> None:
        self.window.set_unlocked(False)
        self.window.statusBar().clearMessage()
        if self._quitting:
            self._finish_quit()
            return
        self.show_start_page()
        self.unlock_view.show_info(LOCK_REASONS.get(reason, "Locked."))

    # ---- quitting ------------------------------------------------------------------

    def quit(self) -> None:
        self._quitting = True
        if self.session.is_unlocked:
            if not self.session.request_lock("quit"):
                return  # waits for the write to finish; _locked finishes the quit
        elif self.tasks.writing:
            self.window.statusBar().showMessage("Closing as soon as saving has finished…")
            self.tasks.idle.connect(self._finish_quit)
            return
        self._finish_quit()

    def _finish_quit(self) -> None:
        self.autolock.uninstall()
        self.tasks.wait(10_000)
        self.window.allow_close()
        self.window.close()
        app = QApplication.instance()
        if app is not None and self._exit_app_on_quit:
            QTimer.singleShot(0, lambda: app.exit(self.exit_code))

    # ---- vault-wide actions --------------------------------------------------------

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
                                on_progress=dialog.show_progress, cancellable=True)
        dialog.cancel_requested.connect(handle.cancel)
        dialog.finished.connect(closed)
        dialog.show()

    def backup(self, parent: QWidget) -> None:
        if not self.session.is_unlocked:
            return
        where = QFileDialog.getExistingDirectory(
            parent, "Choose where to put the backup (e.g. a USB stick)", str(Path.home()))
        if not where or not self.session.is_unlocked:
            return
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H%M")
        dest = Path(where) / f"Evidence Kit backup {stamp}"
        vault = self.session.vault
        progress = QProgressDialog("Making the backup…", "", 0, 0, parent)
        progress.setWindowTitle("Back up the vault")
        progress.setCancelButton(None)
        progress.setMinimumDuration(0)
        progress.setModal(True)
        progress.show()

        def done(path: Path) -> None:
            progress.close()
            progress.deleteLater()
            QMessageBox.information(
                parent if parent.isVisible() else self.window, "Backup made",
                f"The backup is in:\n{path}\n\nIt is encrypted and opens with the same "
                "passphrase and recovery code.")

        def failed(exc: BaseException) -> None:
            progress.close()
            progress.deleteLater()
            self._error(exc, "making the backup", parent if parent.isVisible() else None)

        self.tasks.run("backup", lambda _p: vault.backup(dest), on_done=done,
                       on_error=failed, writes=True)

    def change_passphrase(self, parent: QWidget) -> None:
        if not self.session.is_unlocked:
            return
        vault = self.session.vault
        dialog = ChangePassphraseDialog(parent)

        def done(_result: Any) -> None:
            dialog.accept()
            QMessageBox.information(parent, "Passphrase changed",
                                    "Your new passphrase is set. The old one no longer "
                                    "opens this vault.")

        def failed(exc: BaseException) -> None:
            dialog.show_error(describe(exc, "changing the passphrase").full)

        def go() -> None:
            if not dialog.new.valid or not self.session.is_unlocked:
                return
            dialog.set_busy(True)
            current, new = dialog.current.text(), dialog.new.passphrase()
            self.tasks.run("passphrase", lambda _p: vault.change_passphrase(current, new),
                           on_done=done, on_error=failed, writes=True)

        dialog.ok_button.clicked.connect(go)
        dialog.new.submitted.connect(go)
        dialog.exec()
        dialog.deleteLater()

    def open_settings(self) -> None:
        if not self.session.is_unlocked:
            return
        vault = self.session.vault
        try:
            profile = load_profile(vault)
            minutes = self.session.autolock_minutes()
        except Exception as exc:
            self._error(exc, "reading the settings")
            return
        default = self.config.vault_folder or self.session.folder
        dialog = SettingsDialog(profile, minutes, self.session.folder, default,
                                vault.key_fingerprint, self.window)
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
        self.apply_settings(dialog.profile(), dialog.autolock.value(), dialog.default_folder)

    def apply_settings(self, profile: Profile, minutes: int, default_folder: Path) -> None:
        try:
            save_profile(self.session.vault, profile)
            self.session.vault.set_setting(AUTOLOCK_SETTING, str(minutes))
        except Exception as exc:
            self._error(exc, "saving the settings")
            return
        if self._autolock_override is None:
            self.autolock.set_timeout_ms(minutes * 60_000)
        self._show_lock_state()
        if default_folder != (self.config.vault_folder or self.session.folder):
            self.config.vault_folder = default_folder
            try:
                self.config.save()
            except Exception as exc:
                self._error(exc, "remembering the vault folder")
                return
        self.window.statusBar().showMessage("Settings saved.", 5000)

    def about(self) -> None:
        QMessageBox.about(
            self.window, f"About {APP_NAME}",
            f"<p><b>{APP_NAME}</b> {__version__}</p>"
            "<p>Keeps evidence of online abuse of school staff in an encrypted, "
            "tamper-evident vault on this computer.</p>"
            "<p>If you are being abused online: do not reply to it; keep the evidence; "
            "tell your headteacher or line manager. Anything involving a child's safety "
            "goes to your designated safeguarding lead. The Professionals Online Safety "
            "Helpline (UK Safer Internet Centre) advises staff who work with children.</p>")
