"""A private X server for the tests that need a real screen (and the processes they start)."""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest


def stop_process(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@contextlib.contextmanager
def private_xvfb(width: int = 1280, height: int = 800) -> Iterator[str]:
    """Start Xvfb on a display number it picks itself; yields ``":N"``.

    ``-displayfd`` makes Xvfb choose a free display and report it, so parallel runs
    never race for the same number. Skips the test where Xvfb is not installed.
    """
    binary = shutil.which("Xvfb")
    if binary is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
         "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        number = b""
        deadline = time.monotonic() + 15
        while not number.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([read_fd], [], [], 0.2)
            if ready:
                chunk = os.read(read_fd, 16)
                if not chunk:
                    break
                number += chunk
        if not number.strip():
            raise AssertionError("Xvfb did not start (no display number reported)")
        yield f":{number.decode().strip()}"
    finally:
        os.close(read_fd)
        stop_process(proc)
