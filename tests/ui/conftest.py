"""Fixtures for the desktop app: real vaults in temporary folders, an app controller
with the floor KDF, and message boxes that record instead of waiting for a click."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from PySide6.QtWidgets import QApplication, QMessageBox

from evidence_kit.core import keys
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.vault import Vault
from evidence_kit.settings import AppConfig
from evidence_kit.ui.controller import AppController
from evidence_kit.ui.tasks import TaskRunner
from tests.capture.conftest import painter, pattern, x_screen, xvfb_display
from tests.conftest import PASSPHRASE

__all__ = ["painter", "pattern", "x_screen", "xvfb_display"]  # the screen fixtures, shared


def picture(path: Path, size: tuple[int, int], colour: str, words: str) -> Path:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, size[0], size[1] // 8], fill=colour)
    draw.text((20, size[1] // 4), words, fill="black")
    image.save(path)
    return path


@dataclass
class Prepared:
    folder: Path
    incidents: dict[str, int]
    items: dict[str, int]


@pytest.fixture
def prepared(tmp_path: Path) -> Prepared:
    """A locked vault: two incidents, images from two platforms on different days,
    an email and a loose text file."""
    from evidence_kit.intake import Details, import_files

    src = tmp_path / "src"
    src.mkdir()
    clock = FixedClock(dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC),
                       step=dt.timedelta(milliseconds=1))
    folder = tmp_path / "vault"
    vault, _code = Vault.create(folder, PASSPHRASE, clock=clock, kdf=keys.FLOOR_PARAMS)
    items: dict[str, int] = {}
    try:
        fb = vault.create_incident("Facebook group comments").id
        ig = vault.create_incident("Instagram messages").id
        vault.set_incident_summary(fb, "An account posts about me in the parents' group.")
        for n in range(3):
            clock.advance(dt.timedelta(days=1))
            path = picture(src / f"fb{n}.png", (1600, 1000), "#3b5998", f"post {n}")
            report = import_files(vault, [path], Details(
                incident=fb, url=f"https://www.facebook.com/groups/parents/posts/{n}",
                account="Concerned Parent", description=f"Comment number {n}",
                category="harassment"))
            items[f"fb{n}"] = report.added[0].id
        for n in range(2):
            clock.advance(dt.timedelta(days=3))
            path = picture(src / f"ig{n}.png", (800, 1400), "#c13584", f"dm {n}")
            report = import_files(vault, [path], Details(
                incident=ig, url="https://www.instagram.com/anon_hater/",
                account="@anon_hater", description=f"Threatening message {n}",
                category="threat"))
            items[f"ig{n}"] = report.added[0].id
        mail = src / "threat.eml"
        mail.write_text("From: x <x@example.com>\nTo: me@example.com\nSubject: Regret\n\n"
                        "You will regret it.\n", encoding="utf-8")
        items["mail"] = import_files(vault, [mail], Details(incident=ig)).added[0].id
        note = src / "call.txt"
        note.write_text("Withheld number called at 16:20.\n", encoding="utf-8")
        items["text"] = import_files(vault, [note], Details()).added[0].id
    finally:
        vault.lock()
    return Prepared(folder, {"fb": fb, "ig": ig}, items)


@dataclass
class Said:
    """What message boxes would have shown."""

    boxes: list[tuple[str, str, str]] = field(default_factory=list)

    def texts(self) -> str:
        return "\n".join(f"{title}: {text}" for _kind, title, text in self.boxes)


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> Said:
    record = Said()

    def box(kind: str) -> Callable[..., Any]:
        def show(_parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            record.boxes.append((kind, title, text))
            return QMessageBox.StandardButton.Ok
        return show

    for kind in ("information", "warning", "critical", "about"):
        monkeypatch.setattr(QMessageBox, kind, box(kind))
    return record


@pytest.fixture
def make_app(qtbot: Any, tmp_path: Path, said: Said) -> Iterator[Callable[..., AppController]]:
    made: list[AppController] = []

    def make(folder: Path, **kwargs: Any) -> AppController:
        kwargs.setdefault("kdf", lambda: keys.FLOOR_PARAMS)
        kwargs.setdefault("watch_screen_lock", False)
        kwargs.setdefault("exit_app_on_quit", False)
        controller = AppController(folder, AppConfig(tmp_path / "app.json"), **kwargs)
        qtbot.addWidget(controller.window)
        made.append(controller)
        controller.start()
        return controller

    yield make
    for controller in made:
        controller.tasks.wait(10_000)
        QApplication.processEvents()
        if controller.session.is_unlocked:
            controller.session.request_lock("quit")
        controller.autolock.uninstall()


def unlock(qtbot: Any, controller: AppController, passphrase: str = PASSPHRASE) -> None:
    """Type the passphrase and press Enter, as a person would."""
    from PySide6.QtCore import Qt

    field_ = controller.unlock_view.passphrase.edit
    field_.clear()
    qtbot.keyClicks(field_, passphrase)
    qtbot.keyClick(field_, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.session.is_unlocked
                    or bool(controller.unlock_view.message.text()), timeout=10_000)


@pytest.fixture
def runner(qtbot: Any) -> Iterator[TaskRunner]:
    """A task runner for a dialog under test, drained before the test ends."""
    tasks = TaskRunner()
    yield tasks
    tasks.wait(30_000)
