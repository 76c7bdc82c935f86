"""What the user does to incidents: make, rename, summarise, move items, record steps.

:class:`IncidentActions` works on the open :class:`~evidence_kit.ui.workspace.
WorkspaceController` and the window its dialogs belong to. Every handler checks the
workspace is still open after a dialog returns (locking may have closed it meanwhile).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from evidence_kit.core.actions import REMOVAL_CHECKED, action_kind
from evidence_kit.core.model import Item
from evidence_kit.ui import text
from evidence_kit.ui.messages import show_error
from evidence_kit.ui.tracking import DueCheck, RecordActionDialog, open_checks

if TYPE_CHECKING:
    from evidence_kit.ui.workspace import WorkspaceController


class IncidentActions(QObject):
    def __init__(self, workspace: WorkspaceController, window: QWidget) -> None:
        super().__init__(workspace)
        self.workspace = workspace
        self.window = window

    def _fail(self, exc: BaseException, doing: str) -> None:
        if self.workspace.is_open:
            show_error(self.window, exc, doing)

    def _ask_text(self, title: str, label: str, value: str = "") -> str | None:
        answer, ok = QInputDialog.getText(self.window, title, label, text=value)
        if not ok or not self.workspace.is_open:
            return None
        return answer.strip() or None

    # ---- incidents -----------------------------------------------------------------

    def new_incident(self) -> None:
        ws = self.workspace
        title = self._ask_text("New incident", "What should this incident be called? "
                               "(e.g. “Comments on the school Facebook page, March”)")
        if title is None:
            return
        try:
            incident = ws.vault.create_incident(title)
        except Exception as exc:
            self._fail(exc, "creating the incident")
            return
        ws.show_browser()
        ws.reload(select=incident.id)
        ws.status.emit(f"Incident “{incident.title}” created.")

    def rename_incident(self) -> None:
        ws = self.workspace
        incident_id = ws.current_incident()
        if incident_id is None:
            return
        title = self._ask_text("Rename incident", "New name:",
                               ws.incident_titles.get(incident_id, ""))
        if title is None:
            return
        try:
            ws.vault.rename_incident(incident_id, title)
        except Exception as exc:
            self._fail(exc, "renaming the incident")
            return
        ws.reload()

    def edit_summary(self) -> None:
        ws = self.workspace
        incident_id = ws.current_incident()
        if incident_id is None:
            return
        current = ws.vault.incident(incident_id).summary
        summary, ok = QInputDialog.getMultiLineText(
            self.window, "Incident summary",
            "In a few sentences: what happened, when, who seems to be behind it:", current)
        if not ok or not ws.is_open or summary == current:
            return
        try:
            ws.vault.set_incident_summary(incident_id, summary.strip())
        except Exception as exc:
            self._fail(exc, "saving the summary")
            return
        ws.reload()

    # ---- moving items --------------------------------------------------------------

    def move_selected(self) -> None:
        self.move(self.workspace.browser.selected_items())

    def move_viewed(self) -> None:
        viewed = self.workspace.viewed_item
        if viewed is not None:
            self.move([viewed])

    def move(self, items: list[Item]) -> None:
        ws = self.workspace
        if not items:
            QMessageBox.information(self.window, "Move to incident",
                                    "Select one or more items first.")
            return
        choices = [(None, "Not in any incident")] + [
            (iid, title) for iid, title in ws.incident_titles.items()]
        labels = [label for _id, label in choices]
        current = items[0].incident_id
        start = next((n for n, (iid, _l) in enumerate(choices) if iid == current), 0)
        what = "this item" if len(items) == 1 else f"these {len(items)} items"
        chosen, ok = QInputDialog.getItem(self.window, "Move to incident",
                                          f"Move {what} to:", labels, start, False)
        if not ok or not ws.is_open:
            return
        target = choices[labels.index(chosen)][0]
        moved = 0
        try:
            for item in items:
                if item.incident_id != target:
                    ws.vault.move_item(item.id, target)
                    moved += 1
        except Exception as exc:
            self._fail(exc, "moving the items")
        viewed = ws.viewed_item
        ws.reload()
        if viewed is not None:
            ws.open_item(viewed.id)
        ws.status.emit(f"Moved {moved} item{'s' if moved != 1 else ''} to {chosen}.")

    # ---- reports and actions -------------------------------------------------------

    def check_now(self, check: DueCheck) -> None:
        ws = self.workspace
        if not ws.is_open:
            return
        if check.incident is not None:
            ws.show_browser()
            ws.reload(select=check.incident)
            ws.browser.right_tabs.setCurrentIndex(1)
        self.record_action(REMOVAL_CHECKED, check.request_seq)

    def record_action(self, kind_id: str, request: object = None) -> None:
        ws = self.workspace
        incident = ws.current_incident()
        kind = action_kind(kind_id)
        if kind is None or not ws.is_open:
            return
        if incident is None and isinstance(request, int):
            incident = next((c.incident for c in open_checks(ws.actions)
                             if c.request_seq == request), None)
        if incident is None:
            QMessageBox.information(self.window, kind.label,
                                    "Choose the incident this step was about first.")
            return
        mine = [e for e in ws.actions if e.payload.get("incident") == incident]
        requests = [(c.request_seq, f"“{c.what}” (asked "
                     f"{text.local_time(c.asked_at.isoformat())})")
                    for c in open_checks(mine)]
        if kind_id == REMOVAL_CHECKED and not requests:
            QMessageBox.information(
                self.window, kind.label,
                "There is no request to take something down waiting for a check in this "
                "incident. Record “Asked for it to be taken down” first.")
            return
        dialog = RecordActionDialog(kind, ws.vault.clock.now(), requests,
                                    request if isinstance(request, int) else None,
                                    self.window)
        accepted = dialog.exec() == RecordActionDialog.DialogCode.Accepted
        happened, details = dialog.result_values()
        still_up = dialog.found_still_up
        dialog.deleteLater()
        if not accepted or not ws.is_open:
            return
        try:
            ws.vault.record_action(incident, kind_id, happened, details)
        except Exception as exc:
            self._fail(exc, "recording the step")
            return
        ws.reload(select=incident)
        ws.browser.right_tabs.setCurrentIndex(1)
        ws.status.emit(f"Recorded: {kind.label.lower()}.")
        if still_up:
            again = QMessageBox.question(
                self.window, "Capture it again?",
                "It is still up. Capture it again now, so the record shows it was still "
                "there? (Another check falls due in 24 hours.)",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes)
            if again == QMessageBox.StandardButton.Yes:
                ws.capture_requested.emit(incident)
