"""Choosing a region on a frozen frame of the whole screen.

The frame was grabbed before this overlay appeared; the overlay shows it, dimmed, over
every monitor, and the user drags a rectangle (its size in pixels shown beside it,
handles to adjust it, arrow keys to nudge it). Or by keyboard alone: the arrows move a
cross-hair, Space starts the rectangle there, the arrows (or Shift+arrows) stretch it, and
Space ends it. Enter keeps the rectangle (or, with nothing chosen, the whole screen), Esc
cancels (while drawing by keyboard, Esc drops just that rectangle). What is stored is cut
from the frame's original pixels by :meth:`Frame.crop`, never from what this widget painted.

Selections are kept in the frame's own pixels, so sizes and nudges are exact even when
Qt scales the desktop (the mouse position is converted once, on input).

Over 400 lines on purpose: the overlay's painting, mouse and keyboard handling
work on the same selection state.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from evidence_kit.capture.screen import Frame, Region

DIM = QColor(0, 0, 0, 120)
EDGE = QColor("#4fc3f7")
HANDLE = 9  # logical pixels
MIN_SIZE = 2  # frame pixels; a click without a drag chooses nothing

HELP = ("Enter keeps it · Enter with nothing chosen keeps the whole screen · Esc cancels\n"
        "By keyboard: arrows move the cross-hair · Space starts the rectangle, arrows "
        "stretch it, Space ends it\n"
        "Then arrows move it, Shift+arrows resize it · hold Ctrl for 10 pixels at a time")

_HANDLES = ("tl", "t", "tr", "r", "br", "b", "bl", "l")
_CURSORS = {
    "tl": Qt.CursorShape.SizeFDiagCursor, "br": Qt.CursorShape.SizeFDiagCursor,
    "tr": Qt.CursorShape.SizeBDiagCursor, "bl": Qt.CursorShape.SizeBDiagCursor,
    "t": Qt.CursorShape.SizeVerCursor, "b": Qt.CursorShape.SizeVerCursor,
    "l": Qt.CursorShape.SizeHorCursor, "r": Qt.CursorShape.SizeHorCursor,
    "move": Qt.CursorShape.SizeAllCursor,
}


def frame_image(frame: Frame) -> QImage:
    """The frame as a QImage that borrows its bytes (mss's BGRA is Qt's RGB32)."""
    return QImage(frame.raw, frame.width, frame.height, frame.width * 4,
                  QImage.Format.Format_RGB32)


class _Panel(QFrame):
    """The instructions and buttons, floating over the frame (never part of the capture)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("overlayPanel")
        self.setStyleSheet(
            "#overlayPanel { background: rgba(20, 30, 40, 235); border-radius: 10px; }"
            "#overlayPanel QLabel { color: white; }"
            "#overlayPanel QPushButton { padding: 5px 12px; }"
            "#overlayPanel QPushButton#stop { background: transparent; color: #ffd7a8;"
            " border: none; text-decoration: underline; padding: 2px; }")
        self.title = QLabel("Drag around the part of the screen to keep.", self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.help = QLabel(HELP, self)
        self.keep = QPushButton("Keep the whole screen", self)
        self.keep.setDefault(False)
        self.keep.setAutoDefault(False)
        self.scroll_button = QPushButton("Scroll it and capture it all", self)
        self.scroll_button.setAutoDefault(False)
        self.scroll_button.setToolTip(
            "Evidence Kit scrolls the chosen area with the mouse wheel and keeps a picture "
            "after each scroll, then joins them. Choose the messages, not the scroll bar.")
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setAutoDefault(False)
        self.stop = QPushButton("It shows a sexual image of a child", self)
        self.stop.setObjectName("stop")
        self.stop.setAutoDefault(False)
        self.stop.setCursor(Qt.CursorShape.PointingHandCursor)
        self.stop.setToolTip("Nothing is kept: the frozen picture is dropped and you are "
                             "shown what to do next")
        for button in (self.keep, self.scroll_button, self.cancel, self.stop):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep)
        buttons.addWidget(self.scroll_button)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.stop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.title)
        layout.addWidget(self.help)
        layout.addLayout(buttons)


