"""Screen grabs with mss: all monitors, one monitor, or a region, stored losslessly.

What is stored is exactly what was on the screen: the pixels mss reads are encoded
once, losslessly, and nothing else (scaling, colour management, cropping) touches
them. The vault hashes :attr:`Grab.data` before anything else sees it.

Encoding choice, measured here (2-core machine, Pillow 13.0 with zlib 1.2.13 and
libwebp 1.6.0; median of 5-7 runs, encoding straight from mss's BGRA buffer):

==========================  ===========  ===========  ===========  ============
image                       PNG level 1  PNG level 3  WebP ll. m0  WebP ll. m0
                                                      quality 0    quality 50
==========================  ===========  ===========  ===========  ============
1920x1080 text-only page    40 ms 258 K  41 ms 252 K  45 ms 386 K  42 ms 266 K
1920x1080 page with photo   58 ms 643 K  59 ms 636 K  50 ms 699 K  50 ms 600 K
3840x2160 page with photo   146 ms 1.0M  154 ms 982K  205 ms 1.4M  187 ms 1.3M
==========================  ===========  ===========  ===========  ============

WebP lossless at method 0 is no faster on typical screens (text, flat colour) and is
slower at 4K; it only wins on size at settings that cost 1.5-7x the time (method 1:
250-410 ms at 1080p). PNG is also what every recipient can open without thought
(police viewers, ``sha256sum`` users, reportlab), so the stored format is PNG at
compress level 1: levels 2-3 save 1-2 % for nothing measurable in speed.

Just over 400 lines on purpose: the grabber, its targets (monitors, regions) and the
measured encoding choice below belong to one capture path.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Self

import mss
import PIL
from mss.exception import ScreenShotError
from PIL import Image

from evidence_kit.capture.errors import BadRegion, CaptureUnavailable
from evidence_kit.core.clock import Clock, SystemClock, utc_stamp
from evidence_kit.core.errors import BadInput

ALL_MONITORS = 0
"""Monitor index meaning the whole virtual screen, as mss numbers monitors."""

MAX_DELAY_SECONDS = 300
"""A delay is for opening a menu or a message; five minutes is already generous."""

MEDIA_TYPE = "image/png"
PNG_COMPRESS_LEVEL = 1
TOOL = f"mss {mss.__version__}"
ENCODER = f"Pillow {PIL.__version__} PNG compress_level {PNG_COMPRESS_LEVEL}"


@dataclass(frozen=True)
class Region:
    """A rectangle in virtual-screen coordinates (pixels on X11 and Windows)."""

    left: int
    top: int
    width: int
    height: int

    @classmethod
    def parse(cls, text: str) -> Region:
        """Read ``X,Y,W,H`` as the command line takes it."""
        parts = [part.strip() for part in text.split(",")]
        try:
            if len(parts) != 4:
                raise ValueError(text)
            left, top, width, height = (int(part) for part in parts)
        except ValueError:
            raise BadRegion(
                f"The region {text!r} should be four whole numbers: X,Y,WIDTH,HEIGHT "
                "(for example 100,50,800,600)."
            ) from None
        return cls(left, top, width, height)

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def as_text(self) -> str:
        return f"{self.left},{self.top},{self.width},{self.height}"

    def to_record(self) -> dict[str, int]:
        return {"left": self.left, "top": self.top, "width": self.width, "height": self.height}


@dataclass(frozen=True)
class MonitorInfo:
    """One entry of mss's monitor list; index 0 is the box around all monitors."""

    index: int
    left: int
    top: int
    width: int
    height: int
    name: str | None = None

    @property
    def region(self) -> Region:
        return Region(self.left, self.top, self.width, self.height)

    def contains(self, region: Region) -> bool:
        return (
            self.left <= region.left
            and self.top <= region.top
            and region.right <= self.left + self.width
            and region.bottom <= self.top + self.height
        )

    def to_record(self) -> dict[str, int | str | None]:
        return {
            "index": self.index,
            "left": self.left,
            "top": self.top,
            "width": self.width,
            "height": self.height,
            "name": self.name,
        }


