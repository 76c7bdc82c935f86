"""The list of incidents on the browser's left: 'All evidence', each incident, the rest.

Files and folders dropped on an incident are imported into it (the signal says which).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from evidence_kit.core.model import Incident
from evidence_kit.ui import text
from evidence_kit.ui.drops import dropped_paths


class IncidentList(QListWidget):
    """'All evidence', 'Not in an incident', then each incident with its counts.

    Files and folders dropped on an incident are imported into it.
    """

    ALL = "all"
    NONE = "none"
    files_dropped = Signal(list, object)  # paths, the incident key dropped on

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self._hover: QListWidgetItem | None = None
        self.setAccessibleName("Incidents")
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setSpacing(2)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def fill(self, incidents: list[Incident], statuses: dict[int, str], total: int,
             loose: int, keep: object) -> None:
        self.blockSignals(True)
        self.clear()
        rows: list[tuple[object, str]] = [
            (self.ALL, f"All evidence\n{text.items_count(total)}"),
        ]
        for incident in incidents:
            rows.append((incident.id, text.incident_line(incident,
                                                         statuses.get(incident.id, ""))))
        if loose or not incidents:
            rows.append((self.NONE, f"Not in an incident\n{text.items_count(loose)}"))
        chosen = 0
        for n, (key, label) in enumerate(rows):
            entry = QListWidgetItem(label, self)
            entry.setData(Qt.ItemDataRole.UserRole, key)
            if isinstance(key, int):
                font = entry.font()
                entry.setData(Qt.ItemDataRole.AccessibleTextRole, label.replace("\n", ", "))
                entry.setFont(font)
            if key == keep:
                chosen = n
        self.setCurrentRow(chosen)
        self.blockSignals(False)

    def current_key(self) -> object:
        entry = self.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry is not None else self.ALL

    # ---- drops ---------------------------------------------------------------------

    @staticmethod
    def _paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Any]:
        return dropped_paths(event)

    def _highlight(self, entry: QListWidgetItem | None) -> None:
        if self._hover is entry:
            return
        if self._hover is not None:
            self._hover.setBackground(QBrush())
        self._hover = entry
        if entry is not None:
            entry.setBackground(QColor("#cfe3f7"))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self._paths(event):
            event.ignore()
            return
        self._highlight(self.itemAt(event.position().toPoint()))
        event.acceptProposedAction()

    def dragLeaveEvent(self, event: Any) -> None:
        self._highlight(None)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._paths(event)
        entry = self.itemAt(event.position().toPoint())
        self._highlight(None)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        key = entry.data(Qt.ItemDataRole.UserRole) if entry is not None else self.ALL
        self.files_dropped.emit(paths, key)
