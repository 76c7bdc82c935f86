"""The main window: menus, toolbar and one central page at a time (layout only).

The title is always "Evidence Kit": nothing about the evidence shows in the title bar,
the task bar or the window switcher of a shared computer.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit import APP_NAME
from evidence_kit.ui.checkpoint_handover import CHECK_TEXT, GIVE_TEXT
from evidence_kit.ui.drops import dropped_paths
from evidence_kit.ui.style import fit_to_screen
from evidence_kit.ui.tracking import DueBanner

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

DELAYS = (3, 5, 10)


class MainWindow(QMainWindow):
    close_requested = Signal()
    files_dropped = Signal(list)  # list[Path]

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(QSize(640, 460))
        fit_to_screen(self, 1100, 720)
        central = QWidget(self)
        self.due_banner = DueBanner(central)
        self.pages = QStackedWidget(central)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.due_banner)
        central_layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.setAcceptDrops(True)
        self.drops_allowed = False
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
        self.import_folder_action = action("Import a f&older…", None,
                                           "Add every file in a folder (a phone export, "
                                           "a chat export…)")
        self.backup_action = action("&Back up the vault…", None,
                                    "Make a complete encrypted copy in a folder you choose")
        self.export_action = action("&Export a pack…", "Ctrl+E",
                                    "Make a PDF and a ZIP for SLT, the police or the LADO")
        # Works locked too: someone who received a pack needs no vault to check it.
        self.verify_bundle_action = action("Check an evidence &pack (ZIP)…", None,
                                           "Check that a pack you were given was not altered")
        self.lock_action = action("&Lock", "Ctrl+L", "Lock the vault now (Ctrl+L)")
        self.quit_action = action("&Quit", QKeySequence.StandardKey.Quit)
        self.new_incident_action = action("&New incident…", QKeySequence.StandardKey.New,
                                          "Start a new incident")
        self.rename_incident_action = action("&Rename incident…", "F2")
        self.summary_action = action("Edit incident &summary…")
        self.referral_action = action("LADO re&ferral details…", None,
                                      "The adult, the children and the LADO's criteria, "
                                      "for a referral")
        self.move_action = action("&Move to incident…", "Ctrl+M",
                                  "Move the selected items to another incident")
        self.verify_action = action("&Check the vault…", None,
                                    "Check that nothing in the vault was changed or lost")
        self.give_checkpoint_action = action(GIVE_TEXT, None, "Save a signed checkpoint for "
                                             "someone else to keep, outside your control")
        self.check_checkpoint_action = action(CHECK_TEXT, None, "Check the vault still extends "
                                              "a checkpoint you gave someone")
        self.packs_action = action("&Packs you made…", None, "The packs made from this vault, "
                                   "where they were saved, and deleting their files")
        self.settings_action = action("&Settings…", QKeySequence.StandardKey.Preferences)
        if self.settings_action.shortcut().isEmpty():
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.about_action = action("&About Evidence Kit")
        # Capture works while locked too: the grab waits in memory for the unlock.
        self.capture_region_action = action(
            "&Capture a region…", None, "Freeze the screen and drag around what to keep")
        self.capture_scroll_action = action(
            "Capture a &long chat or thread (scrolling)…", None,
            "Choose an area; Evidence Kit scrolls it, keeps every screen and joins them")
        self.capture_screen_action = action("Capture the &whole screen", None,
                                            "Capture every monitor at once")
        # The web browser reads a page's exact address and keeps the whole page too.
        self.web_browser_action = action(
            "Capture a web page in the &web browser…", None,
            "Open a page inside Evidence Kit; Capture this page keeps it with its exact "
            "address, the whole page and an archive")
        self.capture_monitor_menu = QMenu("Capture one &monitor", self)
        self.capture_delay_menu = QMenu("Capture after a &delay", self)
        self.delay_actions: dict[int, QAction] = {}
        for seconds in DELAYS:
            act = action(f"In {seconds} seconds", None,
                         "Time to open a menu or hover first; a countdown shows")
            self.capture_delay_menu.addAction(act)
            self.delay_actions[seconds] = act
        self.stop_path_action = action(
            "This contains a sexual image of a &child…", None,
            "Nothing is captured: shows what to do now and keeps a written record only")
        self.guidance_action = action("What to do: &guidance", "F1",
                                      "What to do when you are abused online, and whom to tell")

        menu = self.menuBar()
        self.file_menu: QMenu = menu.addMenu("&File")
        for entry in self.capture_entries:
            if isinstance(entry, QMenu):
                self.file_menu.addMenu(entry)
            else:
                self.file_menu.addAction(entry)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.import_action)
        self.file_menu.addAction(self.import_folder_action)
        self.file_menu.addAction(self.export_action)
        self.file_menu.addAction(self.stop_path_action)
        self.capture_anchor = self.file_menu.addSeparator()
        self.file_menu.addAction(self.backup_action)
        self.file_menu.addAction(self.verify_bundle_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addAction(self.quit_action)
        self.incident_menu: QMenu = menu.addMenu("I&ncident")
        for act in (self.new_incident_action, self.rename_incident_action,
                    self.summary_action, self.referral_action, self.move_action):
            self.incident_menu.addAction(act)
        self.vault_menu: QMenu = menu.addMenu("&Vault")
        self.vault_menu.addAction(self.verify_action)
        self.vault_menu.addAction(self.give_checkpoint_action)
        self.vault_menu.addAction(self.check_checkpoint_action)
        self.vault_menu.addAction(self.packs_action)
        self.vault_menu.addAction(self.settings_action)
        self.help_menu: QMenu = menu.addMenu("&Help")
        self.help_menu.addAction(self.guidance_action)
        self.help_menu.addAction(self.stop_path_action)
        self.help_menu.addAction(self.verify_bundle_action)
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)

        self.toolbar = QToolBar("Main toolbar", self)
        self.toolbar.setObjectName("main-toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.capture_button = QToolButton(self.toolbar)
        self.capture_button.setText("Capture")
        self.capture_button.setToolTip("Capture a region of the screen (the arrow offers "
                                       "more)")
        self.capture_button.setAccessibleName("Capture")
        self.capture_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        capture_menu = QMenu(self.capture_button)
        for entry in self.capture_entries:
            if isinstance(entry, QMenu):
                capture_menu.addMenu(entry)
            else:
                capture_menu.addAction(entry)
        capture_menu.addSeparator()
        capture_menu.addAction(self.stop_path_action)
        self.capture_button.setMenu(capture_menu)
        self.capture_button.clicked.connect(self.capture_region_action.trigger)
        self.toolbar.addWidget(self.capture_button)
        self.toolbar.addAction(self.import_action)
        self.toolbar.addAction(self.export_action)
        self.toolbar.addAction(self.new_incident_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.guidance_action)
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
    def capture_entries(self) -> list[QAction | QMenu]:
        """The capture actions, in menu order (File menu, toolbar and tray share them)."""
        return [self.capture_region_action, self.capture_scroll_action,
                self.capture_screen_action, self.capture_monitor_menu,
                self.capture_delay_menu, self.web_browser_action]

    @property
    def evidence_actions(self) -> tuple[QAction, ...]:
        return (self.import_action, self.import_folder_action, self.backup_action,
                self.export_action, self.lock_action,
                self.new_incident_action, self.rename_incident_action, self.summary_action,
                self.referral_action,
                self.move_action, self.verify_action, self.give_checkpoint_action,
                self.check_checkpoint_action, self.packs_action, self.settings_action)

    def set_unlocked(self, unlocked: bool) -> None:
        for act in self.evidence_actions:
            act.setEnabled(unlocked)
        self.toolbar.setVisible(unlocked)
        self.incident_menu.menuAction().setVisible(unlocked)
        self.vault_menu.menuAction().setVisible(unlocked)
        self.drops_allowed = unlocked
        if not unlocked:
            # The start page says "Locked" once a vault exists; before that there is
            # nothing to be locked, so the status bar says nothing.
            self.state_label.clear()
            self.due_banner.show_checks([], {}, _EPOCH)

    def show_page(self, widget: QWidget) -> None:
        if self.pages.indexOf(widget) < 0:
            self.pages.addWidget(widget)
        self.pages.setCurrentWidget(widget)

    def discard_page(self, widget: QWidget) -> None:
        """Take a page out of the window and delete it (not just hide it)."""
        self.pages.removeWidget(widget)
        widget.setParent(None)
        widget.deleteLater()

    # ---- drag and drop: files and folders onto the window import them ------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.drops_allowed and dropped_paths(event):
            event.acceptProposedAction()
            self.statusBar().showMessage(
                "Drop to add these to the vault. If anything in them shows a sexual image "
                "of a child, do not drop it: use File ▸ This contains a sexual image of a "
                "child.")
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.drops_allowed and dropped_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: object) -> None:
        self.statusBar().clearMessage()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event)
        self.statusBar().clearMessage()
        if not self.drops_allowed or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.files_dropped.emit(paths)

    def allow_close(self) -> None:
        self._allow_close = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._allow_close:
            event.accept()
            return
        event.ignore()
        self.close_requested.emit()
