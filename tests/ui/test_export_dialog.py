"""The export dialog on a real vault: a pack the recipient's check accepts, the export
recorded, stopping halfway leaving nothing behind, failures in words."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import Vault
from evidence_kit.export.verify import verify_bundle
from evidence_kit.ui import export_dialog
from evidence_kit.ui.export_dialog import ExportDialog
from evidence_kit.ui.tasks import TaskRunner
from tests.conftest import PASSPHRASE
from tests.export.conftest import populate

from .conftest import Prepared, unlock

pytestmark = pytest.mark.gui



def _dialog(qtbot: Any, vault: Vault, runner: TaskRunner, out: Path, incident: int | None,
            selected: list[int] | None = None) -> ExportDialog:
    dialog = ExportDialog(vault, runner, vault.incidents(), incident,
                          [vault.item(i) for i in selected or []], out)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _choose(qtbot: Any, dialog: ExportDialog, recipient: str) -> None:
    """Click the radio button's own circle (a click past its words does nothing)."""
    button = dialog.recipient_buttons[recipient]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert dialog.recipient == recipient


def _exports(vault: Vault) -> list[Any]:
    return [e for e in vault.events() if e.type == "export.started"]


def test_export_makes_a_pack_that_verifies_and_is_recorded(
        qtbot: Any, vault: Vault, runner: TaskRunner, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    incident, _other, _items, _redacted = populate(vault)
    out = tmp_path / "packs"
    dialog = _dialog(qtbot, vault, runner, out, incident)
    assert dialog.whole_incident.isChecked()
    assert not dialog.make_button.isEnabled()  # nobody chosen yet: the pack depends on it
    assert "Choose who" in dialog.status.text()
    assert not dialog.include_originals.isEnabled()
    _choose(qtbot, dialog, "police")
    assert dialog.include_originals.isEnabled()
    dialog.marking.setText("OFFICIAL-SENSITIVE  PERSONAL")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert dialog.running and not dialog.form_page.isEnabled()
    qtbot.waitUntil(lambda: dialog.made is not None, timeout=60_000)

    made = dialog.made
    assert made is not None
    assert made.pdf.parent == out and made.bundle.parent == out
    report = verify_bundle(made.bundle)
    assert report.ok, report.text()
    assert report.pack == made.pack_id
    events = _exports(vault)
    assert len(events) == 1 and events[0].seq == made.started_seq
    assert events[0].payload["for"] == "police"
    assert events[0].payload["marking"] == "OFFICIAL-SENSITIVE PERSONAL"
    assert {f["sha256"] for f in events[0].payload["files"]} == {made.pdf_sha256,
                                                               made.bundle_sha256}
    # The result: both files with their fingerprints, and the folder one click away.
    assert dialog.pages.currentIndex() == 1
    assert made.pdf_sha256 in dialog.pdf_row.fingerprint.text()
    assert made.bundle_sha256 in dialog.zip_row.fingerprint.text()
    assert f"event {made.event_seq}" in dialog.result_text.text()
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert [Path(u.toLocalFile()) for u in opened] == [out]
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    clipboard = QGuiApplication.clipboard().text()
    assert made.pdf_sha256 in clipboard and made.bundle.name in clipboard
    assert vault.setting(export_dialog.FOLDER_SETTING) == str(out)


def test_selected_items_only(qtbot: Any, vault: Vault, runner: TaskRunner,
                             tmp_path: Path) -> None:
    incident, _other, items, redacted = populate(vault)
    # A redacted copy chosen in the list stands for its original, shown redacted.
    dialog = _dialog(qtbot, vault, runner, tmp_path, incident,
                     [items["polish"], redacted, items["email"]])
    assert dialog.selected_items.isChecked()
    assert "3 items" in dialog.selected_items.text()
    _choose(qtbot, dialog, "slt")
    request = dialog.request()
    assert request.incident is None
    assert set(request.items) == {items["polish"], items["arabic"], items["email"]}
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.made is not None, timeout=60_000)
    assert dialog.made is not None and dialog.made.exhibits == 3
    assert verify_bundle(dialog.made.bundle).ok


