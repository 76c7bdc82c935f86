"""The desktop app as a person starts it: its own process, a real (virtual) X screen.

Starts a private Xvfb, runs ``python -m evidence_kit --vault DIR --passphrase-file F`` on
a prepared vault, waits for it to say it unlocked, locks it with Ctrl+L and unlocks it
again by typing (when xdotool is installed), then asks it to close with SIGTERM, as a
desktop session does at logout. It must exit 0, release the vault's lock and leave a
vault that verifies, with a checkpoint made at lock.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from evidence_kit.core import keys
from evidence_kit.core.errors import VaultInUse
from evidence_kit.core.vault import Vault
from tests.conftest import PASSPHRASE
from tests.xvfb import private_xvfb, stop_process

pytestmark = [pytest.mark.gui, pytest.mark.screen, pytest.mark.slow]


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private Xvfb on a display number it picks itself (-displayfd: no races)."""
    with private_xvfb() as display:
        yield display


class Lines:
    """The app's stderr, read on a thread so the test can wait for a line."""

    def __init__(self, stream: object) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        thread.start()

    def _read(self, stream: object) -> None:
        for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
            self._queue.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return
        raise AssertionError(f"the app never said {text!r}; it said: {self.seen}")


def _xdotool(display: str, *args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("xdotool") or "xdotool"
    return subprocess.run([binary, *args], env={**os.environ, "DISPLAY": display},
                          capture_output=True, text=True, timeout=20, check=False)


def test_app_starts_unlocks_and_closes_cleanly(xvfb: str, tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    vault, _code = Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    with vault:
        incident = vault.create_incident("Comments on the class page")
        vault.add_note("First seen on Monday.", incident=incident.id)
        checkpoints_before = len(vault.checkpoints())
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    secret.chmod(0o600)

    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb",
           "EVIDENCE_KIT_LOG_LEVEL": "INFO",
           "EVIDENCE_KIT_APP_CONFIG": str(tmp_path / "app.json"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("WAYLAND_DISPLAY", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "evidence_kit", "--vault", str(folder),
         "--passphrase-file", str(secret)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        lines = Lines(proc.stderr)
        lines.wait_for("vault unlocked")
        with pytest.raises(VaultInUse):
            Vault.open(folder, PASSPHRASE)  # the running app holds the vault

        if shutil.which("xdotool"):
            found = _xdotool(xvfb, "search", "--sync", "--name", "^Evidence Kit$")
            assert found.returncode == 0, found.stderr
            window = found.stdout.split()[0]
            _xdotool(xvfb, "windowfocus", "--sync", window)
            _xdotool(xvfb, "key", "--window", window, "ctrl+l")
            lines.wait_for("vault locked (user)")
            _xdotool(xvfb, "windowfocus", "--sync", window)
            time.sleep(0.3)
            _xdotool(xvfb, "type", "--delay", "5", PASSPHRASE)
            _xdotool(xvfb, "key", "Return")
            lines.wait_for("vault unlocked")

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, lines.seen
        lines.wait_for("vault locked (quit)", timeout=5)
    finally:
        stop_process(proc)
        with contextlib.suppress(Exception):
            proc.stderr.close()  # type: ignore[union-attr]
            proc.stdout.close()  # type: ignore[union-attr]

    with Vault.open(folder, PASSPHRASE) as reopened:  # the lock file was released
        report = reopened.verify()
        assert report.ok, report.failures
        assert len(reopened.checkpoints()) > checkpoints_before
        assert [i.title for i in reopened.incidents()] == ["Comments on the class page"]
