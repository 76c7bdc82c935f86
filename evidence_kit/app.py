"""Composition root: builds the QApplication, the services and the controller, and runs.

``evidence-kit`` with no command lands here (see :func:`evidence_kit.__main__.start_app`).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
from typing import Any

from evidence_kit import APP_NAME

log = logging.getLogger(__name__)


def _quit_on_signals(app: Any, controller: Any) -> Any:
    """SIGTERM/SIGINT (logout, Ctrl+C in a terminal) lock the vault and quit cleanly.

    Python runs signal handlers only between bytecodes, which never happens while Qt
    waits for events; a wake-up socket lets Qt notice the signal at once.
    """
    import socket

    from PySide6.QtCore import QSocketNotifier

    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def woke() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)
        controller.quit()

    notifier.activated.connect(woke)
    return (reader, writer, notifier)


def _ask_before_logout(app: Any, controller: Any) -> None:
    """A logout (XSMP and the like) with a capture waiting for the unlock: the capture
    lives only in memory, so the logout is cancelled and the user asked, as on quit."""

    def commit_data(manager: Any) -> None:
        if controller.capture.pending is None or not manager.allowsInteraction():
            return
        manager.cancel()
        manager.release()
        controller.quit()  # asks: unlock and keep it, or quit without it

    app.commitDataRequest.connect(commit_data)


def run_app(args: argparse.Namespace) -> int:
    """Start the desktop app; returns the process exit code."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from evidence_kit import settings
    from evidence_kit.core.errors import EvidenceKitError
    from evidence_kit.ui.controller import AppController
    from evidence_kit.ui.style import apply_style

    settings.configure_logging()
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("evidence-kit")
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("org.evidencekit.EvidenceKit")  # matches the .desktop file
    # Capture hides every window for a moment and the tray keeps working without one:
    # quitting is always explicit (the controller locks first).
    app.setQuitOnLastWindowClosed(False)
    apply_style(app)

    config = settings.AppConfig.load()
    folder = settings.resolve_vault_folder(getattr(args, "vault", None), config)
    try:
        secret_file = getattr(args, "passphrase_file", None)
        passphrase = settings.read_secret_file(secret_file) if secret_file else None
        kdf = settings.kdf_from_environment()
    except EvidenceKitError as exc:
        sys.stderr.write(f"evidence-kit: {exc}\n")
        return exc.exit_code

    controller = AppController(folder, config, kdf=kdf)
    keep = _quit_on_signals(app, controller) if os.name == "posix" else None
    _ask_before_logout(app, controller)
    controller.start(passphrase)
    del passphrase
    code = app.exec()
    if controller.session.is_unlocked:  # the event loop ended some other way
        controller.session.request_lock("quit")
    controller.tasks.wait(10_000)
    del keep
    return int(code)
