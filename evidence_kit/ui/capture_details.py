"""After a capture is kept: its thumbnail, the details dialog, saving or discarding it.

:class:`CaptureDetails` gets the session, the task runner, the main window and the stop
path. It tells the app when the vault's contents changed (``vault_changed``, with the
incident to show) and when the guidance was asked for, rather than reaching into the
app's workspace.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QWidget

from evidence_kit.capture.page import PART_WORDS
from evidence_kit.capture.screen import Grab
from evidence_kit.core.model import Item
from evidence_kit.intake import Details, add_details, add_preview, discard_capture
from evidence_kit.ui.capture_dialog import CaptureChoices, CaptureDetailsDialog
from evidence_kit.ui.messages import show_error
from evidence_kit.ui.session import VaultSession
from evidence_kit.ui.stop_path_controller import StopPathController
from evidence_kit.ui.tasks import TaskHandle, TaskRunner

log = logging.getLogger(__name__)

STOP_REASON = ("Removed at once: the person who captured it said it showed a sexual image "
               "of a child. Nothing of it is kept.")


class CaptureDetails(QObject):
    committed = Signal(object)  # Item
    vault_changed = Signal(object)  # the incident to show, or None for the one shown
    guidance_requested = Signal(object)  # the dialog to show it over
    thumbnail_ready = Signal(str)  # the SHA-256 of the item whose thumbnail was just made
    status = Signal(str, int)

    def __init__(self, session: VaultSession, tasks: TaskRunner, window: QWidget,
                 stop_path: StopPathController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tasks = tasks
        self.window = window
        self.stop_path = stop_path
        self.dialog: CaptureDetailsDialog | None = None
        self.preset_incident: int | None = None
        self.last_incident: int | None = None
        # Set by the app: the incident the browser shows, if any.
        self.current_incident: Callable[[], int | None] = lambda: None
        self._preview: TaskHandle | None = None
        # A page capture's other parts (whole page, archive, text), by its first item:
        # they follow it into its incident, and go with it when it is discarded.
        self.linked: dict[int, tuple[int, ...]] = {}

    def after_commit(self, grab: Grab, item: Item, given: Details | None = None) -> None:
        """``given``: what the command line typed with the capture (kept with it already)."""
        log.info("capture committed as item %s", item.id)
        self.committed.emit(item)
        if not self.session.is_unlocked:
            return
        vault = self.session.vault
        self._preview = self.tasks.run(
            "preview", lambda _p: add_preview(vault, item, grab.data), writes=True,
            on_done=lambda _r: self.thumbnail_ready.emit(item.sha256),
            on_error=lambda exc: log.debug("no preview for item %s: %s", item.id, exc))
        self.vault_changed.emit(None)
        self.status.emit("Captured and kept in the vault.", 8000)
        self._open_dialog(grab, item, given or Details())

    def _default_incident(self) -> int | None:
        if self.preset_incident is not None:
            chosen, self.preset_incident = self.preset_incident, None
            return chosen
        current = self.current_incident()
        return current if current is not None else self.last_incident

    def _open_dialog(self, grab: Grab, item: Item, given: Details) -> None:
        vault = self.session.vault
        try:
            incidents = vault.incidents()
        except Exception as exc:
            show_error(self.window, exc, "reading the incidents")
            incidents = []
        image = QImage.fromData(grab.data)
        clipboard = QGuiApplication.clipboard()
        clip = clipboard.text() if clipboard is not None else ""
        window = self.window
        parent = window if window.isVisible() and not window.isMinimized() else None
        if self.dialog is not None:
            self.dialog.reject()
        default = (item.incident_id if item.incident_id is not None
                   else self._default_incident())
        dialog = CaptureDetailsDialog(item, image, incidents, default, clip, parent,
                                      given=given)
        del image
        self.dialog = dialog
        item_id = item.id
        dialog.saved.connect(lambda choices: self._save_details(item_id, choices))
        dialog.discard.connect(lambda: self._discard(item_id))
        dialog.stop_path.connect(lambda: self._discard_for_stop_path(item_id))
        dialog.guidance.connect(lambda: self.guidance_requested.emit(dialog))
        dialog.rejected.connect(lambda: self._closed_without_details(dialog))

        def finished(_result: int) -> None:
            dialog.release()
            if self.dialog is dialog:
                self.dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _closed_without_details(self, dialog: CaptureDetailsDialog) -> None:
        if not dialog.acted:
            self.status.emit("The capture is kept. To add details later, open it and "
                             "choose Edit details.", 10_000)

    def _save_details(self, item_id: int, choices: CaptureChoices) -> None:
        if not self.session.is_unlocked:
            return
        try:
            item = add_details(self.session.vault, item_id, choices.details,
                               choices.new_incident)
            for part in self.linked.get(item_id, ()):
                self._details_for_part(part, item, choices)
        except Exception as exc:
            show_error(self.window, exc, "saving the details")
            return
        self.last_incident = item.incident_id
        self.vault_changed.emit(item.incident_id)
        self.status.emit("Details saved with the capture.", 8000)

    def _details_for_part(self, part_id: int, first: Item, choices: CaptureChoices) -> None:
        """A page capture's other parts (the whole page, its archive, its text) say what
        the first says, each naming which part it is: in a pack each is an exhibit of
        its own, and "page-….mhtml" with no account tells a recipient nothing."""
        vault = self.session.vault
        part = vault.item(part_id)
        capture = part.details.get("capture") if isinstance(part.details, dict) else None
        which = capture.get("part") if isinstance(capture, dict) else None
        said = PART_WORDS.get(str(which), str(which or "part of the same capture"))
        what = (first.description or "").strip()
        details = dataclasses.replace(
            choices.details, incident=first.incident_id, note=None, url=None,
            description=f"{what} ({said})" if what else f"The {said}")
        add_details(vault, part_id, details)
        if vault.item(part_id).incident_id != first.incident_id:
            vault.move_item(part_id, first.incident_id)

    def _after_preview(self, then: Callable[[], None]) -> None:
        """Run ``then`` once the thumbnail task is done, so a purge is never undone."""
        handle = self._preview
        if handle is not None and handle.running:
            handle.finished.connect(then)
        else:
            then()

    def _discard(self, item_id: int, reason: str | None = None,
                 then: Callable[[], None] | None = None) -> None:
        def go() -> None:
            if not self.session.is_unlocked:
                return
            try:
                for each in (item_id, *self.linked.pop(item_id, ())):
                    if reason is None:
                        discard_capture(self.session.vault, each)
                    else:
                        discard_capture(self.session.vault, each, reason)
            except Exception as exc:
                show_error(self.window, exc, "discarding the capture")
                return
            self.vault_changed.emit(None)
            self.status.emit("The capture was discarded: its picture is gone from the "
                             "vault; the record that it was taken and discarded stays.",
                             10_000)
            if then is not None:
                then()

        self._after_preview(go)

    def _discard_for_stop_path(self, item_id: int) -> None:
        self._discard(item_id, STOP_REASON)
        self.stop_path.open()

    def about_to_lock(self) -> None:
        """The details dialog shows evidence: it goes (the capture itself is kept), and
        what it showed is kept with the capture rather than silently dropped."""
        dialog = self.dialog
        if dialog is None:
            return
        if dialog.unsaved():
            dialog.save()
            self.status.emit("Locked: the details shown were kept with the capture.", 10_000)
        else:
            dialog.acted = True
            dialog.reject()
