"""Every top-level window fits the screen at 200 % on 1920×1080 and on a 1024×700 screen,
with its buttons in view and its filters not cut short (issue 17).

Qt reads the scale factor once, when the application starts, so each screen is its own
process: a private Xvfb of that size, ``QT_SCALE_FACTOR`` set, and this file's inner test
run there on every window of tests/ui/windows.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollArea,
    QWidget,
)

from tests.ui.windows import State, fits, outside, states
from tests.xvfb import private_xvfb

__all__ = ["states"]

ROOT = Path(__file__).resolve().parents[2]
INNER = "EVIDENCE_KIT_TEST_SCREEN"
SCREENS = {
    "200 % on 1920×1080": (1920, 1080, "2"),
    "1024×700": (1024, 700, "1"),
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_window_fits_the_screen(screen: str, tmp_path: Path) -> None:
    width, height, scale = SCREENS[screen]
    with private_xvfb(width, height) as display:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
               "QT_SCALE_FACTOR": scale, "QT_ENABLE_HIGHDPI_SCALING": "0",
               INNER: screen, "PYTHONPATH": str(ROOT)}
        for name in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORMTHEME"):
            env.pop(name, None)
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             "--basetemp", str(tmp_path / "inner"),
             f"{Path(__file__).relative_to(ROOT)}::test_windows_fit_this_screen"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"{screen}:\n{run.stdout[-6000:]}\n{run.stderr[-2000:]}"
    assert "1 passed" in run.stdout, run.stdout[-2000:]


def _scrolled(widget: QWidget) -> bool:
    """Inside a scroll area, where being out of view is what scrolling is for."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def problems(state: State, window: QWidget) -> list[str]:
    found = []
    why = fits(window)
    if why:
        found.append(f"{state.name}: {why}")
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window or _scrolled(widget):
            continue
        if isinstance(widget, QAbstractButton) and outside(window, widget):
            found.append(f"{state.name}: button {widget.text()!r} is cut off")
        if isinstance(widget, (QComboBox, QAbstractSpinBox)) \
                and widget.width() < widget.sizeHint().width():
            found.append(f"{state.name}: {widget.accessibleName() or 'a field'} is cut short "
                         f"({widget.width()} of {widget.sizeHint().width()} pixels)")
    return found


@pytest.mark.skipif(INNER not in os.environ, reason="run by the test above, on its screen")
def test_windows_fit_this_screen(qtbot: Any, states: list[State]) -> None:
    screen = QApplication.primaryScreen()
    assert screen is not None
    if os.environ[INNER].startswith("200"):
        assert screen.devicePixelRatio() == 2
    found = []
    # To look at what was checked: EVIDENCE_KIT_TEST_SHOTS=folder saves each window's picture.
    shots = os.environ.get("EVIDENCE_KIT_TEST_SHOTS")
    for number, state in enumerate(states):
        window = state.show()
        qtbot.waitExposed(window)
        found += problems(state, window)
        if shots:
            name = "".join(c if c.isalnum() else "-" for c in state.name)
            window.grab().save(str(Path(shots) / f"{os.environ[INNER][:4]}-{number:02}-{name}.png"))
    assert not found, "\n".join(found)
