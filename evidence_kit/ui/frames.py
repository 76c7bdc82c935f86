"""A frozen frame of the whole screen, held in memory, and exact crops of it (Qt-free).

Region capture grabs every monitor first, shows that frame frozen while the user
chooses, and then stores the chosen rectangle's *original* pixels: the crop is taken
from the raw buffer mss read and encoded once, losslessly, exactly as a direct grab of
that rectangle would be. Nothing here ever touches the disk.

:class:`FrameGrabber` extends :class:`~evidence_kit.capture.screen.ScreenGrabber` with
the one thing it lacks, a grab that keeps the raw buffer (so the same single mss
connection serves both). It belongs in ``capture/screen.py``; it lives here until the
capture package takes it.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from mss.exception import ScreenShotError
from PIL import Image

from evidence_kit.capture.errors import BadRegion, CaptureUnavailable
from evidence_kit.capture.screen import (
    ALL_MONITORS,
    ENCODER,
    MEDIA_TYPE,
    PNG_COMPRESS_LEVEL,
    TOOL,
    Grab,
    MonitorInfo,
    Region,
    ScreenGrabber,
)


@dataclass(frozen=True)
class Frame:
    """Every monitor as one raw BGRA buffer, as mss read it. Lives in memory only."""

    raw: bytes
    width: int
    height: int
    region: Region
    """Where the frame sits in virtual-screen coordinates (the box around all monitors)."""
    monitors: tuple[MonitorInfo, ...]
    grabbed_at: dt.datetime
    delay_ms: int = 0

    def holder(self, region: Region) -> MonitorInfo:
        """The monitor that holds all of ``region``, else the whole screen."""
        for monitor in self.monitors[1:]:
            if monitor.contains(region):
                return monitor
        return self.monitors[ALL_MONITORS]

    def clamp(self, region: Region) -> Region:
        """``region`` cut to the frame; raises if nothing of it is on the frame."""
        left = max(region.left, self.region.left)
        top = max(region.top, self.region.top)
        right = min(region.right, self.region.right)
        bottom = min(region.bottom, self.region.bottom)
        if right <= left or bottom <= top:
            raise BadRegion("The chosen area is not on the screen.")
        return Region(left, top, right - left, bottom - top)

    def crop(self, region: Region) -> Grab:
        """The region's original pixels, encoded exactly as a direct grab would be."""
        region = self.clamp(region)
        if (self.width, self.height) != (self.region.width, self.region.height):
            # HiDPI macOS: stored pixels are not screen coordinates; crop proportionally.
            sx = self.width / self.region.width
            sy = self.height / self.region.height
        else:
            sx = sy = 1.0
        box = (round((region.left - self.region.left) * sx),
               round((region.top - self.region.top) * sy),
               round((region.right - self.region.left) * sx),
               round((region.bottom - self.region.top) * sy))
        image = Image.frombuffer("RGB", (self.width, self.height), self.raw, "raw", "BGRX", 0, 1)
        part = image.crop(box)
        out = io.BytesIO()
        part.save(out, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
        width, height = part.size
        ratio = "1" if sx == sy == 1.0 else (f"{sx:.6g}" if abs(sx - sy) < 1e-9 else None)
        return Grab(
            data=out.getvalue(), media_type=MEDIA_TYPE, width=width, height=height,
            monitor=self.holder(region), region=region, device_pixel_ratio=ratio,
            tool=TOOL, encoder=ENCODER, grabbed_at=self.grabbed_at, delay_ms=self.delay_ms,
        )

    def whole(self) -> Grab:
        return self.crop(self.region)

    def selection_record(self, grab: Grab) -> dict[str, object]:
        """How the stored rectangle was chosen, for the capture's recorded details."""
        return {
            "chosen_on": "a frozen frame of all monitors, grabbed before choosing",
            "frame": self.region.to_record(),
            "whole_frame": grab.region == self.region,
        }


class FrameGrabber(ScreenGrabber):
    """A :class:`ScreenGrabber` that can also keep a whole-screen frame in memory."""

    def grab_frame(self, *, delay_ms: int = 0) -> Frame:
        monitors = tuple(self.monitors())
        screen = monitors[ALL_MONITORS].region
        with self._lock:
            sct = self._open()
            grabbed_at = self._clock.now()
            try:
                shot = sct.grab(screen.to_record())
            except ScreenShotError as exc:
                raise CaptureUnavailable(f"The screen could not be read: {exc}") from exc
        return Frame(raw=bytes(shot.raw), width=shot.size.width, height=shot.size.height,
                     region=screen, monitors=monitors, grabbed_at=grabbed_at,
                     delay_ms=delay_ms)
