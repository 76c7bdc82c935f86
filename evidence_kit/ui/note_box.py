"""The one rule for boxes of several lines, in every window.

In a note box Enter starts a new line (people write several) and Ctrl+Enter does what the
window is for (save, add, record); each such box's placeholder says so, and the user guide.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

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
