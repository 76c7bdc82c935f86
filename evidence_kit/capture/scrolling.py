"""Scrolling capture of any window: scroll a region, grab a frame after each scroll.

The pointer is put over the region and the mouse wheel turned (pynput, so the window
gets real wheel events, as from the user's hand), or Page Down pressed. After each
scroll the region is grabbed until two grabs in a row are the same (the window has
finished repainting), and that frame is kept. It ends when:

- a scroll changes nothing (the frame equals the one before: the end of the content,
  or a window that does not scroll), which is the usual end;
- the limit of frames is reached (said so: there may be more below);
- the user presses Stop (checked between frames).

Each frame is encoded exactly as a screen grab is (:func:`.screen.encode_bgrx`) and
stitched by :mod:`.stitch` from the same pixels. Qt-free: the app gives the Stop
signal as a :class:`threading.Event` and runs this off the UI thread.
"""

from __future__ import annotations

import dataclasses
import io
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PIL import Image

from evidence_kit.capture.screen import (
    ENCODER,
    MEDIA_TYPE,
    PNG_COMPRESS_LEVEL,
    TOOL,
    Grab,
    MonitorInfo,
    Region,
    ScreenGrabber,
    encode_bgrx,
)
from evidence_kit.capture.stitch import Stitch, StitchFailed, stitch

SCROLL_KEY = "scroll"
"""A scrolling capture's frame: ``{"frame": k, "of": n, "stopped": …}`` in its details."""
STITCHED_KEY = "stitched_from"
"""A stitched image's frames (by SHA-256, in order) and each one's offset in it."""

MAX_FRAMES = 40
"""About 40 screens of a chat: a long thread, and a stitch well under the vault's limits."""

WHEEL_CLICKS = 2
"""Wheel clicks per scroll: a few lines, so each frame overlaps the one before by far more
than the stitcher needs, even in a small region."""

STEADY_WAIT = 0.05
"""Seconds between grabs while waiting for the window to finish repainting."""
STEADY_TRIES = 40

WHEEL = "wheel"
PAGE_DOWN = "page down"

STOPPED_END = "the content stopped changing: one more scroll showed the same picture"
STOPPED_USER = "you pressed Stop"


def stopped_limit(limit: int) -> str:
    return (f"the limit of {limit} frames was reached; there may be more below, so capture "
            "again from where this ended")


Scroll = Callable[[], None]


def pynput_scroller(region: Region, how: str = WHEEL, clicks: int = WHEEL_CLICKS,
                    ) -> tuple[Scroll, Callable[[], None]]:
    """A scroll step over ``region`` and a function that puts the pointer back."""
    from pynput.keyboard import Controller as Keyboard
    from pynput.keyboard import Key
    from pynput.mouse import Controller as Mouse

    mouse = Mouse()
    keyboard = Keyboard()
    was = mouse.position
    centre = (region.left + region.width // 2, region.top + region.height // 2)

    def scroll() -> None:
        mouse.position = centre  # the wheel scrolls whatever is under the pointer
        if how == PAGE_DOWN:
            keyboard.tap(Key.page_down)
        else:
            mouse.scroll(0, -clicks)

    def restore() -> None:
        mouse.position = was

    return scroll, restore


@dataclass(frozen=True)
class ScrollResult:
    frames: tuple[Grab, ...]
    """Every frame kept, in order, encoded as a screen grab is; these are the originals."""
    stopped: str
    """Why the scrolling ended, in words."""
    stitched: Stitch | None
    stitched_png: bytes | None
    failure: str | None
    """Why the frames could not be joined (they are kept unstitched), if they could not."""
    method: dict[str, Any]


def _steady(grabber: ScreenGrabber, region: Region, sleep: Callable[[float], None],
            ) -> tuple[bytes, int, int, Any]:
    raw, width, height, at = grabber.grab_raw(region)
    for _ in range(STEADY_TRIES):
        sleep(STEADY_WAIT)
        again = grabber.grab_raw(region)
        if again[0] == raw:
            return raw, width, height, at
        raw, width, height, at = again
    return raw, width, height, at


def scroll_capture(
    grabber: ScreenGrabber, region: Region, scroll: Scroll, *, stop: threading.Event,
    monitor: MonitorInfo, max_frames: int = MAX_FRAMES, how: str = WHEEL,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int], None] | None = None,
) -> ScrollResult:
    """Scroll and grab until the end, the limit or Stop; then stitch what was grabbed."""
    raws: list[tuple[bytes, int, int, Any]] = [_steady(grabber, region, sleep)]
    if progress is not None:
        progress(1)
    stopped = stopped_limit(max_frames)
    while len(raws) < max_frames:
        if stop.is_set():
            stopped = STOPPED_USER
            break
        scroll()
        shot = _steady(grabber, region, sleep)
        if shot[0] == raws[-1][0]:
            stopped = STOPPED_END
            break
        raws.append(shot)
        if progress is not None:
            progress(len(raws))
    frames = tuple(
        Grab(data=encode_bgrx(raw, width, height), media_type=MEDIA_TYPE, width=width,
             height=height, monitor=monitor, region=region,
             device_pixel_ratio="1" if (width, height) == (region.width, region.height)
             else None, tool=TOOL, encoder=ENCODER, grabbed_at=at, delay_ms=0)
        for raw, width, height, at in raws)
    method = {"scrolled_by": "mouse wheel" if how == WHEEL else "Page Down key",
              "wheel_clicks_per_step": WHEEL_CLICKS if how == WHEEL else None,
              "max_frames": max_frames, "frames": len(frames)}
    if len(raws) == 1:
        return ScrollResult(frames, stopped, None, None, None, method)
    images = [Image.frombuffer("RGB", (w, h), raw, "raw", "BGRX", 0, 1)
              for raw, w, h, _at in raws]
    try:
        joined = stitch(images)
    except StitchFailed as exc:
        return ScrollResult(frames, stopped, None, None, str(exc), method)
    png = encode_rgb(joined.image)
    return ScrollResult(frames, stopped, joined, png, None, method)


def encode_rgb(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return out.getvalue()


def with_in_front(result: ScrollResult, in_front: dict[str, Any] | None) -> ScrollResult:
    """The window in front, read before the scrolling began, kept with every frame."""
    frames = tuple(dataclasses.replace(f, in_front=in_front) for f in result.frames)
    return dataclasses.replace(result, frames=frames)
