"""Being told that the screen locked or the computer is about to sleep.

Qt itself only reports application state (``applicationStateChanged``), which on
desktops says little more than whether a window has focus; losing focus must not lock
the vault. On Linux desktops the screen saver and logind announce screen locks and
suspend on D-Bus, which Qt can listen to:

* ``org.freedesktop.ScreenSaver`` / ``org.gnome.ScreenSaver`` ``ActiveChanged(bool)``
  on the session bus (KDE, GNOME, Xfce and others),
* ``org.freedesktop.login1.Manager`` ``PrepareForSleep(bool)`` on the system bus.

Not covered: Windows session locks (WM_WTSSESSION_CHANGE needs a native event filter
and WTSRegisterSessionNotification) and macOS screen locks (distributed notifications);
there the idle timer still locks the vault.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, Slot

log = logging.getLogger(__name__)


class ScreenLockWatcher(QObject):
    """Calls ``on_lock()`` when the desktop says the screen locked or sleep is coming."""

    def __init__(self, on_lock: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_lock = on_lock
        self.listening: list[str] = []

    def start(self) -> None:
        if not sys.platform.startswith("linux"):
            return
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # pragma: no cover - QtDBus ships with PySide6-Essentials
            return
        session = QDBusConnection.sessionBus()
        if session.isConnected():
            for service, path in (("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"),
                                  ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver")):
                if session.connect("", path, service, "ActiveChanged", self,
                                   b"_active_changed(bool)"):
                    self.listening.append(service)
        system = QDBusConnection.systemBus()
        if system.isConnected() and system.connect(
                "org.freedesktop.login1", "/org/freedesktop/login1",
                "org.freedesktop.login1.Manager", "PrepareForSleep", self,
                b"_prepare_for_sleep(bool)"):
            self.listening.append("login1")
        log.debug("screen lock signals: %s", ", ".join(self.listening) or "none")

    @Slot(bool)
    def _active_changed(self, active: bool) -> None:
        if active:
            self._on_lock()

    @Slot(bool)
    def _prepare_for_sleep(self, going: bool) -> None:
        if going:
            self._on_lock()