@dataclass(frozen=True)
class Grab:
    """One screen capture: the stored bytes and how they were obtained."""

    data: bytes
    """The encoded image, exactly as it must be stored and hashed."""
    media_type: str
    width: int
    """Width of the stored image in pixels (may exceed region.width on HiDPI macOS)."""
    height: int
    monitor: MonitorInfo
    """The monitor grabbed; for a region, the monitor holding all of it, else index 0."""
    region: Region
    """The rectangle grabbed, in virtual-screen coordinates."""
    device_pixel_ratio: str | None
    """Stored pixels per screen coordinate, as text ("1", "2", "1.5"); None if uneven."""
    tool: str
    encoder: str
    grabbed_at: dt.datetime
    """UTC, taken just before the pixels were read (after any delay)."""
    delay_ms: int
    in_front: dict[str, Any] | None = None
    """The window in front at the grab (:mod:`.foreground`), read before our own windows
    were hidden; None where nobody read it (older callers)."""

    def to_record(self) -> dict[str, Any]:
        """How the capture was made, JSON-able with no floats, without the image bytes."""
        return {
            "method": "screen",
            "grabbed_at": utc_stamp(self.grabbed_at),
            "media_type": self.media_type,
            "width": self.width,
            "height": self.height,
            "monitor": self.monitor.to_record(),
            "region": self.region.to_record(),
            "device_pixel_ratio": self.device_pixel_ratio,
            "delay_ms": self.delay_ms,
            "tool": self.tool,
            "encoder": self.encoder,
        }


@dataclass(frozen=True)
class Frame:
    """Every monitor as one raw BGRA buffer, as mss read it. Lives in memory only.

    Region capture shows this frame frozen while the user chooses, then stores the
    chosen rectangle's *original* pixels: :meth:`crop` cuts the raw buffer and encodes
    it exactly as a direct grab of that rectangle would be, never the overlay's drawing.
    """

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


def encode_bgrx(raw: bytes | bytearray, width: int, height: int) -> bytes:
    """Encode mss's BGRA buffer as PNG (RGB) without an intermediate conversion pass.

    The alpha byte is dropped on purpose: X11 leaves it undefined and no screen is
    translucent, so keeping it would store noise, not evidence.
    """
    if len(raw) != width * height * 4:
        raise ValueError(f"expected {width * height * 4} bytes of BGRA, got {len(raw)}")
    # The "BGRX" raw decoder reorders while unpacking, so Pillow reads the buffer once.
    image = Image.frombuffer("RGB", (width, height), raw, "raw", "BGRX", 0, 1)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return out.getvalue()


def _ratio_text(pixels: int, units: int) -> str:
    ratio = Fraction(pixels, units)
    if ratio.denominator == 1:
        return str(ratio.numerator)
    return f"{ratio.numerator / ratio.denominator:.6g}"


def _no_screen_message() -> str:
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        if os.environ.get("WAYLAND_DISPLAY"):
            return (
                "The screen cannot be captured: this is a Wayland session without X11 "
                "support (XWayland). Log in with an X11 session, or use your system's "
                "screenshot tool and add the picture to the vault."
            )
        return (
            "The screen cannot be captured: there is no display here (DISPLAY is not set). "
            "Run Evidence Kit from the desktop, or add screenshots taken another way."
        )
    return "The screen cannot be captured on this computer right now."


