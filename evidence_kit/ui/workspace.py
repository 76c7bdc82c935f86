"""The unlocked workspace: the browser and the viewer, and everything they ask of the vault.

A :class:`WorkspaceController` exists only while the vault is unlocked. It builds the
widgets that show evidence and, at lock, :meth:`close` releases the decrypted images,
empties the models and deletes the widgets (they are not hidden and kept). Dialogs are
parented to the main window, so locking while one is open cannot pull it from under
the code waiting on it; every handler checks it is still open after a dialog returns.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QProgressDialog,
    QStackedWidget,
    QWidget,
)

from evidence_kit.core.actions import REMOVAL_CHECKED, action_kind
from evidence_kit.core.errors import VaultLocked
from evidence_kit.core.model import Event, Incident, Item
from evidence_kit.core.vault import Vault
from evidence_kit.ui import text
from evidence_kit.ui.browser import BrowserView, IncidentList, ItemFilter, ItemsModel
from evidence_kit.ui.dialogs import EditDetailsDialog
from evidence_kit.ui.messages import describe
from evidence_kit.ui.preview import preview_for
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.tracking import (
    DueBanner,
    DueCheck,
    RecordActionDialog,
    due_now,
    open_checks,
)
from evidence_kit.ui.viewer import ItemViewer

log = logging.getLogger(__name__)


def category_choices() -> list[tuple[str, str]]:
    """The category ids and labels the capture feature defines, if it is installed."""
    try:
        from evidence_kit.capture.categories import CATEGORIES
    except ImportError:
        return []
    return [(c.id, c.label) for c in CATEGORIES]


@dataclass(frozen=True)
class Snapshot:
    """What the browser shows first; read in one go (in the unlock task when it can)."""

    incidents: list[Incident]
    items: list[Item]
    actions: list[Event]


CURRENT = object()
"""Import into the incident the browser shows (the default)."""
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def read_snapshot(vault: Vault) -> Snapshot:
    return Snapshot(vault.incidents(), vault.items(), vault.actions())


class Workspace(QStackedWidget):
    """Page 0: the browser; page 1: the viewer."""

    def __init__(self, browser: BrowserView, viewer: ItemViewer,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.browser = browser
        self.viewer = viewer
        self.addWidget(browser)
        self.addWidget(viewer)
        self.setObjectName("workspace")


class WorkspaceController(QObject):
    status = Signal(str)
    capture_requested = Signal(object)  # the incident to capture for again (or None)

    def __init__(self, vault: Vault, window: QWidget, tasks: TaskRunner,
                 parent: QObject | None = None, snapshot: Snapshot | None = None) -> None:
        super().__init__(parent)
        self._vault: Vault | None = vault
        self.window = window
        self.tasks = tasks
        self.categories = category_choices()
        self.model = ItemsModel(self._thumbnail, dict(self.categories), self)
        self.proxy = ItemFilter(self)
        self.proxy.setSourceModel(self.model)
        self.browser = BrowserView(self.model, self.proxy)
        self.viewer = ItemViewer()
        self.widget = Workspace(self.browser, self.viewer)
        self._all_items: list[Item] = []
        self._actions: list[Event] = []
        self._incident_titles: dict[int, str] = {}
        self._current: object = IncidentList.ALL
        banner = getattr(window, "due_banner", None)
        self.due_banner: DueBanner | None = banner if isinstance(banner, DueBanner) else None
        if self.due_banner is not None:
            self.due_banner.check_now.connect(self.check_now)
        self.due_timer = QTimer(self)
        self.due_timer.setInterval(60_000)
        self.due_timer.timeout.connect(self.refresh_due)
        self.due_timer.start()
        b = self.browser
        b.incident_changed.connect(self._incident_changed)
        b.filters_changed.connect(self.apply_filters)
        b.open_item.connect(self.open_item)
        b.new_incident.connect(self.new_incident)
        b.rename_incident.connect(self.rename_incident)
        b.edit_summary.connect(self.edit_summary)
        b.move_items.connect(self.move_selected)
        b.tracking.record.connect(self.record_action)
        b.incidents.files_dropped.connect(self._dropped_on_incident)
        v = self.viewer
        v.back.connect(self.show_browser)
        v.add_note.connect(self.add_note)
        v.edit_details.connect(self.edit_details)
        v.move_item.connect(self.move_viewed)
        v.save_copy.connect(self.save_copy)
        v.redact.connect(self.redact_viewed)
        self.reload(snapshot=snapshot)

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
            self.due_banner.check_now.disconnect(self.check_now)
            self.due_banner.show_checks([], {}, EPOCH)
        self.viewer.release()
        self.proxy.setSourceModel(None)  # type: ignore[arg-type]
        self.model.clear()
        self._all_items = []
        self._actions = []
        self._incident_titles = {}
        self.widget.setParent(None)
        self.widget.deleteLater()
        self.model.deleteLater()
        self.proxy.deleteLater()
        self.deleteLater()

    def _fail(self, exc: BaseException, doing: str) -> None:
        if not self.is_open:
            return
        message = describe(exc, doing)
        QMessageBox.warning(self.window, message.title, message.full)

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
        self._incident_titles = {i.id: i.title for i in incidents}
        self._all_items = found.items
        self._actions = found.actions
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
        self.proxy.set_criteria(**self.browser.criteria())
        total = self.model.rowCount()
        self.browser.show_count(self.proxy.rowCount(), total, self._empty_text())

    def _empty_text(self) -> str:
        if self._current == IncidentList.ALL:
            return ("No evidence yet. Use File ▸ Import files… (Ctrl+I) to add screenshots, "
                    "emails or recordings you already have.")
        return ("Nothing in this incident yet. Import files while it is selected, or move "
                "items here from All evidence.")

    # ---- report tracking -----------------------------------------------------------

    def _show_tracking(self, incident_id: int) -> None:
        mine = [e for e in self._actions if e.payload.get("incident") == incident_id]
        now = self.vault.clock.now()
        self.browser.tracking.show_actions(mine, now)
        self.browser.show_tracking_count(len(mine), len(due_now(mine, now)))

    def refresh_due(self) -> None:
        """The checks due now, on the main window (with the vault's clock)."""
        if not self.is_open or self.due_banner is None:
            return
        now = self.vault.clock.now()
        self.due_banner.show_checks(due_now(self._actions, now), self._incident_titles, now)
        incident = self.current_incident()
        if incident is not None:
            self._show_tracking(incident)

    def due_checks(self) -> list[DueCheck]:
        return due_now(self._actions, self.vault.clock.now()) if self.is_open else []

    def check_now(self, check: DueCheck) -> None:
        if not self.is_open:
            return
        if check.incident is not None:
            self.show_browser()
            self.reload(select=check.incident)
            self.browser.right_tabs.setCurrentIndex(1)
        self.record_action(REMOVAL_CHECKED, check.request_seq)

    def record_action(self, kind_id: str, request: object = None) -> None:
        incident = self.current_incident()
        kind = action_kind(kind_id)
        if kind is None or not self.is_open:
            return
        if incident is None and isinstance(request, int):
            incident = next((c.incident for c in open_checks(self._actions)
                             if c.request_seq == request), None)
        if incident is None:
            QMessageBox.information(self.window, kind.label,
                                    "Choose the incident this step was about first.")
            return
        mine = [e for e in self._actions if e.payload.get("incident") == incident]
        requests = [(c.request_seq, f"“{c.what}” (asked "
                     f"{text.local_time(c.asked_at.isoformat())})")
                    for c in open_checks(mine)]
        if kind_id == REMOVAL_CHECKED and not requests:
            QMessageBox.information(
                self.window, kind.label,
                "There is no request to take something down waiting for a check in this "
                "incident. Record “Asked for it to be taken down” first.")
            return
        dialog = RecordActionDialog(kind, self.vault.clock.now(), requests,
                                    request if isinstance(request, int) else None,
                                    self.window)
        accepted = dialog.exec() == RecordActionDialog.DialogCode.Accepted
        happened, details = dialog.result_values()
        still_up = dialog.found_still_up
        dialog.deleteLater()
        if not accepted or not self.is_open:
            return
        try:
            self.vault.record_action(incident, kind_id, happened, details)
        except Exception as exc:
            self._fail(exc, "recording the step")
            return
        self.reload(select=incident)
        self.browser.right_tabs.setCurrentIndex(1)
        self.status.emit(f"Recorded: {kind.label.lower()}.")
        if still_up:
            again = QMessageBox.question(
                self.window, "Capture it again?",
                "It is still up. Capture it again now, so the record shows it was still "
                "there? (Another check falls due in 24 hours.)",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes)
            if again == QMessageBox.StandardButton.Yes:
                self.capture_requested.emit(incident)

    def current_incident(self) -> int | None:
        key = self._current
        return key if isinstance(key, int) else None

    def selected_items(self) -> list[Item]:
        if self.widget.currentIndex() == 1 and self.viewer.item is not None:
            return [self.viewer.item]
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
        image = QImage.fromData(data) if preview.kind == "image" and data else None
        del data
        title = self._incident_titles.get(item.incident_id or 0, "Not in an incident")
        self.viewer.show_item(item, preview, image, title, self.model.category_label(
            item.category))
        from evidence_kit.ui.redact_dialog import can_redact

        self.viewer.redact_button.setEnabled(can_redact(item))
        self._refresh_viewer_lists(item.id)
        self.widget.setCurrentIndex(1)
        self.viewer.back_button.setFocus()

    def _refresh_viewer_lists(self, item_id: int) -> None:
        self.viewer.show_notes(self.vault.notes(item=item_id))
        unpublished = {s.event.seq for s in self.vault.exports() if not s.published}
        self.viewer.show_history(self.vault.item_history(item_id), self._incident_titles,
                                 unpublished)

    def show_browser(self) -> None:
        self.viewer.release()
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
        if self.widget.currentIndex() == 1:
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

    # ---- incidents -----------------------------------------------------------------

    def _ask_text(self, title: str, label: str, value: str = "") -> str | None:
        answer, ok = QInputDialog.getText(self.window, title, label, text=value)
        if not ok or not self.is_open:
            return None
        return answer.strip() or None

    def new_incident(self) -> None:
        title = self._ask_text("New incident", "What should this incident be called? "
                               "(e.g. “Comments on the school Facebook page, March”)")
        if title is None:
            return
        try:
            incident = self.vault.create_incident(title)
        except Exception as exc:
            self._fail(exc, "creating the incident")
            return
        self.show_browser()
        self.reload(select=incident.id)
        self.status.emit(f"Incident “{incident.title}” created.")

    def rename_incident(self) -> None:
        incident_id = self.current_incident()
        if incident_id is None:
            return
        title = self._ask_text("Rename incident", "New name:",
                               self._incident_titles.get(incident_id, ""))
        if title is None:
            return
        try:
            self.vault.rename_incident(incident_id, title)
        except Exception as exc:
            self._fail(exc, "renaming the incident")
            return
        self.reload()

    def edit_summary(self) -> None:
        incident_id = self.current_incident()
        if incident_id is None:
            return
        current = self.vault.incident(incident_id).summary
        summary, ok = QInputDialog.getMultiLineText(
            self.window, "Incident summary",
            "In a few sentences: what happened, when, who seems to be behind it:", current)
        if not ok or not self.is_open or summary == current:
            return
        try:
            self.vault.set_incident_summary(incident_id, summary.strip())
        except Exception as exc:
            self._fail(exc, "saving the summary")
            return
        self.reload()

    def move_selected(self) -> None:
        self._move(self.browser.selected_items())

    def move_viewed(self) -> None:
        if self.viewer.item is not None:
            self._move([self.viewer.item])

    def _move(self, items: list[Item]) -> None:
        if not items:
            QMessageBox.information(self.window, "Move to incident",
                                    "Select one or more items first.")
            return
        choices = [(None, "Not in any incident")] + [
            (iid, title) for iid, title in self._incident_titles.items()]
        labels = [label for _id, label in choices]
        current = items[0].incident_id
        start = next((n for n, (iid, _l) in enumerate(choices) if iid == current), 0)
        what = "this item" if len(items) == 1 else f"these {len(items)} items"
        chosen, ok = QInputDialog.getItem(self.window, "Move to incident",
                                          f"Move {what} to:", labels, start, False)
        if not ok or not self.is_open:
            return
        target = choices[labels.index(chosen)][0]
        moved = 0
        try:
            for item in items:
                if item.incident_id != target:
                    self.vault.move_item(item.id, target)
                    moved += 1
        except Exception as exc:
            self._fail(exc, "moving the items")
        viewing = self.widget.currentIndex() == 1 and self.viewer.item is not None
        self.reload()
        if viewing and self.viewer.item is not None:
            self.open_item(self.viewer.item.id)
        self.status.emit(f"Moved {moved} item{'s' if moved != 1 else ''} to {chosen}.")

    # ---- import --------------------------------------------------------------------

    def import_files(self, on_finished: Callable[[], None] | None = None) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self.window, "Import files into the vault", str(Path.home()))
        if not paths or not self.is_open:
            return
        self.import_paths([Path(p) for p in paths], on_finished)

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window, "Import every file in a folder", str(Path.home()))
        if not folder or not self.is_open:
            return
        self.import_paths([Path(folder)])

    def _dropped_on_incident(self, paths: list[Path], key: object) -> None:
        incident = key if isinstance(key, int) else None
        self.import_paths(paths, incident=incident)

    def import_paths(self, paths: list[Path],
                     on_finished: Callable[[], None] | None = None, *,
                     incident: object = CURRENT) -> None:
        from evidence_kit.intake import ImportOptions, import_files

        vault = self.vault
        target = self.current_incident() if incident is CURRENT else incident
        options = ImportOptions(incident=target if isinstance(target, int) else None)
        progress = QProgressDialog("Adding files to the vault…", "", 0, len(paths),
                                   self.window)
        progress.setWindowTitle("Import files")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setValue(0)

        def work(report: Callable[[int, int], None]) -> Any:
            return import_files(vault, paths, options, lambda d, t, _n: report(d, t))

        def done(result: Any) -> None:
            progress.close()
            progress.deleteLater()
            if self.is_open:
                self.reload(select=options.incident)
                added, problems = len(result.added), result.problems
                lines = [f"Added {added} file{'s' if added != 1 else ''} to the vault."]
                if problems:
                    lines.append("")
                    lines.append(f"{len(problems)} could not be added:")
                    lines.extend(f"• {p.message}" for p in problems[:10])
                    QMessageBox.warning(self.window, "Import files", "\n".join(lines))
                else:
                    self.status.emit(lines[0])
            if on_finished is not None:
                on_finished()

        def failed(exc: BaseException) -> None:
            progress.close()
            progress.deleteLater()
            if self.is_open:
                self.reload()
            self._fail(exc, "importing files")
            if on_finished is not None:
                on_finished()

        self.tasks.run("import", work, on_done=done, on_error=failed,
                       on_progress=lambda d, _t: progress.setValue(d), writes=True)
