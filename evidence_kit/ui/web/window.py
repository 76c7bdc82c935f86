"""The web browser's window: address bar, back, forward, reload and Capture this page.

Private by default: an off-the-record profile keeps its HTTP cache and cookies in
memory, so nothing of a page lingers on a shared computer once the window closes. With
"Stay logged in between sessions" (Settings) a named profile keeps them in
:func:`~evidence_kit.ui.web.profile.profile_folder` instead, unencrypted, as the
setting's warning says. Permissions (camera, microphone, location, notifications) are
denied unless the user says yes to the question; a download goes only into the vault,
and only when the user says so.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QRect, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.ui.style import fit_to_screen
from evidence_kit.ui.web.engine import Engine

log = logging.getLogger(__name__)

TITLE = "Evidence Kit — the web browser"
START_TEXT = ("Type or paste the address of the page, then press Enter. "
              "Capture this page keeps it in the vault with its exact address.")
CAPTURE_STYLE = ("QPushButton { background: #1a5fa8; color: white; font-weight: bold; "
                 "padding: 6px 14px; border-radius: 4px; } "
                 "QPushButton:disabled { background: #8aa5c4; }")

PERMISSION_WORDS = {
    "MediaAudioCapture": "use your microphone",
    "MediaVideoCapture": "use your camera",
    "MediaAudioVideoCapture": "use your camera and microphone",
    "DesktopVideoCapture": "see your screen",
    "DesktopAudioVideoCapture": "see your screen and hear its sound",
    "Geolocation": "know where you are",
    "Notifications": "show notifications",
    "ClipboardReadWrite": "read your clipboard",
    "MouseLock": "take over your mouse pointer",
    "LocalFontsAccess": "list the fonts on this computer",
}


def address_from_text(text: str) -> QUrl | None:
    """What the address bar's text names, the way a browser reads it (None: nothing)."""
    text = text.strip()
    if not text:
        return None
    url = QUrl.fromUserInput(text)
    return url if url.isValid() else None


