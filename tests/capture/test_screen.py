"""Screen grabs on a real (virtual) X server, compared pixel for pixel."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
from PIL import Image

from evidence_kit.capture.errors import BadRegion, CaptureUnavailable
from evidence_kit.capture.screen import (
    ALL_MONITORS,
    MEDIA_TYPE,
    Grab,
    Region,
    ScreenGrabber,
    _ratio_text,
    encode_bgrx,
)
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.errors import BadInput, EnvironmentFailure

from .paint_pattern import SCREEN_HEIGHT, SCREEN_WIDTH

if TYPE_CHECKING:
    from .conftest import Painter

START = dt.datetime(2024, 3, 12, 14, 5, 0, 123456, tzinfo=dt.UTC)


def decoded_rgb(grab: Grab) -> bytes:
    with Image.open(io.BytesIO(grab.data)) as image:
        assert image.format == "PNG"
        assert image.size == (grab.width, grab.height)
        return image.convert("RGB").tobytes()


def expected_crop(pattern: ModuleType, region: Region, inverted: bool = False) -> bytes:
    full: bytes = pattern.pattern_rgb(SCREEN_WIDTH, SCREEN_HEIGHT, inverted)
    stride = SCREEN_WIDTH * 3
    return b"".join(
        full[y * stride + region.left * 3 : y * stride + region.right * 3]
        for y in range(region.top, region.bottom)
    )


def assert_no_floats(value: Any) -> None:
    assert not isinstance(value, float), value
    if isinstance(value, dict):
        for item in value.values():
            assert_no_floats(item)
    elif isinstance(value, list):
        for item in value:
            assert_no_floats(item)


@pytest.fixture
def grabber(x_screen: str) -> Iterator[ScreenGrabber]:
    with ScreenGrabber(clock=FixedClock(START)) as grabber:
        yield grabber


@pytest.mark.screen
def test_monitors_follow_mss_numbering(grabber: ScreenGrabber) -> None:
    monitors = grabber.monitors()
    assert len(monitors) >= 2
    everything = monitors[ALL_MONITORS]
    assert (everything.index, everything.left, everything.top) == (0, 0, 0)
    assert (everything.width, everything.height) == (SCREEN_WIDTH, SCREEN_HEIGHT)
    first = monitors[1]
    assert first.index == 1
    assert first.region == Region(0, 0, SCREEN_WIDTH, SCREEN_HEIGHT)


@pytest.mark.screen
def test_region_grab_is_exactly_what_was_on_screen(
    grabber: ScreenGrabber, painter: Painter, pattern: ModuleType
) -> None:
    # Odd offsets and sizes catch stride, off-by-one and row-order mistakes.
    region = Region(137, 59, 301, 203)
    grab = grabber.grab(region)

    assert decoded_rgb(grab) == expected_crop(pattern, region)
    assert grab.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert (grab.media_type, grab.width, grab.height) == (MEDIA_TYPE, 301, 203)
    assert grab.region == region
    assert grab.monitor.index == 1
    assert grab.device_pixel_ratio == "1"
    assert grab.tool.startswith("mss ")
    assert grab.grabbed_at == START


@pytest.mark.screen
@pytest.mark.parametrize("monitor", [ALL_MONITORS, 1])
def test_monitor_grab_is_exactly_what_was_on_screen(
    grabber: ScreenGrabber, painter: Painter, pattern: ModuleType, monitor: int
) -> None:
    grab = grabber.grab(monitor)

    assert grab.monitor.index == monitor
    assert grab.region == Region(0, 0, SCREEN_WIDTH, SCREEN_HEIGHT)
    assert decoded_rgb(grab) == pattern.pattern_rgb(SCREEN_WIDTH, SCREEN_HEIGHT)


@pytest.mark.screen
def test_region_touching_the_bottom_right_corner_is_allowed(
    grabber: ScreenGrabber, painter: Painter, pattern: ModuleType
) -> None:
    region = Region(SCREEN_WIDTH - 7, SCREEN_HEIGHT - 5, 7, 5)
    assert decoded_rgb(grabber.grab(region)) == expected_crop(pattern, region)


@pytest.mark.screen
def test_delay_happens_before_the_pixels_are_read(
    x_screen: str, painter: Painter, pattern: ModuleType
) -> None:
    clock = FixedClock(START)
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        # What changes on screen during the delay must be in the grab.
        slept.append(seconds)
        clock.advance(dt.timedelta(seconds=seconds))
        painter.show(inverted=True)

    region = Region(400, 300, 64, 48)
    try:
        with ScreenGrabber(clock=clock, sleep=sleep) as grabber:
            grab = grabber.grab(region, delay=2.5)
    finally:
        painter.show(inverted=False)

    assert slept == [2.5]
    assert decoded_rgb(grab) == expected_crop(pattern, region, inverted=True)
    assert grab.grabbed_at == START + dt.timedelta(seconds=2.5)
    assert grab.delay_ms == 2500


@pytest.mark.screen
def test_monitors_away_from_the_origin_are_grabbed_at_their_place(
    two_monitors: dict[bytes, tuple[int, int, int, int]], painter: Painter, pattern: ModuleType
) -> None:
    with ScreenGrabber() as grabber:
        monitors = grabber.monitors()
        by_geometry = {(m.left, m.top, m.width, m.height): m for m in monitors[1:]}
        right = by_geometry[two_monitors[b"EK_RIGHT"]]
        left = by_geometry[two_monitors[b"EK_LEFT"]]

        grab = grabber.grab(right.index)
        assert grab.monitor == right
        assert grab.region == Region(640, 160, 640, 480)
        assert decoded_rgb(grab) == expected_crop(pattern, grab.region)

        inside_right = Region(700, 200, 50, 40)
        grab = grabber.grab(inside_right)
        assert grab.monitor.index == right.index
        assert decoded_rgb(grab) == expected_crop(pattern, inside_right)

        assert grabber.grab(Region(10, 10, 20, 20)).monitor.index == left.index
        straddling = grabber.grab(Region(600, 300, 100, 50))
        assert straddling.monitor.index not in (left.index, right.index)
        assert straddling.monitor.contains(straddling.region)
        assert decoded_rgb(straddling) == expected_crop(pattern, straddling.region)


@pytest.mark.screen
def test_no_delay_means_no_sleep(x_screen: str) -> None:
    slept: list[float] = []
    with ScreenGrabber(sleep=slept.append) as grabber:
        grabber.grab(Region(0, 0, 4, 4))
    assert slept == []


@pytest.mark.screen
@pytest.mark.parametrize(
    "region",
    [
        Region(1200, 700, 100, 200),  # runs off the right and the bottom
        Region(-1, 0, 10, 10),
        Region(0, -20, 10, 10),
        Region(5000, 5000, 10, 10),
        Region(0, 0, SCREEN_WIDTH + 1, SCREEN_HEIGHT),
    ],
)
def test_regions_off_the_screen_are_refused_before_any_delay(
    x_screen: str, region: Region
) -> None:
    slept: list[float] = []
    with (
        ScreenGrabber(sleep=slept.append) as grabber,
        pytest.raises(BadRegion, match="not entirely on the screen") as caught,
    ):
        grabber.grab(region, delay=3)
    assert region.as_text() in str(caught.value)
    assert f"0,0,{SCREEN_WIDTH},{SCREEN_HEIGHT}" in str(caught.value)
    assert slept == []


@pytest.mark.screen
@pytest.mark.parametrize("region", [Region(10, 10, 0, 10), Region(10, 10, 10, -5)])
def test_empty_regions_are_refused(grabber: ScreenGrabber, region: Region) -> None:
    with pytest.raises(BadRegion, match="is empty"):
        grabber.grab(region)


@pytest.mark.screen
@pytest.mark.parametrize("monitor", [2, 7, -1])
def test_unknown_monitors_are_refused(grabber: ScreenGrabber, monitor: int) -> None:
    with pytest.raises(BadRegion, match=f"no monitor {monitor}"):
        grabber.grab(monitor)


@pytest.mark.screen
@pytest.mark.parametrize("delay", [-1, math.nan, math.inf, 10_000, True, "3"])
def test_bad_delays_are_refused(grabber: ScreenGrabber, delay: Any) -> None:
    with pytest.raises(BadInput, match="delay"):
        grabber.grab(Region(0, 0, 4, 4), delay=delay)


@pytest.mark.screen
def test_a_closed_grabber_says_so(x_screen: str) -> None:
    grabber = ScreenGrabber()
    grabber.close()
    grabber.close()
    with pytest.raises(CaptureUnavailable, match="closed"):
        grabber.grab(ALL_MONITORS)


@pytest.mark.screen
def test_grab_record_is_plain_json_without_floats(grabber: ScreenGrabber) -> None:
    record = grabber.grab(Region(10, 20, 30, 40), delay=0).to_record()
    assert_no_floats(record)
    assert json.loads(json.dumps(record)) == record
    assert record["region"] == {"left": 10, "top": 20, "width": 30, "height": 40}
    assert record["grabbed_at"] == "2024-03-12T14:05:00.123456Z"
    assert "data" not in record


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 only")
def test_no_display_is_a_clear_environment_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(CaptureUnavailable, match="no display") as caught:
        ScreenGrabber()
    assert isinstance(caught.value, EnvironmentFailure)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 only")
def test_wayland_without_x_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    with pytest.raises(CaptureUnavailable, match="Wayland"):
        ScreenGrabber()


def test_encoding_keeps_every_pixel_and_drops_the_undefined_alpha() -> None:
    width, height = 17, 9
    bgra = bytearray()
    expected = bytearray()
    for index in range(width * height):
        red, green, blue = index % 251, (index * 7) % 256, (index * 13) % 256
        bgra += bytes([blue, green, red, (index * 31) % 256])
        expected += bytes([red, green, blue])

    data = encode_bgrx(bgra, width, height)

    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.mode == "RGB"
        assert image.tobytes() == bytes(expected)


def test_encoding_refuses_a_buffer_of_the_wrong_size() -> None:
    with pytest.raises(ValueError, match="expected 16 bytes"):
        encode_bgrx(bytes(15), 2, 2)


@pytest.mark.parametrize(
    ("pixels", "units", "text"), [(1920, 1920, "1"), (3840, 1920, "2"), (2880, 1920, "1.5")]
)
def test_pixel_ratio_is_text_not_a_float(pixels: int, units: int, text: str) -> None:
    assert _ratio_text(pixels, units) == text


def test_region_parses_the_command_line_form() -> None:
    assert Region.parse("10, 20,300,400") == Region(10, 20, 300, 400)
    assert Region.parse("-1920,0,100,100").left == -1920  # monitors left of the primary


@pytest.mark.parametrize("text", ["10,20,30", "a,b,c,d", "", "1,2,3,4,5", "1.5,2,3,4"])
def test_region_parse_refuses_other_text(text: str) -> None:
    with pytest.raises(BadRegion, match="four whole numbers"):
        Region.parse(text)


def test_capture_package_never_imports_qt() -> None:
    code = (
        "import sys\n"
        "import evidence_kit.capture.screen, evidence_kit.capture.context\n"
        "import evidence_kit.capture.urls, evidence_kit.capture.categories\n"
        "import evidence_kit.capture.imports, evidence_kit.capture.stop_path\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
