"""The visible countdown before a delayed capture.

A small window in the corner of the screen that never takes the keyboard focus (so a
menu the user opened stays open) and is hidden before the grab, so it never appears in
it. Clicking it cancels.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QMouseEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class CountdownWindow(QWidget):
    finished = Signal()
    cancelled = Signal()

    def __init__(self, seconds: int) -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint
                         | Qt.WindowType.WindowDoesNotAcceptFocus
                         | Qt.WindowType.ToolTip)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setObjectName("countdown")
        self.setStyleSheet("#countdown { background: #1d2b36; border-radius: 10px; }"
                           "#countdown QLabel { color: white; }")
        self.remaining = seconds
        self.number = QLabel(self)
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 2.4)
        font.setWeight(QFont.Weight.Bold)
        self.number.setFont(font)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel("Capturing the screen in…\nClick here to cancel", self)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 10, 18, 12)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self._show_number()

    def start(self) -> None:
        self.adjustSize()
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.topRight() + QPoint(-self.width() - 24, 24))
        self.show()
        self.timer.start()

    def _show_number(self) -> None:
        self.number.setText(str(self.remaining))

    def _tick(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self.timer.stop()
            self.hide()
            self.finished.emit()
            return
        self._show_number()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.timer.stop()
        self.hide()
        self.cancelled.emit()
