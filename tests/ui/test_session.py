"""The session: unlocking through the task runner, locking never in the middle of a write."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from evidence_kit.core import keys
from evidence_kit.core.errors import VaultLocked, WrongPassphrase
from evidence_kit.core.vault import Vault
from evidence_kit.ui.session import AUTOLOCK_SETTING, AutoLock, VaultSession
from evidence_kit.ui.tasks import TaskRunner
from tests.conftest import PASSPHRASE


@pytest.fixture
def locked_vault(recovery_vault: tuple[Path, str]) -> Path:
    return recovery_vault[0]


@pytest.fixture
def session(qapp: Any, locked_vault: Path) -> Any:
    runner = TaskRunner()
    made = VaultSession(locked_vault, runner, kdf=lambda: keys.FLOOR_PARAMS)
    yield made
    runner.wait(10_000)
    made.request_lock("quit")


def _unlock(qtbot: Any, session: VaultSession) -> None:
    failed: list[BaseException] = []
    with qtbot.waitSignal(session.unlocked, timeout=15_000):
        session.unlock(PASSPHRASE, failed.append)
    assert failed == []


def test_unlock_then_lock(qtbot: Any, session: VaultSession) -> None:
    assert session.vault_exists() and not session.is_unlocked
    with pytest.raises(VaultLocked):
        _ = session.vault
    _unlock(qtbot, session)
    assert session.is_unlocked and session.vault.items() == []
    reasons: list[str] = []
    session.locked.connect(reasons.append)
    assert session.request_lock("idle")
    assert reasons == ["idle"] and not session.is_unlocked


def test_a_wrong_passphrase_is_reported_and_leaves_it_locked(qtbot: Any,
                                                             session: VaultSession) -> None:
    failed: list[BaseException] = []
    session.unlock("not the passphrase", failed.append)
    qtbot.waitUntil(lambda: bool(failed), timeout=15_000)
    assert isinstance(failed[0], WrongPassphrase)
    assert not session.is_unlocked


def test_the_first_screen_is_read_in_the_unlock_task(qtbot: Any,
                                                     session: VaultSession) -> None:
    threads: list[threading.Thread] = []

    def preload(vault: Vault) -> object:
        threads.append(threading.current_thread())
        return ("incidents", len(vault.incidents()))

    session.preload = preload
    _unlock(qtbot, session)
    assert session.preloaded == ("incidents", 0)
    assert threads and threads[0] is not threading.main_thread()


def test_a_lock_waits_for_a_write_to_finish(qtbot: Any, session: VaultSession) -> None:
    _unlock(qtbot, session)
    vault = session.vault
    gate = threading.Event()
    wrote: list[int] = []

    def write(_progress: object) -> None:
        assert gate.wait(10)
        wrote.append(vault.create_incident("Written while a lock was asked for").id)

    session.tasks.run("write", write, writes=True)
    waiting: list[bool] = []
    session.lock_waiting.connect(lambda: waiting.append(True))
    assert session.request_lock("user") is False
    assert waiting == [True] and session.is_unlocked and session.lock_pending
    with qtbot.waitSignal(session.locked, timeout=10_000):
        gate.set()
    assert wrote and not session.is_unlocked
    _unlock(qtbot, session)
    assert [i.title for i in session.vault.incidents()] == [
        "Written while a lock was asked for"]


def test_autolock_minutes_read_from_the_vault_and_kept_in_range(qtbot: Any,
                                                                session: VaultSession) -> None:
    _unlock(qtbot, session)
    assert session.autolock_minutes() == 5
    for stored, read in (("12", 12), ("0", 1), ("100000", 240), ("soon", 5)):
        session.vault.set_setting(AUTOLOCK_SETTING, stored)
        assert session.autolock_minutes() == read


def test_autolock_fires_after_idle_and_input_restarts_it(qtbot: Any, qapp: Any) -> None:
    fired: list[str] = []
    lock = AutoLock(fired.append, 300)
    field = QLineEdit()
    qtbot.addWidget(field)
    lock.install(qapp)
    try:
        lock.arm()
        assert lock.armed
        for _ in range(4):
            qtbot.wait(150)
            qtbot.keyClick(field, Qt.Key.Key_A)  # through the app, as real typing comes
        assert fired == []  # each key press restarted the timer
        assert field.text() == "aaaa"  # and was not eaten
        qtbot.waitUntil(lambda: fired == ["idle"], timeout=2_000)
        assert not lock.armed
    finally:
        lock.uninstall()


def test_autolock_on_screen_lock_only_while_armed(qapp: Any) -> None:
    fired: list[str] = []
    lock = AutoLock(fired.append, 60_000)
    lock.screen_locked()
    assert fired == []
    lock.arm()
    lock.screen_locked()
    assert fired == ["screen"]
