"""A keyboard shortcut that captures from whatever app has the focus.

Uses pynput (X11 through the RECORD extension, Windows hooks, macOS event taps). Where
a global shortcut cannot work, :func:`availability` says why in words the Settings tab
shows, and points to ``evidence-kit capture`` for the desktop's own shortcut settings.
The listener runs on pynput's thread; :attr:`GlobalShortcut.activated` is emitted there
and Qt delivers it on the UI thread.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence

from evidence_kit import settings

log = logging.getLogger(__name__)

DEFAULT_SHORTCUT = settings.DEFAULT_SHORTCUT
"""E for evidence; with three modifiers it clashes with no common desktop or browser key."""

DESKTOP_COMMAND = "evidence-kit capture"

_MODIFIERS = {"ctrl": "<ctrl>", "alt": "<alt>", "shift": "<shift>", "meta": "<cmd>"}
_NAMED = {
    "print": "<print_screen>", "pause": "<pause>", "scrolllock": "<scroll_lock>",
    "ins": "<insert>", "insert": "<insert>", "home": "<home>", "end": "<end>",
    "pgup": "<page_up>", "pgdown": "<page_down>", "space": "<space>",
}


@dataclass(frozen=True)
class Availability:
    ok: bool
    reason: str = ""


def availability() -> Availability:
    """Whether a global shortcut can work here, and if not, why (in words)."""
    platform = QGuiApplication.platformName()
    if sys.platform.startswith("linux"):
        session = os.environ.get("XDG_SESSION_TYPE", "").lower()
        if platform.startswith("wayland") or (session == "wayland" and platform != "xcb"):
            return Availability(False, (
                "This desktop (Wayland) does not let apps listen for a key pressed in "
                "other apps. Add a shortcut in your desktop's keyboard settings that runs "
                f"the command:  {DESKTOP_COMMAND}"))
        if platform != "xcb" or not os.environ.get("DISPLAY"):
            return Availability(False, (
                "There is no X11 display here, so a shortcut for every app cannot be set. "
                "Add a shortcut in your desktop's keyboard settings that runs the command:"
                f"  {DESKTOP_COMMAND}"))
        if session == "wayland":
            return Availability(True, (
                "On this Wayland desktop the shortcut works only while an X11 app has the "
                "focus. For every app, add a shortcut in your desktop's keyboard settings "
                f"that runs:  {DESKTOP_COMMAND}"))
    elif platform not in ("windows", "cocoa"):
        return Availability(False, f"Not available with the {platform!r} display.")
    try:
        import pynput.keyboard  # noqa: F401
    except Exception as exc:  # a missing X library raises ImportError or others
        return Availability(False, f"The shortcut library could not start here ({exc}). "
                            f"Use your desktop's keyboard settings to run: {DESKTOP_COMMAND}")
    if sys.platform == "darwin":
        return Availability(True, "macOS asks once for permission (System Settings ▸ "
                            "Privacy & Security ▸ Accessibility) before the shortcut works.")
    return Availability(True)


def to_pynput(sequence: str) -> str:
    """'Ctrl+Alt+Shift+E' → '<ctrl>+<alt>+<shift>+e'; raises ValueError if it cannot."""
    seq = QKeySequence(sequence)
    if seq.isEmpty() or seq.count() != 1:
        raise ValueError("Choose one key combination, such as Ctrl+Alt+Shift+E.")
    portable = seq.toString(QKeySequence.SequenceFormat.PortableText)
    parts = [p for p in portable.replace("++", "+plus").split("+") if p]
    out: list[str] = []
    modifiers = 0
    for part in parts[:-1]:
        name = _MODIFIERS.get(part.lower())
        if name is None:
            raise ValueError(f"{part} cannot be used in a shortcut.")
        out.append(name)
        modifiers += 1
    key = parts[-1].lower()
    if key == "plus":
        key = "+"
    if len(key) == 1:
        out.append(key)
    elif key.startswith("f") and key[1:].isdigit():
        out.append(f"<{key}>")
    elif key in _NAMED:
        out.append(_NAMED[key])
    else:
        raise ValueError(f"The key {parts[-1]} cannot be used for a shortcut here.")
    if modifiers == 0 and not (key.startswith("f") or key in ("print",)):
        raise ValueError("A shortcut needs Ctrl, Alt or Shift with the key, so that "
                         "typing never triggers it.")
    return "+".join(out)


class GlobalShortcut(QObject):
    activated = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._listener: Any = None
        self.sequence: str | None = None
        self.problem: str = ""

    @property
    def active(self) -> bool:
        return self._listener is not None

    def start(self, sequence: str) -> bool:
        """Listen for ``sequence``; False (with :attr:`problem`) if it cannot."""
        self.stop()
        found = availability()
        if not found.ok:
            self.problem = found.reason
            return False
        try:
            combo = to_pynput(sequence)
            from pynput import keyboard

            listener = keyboard.GlobalHotKeys({combo: self.activated.emit})
            listener.daemon = True
            listener.start()
        except ValueError as exc:
            self.problem = str(exc)
            return False
        except Exception as exc:
            log.warning("global shortcut unavailable: %s", exc)
            self.problem = f"The shortcut could not be set up here ({exc})."
            return False
        self._listener = listener
        self.sequence = sequence
        self.problem = ""
        return True

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.stop()
            except Exception:
                log.debug("stopping the shortcut listener failed", exc_info=True)
        self.sequence = None
