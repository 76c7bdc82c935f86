"""The web browser, for real: Qt WebEngine loads pages from a local server (through it as
a proxy, so every request is seen), and Capture this page is checked byte for byte."""

from __future__ import annotations

import email
import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QUrl

from evidence_kit.capture.page import ARCHIVE, FULL_PAGE, PAGE_TEXT, PART_WORDS, part_of
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.export.exporter import export_pack
from evidence_kit.export.pack import PackRequest
from evidence_kit.ui.web import engine
from tests.export.conftest import pdf_text
from tests.ui.conftest import unlock
from tests.ui.test_capture import small_vault
from tests.ui.web.server import (
    BLOCK,
    HOST,
    IN_FRAME,
    LATE,
    NON_LATIN,
    WORDS,
    Pages,
    colour,
    picture_png,
    serving,
)

__all__ = ["small_vault"]

# What Qt says on a machine without a GPU (software rendering is used instead): not ours.
ENGINE_NOISE = ("QRhiGles2", "Failed to create RHI", "createPlatformVulkanInstance",
                "QVulkanInstance", "GBM is not supported", "Release of profile requested",
                "GPUInfo not initialized")
pytestmark = [pytest.mark.qt_log_ignore(*ENGINE_NOISE)]
BLOCKS = 8
CAUSED = {f"http://{HOST}/{path}" for path in ("go", "long", "frame", "picture.png",
                                                  "favicon.ico")}


@pytest.fixture(scope="module")
def pages() -> Iterator[Pages]:
    with serving(BLOCKS) as served:
        # Read once, when the engine starts: every request then goes through the server.
        os.environ[engine.FLAGS_ENV] = f"--proxy-server={served.proxy} --disable-gpu"
        yield served


def start(qtbot: Any, make_app: Any, folder: Path, tmp_path: Path) -> Any:
    app = make_app(folder, global_shortcut=False, tray=False, listen=False)
    unlock(qtbot, app)
    app.web.temp_root = tmp_path / "tmp"
    app.web.temp_root.mkdir()
    return app


def load(qtbot: Any, app: Any, address: str) -> Any:
    browser = app.web.open(address)
    assert browser is not None
    qtbot.waitUntil(lambda: browser.capture_button.isEnabled(), timeout=20_000)
    return browser


