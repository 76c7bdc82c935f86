"""Keyboard rules every window shares, so Tab and Enter mean the same thing everywhere.

In a note box Enter starts a new line (people write several) and Ctrl+Enter does what the
window is for (save, add, record); each such box's placeholder says so, and the user guide.
Tab and Shift+Tab always lead out of a control: a table is one stop (arrows move within),
and the shortcut box does not swallow Shift+Tab as a shortcut.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QKeySequenceEdit,
    QTableWidget,
    QWidget,
)

MULTILINE_HINT = "Enter starts a new line; Ctrl+Enter {action}"


def hint(action: str) -> str:
    """The words a note box's placeholder ends with, e.g. ``hint("saves")``."""
    return MULTILINE_HINT.format(action=action)


def on_ctrl_enter(widget: QWidget, slot: Callable[[], object], *,
                  whole_window: bool = False) -> None:
    """Ctrl+Return and the keypad's Ctrl+Enter both call ``slot``: from ``widget`` alone,
    or from anywhere in its window."""
    context = (Qt.ShortcutContext.WindowShortcut if whole_window
               else Qt.ShortcutContext.WidgetShortcut)
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        shortcut = QShortcut(QKeySequence(keys), widget)
        shortcut.setContext(context)
        shortcut.activated.connect(slot)


class LeavableTable(QTableWidget):
    """A table that is one stop for Tab: arrows move between cells, typing or F2 edits,
    and Tab from a cell being edited keeps what was typed and moves to the next cell
    without editing it, so the next Tab leaves the table.

    Qt's own table walks every cell with Tab and wraps from the last back to the first,
    so a person using the keyboard could never reach the buttons below it.
    """

    def __init__(self, rows: int, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(rows, columns, parent)
        self.setTabKeyNavigation(False)
        triggers = QAbstractItemView.EditTrigger
        self.setEditTriggers(triggers.DoubleClicked | triggers.SelectedClicked
                             | triggers.EditKeyPressed | triggers.AnyKeyPressed)

    def closeEditor(self, editor: QWidget,
                    hint: QAbstractItemDelegate.EndEditHint) -> None:
        hints = QAbstractItemDelegate.EndEditHint
        if hint not in (hints.EditNextItem, hints.EditPreviousItem):
            super().closeEditor(editor, hint)
            return
        super().closeEditor(editor, hints.NoHint)
        index = self.currentIndex()
        cell = index.row() * self.columnCount() + index.column()
        cell += 1 if hint == hints.EditNextItem else -1
        if 0 <= cell < self.rowCount() * self.columnCount():
            self.setCurrentCell(cell // self.columnCount(), cell % self.columnCount())


class ShortcutEdit(QKeySequenceEdit):
    """A shortcut box that lets Tab and Shift+Tab move on (Qt records Shift+Tab as a
    shortcut, so the box could be entered by keyboard but never left backwards)."""

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) \
                and isinstance(event, QKeyEvent) and _plain_tab(event):
            if event.type() == QEvent.Type.KeyPress:
                self.focusNextPrevChild(event.key() == Qt.Key.Key_Tab)
            event.accept()
            return True
        return super().event(event)


def _plain_tab(event: QKeyEvent) -> bool:
    extra = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
    return event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not extra
