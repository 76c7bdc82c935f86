"""A capture in the app records the window that was in front, read on a real desktop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from evidence_kit.core import keys
from evidence_kit.core.vault import Vault
from tests.conftest import PASSPHRASE
from tests.desktop import desktop, window

from .conftest import unlock

__all__ = ["desktop", "window"]

pytestmark = [pytest.mark.gui, pytest.mark.screen]

TITLE = "Concerned Parent | Facebook"


def test_a_screen_capture_names_the_window_in_front(
        qtbot: Any, make_app: Any, tmp_path: Path, desktop: str, window: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", desktop)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    folder = tmp_path / "vault"
    Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)[0].lock()
    front = window(TITLE, "Chromium")
    app = make_app(folder)
    app.capture.settle_ms = 0
    unlock(qtbot, app)
    qtbot.waitUntil(lambda: app.capture.in_front_reader.read().title == TITLE,
                    timeout=10_000)  # the window manager activates the new window

    app.window.capture_screen_action.trigger()
    qtbot.waitUntil(lambda: app.capture.dialog is not None, timeout=10_000)
    dialog = app.capture.dialog
    item = app.session.vault.item(dialog.item.id)

    recorded = item.details["in_front"]
    assert (recorded["application"], recorded["title"], recorded["pid"]) == (
        "Chromium", TITLE, front.pid)
    assert recorded["shown_as"] == f"Chromium — '{TITLE}'"
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert any(f"In front: Chromium — '{TITLE}'" in text for text in labels)
    dialog.accept()
