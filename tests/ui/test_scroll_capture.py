"""Scrolling capture on a real X screen: the app turns the mouse wheel over a window with
known tall content (a sticky header and footer, text lines, coloured rows), keeps each
frame and joins them; the joined image is the content exactly."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QRect, Qt

from evidence_kit.capture.screen import Region
from evidence_kit.capture.scrolling import STOPPED_END, STOPPED_USER
from evidence_kit.core import keys
from evidence_kit.core.vault import Vault
from evidence_kit.intake import STITCHED_KEY
from tests.conftest import PASSPHRASE
from tests.xvfb import private_xvfb, stop_process

from .conftest import unlock

pytestmark = [pytest.mark.gui, pytest.mark.screen]

TARGET = Path(__file__).resolve().parent / "scroll_target.py"
WIDTH, VIEWPORT = 360, 300
SCREEN = (800, 700)


def content(height: int) -> Image.Image:
    """Chat-like rows: numbered lines of text, and a coloured band every fifth line."""
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    for line, y in enumerate(range(6, height - 20, 22)):
        if line % 5 == 4:
            draw.rectangle([0, y, WIDTH, y + 15], fill=((line * 47) % 256, 120, 200))
        else:
            draw.text((8, y), f"Message {line:03d} from @parent_{line % 3}: you will regret "
                      "it", fill=(20, 20, 20))
    return image


@pytest.fixture(scope="module")
def scroll_display() -> Iterator[str]:
    with private_xvfb(*SCREEN) as display:
        yield display


@pytest.fixture
def screen(scroll_display: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DISPLAY", scroll_display)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    return scroll_display


@pytest.fixture
def target(screen: str, tmp_path: Path) -> Iterator[Callable[[Image.Image], Region]]:
    started: list[subprocess.Popen[str]] = []

    def start(picture: Image.Image) -> Region:
        path = tmp_path / f"content-{len(started)}.png"
        picture.save(path)
        env = {**os.environ, "DISPLAY": screen, "QT_QPA_PLATFORM": "xcb",
               "QT_ENABLE_HIGHDPI_SCALING": "0", "QT_SCALE_FACTOR": "1",
               "QT_LOGGING_RULES": "*.debug=false;qt.qpa.*=false"}
        proc = subprocess.Popen([sys.executable, str(TARGET), str(path), str(VIEWPORT)],
                                env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        started.append(proc)
        assert proc.stdout is not None
        line = proc.stdout.readline().split()
        assert line[:1] == ["ready"], line
        return Region(*(int(v) for v in line[1:5]))

    yield start
    for proc in started:
        if proc.stdin is not None:
            proc.stdin.close()
        stop_process(proc)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture
def app(qtbot: Any, make_app: Any, tmp_path: Path, screen: str) -> Any:
    folder = tmp_path / "vault"
    Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)[0].lock()
    controller = make_app(folder)
    controller.capture.settle_ms = 50
    controller.capture.overlay_geometry = QRect(0, 0, *SCREEN)
    unlock(qtbot, controller)
    return controller


def rgb(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def rows(image: Image.Image, top: int, bottom: int) -> bytes:
    return image.crop((0, top, image.width, bottom)).tobytes()


def sequence(app: Any) -> dict[str, Any]:
    found = [e.payload for e in app.session.vault.events() if e.type == "capture.scrolled"]
    assert len(found) == 1
    return found[0]


def choose(qtbot: Any, app: Any, region: Region) -> Any:
    qtbot.waitUntil(lambda: app.capture.overlay is not None, timeout=10_000)
    overlay = app.capture.overlay
    overlay.set_selection(region)
    return overlay


def test_a_scrolled_window_is_joined_into_its_content_exactly(
        qtbot: Any, app: Any, target: Any) -> None:
    tall = content(1500)
    region = target(tall)

    app.window.capture_scroll_action.trigger()
    qtbot.keyClick(choose(qtbot, app, region), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.capture.dialog is not None, timeout=120_000)

    vault = app.session.vault
    payload = sequence(app)
    assert payload["stopped"] == STOPPED_END and payload["stitch_failed"] is None
    frames = [vault.item(f["item"]) for f in payload["frames"]]
    assert len(frames) >= 10, "1500 rows seen 300 at a time, two wheel clicks a scroll"
    stitched = vault.item(payload["stitched"]["item"])
    joined = rgb(vault.read_blob(stitched.sha256))
    first, last = rgb(vault.read_blob(frames[0].sha256)), rgb(vault.read_blob(frames[-1].sha256))
    header, footer = 40, 30
    assert joined.size == (WIDTH, header + tall.height + footer)
    assert rows(joined, 0, header) == rows(first, 0, header)
    assert rows(joined, header, header + tall.height) == tall.tobytes()
    assert rows(joined, joined.height - footer, joined.height) == rows(
        last, last.height - footer, last.height)
    link = stitched.details[STITCHED_KEY]
    assert (link["header_rows"], link["footer_rows"]) == (header, footer)
    for frame, offset in zip(frames, [f["offset"] for f in link["frames"]], strict=True):
        picture = rgb(vault.read_blob(frame.sha256))
        assert rows(joined, offset, offset + VIEWPORT) == rows(picture, header,
                                                               header + VIEWPORT)
    assert app.capture.dialog.item.id == frames[0].id
    assert "joined into one" in app.window.statusBar().currentMessage()
    assert app.capture.scroll_control is None and not app.capture.busy
    assert vault.verify().ok


def test_a_window_that_does_not_scroll_stops_after_two_identical_frames(
        qtbot: Any, app: Any, target: Any) -> None:
    region = target(content(200))  # shorter than the window: nothing to scroll

    app.window.capture_scroll_action.trigger()
    qtbot.keyClick(choose(qtbot, app, region), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.capture.dialog is not None, timeout=60_000)

    payload = sequence(app)
    assert payload["stopped"] == STOPPED_END
    assert len(payload["frames"]) == 1 and payload["stitched"] is None
    item = app.session.vault.item(payload["frames"][0]["item"])
    assert item.details["scroll"] == {"frame": 1, "of": 1, "stopped": STOPPED_END}


def test_stop_keeps_what_was_captured_joined_from_the_region_overlay(
        qtbot: Any, app: Any, target: Any) -> None:
    tall = content(6000)
    region = target(tall)

    app.window.capture_region_action.trigger()
    choose(qtbot, app, region).panel.scroll_button.click()
    qtbot.waitUntil(lambda: app.capture.scroll_control is not None
                    and "3 pictures" in app.capture.scroll_control.label.text(),
                    timeout=60_000)
    app.capture.scroll_control.button.click()
    qtbot.waitUntil(lambda: app.capture.dialog is not None, timeout=60_000)

    vault = app.session.vault
    payload = sequence(app)
    assert payload["stopped"] == STOPPED_USER
    assert 3 <= len(payload["frames"]) < 10
    joined = rgb(vault.read_blob(vault.item(payload["stitched"]["item"]).sha256))
    seen = joined.height - 40 - 30
    assert rows(joined, 40, 40 + seen) == rows(tall, 0, seen)
    assert "you pressed Stop" in app.window.statusBar().currentMessage()


def test_capture_scroll_on_the_command_line_hands_over_to_the_app(
        qtbot: Any, make_app: Any, tmp_path: Path, screen: str, target: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.ui.test_remote import _command, _finish

    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    folder = tmp_path / "vault"
    Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)[0].lock()
    region = target(content(700))
    code, _out, err = _finish(qtbot, _command(folder, "--scroll", "--region", "0,0,10,10"))
    assert code == 2 and "leave out --region" in err
    code, _out, err = _finish(qtbot, _command(folder, "--scroll"))
    assert code == 2 and "--scroll needs the Evidence Kit app to be open" in err

    app = make_app(folder)
    app.capture.settle_ms = 50
    app.capture.overlay_geometry = QRect(0, 0, *SCREEN)
    unlock(qtbot, app)
    code, out, err = _finish(qtbot, _command(folder, "--scroll", "--note", "the whole chat"))
    assert (code, err) == (0, "") and "Evidence Kit is open" in out
    overlay = choose(qtbot, app, region)
    assert overlay.scroll_mode
    qtbot.keyClick(overlay, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.capture.dialog is not None, timeout=60_000)
    payload = sequence(app)
    assert len(payload["frames"]) > 1 and payload["stitched"] is not None
    first = app.session.vault.item_history(payload["frames"][0]["item"])[0]
    assert first.payload["note"] == "the whole chat"
