"""The private X server and the painted pattern of the capture tests, for the app too."""

from tests.capture.conftest import painter, pattern, xvfb_display

__all__ = ["painter", "pattern", "xvfb_display"]