class RegionOverlay(QWidget):
    """Full-screen chooser over a frozen frame; emits the chosen region in screen pixels."""

    chosen = Signal(object)  # Region, in virtual-screen coordinates
    scroll_chosen = Signal(object)  # Region to scroll and capture frame by frame
    cancelled = Signal()
    stop_path = Signal()

    def __init__(self, frame: Frame, geometry: QRect | None = None, *,
                 scroll: bool = False) -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint
                         | Qt.WindowType.X11BypassWindowManagerHint
                         | Qt.WindowType.Tool)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Choose what to capture")
        self.setAccessibleName("Choose the part of the screen to capture")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._frame: Frame | None = frame
        self._image: QImage | None = frame_image(frame)
        self._sel: QRect | None = None  # in frame pixels, relative to the frame
        self._drag: str | None = None
        self._press = QPoint()
        self._start = QRect()
        self._done = False
        # Drawing by keyboard: the cross-hair (frame pixels; None until a key is used) and,
        # while Space has started a rectangle, the corner it started from.
        self._cross: QPoint | None = None
        self._anchor: QPoint | None = None
        if geometry is None:
            screen = QGuiApplication.primaryScreen()
            geometry = screen.virtualGeometry() if screen is not None else QRect(
                0, 0, frame.region.width, frame.region.height)
        self.setGeometry(geometry)
        self.panel = _Panel(self)
        self.scroll_mode = scroll
        if scroll:  # Enter scrolls; the button says so
            self.panel.title.setText("Drag around what to scroll: the messages, not the "
                                     "scroll bar. Enter starts scrolling.")
            self.panel.keep.hide()
        self.panel.keep.clicked.connect(self.accept)
        self.panel.scroll_button.clicked.connect(self.accept_scroll)
        self.panel.cancel.clicked.connect(self.cancel)
        self.panel.stop.clicked.connect(self._stop_path)
        self._place_panel()

    # ---- coordinates ---------------------------------------------------------------

    def _scale(self) -> tuple[float, float]:
        frame = self._frame
        if frame is None or self.width() <= 0 or self.height() <= 0:
            return (1.0, 1.0)
        return (frame.region.width / self.width(), frame.region.height / self.height())

    def to_frame(self, point: QPointF | QPoint) -> QPoint:
        """A position on this widget as a pixel of the frame (clamped to it)."""
        sx, sy = self._scale()
        frame = self._frame
        w, h = (frame.region.width, frame.region.height) if frame else (0, 0)
        return QPoint(max(0, min(w, round(point.x() * sx))),
                      max(0, min(h, round(point.y() * sy))))

    def to_widget(self, rect: QRect) -> QRectF:
        sx, sy = self._scale()
        return QRectF(rect.x() / sx, rect.y() / sy, rect.width() / sx, rect.height() / sy)

    @property
    def selection(self) -> Region | None:
        """The chosen rectangle in virtual-screen coordinates, if any."""
        if self._sel is None or self._frame is None:
            return None
        origin = self._frame.region
        sel = self._sel
        return Region(origin.left + sel.x(), origin.top + sel.y(), sel.width(), sel.height())

    def set_selection(self, region: Region | None) -> None:
        if region is None or self._frame is None:
            self._sel = None
        else:
            origin = self._frame.region
            self._sel = QRect(region.left - origin.left, region.top - origin.top,
                              region.width, region.height)
        self._changed()

    # ---- finishing -----------------------------------------------------------------

    def accept(self) -> None:
        if self.scroll_mode:
            self.accept_scroll()
            return
        if self._done or self._frame is None:
            return
        region = self.selection or self._frame.region
        self._finish()
        self.chosen.emit(region)

    def accept_scroll(self) -> None:
        if self._done or self._frame is None:
            return
        region = self.selection or self._frame.region
        self._finish()
        self.scroll_chosen.emit(region)

    def cancel(self) -> None:
        if self._done:
            return
        self._finish()
        self.cancelled.emit()

    def _stop_path(self) -> None:
        if self._done:
            return
        self._finish()
        self.stop_path.emit()

    def _finish(self) -> None:
        self._done = True
        self.releaseKeyboard()
        self.hide()
        self.release()
        self.close()

    def release(self) -> None:
        """Drop the frame (it holds the whole screen's pixels)."""
        self._image = None
        self._frame = None

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.raise_()
        self.activateWindow()
        self.setFocus()
        if QGuiApplication.platformName() == "xcb":
            self.grabKeyboard()  # no window manager gives focus to a bypassing window

    # ---- painting ------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self._image is not None:
            painter.drawImage(QRectF(self.rect()), self._image)
        sel = self.to_widget(self._sel) if self._sel is not None else None
        full = QRectF(self.rect())
        if sel is None:
            painter.fillRect(full, DIM)
        else:
            # Dim everything but the selection: four bands around it.
            painter.fillRect(QRectF(0, 0, full.width(), sel.top()), DIM)
            painter.fillRect(QRectF(0, sel.bottom(), full.width(),
                                    full.height() - sel.bottom()), DIM)
            painter.fillRect(QRectF(0, sel.top(), sel.left(), sel.height()), DIM)
            painter.fillRect(QRectF(sel.right(), sel.top(), full.width() - sel.right(),
                                    sel.height()), DIM)
            pen = QPen(EDGE)
            pen.setCosmetic(True)
            pen.setWidth(2)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(sel.adjusted(-1, -1, 1, 1))
            painter.setBrush(EDGE)
            painter.setPen(QPen(QColor("white"), 1))
            for name in _HANDLES:
                painter.drawRect(self._handle_rect(sel, name))
            self._paint_size(painter, sel)
        if self._cross is not None:
            self._paint_cross(painter)
        painter.end()

    def _paint_cross(self, painter: QPainter) -> None:
        assert self._cross is not None
        sx, sy = self._scale()
        x, y = self._cross.x() / sx, self._cross.y() / sy
        pen = QPen(EDGE)
        pen.setCosmetic(True)
        pen.setWidth(1)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        painter.drawLine(QPointF(0, y), QPointF(self.width(), y))

    def _paint_size(self, painter: QPainter, sel: QRectF) -> None:
        assert self._sel is not None
        text = f"{self._sel.width()} × {self._sel.height()} pixels"
        font = painter.font()
        font.setPointSizeF(max(font.pointSizeF(), 10.0))
        font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        box = QRectF(0, 0, metrics.horizontalAdvance(text) + 16, metrics.height() + 8)
        top = sel.top() - box.height() - 6
        if top < 0:
            top = min(sel.bottom() + 6, self.height() - box.height())
        box.moveTo(max(0.0, min(sel.left(), self.width() - box.width())), top)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(20, 30, 40, 230))
        painter.drawRoundedRect(box, 5, 5)
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    @staticmethod
    def _handle_rect(sel: QRectF, name: str) -> QRectF:
        x = {"l": sel.left(), "r": sel.right()}.get(name[-1], sel.center().x())
        if name in ("tl", "bl"):
            x = sel.left()
        elif name in ("tr", "br"):
            x = sel.right()
        y = {"t": sel.top(), "b": sel.bottom()}.get(name[0], sel.center().y())
        if name in ("l", "r"):
            y = sel.center().y()
        half = HANDLE / 2
        return QRectF(x - half, y - half, HANDLE, HANDLE)

    def _hit(self, pos: QPointF) -> str | None:
        if self._sel is None:
            return None
        sel = self.to_widget(self._sel)
        for name in _HANDLES:
            if self._handle_rect(sel, name).adjusted(-3, -3, 3, 3).contains(pos):
                return name
        return "move" if sel.contains(pos) else None

    def _place_panel(self) -> None:
        self.panel.adjustSize()
        size: QSize = self.panel.sizeHint()
        x = max(0, (self.width() - size.width()) // 2)
        top = QRect(x, 24, size.width(), size.height())
        if self._sel is not None and self.to_widget(self._sel).intersects(QRectF(top)):
            top.moveBottom(self.height() - 24)
            if self.to_widget(self._sel).intersects(QRectF(top)):
                top.moveTop(24)
        self.panel.setGeometry(top)

    def _changed(self) -> None:
        has = self._sel is not None
        self.panel.keep.setText("Keep this area" if has else "Keep the whole screen")
        self._place_panel()
        self.update()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._place_panel()

    # ---- input ---------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            if event.button() == Qt.MouseButton.RightButton:
                self.cancel()
            return
        pos = event.position()
        hit = self._hit(pos)
        self._press = self.to_frame(pos)
        self._cross = self._anchor = None  # the mouse takes over from the keyboard
        if hit is None:
            self._drag = "new"
            self._sel = QRect(self._press, QSize(0, 0))
        else:
            self._drag = hit
            assert self._sel is not None
            self._start = QRect(self._sel)
        self._changed()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._drag is None:
            hit = self._hit(pos)
            self.setCursor(_CURSORS.get(hit or "", Qt.CursorShape.CrossCursor))
            return
        point = self.to_frame(pos)
        if self._drag == "new":
            # A drag from grid point a to b covers b - a pixels (QRect(a, b) has one more).
            self._sel = _span(self._press, point)
        elif self._drag == "move":
            self._sel = self._moved(self._start, point - self._press)
        else:
            self._sel = self._resized(self._start, self._drag, point)
        self._changed()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._drag is None:
            return
        self._drag = None
        if self._sel is not None and (self._sel.width() < MIN_SIZE
                                      or self._sel.height() < MIN_SIZE):
            self._sel = None
        self._changed()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self._sel is not None and self._hit(event.position()) == "move":
            self.accept()

    def _bounds(self) -> QRect:
        frame = self._frame
        return QRect(0, 0, frame.region.width, frame.region.height) if frame else QRect()

    def _moved(self, start: QRect, delta: QPoint) -> QRect:
        bounds = self._bounds()
        moved = start.translated(delta)
        dx = max(0, -moved.left()) - max(0, moved.left() + moved.width() - bounds.width())
        dy = max(0, -moved.top()) - max(0, moved.top() + moved.height() - bounds.height())
        return moved.translated(dx, dy)

    @staticmethod
    def _resized(start: QRect, handle: str, point: QPoint) -> QRect:
        left, top = start.x(), start.y()
        right, bottom = start.x() + start.width(), start.y() + start.height()
        if "l" in handle:
            left = point.x()
        if "r" in handle:
            right = point.x()
        if "t" in handle:
            top = point.y()
        if "b" in handle:
            bottom = point.y()
        return _span(QPoint(left, top), QPoint(right, bottom))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._end_drawing()
            self.accept()
            return
        if key == Qt.Key.Key_Escape:
            if self._anchor is not None:
                self._anchor = None
                self._sel = None
                self._changed()
            else:
                self.cancel()
            return
        if key == Qt.Key.Key_Space:
            if self._anchor is None:
                self._start_drawing()
            else:
                self._end_drawing()
            self._changed()
            return
        steps = {Qt.Key.Key_Left: QPoint(-1, 0), Qt.Key.Key_Right: QPoint(1, 0),
                 Qt.Key.Key_Up: QPoint(0, -1), Qt.Key.Key_Down: QPoint(0, 1)}
        if key in steps and (self._sel is None or self._anchor is not None):
            step = steps[Qt.Key(key)]
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                step *= 10
            self._move_cross(step)
            self._changed()
            return
        if key in steps and self._sel is not None:
            step = steps[Qt.Key(key)]
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                step *= 10
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                sel = QRect(self._sel)
                sel.setWidth(max(1, sel.width() + step.x()))
                sel.setHeight(max(1, sel.height() + step.y()))
                self._sel = sel.intersected(self._bounds())
            else:
                self._sel = self._moved(self._sel, step)
            self._changed()
            return
        super().keyPressEvent(event)


    # ---- drawing by keyboard ----------------------------------------------------------

    def _cross_or_centre(self) -> QPoint:
        if self._cross is None:
            bounds = self._bounds()
            self._cross = QPoint(bounds.width() // 2, bounds.height() // 2)
        return self._cross

    def _move_cross(self, step: QPoint) -> None:
        bounds = self._bounds()
        cross = self._cross_or_centre() + step
        self._cross = QPoint(max(0, min(bounds.width(), cross.x())),
                             max(0, min(bounds.height(), cross.y())))
        if self._anchor is not None:
            self._sel = _span(self._anchor, self._cross)

    def _start_drawing(self) -> None:
        self._anchor = QPoint(self._cross_or_centre())
        self._sel = QRect(self._anchor, QSize(0, 0))

    def _end_drawing(self) -> None:
        if self._anchor is None:
            return
        self._anchor = None
        if self._sel is not None and (self._sel.width() < MIN_SIZE
                                      or self._sel.height() < MIN_SIZE):
            self._sel = None


def _span(a: QPoint, b: QPoint) -> QRect:
    """The pixels between two grid points (corners), whichever way round they are."""
    left, right = sorted((a.x(), b.x()))
    top, bottom = sorted((a.y(), b.y()))
    return QRect(left, top, right - left, bottom - top)