class PageHolder(QWidget):
    """Holds the page view at its own size, except while the whole page is rendered.

    For the whole-page picture the view leaves the window for a moment: as a window of
    its own that is never shown on the screen, as tall as the page, so the engine draws
    all of it (inside the window it would draw only the part the window shows). The
    holder shows a line of text meanwhile, and the view comes back at the same place.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: QWidget | None = None
        self.stretched = False
        self.note = QLabel("Capturing the whole page…", self)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.hide()

    def hold(self, view: QWidget) -> None:
        self.view = view
        view.setParent(self)
        view.setGeometry(self.rect())

    def stretch(self, height: int) -> None:
        view = self.view
        assert view is not None
        self.stretched = True
        view.setGeometry(QRect(0, 0, view.width(), height))

    def unstretch(self) -> None:
        view = self.view
        if view is None or not self.stretched:
            return
        self.stretched = False
        view.setGeometry(self.rect())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.view is not None and not self.stretched:
            self.view.setGeometry(self.rect())


class WebBrowserWindow(QMainWindow):
    capture_requested = Signal()
    download_offered = Signal(object)  # QWebEngineDownloadRequest
    closed = Signal()

    def __init__(self, engine: Engine, profile: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.engine = engine
        self.profile = profile
        self.typed: str | None = None
        """The address the user last asked for (typed, or a link they followed: None)."""
        self.ask_permissions = True  # tests: False denies without asking
        web = engine.widgets
        self.view = web.QWebEngineView()
        self.page = engine.core.QWebEnginePage(profile, self.view)
        self.view.setPage(self.page)

        self.back_button = self._tool("←", "Back", QKeySequence.StandardKey.Back)
        self.forward_button = self._tool("→", "Forward", QKeySequence.StandardKey.Forward)
        self.reload_button = self._tool("⟳", "Reload", QKeySequence.StandardKey.Refresh)
        self.address = QLineEdit(self)
        self.address.setAccessibleName("Web address")
        self.address.setPlaceholderText("https://… the address of the page")
        self.capture_button = QPushButton("Capture this page", self)
        self.capture_button.setStyleSheet(CAPTURE_STYLE)
        self.capture_button.setToolTip("Keep this page in the vault: what you see, the whole "
                                       "page, an archive to open offline and its words")
        self.capture_button.setEnabled(False)
        self.status_label = QLabel(START_TEXT, self)
        self.status_label.setProperty("hint", True)
        self.status_label.setWordWrap(True)
        self.status_label.setContentsMargins(8, 0, 8, 2)
        self.holder = PageHolder(self)
        self.holder.hold(self.view)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 2)
        for widget in (self.back_button, self.forward_button, self.reload_button):
            bar.addWidget(widget)
        bar.addWidget(self.address, 1)
        bar.addWidget(self.capture_button)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(bar)
        column.addWidget(self.status_label)
        column.addWidget(self.holder, 1)
        self.setCentralWidget(central)
        fit_to_screen(self, 1280, 900)

        self.back_button.clicked.connect(self.view.back)
        self.forward_button.clicked.connect(self.view.forward)
        self.reload_button.clicked.connect(self.view.reload)
        self.address.returnPressed.connect(self._go)
        self.capture_button.clicked.connect(self.capture_requested)
        self.view.urlChanged.connect(self._url_changed)
        self.view.loadStarted.connect(lambda: self._loading(True))
        self.view.loadFinished.connect(lambda _ok: self._loading(False))
        self.view.titleChanged.connect(self._title_changed)
        self.page.permissionRequested.connect(self._permission)
        self._capture_shortcuts: list[QShortcut] = []

    def _tool(self, text: str, name: str, key: QKeySequence.StandardKey) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setAccessibleName(name)
        shown = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{name} ({shown})" if shown else name)
        button.setShortcut(QKeySequence(key))
        return button

    def set_capture_shortcut(self, sequence: str | None) -> None:
        """The app's capture shortcut captures this page while this window is in front."""
        for shortcut in self._capture_shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._capture_shortcuts = []
        if sequence:
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(self._shortcut_capture)
            self._capture_shortcuts.append(shortcut)

    def _shortcut_capture(self) -> None:
        if self.capture_button.isEnabled():
            self.capture_requested.emit()

    def open(self, text: str) -> bool:
        url = address_from_text(text)
        if url is None:
            self.status_label.setText("That is not a web address. Type it as it shows in "
                                      "a browser, for example https://www.facebook.com/…")
            return False
        self.typed = url.toString()
        self.address.setText(self.typed)
        self.view.setUrl(url)
        return True

    def _go(self) -> None:
        self.open(self.address.text())

    def _url_changed(self, url: QUrl) -> None:
        shown = url.toString()
        if not self.address.hasFocus() or not self.address.isModified():
            self.address.setText(shown)
            self.address.setCursorPosition(0)
        self.address.setModified(False)

    def _title_changed(self, title: str) -> None:
        self.setWindowTitle(f"{title} — {TITLE}" if title else TITLE)

    def _loading(self, busy: bool) -> None:
        history = self.view.history()
        self.back_button.setEnabled(history.canGoBack())
        self.forward_button.setEnabled(history.canGoForward())
        self.capture_button.setEnabled(not busy and not self.view.url().isEmpty())
        if busy:
            self.status_label.setText("Opening the page…")
        else:
            self.status_label.setText("Capture this page keeps it in the vault with its "
                                      "exact address, as the browser has it.")

    def set_busy(self, busy: bool, words: str = "") -> None:
        self.capture_button.setEnabled(not busy)
        if words:
            self.status_label.setText(words)

    def _permission(self, permission: Any) -> None:
        kind = permission.permissionType().name
        asks = PERMISSION_WORDS.get(kind, f"use {kind}")
        site = permission.origin().host() or permission.origin().toString()
        if not self.ask_permissions:
            permission.deny()
            return
        answer = QMessageBox.question(
            self, "The page asks for permission",
            f"{site} asks to {asks}. Evidence Kit says no unless you say yes.\n\n"
            "Allow it for this visit?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            permission.grant()
        else:
            permission.deny()

    def closeEvent(self, event: QCloseEvent) -> None:
        # The page goes with the window: nothing of it stays in memory.
        self.view.setUrl(QUrl("about:blank"))
        self.closed.emit()
        super().closeEvent(event)


def offer_download_words(name: str, site: str) -> str:
    return (f"The page offers a file: {name} (from {site}).\n\nKeep it in the vault as "
            "evidence? It goes straight into the vault with the address it came from; "
            "nothing is saved anywhere else.")

