"""A private X desktop with a window manager, and windows of known title on it.

For the tests that read which window is in front: a bare Xvfb has no window manager,
so nothing sets ``_NET_ACTIVE_WINDOW``; openbox (EWMH) does, as desktops do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.xvfb import private_xvfb, stop_process

X_WINDOW = Path(__file__).resolve().parent / "capture" / "x_window.py"

StartWindow = Callable[[str, str], "subprocess.Popen[str]"]


@pytest.fixture
def desktop() -> Iterator[str]:
    """A private X server with openbox, an EWMH window manager, running on it."""
    if shutil.which("openbox") is None:
        pytest.skip("openbox is not installed (apt-get install openbox)")
    with private_xvfb() as display:
        env = {**os.environ, "DISPLAY": display}
        wm = subprocess.Popen([shutil.which("openbox") or "openbox", "--sm-disable"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 10
            # openbox is ready once it names its check window on the root
            while time.monotonic() < deadline and not _wm_ready(display):
                time.sleep(0.05)
            yield display
        finally:
            stop_process(wm)


def _wm_ready(display: str) -> bool:
    from Xlib import X
    from Xlib import display as xdisplay

    d = xdisplay.Display(display)
    try:
        prop = d.screen().root.get_full_property(d.intern_atom("_NET_SUPPORTING_WM_CHECK"),
                                                 X.AnyPropertyType)
        return prop is not None
    finally:
        d.close()


@pytest.fixture
def window(desktop: str) -> Iterator[StartWindow]:
    started: list[subprocess.Popen[str]] = []

    def start(title: str, wm_class: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen([sys.executable, str(X_WINDOW), title,
                                 wm_class.lower(), wm_class],
                                env={**os.environ, "DISPLAY": desktop}, text=True,
                                stdout=subprocess.PIPE)
        started.append(proc)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "mapped"
        return proc

    yield start
    for proc in started:
        stop_process(proc)
        if proc.stdout is not None:
            proc.stdout.close()
