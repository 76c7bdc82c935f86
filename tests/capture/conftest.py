"""Fixtures for the capture tests: a private X server and a known picture on it.

The screen tests always start their own Xvfb (never the developer's desktop), so
what is on the screen is exactly what the test painted and the result does not
depend on where the tests run.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.xvfb import private_xvfb, stop_process

from . import paint_pattern
from .paint_pattern import SCREEN_HEIGHT, SCREEN_WIDTH

PAINTER = Path(paint_pattern.__file__).resolve()


def _read_line(stream: Any, proc: subprocess.Popen[str], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], 0.1)
        if ready:
            return proc.stdout.readline().strip() if proc.stdout else ""
        if proc.poll() is not None:
            break
    raise AssertionError(f"no answer from the painter within {timeout} s")


@pytest.fixture(scope="session")
def xvfb_display() -> Iterator[str]:
    """A fresh Xvfb at 1280x800x24 on a free display number, for this session only."""
    with private_xvfb(SCREEN_WIDTH, SCREEN_HEIGHT) as display:
        yield display


@pytest.fixture
def x_screen(xvfb_display: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point this test (and mss) at the private X server."""
    monkeypatch.setenv("DISPLAY", xvfb_display)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return xvfb_display


class Painter:
    """The painting subprocess; switches between the normal and inverted pattern."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc

    def show(self, inverted: bool) -> None:
        command = "invert" if inverted else "normal"
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        answer = _read_line(self.proc.stdout, self.proc, 15)
        assert answer == f"painted {command}", answer


@pytest.fixture(scope="session")
def painter(xvfb_display: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Painter]:
    """A frameless window covering the private screen with the known pattern."""
    pytest.importorskip("PySide6")
    env = dict(os.environ)
    env.update(
        DISPLAY=xvfb_display,
        QT_QPA_PLATFORM="xcb",
        QT_ENABLE_HIGHDPI_SCALING="0",
        QT_SCALE_FACTOR="1",
        QT_LOGGING_RULES="*.debug=false;qt.qpa.*=false",
    )
    env.pop("WAYLAND_DISPLAY", None)
    # Qt's chatter goes to a file: a pipe nobody reads could fill up and stall it.
    log_path = tmp_path_factory.mktemp("painter") / "stderr.txt"
    log = log_path.open("w")
    proc = subprocess.Popen(
        [sys.executable, str(PAINTER), str(SCREEN_WIDTH), str(SCREEN_HEIGHT)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env=env,
    )
    try:
        assert _read_line(proc.stdout, proc, 30) == "ready", log_path.read_text()
        yield Painter(proc)
    finally:
        if proc.stdin is not None:
            try:
                proc.stdin.write("quit\n")
                proc.stdin.close()
            except (BrokenPipeError, OSError):
                pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            stop_process(proc)
        if proc.stdout is not None:
            proc.stdout.close()
        log.close()


@pytest.fixture
def pattern() -> ModuleType:
    """The module holding :func:`pattern_rgb`, the pixels the painter shows."""
    return paint_pattern


class _XRRMonitorInfo(ctypes.Structure):
    _fields_ = (
        ("name", ctypes.c_ulong),
        ("primary", ctypes.c_int),
        ("automatic", ctypes.c_int),
        ("noutput", ctypes.c_int),
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("mwidth", ctypes.c_int),
        ("mheight", ctypes.c_int),
        ("outputs", ctypes.POINTER(ctypes.c_ulong)),
    )


EXTRA_MONITORS = {b"EK_LEFT": (0, 0, 640, 800), b"EK_RIGHT": (640, 160, 640, 480)}
"""Two RandR 1.5 monitors: the right one sits lower, so both offsets are exercised."""


@pytest.fixture
def two_monitors(x_screen: str) -> Iterator[dict[bytes, tuple[int, int, int, int]]]:
    """Split the private screen into two RandR monitors for one test, then remove them.

    Xvfb has one output, but RandR 1.5 lets a client define monitors (what
    ``xrandr --setmonitor`` does); libXrandr is called directly so the tests need
    no extra tool installed.
    """
    x11_name, xrandr_name = ctypes.util.find_library("X11"), ctypes.util.find_library("Xrandr")
    if x11_name is None or xrandr_name is None:
        pytest.skip("libX11/libXrandr are not installed")
    x11, xrandr = ctypes.CDLL(x11_name), ctypes.CDLL(xrandr_name)
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x11.XFree.argtypes = [ctypes.c_void_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    xrandr.XRRAllocateMonitor.restype = ctypes.POINTER(_XRRMonitorInfo)
    xrandr.XRRAllocateMonitor.argtypes = [ctypes.c_void_p, ctypes.c_int]
    xrandr.XRRSetMonitor.argtypes = [
        ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_XRRMonitorInfo)
    ]
    xrandr.XRRDeleteMonitor.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]

    display = x11.XOpenDisplay(x_screen.encode())
    assert display, f"cannot open {x_screen}"
    root = x11.XDefaultRootWindow(display)
    try:
        for name, (left, top, width, height) in EXTRA_MONITORS.items():
            monitor = xrandr.XRRAllocateMonitor(display, 0)
            info = monitor.contents
            info.name = x11.XInternAtom(display, name, 0)
            info.x, info.y, info.width, info.height = left, top, width, height
            info.mwidth, info.mheight = width * 254 // 960, height * 254 // 960
            xrandr.XRRSetMonitor(display, root, monitor)
            x11.XFree(monitor)
        x11.XSync(display, 0)
        yield EXTRA_MONITORS
    finally:
        for name in EXTRA_MONITORS:
            xrandr.XRRDeleteMonitor(display, root, x11.XInternAtom(display, name, 0))
        x11.XSync(display, 0)
        x11.XCloseDisplay(display)
