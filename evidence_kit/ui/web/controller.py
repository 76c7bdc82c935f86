"""The web browser's flow: opening it, Capture this page, and files a page offers.

A page capture is read from the engine on the UI thread (:mod:`.pagegrab`), then
encoded, hashed and committed at once on the worker, like a screen capture; the same
details dialog follows (:class:`~evidence_kit.ui.capture_details.CaptureDetails`). If Qt
WebEngine cannot start, the user is told so in words and nothing else changes.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from evidence_kit.capture.page import MAX_FULL_HEIGHT
from evidence_kit.capture.screen import ENCODER, Grab, MonitorInfo, Region
from evidence_kit.core.clock import Clock, SystemClock
from evidence_kit.intake import Details, PageItems, commit_page_capture, import_file
from evidence_kit.ui.capture_details import CaptureDetails
from evidence_kit.ui.messages import show_error
from evidence_kit.ui.session import VaultSession
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.web.engine import FilterPause, WebEngineUnavailable, load
from evidence_kit.ui.web.pagegrab import PageGrab, RawPage, exact_address, grab_page
from evidence_kit.ui.web.profile import make_profile
from evidence_kit.ui.web.window import WebBrowserWindow, offer_download_words

log = logging.getLogger(__name__)

UNLOCK_FIRST = ("Unlock the vault first: a page capture goes straight into it, and the "
                "web browser keeps nothing of a page itself.")


def shown_grab(items: PageItems, raw: RawPage, png: bytes) -> Grab:
    """The visible part in the shape the details dialog shows a capture in."""
    width, height = raw.visible.width, raw.visible.height
    return Grab(data=png, media_type="image/png", width=width, height=height,
                monitor=MonitorInfo(0, 0, 0, width, height), region=Region(0, 0, width, height),
                device_pixel_ratio=raw.device_pixel_ratio, tool=raw.engine, encoder=ENCODER,
                grabbed_at=raw.read_at, delay_ms=0)


class WebBrowserController(QObject):
    committed = Signal(object)  # PageItems
    status = Signal(str)

    def __init__(self, session: VaultSession, tasks: TaskRunner, window: QWidget,
                 details: CaptureDetails, *, clock: Clock | None = None,
                 keep_logins: Callable[[], bool] = lambda: False,
                 shortcut: Callable[[], str | None] = lambda: None,
                 filters: FilterPause | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tasks = tasks
        self.window = window
        self.details = details
        self.clock: Clock = clock or SystemClock()
        self.keep_logins = keep_logins
        self.shortcut = shortcut
        self.filters = filters or FilterPause()
        self.browser: WebBrowserWindow | None = None
        self.profile: Any = None
        self.temp_root: Path | None = None  # tests: where the archive's private folder goes
        self.ask = True  # tests: False accepts a page's file offer without asking
        self._grab: PageGrab | None = None
        self.timings: dict[str, float] = {}

    # ---- opening -------------------------------------------------------------------

    def open(self, address: str | None = None) -> WebBrowserWindow | None:
        if self.browser is None:
            try:
                engine = load()
            except WebEngineUnavailable as exc:
                QMessageBox.warning(self.window, "The web browser cannot start", str(exc))
                return None
            self.profile = make_profile(engine, self.keep_logins(), self)
            self.profile.downloadRequested.connect(self._download_offered)
            browser = WebBrowserWindow(engine, self.profile)
            browser.capture_requested.connect(self.capture)
            browser.closed.connect(self._closed)
            self.browser = browser
        self.browser.set_capture_shortcut(self.shortcut())
        opened = not self.browser.isVisible()
        self.browser.show()
        if opened:
            self.filters.hold()
        self.browser.raise_()
        self.browser.activateWindow()
        if address:
            self.browser.open(address)
        else:
            self.browser.address.setFocus()
        return self.browser

    def _closed(self) -> None:
        browser, self.browser = self.browser, None
        if browser is not None:
            self.filters.release()
            browser.deleteLater()

    def shutdown(self) -> None:
        if self.browser is not None:
            self.browser.close()

    # ---- capturing -----------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._grab is not None

    def capture(self) -> None:
        browser = self.browser
        if browser is None or self._grab is not None:
            return
        if not self.session.is_unlocked:
            QMessageBox.information(browser, "Unlock the vault first", UNLOCK_FIRST)
            return
        self.timings = {"requested": time.perf_counter()}
        browser.set_busy(True, "Capturing the page…")
        self._grab = grab_page(browser, self.clock, self._read, self.temp_root,
                                self.filters)

    def _read(self, raw: RawPage) -> None:
        self.timings["read"] = time.perf_counter()
        grab, self._grab = self._grab, None
        if grab is not None:
            grab.deleteLater()
        if not self.session.is_unlocked:
            self._failed(RuntimeError("the vault was locked"))
            return
        vault = self.session.vault

        def work(_progress: object) -> tuple[PageItems, bytes]:
            capture = raw.encode()
            return commit_page_capture(vault, capture, Details()), capture.visible.png

        self.tasks.run("capture", work, on_done=lambda r: self._committed(raw, *r),
                       on_error=self._failed, writes=True)

    def _committed(self, raw: RawPage, items: PageItems, png: bytes) -> None:
        self.timings["committed"] = time.perf_counter()
        browser = self.browser
        words = "Captured and kept in the vault: what you see, the whole page"
        words += ", an archive to open offline and its words." if not raw.problems else "."
        note = None
        if raw.content_height > MAX_FULL_HEIGHT:
            note = (f"The page is {raw.content_height:,} pixels tall; the whole-page "
                    f"picture stops at {MAX_FULL_HEIGHT:,}. The archive holds all of it.")
        shown = " ".join([words, *([note] if note else []), *raw.problems])
        if browser is not None:
            browser.set_busy(False, shown)
        self.status.emit(shown)
        self.details.linked[items.visible.id] = tuple(p.id for p in items.parts)
        self.committed.emit(items)
        self.details.after_commit(shown_grab(items, raw, png), items.visible, Details())

    def _failed(self, exc: BaseException) -> None:
        self._grab = None
        if self.browser is not None:
            self.browser.set_busy(False, "The page was not captured.")
        show_error(self.browser or self.window, exc, "capturing the page",
                   title="The page could not be captured")

    # ---- files a page offers -------------------------------------------------------

    def _download_offered(self, download: Any) -> None:
        if download.isSavePageDownload():
            return  # a page capture's archive: PageGrab takes it
        browser = self.browser
        name = download.downloadFileName() or "a file"
        site = download.url().host() or "the page"
        if not self.session.is_unlocked:
            download.cancel()
            QMessageBox.information(browser, "Unlock the vault first",
                                    "The page offered a file. " + UNLOCK_FIRST)
            return
        if self.ask:
            answer = QMessageBox.question(
                browser, "Keep this file in the vault?", offer_download_words(name, site),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                download.cancel()
                return
        # mkdtemp: a private folder (0700); the file is read into the vault and removed.
        folder = Path(tempfile.mkdtemp(prefix="evidence-kit-file-", dir=self.temp_root))
        download.setDownloadDirectory(str(folder))
        address = exact_address(download.url())
        download.isFinishedChanged.connect(
            lambda: self._download_finished(download, folder, address))
        self.filters.hold()
        download.accept()

    def _download_finished(self, download: Any, folder: Path, address: str) -> None:
        if not download.isFinished():
            return
        self.filters.release()
        state = download.state()
        path = folder / download.downloadFileName()
        if state != type(state).DownloadCompleted or not self.session.is_unlocked:
            shutil.rmtree(folder, ignore_errors=True)
            self.status.emit("The file was not kept: "
                             + (download.interruptReasonString() or "it did not arrive") + ".")
            return
        vault = self.session.vault

        def work(_progress: object) -> Any:
            try:
                return import_file(vault, path, Details(url=address, url_source="browser"))
            finally:
                with contextlib.suppress(OSError):
                    shutil.rmtree(folder)

        def failed(exc: BaseException) -> None:
            show_error(self.browser or self.window, exc, "keeping the file")

        self.tasks.run("import", work, writes=True, on_done=self._file_kept,
                       on_error=failed)

    def _file_kept(self, item: Any) -> None:
        words = f"{item.original_name} is kept in the vault with the address it came from."
        if self.browser is not None:
            self.browser.status_label.setText(words)
        self.status.emit(words)
        self.details.vault_changed.emit(None)
