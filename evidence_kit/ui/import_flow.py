"""Importing files and folders into the vault: choose them (or drop them), then one task.

:class:`ImportFlow` runs :func:`evidence_kit.intake.import_files` on the task runner,
with a progress dialog over the window, into the incident the browser shows (or the one
the files were dropped on), and reloads the workspace when it is done.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from evidence_kit.ui.messages import show_error
from evidence_kit.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from evidence_kit.ui.workspace import WorkspaceController

CURRENT = object()
"""Import into the incident the browser shows (the default)."""


class ImportFlow(QObject):
    def __init__(self, workspace: WorkspaceController, tasks: TaskRunner,
                 window: QWidget) -> None:
        super().__init__(workspace)
        self.workspace = workspace
        self.tasks = tasks
        self.window = window
        workspace.browser.incidents.files_dropped.connect(self._dropped_on_incident)

    def import_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self.window, "Import files into the vault", str(Path.home()))
        if not paths or not self.workspace.is_open:
            return
        self.import_paths([Path(p) for p in paths])

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.window, "Import every file in a folder", str(Path.home()))
        if not folder or not self.workspace.is_open:
            return
        self.import_paths([Path(folder)])

    def _dropped_on_incident(self, paths: list[Path], key: object) -> None:
        incident = key if isinstance(key, int) else None
        self.import_paths(paths, incident=incident)

    def import_paths(self, paths: list[Path], *, incident: object = CURRENT) -> None:
        from evidence_kit.intake import ImportOptions, import_files

        ws = self.workspace
        vault = ws.vault
        target = ws.current_incident() if incident is CURRENT else incident
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

        def close_progress() -> None:
            progress.close()
            progress.deleteLater()

        def done(result: Any) -> None:
            close_progress()
            if ws.is_open:
                ws.reload(select=options.incident)
                added, problems = len(result.added), result.problems
                lines = [f"Added {added} file{'s' if added != 1 else ''} to the vault."]
                if problems:
                    lines.append("")
                    lines.append(f"{len(problems)} could not be added:")
                    lines.extend(f"• {p.message}" for p in problems[:10])
                    QMessageBox.warning(self.window, "Import files", "\n".join(lines))
                else:
                    ws.status.emit(lines[0])

        def failed(exc: BaseException) -> None:
            close_progress()
            if ws.is_open:
                ws.reload()
                show_error(self.window, exc, "importing files")

        # The progress dialog is the context: once it is gone (its window was deleted
        # at quit) there is no one to report to; the import itself always finishes.
        self.tasks.run("import", work, on_done=done, on_error=failed,
                       on_progress=lambda d, _t: progress.setValue(d), writes=True,
                       context=progress)
