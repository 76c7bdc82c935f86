"""Reading the text of pictures in the background, and what it finds about look-alikes.

After every reload of the workspace (a capture, an import or a redaction was committed),
the pictures whose text has not been read yet are read, a few at a time, in one
cancellable task through :class:`~evidence_kit.ui.tasks.TaskRunner`: never on the UI
thread and never on the stop path (which stores no picture). Each reading is a
``text.read`` event of its item (:meth:`Vault.record_text`).

A picture added while the app is open is also compared with the others: "this looks
like item 12" goes to the status bar and the viewer. After a removal check found the
content still up and the user captured it again, that capture is compared with the
incident's earlier ones and the user is told whether it looks the same; they decide
whether to note it.

``EVIDENCE_KIT_READ_TEXT=0`` turns the automatic reading off (the test suite does, so
each widget test does not wait for Tesseract); reading on request still works.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from evidence_kit.capture import likeness, ocr
from evidence_kit.core.model import Item
from evidence_kit.core.vault import Vault
from evidence_kit.ui import text
from evidence_kit.ui.tasks import TaskHandle, TaskRunner

if TYPE_CHECKING:
    from evidence_kit.ui.workspace import WorkspaceController

log = logging.getLogger(__name__)

READ_TEXT_ENV = "EVIDENCE_KIT_READ_TEXT"
BATCH = 20
"""Pictures read per task: the lock waits for a running task, so one stays short-ish."""


def automatic() -> bool:
    return os.environ.get(READ_TEXT_ENV, "1") != "0"


@dataclass
class Found:
    """What one background pass read and noticed."""

    read: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    alikes: dict[int, list[likeness.LookAlike]] = field(default_factory=dict)
    recheck: tuple[Item, list[likeness.LookAlike], Item | None] | None = None
    """The fresh capture of a removal check, its look-alikes, and the closest earlier one."""
    unavailable: str | None = None


def read_pass(vault: Vault, wanted: list[int], newer_than: int, recheck_incident: int | None,
              progress: Callable[[int, int], None],
              hashes: likeness.Hashes | None = None) -> Found:
    """Qt-free: read ``wanted`` and compare the pictures added after ``newer_than``."""
    found = Found()
    try:
        reader: ocr.Engine | None = ocr.engine()
    except ocr.TextReadingUnavailable as exc:
        reader, found.unavailable = None, str(exc)
    everything: list[Item] | None = None
    for done, item_id in enumerate(wanted):
        progress(done, len(wanted))
        item = vault.item(item_id)
        words: str | None = None
        if reader is not None:
            try:
                words = ocr.read_item(vault, item_id, reader).text
                found.read.append(item_id)
            except Exception as exc:  # one unreadable picture must not stop the others
                log.info("text of item %s not read: %s", item_id, exc)
                found.failed[item_id] = str(exc)
        if item_id <= newer_than:
            continue
        if everything is None:
            everything = vault.items(include_withdrawn=False)
        if recheck_incident is not None and item.incident_id == recheck_incident:
            earlier = [i for i in everything if i.incident_id == recheck_incident
                       and i.id < item.id and i.media_type.startswith("image/")]
            same = likeness.look_alikes(vault, item, earlier, words, hashes)
            found.recheck = (item, same, earlier[-1] if earlier else None)
            recheck_incident = None
        else:
            others = [i for i in everything if i.id != item.id]
            alikes = likeness.look_alikes(vault, item, others, words, hashes)
            if alikes:
                found.alikes[item_id] = alikes
    progress(len(wanted), len(wanted))
    return found


def looks_like_text(alike: likeness.LookAlike) -> str:
    return (f"This looks like item {alike.item.id}, recorded "
            f"{text.local_time(alike.item.recorded_at)}.")


class TextReader(QObject):
    """Owned by the workspace; lives while the vault is unlocked."""

    text_read = Signal(int)  # an item whose text was just recorded

    def __init__(self, workspace: WorkspaceController, tasks: TaskRunner) -> None:
        super().__init__(workspace)
        self.ws = workspace
        self.tasks = tasks
        self.running: TaskHandle | None = None
        self._tried: set[int] = set()
        self._newest_seen: int | None = None  # items above it were added while open
        self._recheck: int | None = None
        self._latest: list[Item] = []
        # Picture hashes of this unlock (dropped with the workspace at lock).
        self._hashes: likeness.Hashes = {}
        self.alikes: dict[int, list[likeness.LookAlike]] = {}
        self.unavailable: str | None = None

    def expect_recapture(self, incident: object) -> None:
        """The next capture in ``incident`` is a removal check's: compare it when read."""
        self._recheck = incident if isinstance(incident, int) else None

    def catch_up(self, items: list[Item], *, force: bool = False) -> None:
        """Read what has not been read; called after every reload."""
        self._latest = items
        newest = max((i.id for i in items), default=0)
        if self._newest_seen is None:
            self._newest_seen = newest
            if not force and not automatic():
                return
        if self.running is not None or not self.ws.is_open:
            return
        if not force and not automatic():
            self._newest_seen = newest
            return
        vault = self.ws.vault
        if vault.read_only:
            return
        try:
            waiting = [i for i in vault.items_without_text() if i not in self._tried]
        except Exception:
            log.debug("could not list unread pictures", exc_info=True)
            return
        fresh_newer = self._newest_seen
        if not waiting:
            self._newest_seen = newest
            return
        batch = waiting[:BATCH]
        self._tried.update(batch)
        recheck = self._recheck
        hashes = self._hashes

        def work(progress: Callable[[int, int], None]) -> Found:
            return read_pass(vault, batch, fresh_newer, recheck, progress, hashes)

        def done(found: Found) -> None:
            self.running = None
            if not self.ws.is_open:
                return
            self._newest_seen = max(self._newest_seen or 0, max(batch))
            self._report(found)
            # Again: more may wait, and whatever was committed meanwhile (its reload
            # found this pass running) is read now rather than at the next reload.
            self.catch_up(self._latest, force=force)

        def failed(exc: BaseException) -> None:
            self.running = None
            log.info("reading text stopped: %s", exc)

        self.running = self.tasks.run("read text", work, on_done=done, on_error=failed,
                                      writes=True, cancellable=True, context=self)

    def read_now(self, item_id: int, done: Callable[[str | None], None]) -> None:
        """Read one item's text on request (the viewer's button); ``done(problem)``."""
        vault = self.ws.vault

        def work(_progress: Any) -> None:
            ocr.read_item(vault, item_id)

        def finished(_result: Any) -> None:
            self.text_read.emit(item_id)
            done(None)

        self.tasks.run("read text", work, on_done=finished,
                       on_error=lambda exc: done(str(exc)), writes=True, context=self)

    def _report(self, found: Found) -> None:
        if found.unavailable is not None and self.unavailable is None:
            self.ws.status.emit(found.unavailable)
        self.unavailable = found.unavailable
        for item_id in found.read:
            self.text_read.emit(item_id)
        self.alikes.update(found.alikes)
        if found.read:
            n = len(found.read)
            self.ws.status.emit(f"Read the text of {n} picture{'s' if n != 1 else ''}; "
                                "the Find box now searches it.")
            self.ws.apply_filters()
        for item_id, alikes in found.alikes.items():
            self.ws.status.emit(f"Item {item_id}: {looks_like_text(alikes[0])}")
        if found.recheck is not None:
            self._recheck = None
            self._tell_recheck(*found.recheck)

    def _tell_recheck(self, fresh: Item, same: list[likeness.LookAlike],
                      latest: Item | None) -> None:
        if latest is None:
            return
        if same:
            match = same[0].item
            verdict = (f"This looks the same as the capture of "
                       f"{text.local_time(match.recorded_at)} (item {match.id}).")
            note = f"Compared by Evidence Kit with item {match.id}: it looks the same."
        else:
            verdict = (f"This looks different from the capture of "
                       f"{text.local_time(latest.recorded_at)} (item {latest.id}).")
            note = f"Compared by Evidence Kit with item {latest.id}: it looks different."
        box = QMessageBox(QMessageBox.Icon.Information, "Is it still up?",
                          verdict, QMessageBox.StandardButton.NoButton, self.ws.window)
        box.setInformativeText(
            "The app compared the pictures and the words read from them. It can be "
            "wrong: look at both yourself. You decide what to record.")
        add = box.addButton("Add a &note saying so", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("&Close", QMessageBox.ButtonRole.RejectRole)
        box.setObjectName("recheckVerdict")
        box.exec()
        chosen = box.clickedButton() is add
        box.deleteLater()
        if chosen and self.ws.is_open:
            try:
                self.ws.vault.add_note(note, item=fresh.id)
            except Exception as exc:
                self.ws._fail(exc, "saving the note")
                return
            self.ws.status.emit("Note added to the fresh capture's record.")
