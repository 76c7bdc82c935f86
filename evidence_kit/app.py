"""Composition root: builds the QApplication, the services and the controller, and runs.

``evidence-kit`` with no command lands here (see :func:`evidence_kit.cli._start_app`).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

from evidence_kit import APP_NAME

log = logging.getLogger(__name__)

# INFO shows when the vault unlocks and locks (never what is in it); scripts and the
# end-to-end test read that.
LOG_LEVEL_ENV = "EVIDENCE_KIT_LOG_LEVEL"


def _read_passphrase_file(path: Path | None) -> str | None:
    if path is None:
        return None
    from evidence_kit.cli import _read_secret_file

    return _read_secret_file(path)


def _kdf_factory() -> Any:
    """The tuned KDF, or the floor when scripts ask for speed (as the CLI allows)."""
    from evidence_kit.cli import KDF_SECONDS_ENV
    from evidence_kit.core import keys

    wanted = os.environ.get(KDF_SECONDS_ENV)
    if wanted is None:
        return keys.tune_kdf
    try:
        seconds = float(wanted)
    except ValueError:
        return keys.tune_kdf
    if seconds <= 0:
        return lambda: keys.FLOOR_PARAMS
    return lambda: keys.tune_kdf(seconds)


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


def run_app(args: argparse.Namespace) -> int:
    """Start the desktop app; returns the process exit code."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from evidence_kit.core.errors import EvidenceKitError
    from evidence_kit.ui.config import AppConfig, default_config_path, resolve_vault_folder
    from evidence_kit.ui.controller import AppController
    from evidence_kit.ui.style import apply_style

    level = os.environ.get(LOG_LEVEL_ENV, "WARNING").upper()
    logging.basicConfig(level=getattr(logging, level, logging.WARNING),
                        format="evidence-kit: %(message)s")
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

    config = AppConfig.load(default_config_path())
    folder = resolve_vault_folder(getattr(args, "vault", None), config)
    try:
        passphrase = _read_passphrase_file(getattr(args, "passphrase_file", None))
    except EvidenceKitError as exc:
        sys.stderr.write(f"evidence-kit: {exc}\n")
        return exc.exit_code

    controller = AppController(folder, config, kdf=_kdf_factory())
    keep = _quit_on_signals(app, controller) if os.name == "posix" else None
    controller.start(passphrase)
    del passphrase
    code = app.exec()
    if controller.session.is_unlocked:  # the event loop ended some other way
        controller.session.request_lock("quit")
    controller.tasks.wait(10_000)
    del keep
    return int(code)
