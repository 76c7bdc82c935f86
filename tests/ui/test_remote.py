"""'evidence-kit capture' hands its request to the running app that holds the vault."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from evidence_kit.handoff import ask_app_to_capture, parse_request, socket_path
from evidence_kit.ui.remote import CaptureListener

pytestmark = pytest.mark.gui


def test_the_command_line_reaches_the_running_app(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    asked: list[tuple[str, int, int]] = []
    listener = CaptureListener(tmp_path / "vault", lambda *a: asked.append(a))
    assert listener.listening
    assert listener.path is not None and oct(listener.path.parent.stat().st_mode)[-3:] == "700"
    answers: list[Any] = []
    sender = threading.Thread(target=lambda: answers.append(ask_app_to_capture(
        tmp_path / "vault", {"capture": "region", "monitor": 0, "delay": 3})))
    sender.start()
    qtbot.waitUntil(lambda: bool(asked) and not sender.is_alive(), timeout=5000)
    assert asked == [("region", 0, 3)]
    assert answers == [{"ok": True}]
    # Another vault's socket is a different one: nobody is listening there.
    assert ask_app_to_capture(tmp_path / "other", {"capture": "screen"}) is None
    listener.close()


def test_a_stale_socket_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    path = socket_path(tmp_path / "vault")
    assert path is not None
    path.parent.mkdir(parents=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))
    dead.close()  # the file stays, nobody listens: as after a killed app
    assert ask_app_to_capture(tmp_path / "vault", {"capture": "screen"}) is None


@pytest.mark.parametrize("data", [
    b"not json", b"[]", b'{"capture": "format-disk"}', b'{"capture": "screen", "monitor": -1}',
    b'{"capture": "screen", "delay": 1e9}', b'{"capture": "screen", "monitor": true}',
])
def test_only_plain_capture_requests_are_accepted(data: bytes) -> None:
    assert parse_request(data) is None
    assert parse_request(b'{"capture": "screen", "monitor": 2, "delay": 5}') == {
        "capture": "screen", "monitor": 2, "delay": 5}
