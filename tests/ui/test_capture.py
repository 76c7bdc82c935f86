"""Capture in the app: grabs on a private X screen, the region overlay, the details
dialog, capture while locked, the stop path, drag and drop, report tracking with due
checks, guidance. Real vaults in temporary folders throughout."""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from evidence_kit.capture.screen import Frame, Region
from evidence_kit.core import actions, keys
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.errors import NotFound
from evidence_kit.core.profile import Contact, Profile, load_profile, save_profile
from evidence_kit.core.vault import Vault
from evidence_kit.settings import AppConfig
from evidence_kit.ui import tracking
from evidence_kit.ui.capture_controller import REGION
from evidence_kit.ui.guidance import GuidanceDialog
from evidence_kit.ui.region_overlay import RegionOverlay
from evidence_kit.ui.shortcut import availability, to_pynput
from evidence_kit.ui.stop_path_dialog import StopPathDialog
from tests.capture.paint_pattern import SCREEN_HEIGHT, SCREEN_WIDTH
from tests.conftest import PASSPHRASE, snapshot

from .conftest import Said, picture, unlock

pytestmark = pytest.mark.gui

URL = "https://www.facebook.com/groups/parents/posts/123"
START = dt.datetime(2026, 3, 14, 9, 0, tzinfo=dt.UTC)
FULL = QRect(0, 0, SCREEN_WIDTH, SCREEN_HEIGHT)


@pytest.fixture
def small_vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    vault, _code = Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    with vault:
        vault.create_incident("Comments on the parents' page")
        save_profile(vault, Profile(name="Jane Smith", contacts=(
            Contact("Designated safeguarding lead (DSL)", "Mrs Khan", "01234 567891"),)))
    return folder


