"""Capture from anywhere: tray, global shortcut, menus; locked or not.

One capture at a time goes through these steps:

1. (delayed captures) a countdown in the corner of the screen;
2. every window of ours that is on the screen is hidden (modal dialogs, which Qt would
   close if hidden, are made transparent and moved off the screen), and the screen is
   given :data:`SETTLE_MS` to repaint without them;
3. the grab: a whole screen or one monitor is grabbed and encoded on a worker; a region
   starts with a frozen frame of every monitor, shown by
   :class:`~evidence_kit.ui.region_overlay.RegionOverlay`, and the chosen rectangle is
   cut from that frame's original pixels;
4. the grab is committed at once (``intake.commit_capture``) and our windows return;
   the details dialog opens; what it says is added as events; "Discard" withdraws it.

When the vault is locked the grab is held in memory only, the unlock page comes up
with a line saying a capture is waiting, and it is committed once the vault unlocks,
or dropped if the user discards it. It is never written anywhere unencrypted.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage, QScreen
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QMessageBox, QWidget

from evidence_kit.capture.screen import Frame, Grab, MonitorInfo, ScreenGrabber
from evidence_kit.core.clock import Clock, SystemClock
from evidence_kit.core.model import Item
from evidence_kit.core.profile import load_profile
from evidence_kit.intake import (
    Details,
    add_details,
    add_preview,
    commit_capture,
    discard_capture,
    record_sighting,
)
from evidence_kit.ui import text
from evidence_kit.ui.capture_dialog import CaptureChoices, CaptureDetailsDialog
from evidence_kit.ui.countdown import CountdownWindow
from evidence_kit.ui.messages import describe
from evidence_kit.ui.region_overlay import RegionOverlay
from evidence_kit.ui.stop_path_dialog import SightingForm, StopPathDialog
from evidence_kit.ui.tasks import TaskHandle

if TYPE_CHECKING:
    from evidence_kit.ui.controller import AppController

log = logging.getLogger(__name__)

SETTLE_MS = 200
"""How long the screen gets to repaint after our windows are hidden, before the grab.

