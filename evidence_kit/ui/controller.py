"""The app controller: which screen shows, unlocking, locking and quitting; the wiring.

Owns the main window, the task runner, the session and the auto-lock, and builds the
controllers of each flow, giving each the session, the task runner and the window it
needs: :mod:`~evidence_kit.ui.vault_actions` (check, backup, passphrase, settings),
:mod:`~evidence_kit.ui.first_run_flow`, :mod:`~evidence_kit.ui.capture_controller`,
:mod:`~evidence_kit.ui.stop_path_controller` and, while unlocked,
:mod:`~evidence_kit.ui.workspace`. The views emit what the user asked for; failures
become words through :mod:`evidence_kit.ui.messages`.

Over 400 lines on purpose: it is the one place every menu, view and flow is wired
to its controller, and reads best whole.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMessageBox,
    QWidget,
)

from evidence_kit import wording
from evidence_kit.core import keys
from evidence_kit.core.clock import Clock, SystemClock
from evidence_kit.core.errors import NotFound
from evidence_kit.core.model import VerifyReport
from evidence_kit.core.profile import load_profile
from evidence_kit.core.vault import Vault, vault_exists
from evidence_kit.intake import Details
from evidence_kit.settings import AppConfig
from evidence_kit.ui.about import app_icon
from evidence_kit.ui.capture_controller import CaptureController
from evidence_kit.ui.checkpoint_handover import check_against_checkpoint, give_checkpoint
from evidence_kit.ui.dialogs import VerifyDialog
from evidence_kit.ui.first_run import FirstRunWizard
from evidence_kit.ui.first_run_flow import FirstRunFlow
from evidence_kit.ui.guidance import GuidanceDialog
from evidence_kit.ui.main_window import MainWindow
from evidence_kit.ui.messages import describe
from evidence_kit.ui.packs_made import show_packs_made
from evidence_kit.ui.referral_form import edit_current_incident
from evidence_kit.ui.remote import CaptureListener
from evidence_kit.ui.screenlock import ScreenLockWatcher
from evidence_kit.ui.session import AutoLock, KdfFactory, VaultSession
from evidence_kit.ui.shortcut import GlobalShortcut
from evidence_kit.ui.stop_path_controller import StopPathController
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.tray import TrayIcon, tray_available
from evidence_kit.ui.unlock import RecoveryDialog, UnlockView, WelcomeView
from evidence_kit.ui.vault_actions import VaultActions
from evidence_kit.ui.web.controller import WebBrowserController
from evidence_kit.ui.web.engine import FilterPause
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
        self.guidance_dialog: GuidanceDialog | None = None
        self._quitting = False
        self.quit_question: QMessageBox | None = None  # while a waiting capture is asked about
        self.exit_code = 0
        self.first_run_flow = FirstRunFlow(self.session, self.window, self)
        self.first_run_flow.finished.connect(self._first_run_finished)
        clock = clock or SystemClock()
        self.stop_path = StopPathController(self.session, self.window, clock, self)
        self.stop_path.unlock_requested.connect(self.bring_to_front)
        # Capture from anywhere: created after the session's own unlock handling, so a
        # capture waiting for the unlock finds the workspace already there.
        self.capture = CaptureController(self.session, self.tasks, self.window,
                                         self.stop_path, clock=clock, parent=self)
        self.capture.current_incident = self._current_incident
        self.capture.pending_waiting.connect(self.show_pending_capture)
        self.capture.vault_changed.connect(self._reload_workspace)
        self.capture.guidance_requested.connect(self.show_guidance)
        self.capture.details.thumbnail_ready.connect(self._thumbnail_ready)
        self.web = WebBrowserController(
            self.session, self.tasks, self.window, self.capture.details, clock=clock,
            keep_logins=lambda: self.config.web_keep_logins,
            shortcut=lambda: None if self.shortcut_text() else self.config.capture_shortcut,
            filters=FilterPause(self._lift_autolock, self._reinstall_autolock),
            parent=self)
        self.web.status.connect(lambda t: self.window.statusBar().showMessage(t, 8000))
        # 'evidence-kit capture' (a desktop's own shortcut, where we cannot set one) asks
        # this running app to capture, since the app holds the vault.
        self.listener: CaptureListener | None = None
        if listen:
            self.listener = CaptureListener(
                folder, lambda mode, monitor, delay, details: self.capture.capture(
                    mode, monitor=monitor, delay=delay, details=details), self,
                check=self._check_handed_details)
        self.shortcut: GlobalShortcut | None = None
        if global_shortcut:
            self.shortcut = GlobalShortcut(self)
            self.shortcut.activated.connect(self._shortcut_pressed)
            self._start_shortcut()
        self.vault_actions = VaultActions(self.session, self.tasks, self.window, config,
                                          self.shortcut, self)
        from evidence_kit.ui.trusted_time import TrustedTimeDrainer

        self.trusted_time = TrustedTimeDrainer(self.session, self.tasks, self)
        self.vault_actions.trusted_time = self.trusted_time
        self.vault_actions.autolock_changed.connect(self._autolock_changed)
        self.vault_actions.shortcut_changed.connect(self._start_shortcut)
        self.vault_actions.status.connect(
            lambda t: self.window.statusBar().showMessage(t, 5000))
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
        for act, do in (
            (w.import_action, lambda ws: ws.imports.import_files()),
            (w.import_folder_action, lambda ws: ws.imports.import_folder()),
            (w.new_incident_action, lambda ws: ws.incident_actions.new_incident()),
            (w.rename_incident_action, lambda ws: ws.incident_actions.rename_incident()),
            (w.summary_action, lambda ws: ws.incident_actions.edit_summary()),
            (w.referral_action, edit_current_incident),
            (w.move_action, lambda ws: ws.incident_actions.move_selected()),
            (w.export_action, lambda ws: ws.export_pack()),
        ):
            act.triggered.connect(lambda _c=False, do=do: self._in_workspace(do))
        va = self.vault_actions
        w.verify_action.triggered.connect(va.verify)
        w.give_checkpoint_action.triggered.connect(
            lambda: self._with_vault(give_checkpoint))
        w.check_checkpoint_action.triggered.connect(
            lambda: self._with_vault(check_against_checkpoint))
        w.packs_action.triggered.connect(lambda: self._with_vault(show_packs_made))
        w.verify_bundle_action.triggered.connect(lambda: va.verify_bundle())
        w.settings_action.triggered.connect(lambda: va.open_settings())
        w.backup_action.triggered.connect(lambda: va.backup(self.window))
        w.about_action.triggered.connect(va.about)
        c = self.capture
        w.capture_region_action.triggered.connect(c.capture_region)
        w.capture_screen_action.triggered.connect(c.capture_screen)
        w.capture_scroll_action.triggered.connect(c.capture_scroll)
        w.capture_monitor_menu.aboutToShow.connect(
            lambda: c.fill_monitor_menu(w.capture_monitor_menu))
        for seconds, act in w.delay_actions.items():
            act.triggered.connect(lambda _c=False, s=seconds: c.capture_delayed(s))
        w.web_browser_action.triggered.connect(lambda: self.web.open())
        w.stop_path_action.triggered.connect(lambda: self.stop_path.open())
        w.guidance_action.triggered.connect(lambda: self.show_guidance())
        w.files_dropped.connect(self._files_dropped)
        w.due_banner.check_now.connect(lambda _check: self.bring_to_front())
        self.unlock_view.discard_pending.connect(c.discard_pending)
        c.pending_changed.connect(self.unlock_view.show_pending)
        self.unlock_view.unlock_requested.connect(self.unlock)
        self.unlock_view.recovery_requested.connect(self.use_recovery_code)
        self.welcome_view.create_requested.connect(self.first_run_flow.start)
        self.welcome_view.open_other_requested.connect(self.open_other_vault)
        self.welcome_view.check_pack_requested.connect(lambda: va.verify_bundle())
        self.unlock_view.check_pack_requested.connect(lambda: va.verify_bundle())
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

    def _watched_windows(self) -> list[Any]:
        shown = [self.window, self.web.browser]
        return [w.windowHandle() for w in shown if w is not None and w.windowHandle()]

    def _lift_autolock(self) -> None:
        # While the web browser is open the auto-lock watches our two windows instead
        # of the whole app (see ui/web/engine.FilterPause for why).
        self.autolock.uninstall()
        self._autolock_windows = self._watched_windows()
        for handle in self._autolock_windows:
            handle.installEventFilter(self.autolock)

    def _reinstall_autolock(self) -> None:
        for handle in getattr(self, "_autolock_windows", []):
            with contextlib.suppress(RuntimeError):  # the web browser's window is gone
                handle.removeEventFilter(self.autolock)
        self._autolock_windows = []
        app = QApplication.instance()
        if isinstance(app, QApplication) and not self._quitting:
            self.autolock.install(app)

    def _shortcut_pressed(self) -> None:
        # With the web browser in front, the capture shortcut captures its page.
        browser = self.web.browser
        if browser is not None and browser.isActiveWindow():
            self.web.capture()
        else:
            self.capture.capture_region()

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
        dialog.stop_path.connect(lambda: self.stop_path.open(dialog))

        def settings() -> None:
            dialog.close()
            self.vault_actions.open_settings(tab=1)

        dialog.open_settings.connect(settings)
        dialog.destroyed.connect(lambda *_: setattr(self, "guidance_dialog", None))
        dialog.show()

    def _files_dropped(self, paths: list[Path]) -> None:
        self._in_workspace(lambda ws: ws.imports.import_paths(paths))

    def _folder_text(self) -> str:
        return f"Vault folder: {self.session.folder}"

    def _in_workspace(self, do: Callable[[WorkspaceController], object]) -> None:
        if self.workspace is not None and self.workspace.is_open:
            do(self.workspace)

    def _current_incident(self) -> int | None:
        workspace = self.workspace
        return workspace.current_incident() if workspace is not None else None

    def _reload_workspace(self, select: object) -> None:
        self._in_workspace(lambda ws: ws.reload(select=select))

    def _thumbnail_ready(self, sha256: str) -> None:
        self._in_workspace(lambda ws: ws.model.thumbnail_changed(sha256))

    def _check_handed_details(self, details: Details) -> str | None:
        """Refuse a capture asked for with an incident this vault does not have, while
        the command that asked can still say so; when locked it is checked at the commit."""
        if details.incident is None or not self.session.is_unlocked:
            return None
        try:
            self.session.vault.incident(details.incident)
        except NotFound as exc:
            return str(exc)
        return None

    # ---- what the flows hold, for the tests and the screenshots ---------------------

    @property
    def wizard(self) -> FirstRunWizard | None:
        return self.first_run_flow.wizard

    @property
    def verify_dialog(self) -> VerifyDialog | None:
        return self.vault_actions.verify_dialog

    @property
    def last_verify(self) -> VerifyReport | None:
        return self.vault_actions.last_verify

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
            self.window.state_label.setText("Locked")
        else:
            self.window.state_label.clear()
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

    def _first_run_finished(self) -> None:
        if self.session.is_unlocked:
            self.autolock.arm()
        else:
            self.show_start_page()

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
            snapshot=snapshot if isinstance(snapshot, Snapshot) else None,
            capture_shortcut=self.shortcut_text())
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
        notices, self.session.cleanup_notices = self.session.cleanup_notices, []
        if notices:
            box = QMessageBox(QMessageBox.Icon.Information, "Cleaned up after an export",
                              "\n\n".join(notices), QMessageBox.StandardButton.Ok,
                              self.window)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()  # not modal to the app: the vault is already usable

    def _autolock_changed(self, minutes: int) -> None:
        if self._autolock_override is None:
            self.autolock.set_timeout_ms(minutes * 60_000)
        self._show_lock_state()

    def _show_lock_state(self) -> None:
        minutes = max(1, self.autolock.timeout_ms // 60_000)
        self.window.state_label.setText(
            f"Unlocked · locks after {wording.plural(minutes, 'minute')} unused "
            "· Ctrl+L locks now")

    def _about_to_lock(self) -> None:
        self.autolock.disarm()
        self.capture.about_to_lock()
        self.web.shutdown()  # the pages it shows go too
        # Close every open dialog first (their results are discarded), then the evidence.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        self.vault_actions.about_to_lock()
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
        if self.capture.pending is not None and not self._quitting:
            self._ask_about_waiting_capture()
            return
        self._quitting = True
        if self.session.is_unlocked:
            if not self.session.request_lock("quit"):
                return  # waits for the write to finish; _locked finishes the quit
        elif self.tasks.writing:
            self.window.statusBar().showMessage("Closing as soon as saving has finished…")
            self.tasks.idle.connect(self._finish_quit)
            return
        self._finish_quit()

    def _ask_about_waiting_capture(self) -> None:
        """A capture taken while locked lives only in memory: quitting would lose it."""
        if self.quit_question is not None:
            self.quit_question.raise_()
            return
        self.bring_to_front()
        box = QMessageBox(QMessageBox.Icon.Warning, "A capture is waiting",
                          "A capture taken while Evidence Kit was locked is waiting to be "
                          "kept. Unlock the vault to keep it; if you quit now it is lost.",
                          QMessageBox.StandardButton.NoButton, self.window)
        keep = box.addButton("&Unlock and keep it", QMessageBox.ButtonRole.AcceptRole)
        lose = box.addButton("&Quit without it", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.quit_question = box

        def answered(_result: int) -> None:
            self.quit_question = None
            clicked = box.clickedButton()
            box.deleteLater()
            if clicked is lose:
                self.capture.discard_pending()
                self.quit()
                return
            self.show_pending_capture()
            self.window.statusBar().showMessage(
                "Not quitting: unlock to keep the capture, then quit.", 10_000)

        box.finished.connect(answered)
        box.open()

    def _finish_quit(self) -> None:
        self.autolock.uninstall()
        self.capture.shutdown()
        self.web.shutdown()
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

    def _with_vault(self, show: Callable[[QWidget, Vault, TaskRunner], None]) -> None:
        if self.session.is_unlocked:
            show(self.window, self.session.vault, self.tasks)
