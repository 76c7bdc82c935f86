"""The icon by the clock (where the desktop has a tray): capture without opening the app.

The menu reuses the main window's actions, so what the tray offers and what the File
menu offers can never differ, and each works while the vault is locked.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from evidence_kit import APP_NAME
from evidence_kit.ui.about import app_icon


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


class TrayIcon(QObject):
    """Builds the tray menu from the given actions; ``open_requested`` on a click."""

    open_requested = Signal()

    def __init__(self, capture_actions: list[QAction | QMenu], stop_path: QAction,
                 open_action: QAction, lock: QAction, quit_action: QAction,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.menu = QMenu()
        self.menu.setTitle(APP_NAME)
        for entry in capture_actions:
            if isinstance(entry, QMenu):
                self.menu.addMenu(entry)
            else:
                self.menu.addAction(entry)
        self.menu.addSeparator()
        self.menu.addAction(stop_path)
        self.menu.addSeparator()
        self.menu.addAction(open_action)
        self.menu.addAction(lock)
        self.menu.addAction(quit_action)
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setToolTip(f"{APP_NAME}: capture evidence")
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()
