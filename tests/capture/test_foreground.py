"""Every screen capture names the window in front: read from a real X server and WM."""

from __future__ import annotations

import time
from typing import Any

import pytest

from evidence_kit.capture.foreground import InFront, InFrontReader
from tests.desktop import desktop, window

__all__ = ["desktop", "window"]

TITLE = "Concerned Parent | Facebook — ✉ ąę"


def _settled(reader: InFrontReader, title: str) -> InFront:
    """The window manager activates a new window just after it maps: wait for it."""
    deadline = time.monotonic() + 10
    found = reader.read()
    while found.title != title and time.monotonic() < deadline:
        time.sleep(0.05)
        found = reader.read()
    return found


def test_the_window_in_front_is_named_with_its_application_and_title(
        desktop: str, window: Any) -> None:
    window("Notes", "Gedit")
    front = window(TITLE, "Chromium")
    reader = InFrontReader(desktop)
    try:
        found = _settled(reader, TITLE)
    finally:
        reader.close()

    assert (found.app, found.title, found.pid) == ("Chromium", TITLE, front.pid)
    assert found.process is not None and found.process.startswith("python")
    assert found.words() == f"Chromium — '{TITLE}'"
    assert found.to_record()["read_with"] == "X11 EWMH _NET_ACTIVE_WINDOW"
    assert found.problem is None and found.note is None


def test_when_evidence_kit_is_in_front_the_window_behind_it_is_named(
        desktop: str, window: Any) -> None:
    window("Concerned Parent | Facebook", "Chromium")
    ours = window("Evidence Kit", "evidence-kit")
    reader = InFrontReader(desktop, own_pid=ours.pid)  # that window plays our own
    try:
        found = _settled(reader, "Concerned Parent | Facebook")
    finally:
        reader.close()

    assert (found.app, found.title) == ("Chromium", "Concerned Parent | Facebook")
    assert found.note == "Evidence Kit was in front; this is the window behind it"


def test_on_wayland_the_record_says_it_could_not_be_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    found = InFrontReader().read()
    assert found.app is None and found.title is None
    assert found.words() == "could not be read (Wayland)"
    assert found.to_record()["problem"] == "Wayland"


# python-xlib leaves its socket open when it cannot connect; not ours to close.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_without_a_display_the_record_says_so_and_nothing_fails(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    found = InFrontReader(":4093").read()
    assert found.app is None
    assert found.words().startswith("could not be read (no X display")
