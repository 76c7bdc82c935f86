"""How long reading the window in front takes, beside the grab it goes with.

Starts its own Xvfb at 1920×1080 with openbox (an EWMH window manager) and one window
in front, then times, interleaved round by round: one ``InFrontReader.read()`` (the
connection kept open, as the app keeps it) and one mss grab of the whole screen (the
raw floor of a capture). The read happens before the grab, on the UI thread, so its
cost adds to the capture's latency one for one.

    python tests/bench/in_front_bench.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    if shutil.which("openbox") is None:
        sys.exit("openbox is needed (apt-get install openbox)")
    import mss

    from evidence_kit.capture.foreground import InFrontReader
    from tests.xvfb import private_xvfb, stop_process

    with private_xvfb(1920, 1080) as display:
        env = {**os.environ, "DISPLAY": display}
        wm = subprocess.Popen([shutil.which("openbox") or "openbox", "--sm-disable"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        window = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "capture" / "x_window.py"),
             "Concerned Parent | Facebook", "chromium", "Chromium"],
            env=env, stdout=subprocess.PIPE, text=True)
        try:
            assert window.stdout is not None and window.stdout.readline().strip() == "mapped"
            reader = InFrontReader(display)
            deadline = time.monotonic() + 10
            while reader.read().app != "Chromium" and time.monotonic() < deadline:
                time.sleep(0.05)
            print("in front:", reader.read().words())
            reads, grabs = [], []
            with mss.MSS(display=display) as sct:
                box = sct.monitors[0]
                for _ in range(args.rounds):
                    start = time.perf_counter()
                    reader.read()
                    reads.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    sct.grab(box)
                    grabs.append(time.perf_counter() - start)
            reader.close()
        finally:
            stop_process(window)
            if window.stdout is not None:
                window.stdout.close()
            stop_process(wm)
    read, grab = statistics.median(reads) * 1000, statistics.median(grabs) * 1000
    print(f"{args.rounds} rounds, medians: window in front read {read:.2f} ms; "
          f"mss grab 1920×1080 {grab:.2f} ms; read / grab {read / grab:.2f}×")


if __name__ == "__main__":
    main()
