"""Our windows out of the way of a screen grab, and back afterwards.

Modal dialogs, which Qt would close if hidden (ending their ``exec()``), are made
transparent and moved off the screen instead; menus and tool tips are closed. A window
deleted while hidden (locking closes dialogs) is forgotten as it goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEventLoop, QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

FAR = QPoint(-100_000, -100_000)


@dataclass
class _Hidden:
    widget: QWidget
    moved_from: QPoint | None  # None: hidden; else moved off screen from here
    opacity: float
    forget: Callable[..., None]


class HiddenWindows:
    def __init__(self) -> None:
        self._hidden: list[_Hidden] = []

    def hide_all(self, keep: tuple[QWidget | None, ...] = ()) -> bool:
        """Take every window of ours off the screen but ``keep``; True if there was any."""
        self._hidden = []
        any_hidden = False
        for widget in QApplication.topLevelWidgets():
            if not widget.isVisible() or widget.isMinimized():
                continue
            if any(widget is k for k in keep):
                continue
            kind = widget.windowType()
            any_hidden = True
            if kind in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
                widget.hide()  # menus and tips are not brought back
            elif isinstance(widget, QDialog) and widget.isModal():
                self._remember(widget, widget.pos(), widget.windowOpacity())
                widget.setWindowOpacity(0.0)
                widget.move(FAR)
            else:
                self._remember(widget, None, 1.0)
                widget.hide()
        if any_hidden:
            # An event loop's own processEvents: PySide6 6.12's static one leaks a
            # reference to None per call, which ends in a crash in long sessions.
            QEventLoop().processEvents()
        return any_hidden

    def _remember(self, widget: QWidget, moved_from: QPoint | None, opacity: float) -> None:
        def forget(*_args: object) -> None:
            self._hidden = [h for h in self._hidden if h.forget is not forget]

        widget.destroyed.connect(forget)
        self._hidden.append(_Hidden(widget, moved_from, opacity, forget))

    def restore(self) -> None:
        hidden, self._hidden = self._hidden, []
        for entry in hidden:
            widget = entry.widget
            widget.destroyed.disconnect(entry.forget)
            if entry.moved_from is None:
                widget.show()
            else:
                widget.move(entry.moved_from)
                widget.setWindowOpacity(entry.opacity)
