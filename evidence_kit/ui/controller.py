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
from PySide6.QtGui import QAction, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from evidence_kit import APP_NAME
from evidence_kit.core import keys
from evidence_kit.core.clock import Clock, SystemClock
from evidence_kit.core.fsutil import atomic_write
from evidence_kit.core.model import VerifyReport
from evidence_kit.core.profile import Profile, load_profile, save_profile
from evidence_kit.core.vault import vault_exists
from evidence_kit.settings import AppConfig
from evidence_kit.ui.about import app_icon
from evidence_kit.ui.capture_controller import CaptureController
from evidence_kit.ui.dialogs import ChangePassphraseDialog, SettingsDialog, VerifyDialog
from evidence_kit.ui.first_run import FirstRunActions, FirstRunWizard
from evidence_kit.ui.guidance import GuidanceDialog
from evidence_kit.ui.main_window import MainWindow
from evidence_kit.ui.messages import describe, verify_words
from evidence_kit.ui.recovery_code import NewRecoveryCodeDialog
from evidence_kit.ui.remote import CaptureListener
from evidence_kit.ui.screenlock import ScreenLockWatcher
from evidence_kit.ui.session import AUTOLOCK_SETTING, AutoLock, KdfFactory, VaultSession
from evidence_kit.ui.shortcut import GlobalShortcut, availability
from evidence_kit.ui.tasks import Cancelled, TaskRunner
from evidence_kit.ui.tray import TrayIcon, tray_available
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
        global_shortcut: bool = True, tray: bool = True, listen: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._exit_app_on_quit = exit_app_on_quit
        self.config = config
        self.window = MainWindow()
        self.window.setWindowIcon(app_icon())
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
        self.guidance_dialog: GuidanceDialog | None = None
        self.last_verify: VerifyReport | None = None
        self._quitting = False
        self.exit_code = 0
        # Capture from anywhere: created after the session's own unlock handling, so a
        # capture waiting for the unlock finds the workspace already there.
        self.capture = CaptureController(self, clock=clock or SystemClock())
        # 'evidence-kit capture' (a desktop's own shortcut, where we cannot set one) asks
        # this running app to capture, since the app holds the vault.
        self.listener: CaptureListener | None = None
        if listen:
            self.listener = CaptureListener(
                folder, lambda mode, monitor, delay: self.capture.capture(
                    mode, monitor=monitor, delay=delay), self)
        self.shortcut: GlobalShortcut | None = None
        if global_shortcut:
            self.shortcut = GlobalShortcut(self)
            self.shortcut.activated.connect(self.capture.capture_region)
            self._start_shortcut()
        self.open_action = QAction("&Open Evidence Kit", self)
        self.open_action.triggered.connect(self.bring_to_front)
        self.tray: TrayIcon | None = None
        if tray and tray_available():
            self.tray = TrayIcon(self.window.capture_entries, self.window.stop_path_action,
                                 self.open_action, self.window.lock_action,
                                 self.window.quit_action, self)
            self.tray.open_requested.connect(self.bring_to_front)
            self.tray.show()

        w = self.window
        w.lock_action.triggered.connect(lambda: self.session.request_lock("user"))
        w.quit_action.triggered.connect(self.quit)
        w.close_requested.connect(self.quit)
        w.import_action.triggered.connect(lambda: self._in_workspace("import_files"))
        w.import_folder_action.triggered.connect(lambda: self._in_workspace("import_folder"))
        w.new_incident_action.triggered.connect(lambda: self._in_workspace("new_incident"))
        w.rename_incident_action.triggered.connect(
            lambda: self._in_workspace("rename_incident"))
        w.summary_action.triggered.connect(lambda: self._in_workspace("edit_summary"))
        w.move_action.triggered.connect(lambda: self._in_workspace("move_selected"))
        w.verify_action.triggered.connect(self.verify)
        w.export_action.triggered.connect(lambda: self._in_workspace("export_pack"))
        w.verify_bundle_action.triggered.connect(lambda: self.verify_bundle())
        w.settings_action.triggered.connect(self.open_settings)
        w.backup_action.triggered.connect(lambda: self.backup(self.window))
        w.about_action.triggered.connect(self.about)
        c = self.capture
        w.capture_region_action.triggered.connect(c.capture_region)
        w.capture_screen_action.triggered.connect(c.capture_screen)
        w.capture_monitor_menu.aboutToShow.connect(
            lambda: c.fill_monitor_menu(w.capture_monitor_menu))
        for seconds, act in w.delay_actions.items():
            act.triggered.connect(lambda _c=False, s=seconds: c.capture_delayed(s))
        w.stop_path_action.triggered.connect(lambda: c.open_stop_path())
        w.guidance_action.triggered.connect(lambda: self.show_guidance())
        w.files_dropped.connect(self._files_dropped)
        w.due_banner.check_now.connect(lambda _check: self.bring_to_front())
        self.unlock_view.discard_pending.connect(c.discard_pending)
        c.pending_changed.connect(self.unlock_view.show_pending)
        self.unlock_view.unlock_requested.connect(self.unlock)
        self.unlock_view.recovery_requested.connect(self.use_recovery_code)
        self.welcome_view.create_requested.connect(self.first_run)
        self.welcome_view.open_other_requested.connect(self.open_other_vault)
        self.welcome_view.check_pack_requested.connect(lambda: self.verify_bundle())
        self.unlock_view.check_pack_requested.connect(lambda: self.verify_bundle())
        self.session.unlocked.connect(self._unlocked)
        self.session.about_to_lock.connect(self._about_to_lock)
        self.session.locked.connect(self._locked)
        self.session.lock_waiting.connect(
            lambda: self.window.statusBar().showMessage(
                "Evidence Kit will lock as soon as it has finished saving."))

    # ---- capture, guidance and the tray ----------------------------------------------

    def _start_shortcut(self) -> None:
        if self.shortcut is None:
            return
        sequence = self.config.capture_shortcut
        if not sequence:
            self.shortcut.stop()
        elif not self.shortcut.start(sequence):
            log.info("capture shortcut not active: %s", self.shortcut.problem)
        # Shown beside the menu item (after a tab), without making it a second,
        # in-app shortcut that would fire twice.
        shown = self.shortcut_text()
        self.window.capture_region_action.setText(
            "&Capture a region…" + (f"\t{shown}" if shown else ""))

    def shortcut_text(self) -> str | None:
        if self.shortcut is not None and self.shortcut.active and self.shortcut.sequence:
            return QKeySequence(self.shortcut.sequence).toString(
                QKeySequence.SequenceFormat.NativeText)
        return None

    def bring_to_front(self) -> None:
        w = self.window
        if w.isMinimized():
            w.showNormal()
        w.show()
        w.raise_()
        w.activateWindow()

    def show_pending_capture(self) -> None:
        """A capture taken while locked waits: the unlock page says so."""
        self.bring_to_front()
        if not self.session.is_unlocked:
            self.show_start_page()
            self.unlock_view.show_pending(True)
            self.unlock_view.passphrase.setFocus()

    def show_guidance(self, parent: QWidget | None = None) -> None:
        if self.guidance_dialog is not None:
            self.guidance_dialog.raise_()
            self.guidance_dialog.activateWindow()
            return
        profile = None
        if self.session.is_unlocked:
            try:
                profile = load_profile(self.session.vault)
            except Exception:
                profile = None
        window = self.window
        if parent is None and window.isVisible() and not window.isMinimized():
            parent = window
        dialog = GuidanceDialog(profile, self.shortcut_text(), parent)
        self.guidance_dialog = dialog
        dialog.stop_path.connect(lambda: self.capture.open_stop_path(dialog))

        def settings() -> None:
            dialog.close()
            self.open_settings(tab=1)

        dialog.open_settings.connect(settings)
        dialog.destroyed.connect(lambda *_: setattr(self, "guidance_dialog", None))
        dialog.show()

    def _files_dropped(self, paths: list[Path]) -> None:
        if self.workspace is not None and self.workspace.is_open:
            self.workspace.import_paths(paths)

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
        self.workspace.capture_requested.connect(self.capture.capture_again)
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
        self.capture.about_to_lock()
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
        self.capture.shutdown()
        if self.listener is not None:
            self.listener.close()
        if self.shortcut is not None:
            self.shortcut.stop()
        if self.tray is not None:
            self.tray.hide()
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

        def done(result: Any) -> None:
            dialog.accept()
            if isinstance(result, str):  # a rotation: its new recovery code, shown once
                shown = NewRecoveryCodeDialog(result, parent)
                shown.print_code.connect(lambda: self.print_code(shown, result))
                shown.save_code.connect(lambda: self.save_code(shown, result))
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
                           on_done=done, on_error=failed, writes=True)

        dialog.ok_button.clicked.connect(go)
        dialog.new.submitted.connect(go)
        dialog.exec()
        dialog.deleteLater()

    def open_settings(self, tab: int = 0) -> None:
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
        found = availability()
        if self.shortcut is not None and self.shortcut.problem and found.ok:
            note, ok = self.shortcut.problem, True
        else:
            note, ok = found.reason, found.ok
        dialog = SettingsDialog(profile, minutes, self.session.folder, default,
                                vault.key_fingerprint, self.window,
                                shortcut=self.config.capture_shortcut, shortcut_ok=ok,
                                shortcut_note=note)
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
                            shortcut=dialog.capture_shortcut())

    def apply_settings(self, profile: Profile, minutes: int, default_folder: Path,
                       shortcut: str | None = None) -> None:
        try:
            save_profile(self.session.vault, profile)
            self.session.vault.set_setting(AUTOLOCK_SETTING, str(minutes))
        except Exception as exc:
            self._error(exc, "saving the settings")
            return
        if self._autolock_override is None:
            self.autolock.set_timeout_ms(minutes * 60_000)
        self._show_lock_state()
        shortcut_changed = shortcut is not None and shortcut != self.config.capture_shortcut
        if shortcut_changed:
            assert shortcut is not None
            self.config.capture_shortcut = shortcut
            self._start_shortcut()
            if shortcut and self.shortcut is not None and not self.shortcut.active:
                QMessageBox.warning(self.window, "Shortcut not set",
                                    self.shortcut.problem or "The shortcut could not be set.")
        folder_changed = default_folder != (self.config.vault_folder or self.session.folder)
        if folder_changed:
            self.config.vault_folder = default_folder
        if folder_changed or shortcut_changed:
            try:
                self.config.save()
            except Exception as exc:
                self._error(exc, "remembering the vault folder")
                return
        self.window.statusBar().showMessage("Settings saved.", 5000)

    def about(self) -> None:
        from evidence_kit.ui.about import AboutDialog

        existing = self.window.findChild(AboutDialog)
        if existing is not None:
            existing.raise_()
            existing.activateWindow()
            return
        AboutDialog(self.session.folder, self.config.path, self.window).open()
