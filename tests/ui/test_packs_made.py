"""Vault ▸ Packs you made: every pack listed from the journal, and deleting a handed-over
pack's files after asking, on a real vault with real packs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from evidence_kit.core import exports
from evidence_kit.core.journal import EventType
from evidence_kit.core.vault import Vault
from evidence_kit.ui.export_dialog import ExportDialog
from evidence_kit.ui.main_window import MainWindow
from evidence_kit.ui.packs_made import PacksMadeDialog
from evidence_kit.ui.tasks import TaskRunner
from tests.conftest import in_zone
from tests.core.test_exports import make_pack

pytestmark = pytest.mark.gui



def _dialog(qtbot: Any, vault: Vault, runner: TaskRunner,
            select: str | None = None) -> PacksMadeDialog:
    dialog = PacksMadeDialog(vault, runner, None, select)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _answer(qtbot: Any, dialog: PacksMadeDialog, button_text: str) -> str:
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    box: QMessageBox = dialog._confirm_box
    qtbot.waitUntil(box.isVisible)
    asked = box.text()
    chosen = next(b for b in box.buttons() if b.text().replace("&", "") == button_text)
    qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
    return asked


def test_the_list_shows_when_whom_where_and_whether_the_files_are_there(
        qtbot: Any, vault: Vault, runner: TaskRunner, tmp_path: Path) -> None:
    first = make_pack(vault, tmp_path / "slt")
    second = make_pack(vault, tmp_path / "police", "police")
    second.pdf.unlink()
    with in_zone("Europe/London"):
        dialog = _dialog(qtbot, vault, runner, first.pack_id)
        rows = [[dialog.table.topLevelItem(r).text(c) for c in range(4)]
                for r in range(dialog.table.topLevelItemCount())]
        details = dialog.details.text()
    assert [r[1:] for r in rows] == [["SLT", first.pack_id, "Still there"],
                                     ["the police", second.pack_id, "Only one is there"]]
    assert "GMT" in rows[0][0] or "BST" in rows[0][0]
    assert f"Saved in: {first.pdf.parent}" in details
    assert first.pdf.name in details and first.bundle.name in details
    assert " UTC)" in details and ("GMT" in details or "BST" in details)
    assert dialog.delete_button.isEnabled()


def test_deleting_asks_first_says_what_it_cannot_guarantee_and_records_it(
        qtbot: Any, vault: Vault, runner: TaskRunner, tmp_path: Path) -> None:
    made = make_pack(vault, tmp_path / "packs")
    (made.pdf.parent / "keep-me.txt").write_text("mine")
    dialog = _dialog(qtbot, vault, runner)
    asked = _answer(qtbot, dialog, "Keep them")
    assert "copies may remain until the space is reused" in " ".join(asked.split())
    assert made.pdf.name in asked and made.bundle.name in asked
    assert made.pdf.exists() and made.bundle.exists()
    _answer(qtbot, dialog, "Delete the files")
    qtbot.waitUntil(lambda: "Deleted" in dialog.status.text(), timeout=30_000)
    assert sorted(p.name for p in made.pdf.parent.iterdir()) == ["keep-me.txt"]
    assert dialog.table.topLevelItem(0).text(3) == "Deleted"
    assert not dialog.delete_button.isEnabled()
    deleted = [e for e in vault.events() if e.type == EventType.EXPORT_FILES_DELETED]
    assert [e.payload["pack"] for e in deleted] == [made.pack_id]


def test_an_export_that_never_published_is_shown_as_such_with_nothing_to_delete(
        qtbot: Any, vault: Vault, runner: TaskRunner, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    made = make_pack(vault, tmp_path / "packs")
    made.pdf.unlink()
    made.bundle.unlink()
    # What a kill between recording and publishing leaves: no confirmation, no files.
    events = [e for e in vault.events() if e.type != EventType.EXPORT_MADE]
    monkeypatch.setattr(vault, "exports", lambda: exports.states(
        events, {made.pack_id: os.fsdecode(made.pdf.parent)}))
    dialog = _dialog(qtbot, vault, runner)
    assert dialog.table.topLevelItem(0).text(3) == "Never published"
    assert "Started but never published" in dialog.details.text()
    assert not dialog.delete_button.isEnabled()


def test_reached_from_the_vault_menu_and_from_the_finished_export(
        qtbot: Any, vault: Vault, runner: TaskRunner, tmp_path: Path) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.packs_action in window.vault_menu.actions()
    assert window.packs_action.text().replace("&", "") == "Packs you made…"
    made = make_pack(vault, tmp_path / "packs")
    export = ExportDialog(vault, runner, vault.incidents(), 1, [], tmp_path / "packs")
    qtbot.addWidget(export)
    export.made = made
    export.show_result(made)
    export.show()
    assert "Vault ▸ Packs you made" in export.result_text.text()
    qtbot.mouseClick(export.packs_button, Qt.MouseButton.LeftButton)
    opened = export.findChild(PacksMadeDialog)
    assert opened is not None
    qtbot.waitUntil(opened.isVisible)
    assert opened.current is not None and opened.current.pack == made.pack_id
    opened.close()