Without a compositor the apps below repaint within a few milliseconds; compositing
desktops may fade a hidden window out over up to ~150 ms.
"""

DELAYS = (3, 5, 10)
STOP_REASON = ("Removed at once: the person who captured it said it showed a sexual image "
               "of a child. Nothing of it is kept.")

REGION = "region"
SCREEN = "screen"


@dataclass
class Pending:
    """A grab taken while the vault was locked, held in memory until unlock or discard."""

    grab: Grab
    selection: dict[str, Any] | None
    taken_at: float


@dataclass
class _Hidden:
    widget: QWidget
    moved_from: QPoint | None  # None: hidden; else moved off screen from here
    opacity: float


class CaptureController(QObject):
    committed = Signal(object)  # Item
    pending_changed = Signal(bool)
    busy_changed = Signal(bool)

    def __init__(self, app: AppController, *, clock: Clock | None = None,
                 settle_ms: int = SETTLE_MS,
                 grabber_factory: Callable[..., ScreenGrabber] = ScreenGrabber) -> None:
        super().__init__(app)
        self.app = app
        self.session = app.session
        self.tasks = app.tasks
        self.window = app.window
        self.clock: Clock = clock or SystemClock()
        self.settle_ms = settle_ms
        self._grabber_factory = grabber_factory
        self._grabber: ScreenGrabber | None = None
        self._busy = False
        self._hidden: list[_Hidden] = []
        self.pending: Pending | None = None
        self.dialog: CaptureDetailsDialog | None = None
        self.overlay: RegionOverlay | None = None
        self._frame: Frame | None = None
        self.countdown: CountdownWindow | None = None
        self.stop_dialog: StopPathDialog | None = None
        self.overlay_geometry: QRect | None = None  # tests: where the overlay goes
        self.preset_incident: int | None = None
        self.last_incident: int | None = None
        self._preview: TaskHandle | None = None
        self.timings: dict[str, float] = {}
        self.session.unlocked.connect(self._unlocked)
        app_instance = QGuiApplication.instance()
        if isinstance(app_instance, QGuiApplication):
            app_instance.screenAdded.connect(self._screen_added)
            app_instance.screenRemoved.connect(self._screens_changed)
            for screen in QGuiApplication.screens():
                screen.geometryChanged.connect(self._screens_changed)

    # ---- the grabber ---------------------------------------------------------------

    def grabber(self) -> ScreenGrabber:
        """One reused grabber; a new one after the monitors change (mss reads them once)."""
        if self._grabber is None:
            self._grabber = self._grabber_factory(clock=self.clock)
        return self._grabber

    def _screen_added(self, screen: QScreen) -> None:
        screen.geometryChanged.connect(self._screens_changed)
        self._screens_changed()

    def _screens_changed(self, *_args: object) -> None:
        if self._busy:
            return  # the grabber is in use; the next capture after this one renews it
        grabber, self._grabber = self._grabber, None
        if grabber is not None:
            grabber.close()

    def monitors(self) -> list[MonitorInfo]:
        """The physical monitors (mss numbering, 1…), or none if the screen is unreadable."""
        try:
            return self.grabber().monitors()[1:]
        except Exception as exc:
            log.debug("monitors unavailable: %s", exc)
            return []

    def fill_monitor_menu(self, menu: QMenu) -> None:
        menu.clear()
        found = self.monitors()
        if not found:
            empty = menu.addAction("No monitors found")
            empty.setEnabled(False)
            return
        for monitor in found:
            label = f"Monitor {monitor.index}: {monitor.width} × {monitor.height}"
            if len(found) > 1:
                label += f" at {monitor.left}, {monitor.top}"
            act = menu.addAction(label)
            act.triggered.connect(
                lambda _c=False, n=monitor.index: self.capture(SCREEN, monitor=n))

    # ---- state ---------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    def _status(self, message: str, msecs: int = 8000) -> None:
        self.window.statusBar().showMessage(message, msecs)

    # ---- starting ------------------------------------------------------------------

    def capture_region(self) -> None:
        self.capture(REGION)

    def capture_screen(self) -> None:
        self.capture(SCREEN, monitor=0)

    def capture_delayed(self, seconds: int) -> None:
        self.capture(REGION, delay=seconds)

    def capture_again(self, incident: int | None) -> None:
        """A fresh capture for an incident (after a check found the content still up)."""
        self.preset_incident = incident
        self.capture(REGION)

    def capture(self, mode: str, *, monitor: int = 0, delay: int = 0) -> None:
        self.timings = {"requested": time.perf_counter()}
        if self._busy:
            return
        if self.pending is not None:
            self.show_pending()
            return
        if not self.session.vault_exists():
            QMessageBox.information(
                self.window, "Set up Evidence Kit first",
                "There is no vault to keep captures in yet. Set up your vault first; "
                "then captures from anywhere go straight into it.")
            return
        self._set_busy(True)
        if delay > 0:
            countdown = CountdownWindow(delay)
            self.countdown = countdown

            def go() -> None:
                self._drop_countdown()
                self._hide_then(mode, monitor, delay)

            def stop() -> None:
                self._drop_countdown()
                self._set_busy(False)
                self._status("Delayed capture cancelled; nothing was captured.")

            countdown.finished.connect(go)
            countdown.cancelled.connect(stop)
            countdown.start()
            return
        self._hide_then(mode, monitor, 0)

    def _drop_countdown(self) -> None:
        countdown, self.countdown = self.countdown, None
        if countdown is not None:
            countdown.hide()
            countdown.deleteLater()

    def cancel_countdown(self) -> None:
        if self.countdown is not None:
            self.countdown.mousePressEvent(None)  # type: ignore[arg-type]

    def _hide_then(self, mode: str, monitor: int, delay: int) -> None:
        if self._hide_windows():
            QTimer.singleShot(self.settle_ms, lambda: self._grab(mode, monitor, delay))
        else:
            self._grab(mode, monitor, delay)

    # ---- our windows out of the way --------------------------------------------------

    def _hide_windows(self) -> bool:
        """Take every window of ours off the screen; True if there was any."""
        self._hidden = []
        any_hidden = False
        far = QPoint(-100_000, -100_000)
        for widget in QApplication.topLevelWidgets():
            if not widget.isVisible() or widget.isMinimized():
                continue
            if widget is self.countdown or widget is self.overlay:
                continue
            kind = widget.windowType()
            any_hidden = True
            if kind in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
                widget.hide()  # menus and tips are not brought back
            elif isinstance(widget, QDialog) and widget.isModal():
                # Hiding a dialog that runs exec() would end it; take it away instead.
                self._hidden.append(_Hidden(widget, widget.pos(), widget.windowOpacity()))
                widget.setWindowOpacity(0.0)
                widget.move(far)
            else:
                self._hidden.append(_Hidden(widget, None, 1.0))
                widget.hide()
        if any_hidden:
            # An event loop's own processEvents: PySide6 6.12's static one leaks a
            # reference to None per call, which ends in a crash in long sessions.
            QEventLoop().processEvents()
        return any_hidden

    def _restore_windows(self) -> None:
        hidden, self._hidden = self._hidden, []
        for entry in hidden:
            widget = entry.widget
            if not shiboken6.isValid(widget):
                continue
            if entry.moved_from is None:
                widget.show()
            else:
                widget.move(entry.moved_from)
                widget.setWindowOpacity(entry.opacity)

    # ---- grabbing ------------------------------------------------------------------

    def _open_vault(self) -> Any:
        return self.session.vault if self.session.is_unlocked else None

    def _grab(self, mode: str, monitor: int, delay: int) -> None:
        try:
            grabber = self.grabber()
        except Exception as exc:
            self._failed(exc)
            return
        if mode == REGION:
            try:
                frame = grabber.grab_frame(delay_ms=delay * 1000)
            except Exception as exc:
                self._failed(exc)
                return
            self._choose(frame)
            return
        vault = self._open_vault()
        delay_ms = delay * 1000

        def work(_progress: object) -> tuple[Grab, Item | None, None]:
            grab = grabber.grab(monitor)
            if delay_ms:
                grab = dataclasses.replace(grab, delay_ms=delay_ms)
            item = commit_capture(vault, grab, Details()) if vault is not None else None
            return grab, item, None

        self.tasks.run("capture", work, on_done=self._grabbed, on_error=self._failed,
                       writes=vault is not None)

    def _choose(self, frame: Frame) -> None:
        overlay = RegionOverlay(frame, self.overlay_geometry)
        self.overlay = overlay
        overlay.chosen.connect(self._chosen)
        overlay.cancelled.connect(self._overlay_cancelled)
        overlay.stop_path.connect(self._overlay_stop_path)
        self._frame = frame
        overlay.show()

    def _take_frame(self) -> Frame | None:
        frame, self._frame = self._frame, None
        self.overlay = None
        return frame

    def _chosen(self, region: object) -> None:
        frame = self._take_frame()
        if frame is None:
            return
        self.timings["chosen"] = time.perf_counter()
        vault = self._open_vault()

        def work(_progress: object) -> tuple[Grab, Item | None, dict[str, Any]]:
            grab = frame.crop(region)  # type: ignore[arg-type]
            selection = frame.selection_record(grab)
            item = (commit_capture(vault, grab, Details(), selection=selection)
                    if vault is not None else None)
            return grab, item, selection

        self.tasks.run("capture", work, on_done=self._grabbed, on_error=self._failed,
                       writes=vault is not None)

    def _overlay_cancelled(self) -> None:
        self._take_frame()
        self._finish()
        self._status("Capture cancelled; nothing was kept.")

    def _overlay_stop_path(self) -> None:
        self._take_frame()
        self._finish()
        self.open_stop_path()

    def _finish(self) -> None:
        self._restore_windows()
        self._set_busy(False)

    def _failed(self, exc: BaseException) -> None:
        self._take_frame()
        self._finish()
        message = describe(exc, "capturing the screen")
        QMessageBox.warning(self.window, "The screen could not be captured", message.full)

    def _grabbed(self, result: tuple[Grab, Item | None, dict[str, Any] | None]) -> None:
        grab, item, selection = result
        self.timings["committed"] = time.perf_counter()
        self._finish()
        if item is None:
            pending = Pending(grab, selection, time.monotonic())
            if self.session.is_unlocked:
                self._commit_pending(pending)
            else:
                self._hold(pending)
            return
        self._after_commit(grab, item)

    # ---- locked: held in memory ----------------------------------------------------

    def _hold(self, pending: Pending) -> None:
        log.info("capture held in memory until the vault is unlocked")
        self.pending = pending
        self.pending_changed.emit(True)
        self.show_pending()

    def show_pending(self) -> None:
        self.app.show_pending_capture()

    def discard_pending(self) -> None:
        if self.pending is None:
            return
        self.pending = None
        self.pending_changed.emit(False)
        self._status("The capture was discarded. Nothing of it was stored.")

    def _unlocked(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            self.pending_changed.emit(False)
            self._commit_pending(pending)

    def _commit_pending(self, pending: Pending) -> None:
        vault = self.session.vault

        def work(_progress: object) -> tuple[Grab, Item, dict[str, Any] | None]:
            return (pending.grab, commit_capture(vault, pending.grab, Details(),
                                                 selection=pending.selection),
                    pending.selection)

        def failed(exc: BaseException) -> None:
            self.app._error(exc, "keeping the capture")

        self.tasks.run("capture", work, on_done=lambda r: self._after_commit(r[0], r[1]),
                       on_error=failed, writes=True)

    # ---- committed: details --------------------------------------------------------

    def _after_commit(self, grab: Grab, item: Item) -> None:
        log.info("capture committed as item %s", item.id)
        self.committed.emit(item)
        if not self.session.is_unlocked:
            return
        vault = self.session.vault
        self._preview = self.tasks.run(
            "preview", lambda _p: add_preview(vault, item, grab.data), writes=True,
            on_error=lambda exc: log.debug("no preview for item %s: %s", item.id, exc))
        workspace = self.app.workspace
        if workspace is not None and workspace.is_open:
            workspace.reload()
        self._status("Captured and kept in the vault.")
        self._open_dialog(grab, item)

    def _default_incident(self) -> int | None:
        if self.preset_incident is not None:
            chosen, self.preset_incident = self.preset_incident, None
            return chosen
        workspace = self.app.workspace
        current = workspace.current_incident() if workspace is not None else None
        return current if current is not None else self.last_incident

    def _open_dialog(self, grab: Grab, item: Item) -> None:
        vault = self.session.vault
        try:
            incidents = vault.incidents()
        except Exception as exc:
            self.app._error(exc, "reading the incidents")
            incidents = []
        image = QImage.fromData(grab.data)
        clipboard = QGuiApplication.clipboard()
        clip = clipboard.text() if clipboard is not None else ""
        window = self.window
        parent = window if window.isVisible() and not window.isMinimized() else None
        if self.dialog is not None:
            self.dialog.reject()
        dialog = CaptureDetailsDialog(item, image, incidents, self._default_incident(), clip,
                                      parent)
        del image
        self.dialog = dialog
        item_id = item.id
        dialog.saved.connect(lambda choices: self._save_details(item_id, choices))
        dialog.discard.connect(lambda: self._discard(item_id))
        dialog.stop_path.connect(lambda: self._discard_for_stop_path(item_id))
        dialog.guidance.connect(lambda: self.app.show_guidance(dialog))
        dialog.rejected.connect(lambda: self._closed_without_details(dialog))

        def finished(_result: int) -> None:
            dialog.release()
            if self.dialog is dialog:
                self.dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _closed_without_details(self, dialog: CaptureDetailsDialog) -> None:
        if not dialog.acted:
            self._status("The capture is kept. To add details later, open it and choose "
                         "Edit details.", 10_000)

    def _save_details(self, item_id: int, choices: CaptureChoices) -> None:
        if not self.session.is_unlocked:
            return
        try:
            item = add_details(self.session.vault, item_id, choices.details,
                               choices.new_incident)
        except Exception as exc:
            self.app._error(exc, "saving the details")
            return
        self.last_incident = item.incident_id
        workspace = self.app.workspace
        if workspace is not None and workspace.is_open:
            workspace.reload(select=item.incident_id)
        self._status("Details saved with the capture.")

    def _after_preview(self, then: Callable[[], None]) -> None:
        """Run ``then`` once the thumbnail task is done, so a purge is never undone."""
        handle = self._preview
        if handle is not None and handle.running:
            handle.finished.connect(then)
        else:
            then()

    def _discard(self, item_id: int, reason: str | None = None,
                 then: Callable[[], None] | None = None) -> None:
        def go() -> None:
            if not self.session.is_unlocked:
                return
            try:
                if reason is None:
                    discard_capture(self.session.vault, item_id)
                else:
                    discard_capture(self.session.vault, item_id, reason)
            except Exception as exc:
                self.app._error(exc, "discarding the capture")
                return
            workspace = self.app.workspace
            if workspace is not None and workspace.is_open:
                workspace.reload()
            self._status("The capture was discarded: its picture is gone from the vault; "
                         "the record that it was taken and discarded stays.", 10_000)
            if then is not None:
                then()

        self._after_preview(go)

    def _discard_for_stop_path(self, item_id: int) -> None:
        self._discard(item_id, STOP_REASON)
        self.open_stop_path()

    # ---- the stop path -------------------------------------------------------------

    def open_stop_path(self, parent: QWidget | None = None) -> None:
        """Nothing is grabbed or read: the steps, and a text-only record if wanted."""
        if self.stop_dialog is not None and shiboken6.isValid(self.stop_dialog):
            self.stop_dialog.raise_()
            self.stop_dialog.activateWindow()
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
        self.stop_dialog = dialog
        dialog.record.connect(lambda form: self._record_sighting(dialog, form))

        def unlock() -> None:
            dialog.close()
            self.app.bring_to_front()

        dialog.unlock_requested.connect(unlock)
        dialog.destroyed.connect(lambda *_: setattr(self, "stop_dialog", None))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

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

    # ---- locking -------------------------------------------------------------------

    def about_to_lock(self) -> None:
        """The details dialog shows evidence: it goes (the capture itself is kept)."""
        if self.dialog is not None:
            self.dialog.acted = True
            self.dialog.reject()
        if self.stop_dialog is not None and shiboken6.isValid(self.stop_dialog):
            self.stop_dialog.set_can_record(False)

    def shutdown(self) -> None:
        self._drop_countdown()
        if self.overlay is not None and shiboken6.isValid(self.overlay):
            self.overlay.cancel()
        self.pending = None
        grabber, self._grabber = self._grabber, None
        if grabber is not None:
            grabber.close()