def pixels(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.convert("RGB")


def html_parts(archive: bytes) -> dict[str, bytes]:
    message = email.message_from_bytes(archive)
    return {str(part.get("Content-Location")): part.get_payload(decode=True)
            for part in message.walk() if not part.is_multipart()}


@pytest.mark.slow
def test_capture_this_page_keeps_address_pictures_archive_and_text(
        qtbot: Any, make_app: Any, small_vault: Path, pages: Pages, tmp_path: Path) -> None:
    app = start(qtbot, make_app, small_vault, tmp_path)
    browser = load(qtbot, app, f"http://{HOST}/go")
    qtbot.wait(300)  # the page adds a sentence after it loads
    browser.capture_button.click()
    qtbot.waitUntil(lambda: app.capture.dialog is not None, timeout=30_000)
    dialog = app.capture.dialog
    vault = app.session.vault
    first = vault.item(dialog.item.id)
    parts = {part_of(vault.item(i).details)["part"]: vault.item(i)
             for i in app.capture.details.linked[first.id]}
    assert set(parts) == {FULL_PAGE, ARCHIVE, PAGE_TEXT}

    # The address the engine ended on, after the redirect, and the one asked for.
    assert first.url == f"http://{HOST}/long"
    page = first.details["page"]
    assert page["address_typed"] == f"http://{HOST}/go" and page["title"] == "Long page"
    assert vault.item_history(first.id)[0].payload["url"]["source"] == "browser"
    assert "read from the browser" in dialog.url_hint.text()

    # Pixel-exact: the known blocks at their offsets, in the visible part and the whole.
    shown = pixels(vault.read_blob(first.sha256))
    assert shown.size == (browser.view.width(), browser.view.height())
    for n in range(shown.height // BLOCK):
        assert shown.getpixel((5, n * BLOCK + 2)) == colour(n)
    whole = pixels(vault.read_blob(parts[FULL_PAGE].sha256))
    assert whole.width == shown.width and whole.height == page["content_height"]
    assert whole.height > BLOCKS * BLOCK > shown.height
    for n in range(BLOCKS):
        for y in (n * BLOCK, n * BLOCK + BLOCK // 2, n * BLOCK + BLOCK - 1):
            assert whole.getpixel((5, y)) == colour(n), (n, y)

    # The archive opens offline: the page's words, the frame and the picture are in it.
    archive = html_parts(vault.read_blob(parts[ARCHIVE].sha256))
    html = archive[f"http://{HOST}/long"].decode("utf-8")
    assert WORDS in html and NON_LATIN in html
    assert archive[f"http://{HOST}/picture.png"] == picture_png()
    assert any(IN_FRAME.encode() in body for body in archive.values())
    text = vault.read_blob(parts[PAGE_TEXT].sha256).decode("utf-8")
    assert LATE in text and NON_LATIN in text

    # Nothing left behind, and no request the test did not cause.
    assert list(app.web.temp_root.iterdir()) == []
    assert set(pages.requests) <= CAUSED, pages.requests

    # The details go on the first part; its incident is every part's.
    incident = vault.incidents()[0].id
    dialog.incident.setCurrentIndex(dialog.incident.findData(incident))
    dialog.account.setText("Concerned Parent")
    dialog.description.setText("The long page")
    dialog.save()
    qtbot.waitUntil(lambda: app.capture.dialog is None)
    assert {vault.item(i.id).incident_id for i in (first, *parts.values())} == {incident}
    # Each part says what the first says, and which part it is: in a pack each is an
    # exhibit of its own.
    for name, part in parts.items():
        kept = vault.item(part.id)
        assert kept.account == "Concerned Parent"
        assert kept.description == f"The long page ({PART_WORDS[name]})"
    assert vault.item(first.id).platform == HOST  # filled from the address

    save_profile(vault, Profile(name="Jane Smith", initials="JS"))
    result = export_pack(vault, PackRequest(recipient="police", incident=incident),
                         tmp_path / "out")
    words = " ".join(" ".join(pdf_text(result.pdf)).split())
    assert "read from the browser" in words and f"http://{HOST}/long" in words
    with zipfile.ZipFile(result.bundle) as bundle:
        names = bundle.namelist()
    assert any(n.endswith(".mhtml") for n in names)
    assert any(n.endswith("-whole.png") for n in names)


@pytest.mark.slow
def test_a_file_the_page_offers_goes_into_the_vault_with_its_address(
        qtbot: Any, make_app: Any, small_vault: Path, pages: Pages, tmp_path: Path) -> None:
    app = start(qtbot, make_app, small_vault, tmp_path)
    browser = load(qtbot, app, f"http://{HOST}/long")
    app.web.ask = False  # the user said yes
    before = len(app.session.vault.items())
    browser.page.download(QUrl(f"http://{HOST}/picture.png"), "picture.png")
    qtbot.waitUntil(lambda: len(app.session.vault.items()) > before, timeout=20_000)
    kept = app.session.vault.items()[-1]
    assert app.session.vault.read_blob(kept.sha256) == picture_png()
    assert kept.url == f"http://{HOST}/picture.png" and kept.method == "import"
    assert app.session.vault.item_history(kept.id)[0].payload["url"]["source"] == "browser"
    qtbot.waitUntil(lambda: list(app.web.temp_root.iterdir()) == [])


def test_without_the_engine_the_app_says_so_and_carries_on(
        qtbot: Any, make_app: Any, small_vault: Path, said: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> Any:
        raise ImportError("libnss3.so: cannot open shared object file: No such file")

    monkeypatch.setattr(engine, "_engine", None)
    monkeypatch.setattr(engine, "_failure", None)
    monkeypatch.setattr(engine, "_import", missing)
    app = start(qtbot, make_app, small_vault, tmp_path)
    app.window.web_browser_action.trigger()
    assert app.web.browser is None
    assert "web browser could not start" in said.texts() and "libnss3" in said.texts()
    assert "Capture a region" in said.texts()
    app.window.web_browser_action.trigger()  # asked again: the same words, no crash
    assert said.texts().count("could not start") == 2
    assert app.session.is_unlocked and app.window.capture_region_action.isEnabled()
