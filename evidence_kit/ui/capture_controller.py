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

Step 2 lives in :mod:`~evidence_kit.ui.window_hiding`, step 4's dialog in
:mod:`~evidence_kit.ui.capture_details`, the stop path in
:mod:`~evidence_kit.ui.stop_path_controller`. The controller gets the session, the task
runner, the main window and the stop path; it tells the app what it needs (show the
waiting capture, reload the evidence, show the guidance) through signals.

Over 400 lines on purpose: one capture's steps, in the order they happen, read best
in one place.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRect, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from evidence_kit.capture.foreground import InFrontReader
from evidence_kit.capture.screen import Frame, Grab, MonitorInfo, Region, ScreenGrabber
from evidence_kit.capture.scrolling import MAX_FRAMES, ScrollResult, pynput_scroller
from evidence_kit.core.clock import Clock, SystemClock
from evidence_kit.core.errors import NotFound
from evidence_kit.core.model import Item
from evidence_kit.intake import Details, commit_capture
from evidence_kit.ui.capture_details import STOP_REASON, CaptureDetails
from evidence_kit.ui.capture_dialog import CaptureDetailsDialog
from evidence_kit.ui.countdown import CountdownWindow
from evidence_kit.ui.messages import show_error
from evidence_kit.ui.region_overlay import RegionOverlay
from evidence_kit.ui.scroll_capture import StopControl, run_scroll, summary
from evidence_kit.ui.session import VaultSession
from evidence_kit.ui.stop_path_controller import StopPathController
from evidence_kit.ui.stop_path_dialog import StopPathDialog
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.window_hiding import HiddenWindows

__all__ = ["DELAYS", "REGION", "SCREEN", "SCROLL", "SETTLE_MS", "STOP_REASON", "CaptureController"]

log = logging.getLogger(__name__)

SETTLE_MS = 200
"""How long the screen gets to repaint after our windows are hidden, before the grab.

Without a compositor the apps below repaint within a few milliseconds; compositing
desktops may fade a hidden window out over up to ~150 ms.
"""

DELAYS = (3, 5, 10)

REGION = "region"
SCREEN = "screen"
SCROLL = "scroll"


@dataclass
class Pending:
    """A grab taken while the vault was locked, held in memory until unlock or discard."""

    grab: Grab
    selection: dict[str, Any] | None
    taken_at: float
    details: Details = dataclasses.field(default_factory=Details)


def usable_details(vault: Any, details: Details) -> Details:
    """The details to keep with a capture: an incident that is not (or no longer) in the
    vault is left out, so the capture itself is never refused for it."""
    if details.incident is None:
        return details
    try:
        vault.incident(details.incident)
    except NotFound:
        log.info("incident %s given with a capture is not in the vault", details.incident)
        return dataclasses.replace(details, incident=None)
    return details


