"""'evidence-kit capture' hands its request to the running app that holds the vault."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from evidence_kit.core import keys
from evidence_kit.core.vault import Vault
from evidence_kit.handoff import MAX_MESSAGE, ask_app_to_capture, parse_request, socket_path
from evidence_kit.intake import Details
from evidence_kit.ui.remote import CaptureListener
from tests.conftest import PASSPHRASE

from .conftest import unlock

pytestmark = pytest.mark.gui

URL = "https://x.com/someone/status/1234567890"
NOTE = "Posted while I was teaching; Mr Patel saw it too. «Ça va?» — 你好"


def test_the_command_line_reaches_the_running_app(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    asked: list[tuple[Any, ...]] = []
    listener = CaptureListener(tmp_path / "vault", lambda *a: asked.append(a))
    assert listener.listening
    assert listener.path is not None and oct(listener.path.parent.stat().st_mode)[-3:] == "700"
    answers: list[Any] = []
    details = {"url": URL, "note": NOTE, "incident": 2, "account": "@someone",
               "description": "a reply calling me a liar", "category": "harassment"}
    sender = threading.Thread(target=lambda: answers.append(ask_app_to_capture(
        tmp_path / "vault", {"capture": "region", "monitor": 0, "delay": 3,
                             "details": details})))
    sender.start()
    qtbot.waitUntil(lambda: bool(asked) and not sender.is_alive(), timeout=5000)
    assert asked == [("region", 0, 3, Details(**details))]  # every detail, exactly
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
    b'{"capture": "screen", "details": {"path": "/etc/passwd"}}',
    b'{"capture": "screen", "details": {"incident": "1"}}',
    b'{"capture": "screen", "details": {"incident": true}}',
    b'{"capture": "screen", "details": {"note": 5}}',
    b'{"capture": "screen", "details": {"category": "no-such-category"}}',
    b'{"capture": "screen", "details": []}',
])
def test_only_plain_capture_requests_are_accepted(data: bytes) -> None:
    assert parse_request(data) is None
    assert parse_request(b'{"capture": "screen", "monitor": 2, "delay": 5}') == {
        "capture": "screen", "monitor": 2, "delay": 5, "details": {}}
    assert parse_request(b'{"capture": "screen", "details": {"note": "x", "url": null}}') == {
        "capture": "screen", "monitor": 0, "delay": 0, "details": {"note": "x"}}


# ---- the whole way: the real command, the real socket, the app and its vault ----------


@pytest.fixture
def handoff_vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    folder = tmp_path / "vault"
    vault, _code = Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    with vault:
        vault.create_incident("Replies on X")
    return folder


def _command(folder: Path, *args: str) -> subprocess.Popen[str]:
    """``evidence-kit capture`` in its own process, as a desktop shortcut runs it."""
    import evidence_kit

    env = {**os.environ, "EVIDENCE_KIT_PASSPHRASE": PASSPHRASE,
           "PYTHONPATH": str(Path(evidence_kit.__file__).resolve().parents[1])}
    return subprocess.Popen(
        [sys.executable, "-m", "evidence_kit", "--vault", str(folder), "capture", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _finish(qtbot: Any, proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30_000)  # Qt answers meanwhile
    out, err = proc.communicate()
    return proc.returncode, out, err


DETAIL_ARGS = ("--url", URL, "--note", NOTE, "--incident", "1", "--account", "@someone",
               "--what", "a reply calling me a liar", "--category", "harassment")


def _check_kept(vault: Vault, item_id: int) -> None:
    item = vault.item(item_id)
    assert (item.url, item.platform, item.account, item.description, item.category,
            item.incident_id) == (URL, "X (Twitter)", "@someone", "a reply calling me a liar",
                                  "harassment", 1)
    history = vault.item_history(item_id)
    assert history[0].payload["note"] == NOTE  # kept with the capture itself


@pytest.mark.screen
def test_capture_from_the_command_line_keeps_every_detail(
        qtbot: Any, make_app: Any, handoff_vault: Path, x_screen: str, painter: Any) -> None:
    painter.show(False)
    app = make_app(handoff_vault)
    app.capture.settle_ms = 0
    unlock(qtbot, app)
    code, out, err = _finish(qtbot, _command(handoff_vault, *DETAIL_ARGS))
    assert (code, err) == (0, "") and "Evidence Kit is open" in out
    qtbot.waitUntil(lambda: app.capture.dialog is not None, timeout=10_000)
    dialog = app.capture.dialog
    vault = app.session.vault
    _check_kept(vault, dialog.item.id)  # in the vault before anyone touches the window
    # The details window shows what was typed, as typed.
    assert (dialog.url.text(), dialog.platform.text(), dialog.account.text(),
            dialog.description.text(), dialog.category.currentData(),
            dialog.incident.currentData(), dialog.note.toPlainText()) == (
        URL, "X (Twitter)", "@someone", "a reply calling me a liar", "harassment", 1, NOTE)
    assert dialog.unsaved() == []
    dialog.save()  # saving it unchanged adds nothing twice
    qtbot.waitUntil(lambda: app.capture.dialog is None)
    types = [e.type for e in vault.item_history(dialog.item.id)]
    assert types == ["item.captured"], types
    assert [n.text for n in vault.notes(item=dialog.item.id)] == [NOTE]  # once, not twice

    # An incident the vault does not have: refused in words while the command waits.
    code, out, err = _finish(qtbot, _command(handoff_vault, "--incident", "99"))
    assert code == 2 and "There is no incident 99 in this vault." in err, (out, err)
    assert app.capture.dialog is None and not app.capture.busy


@pytest.mark.screen
def test_details_given_while_locked_are_kept_at_the_unlock(
        qtbot: Any, make_app: Any, handoff_vault: Path, x_screen: str, painter: Any) -> None:
    painter.show(False)
    app = make_app(handoff_vault)
    app.capture.settle_ms = 0
    code, _out, err = _finish(qtbot, _command(handoff_vault, *DETAIL_ARGS))
    assert (code, err) == (0, "")
    qtbot.waitUntil(lambda: app.capture.pending is not None, timeout=10_000)
    unlock(qtbot, app)
    qtbot.waitUntil(lambda: app.capture.dialog is not None, timeout=10_000)
    _check_kept(app.session.vault, app.capture.dialog.item.id)
    assert app.capture.dialog.note.toPlainText() == NOTE
    app.capture.dialog.reject()  # nothing unsaved: closes without a question
    assert app.capture.dialog is None or not app.capture.dialog.isVisible()


def test_a_note_too_long_to_hand_over_is_refused_in_words(
        qtbot: Any, handoff_vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from evidence_kit.cli import main

    listener = CaptureListener(handoff_vault, lambda *a: None)
    # Longer than one argument may be on Linux, so given in-process.
    code = main(["--vault", str(handoff_vault), "capture", "--note", "x" * MAX_MESSAGE])
    assert code == 2 and "too long to hand to the open app" in capsys.readouterr().err
    listener.close()
