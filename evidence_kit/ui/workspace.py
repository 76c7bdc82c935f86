"""The unlocked workspace: the browser and the viewer, and what they ask of the vault.

A :class:`WorkspaceController` exists only while the vault is unlocked. It builds the
widgets that show evidence and, at lock, :meth:`close` releases the decrypted images,
empties the model and deletes the widgets (they are not hidden and kept). Dialogs are
parented to the main window, so locking while one is open cannot pull it from under
the code waiting on it; every handler checks it is still open after a dialog returns.
What is done to incidents lives in :mod:`~evidence_kit.ui.incident_actions`, importing
in :mod:`~evidence_kit.ui.import_flow`.

Just over 400 lines on purpose: the browser's and the viewer's handlers share the open
vault and the lists read from it, and are not worth a module each.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QStackedWidget,
    QWidget,
)

from evidence_kit.core.errors import VaultLocked
from evidence_kit.core.model import Event, Incident, Item
from evidence_kit.core.vault import Vault
from evidence_kit.ui.browser import BrowserView
from evidence_kit.ui.dialogs import EditDetailsDialog
from evidence_kit.ui.import_flow import ImportFlow
from evidence_kit.ui.incident_actions import IncidentActions
from evidence_kit.ui.incident_list import IncidentList
from evidence_kit.ui.items_model import ItemsModel
from evidence_kit.ui.messages import show_error
from evidence_kit.ui.picture import picture_image
from evidence_kit.ui.preview import preview_for
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.text_reading import TextReader, looks_like_text
from evidence_kit.ui.tracking import (
    DueBanner,
    DueCheck,
    due_now,
)
from evidence_kit.ui.viewer import ItemViewer

log = logging.getLogger(__name__)


def category_choices() -> list[tuple[str, str]]:
    """The category ids and labels the capture feature defines."""
    from evidence_kit.capture.categories import CATEGORIES

    return [(c.id, c.label) for c in CATEGORIES]


@dataclass(frozen=True)
class Snapshot:
    """What the browser shows first; read in one go (in the unlock task when it can)."""

    incidents: list[Incident]
    items: list[Item]
    actions: list[Event]


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def read_snapshot(vault: Vault) -> Snapshot:
    return Snapshot(vault.incidents(), vault.items(), vault.actions())


class Workspace(QStackedWidget):
    """Page 0: the browser; page 1: the viewer (added when an item is first opened)."""

    def __init__(self, browser: BrowserView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.browser = browser
        self.addWidget(browser)
        self.setObjectName("workspace")


class WorkspaceController(QObject):
    status = Signal(str)
    capture_requested = Signal(object)  # the incident to capture for again (or None)

    def __init__(self, vault: Vault, window: QWidget, tasks: TaskRunner,
                 parent: QObject | None = None, snapshot: Snapshot | None = None,
                 capture_shortcut: str | None = None) -> None:
        super().__init__(parent)
        self._vault: Vault | None = vault
        self.capture_shortcut = capture_shortcut  # named in the empty list's words
        self.window = window
        self.tasks = tasks
        self.categories = category_choices()
        self.model = ItemsModel(self._thumbnail, dict(self.categories), self)
        self.browser = BrowserView(self.model)
        # Built when an item is first opened: the list shows sooner after the unlock.
        self._viewer: ItemViewer | None = None
        self.widget = Workspace(self.browser)
        self._all_items: list[Item] = []
        self.actions: list[Event] = []
        self.incident_titles: dict[int, str] = {}
        self._current: object = IncidentList.ALL
        self.incident_actions = IncidentActions(self, window)
        self.imports = ImportFlow(self, tasks, window)
        self.text_reader = TextReader(self, tasks)
        self.text_reader.text_read.connect(self._text_read)
        self.capture_requested.connect(self.text_reader.expect_recapture)
        banner = getattr(window, "due_banner", None)
        self.due_banner: DueBanner | None = banner if isinstance(banner, DueBanner) else None
        if self.due_banner is not None:
            self.due_banner.check_now.connect(self.incident_actions.check_now)
        self.due_timer = QTimer(self)
        self.due_timer.setInterval(60_000)
        self.due_timer.timeout.connect(self.refresh_due)
        self.due_timer.start()
        b = self.browser
        b.incident_changed.connect(self._incident_changed)
        b.filters_changed.connect(self.apply_filters)
        b.open_item.connect(self.open_item)
        actions = self.incident_actions
        b.new_incident.connect(actions.new_incident)
        b.rename_incident.connect(actions.rename_incident)
        b.edit_summary.connect(actions.edit_summary)
        b.move_items.connect(actions.move_selected)
        b.tracking.record.connect(actions.record_action)
        self.reload(snapshot=snapshot)

    @property
    def viewer(self) -> ItemViewer:
        if self._viewer is None:
            v = self._viewer = ItemViewer()
            v.back.connect(self.show_browser)
            v.add_note.connect(self.add_note)
            v.edit_details.connect(self.edit_details)
            v.move_item.connect(self.incident_actions.move_viewed)
            v.save_copy.connect(self.save_copy)
            v.redact.connect(self.redact_viewed)
            v.read_text.read_now.connect(self.read_viewed_text)
            self.widget.addWidget(v)
        return self._viewer

    @property
    def viewed_item(self) -> Item | None:
        """The item the viewer shows, if the viewer is the page shown."""
        if self._viewer is None or self.widget.currentWidget() is not self._viewer:
            return None
        return self._viewer.item

    # ---- life ----------------------------------------------------------------------

    @property
    def vault(self) -> Vault:
        if self._vault is None:
            raise VaultLocked("The vault is locked. Unlock it to continue.")
        return self._vault

    @property
    def is_open(self) -> bool:
        return self._vault is not None

    def close(self) -> None:
        """Drop every decrypted thing this workspace holds and delete its widgets."""
        if self._vault is None:
            return
        self._vault = None
        self.due_timer.stop()
        if self.due_banner is not None:
            self.due_banner.check_now.disconnect(self.incident_actions.check_now)
            self.due_banner.show_checks([], {}, EPOCH)
        if self._viewer is not None:
            self._viewer.release()
        self.model.clear()
        self._all_items = []
        self.actions = []
        self.incident_titles = {}
        self.widget.setParent(None)
        self.widget.deleteLater()
        self.model.deleteLater()
        self.deleteLater()

    def _fail(self, exc: BaseException, doing: str) -> None:
        if self.is_open:
            show_error(self.window, exc, doing)

    # ---- the browser ---------------------------------------------------------------

    def _thumbnail(self, sha256: str) -> bytes | None:
        if self._vault is None:
            return None
        try:
            return self._vault.thumbnail(sha256)
        except Exception:  # a damaged thumbnail must not stop the list painting
            log.debug("thumbnail %s unavailable", sha256, exc_info=True)
            return None

    def reload(self, select: object = None, snapshot: Snapshot | None = None) -> None:
        found = snapshot or read_snapshot(self.vault)
        incidents = found.incidents
        self.incident_titles = {i.id: i.title for i in incidents}
        self._all_items = found.items
        self.actions = found.actions
        statuses: dict[int, str] = {}
        counts: dict[int, int] = {}
        for event in found.actions:
            key = event.payload.get("incident")
            if isinstance(key, int):
                counts[key] = counts.get(key, 0) + 1
        due_incidents = {c.incident for c in due_now(found.actions, self.vault.clock.now())}
        for incident in incidents:
            n = counts.get(incident.id, 0)
            if n:
                statuses[incident.id] = f"{n} step{'s' if n != 1 else ''} recorded"
            if incident.id in due_incidents:
                statuses[incident.id] = (statuses.get(incident.id, "") + " · check due").strip(
                    " ·")
        loose = sum(1 for i in self._all_items if i.incident_id is None and not i.withdrawn)
        live = sum(1 for i in self._all_items if not i.withdrawn)
        keep = select if select is not None else self._current
        self.browser.incidents.fill(incidents, statuses, live, loose, keep)
        self._incident_changed(self.browser.incidents.current_key())
        self.refresh_due()
        self.text_reader.catch_up(self._all_items)

    def _incident_changed(self, key: object) -> None:
        if not self.is_open:
            return
        self._current = key
        if key == IncidentList.ALL:
            items = self._all_items
            self.browser.show_header("All evidence", "", False)
        elif key == IncidentList.NONE:
            items = [i for i in self._all_items if i.incident_id is None]
            self.browser.show_header("Not in an incident", "Evidence you have not put in "
                                     "an incident yet.", False)
        else:
            incident = self.vault.incident(int(str(key)))
            items = [i for i in self._all_items if i.incident_id == incident.id]
            self.browser.show_header(incident.title, incident.summary, True)
            self._show_tracking(incident.id)
        self.model.set_items(items)
        self.browser.grid.scrollToTop()
        self.browser.table.scrollToTop()
        platforms = sorted({i.platform for i in items if i.platform}, key=str.casefold)
        categories = sorted({i.category for i in items if i.category})
        self.browser.set_choices(self.browser.platform, "All platforms",
                                 [(p, p) for p in platforms])
        self.browser.set_choices(self.browser.category, "All categories",
                                 [(c, self.model.category_label(c)) for c in categories])
        self.apply_filters()

    def apply_filters(self) -> None:
        if not self.is_open:
            return
        criteria = self.browser.criteria()
        if criteria.words:
            try:
                hits = frozenset(self.vault.find_text(criteria.words))
            except Exception:  # the rest of the search still works without the index
                log.warning("the text index could not be searched", exc_info=True)
                hits = frozenset()
            criteria = dataclasses.replace(criteria, text_hits=hits)
        self.model.set_criteria(criteria)
        self.browser.show_count(self.model.matching, self.model.total, self._empty_text())

    def _empty_text(self) -> str:
        if self._current == IncidentList.ALL:
            return ("No evidence yet. To capture what is on the screen now, press Capture "
                    "in the toolbar (or File ▸ Capture a region…"
                    + (f", or {self.capture_shortcut} from any app" if self.capture_shortcut
                       else "")
                    + "). To add screenshots, emails or recordings you already have, use "
                    "File ▸ Import files… (Ctrl+I).")
        return ("Nothing in this incident yet. Import files while it is selected, or move "
                "items here from All evidence.")

    # ---- report tracking -----------------------------------------------------------

    def _show_tracking(self, incident_id: int) -> None:
        mine = [e for e in self.actions if e.payload.get("incident") == incident_id]
        now = self.vault.clock.now()
        self.browser.tracking.show_actions(mine, now)
        self.browser.show_tracking_count(len(mine), len(due_now(mine, now)))

    def refresh_due(self) -> None:
        """The checks due now, on the main window (with the vault's clock)."""
        if not self.is_open or self.due_banner is None:
            return
        now = self.vault.clock.now()
        self.due_banner.show_checks(due_now(self.actions, now), self.incident_titles, now)
        incident = self.current_incident()
        if incident is not None:
            self._show_tracking(incident)

    def due_checks(self) -> list[DueCheck]:
        return due_now(self.actions, self.vault.clock.now()) if self.is_open else []

    def current_incident(self) -> int | None:
        key = self._current
        return key if isinstance(key, int) else None

    def selected_items(self) -> list[Item]:
        viewed = self.viewed_item
        if viewed is not None:
            return [viewed]
        return self.browser.selected_items()

    # ---- the viewer ----------------------------------------------------------------

    def open_item(self, item_id: int) -> None:
        try:
            item = self.vault.item(item_id)
            data = b"" if item.withdrawn else self.vault.read_blob(item.sha256)
        except Exception as exc:
            self._fail(exc, "opening the item")
            return
        preview = preview_for(item.media_type, data)
        image = picture_image(data) if preview.kind == "image" else None
        del data
        title = self.incident_titles.get(item.incident_id or 0, "Not in an incident")
        self.viewer.show_item(item, preview, image, title, self.model.category_label(
            item.category))
        from evidence_kit.ui.redact_dialog import can_redact

        self.viewer.redact_button.setEnabled(can_redact(item))
        self._refresh_viewer_lists(item.id)
        self._show_read_text(item)
        self.widget.setCurrentWidget(self.viewer)
        self.viewer.back_button.setFocus()

    def _refresh_viewer_lists(self, item_id: int) -> None:
        self.viewer.show_notes(self.vault.notes(item=item_id))
        unpublished = {s.event.seq for s in self.vault.exports() if not s.published}
        self.viewer.show_history(self.vault.item_history(item_id), self.incident_titles,
                                 unpublished)

    def _show_read_text(self, item: Item) -> None:
        try:
            found = None if item.withdrawn else self.vault.read_text(item.id)
        except Exception:
            log.warning("text read from item %s unavailable", item.id, exc_info=True)
            found = None
        reader = self.text_reader
        unavailable = reader.unavailable
        if found is None and unavailable is None:
            from evidence_kit.capture.ocr import available

            unavailable = reader.unavailable = available()
        alikes = reader.alikes.get(item.id)
        self.viewer.read_text.show_for(item, found, unavailable,
                                       looks_like_text(alikes[0]) if alikes else None)

    def read_viewed_text(self) -> None:
        item = self.viewer.item
        if item is None:
            return
        self.viewer.read_text.reading()

        def done(problem: str | None) -> None:
            if not self.is_open:
                return
            if problem is not None:
                self.viewer.read_text.state.setText(problem)
            self.apply_filters()

        self.text_reader.read_now(item.id, done)

    def _text_read(self, item_id: int) -> None:
        if self.viewed_item is not None and self.viewed_item.id == item_id:
            self._show_read_text(self.viewed_item)

    def show_browser(self) -> None:
        if self._viewer is not None:
            self._viewer.release()
        self.widget.setCurrentIndex(0)
        self.browser.current_view().setFocus()

    def add_note(self, note: str) -> None:
        item = self.viewer.item
        if item is None:
            return
        try:
            self.vault.add_note(note, item=item.id)
        except Exception as exc:
            self._fail(exc, "saving the note")
            return
        self.viewer.note_added()
        self._refresh_viewer_lists(item.id)
        self.status.emit("Note added to the record.")

    def edit_details(self) -> None:
        item = self.viewer.item
        if item is None:
            return
        dialog = EditDetailsDialog(item, self.categories, self.window)
        accepted = dialog.exec() == EditDetailsDialog.DialogCode.Accepted
        changes = dialog.changes()
        dialog.deleteLater()
        if not accepted or not changes or not self.is_open:
            return
        fields: dict[str, Any] = dict(changes)
        if "url" in fields and fields["url"] is not None:
            from evidence_kit.capture.urls import check_url

            try:
                checked = check_url(fields["url"])
                fields["url"] = checked.to_record()
                if "platform" not in fields and not item.platform and checked.platform:
                    fields["platform"] = checked.platform
            except Exception as exc:
                self._fail(exc, "checking the web address")
                return
        try:
            updated = self.vault.update_item(item.id, **fields)
        except Exception as exc:
            self._fail(exc, "saving the details")
            return
        self._after_item_change(updated)
        self.status.emit("Details saved; the change is in the item's history.")

    def _after_item_change(self, updated: Item) -> None:
        self._all_items = [updated if i.id == updated.id else i for i in self._all_items]
        self.model.replace_item(updated)
        if self.viewed_item is not None:
            self.open_item(updated.id)

    def save_copy(self) -> None:
        item = self.viewer.item
        if item is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self.window, "Save an unencrypted copy of the original",
            str(Path.home() / item.original_name))
        if not path or not self.is_open:
            return
        try:
            self.vault.extract(item.id, Path(path))
        except Exception as exc:
            self._fail(exc, "saving the copy")
            return
        self._refresh_viewer_lists(item.id)
        self.status.emit(f"Saved a copy to {path}. It is not encrypted: delete it when "
                         "you are done.")

    def redact_viewed(self) -> None:
        """Black boxes over the viewed image, saved as a redacted copy (then shown)."""
        from evidence_kit.ui.redact_dialog import open_redact_dialog

        item = self.viewer.item
        if item is None:
            return

        def saved(copy: Item) -> None:
            if not self.is_open:
                return
            self.reload()
            self.open_item(copy.id)
            self.status.emit("Redacted copy saved. The original is unchanged; packs show "
                             "the copy.")

        open_redact_dialog(self.vault, self.tasks, item, self.window, saved)

    def export_pack(self) -> None:
        """The export dialog, for the incident shown or the items selected."""
        from evidence_kit.ui.export_dialog import open_export_dialog

        open_export_dialog(self.vault, self.tasks, self.current_incident(),
                           self.selected_items(), self.window)
