"""Which window was in front when the screen was grabbed: its application and title.

Read before the app hides its own windows for the grab, so it names the window the
user was looking at ("Chromium — 'Concerned Parent | Facebook'"). Where Evidence Kit
itself was in front (the capture was started from its own window), the topmost other
window is named and the record says so.

- X11: EWMH ``_NET_ACTIVE_WINDOW`` on the root window, then the window's
  ``_NET_WM_NAME`` (else ``WM_NAME``), ``WM_CLASS`` and ``_NET_WM_PID`` through
  python-xlib, with the process name from ``/proc``. One display connection is kept
  open, so a read is a handful of round trips (well under a millisecond here).
- Windows: ``GetForegroundWindow``, ``GetWindowTextW`` and the process image name
  through ctypes. macOS: Quartz ``CGWindowListCopyWindowInfo`` (pyobjc), whose window
  titles need the screen-recording permission. Both are written to the documented
  APIs and untested here (the README says so).
- Wayland does not let an application see other applications' windows: the record
  says "could not be read (Wayland)" rather than nothing.

A failure to read is never a failure to capture: it becomes the record's ``problem``.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

MAX_TITLE_CHARS = 500
"""A title is a line of text; anything longer is cut (and marked so)."""


@dataclass(frozen=True)
class InFront:
    """The window in front at a capture, or why it could not be read."""

    app: str | None = None
    """The application as the system names it (WM_CLASS class, process name)."""
    title: str | None = None
    pid: int | None = None
    process: str | None = None
    how: str = ""
    problem: str | None = None
    """Why nothing (or not everything) could be read, in words."""
    note: str | None = None

    def words(self) -> str:
        """One line: ``Chromium — 'Concerned Parent | Facebook'``."""
        if self.app is None and self.title is None:
            return f"could not be read ({self.problem})" if self.problem else "could not be read"
        name = self.app or self.process or "an application"
        text = f"{name} — '{self.title}'" if self.title else f"{name} (a window with no title)"
        return f"{text} ({self.note})" if self.note else text

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"shown_as": self.words(), "application": self.app,
                                  "title": self.title, "process": self.process,
                                  "pid": self.pid, "read_with": self.how}
        if self.problem:
            record["problem"] = self.problem
        if self.note:
            record["note"] = self.note
        return record


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = "".join(c if c.isprintable() else " " for c in text).strip()
    if len(text) > MAX_TITLE_CHARS:
        text = text[:MAX_TITLE_CHARS] + "…"
    return text or None


def _process_name(pid: int | None) -> str | None:
    if pid is None or not sys.platform.startswith("linux"):
        return None
    try:
        with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as handle:
            return _clean(handle.read())
    except OSError:
        return None


def wayland_session() -> bool:
    return (os.environ.get("XDG_SESSION_TYPE", "").lower() == "wayland"
            or (bool(os.environ.get("WAYLAND_DISPLAY")) and not os.environ.get("DISPLAY")))


class _X11:
    """One display connection, its atoms looked up once; used under a lock."""

    def __init__(self, display: str | None) -> None:
        from Xlib import X
        from Xlib import display as xdisplay

        self.X = X
        self.d = xdisplay.Display(display)
        self.root = self.d.screen().root
        atom = self.d.intern_atom
        self.active = atom("_NET_ACTIVE_WINDOW")
        self.stacking = atom("_NET_CLIENT_LIST_STACKING")
        self.net_name = atom("_NET_WM_NAME")
        self.utf8 = atom("UTF8_STRING")
        self.pid_atom = atom("_NET_WM_PID")
        self.state = atom("_NET_WM_STATE")
        self.hidden = atom("_NET_WM_STATE_HIDDEN")

    def _prop(self, window: Any, name: int, kind: int) -> Any:
        reply = window.get_full_property(name, kind)
        return None if reply is None else reply.value

    def window(self, wid: int) -> Any:
        return self.d.create_resource_object("window", wid)

    def describe(self, window: Any) -> tuple[str | None, str | None, int | None]:
        raw = self._prop(window, self.net_name, self.utf8)
        if raw is not None:
            title = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        else:
            old = window.get_wm_name()
            title = old.decode("latin-1") if isinstance(old, bytes) else old
        wm_class = window.get_wm_class()
        app = wm_class[1] if wm_class else None
        pids = self._prop(window, self.pid_atom, self.X.AnyPropertyType)
        pid = int(pids[0]) if pids is not None and len(pids) else None
        return _clean(app), _clean(title), pid

    def active_window(self) -> tuple[Any, str]:
        ids = self._prop(self.root, self.active, self.X.AnyPropertyType)
        if ids is not None and len(ids) and int(ids[0]):
            return self.window(int(ids[0])), "X11 EWMH _NET_ACTIVE_WINDOW"
        # No EWMH window manager: the window with the keyboard focus, up to its top level.
        focus = self.d.get_input_focus().focus
        if isinstance(focus, int) or focus is None:
            return None, "X11 input focus"
        window = focus
        while window is not None and window.id != self.root.id:
            if window.get_wm_class() is not None:
                return window, "X11 input focus (no EWMH window manager)"
            window = window.query_tree().parent
        return None, "X11 input focus"

    def not_ours(self, own_pid: int) -> Any:
        """The topmost visible window of another process, in the stacking order."""
        ids = self._prop(self.root, self.stacking, self.X.AnyPropertyType)
        for wid in reversed(list(ids or ())):
            window = self.window(int(wid))
            pids = self._prop(window, self.pid_atom, self.X.AnyPropertyType)
            if pids is not None and len(pids) and int(pids[0]) == own_pid:
                continue
            states = self._prop(window, self.state, self.X.AnyPropertyType)
            if states is not None and self.hidden in list(states):
                continue
            return window
        return None


class InFrontReader:
    """Reads the window in front; one per process, reused (a connection per read costs)."""

    def __init__(self, display: str | None = None, *, own_pid: int | None = None) -> None:
        self._display = display
        self._own_pid = own_pid if own_pid is not None else os.getpid()
        self._x11: _X11 | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            if self._x11 is not None:
                try:
                    self._x11.d.close()
                except Exception as exc:  # closing a dead connection: nothing to keep
                    log.debug("closing the X connection: %s", exc)
                self._x11 = None

    def read(self) -> InFront:
        try:
            if sys.platform == "win32":
                return _read_windows(self._own_pid)
            if sys.platform == "darwin":
                return _read_macos(self._own_pid)
            if wayland_session():
                return InFront(how="Wayland", problem="Wayland")
            with self._lock:
                return self._read_x11()
        except Exception as exc:  # whatever the system says, the capture goes on
            log.info("the window in front could not be read: %s", exc)
            self._x11 = None
            return InFront(how="", problem=f"the system did not say: {exc}")

    def _read_x11(self) -> InFront:
        if self._x11 is None:
            try:
                self._x11 = _X11(self._display)
            except Exception as exc:
                return InFront(how="X11", problem=f"no X display: {exc}")
        x = self._x11
        window, how = x.active_window()
        if window is None:
            return InFront(how=how, problem="no window was in front")
        app, title, pid = x.describe(window)
        note = None
        if pid == self._own_pid:
            other = x.not_ours(self._own_pid)
            if other is not None:
                app, title, pid = x.describe(other)
                note = "Evidence Kit was in front; this is the window behind it"
                how += ", then _NET_CLIENT_LIST_STACKING"
            else:
                note = "Evidence Kit itself"
        return InFront(app=app, title=title, pid=pid, process=_process_name(pid), how=how,
                       note=note)


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    def _read_windows(own_pid: int) -> InFront:
        user32 = ctypes.windll.user32
        kernel32 = ctypes.windll.kernel32
        hwnd = user32.GetForegroundWindow()
        if not hwnd:
            return InFront(how="Win32 GetForegroundWindow", problem="no window was in front")
        length = user32.GetWindowTextLengthW(hwnd)
        buffer = ctypes.create_unicode_buffer(length + 1)
        user32.GetWindowTextW(hwnd, buffer, length + 1)
        pid = wintypes.DWORD()
        user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
        process = None
        handle = kernel32.OpenProcess(0x1000, False, pid.value)  # QUERY_LIMITED_INFORMATION
        if handle:
            try:
                size = wintypes.DWORD(1024)
                path = ctypes.create_unicode_buffer(size.value)
                if kernel32.QueryFullProcessImageNameW(handle, 0, path, ctypes.byref(size)):
                    process = os.path.basename(path.value)
            finally:
                kernel32.CloseHandle(handle)
        app = process[:-4] if process and process.lower().endswith(".exe") else process
        note = "Evidence Kit itself" if pid.value == own_pid else None
        return InFront(app=_clean(app), title=_clean(buffer.value), pid=int(pid.value),
                       process=_clean(process), how="Win32 GetForegroundWindow", note=note)
else:
    def _read_windows(own_pid: int) -> InFront:
        raise OSError("not Windows")


if sys.platform == "darwin":
    def _read_macos(own_pid: int) -> InFront:
        import Quartz

        options = (Quartz.kCGWindowListOptionOnScreenOnly
                   | Quartz.kCGWindowListExcludeDesktopElements)
        for info in Quartz.CGWindowListCopyWindowInfo(options, Quartz.kCGNullWindowID) or ():
            # Front to back; layer 0 holds the applications' ordinary windows.
            if info.get("kCGWindowLayer", 1) != 0:
                continue
            pid = int(info.get("kCGWindowOwnerPID", 0))
            if pid == own_pid:
                continue
            title = info.get("kCGWindowName")
            return InFront(app=_clean(info.get("kCGWindowOwnerName")), title=_clean(title),
                           pid=pid, how="Quartz CGWindowListCopyWindowInfo",
                           problem=None if title else "macOS gives window titles only with "
                           "the screen-recording permission")
        return InFront(how="Quartz CGWindowListCopyWindowInfo", problem="no window was in front")
else:
    def _read_macos(own_pid: int) -> InFront:
        raise OSError("not macOS")
