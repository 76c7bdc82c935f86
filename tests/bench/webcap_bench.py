"""Web page capture benchmark: the web browser's page → committed in the vault.

Runs Qt WebEngine offscreen on pages served from 127.0.0.1 (tests/ui/web/server.py,
through it as the proxy) and times, with the view at 1280×800:

  floor    one grab of the page view + the same PNG encoding + SHA-256 + one keyed
           SQLCipher insert: the screen-capture benchmark's floor, at the same size
  visible  the visible part read as Capture this page reads it, encoded and committed
           (context, address check, event, exhibit mark) — goal ≤ 1.25× the floor
  whole    Capture this page on a page 20 screen heights tall, everything: visible part,
           the whole page in one pass, MHTML archive, DOM text, all four committed
           — goal ≤ 5 s

    python tests/bench/webcap_bench.py [--rounds N]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from evidence_kit.capture.page import PageCapture
from evidence_kit.capture.screen import encode_bgrx
from evidence_kit.core import keys, store
from evidence_kit.core.clock import SystemClock
from evidence_kit.core.vault import Vault
from evidence_kit.intake import Details, commit_page_capture
from evidence_kit.ui.web import engine
from evidence_kit.ui.web.pagegrab import RawPage, RawPicture, grab_page
from evidence_kit.ui.web.profile import make_profile
from evidence_kit.ui.web.window import WebBrowserWindow
from tests.ui.web.server import BLOCK, HOST, serving

VIEW_W, VIEW_H = 1280, 800


def wait(predicate: object, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > end:
            raise TimeoutError
        loop = QEventLoop()
        QTimer.singleShot(10, loop.quit)
        loop.exec()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    app = QApplication([])
    blocks = 20 * VIEW_H // BLOCK
    with serving(blocks) as pages, tempfile.TemporaryDirectory() as tmp:
        os.environ[engine.FLAGS_ENV] = f"--proxy-server={pages.proxy} --disable-gpu"
        web = engine.load()
        profile = make_profile(web, False, app)
        window = WebBrowserWindow(web, profile)
        window.show()
        window.resize(VIEW_W, VIEW_H + (window.height() - window.view.height()))
        window.open(f"http://{HOST}/long")
        wait(lambda: window.capture_button.isEnabled())
        vault, _code = Vault.create(Path(tmp) / "vault", "bench passphrase",
                                    kdf=keys.FLOOR_PARAMS)
        conn = store.connect(Path(tmp) / "floor.db", os.urandom(32), create=True)
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, sha TEXT, data BLOB)")
        size = (window.view.width(), window.view.height())
        floor, visible, whole = [], [], []
        for _ in range(rounds):
            start = time.perf_counter()
            raw = RawPicture.of(window.view.grab().toImage())
            png = encode_bgrx(raw.bgrx, raw.width, raw.height)
            digest = hashlib.sha256(png).hexdigest()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t (sha, data) VALUES (?, ?)", (digest, png))
            conn.execute("COMMIT")
            floor.append(time.perf_counter() - start)

            start = time.perf_counter()
            read_at = vault.clock.now()
            shot = RawPicture.of(window.view.grab().toImage()).encode()
            commit_page_capture(vault, PageCapture(
                address=f"http://{HOST}/long", typed=None, title=window.page.title(),
                read_at=read_at, visible=shot, full=None, content_height=0, archive=None,
                page_text=None, engine=web.version, device_pixel_ratio="1"), Details())
            visible.append(time.perf_counter() - start)

            done: list[RawPage] = []
            start = time.perf_counter()
            grab_page(window, SystemClock(), done.append, Path(tmp))
            wait(lambda done=done: bool(done))
            capture = done[0].encode()
            commit_page_capture(vault, capture, Details())
            whole.append(time.perf_counter() - start)
        full_h = capture.full.height if capture.full else 0
        vault.lock()
    window.close()
    ms = [statistics.median(t) * 1000 for t in (floor, visible, whole)]
    print(f"view {size[0]}×{size[1]}, whole page {full_h} px ({full_h / size[1]:.1f} screens), "
          f"{rounds} rounds, medians")
    print(f"  floor (grab, PNG, SHA-256, insert) {ms[0]:6.1f} ms")
    print(f"  visible part → committed         {ms[1]:8.1f} ms  ({ms[1] / ms[0]:.2f}× the floor)")
    print(f"  whole page, archive, text → committed {ms[2] / 1000:5.2f} s")


if __name__ == "__main__":
    main()