class ScreenGrabber:
    """Reads the screen through one reused mss instance (a new one per grab costs ~8x).

    ``sleep`` and ``clock`` are injected so tests can check that a delay happens
    before, never after, the pixels are read.
    """

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
        display: str | None = None,
    ) -> None:
        self._clock: Clock = clock or SystemClock()
        self._sleep = sleep
        self._lock = threading.Lock()
        kwargs: dict[str, Any] = {}
        if display is not None:
            kwargs["display"] = display
        try:
            self._mss: mss.MSS | None = mss.MSS(**kwargs)
        except (ScreenShotError, OSError) as exc:
            raise CaptureUnavailable(f"{_no_screen_message()} ({exc})") from exc

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the display connection; safe to call more than once."""
        with self._lock:
            if self._mss is not None:
                self._mss.close()
                self._mss = None

    def _open(self) -> mss.MSS:
        if self._mss is None:
            raise CaptureUnavailable("This screen grabber was closed; open a new one.")
        return self._mss

    def monitors(self) -> list[MonitorInfo]:
        """Index 0 is the whole virtual screen; 1.. are the physical monitors.

        mss reads the layout once per instance, so after monitors are plugged in or
        rearranged the app should open a new grabber.
        """
        with self._lock:
            try:
                raw = self._open().monitors
            except ScreenShotError as exc:
                raise CaptureUnavailable(f"The list of monitors could not be read: {exc}") from exc
        return [
            MonitorInfo(
                index=index,
                left=int(mon["left"]),
                top=int(mon["top"]),
                width=int(mon["width"]),
                height=int(mon["height"]),
                name=mon.get("output") or mon.get("name") or None,
            )
            for index, mon in enumerate(raw)
        ]

    def resolve(self, target: int | Region) -> tuple[MonitorInfo, Region]:
        """Check a target against the screen now; returns (monitor, region to grab)."""
        monitors = self.monitors()
        if isinstance(target, bool) or not isinstance(target, int | Region):
            raise BadInput(f"A capture target is a monitor number or a region, not {target!r}.")
        if isinstance(target, int):
            if not 0 <= target < len(monitors):
                last = len(monitors) - 1
                raise BadRegion(
                    f"There is no monitor {target}: this screen has monitors 1 to {last} "
                    "(0 means all of them)."
                    if last > 1
                    else f"There is no monitor {target}: this screen has only monitor 1 "
                    "(0 means the whole screen)."
                )
            return monitors[target], monitors[target].region
        region = target
        if any(isinstance(v, bool) or not isinstance(v, int) for v in region.to_record().values()):
            raise BadRegion("A region's position and size must be whole numbers of pixels.")
        if region.width <= 0 or region.height <= 0:
            raise BadRegion(
                f"The region {region.as_text()} is empty: its width and height must be "
                "at least one pixel."
            )
        screen = monitors[ALL_MONITORS]
        if not screen.contains(region):
            raise BadRegion(
                f"The region {region.as_text()} (X,Y,WIDTH,HEIGHT) is not entirely on the "
                f"screen, which spans {screen.region.as_text()}."
            )
        holder = next(
            (mon for mon in monitors[1:] if mon.contains(region)), monitors[ALL_MONITORS]
        )
        return holder, region

    def grab(self, target: int | Region = ALL_MONITORS, *, delay: float = 0) -> Grab:
        """Grab a monitor (0 = all) or a region, after ``delay`` seconds.

        The target is checked before the delay so a mistake is reported at once,
        and again after it, because a monitor may be unplugged while we wait.
        """
        if (
            isinstance(delay, bool)
            or not isinstance(delay, int | float)
            or not math.isfinite(delay)
            or not 0 <= delay <= MAX_DELAY_SECONDS
        ):
            raise BadInput(
                f"The delay must be between 0 and {MAX_DELAY_SECONDS} seconds, not {delay!r}."
            )
        self.resolve(target)
        if delay:
            self._sleep(delay)
        monitor, region = self.resolve(target)
        shot, grabbed_at = self._read(region)
        width, height = shot.size.width, shot.size.height
        data = encode_bgrx(shot.raw, width, height)
        even = Fraction(width, region.width) == Fraction(height, region.height)
        ratio = _ratio_text(width, region.width) if even else None
        return Grab(
            data=data,
            media_type=MEDIA_TYPE,
            width=width,
            height=height,
            monitor=monitor,
            region=region,
            device_pixel_ratio=ratio,
            tool=TOOL,
            encoder=ENCODER,
            grabbed_at=grabbed_at,
            delay_ms=round(delay * 1000),
        )

    def grab_raw(self, region: Region) -> tuple[bytes, int, int, dt.datetime]:
        """A region's raw BGRA pixels and when they were read, without encoding them
        (a scrolling capture compares frames before it keeps them)."""
        shot, grabbed_at = self._read(region)
        return bytes(shot.raw), shot.size.width, shot.size.height, grabbed_at

    def _read(self, region: Region) -> tuple[Any, dt.datetime]:
        with self._lock:
            sct = self._open()
            grabbed_at = self._clock.now()
            try:
                shot = sct.grab(region.to_record())
            except ScreenShotError as exc:
                raise CaptureUnavailable(f"The screen could not be read: {exc}") from exc
        return shot, grabbed_at

    def grab_frame(self, *, delay_ms: int = 0) -> Frame:
        """Every monitor at once, kept raw in memory, for choosing a region on it."""
        monitors = tuple(self.monitors())
        screen = monitors[ALL_MONITORS].region
        shot, grabbed_at = self._read(screen)
        return Frame(raw=bytes(shot.raw), width=shot.size.width, height=shot.size.height,
                     region=screen, monitors=monitors, grabbed_at=grabbed_at,
                     delay_ms=delay_ms)
