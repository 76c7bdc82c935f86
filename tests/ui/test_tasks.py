"""The task runner: results come back on the UI thread, to a context that still exists."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject

from evidence_kit.core.errors import StorageFull
from evidence_kit.ui.tasks import Cancelled, TaskRunner


def _gated() -> tuple[threading.Event, Any]:
    gate = threading.Event()

    def work(_progress: object) -> str:
        assert gate.wait(10), "the test never opened the gate"
        return "result"

    return gate, work


def test_result_reaches_a_living_context(qtbot: Any) -> None:
    runner = TaskRunner()
    context = QObject()
    got: list[object] = []
    gate, work = _gated()
    handle = runner.run("t", work, on_done=got.append, context=context)
    with qtbot.waitSignal(handle.finished, timeout=10_000):
        gate.set()
    assert got == ["result"]
    assert not runner.busy


def test_deleting_the_context_drops_the_callbacks(qtbot: Any) -> None:
    runner = TaskRunner()
    context = QObject()
    done: list[object] = []
    failed: list[BaseException] = []
    gate, work = _gated()
    handle = runner.run("t", work, on_done=done.append, on_error=failed.append,
                        context=context)
    shiboken6.delete(context)  # as Qt deletes a closed dialog
    with qtbot.waitSignal(handle.finished, timeout=10_000):
        gate.set()
    assert done == [] and failed == []
    assert not runner.busy  # the task is still forgotten when it ends


def test_a_context_deleted_later_by_qt_drops_the_error_too(qtbot: Any) -> None:
    runner = TaskRunner()
    context = QObject()
    failed: list[BaseException] = []
    gate = threading.Event()

    def work(_progress: object) -> None:
        assert gate.wait(10)
        raise StorageFull("The disk is full.")

    handle = runner.run("t", work, on_error=failed.append, context=context)
    destroyed: list[bool] = []
    context.destroyed.connect(lambda *_: destroyed.append(True))
    context.deleteLater()
    qtbot.waitUntil(lambda: bool(destroyed), timeout=5_000)
    with qtbot.waitSignal(handle.finished, timeout=10_000):
        gate.set()
    assert failed == []


def test_a_bug_is_logged_with_its_traceback(qtbot: Any, caplog: pytest.LogCaptureFixture) -> None:
    runner = TaskRunner()
    failed: list[BaseException] = []

    def work(_progress: object) -> None:
        raise KeyError("no such column")

    with caplog.at_level(logging.ERROR, logger="evidence_kit"):
        handle = runner.run("reading", work, on_error=failed.append)
        qtbot.waitUntil(lambda: not handle.running, timeout=10_000)
    assert len(failed) == 1 and isinstance(failed[0], KeyError)
    bugs = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(bugs) == 1
    assert "reading" in bugs[0].getMessage()
    assert bugs[0].exc_info is not None and bugs[0].exc_info[1] is failed[0]
    assert "raise KeyError" in caplog.text  # the traceback, not just the message


def test_our_own_errors_are_not_logged_as_bugs(qtbot: Any,
                                               caplog: pytest.LogCaptureFixture) -> None:
    runner = TaskRunner()
    failed: list[BaseException] = []

    def work(_progress: object) -> None:
        raise StorageFull("The disk is full.")

    with caplog.at_level(logging.WARNING, logger="evidence_kit"):
        handle = runner.run("saving", work, on_error=failed.append)
        qtbot.waitUntil(lambda: not handle.running, timeout=10_000)
    assert isinstance(failed[0], StorageFull)
    assert caplog.records == []


def test_cancel_stops_at_the_next_progress_report(qtbot: Any) -> None:
    runner = TaskRunner()
    started = threading.Event()
    failed: list[BaseException] = []
    seen: list[int] = []

    def work(progress: Any) -> None:
        started.set()
        for n in range(1000):
            progress(n, 1000)
            threading.Event().wait(0.005)

    handle = runner.run("verify", work, on_error=failed.append, on_progress=lambda d, _t:
                        seen.append(d), cancellable=True)
    assert started.wait(10)
    handle.cancel()
    qtbot.waitUntil(lambda: not handle.running, timeout=10_000)
    assert len(failed) == 1 and isinstance(failed[0], Cancelled)
    assert len(seen) < 1000


def test_writing_is_known_until_the_write_ends(qtbot: Any) -> None:
    runner = TaskRunner()
    gate, work = _gated()
    handle = runner.run("import", work, writes=True)
    assert runner.busy and runner.writing
    with qtbot.waitSignal(runner.idle, timeout=10_000):
        gate.set()
    assert not runner.writing and not handle.running
