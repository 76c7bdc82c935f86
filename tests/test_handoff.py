"""The capture hand-off from the command line to the running app, over its private socket."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from evidence_kit import handoff
from evidence_kit.settings import AppConfig


class FakeApp:
    """Listens where the app would for ``folder`` and answers one request, as the app does."""

    def __init__(self, folder: Path) -> None:
        path = handoff.socket_path(folder)
        assert path is not None
        handoff.prepare_socket_folder(path)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(1)
        self.server.settimeout(20)
        self.received: list[dict[str, object] | None] = []
        self.thread = threading.Thread(target=self._answer, daemon=True)
        self.thread.start()

    def _answer(self) -> None:
        try:
            conn, _ = self.server.accept()
        except OSError:
            return
        with conn:
            data = b""
            while not data.endswith(b"\n"):
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
            self.received.append(handoff.parse_request(data))
            conn.sendall(json.dumps({"ok": True}).encode() + b"\n")

    def close(self) -> None:
        self.server.close()
        self.thread.join(5)


@pytest.mark.slow
def test_capture_reaches_the_app_that_has_the_saved_vault_open(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The app opens the folder saved in its settings, not the default one; the command
    # line, given no --vault, must ask that app (this was broken before settings.py).
    saved = tmp_path / "my evidence"
    saved.mkdir()
    config = AppConfig(tmp_path / "app.json", vault_folder=saved)
    config.save()
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "EVIDENCE_KIT_APP_CONFIG": str(config.path),
           "XDG_RUNTIME_DIR": str(runtime), "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("EVIDENCE_KIT_VAULT", None)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    app = FakeApp(saved)
    try:
        result = subprocess.run([sys.executable, "-m", "evidence_kit", "capture"],
                                capture_output=True, text=True, env=env, timeout=60,
                                check=False)
    finally:
        app.close()
    assert result.returncode == 0, result.stderr
    assert "Evidence Kit is open" in result.stdout
    assert app.received and app.received[0] is not None
    assert app.received[0]["capture"] == "screen"


@pytest.mark.parametrize("data", [
    b"not json", b"[]", b'{"capture": "everything"}', b'{"capture": "screen", "monitor": -1}',
    b'{"capture": "screen", "delay": 100000}', b'{"capture": "screen", "monitor": true}',
    "{\"capture\": \"screen\"}".encode("utf-16"),
])
def test_the_app_accepts_only_what_it_understands(data: bytes) -> None:
    assert handoff.parse_request(data) is None


def test_no_app_listening_means_capture_the_usual_way(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert handoff.ask_app_to_capture(tmp_path / "vault", {"capture": "screen"}) is None
    # A socket file left by an app that died is not an answer either.
    path = handoff.socket_path(tmp_path / "vault")
    assert path is not None
    handoff.prepare_socket_folder(path)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))
    dead.close()
    assert handoff.ask_app_to_capture(tmp_path / "vault", {"capture": "screen"}) is None
