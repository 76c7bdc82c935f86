"""Scrolling capture in the app: the Stop control and the run off the UI thread.

Once a region is chosen on the frozen frame (our windows are still hidden), a small
floating control appears *beside* the region, never over it, so it is in no frame; the
scrolling and grabbing run on a worker (:func:`~evidence_kit.capture.scrolling.
scroll_capture`), and the frames, the stitch and the sequence event are committed there
at once (:func:`~evidence_kit.intake.commit_scroll`). Stop is read between frames.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from evidence_kit.capture.screen import Region, ScreenGrabber
from evidence_kit.capture.scrolling import (
    MAX_FRAMES,
    STOPPED_END,
    ScrollResult,
    pynput_scroller,
    scroll_capture,
    with_in_front,
)
from evidence_kit.core.model import Item
from evidence_kit.intake import Details, commit_scroll
from evidence_kit.ui.tasks import TaskRunner

GAP = 12  # logical pixels between the region and the control


def place_beside(region: QRect, size: tuple[int, int], screens: list[QRect]) -> QPoint | None:
    """Where a control of ``size`` fits on a screen without touching ``region``: right of
    it, left, below, above; None when the region leaves no room anywhere."""
    width, height = size
    candidates = [
        QPoint(region.right() + 1 + GAP, region.top()),
        QPoint(region.left() - GAP - width, region.top()),
        QPoint(region.left(), region.bottom() + 1 + GAP),
        QPoint(region.left(), region.top() - GAP - height),
    ]
    for point in candidates:
        box = QRect(point.x(), point.y(), width, height)
        if not box.intersects(region) and any(s.contains(box) for s in screens):
            return point
    for screen in screens:  # another monitor the region is not on
        if not screen.intersects(region):
            return screen.topLeft() + QPoint(GAP, GAP)
    return None


class StopControl(QWidget):
    """"Scrolling… 3 pictures so far [Stop]", floating beside the region."""

    def __init__(self, stop: threading.Event) -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint
                         | Qt.WindowType.X11BypassWindowManagerHint
                         | Qt.WindowType.Tool)
        self.setWindowTitle("Scrolling capture")
        self._stop = stop
        self.setObjectName("scrollStop")
        self.setStyleSheet("#scrollStop { background: rgb(20, 30, 40); }"
                           "#scrollStop QLabel { color: white; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label = QLabel("Scrolling and capturing…", self)
        self.button = QPushButton("&Stop", self)
        self.button.setToolTip("Keep what has been captured so far and stop scrolling")
        self.button.clicked.connect(self.stop)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label)
        layout.addWidget(self.button)

    def stop(self) -> None:
        self._stop.set()
        self.button.setEnabled(False)
        self.label.setText("Stopping after this picture…")

    def frames(self, count: int) -> None:
        if not self._stop.is_set():
            self.label.setText(f"Scrolling and capturing… {count} "
                               f"{'picture' if count == 1 else 'pictures'} so far")

    def show_beside(self, region: Region) -> bool:
        """Shown beside the region if there is room; False (not shown) if there is none."""
        self.adjustSize()
        rect = QRect(region.left, region.top, region.width, region.height)
        screens = [s.geometry() for s in QGuiApplication.screens()]
        point = place_beside(rect, (self.width(), self.height()), screens)
        if point is None:
            return False
        self.move(point)
        self.show()
        self.raise_()
        return True


def summary(result: ScrollResult) -> str:
    """What the user is told when the scrolling capture is kept."""
    count = len(result.frames)
    kept = f"{count} {'picture' if count == 1 else 'pictures'} kept"
    if result.stitched is not None:
        width, height = result.stitched.image.size
        joined = f", joined into one {width} × {height} image"
    elif result.failure:
        joined = ", not joined (see the message)"
    else:
        joined = ""
    ending = ("" if result.stopped == STOPPED_END
              else f". It stopped because {result.stopped}")
    return f"Scrolling capture: {kept}{joined}{ending}."


def run_scroll(tasks: TaskRunner, grabber: ScreenGrabber, region: Region, vault: Any,
               details: Details, in_front: dict[str, Any] | None, stop: threading.Event,
               control: StopControl, on_done: Callable[[tuple[ScrollResult, list[Item]]], None],
               on_error: Callable[[BaseException], None], *, max_frames: int = MAX_FRAMES,
               scroller: Callable[..., Any] = pynput_scroller) -> None:
    """Scroll, grab, stitch and commit on a worker; the callbacks run on the UI thread."""

    def work(progress: Callable[[int, int], None]) -> tuple[ScrollResult, list[Item]]:
        monitor, checked = grabber.resolve(region)
        scroll, restore = scroller(checked)
        try:
            result = scroll_capture(grabber, checked, scroll, stop=stop, monitor=monitor,
                                    max_frames=max_frames,
                                    progress=lambda n: progress(n, max_frames))
        finally:
            restore()
        result = with_in_front(result, in_front)
        return result, commit_scroll(vault, result, details)

    tasks.run("scrolling capture", work, on_done=on_done, on_error=on_error,
              on_progress=lambda n, _total: control.frames(n), writes=True)
