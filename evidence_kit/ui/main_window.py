"""The main window: menus, toolbar and one central page at a time (layout only).

The title is always "Evidence Kit": nothing about the evidence shows in the title bar,
the task bar or the window switcher of a shared computer.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from evidence_kit import APP_NAME


class MainWindow(QMainWindow):
    close_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(QSize(640, 460))
        self.resize(1100, 720)
        self.pages = QStackedWidget(self)
        self.setCentralWidget(self.pages)
        self._allow_close = False

        def action(text: str,
                   shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                   tip: str = "") -> QAction:
            act = QAction(text, self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            if tip:
                act.setStatusTip(tip)
                act.setToolTip(tip)
            return act

        self.import_action = action("&Import files…", "Ctrl+I",
                                    "Add screenshots, emails, recordings or other files")
        self.backup_action = action("&Back up the vault…", None,
                                    "Make a complete encrypted copy in a folder you choose")
        self.lock_action = action("&Lock", "Ctrl+L", "Lock the vault now (Ctrl+L)")
        self.quit_action = action("&Quit", QKeySequence.StandardKey.Quit)
        self.new_incident_action = action("&New incident…", QKeySequence.StandardKey.New,
                                          "Start a new incident")
        self.rename_incident_action = action("&Rename incident…", "F2")
        self.summary_action = action("Edit incident &summary…")
        self.move_action = action("&Move to incident…", "Ctrl+M",
                                  "Move the selected items to another incident")
        self.verify_action = action("&Check the vault…", None,
                                    "Check that nothing in the vault was changed or lost")
        self.settings_action = action("&Settings…", QKeySequence.StandardKey.Preferences)
        if self.settings_action.shortcut().isEmpty():
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.about_action = action("&About Evidence Kit")

        menu = self.menuBar()
        self.file_menu: QMenu = menu.addMenu("&File")
        self.file_menu.addAction(self.import_action)
        # Capture actions (screen, region, delayed) are added here by the capture feature;
        # `capture_anchor` marks the place. Nothing is shown until they exist.
        self.capture_anchor = self.file_menu.addSeparator()
        self.file_menu.addAction(self.backup_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addAction(self.quit_action)
        self.incident_menu: QMenu = menu.addMenu("I&ncident")
        for act in (self.new_incident_action, self.rename_incident_action,
                    self.summary_action, self.move_action):
            self.incident_menu.addAction(act)
        self.vault_menu: QMenu = menu.addMenu("&Vault")
        self.vault_menu.addAction(self.verify_action)
        self.vault_menu.addAction(self.settings_action)
        self.help_menu: QMenu = menu.addMenu("&Help")
        self.help_menu.addAction(self.about_action)

        self.toolbar = QToolBar("Main toolbar", self)
        self.toolbar.setObjectName("main-toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # Capture buttons go first in this toolbar when the capture feature lands.
        self.toolbar.addAction(self.import_action)
        self.toolbar.addAction(self.new_incident_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.verify_action)
        self.toolbar.addAction(self.settings_action)
        spacer = QWidget(self.toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.toolbar.addAction(self.lock_action)
        self.addToolBar(self.toolbar)

        self.state_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.state_label)
        self.set_unlocked(False)

    @property
    def evidence_actions(self) -> tuple[QAction, ...]:
        return (self.import_action, self.backup_action, self.lock_action,
                self.new_incident_action, self.rename_incident_action, self.summary_action,
                self.move_action, self.verify_action, self.settings_action)

    def set_unlocked(self, unlocked: bool) -> None:
        for act in self.evidence_actions:
            act.setEnabled(unlocked)
        self.toolbar.setVisible(unlocked)
        self.incident_menu.menuAction().setVisible(unlocked)
        self.vault_menu.menuAction().setVisible(unlocked)
        if not unlocked:
            self.state_label.setText("Locked")

    def show_page(self, widget: QWidget) -> None:
        if self.pages.indexOf(widget) < 0:
            self.pages.addWidget(widget)
        self.pages.setCurrentWidget(widget)

    def discard_page(self, widget: QWidget) -> None:
        """Take a page out of the window and delete it (not just hide it)."""
        self.pages.removeWidget(widget)
        widget.setParent(None)
        widget.deleteLater()

    def allow_close(self) -> None:
        self._allow_close = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._allow_close:
            event.accept()
            return
        event.ignore()
        self.close_requested.emit()
