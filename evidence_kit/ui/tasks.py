"""The one way the app runs slow work off the UI thread.

Like Picard's ``run_task``: a function runs on a worker thread and its result (or the
exception it raised) comes back on the UI thread through a signal. Unlocking (Argon2id),
creating a vault, checking it, importing and backing up all go through :class:`TaskRunner`.

A task says whether it *writes* to the vault. The session never locks while a writing
task is running (it waits for it to finish), and a cancellable task is asked to stop
at its next progress report when the vault is about to lock.

A task may name a ``context`` object (the dialog or controller its callbacks belong to).
Like KeePassXC's ``AsyncTask::runThenCallback``, once that object is deleted the
callbacks are dropped, so no caller has to check by hand that its widgets still exist.
Whatever the work raises is caught; what is not an :class:`EvidenceKitError` is a bug and
is logged with its traceback (the user is told so by :mod:`evidence_kit.ui.messages`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from evidence_kit.core.errors import EvidenceKitError
from evidence_kit.ui.messages import log_bug

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Work = Callable[[Progress], Any]


class Cancelled(Exception):
    """Raised inside a task's progress callback once the task was asked to stop."""


class _Relay(QObject):
    """Emitted from the worker thread; Qt queues the signals to the UI thread."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class TaskHandle(QObject):
    """A running task. Lives on the UI thread; its callbacks run there."""

    finished = Signal()

    def __init__(
        self, name: str, on_done: Callable[[Any], None] | None,
        on_error: Callable[[BaseException], None] | None,
        on_progress: Callable[[int, int], None] | None, writes: bool, cancellable: bool,
        context: QObject | None = None,
    ) -> None:
        super().__init__()
        self.name = name
        # Only the signal, not a reference: holding the context would keep it alive.
        self._context_gone = False
        if context is not None:
            context.destroyed.connect(self._drop_callbacks)
        self.writes = writes
        self.cancellable = cancellable
        self._on_done = on_done
        self._on_error = on_error
        self._on_progress = on_progress
        self._cancel = threading.Event()
        self.relay = _Relay()
        self.relay.done.connect(self._deliver_done)
        self.relay.failed.connect(self._deliver_error)
        self.relay.progress.connect(self._deliver_progress)
        self.running = True

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        if self.cancellable:
            self._cancel.set()

    @Slot()
    def _drop_callbacks(self) -> None:
        self._context_gone = True
        self._on_done = self._on_error = self._on_progress = None

    @property
    def _context_alive(self) -> bool:
        return not self._context_gone

    def report(self, done: int, total: int) -> None:
        """The progress callback handed to the work (called on the worker thread)."""
        if self._cancel.is_set():
            raise Cancelled(self.name)
        self.relay.progress.emit(done, total)

    @Slot(object)
    def _deliver_done(self, result: object) -> None:
        self.running = False
        try:
            if self._on_done is not None and self._context_alive:
                self._on_done(result)
        finally:
            self.finished.emit()

    @Slot(object)
    def _deliver_error(self, exc: object) -> None:
        self.running = False
        try:
            if (self._on_error is not None and isinstance(exc, BaseException)
                    and self._context_alive):
                self._on_error(exc)
        finally:
            self.finished.emit()

    @Slot(int, int)
    def _deliver_progress(self, done: int, total: int) -> None:
        if self._on_progress is not None and self.running and self._context_alive:
            self._on_progress(done, total)


class _Runnable(QRunnable):
    def __init__(self, work: Work, handle: TaskHandle) -> None:
        super().__init__()
        self._work = work
        self._handle = handle
        self.setAutoDelete(True)

    def run(self) -> None:
        relay = self._handle.relay
        try:
            result = self._work(self._handle.report)
        except BaseException as exc:  # a worker thread has no one else to tell
            if isinstance(exc, Cancelled):
                pass
            elif isinstance(exc, EvidenceKitError):
                log.info("task %s: %s", self._handle.name, exc)
            else:
                log_bug(exc, f"task {self._handle.name}")
            relay.failed.emit(exc)
        else:
            relay.done.emit(result)


class TaskRunner(QObject):
    """Runs work on a small private thread pool and keeps track of what is running."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._running: list[TaskHandle] = []

    def run(
        self, name: str, work: Work, *, on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        writes: bool = False, cancellable: bool = False, context: QObject | None = None,
    ) -> TaskHandle:
        """Run ``work(progress)`` on a worker; the callbacks run on the UI thread.

        With a ``context``, the callbacks are dropped once that object is deleted; the
        work itself still finishes (a write is never cut short).
        """
        handle = TaskHandle(name, on_done, on_error, on_progress, writes, cancellable,
                            context)
        handle.finished.connect(lambda: self._forget(handle))
        self._running.append(handle)
        self._pool.start(_Runnable(work, handle))
        return handle

    def _forget(self, handle: TaskHandle) -> None:
        if handle in self._running:
            self._running.remove(handle)
        if not self._running:
            self.idle.emit()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    @property
    def writing(self) -> bool:
        return any(h.writes for h in self._running)

    def cancel_all(self) -> None:
        for handle in self._running:
            handle.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker threads are done (used only when quitting)."""
        return bool(self._pool.waitForDone(msecs))