class CaptureController(QObject):
    pending_changed = Signal(bool)
    pending_waiting = Signal()  # a capture waits for the unlock: show the unlock page
    busy_changed = Signal(bool)

    def __init__(self, session: VaultSession, tasks: TaskRunner, window: QMainWindow,
                 stop_path: StopPathController, *, clock: Clock | None = None,
                 settle_ms: int = SETTLE_MS,
                 grabber_factory: Callable[..., ScreenGrabber] = ScreenGrabber,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tasks = tasks
        self.window = window
        self.stop_path = stop_path
        self.details = CaptureDetails(session, tasks, window, stop_path, self)
        self.details.status.connect(self._status)
        # The app's business, passed through: what changed, and the guidance asked for.
        self.committed = self.details.committed
        self.vault_changed = self.details.vault_changed
        self.guidance_requested = self.details.guidance_requested
        self.clock: Clock = clock or SystemClock()
        self.settle_ms = settle_ms
        self._grabber_factory = grabber_factory
        self._grabber: ScreenGrabber | None = None
        self._busy = False
        self._hidden = HiddenWindows()
        self.in_front_reader = InFrontReader()
        self._in_front: dict[str, Any] | None = None
        self.pending: Pending | None = None
        # What the command line typed with the capture under way ('evidence-kit capture
        # --url … --note …'): kept with it at once and shown in the details window.
        self._given = Details()
        self.overlay: RegionOverlay | None = None
        self._frame: Frame | None = None
        self.countdown: CountdownWindow | None = None
        self.overlay_geometry: QRect | None = None  # tests: where the overlay goes
        self.scroll_control: StopControl | None = None
        self.scroll_max_frames = MAX_FRAMES
        self.scroller: Callable[..., Any] = pynput_scroller
        self.timings: dict[str, float] = {}
        self.session.unlocked.connect(self._unlocked)
        app_instance = QGuiApplication.instance()
        if isinstance(app_instance, QGuiApplication):
            app_instance.screenAdded.connect(self._screen_added)
            app_instance.screenRemoved.connect(self._screens_changed)
            for screen in QGuiApplication.screens():
                screen.geometryChanged.connect(self._screens_changed)

    # ---- what the parts hold --------------------------------------------------------

    @property
    def dialog(self) -> CaptureDetailsDialog | None:
        return self.details.dialog

    @property
    def stop_dialog(self) -> StopPathDialog | None:
        return self.stop_path.dialog

    @property
    def current_incident(self) -> Callable[[], int | None]:
        return self.details.current_incident

    @current_incident.setter
    def current_incident(self, read: Callable[[], int | None]) -> None:
        self.details.current_incident = read

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

    def capture_scroll(self) -> None:
        self.capture(SCROLL)

    def capture_delayed(self, seconds: int) -> None:
        self.capture(REGION, delay=seconds)

    def capture_again(self, incident: int | None) -> None:
        """A fresh capture for an incident (after a check found the content still up)."""
        self.details.preset_incident = incident
        self.capture(REGION)

    def capture(self, mode: str, *, monitor: int = 0, delay: int = 0,
                details: Details | None = None) -> None:
        self.timings = {"requested": time.perf_counter()}
        if self._busy:
            return
        self._given = details or Details()
        if self.pending is not None:
            self.show_pending()
            return
        if not self.session.vault_exists():
            QMessageBox.information(
                self.window, "Set up Evidence Kit first",
                "There is no vault to keep captures in yet. Set up your vault first; "
                "then captures from anywhere go straight into it.")
            return
        if mode == SCROLL and not self.session.is_unlocked:
            # Its frames are committed as they are joined: there is no holding a whole
            # sequence in memory until an unlock.
            QMessageBox.information(
                self.window, "Unlock the vault first",
                "A scrolling capture goes straight into the vault. Unlock it, then start "
                "the scrolling capture again.")
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
        # Before our windows go (hiding one hands the focus on): the window the user was
        # looking at, after any countdown, which may have been spent opening a menu.
        self._in_front = self.in_front_reader.read().to_record()
        self.timings["in_front"] = time.perf_counter()
        if self._hidden.hide_all(keep=(self.countdown, self.overlay)):
            QTimer.singleShot(self.settle_ms, lambda: self._grab(mode, monitor, delay))
        else:
            self._grab(mode, monitor, delay)

    # ---- grabbing ------------------------------------------------------------------

    def _open_vault(self) -> Any:
        return self.session.vault if self.session.is_unlocked else None

    def _grab(self, mode: str, monitor: int, delay: int) -> None:
        try:
            grabber = self.grabber()
        except Exception as exc:
            self._failed(exc)
            return
        if mode in (REGION, SCROLL):
            try:
                frame = grabber.grab_frame(delay_ms=delay * 1000)
            except Exception as exc:
                self._failed(exc)
                return
            self._choose(frame, scroll=mode == SCROLL)
            return
        vault = self._open_vault()
        delay_ms = delay * 1000
        given = self._given
        in_front = self._in_front

        def work(_progress: object) -> tuple[Grab, Item | None, None]:
            grab = dataclasses.replace(grabber.grab(monitor), in_front=in_front)
            if delay_ms:
                grab = dataclasses.replace(grab, delay_ms=delay_ms)
            item = (commit_capture(vault, grab, usable_details(vault, given))
                    if vault is not None else None)
            return grab, item, None

        self.tasks.run("capture", work, on_done=self._grabbed, on_error=self._failed,
                       writes=vault is not None)

    def _choose(self, frame: Frame, *, scroll: bool = False) -> None:
        overlay = RegionOverlay(frame, self.overlay_geometry, scroll=scroll)
        self.overlay = overlay
        overlay.chosen.connect(self._chosen)
        overlay.scroll_chosen.connect(self._scroll_chosen)
        overlay.cancelled.connect(self._overlay_cancelled)
        overlay.stop_path.connect(self._overlay_stop_path)
        overlay.destroyed.connect(lambda *_: self._overlay_gone(overlay))
        self._frame = frame
        overlay.show()

    def _overlay_gone(self, overlay: RegionOverlay) -> None:
        if self.overlay is overlay:
            self.overlay = None

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
        given = self._given
        in_front = self._in_front

        def work(_progress: object) -> tuple[Grab, Item | None, dict[str, Any]]:
            grab = dataclasses.replace(frame.crop(region), in_front=in_front)  # type: ignore[arg-type]
            selection = frame.selection_record(grab)
            item = (commit_capture(vault, grab, usable_details(vault, given),
                                   selection=selection)
                    if vault is not None else None)
            return grab, item, selection

        self.tasks.run("capture", work, on_done=self._grabbed, on_error=self._failed,
                       writes=vault is not None)

    # ---- scrolling capture --------------------------------------------------------

    def _scroll_chosen(self, region: object) -> None:
        self._take_frame()
        vault = self._open_vault()
        if vault is None or not isinstance(region, Region):
            self._finish()
            QMessageBox.information(
                self.window, "Unlock the vault first",
                "A scrolling capture goes straight into the vault. Unlock it, then start "
                "the scrolling capture again.")
            return
        stop = threading.Event()
        control = StopControl(stop)
        self.scroll_control = control
        if not control.show_beside(region):
            self._status("The chosen area fills the screen, so there is no room for a Stop "
                         f"button: it stops at the end, or after {self.scroll_max_frames} "
                         "pictures.", 15000)
        given = usable_details(vault, self._given)
        # The frozen overlay has just gone: the window below gets time to repaint first.
        QTimer.singleShot(self.settle_ms, lambda: run_scroll(
            self.tasks, self.grabber(), region, vault, given, self._in_front, stop, control,
            self._scrolled, self._scroll_failed, max_frames=self.scroll_max_frames,
            scroller=self.scroller))

    def _drop_scroll_control(self) -> None:
        control, self.scroll_control = self.scroll_control, None
        if control is not None:
            control.hide()
            control.deleteLater()

    def _scroll_failed(self, exc: BaseException) -> None:
        self._drop_scroll_control()
        self._failed(exc)

    def _scrolled(self, done: tuple[ScrollResult, list[Item]]) -> None:
        result, items = done
        self.timings["committed"] = time.perf_counter()
        self._drop_scroll_control()
        self._finish()
        given, self._given = self._given, Details()
        self.details.after_commit(result.frames[0], items[0], given)
        self._status(summary(result), 20000)
        if result.failure:
            count = len(result.frames)
            QMessageBox.information(
                self.window, "The pictures could not be joined",
                f"{result.failure}\n\nAll {count} pictures are kept in the vault, in "
                "order; each is evidence on its own. A chat that changes while it scrolls, "
                "or a scroll bar inside the chosen area, can stop them joining: choose just "
                "the messages and try again if you want one long picture.")

    def _overlay_cancelled(self) -> None:
        self._take_frame()
        self._finish()
        self._status("Capture cancelled; nothing was kept.")

    def _overlay_stop_path(self) -> None:
        self._take_frame()
        self._finish()
        self.stop_path.open()

    def _finish(self) -> None:
        self._hidden.restore()
        self._set_busy(False)

    def _failed(self, exc: BaseException) -> None:
        self._take_frame()
        self._finish()
        show_error(self.window, exc, "capturing the screen",
                   title="The screen could not be captured")

    def _grabbed(self, result: tuple[Grab, Item | None, dict[str, Any] | None]) -> None:
        grab, item, selection = result
        self.timings["committed"] = time.perf_counter()
        self._finish()
        given, self._given = self._given, Details()
        if item is None:
            pending = Pending(grab, selection, time.monotonic(), given)
            if self.session.is_unlocked:
                self._commit_pending(pending)
            else:
                self._hold(pending)
            return
        self.details.after_commit(grab, item, given)

    # ---- locked: held in memory ----------------------------------------------------

    def _hold(self, pending: Pending) -> None:
        log.info("capture held in memory until the vault is unlocked")
        self.pending = pending
        self.pending_changed.emit(True)
        self.show_pending()

    def show_pending(self) -> None:
        self.pending_waiting.emit()

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
            details = usable_details(vault, pending.details)
            return (pending.grab, commit_capture(vault, pending.grab, details,
                                                 selection=pending.selection),
                    pending.selection)

        def failed(exc: BaseException) -> None:
            show_error(self.window, exc, "keeping the capture")

        self.tasks.run("capture", work,
                       on_done=lambda r: self.details.after_commit(r[0], r[1],
                                                                   pending.details),
                       on_error=failed, writes=True)

    # ---- locking -------------------------------------------------------------------

    def about_to_lock(self) -> None:
        """The details dialog shows evidence: it goes (the capture itself is kept)."""
        self.details.about_to_lock()
        self.stop_path.about_to_lock()

    def shutdown(self) -> None:
        self._drop_countdown()
        if self.scroll_control is not None:
            self.scroll_control.stop()
        self._drop_scroll_control()
        if self.overlay is not None:
            self.overlay.cancel()
        self.pending = None
        grabber, self._grabber = self._grabber, None
        if grabber is not None:
            grabber.close()
        self.in_front_reader.close()
