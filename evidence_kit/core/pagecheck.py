"""The full page check run beside an export rather than before it.

SQLCipher authenticates a page in C with Python's GIL let go (``PRAGMA
cipher_integrity_check``), so on a second core the check of a whole vault costs an export
next to nothing in time, where before it it was about a sixth of a 500-exhibit pack.
Nothing the export writes before the check is done claims the vault is whole: the pack
is published and recorded only after the check has passed (:meth:`PageCheck.wait`),
and a failure found sooner stops the export at its next step (:meth:`PageCheck.poll`).
A process whose first act is a write (the command line) still checks before it
(:mod:`.damage`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable


def _yield_to_the_export() -> None:
    """The check only has to be done before the pack is recorded, while every other
    thread of an export is on its critical path: on Linux, where a thread has its own
    priority, it runs at a lower one and takes what the export leaves of the cores."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            me = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, me,
                           min(19, os.getpriority(os.PRIO_PROCESS, me) + 10))


class PageCheck:
    """One page check under way in its own thread.

    ``run`` does the check and returns the problems found; ``settle`` takes them in the
    caller's thread (recording damage, raising the refusal); ``interrupt`` stops ``run``
    early when the export is abandoned."""

    def __init__(self, run: Callable[[], list[str]] | None,
                 settle: Callable[[list[str]], None] = lambda problems: None,
                 interrupt: Callable[[], None] = lambda: None) -> None:
        self._settle = settle
        self._interrupt = interrupt
        self._problems: list[str] | None = None
        self._error: BaseException | None = None
        self._settled = False
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        if run is None:  # a recent check stands: nothing to do
            self._problems = []
            self._done.set()
        else:
            self._thread = threading.Thread(target=self._work, args=(run,),
                                            name="evidence-kit page check", daemon=True)
            self._thread.start()

    def _work(self, run: Callable[[], list[str]]) -> None:
        _yield_to_the_export()
        try:
            self._problems = run()
        except BaseException as exc:  # handed to the caller's thread by wait()
            self._error = exc
        finally:
            self._done.set()

    def poll(self) -> None:
        """If the check has finished, take its answer now (raising if it failed)."""
        if self._done.is_set():
            self.wait()

    def wait(self) -> None:
        """Wait for the check and take its answer: raises what ``settle`` raises for
        damage, or the error the check itself met."""
        self._done.wait()
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        if not self._settled:
            self._settled = True
            self._settle(self._problems or [])

    def abandon(self) -> None:
        """Stop the check (the export failed for another reason) without taking its
        answer; returns once its thread has ended."""
        if not self._done.is_set():
            with contextlib.suppress(Exception):
                self._interrupt()
        self._done.wait()
        if self._thread is not None:
            self._thread.join()
