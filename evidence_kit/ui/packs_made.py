"""Packs you made: every pack from the journal, where it went, and deleting its files.

A pack's PDF and ZIP are not encrypted and stay where they were saved, perhaps on a
shared family computer. This window lists them from the vault's history, says whether
the files are still there, and deletes a pack's two files once it has been handed over
(after asking, and in plain words about what deleting cannot guarantee). The deletion
runs through the task runner: it re-hashes the files first, so only the pack's own
files are ever deleted.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evidence_kit import wording
from evidence_kit.core import exports
from evidence_kit.core.exports import DELETION_CAVEAT, Deletion, ExportState
from evidence_kit.core.vault import Vault
from evidence_kit.export import made
from evidence_kit.ui.messages import describe, show_error
from evidence_kit.ui.style import fit_to_screen
from evidence_kit.ui.tasks import TaskHandle, TaskRunner

TITLE = "Packs you made"

INTRO = ("Every evidence pack made from this vault. A pack's PDF and ZIP are not "
         "encrypted: they stay in the folder they were saved to until you delete them. "
         "Once a pack has been handed over, you can delete its files here.")


class PacksMadeDialog(QDialog):
    def __init__(self, vault: Vault, tasks: TaskRunner, parent: QWidget | None = None,
                 select: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.vault = vault
        self.tasks = tasks
        self.states: list[ExportState] = []
        self._handle: TaskHandle | None = None

        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setAccessibleName("Packs made")
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setHeaderLabels(["Made", "For", "Reference", "Files"])
        header = self.table.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.details.setAccessibleName("About the chosen pack")
        self.details.setProperty("card", True)
        self.details.setContentsMargins(12, 8, 12, 8)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")

        self.open_button = QPushButton("&Open the folder", self)
        self.delete_button = QPushButton("&Delete the files…", self)
        self.delete_button.setToolTip("Delete this pack's PDF and ZIP from the folder they "
                                      "were saved to, once it has been handed over")
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self.table.currentItemChanged.connect(lambda *_: self._show_current())
        self.open_button.clicked.connect(self.open_folder)
        self.delete_button.clicked.connect(self.ask_delete)
        self.refresh(select)
        fit_to_screen(self, 860, 560)

    # ---- the list ----------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        try:
            self.states = self.vault.exports()
        except Exception as exc:
            self.states = []
            self._say(describe(exc, "listing the packs").full, error=True)
        self.table.clear()
        chosen: QTreeWidgetItem | None = None
        for index, state in enumerate(self.states):
            row = QTreeWidgetItem([wording.when_short(state.event.recorded_at),
                                   made.for_whom(state), state.pack or "(no reference)",
                                   made.files_words(state, short=True)])
            row.setData(0, Qt.ItemDataRole.UserRole, index)
            row.setToolTip(3, made.files_words(state))
            self.table.addTopLevelItem(row)
            if select is not None and state.pack == select:
                chosen = row
        if chosen is None and self.table.topLevelItemCount():
            chosen = self.table.topLevelItem(self.table.topLevelItemCount() - 1)
        if chosen is not None:
            self.table.setCurrentItem(chosen)
        self._show_current()

    @property
    def current(self) -> ExportState | None:
        row = self.table.currentItem()
        if row is None:
            return None
        return self.states[int(row.data(0, Qt.ItemDataRole.UserRole))]

    def _show_current(self) -> None:
        state = self.current
        busy = self._handle is not None
        self.open_button.setEnabled(state is not None and state.folder is not None
                                    and not busy)
        self.delete_button.setEnabled(state is not None and made.can_delete(state)
                                      and not busy)
        if state is None:
            self.details.setText("No packs have been made from this vault yet.")
            return
        when = state.event.recorded_at
        lines = [f"Pack {state.pack or '(no reference)'}, for {made.for_whom(state)}",
                 f"Made: {wording.when_long(when)} ({wording.utc(when)})",
                 f"Saved in: {made.where_words(state)}"]
        lines += [f"    {f.name}" for f in state.files]
        lines.append(f"Files: {made.files_words(state)[:1].upper()}"
                     f"{made.files_words(state)[1:]}.")
        self.details.setText("\n".join(lines))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setProperty("error", error)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)

    # ---- actions -----------------------------------------------------------------

    def open_folder(self) -> None:
        state = self.current
        if state is not None and state.folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(state.folder))

    def confirm_text(self, state: ExportState) -> str:
        names = "\n".join(f"    {f.name}" for f in state.files_there)
        return (f"Delete these files of pack {state.pack} from {state.folder}?\n\n{names}\n\n"
                "Only these two files are deleted, and only if they are still the ones the "
                "pack wrote. The evidence stays in the vault; its history records that the "
                "pack's files were deleted, without naming the folder.\n\n"
                + DELETION_CAVEAT)

    def ask_delete(self) -> None:
        state = self.current
        if state is None or not made.can_delete(state) or self._handle is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Delete the pack's files?",
                          self.confirm_text(state), parent=self)
        delete = box.addButton("&Delete the files", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("&Keep them", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self._confirm_box = box
        box.finished.connect(
            lambda _r: self.delete(state) if box.clickedButton() is delete else None)
        box.open()

    def delete(self, state: ExportState) -> None:
        """Delete the pack's files (already confirmed) off the UI thread."""
        vault, reference = self.vault, state.pack

        def work(_report: Any) -> Deletion:
            return exports.delete_files(vault, reference)

        self._say("Deleting…")
        self._handle = self.tasks.run("delete pack files", work, on_done=self._deleted,
                                      on_error=self._failed, writes=True, context=self)
        self._show_current()

    def _deleted(self, deletion: Deletion) -> None:
        self._handle = None
        words = [f"Deleted {' and '.join(deletion.deleted)}; the vault's history records "
                 f"it (event {deletion.seq})."]
        if deletion.left:
            words.append(f"Left as they are, since they no longer match the pack: "
                         f"{', '.join(deletion.left)}.")
        self._say(" ".join(words) + " Copies may remain on the drive until its space is "
                  "reused.")
        self.refresh(deletion.state.pack)

    def _failed(self, exc: BaseException) -> None:
        self._handle = None
        message = describe(exc, "deleting the pack's files")
        self._say(f"{message.title}. {message.full}", error=True)
        self.refresh(self.current.pack if self.current else None)

    def reject(self) -> None:
        if self._handle is None:  # a deletion under way finishes and is recorded first
            super().reject()


def open_packs_made(parent: QWidget, vault: Vault, tasks: TaskRunner,
                    select: str | None = None) -> PacksMadeDialog | None:
    """Open the list for the unlocked vault (window-modal; deletes itself on close)."""
    try:
        dialog = PacksMadeDialog(vault, tasks, parent, select)
    except Exception as exc:
        show_error(parent, exc, "listing the packs")
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def show_packs_made(parent: QWidget, vault: Vault, tasks: TaskRunner) -> None:
    """The main window's Vault ▸ Packs you made."""
    open_packs_made(parent, vault, tasks)