def test_stopping_an_export_leaves_nothing(qtbot: Any, vault: Vault, runner: TaskRunner,
                                           tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    incident, _other, _items, _redacted = populate(vault)
    real = export_dialog.export_pack
    gate = threading.Event()

    def held(vault: Vault, request: Any, out: Path, progress: Any) -> Any:
        def wait_then_report(done: int, total: int, what: str) -> None:
            gate.wait(20)
            progress(done, total, what)
        return real(vault, request, out, wait_then_report)

    monkeypatch.setattr(export_dialog, "export_pack", held)
    out = tmp_path / "packs"
    dialog = _dialog(qtbot, vault, runner, out, incident)
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    _choose(qtbot, dialog, "lado")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert dialog.running
    dialog.reject()  # Cancel while it runs: asks it to stop, stays open until it has
    assert dialog.isVisible() and dialog.status.text() == "Stopping…"
    gate.set()
    qtbot.waitUntil(lambda: bool(closed), timeout=30_000)
    assert not dialog.running
    assert list(out.iterdir()) == []  # no PDF, no ZIP, no staging folder
    assert _exports(vault) == []


def test_a_failure_is_said_in_words(qtbot: Any, vault: Vault, runner: TaskRunner,
                                    tmp_path: Path) -> None:
    incident, _other, _items, _redacted = populate(vault)
    not_a_folder = tmp_path / "a-file.txt"
    not_a_folder.write_text("x")
    dialog = _dialog(qtbot, vault, runner, not_a_folder, incident)
    _choose(qtbot, dialog, "slt")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert "is a file" in dialog.status.text()
    assert dialog.status.property("error") is True
    assert dialog.form_page.isEnabled() and dialog.make_button.isEnabled()
    assert _exports(vault) == []


# ---- from the app ----------------------------------------------------------------------


def test_export_from_the_app_menu(qtbot: Any, make_app: Any, prepared: Prepared) -> None:
    from PySide6.QtWidgets import QApplication

    with Vault.open(prepared.folder, PASSPHRASE) as opened:
        save_profile(opened, Profile(name="Jo Smith", initials="JS"))
    app = make_app(prepared.folder)
    assert not app.window.export_action.isEnabled()  # locked: there is nothing to export
    unlock(qtbot, app)
    assert app.window.export_action.isEnabled()
    app.workspace.reload(select=prepared.incidents["fb"])
    app.window.export_action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, ExportDialog) and w.isVisible())
    assert dialog.whole_incident.isChecked()
    assert dialog.ticked_incidents() == [prepared.incidents["fb"]]
    dialog.folder.setText(str(prepared.folder.parent / "packs"))
    _choose(qtbot, dialog, "slt")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.made is not None, timeout=60_000)
    assert dialog.made is not None and dialog.made.exhibits == 3
    assert verify_bundle(dialog.made.bundle).ok
    assert _exports(app.session.vault)[-1].payload["for"] == "slt"
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Close),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_locking_during_an_export_stops_it(qtbot: Any, make_app: Any, prepared: Prepared,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QApplication

    real = export_dialog.export_pack
    gate = threading.Event()

    def held(vault: Vault, request: Any, out: Path, progress: Any) -> Any:
        def wait_then_report(done: int, total: int, what: str) -> None:
            gate.wait(20)
            progress(done, total, what)
        return real(vault, request, out, wait_then_report)

    monkeypatch.setattr(export_dialog, "export_pack", held)
    app = make_app(prepared.folder)
    unlock(qtbot, app)
    app.workspace.reload(select=prepared.incidents["ig"])
    app.window.export_action.trigger()
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, ExportDialog) and w.isVisible())
    out = prepared.folder.parent / "packs"
    dialog.folder.setText(str(out))
    _choose(qtbot, dialog, "police")
    assert dialog.asking_initials  # none set in this vault: asked for here
    dialog.initials.setText("JS")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert app.session.request_lock("user") is False  # waits for the export to stop
    gate.set()
    qtbot.waitUntil(lambda: not app.session.is_unlocked, timeout=30_000)
    assert not any(isinstance(w, ExportDialog) and w.isVisible()
                   for w in QApplication.topLevelWidgets())
    assert not out.exists() or list(out.iterdir()) == []
    with Vault.open(prepared.folder, PASSPHRASE) as vault:
        assert _exports(vault) == []
