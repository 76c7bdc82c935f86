"""Capture benchmark: screen → evidence committed in the vault, against the raw floor.

Starts its own Xvfb at 3840×2160 showing a synthetic but realistic page (text, boxes,
a photo-like area), then for a 1920×1080 region and the whole 4K screen times:

  floor  one mss grab + the same PNG encoding + SHA-256 + one keyed SQLCipher insert
  ours   ScreenGrabber.grab + intake.commit_capture (context, URL check, event, state)

Goal: ours ≤ 1.25× the floor at both sizes. The preview thumbnail is made after the
commit and reported separately.

    python tests/bench/capture_bench.py [--rounds N]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mss
from PIL import Image, ImageDraw

from evidence_kit.capture.screen import Region, ScreenGrabber, encode_bgrx
from evidence_kit.core import keys, store
from evidence_kit.core.vault import Vault
from evidence_kit.intake import Details, add_preview, commit_capture

WIDTH, HEIGHT = 3840, 2160

SHOW = r"""
import sys
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
label.setWindowFlags(Qt.FramelessWindowHint)
label.setPixmap(QPixmap(sys.argv[1]))
label.setGeometry(0, 0, int(sys.argv[2]), int(sys.argv[3]))
label.show()
print("ready", flush=True)
app.exec()
"""


def synthetic_page(path: Path) -> None:
    rng = random.Random(7)
    image = Image.new("RGB", (WIDTH, HEIGHT), (245, 246, 248))
    draw = ImageDraw.Draw(image)
    for y in range(40, HEIGHT - 40, 28):  # lines of "text"
        x = 60
        while x < WIDTH // 2:
            word = rng.randint(20, 90)
            draw.rectangle([x, y, x + word, y + 12], fill=(30, 30, 40))
            x += word + 12
    for _ in range(40):  # buttons, avatars, panels
        x, y = rng.randint(0, WIDTH - 200), rng.randint(0, HEIGHT - 100)
        draw.rectangle([x, y, x + rng.randint(40, 300), y + rng.randint(20, 120)],
                       fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
    photo = Image.effect_noise((WIDTH // 3, HEIGHT // 3), 60).convert("RGB")
    image.paste(photo, (WIDTH // 2 + 100, 200))
    image.save(path)


def start_screen(tmp: Path) -> tuple[subprocess.Popen[bytes], subprocess.Popen[str], str]:
    display = f":{90 + os.getpid() % 50}"
    xvfb_path = shutil.which("Xvfb") or "/usr/bin/Xvfb"
    xvfb = subprocess.Popen([xvfb_path, display, "-screen", "0", f"{WIDTH}x{HEIGHT}x24",
                             "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    page = tmp / "page.png"
    synthetic_page(page)
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    shower = subprocess.Popen([sys.executable, "-c", SHOW, str(page), str(WIDTH), str(HEIGHT)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True)
    assert shower.stdout is not None and shower.stdout.readline().strip() == "ready"
    time.sleep(1.0)
    os.environ["DISPLAY"] = display
    return xvfb, shower, display


def floor_once(sct: mss.MSS, conn: object, region: Region) -> float:
    started = time.perf_counter()
    shot = sct.grab(region.to_record())
    png = encode_bgrx(shot.raw, shot.size.width, shot.size.height)
    digest = hashlib.sha256(png).hexdigest()
    conn.execute("BEGIN IMMEDIATE")  # type: ignore[attr-defined]
    conn.execute("INSERT INTO t (sha, data) VALUES (?, ?)", (digest, png))  # type: ignore[attr-defined]
    conn.execute("COMMIT")  # type: ignore[attr-defined]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    if shutil.which("Xvfb") is None:
        sys.exit("Xvfb is needed: apt-get install xvfb")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        xvfb, shower, _ = start_screen(tmp)
        try:
            conn = store.connect(tmp / "floor.db", os.urandom(32), create=True)
            conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, sha TEXT, data BLOB)")
            vault, _ = Vault.create(tmp / "vault", "bench", kdf=keys.FLOOR_PARAMS)
            details = Details(url="https://www.facebook.com/groups/parents/posts/123",
                              category="harassment")
            sct = mss.MSS()
            with vault, ScreenGrabber(clock=vault.clock) as grabber:
                for label, region in (("1920×1080", Region(0, 0, 1920, 1080)),
                                      ("3840×2160", Region(0, 0, WIDTH, HEIGHT))):
                    floor_t, ours_t, preview_t = [], [], []
                    floor_once(sct, conn, region)  # warm both paths
                    commit_capture(vault, grabber.grab(region), details)
                    for _ in range(args.rounds):  # interleaved, so noise hits both
                        floor_t.append(floor_once(sct, conn, region))
                        started = time.perf_counter()
                        grab = grabber.grab(region)
                        item = commit_capture(vault, grab, details)
                        ours_t.append(time.perf_counter() - started)
                        started = time.perf_counter()
                        add_preview(vault, item, grab.data)
                        preview_t.append(time.perf_counter() - started)
                    f, o = statistics.median(floor_t) * 1000, statistics.median(ours_t) * 1000
                    p = statistics.median(preview_t) * 1000
                    print(f"{label}: floor {f:6.1f} ms   ours {o:6.1f} ms   ratio {o / f:4.2f}×"
                          f"  (goal ≤ 1.25×)   preview after commit {p:5.1f} ms")
            conn.close()
        finally:
            shower.terminate()
            shower.wait(5)
            if shower.stdout is not None:
                shower.stdout.close()
            xvfb.terminate()
            xvfb.wait(5)


if __name__ == "__main__":
    main()
