"""The unlocked vault and the rules for locking it.

:class:`VaultSession` is the only object in the UI that holds the :class:`Vault`. It
unlocks, creates and recovers through the task runner (Argon2id is slow on purpose),
and locks on request: it tells the views to drop every widget that shows evidence
(``about_to_lock``), then checkpoints and closes the vault. A lock asked for while a
writing task runs waits for that task (never in the middle of a write); read-only
tasks are cancelled.

:class:`AutoLock` is an application-wide event filter: any keyboard, mouse or touch
input restarts an idle timer; when it fires, the session locks. It also locks when Qt
says the application was suspended or hidden (Qt reports this on some platforms only;
screen locks on Linux desktops come from :mod:`evidence_kit.ui.screenlock`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QInputEvent, QInputMethodEvent, QShortcutEvent

from evidence_kit.core import keys
from evidence_kit.core.clock import Clock
from evidence_kit.core.errors import VaultLocked
from evidence_kit.core.vault import Vault, vault_exists
from evidence_kit.export.staging import cleanup_stale
from evidence_kit.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

DEFAULT_AUTOLOCK_MINUTES = 5
AUTOLOCK_SETTING = "autolock_minutes"

KdfFactory = Callable[[], keys.KdfParams]


class VaultSession(QObject):
    unlocked = Signal()
    about_to_lock = Signal()
    locked = Signal(str)  # why: "user", "idle", "screen", "quit"
    lock_waiting = Signal()  # a lock was asked for and waits for a write to finish

    def __init__(
        self, folder: Path, tasks: TaskRunner, *, kdf: KdfFactory = keys.tune_kdf,
        clock: Clock | None = None, parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.tasks = tasks
        self._kdf = kdf
        self._clock = clock
        self._vault: Vault | None = None
        self._pending_lock: str | None = None
        # Set by the app: reads the first screen's contents in the unlock task.
        self.preload: Callable[[Vault], object] | None = None
        self.preloaded: object = None
        self.cleanup_notices: list[str] = []
        """What was cleaned up at the last unlock (a killed export's leftovers), to tell."""
        self.tasks.idle.connect(self._tasks_idle)

    # ---- state ---------------------------------------------------------------------

    @property
    def vault(self) -> Vault:
        if self._vault is None:
            raise VaultLocked("The vault is locked. Unlock it to continue.")
        return self._vault

    @property
    def is_unlocked(self) -> bool:
        return self._vault is not None

    def vault_exists(self) -> bool:
        return vault_exists(self.folder)

    @property
    def lock_pending(self) -> bool:
        return self._pending_lock is not None

    # ---- getting in ----------------------------------------------------------------

    def unlock(self, passphrase: str, on_error: Callable[[BaseException], None]) -> None:
        folder, clock, preload = self.folder, self._clock, self.preload

        def work(_progress: object) -> Vault:
            vault = Vault.open(folder, passphrase, clock=clock)
            try:
                self.cleanup_notices = cleanup_stale(vault)
            except Exception:
                log.exception("could not clean up after an earlier export")
            if preload is not None:
                # Read what the first screen shows while still off the UI thread.
                try:
                    self.preloaded = preload(vault)
                except Exception:
                    self.preloaded = None
            return vault

        self.tasks.run("unlock", work, on_done=self._opened, on_error=on_error)

    def create(
        self, passphrase: str, on_done: Callable[[str], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        folder, clock, kdf = self.folder, self._clock, self._kdf

        def work(_progress: object) -> tuple[Vault, str]:
            return Vault.create(folder, passphrase, clock=clock, kdf=kdf())

        def done(result: tuple[Vault, str]) -> None:
            vault, code = result
            self._opened(vault)
            on_done(code)

        self.tasks.run("create", work, on_done=done, on_error=on_error, writes=True)

    def recover(
        self, code: str, new_passphrase: str, on_done: Callable[[], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        folder, clock = self.folder, self._clock

        def done(vault: Vault) -> None:
            self._opened(vault)
            on_done()

        self.tasks.run("recover",
                       lambda _p: Vault.recover(folder, code, new_passphrase, clock=clock),
                       on_done=done, on_error=on_error, writes=True)

    def _opened(self, vault: Vault) -> None:
        if self._vault is not None:  # two unlocks raced; keep the first
            vault.lock()
            return
        self._vault = vault
        log.info("vault unlocked")
        self.unlocked.emit()

    # ---- settings kept in the vault --------------------------------------------------

    def autolock_minutes(self) -> int:
        raw = self.vault.setting(AUTOLOCK_SETTING)
        try:
            minutes = int(raw) if raw is not None else DEFAULT_AUTOLOCK_MINUTES
        except ValueError:
            minutes = DEFAULT_AUTOLOCK_MINUTES
        return max(1, min(minutes, 240))

    # ---- locking -------------------------------------------------------------------

    def request_lock(self, reason: str = "user") -> bool:
        """Lock now if nothing is being written; else as soon as the write is done.

        Returns True if the vault is locked when this returns.
        """
        if self._vault is None:
            return True
        if self.tasks.busy:
            self._pending_lock = reason
            self.tasks.cancel_all()
            self.lock_waiting.emit()
            return False
        self._lock(reason)
        return True

    def _tasks_idle(self) -> None:
        if self._pending_lock is not None:
            reason, self._pending_lock = self._pending_lock, None
            self._lock(reason)

    def _lock(self, reason: str) -> None:
        vault = self._vault
        if vault is None:
            return
        self.about_to_lock.emit()
        self._vault = None
        self.preloaded = None
        vault.lock()
        if vault.lock_problem:
            log.warning("checkpoint at lock postponed: %s", vault.lock_problem)
        log.info("vault locked (%s)", reason)
        self.locked.emit(reason)


_INPUT_CLASSES = (QInputEvent, QInputMethodEvent, QShortcutEvent)
_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress, QEvent.Type.TabletMove, QEvent.Type.InputMethod,
    QEvent.Type.Shortcut,
})


class AutoLock(QObject):
    """Calls ``on_idle(reason)`` after ``timeout_ms`` without input, or on suspend."""

    def __init__(
        self, on_idle: Callable[[str], object], timeout_ms: int,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_idle = on_idle
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(lambda: self._fire("idle"))
        self._installed: QGuiApplication | None = None

    def install(self, app: QGuiApplication) -> None:
        app.installEventFilter(self)
        app.applicationStateChanged.connect(self._state_changed)
        self._installed = app

    def uninstall(self) -> None:
        if self._installed is not None:
            self._installed.removeEventFilter(self)
            self._installed.applicationStateChanged.disconnect(self._state_changed)
            self._installed = None

    @property
    def timeout_ms(self) -> int:
        return int(self._timer.interval())

    def set_timeout_ms(self, msecs: int) -> None:
        self._timer.setInterval(msecs)
        if self._timer.isActive():
            self._timer.start()

    @property
    def armed(self) -> bool:
        return self._timer.isActive()

    def arm(self) -> None:
        self._timer.start()

    def disarm(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every event of every object passes here; the class test is cheap and spares the
        # type() call (an enum built in Python) for the many that are not input.
        if (self._timer.isActive() and isinstance(event, _INPUT_CLASSES)
                and event.type() in _INPUT_EVENTS):
            self._timer.start()
        return False

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state in (Qt.ApplicationState.ApplicationSuspended,
                     Qt.ApplicationState.ApplicationHidden):
            self.screen_locked()

    def screen_locked(self) -> None:
        """The platform said the screen locked or the machine is going to sleep."""
        if self._timer.isActive():
            self._fire("screen")

    def _fire(self, reason: str) -> None:
        self._timer.stop()
        self._on_idle(reason)
