"""Starting Qt WebEngine on first use, and saying plainly when it cannot start."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

log = logging.getLogger(__name__)

FLAGS_ENV = "QTWEBENGINE_CHROMIUM_FLAGS"
QUIET_FLAGS = ("--disable-background-networking", "--disable-component-update",
               "--no-pings", "--disable-domain-reliability", "--disable-breakpad")
"""Chromium would otherwise contact servers on its own (field trials, component updates,
hyperlink pings): the web browser sends only the requests of the pages the user opens."""

CANNOT_START = (
    "The web browser could not start on this computer, so pages cannot be captured "
    "from inside Evidence Kit. Everything else works as before: capture the screen "
    "instead (Capture a region…).")


class WebEngineUnavailable(Exception):
    """Qt WebEngine is missing or cannot load; the message says why in words."""


@dataclass(frozen=True)
class Engine:
    widgets: ModuleType
    core: ModuleType
    version: str


_engine: Engine | None = None
_failure: str | None = None


def chromium_flags(existing: str, *, as_root: bool) -> str:
    """The flags Chromium starts with: the user's own first, then ours."""
    wanted = list(QUIET_FLAGS)
    if as_root:
        # Chromium refuses to start its sandbox as root (it would be no sandbox at all),
        # and aborts instead. Only root gets it switched off; everyone else keeps it.
        wanted.append("--no-sandbox")
    have = existing.split()
    return " ".join(have + [flag for flag in wanted if flag not in have])


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def load() -> Engine:
    """Qt WebEngine, imported once; :class:`WebEngineUnavailable` if it cannot be."""
    global _engine, _failure
    if _engine is not None:
        return _engine
    if _failure is not None:
        raise WebEngineUnavailable(_failure)
    os.environ[FLAGS_ENV] = chromium_flags(os.environ.get(FLAGS_ENV, ""), as_root=_is_root())
    try:
        # QtQuick's bindings first: the page view is drawn by a QQuickWindow, and a
        # Python event filter on the whole app (the auto-lock's) that is handed one
        # before PySide6 knows the type crashes the process (PySide6 6.12, measured).
        _import("PySide6.QtQuick")
        widgets = _import("PySide6.QtWebEngineWidgets")
        core = _import("PySide6.QtWebEngineCore")
    except ImportError as exc:  # not installed, or a system library is missing
        log.warning("Qt WebEngine cannot be loaded: %s", exc)
        _failure = f"{CANNOT_START}\n\nWhat went wrong: {exc}"
        raise WebEngineUnavailable(_failure) from None
    version = getattr(core, "qWebEngineVersion", lambda: "?")()
    chromium = getattr(core, "qWebEngineChromiumVersion", lambda: "?")()
    _engine = Engine(widgets, core, f"Qt WebEngine {version} (Chromium {chromium})")
    return _engine


def _import(name: str) -> Any:
    import importlib

    return importlib.import_module(name)


class FilterPause:
    """Lifts the app-wide event filter while the web browser is open, and puts it back.

    Measured with PySide6 6.12: when Qt WebEngine makes a download (a page archive, a
    file a page offers), an event for an object PySide6 cannot wrap reaches an app-wide
    Python event filter (the auto-lock's), and the process crashes. The download can
    start at any click, so the filter is lifted for as long as the web browser is open;
    the app watches its own windows for activity instead (``pause``/``resume``).
    Holds nest: the last release resumes.
    """

    def __init__(self, pause: Callable[[], None] = lambda: None,
                 resume: Callable[[], None] = lambda: None) -> None:
        self._pause = pause
        self._resume = resume
        self._held = 0

    def hold(self) -> None:
        if self._held == 0:
            self._pause()
        self._held += 1

    def release(self) -> None:
        if self._held == 0:
            return
        self._held -= 1
        if self._held == 0:
            self._resume()
