"""Errors raised by the capture package, fitted into the core's hierarchy.

They live here rather than in ``evidence_kit.core.errors`` because the core must
never depend on capture; callers still catch them as the core's base classes.
"""

from __future__ import annotations

from evidence_kit.core.errors import BadInput, EnvironmentFailure, NotFound


class CaptureUnavailable(EnvironmentFailure):
    """The screen cannot be read here (no X display, Wayland without XWayland, closed grabber)."""


class BadRegion(BadInput):
    """A region or monitor that is empty or not on the screen."""


class UnknownCategory(NotFound):
    """A category id that is not in the list."""