def rgb(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        return image.convert("RGB").tobytes()


def crop(pattern: ModuleType, region: Region) -> bytes:
    full: bytes = pattern.pattern_rgb(SCREEN_WIDTH, SCREEN_HEIGHT)
    stride = SCREEN_WIDTH * 3
    return b"".join(full[y * stride + region.left * 3: y * stride + region.right * 3]
                    for y in range(region.top, region.bottom))


def start(qtbot: Any, make_app: Any, folder: Path, **kwargs: Any) -> Any:
    app = make_app(folder, **kwargs)
    app.capture.settle_ms = 0
    app.capture.overlay_geometry = FULL
    return app


def wait_dialog(qtbot: Any, app: Any) -> Any:
    qtbot.waitUntil(lambda: app.capture.dialog is not None, timeout=10_000)
    return app.capture.dialog


def blobs(vault: Vault) -> int:
    return int(vault.conn.execute("SELECT count(*) FROM chunks").fetchone()[0])


# ---- full screen: committed at the grab, details as events -----------------------------


@pytest.mark.screen
def test_full_screen_capture_details_and_close(qtbot: Any, make_app: Any, small_vault: Path,
                                               x_screen: str, painter: Any,
                                               pattern: ModuleType) -> None:
    painter.show(False)
    app = start(qtbot, make_app, small_vault)
    unlock(qtbot, app)
    QGuiApplication.clipboard().setText(URL)
    app.window.capture_screen_action.trigger()
    dialog = wait_dialog(qtbot, app)
    vault = app.session.vault
    item = vault.item(dialog.item.id)  # committed before the dialog opened
    assert item.method == "capture" and item.description is None
    assert rgb(vault.read_blob(item.sha256)) == crop(pattern, Region(0, 0, 1280, 800))
    assert app.window.isVisible(), "the window comes back after the grab"
    assert dialog.url.text() == URL and "clipboard" in dialog.url_hint.text()
    assert dialog.platform.text() == "Facebook"

    incident = vault.incidents()[0].id
    dialog.incident.setCurrentIndex(dialog.incident.findData(incident))
    dialog.category.setCurrentIndex(dialog.category.findData("harassment"))
    dialog.note.setPlainText("Posted during parents' evening.")
    qtbot.keyClicks(dialog.description, "Comment calling me a liar")
    qtbot.keyClick(dialog.description, Qt.Key.Key_Return)  # one keypress saves
    qtbot.waitUntil(lambda: app.capture.dialog is None)
    saved = vault.item(item.id)
    assert (saved.url, saved.platform, saved.description, saved.category, saved.incident_id) \
        == (URL, "Facebook", "Comment calling me a liar", "harassment", incident)
    types = [e.type for e in vault.item_history(item.id)]
    assert types[:1] == ["item.captured"] and "item.details" in types and "item.moved" in types
    assert [n.text for n in vault.notes(item=item.id)] == ["Posted during parents' evening."]
    assert saved.sha256 == item.sha256  # the evidence itself never changes

    # A second capture, closed without details: kept as it was.
    QGuiApplication.clipboard().setText("not an address")
    app.window.capture_screen_action.trigger()
    qtbot.waitUntil(lambda: app.capture.dialog is not None
                    and app.capture.dialog.item.id != item.id, timeout=10_000)
    second = app.capture.dialog
    assert second.url.text() == "" and "Ctrl+C" in second.url_hint.text()
    assert second.incident.currentData() == incident, "the incident chosen last is offered"
    second.reject()
    assert second.keep_box is not None and "the incident" in second.keep_box.text()
    _answer(second, "&Leave it out")
    kept = vault.item(second.item.id)
    assert not kept.withdrawn and vault.read_blob(kept.sha256) and kept.incident_id is None
    assert "kept" in app.window.statusBar().currentMessage()


def _answer(dialog: Any, label: str) -> None:
    box = dialog.keep_box
    assert box is not None and box.isVisible()
    next(b for b in box.buttons() if b.text() == label).click()


@pytest.mark.screen
def test_esc_never_silently_drops_what_is_shown(qtbot: Any, make_app: Any, small_vault: Path,
                                                x_screen: str, painter: Any) -> None:
    painter.show(False)
    app = start(qtbot, make_app, small_vault)
    unlock(qtbot, app)
    vault = app.session.vault
    QGuiApplication.clipboard().setText(URL)
    app.window.capture_screen_action.trigger()
    dialog = wait_dialog(qtbot, app)
    assert dialog.url.text() == URL and dialog.platform.text() == "Facebook"
    qtbot.keyClick(dialog.description, Qt.Key.Key_Escape)
    box = dialog.keep_box
    assert box is not None and "the web address, the platform" in box.text()
    _answer(dialog, "&Go back")
    assert dialog.isVisible() and dialog.keep_box is None  # back to the form, as it was
    qtbot.keyClicks(dialog.description, "Comment under the school's post")
    qtbot.keyClick(dialog.description, Qt.Key.Key_Escape)
    _answer(dialog, "&Keep it")
    qtbot.waitUntil(lambda: app.capture.dialog is None)
    item = vault.item(dialog.item.id)
    assert (item.url, item.platform, item.description) == (
        URL, "Facebook", "Comment under the school's post")

    # Locking (by hand or when idle) with words typed keeps them too.
    QGuiApplication.clipboard().setText("")
    app.window.capture_screen_action.trigger()
    qtbot.waitUntil(lambda: app.capture.dialog is not None
                    and app.capture.dialog.item.id != item.id, timeout=10_000)
    second = app.capture.dialog
    second.incident.setCurrentIndex(0)  # not in an incident: only the words are new
    qtbot.keyClicks(second.account, "@parent_42")
    second_id = second.item.id
    app.session.request_lock("user")
    qtbot.waitUntil(lambda: not app.session.is_unlocked, timeout=10_000)
    unlock(qtbot, app)
    assert app.session.vault.item(second_id).account == "@parent_42"


@pytest.mark.screen
def test_a_new_capture_thumbnail_shows_once_made(qtbot: Any, make_app: Any, small_vault: Path,
                                                 x_screen: str, painter: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from evidence_kit.ui import capture_details

    made = threading.Event()
    real = capture_details.add_preview

    def slow_preview(vault: Any, item: Any, data: bytes) -> None:
        made.wait(10)  # the list is shown (and asks for the thumbnail) before it exists
        real(vault, item, data)

    monkeypatch.setattr(capture_details, "add_preview", slow_preview)
    painter.show(False)
    app = start(qtbot, make_app, small_vault)
    unlock(qtbot, app)
    app.window.capture_screen_action.trigger()
    dialog = wait_dialog(qtbot, app)
    model = app.workspace.model

    def shape() -> tuple[int, int]:
        row = next(r for r in range(model.rowCount()) if model.items[r].id == dialog.item.id)
        pixmap = model.data(model.index(row, model.CARD), Qt.ItemDataRole.DecorationRole)
        return pixmap.width(), pixmap.height()

    width, height = shape()
    assert width == height, "a square placeholder while the thumbnail is being made"
    made.set()
    qtbot.waitUntil(lambda: shape()[0] > shape()[1], timeout=10_000)  # 1280×800, shown
    dialog.save()


@pytest.mark.screen
def test_discard_withdraws_and_purges(qtbot: Any, make_app: Any, small_vault: Path,
                                      x_screen: str, painter: Any) -> None:
    app = start(qtbot, make_app, small_vault)
    unlock(qtbot, app)
    app.window.capture_screen_action.trigger()
    dialog = wait_dialog(qtbot, app)
    item_id, sha = dialog.item.id, dialog.item.sha256
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    vault = app.session.vault
    qtbot.waitUntil(lambda: vault.item(item_id).withdrawn, timeout=5_000)
    with pytest.raises(NotFound):
        vault.read_blob(sha)
    assert vault.thumbnail(sha) is None
    assert vault.item_history(item_id)[-1].type == "item.withdrawn"
    assert vault.verify().ok


# ---- region: a frozen frame, exact original pixels --------------------------------------


@pytest.mark.screen
def test_region_drag_handles_keys_store_exact_pixels(qtbot: Any, make_app: Any,
                                                      small_vault: Path, x_screen: str,
                                                      painter: Any,
                                                      pattern: ModuleType) -> None:
    painter.show(False)
    app = start(qtbot, make_app, small_vault)
    unlock(qtbot, app)
    app.window.capture_region_action.trigger()
    qtbot.waitUntil(lambda: app.capture.overlay is not None, timeout=5_000)
    overlay: RegionOverlay = app.capture.overlay
    assert not app.window.isVisible(), "our window is away while the region is chosen"
    painter.show(True)  # the screen changes; the frozen frame does not
    qtbot.mousePress(overlay, Qt.MouseButton.LeftButton, pos=QPoint(101, 57))
    qtbot.mouseMove(overlay, QPoint(300, 200))
    qtbot.mouseMove(overlay, QPoint(434, 268))
    qtbot.mouseRelease(overlay, Qt.MouseButton.LeftButton, pos=QPoint(434, 268))
    assert overlay.selection == Region(101, 57, 333, 211)
    # the bottom-right handle, dragged 20 px further; then nudges with the keyboard
    qtbot.mousePress(overlay, Qt.MouseButton.LeftButton, pos=QPoint(434, 268))
    qtbot.mouseMove(overlay, QPoint(454, 288))
    qtbot.mouseRelease(overlay, Qt.MouseButton.LeftButton, pos=QPoint(454, 288))
    assert overlay.selection == Region(101, 57, 353, 231)
    qtbot.keyClick(overlay, Qt.Key.Key_Right)
    qtbot.keyClick(overlay, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert overlay.selection == Region(102, 57, 353, 232)
    qtbot.keyClick(overlay, Qt.Key.Key_Return)
    dialog = wait_dialog(qtbot, app)
    vault = app.session.vault
    item = vault.item(dialog.item.id)
    assert rgb(vault.read_blob(item.sha256)) == crop(pattern, Region(102, 57, 353, 232))
    capture = item.details["capture"]
    assert capture["region"] == {"left": 102, "top": 57, "width": 353, "height": 232}
    assert (capture["width"], capture["height"]) == (353, 232)
    assert item.details["selection"]["frame"] == {"left": 0, "top": 0, "width": 1280,
                                                  "height": 800}
    dialog.reject()
    painter.show(False)


@pytest.mark.screen
def test_delayed_capture_counts_down_then_whole_screen(qtbot: Any, make_app: Any,
                                                       small_vault: Path, x_screen: str,
                                                       painter: Any,
                                                       pattern: ModuleType) -> None:
    painter.show(False)
    app = start(qtbot, make_app, small_vault)
    unlock(qtbot, app)
    app.capture.capture(REGION, delay=1)
    countdown = app.capture.countdown
    assert countdown is not None and countdown.isVisible()
    assert countdown.number.text() == "1"
    assert app.capture.overlay is None, "nothing is grabbed before the countdown ends"
    qtbot.waitUntil(lambda: app.capture.overlay is not None, timeout=5_000)
    assert app.capture.countdown is None, "the countdown is gone before the grab"
    qtbot.keyClick(app.capture.overlay, Qt.Key.Key_Return)  # nothing chosen: whole screen
    dialog = wait_dialog(qtbot, app)
    item = app.session.vault.item(dialog.item.id)
    assert item.details["capture"]["delay_ms"] == 1000
    assert item.details["selection"]["whole_frame"] is True
    assert rgb(app.session.vault.read_blob(item.sha256)) == crop(pattern,
                                                                 Region(0, 0, 1280, 800))
    dialog.reject()


def test_overlay_maps_scaled_widget_to_frame_pixels(qtbot: Any) -> None:
    """With the desktop scaled ×2, one logical pixel is two frame pixels."""
    frame = Frame(raw=bytes(200 * 100 * 4), width=200, height=100,
                  region=Region(0, 0, 200, 100), monitors=(), grabbed_at=START)
    overlay = RegionOverlay(frame, QRect(0, 0, 100, 50))
    qtbot.addWidget(overlay)
    chosen: list[Any] = []
    overlay.chosen.connect(chosen.append)
    overlay.show()
    qtbot.mousePress(overlay, Qt.MouseButton.LeftButton, pos=QPoint(10, 5))
    qtbot.mouseMove(overlay, QPoint(30, 25))
    qtbot.mouseRelease(overlay, Qt.MouseButton.LeftButton, pos=QPoint(30, 25))
    assert overlay.selection == Region(20, 10, 40, 40)
    qtbot.mouseDClick(overlay, Qt.MouseButton.LeftButton, pos=QPoint(20, 15))
    assert chosen == [Region(20, 10, 40, 40)]


def test_overlay_draws_a_rectangle_by_keyboard_alone(qtbot: Any) -> None:
    """Arrows move a cross-hair, Space starts and ends, Shift+arrows resize, Enter keeps."""
    frame = Frame(raw=bytes(200 * 100 * 4), width=200, height=100,
                  region=Region(0, 0, 200, 100), monitors=(), grabbed_at=START)
    overlay = RegionOverlay(frame, QRect(0, 0, 200, 100))
    qtbot.addWidget(overlay)
    chosen: list[Any] = []
    overlay.chosen.connect(chosen.append)
    overlay.show()
    assert "Space starts the rectangle" in overlay.panel.help.text()
    ctrl = Qt.KeyboardModifier.ControlModifier
    for _ in range(3):  # from the centre (100, 50) to (70, 40)
        qtbot.keyClick(overlay, Qt.Key.Key_Left, ctrl)
    qtbot.keyClick(overlay, Qt.Key.Key_Up, ctrl)
    assert overlay.selection is None
    qtbot.keyClick(overlay, Qt.Key.Key_Space)
    for _ in range(4):
        qtbot.keyClick(overlay, Qt.Key.Key_Right, ctrl)
    qtbot.keyClick(overlay, Qt.Key.Key_Down, ctrl)
    qtbot.keyClick(overlay, Qt.Key.Key_Down)
    assert overlay.selection == Region(70, 40, 40, 11)
    qtbot.keyClick(overlay, Qt.Key.Key_Space)  # ends it: arrows now move it
    qtbot.keyClick(overlay, Qt.Key.Key_Right)
    qtbot.keyClick(overlay, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert overlay.selection == Region(71, 40, 41, 11)
    qtbot.keyClick(overlay, Qt.Key.Key_Return)
    assert chosen == [Region(71, 40, 41, 11)]


def test_overlay_escape_while_drawing_drops_only_that_rectangle(qtbot: Any) -> None:
    frame = Frame(raw=bytes(200 * 100 * 4), width=200, height=100,
                  region=Region(0, 0, 200, 100), monitors=(), grabbed_at=START)
    overlay = RegionOverlay(frame, QRect(0, 0, 200, 100))
    qtbot.addWidget(overlay)
    cancelled: list[bool] = []
    overlay.cancelled.connect(lambda: cancelled.append(True))
    overlay.show()
    qtbot.keyClick(overlay, Qt.Key.Key_Space)
    qtbot.keyClick(overlay, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(overlay, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert overlay.selection == Region(100, 50, 10, 10)
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    assert overlay.selection is None and not cancelled
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    assert cancelled == [True]


# ---- locked: memory only, never on disk --------------------------------------------------


def _files_outside(tmp: Path) -> set[str]:
    """Every file in the system temporary folder (the test's own folder apart)."""
    found = set()
    # pytest's own folders (this run's and any other run's on the machine) are skipped:
    # the app is never told of them, so a leak would land elsewhere, while other tests'
    # fixtures legitimately keep pictures there.
    pytest_roots = os.path.join(tempfile.gettempdir(), "pytest-of-")
    for root, _dirs, names in os.walk(tempfile.gettempdir()):
        if root.startswith(str(tmp)) or root.startswith(pytest_roots):
            continue
        found.update(os.path.join(root, n) for n in names)
    return found


def _no_picture_written(before: set[str], pattern: ModuleType) -> None:
    """No file that appeared in the temporary folder holds a PNG or the screen's pixels.

    Other programs (not this test) may create files there meanwhile, so new files are
    allowed, but none may carry the picture.
    """
    row = pattern.pattern_rgb(SCREEN_WIDTH, 2)[SCREEN_WIDTH * 3: SCREEN_WIDTH * 3 + 96]
    bgrx = b"".join(row[i:i + 3][::-1] + b"\xff" for i in range(0, len(row), 3))
    for name in _files_outside(Path("/nonexistent")) - before:
        try:
            with open(name, "rb") as handle:
                data = handle.read(64 * 1024 * 1024)
        except OSError:
            continue
        assert b"\x89PNG" not in data and row not in data and bgrx[:64] not in data, name


@pytest.mark.screen
def test_capture_while_locked_is_kept_after_unlock(qtbot: Any, make_app: Any,
                                                   small_vault: Path, tmp_path: Path,
                                                   x_screen: str, painter: Any,
                                                   pattern: ModuleType) -> None:
    painter.show(False)
    app = start(qtbot, make_app, small_vault)
    before_vault, before_tmp = snapshot(tmp_path), _files_outside(tmp_path)
    app.window.capture_screen_action.trigger()  # locked: works from the File menu too
    qtbot.waitUntil(lambda: app.capture.pending is not None, timeout=10_000)
    assert app.unlock_view.pending.isVisible()
    assert app.window.pages.currentWidget() is app.unlock_view
    assert snapshot(tmp_path) == before_vault, "nothing written while waiting"
    _no_picture_written(before_tmp, pattern)
    unlock(qtbot, app)
    dialog = wait_dialog(qtbot, app)
    item = app.session.vault.item(dialog.item.id)
    assert rgb(app.session.vault.read_blob(item.sha256)) == crop(pattern,
                                                                 Region(0, 0, 1280, 800))
    assert app.capture.pending is None and not app.unlock_view.pending.isVisible()
    dialog.reject()


@pytest.mark.screen
def test_quitting_with_a_capture_waiting_asks_first(qtbot: Any, make_app: Any,
                                                    small_vault: Path, x_screen: str,
                                                    painter: Any) -> None:
    painter.show(False)
    app = start(qtbot, make_app, small_vault)
    app.window.capture_screen_action.trigger()
    qtbot.waitUntil(lambda: app.capture.pending is not None, timeout=10_000)
    app.quit()  # the quit menu, the window's close button, logout and SIGTERM all come here
    box = app.quit_question
    assert box is not None and box.isVisible() and "if you quit now it is lost" in box.text()
    assert app.window.isVisible() and app.capture.pending is not None
    next(b for b in box.buttons() if b.text() == "&Unlock and keep it").click()
    assert app.quit_question is None and app.unlock_view.pending.isVisible()
    unlock(qtbot, app)
    dialog = wait_dialog(qtbot, app)
    assert not app.session.vault.item(dialog.item.id).withdrawn  # kept
    dialog.save()

    app.session.request_lock("user")
    qtbot.waitUntil(lambda: not app.session.is_unlocked, timeout=10_000)
    app.window.capture_screen_action.trigger()
    qtbot.waitUntil(lambda: app.capture.pending is not None, timeout=10_000)
    app.quit()
    box = app.quit_question
    assert box is not None
    next(b for b in box.buttons() if b.text() == "&Quit without it").click()
    assert app.capture.pending is None and not app.window.isVisible()  # quit, as asked


@pytest.mark.screen
def test_capture_while_locked_then_discarded_leaves_no_trace(
        qtbot: Any, make_app: Any, small_vault: Path, tmp_path: Path, x_screen: str,
        painter: Any, pattern: ModuleType) -> None:
    app = start(qtbot, make_app, small_vault)
    before_vault, before_tmp = snapshot(tmp_path), _files_outside(tmp_path)
    app.capture.capture_region()
    qtbot.waitUntil(lambda: app.capture.overlay is not None, timeout=5_000)
    qtbot.keyClick(app.capture.overlay, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.capture.pending is not None, timeout=10_000)
    qtbot.mouseClick(app.unlock_view.discard_button, Qt.MouseButton.LeftButton)
    assert app.capture.pending is None
    assert not app.unlock_view.discard_button.isVisible()
    assert snapshot(tmp_path) == before_vault
    _no_picture_written(before_tmp, pattern)
    unlock(qtbot, app)
    assert app.session.vault.items() == [], "a discarded capture never reaches the vault"


# ---- the stop path -------------------------------------------------------------------------


def _no_grabs(app: Any) -> list[str]:
    grabbed: list[str] = []

    def refuse(**_kwargs: Any) -> Any:
        grabbed.append("grabber")
        raise AssertionError("the stop path must not touch the screen")

    app.capture._grabber_factory = refuse
    return grabbed


def test_stop_path_records_words_only(qtbot: Any, make_app: Any, small_vault: Path) -> None:
    app = start(qtbot, make_app, small_vault)
    unlock(qtbot, app)
    grabbed = _no_grabs(app)
    vault = app.session.vault
    items, chunks, events = len(vault.items()), blobs(vault), vault.event_count()
    for entry in (app.window.stop_path_action,):  # File, Help, toolbar and tray share it
        entry.trigger()
    dialog = app.capture.stop_dialog
    assert isinstance(dialog, StopPathDialog) and dialog.isVisible()
    assert dialog.record_button.isVisible()
    qtbot.keyClicks(dialog.url, "https://www.instagram.com/some_account/")
    qtbot.keyClicks(dialog.told, "Mrs Khan (DSL), 10:15")
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    said = dialog.message.text()
    assert said.startswith("Kept in the vault: the time this was recorded, where, ")
    assert "whom you told" in said and "No picture was kept" in said and "event" not in said
    # beside the buttons, not at the foot of the scrolled form where it was cut off
    assert dialog.message.isVisible() and dialog.message.parentWidget() is dialog
    assert grabbed == []
    assert len(vault.items()) == items and blobs(vault) == chunks
    assert vault.event_count() == events + 1
    (sighting,) = vault.sightings()
    assert sighting.payload["url"]["text"] == "https://www.instagram.com/some_account/"
    assert sighting.payload["platform"] == "Instagram"
    assert sighting.payload["told"] == "Mrs Khan (DSL), 10:15"
    steps = next(label for label in dialog.findChildren(type(dialog.message))
                 if label.accessibleName() == "What to do now")
    assert "Tell your DSL now" in steps.text() and "Mrs Khan" in steps.text()
    dialog.close()


def test_stop_path_offered_at_every_entry_point(qtbot: Any, make_app: Any,
                                                small_vault: Path) -> None:
    app = start(qtbot, make_app, small_vault)
    w = app.window
    tool_menu = w.capture_button.menu()
    assert w.stop_path_action in w.file_menu.actions()
    assert w.stop_path_action in w.help_menu.actions()
    assert w.stop_path_action in tool_menu.actions()
    # Locked, the steps still show; the record waits for the unlock.
    _no_grabs(app)
    w.stop_path_action.trigger()
    dialog = app.capture.stop_dialog
    assert dialog is not None and not dialog.record_button.isVisible()
    assert dialog.unlock_button.isVisible()
    dialog.close()


@pytest.mark.screen
def test_stop_path_from_the_overlay_keeps_nothing(qtbot: Any, make_app: Any,
                                                  small_vault: Path, x_screen: str,
                                                  painter: Any) -> None:
    app = start(qtbot, make_app, small_vault)
    unlock(qtbot, app)
    vault = app.session.vault
    events = vault.event_count()
    app.capture.capture_region()
    qtbot.waitUntil(lambda: app.capture.overlay is not None, timeout=5_000)
    qtbot.mouseClick(app.capture.overlay.panel.stop, Qt.MouseButton.LeftButton)
    assert app.capture.stop_dialog is not None
    assert app.capture.overlay is None and app.capture._frame is None
    qtbot.wait(100)
    assert vault.items() == [] and blobs(vault) == 0 and vault.event_count() == events
    assert app.window.isVisible()
    app.capture.stop_dialog.close()


# ---- import by drag and drop -------------------------------------------------------------


def _drop(target: Any, paths: list[Path], pos: QPoint) -> None:
    """Enter, move and drop, as a drag from a file manager delivers them."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPointF(pos), *args)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(target, QDragMoveEvent(QPointF(pos), *args))
    QApplication.sendEvent(target, QDropEvent(QPointF(pos), *args))


def test_drop_files_and_a_folder_with_one_bad_file(qtbot: Any, make_app: Any,
                                                   small_vault: Path, tmp_path: Path,
                                                   said: Said) -> None:
    app = start(qtbot, make_app, small_vault)
    unlock(qtbot, app)
    one = picture(tmp_path / "phone.png", (300, 200), "#123", "phone screenshot")
    folder = tmp_path / "exports"
    folder.mkdir()
    picture(folder / "a.png", (120, 90), "#c00", "a")
    (folder / "voicemail.txt").write_text("Withheld number, 16:20.\n", encoding="utf-8")
    (folder / "broken.png").write_bytes(b"")  # empty: the one kind still refused
    _drop(app.window, [one, folder], QPoint(500, 400))
    qtbot.waitUntil(lambda: bool(said.boxes), timeout=10_000)
    assert "Added 3 files" in said.texts() and "broken.png" in said.texts()
    assert len(app.session.vault.items()) == 3

    # onto an incident in the list: imported into that incident
    incidents = app.workspace.browser.incidents
    incident_id = app.session.vault.incidents()[0].id
    row = next(n for n in range(incidents.count())
               if incidents.item(n).data(Qt.ItemDataRole.UserRole) == incident_id)
    centre = incidents.visualItemRect(incidents.item(row)).center()
    second = picture(tmp_path / "second.png", (200, 100), "#0a0", "second")
    _drop(incidents.viewport(), [second], centre)
    qtbot.waitUntil(lambda: len(app.session.vault.items()) == 4, timeout=10_000)
    assert [i.original_name for i in app.session.vault.items(incident=incident_id)] \
        == ["second.png"]


# ---- report tracking and the 24-hour check --------------------------------------------------


def test_every_tracking_action_and_the_due_check(qtbot: Any, make_app: Any,
                                                 small_vault: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FixedClock(START, step=dt.timedelta(milliseconds=1))
    app = start(qtbot, make_app, small_vault, clock=clock)
    unlock(qtbot, app)
    ws = app.workspace
    vault = app.session.vault
    incident = vault.incidents()[0].id
    incidents = ws.browser.incidents
    incidents.setCurrentRow(next(n for n in range(incidents.count()) if incidents.item(n)
                                 .data(Qt.ItemDataRole.UserRole) == incident))
    answers: dict[str, Any] = {}

    def fill(dialog: tracking.RecordActionDialog) -> int:
        for key, edit in dialog.edits.items():
            edit.setText(f"{dialog.kind.id} {key}")
        if dialog.still_up is not None:
            (dialog.still_up if answers.get("still_up") else dialog.removed).setChecked(True)
        dialog.note.setPlainText("noted")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(tracking.RecordActionDialog, "exec", fill)
    capture_again: list[Any] = []
    ws.capture_requested.connect(capture_again.append)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    app.capture.capture_again = lambda incident: capture_again.append(("app", incident))

    for kind in actions.ACTION_KINDS:
        if kind.id != actions.REMOVAL_CHECKED:
            ws.browser.tracking.record.emit(kind.id, None)
    recorded = vault.actions(incident=incident)
    assert [e.payload["action"] for e in recorded] == [
        k.id for k in actions.ACTION_KINDS if k.id != actions.REMOVAL_CHECKED]
    police = next(e for e in recorded if e.payload["action"] == "police")
    assert police.payload["details"]["reference"] == "police reference"
    assert police.payload["happened_on"].startswith("2026-03-14T")
    assert ws.browser.tracking.list.count() == len(recorded)

    banner = app.window.due_banner
    assert not banner.isVisible(), "the check is not due yet"
    assert len(ws.browser.tracking.check_buttons) == 1
    clock.advance(dt.timedelta(hours=25))
    ws.refresh_due()
    assert banner.isVisible() and "removal-requested what" in banner.label.text()
    assert "check due" in ws.browser.right_tabs.tabText(1)

    answers["still_up"] = True
    qtbot.mouseClick(banner.button, Qt.MouseButton.LeftButton)
    check = vault.actions(incident=incident)[-1]
    assert check.payload["action"] == actions.REMOVAL_CHECKED
    assert check.payload["details"]["result"] == actions.STILL_UP
    assert sorted(capture_again, key=str) == [("app", incident), incident], \
        "a fresh capture is offered"
    assert not banner.isVisible(), "checked: the next check is 24 hours away"
    clock.advance(dt.timedelta(hours=25))
    ws.refresh_due()
    assert banner.isVisible()

    answers["still_up"] = False
    ws.incident_actions.check_now(ws.due_checks()[0])
    assert vault.actions(incident=incident)[-1].payload["details"]["result"] == \
        actions.REMOVED
    assert not banner.isVisible() and ws.due_checks() == []
    assert tracking.open_checks(vault.actions()) == []
    app.session.request_lock("user")
    assert not banner.isVisible(), "nothing about the evidence shows while locked"


# ---- guidance and settings -------------------------------------------------------------------


def test_guidance_from_the_main_window_and_the_capture_dialog(qtbot: Any, make_app: Any,
                                                              small_vault: Path) -> None:
    app = start(qtbot, make_app, small_vault)
    app.window.guidance_action.trigger()
    locked = app.guidance_dialog
    assert isinstance(locked, GuidanceDialog)
    assert "unlock Evidence Kit to see" in locked.text.toPlainText()
    locked.close()
    qtbot.waitUntil(lambda: app.guidance_dialog is None)
    unlock(qtbot, app)
    app.window.guidance_action.trigger()
    shown = app.guidance_dialog.text.toPlainText()
    for words in ("Do not reply", "delete nothing", "address and the time", "line manager",
                  "You decide", "LADO", "Professionals Online Safety Helpline", "Mrs Khan"):
        assert words in shown
    app.guidance_dialog.close()
    qtbot.waitUntil(lambda: app.guidance_dialog is None)

    from evidence_kit.ui.capture_dialog import CaptureDetailsDialog

    dialog = CaptureDetailsDialog(_item(), None, [], None, None, app.window)
    qtbot.addWidget(dialog)
    dialog.guidance.connect(lambda: app.show_guidance(dialog))
    qtbot.mouseClick(dialog.guidance_button, Qt.MouseButton.LeftButton)
    assert app.guidance_dialog is not None and app.guidance_dialog.isVisible()
    app.guidance_dialog.close()


def _item() -> Any:
    from evidence_kit.core.model import Item

    return Item(1, None, "capture", "00" * 32, 10, "image/png", "c.png",
                "2026-03-14T09:00:00.000000Z", None, None, None, None, None, False, 1,
                {"capture": {"width": 10, "height": 10}})


def test_shortcut_words_and_settings(qtbot: Any, make_app: Any, small_vault: Path,
                                     tmp_path: Path) -> None:
    assert to_pynput("Ctrl+Alt+Shift+E") == "<ctrl>+<alt>+<shift>+e"
    assert to_pynput("Ctrl+F9") == "<ctrl>+<f9>"
    with pytest.raises(ValueError, match="Ctrl, Alt or Shift"):
        to_pynput("E")
    found = availability()  # offscreen here: no X11 display for a global shortcut
    assert not found.ok and "evidence-kit capture" in found.reason
    app = start(qtbot, make_app, small_vault)
    unlock(qtbot, app)
    app.vault_actions.apply_settings(load_profile(app.session.vault), 5, small_vault,
                       shortcut="Ctrl+Alt+Shift+K")
    assert app.config.capture_shortcut == "Ctrl+Alt+Shift+K"
    assert AppConfig.load(app.config.path).capture_shortcut == "Ctrl+Alt+Shift+K"


def test_file_import_a_folder(qtbot: Any, make_app: Any, small_vault: Path, tmp_path: Path,
                              said: Said, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    app = start(qtbot, make_app, small_vault)
    assert not app.window.import_folder_action.isEnabled(), "locked: nothing to import into"
    unlock(qtbot, app)
    folder = tmp_path / "chat export"
    folder.mkdir()
    (folder / "chat.txt").write_text("[12:01] someone: you will regret it\n", encoding="utf-8")
    picture(folder / "photo.png", (100, 80), "#333", "photo")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    app.window.import_folder_action.trigger()
    qtbot.waitUntil(lambda: len(app.session.vault.items()) == 2, timeout=10_000)
    qtbot.waitUntil(lambda: not app.tasks.busy, timeout=5_000)
