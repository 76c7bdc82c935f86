"""Reading one page capture out of the web browser: pictures, archive, text, address.

Everything is read at one moment, the visible part first (what the user sees when they
press the button), then the rest as fast as the engine gives it:

- the visible part: a grab of the page view, pixel for pixel as shown;
- the whole page in one pass: the view is made as tall as the page (up to
  :data:`~evidence_kit.capture.page.MAX_FULL_HEIGHT`) inside its holder, so the window
  does not change size, rendered once and grabbed; then put back where it was;
- the archive: MHTML, which Qt WebEngine writes only to a file. That file is the one
  exception to "nothing decrypted on disk": it goes in a private folder (0700) made for
  it, is read into memory the moment it is complete and removed with its folder;
- the text: the rendered DOM as HTML, handed over in memory by ``toHtml``.

Pixels leave here raw (BGRX); the PNG encoding, the hashing and the commit run on the
worker (:mod:`.controller`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRect, QTimer, QUrl, Signal
from PySide6.QtGui import QImage

from evidence_kit.capture.page import MAX_FULL_HEIGHT, PageCapture, PagePicture
from evidence_kit.capture.screen import encode_bgrx
from evidence_kit.core.clock import Clock
from evidence_kit.ui.web.engine import FilterPause
from evidence_kit.ui.web.window import WebBrowserWindow

log = logging.getLogger(__name__)

ARCHIVE_TIMEOUT_MS = 30_000
FULL_TIMEOUT_S = 8.0
POLL_MS = 40
BANDS = 48
BAND_ROWS = 2
ISOLATED_WORLD = 1
"""Our scripts run in a world of their own: the page's scripts cannot see or change them."""

MEASURE_JS = ("JSON.stringify([window.scrollX, window.scrollY, "
              "Math.max(document.documentElement.scrollHeight, "
              "document.body ? document.body.scrollHeight : 0), window.innerHeight])")



@dataclass
class RawPicture:
    bgrx: bytes
    width: int
    height: int

    @classmethod
    def of(cls, image: QImage) -> RawPicture:
        image = image.convertToFormat(QImage.Format.Format_RGB32)
        return cls(bytes(image.constBits()), image.width(), image.height())

    def encode(self) -> PagePicture:
        return PagePicture(encode_bgrx(self.bgrx, self.width, self.height),
                           self.width, self.height)


@dataclass
class RawPage:
    """What was read from the engine, before encoding (UI thread → worker)."""

    address: str
    typed: str | None
    title: str
    read_at: Any
    visible: RawPicture
    engine: str
    device_pixel_ratio: str
    full: RawPicture | None = None
    content_height: int = 0
    archive: bytes | None = None
    page_text: str | None = None
    problems: list[str] = field(default_factory=list)

    def encode(self) -> PageCapture:
        return PageCapture(
            address=self.address, typed=self.typed, title=self.title, read_at=self.read_at,
            visible=self.visible.encode(), full=self.full.encode() if self.full else None,
            content_height=self.content_height, archive=self.archive,
            page_text=self.page_text, engine=self.engine,
            device_pixel_ratio=self.device_pixel_ratio, problems=tuple(self.problems))


def exact_address(url: QUrl) -> str:
    """The address as the engine requested it: every character encoded, unambiguous."""
    return bytes(url.toEncoded().data()).decode("ascii")


def _ratio_text(ratio: float) -> str:
    return str(int(ratio)) if ratio == int(ratio) else f"{ratio:.4g}"


