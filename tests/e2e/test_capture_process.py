"""Capture in the running app, as a person does it: the global shortcut, a real mouse
drag on the frozen screen, Enter. The app runs in its own process on a private Xvfb
showing a known pattern; its main window is on screen when the shortcut is pressed,
and must not be in either capture: the stored pixels equal the pattern exactly.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import mss
import pytest
from PIL import Image

from evidence_kit.core import keys
from evidence_kit.core.vault import Vault
from tests.capture.paint_pattern import SCREEN_HEIGHT, SCREEN_WIDTH
from tests.conftest import PASSPHRASE
from tests.xvfb import stop_process

from .test_app_process import Lines, _xdotool

pytestmark = [pytest.mark.gui, pytest.mark.screen, pytest.mark.slow]

OVERLAY = "Choose what to capture"
DETAILS = "Capture saved: add details"


def _screen_rgb(display: str) -> bytes:
    with mss.MSS(display=display) as sct:
        shot = sct.grab(sct.monitors[0])
        return bytes(shot.rgb)


def _crop(pattern: ModuleType, left: int, top: int, width: int, height: int) -> bytes:
    full: bytes = pattern.pattern_rgb(SCREEN_WIDTH, SCREEN_HEIGHT)
    stride = SCREEN_WIDTH * 3
    return b"".join(full[y * stride + left * 3: y * stride + (left + width) * 3]
                    for y in range(top, top + height))


def _window(display: str, name: str, timeout: float = 8) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _xdotool(display, "search", "--onlyvisible", "--name", f"^{name}$")
        if found.returncode == 0 and found.stdout.split():
            return found.stdout.split()[-1]
        time.sleep(0.1)
    return None


def _shortcut_until(display: str, name: str) -> str:
    """Press the capture shortcut until the overlay shows (the listener starts async)."""
    for _ in range(4):
        _xdotool(display, "key", "ctrl+alt+shift+e")
        found = _window(display, name, timeout=4)
        if found is not None:
            return found
    raise AssertionError("the global shortcut never opened the overlay")


def _save_details(display: str) -> None:
    dialog = _window(display, DETAILS, timeout=15)
    assert dialog is not None, "the details dialog did not open"
    _xdotool(display, "windowfocus", "--sync", dialog)
    time.sleep(0.2)
    _xdotool(display, "key", "Return")
    deadline = time.monotonic() + 10
    while _window(display, DETAILS, timeout=0.2) is not None:
        assert time.monotonic() < deadline, "Enter did not save the details"


@pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool is not installed")
def test_shortcut_region_drag_and_whole_screen_never_show_our_window(
        xvfb_display: str, painter: Any, pattern: ModuleType, tmp_path: Path) -> None:
    painter.show(False)
    folder = tmp_path / "vault"
    vault, _code = Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    vault.lock()
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    secret.chmod(0o600)
    env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb",
           "QT_SCALE_FACTOR": "1", "EVIDENCE_KIT_LOG_LEVEL": "INFO",
           "EVIDENCE_KIT_APP_CONFIG": str(tmp_path / "app.json"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("XDG_SESSION_TYPE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "evidence_kit", "--vault", str(folder),
         "--passphrase-file", str(secret)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = Lines(proc.stderr)
        lines.wait_for("vault unlocked")
        main = _window(xvfb_display, "Evidence Kit")
        assert main is not None
        time.sleep(0.3)
        assert _screen_rgb(xvfb_display) != pattern.pattern_rgb(SCREEN_WIDTH, SCREEN_HEIGHT), \
            "the main window must be on the screen before the capture"

        # 1. the shortcut, a real drag on the frozen frame, Enter
        _shortcut_until(xvfb_display, OVERLAY)
        _xdotool(xvfb_display, "mousemove", "--sync", "200", "150")
        _xdotool(xvfb_display, "mousedown", "1")
        _xdotool(xvfb_display, "mousemove", "--sync", "400", "300")
        _xdotool(xvfb_display, "mousemove", "--sync", "613", "447")
        _xdotool(xvfb_display, "mouseup", "1")
        time.sleep(0.2)
        _xdotool(xvfb_display, "key", "Return")
        lines.wait_for("capture committed as item 1")
        _save_details(xvfb_display)

        # 2. the shortcut, then Enter with nothing chosen: the whole screen
        _shortcut_until(xvfb_display, OVERLAY)
        time.sleep(0.2)
        _xdotool(xvfb_display, "key", "Return")
        lines.wait_for("capture committed as item 2")
        _save_details(xvfb_display)
        assert _window(xvfb_display, "Evidence Kit") is not None, "the window came back"

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, lines.seen
    finally:
        stop_process(proc)
        with contextlib.suppress(Exception):
            proc.stderr.close()  # type: ignore[union-attr]
            proc.stdout.close()  # type: ignore[union-attr]

    with Vault.open(folder, PASSPHRASE) as reopened:
        region, whole = reopened.items()
        for item in (region, whole):
            assert item.method == "capture"
        with Image.open(io.BytesIO(reopened.read_blob(region.sha256))) as image:
            assert image.size == (413, 297)
            assert image.convert("RGB").tobytes() == _crop(pattern, 200, 150, 413, 297)
        with Image.open(io.BytesIO(reopened.read_blob(whole.sha256))) as image:
            assert image.convert("RGB").tobytes() == pattern.pattern_rgb(SCREEN_WIDTH,
                                                                         SCREEN_HEIGHT)
        assert reopened.verify().ok