class PageGrab(QObject):
    """One capture of the page the window shows; ``finished`` gives a :class:`RawPage`."""

    finished = Signal(object)

    def __init__(self, window: WebBrowserWindow, clock: Clock,
                 temp_root: Path | None = None, filters: FilterPause | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.filters = filters or FilterPause()
        self.clock = clock
        self.temp_root = temp_root
        self.raw: RawPage | None = None
        self._waiting = {"full", "archive", "text"}
        self._folder: Path | None = None
        self._download: Any = None
        self._timer: QTimer | None = None

    def start(self) -> None:
        window, page = self.window, self.window.page
        read_at = self.clock.now()
        visible = RawPicture.of(window.view.grab().toImage())
        address = exact_address(page.url())
        typed = window.typed if window.typed and window.typed != address else None
        requested = exact_address(page.requestedUrl())
        if typed is None and requested != address:
            typed = requested
        self.raw = RawPage(
            address=address, typed=typed, title=page.title(), read_at=read_at,
            visible=visible, engine=window.engine.version,
            device_pixel_ratio=_ratio_text(window.view.devicePixelRatioF()))
        self._start_archive()
        page.toHtml(self._text)
        page.runJavaScript(MEASURE_JS, ISOLATED_WORLD, self._measured)

    # ---- the whole page ------------------------------------------------------------

    def _measured(self, result: Any) -> None:
        assert self.raw is not None
        try:
            scroll_x, scroll_y, height, _inner = (int(v) for v in json.loads(str(result)))
        except (ValueError, TypeError):
            self.raw.problems.append("The page did not say how tall it is, so the whole "
                                     "page could not be pictured.")
            self._done("full")
            return
        self.raw.content_height = height
        self._scroll = (scroll_x, scroll_y)
        self._shown_height = self.window.view.height()
        self.window.holder.stretch(max(1, min(height, MAX_FULL_HEIGHT)))
        self._blank: bytes | None = None
        self._started = time.monotonic()
        QTimer.singleShot(0, self._poll_full)

    def _poll_full(self) -> None:
        """Wait until the engine has drawn the page at its new height, then grab it whole.

        What the view holds straight after it is made taller is the old frame with
        nothing below it; the engine then delivers the whole new frame at once (its
        frames are atomic). So the first time thin bands below the old height differ
        from what they first held, the whole page is drawn. Bands are cheap to grab; the
        whole view (tens of megabytes) is grabbed once. A page that is blank in every
        band never differs: after :data:`FULL_TIMEOUT_S` that blank is what it shows.
        """
        assert self.raw is not None
        bands = self._bands()
        if self._blank is None:
            self._blank = bands
        elif bands != self._blank or time.monotonic() - self._started > FULL_TIMEOUT_S:
            self.raw.full = RawPicture.of(self.window.view.grab().toImage())
            self.window.holder.unstretch()
            scroll_x, scroll_y = self._scroll
            self.window.page.runJavaScript(f"window.scrollTo({scroll_x}, {scroll_y})",
                                           ISOLATED_WORLD, lambda _r: None)
            self._done("full")
            return
        QTimer.singleShot(POLL_MS, self._poll_full)

    def _bands(self) -> bytes:
        view = self.window.view
        top = self._shown_height
        height = view.height()
        if top >= height:
            return b""
        digest = hashlib.sha256()
        step = max(BAND_ROWS, (height - top) // BANDS)
        for y in range(top, height, step):
            image = view.grab(QRect(0, y, view.width(), BAND_ROWS)).toImage()
            digest.update(bytes(image.constBits()))
        return digest.digest()

    # ---- the text ------------------------------------------------------------------

    def _text(self, html: str) -> None:
        assert self.raw is not None
        self.raw.page_text = html
        self._done("text")

    # ---- the archive ---------------------------------------------------------------

    def _start_archive(self) -> None:
        core = self.window.engine.core
        try:
            # mkdtemp makes the folder 0700: only this user can read the file in it.
            self._folder = Path(tempfile.mkdtemp(prefix="evidence-kit-page-",
                                                 dir=self.temp_root))
        except OSError as exc:
            self._archive_failed(f"no private folder could be made for it ({exc.strerror})")
            return
        target = self._folder / "page.mhtml"
        self.window.profile.downloadRequested.connect(self._save_started)
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: self._archive_failed("the engine did not finish it"))
        timer.start(ARCHIVE_TIMEOUT_MS)
        self._timer = timer
        self.filters.hold()
        self.window.page.save(os.fspath(target),
                              core.QWebEngineDownloadRequest.SavePageFormat.MimeHtmlSaveFormat)

    def _save_started(self, download: Any) -> None:
        if not download.isSavePageDownload() or self._download is not None:
            return
        self._download = download
        download.isFinishedChanged.connect(self._save_finished)
        if download.isFinished():
            self._save_finished()

    def _save_finished(self) -> None:
        download = self._download
        if download is None or not download.isFinished() or "archive" not in self._waiting:
            return
        assert self.raw is not None and self._folder is not None
        state = download.state()
        path = Path(download.downloadDirectory()) / download.downloadFileName()
        if state == type(state).DownloadCompleted:
            try:
                self.raw.archive = path.read_bytes()
            except OSError as exc:
                self._archive_failed(f"it could not be read back ({exc.strerror})")
                return
        else:
            self._archive_failed(download.interruptReasonString() or "the engine stopped")
            return
        self._clean_archive()
        self._done("archive")

    def _archive_failed(self, why: str) -> None:
        if "archive" not in self._waiting:
            return
        assert self.raw is not None
        log.warning("page archive not made: %s", why)
        self.raw.problems.append(f"The offline archive of the page could not be made: {why}.")
        self._clean_archive()
        self._done("archive")

    def _clean_archive(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self.filters.release()
        with contextlib.suppress(RuntimeError, TypeError):
            self.window.profile.downloadRequested.disconnect(self._save_started)
        folder, self._folder = self._folder, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    # ---- the end -------------------------------------------------------------------

    def _done(self, part: str) -> None:
        self._waiting.discard(part)
        if not self._waiting:
            self.finished.emit(self.raw)


def grab_page(window: WebBrowserWindow, clock: Clock, then: Callable[[RawPage], None],
              temp_root: Path | None = None, filters: FilterPause | None = None) -> PageGrab:
    grab = PageGrab(window, clock, temp_root, filters, window)
    grab.finished.connect(then)
    grab.start()
    return grab
