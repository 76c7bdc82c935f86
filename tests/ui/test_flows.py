"""One test per numbered flow of the desktop app, each on a real vault in a temporary folder."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QDate, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog

from evidence_kit.core import keys
from evidence_kit.core.errors import WrongPassphrase
from evidence_kit.core.profile import load_profile
from evidence_kit.core.vault import Vault
from evidence_kit.ui.browser import BrowserView
from evidence_kit.ui.dialogs import SettingsDialog
from evidence_kit.ui.items_model import ItemsModel
from evidence_kit.ui.session import AUTOLOCK_SETTING
from evidence_kit.ui.unlock import RecoveryDialog
from evidence_kit.ui.viewer import ItemViewer
from tests.conftest import PASSPHRASE

from .conftest import Prepared, Said, unlock

pytestmark = pytest.mark.gui

NEW_PASSPHRASE = "otter lamp violet quarry"


def _top(kind: type) -> Any:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[-1] if found else None


# ---- 1. first run ----------------------------------------------------------------------


def test_first_run_end_to_end(qtbot: Any, make_app: Any, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "new-vault"
    app = make_app(folder)
    assert app.window.windowTitle() == "Evidence Kit"
    assert app.window.pages.currentWidget() is app.welcome_view
    qtbot.mouseClick(app.welcome_view.create_button, Qt.MouseButton.LeftButton)
    wizard = app.wizard
    assert wizard is not None
    page = wizard.passphrase_page

    qtbot.keyClicks(page.form.first.edit, "short")
    assert "Too short" in page.form.meter.label.text()
    assert not page.isComplete()
    page.form.first.edit.clear()
    qtbot.keyClicks(page.form.first.edit, PASSPHRASE)
    qtbot.keyClicks(page.form.second.edit, PASSPHRASE + "x")
    assert not page.isComplete(), "different passphrases must not be accepted"
    assert "not the same" in page.form.problem.text()
    qtbot.keyClick(page.form.second.edit, Qt.Key.Key_Backspace)
    assert page.isComplete()
    assert page.form.meter.bar.value() >= 3
    qtbot.keyClick(page.form.second.edit, Qt.Key.Key_Return)  # Enter creates the vault

    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=15_000)
    code = wizard.recovery_page.code.text()
    assert re.fullmatch(r"([2-9A-Z]{5}-){5}[2-9A-Z]{5}", code)
    assert (folder / "vault.db").exists() and (folder / "vault.keys").exists()
    assert app.session.is_unlocked
    assert not wizard.recovery_page.isComplete()
    wizard.reject()  # Escape must not lose the code shown once
    assert wizard.isVisible()

    saved = tmp_path / "code.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(saved), "Text files (*.txt)"))
    qtbot.mouseClick(wizard.recovery_page.save_button, Qt.MouseButton.LeftButton)
    assert code in saved.read_text(encoding="utf-8")
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    wizard.recovery_page.confirm.setChecked(True)
    assert wizard.recovery_page.isComplete()
    wizard.next()

    form = wizard.profile_page.form
    qtbot.keyClicks(form.name, "Jo Smith")
    assert form.initials.text() == "JS"
    qtbot.keyClicks(form.role, "Year 6 teacher")
    qtbot.keyClicks(form.school, "Riverside Primary")
    wizard.next()
    table = wizard.contacts_page.editor.table
    assert table.rowCount() >= 7
    table.item(0, 1).setText("Sam Patel")
    table.item(0, 2).setText("01234 567890")
    wizard.accept()
    qtbot.waitUntil(lambda: app.wizard is None)

    assert app.workspace is not None
    assert app.window.pages.currentWidget() is app.workspace.widget
    assert app.autolock.armed
    profile = load_profile(app.session.vault)
    assert (profile.name, profile.initials, profile.school) == ("Jo Smith", "JS",
                                                                "Riverside Primary")
    head = profile.contact("Headteacher")
    assert head is not None and head.name == "Sam Patel"
    app.session.request_lock("user")
    # The code shown is the one that opens the vault.
    keyfile = keys.KeysFile.load(folder / "vault.keys")
    assert len(keyfile.unlock_with_recovery_code(code.lower().replace("-", " "))) == 32


# ---- 2. unlock -----------------------------------------------------------------------


def test_wrong_then_right_passphrase(qtbot: Any, make_app: Any, prepared: Prepared) -> None:
    app = make_app(prepared.folder)
    assert app.window.pages.currentWidget() is app.unlock_view
    assert app.window.windowTitle() == "Evidence Kit"
    assert not app.window.import_action.isEnabled()

    unlock(qtbot, app, "not my passphrase")
    assert not app.session.is_unlocked
    assert app.workspace is None
    assert "not right" in app.unlock_view.message.text()
    assert app.unlock_view.passphrase.edit.hasSelectedText() or \
        app.unlock_view.passphrase.text() == "not my passphrase"

    unlock(qtbot, app)
    assert app.session.is_unlocked
    assert app.window.pages.currentWidget() is app.workspace.widget
    assert app.window.import_action.isEnabled()
    assert app.unlock_view.passphrase.text() == "", "the passphrase must not linger"


def test_recovery_code_sets_a_new_passphrase(qtbot: Any, make_app: Any,
                                             recovery_vault: tuple[Path, str]) -> None:
    folder, code = recovery_vault
    app = make_app(folder)
    qtbot.mouseClick(app.unlock_view.recovery_button, Qt.MouseButton.LeftButton)
    dialog = _top(RecoveryDialog)
    assert dialog is not None
    qtbot.keyClicks(dialog.code, "WRONG-CODE0-00000-00000-00000-00000")
    qtbot.keyClicks(dialog.new_passphrase.first.edit, NEW_PASSPHRASE)
    qtbot.keyClicks(dialog.new_passphrase.second.edit, NEW_PASSPHRASE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=10_000)
    assert "recovery code is not right" in dialog.message.text()
    assert not app.session.is_unlocked

    dialog.code.setText(code.lower().replace("-", " "))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.session.is_unlocked, timeout=10_000)
    assert app.workspace is not None
    app.session.request_lock("user")

    with pytest.raises(WrongPassphrase):
        Vault.open(folder, PASSPHRASE)
    Vault.open(folder, NEW_PASSPHRASE).lock()


# ---- 3. lock and auto-lock ---------------------------------------------------------------


def test_auto_lock_discards_the_evidence_widgets(qtbot: Any, make_app: Any,
                                                 prepared: Prepared) -> None:
    # Long enough that a busy machine still delivers each key press inside it; the loop
    # below still outlasts it several times over.
    app = make_app(prepared.folder, autolock_ms=1_500)
    unlock(qtbot, app)
    workspace = app.workspace
    workspace.open_item(prepared.items["fb0"])
    viewer, browser, model = workspace.viewer, workspace.browser, workspace.model
    assert viewer.image.image_size == (1600, 1000)
    assert app.autolock.armed

    # Activity keeps it open past the timeout.
    for _ in range(8):
        qtbot.wait(400)
        qtbot.keyClick(viewer.note_edit, Qt.Key.Key_Shift)
    assert app.session.is_unlocked

    qtbot.waitUntil(lambda: not app.session.is_unlocked, timeout=5_000)
    assert app.workspace is None
    assert app.window.pages.currentWidget() is app.unlock_view
    assert "not used for a while" in app.unlock_view.message.text()
    qtbot.waitUntil(lambda: not shiboken6.isValid(viewer) and not shiboken6.isValid(browser)
                    and not shiboken6.isValid(model), timeout=2_000)
    assert app.window.findChildren(ItemViewer) == []
    assert app.window.findChildren(BrowserView) == []
    assert all(not isinstance(w, (ItemViewer, BrowserView))
               for w in QApplication.allWidgets())
    assert not workspace.is_open
    assert not app.window.import_action.isEnabled()
    assert not app.autolock.armed


def test_lock_shortcut_and_lock_waits_for_a_write(qtbot: Any, make_app: Any,
                                                  prepared: Prepared) -> None:
    app = make_app(prepared.folder)
    unlock(qtbot, app)
    release = threading.Event()
    app.tasks.run("slow write", lambda _p: release.wait(10), writes=True)
    assert app.session.request_lock("user") is False
    assert app.session.is_unlocked and app.workspace is not None
    release.set()
    qtbot.waitUntil(lambda: not app.session.is_unlocked, timeout=5_000)

    unlock(qtbot, app)
    assert app.session.is_unlocked
    app.window.activateWindow()
    qtbot.keyClick(app.workspace.browser.incidents, Qt.Key.Key_L,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not app.session.is_unlocked, timeout=3_000)


def test_screen_lock_signal_locks(qtbot: Any, make_app: Any, prepared: Prepared) -> None:
    app = make_app(prepared.folder)
    unlock(qtbot, app)
    app.autolock.screen_locked()
    assert not app.session.is_unlocked
    assert "screen locked" in app.unlock_view.message.text()


# ---- 4. browse ---------------------------------------------------------------------------


def test_browse_and_filter(qtbot: Any, make_app: Any, prepared: Prepared) -> None:
    app = make_app(prepared.folder)
    unlock(qtbot, app)
    ws = app.workspace
    b = ws.browser
    def shown() -> int:
        return int(ws.model.matching)

    assert b.incidents.count() == 4  # all, two incidents, not in an incident
    assert shown() == 7
    labels = [b.incidents.item(i).text() for i in range(b.incidents.count())]
    assert labels[1].startswith("Facebook group comments\n3 items · 3 Mar 2026 – 5 Mar 2026")

    b.incidents.setCurrentRow(1)
    assert shown() == 3
    assert b.title.text() == "Facebook group comments"
    assert "parents' group" in b.summary.text()

    b.incidents.setCurrentRow(0)
    qtbot.keyClicks(b.search, "threatening")
    assert shown() == 2
    b.search.clear()
    b.platform.setCurrentIndex(b.platform.findData("Facebook"))
    assert shown() == 3
    b.platform.setCurrentIndex(0)
    b.category.setCurrentIndex(b.category.findData("threat"))
    assert shown() == 2
    b.category.setCurrentIndex(0)
    b.date_from.setDate(QDate(2026, 3, 5))
    b.date_to.setDate(QDate(2026, 3, 8))
    assert shown() == 2  # fb2 on the 5th, ig0 on the 8th
    qtbot.keyClicks(b.search, "nothing like this")
    assert shown() == 0
    assert b.views.currentWidget() is b.empty
    assert "Nothing matches" in b.empty.text()
    b.search.clear()
    b.date_from.setDate(b.date_from.minimumDate())
    b.date_to.setDate(b.date_to.minimumDate())
    assert shown() == 7

    # Sort: newest first by default, oldest first on request.
    first = ws.model.index(0, 0).data(Qt.ItemDataRole.UserRole + 1)
    b.sort.setCurrentIndex(1)
    oldest = ws.model.index(0, 0).data(Qt.ItemDataRole.UserRole + 1)
    assert first.recorded_at > oldest.recorded_at
    assert oldest.id == prepared.items["fb0"]

    # Grid and list show the same rows; the list is keyboard-openable.
    b.list_button.click()
    assert b.views.currentWidget() is b.table
    assert b.table.model().rowCount() == 7
    b.table.setFocus()
    b.table.setCurrentIndex(ws.model.index(0, 0))
    qtbot.keyClick(b.table, Qt.Key.Key_Return)
    assert ws.widget.currentWidget() is ws.viewer
    assert ws.viewer.item is not None and ws.viewer.item.id == prepared.items["fb0"]
    qtbot.keyClick(ws.viewer.back_button, Qt.Key.Key_Escape)
    assert ws.widget.currentWidget() is b
    # Thumbnails come from the vault only when a view paints them.
    assert 0 < ws.model.loaded_thumbnails <= ws.model.rowCount()


def test_thumbnails_load_lazily(qtbot: Any, make_app: Any, prepared: Prepared) -> None:
    app = make_app(prepared.folder)
    asked: list[str] = []
    unlock(qtbot, app)
    model = ItemsModel(lambda sha: asked.append(sha) or None, {})
    model.set_items(app.session.vault.items())
    assert asked == []
    model.index(0, ItemsModel.CARD).data(Qt.ItemDataRole.DecorationRole)
    assert len(asked) == 1


# ---- 5. view ------------------------------------------------------------------------------


def test_viewer_zoom_and_details(qtbot: Any, make_app: Any, prepared: Prepared) -> None:
    app = make_app(prepared.folder)
    app.window.resize(1024, 700)
    unlock(qtbot, app)
    ws = app.workspace
    ws.open_item(prepared.items["fb1"])
    viewer = ws.viewer
    image = viewer.image
    assert image.image_size == (1600, 1000)  # full resolution, not the thumbnail
    fitted = image.zoom
    assert fitted < 1.0
    qtbot.mouseClick(viewer.zoom_in_button, Qt.MouseButton.LeftButton)
    assert image.zoom == pytest.approx(fitted * 1.25)
    wheel = QWheelEvent(QPointF(50, 50), QPointF(50, 50), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(image.viewport(), wheel)
    assert image.zoom == pytest.approx(fitted * 1.25 * 1.25)
    qtbot.mouseClick(viewer.actual_button, Qt.MouseButton.LeftButton)
    assert image.zoom == 1.0
    assert viewer.zoom_label.text() == "100%"
    qtbot.mouseClick(viewer.zoom_out_button, Qt.MouseButton.LeftButton)
    assert image.zoom == pytest.approx(0.8)
    qtbot.mouseClick(viewer.fit_button, Qt.MouseButton.LeftButton)
    assert image.zoom == pytest.approx(fitted, rel=0.05)

    item = app.session.vault.item(prepared.items["fb1"])
    shown = "\n".join(viewer.details.itemAt(i).widget().text()
                      for i in range(viewer.details.count())
                      if viewer.details.itemAt(i).widget() is not None
                      and hasattr(viewer.details.itemAt(i).widget(), "text"))
    for expected in (item.sha256, "Comment number 1", "Concerned Parent",
                     "https://www.facebook.com/groups/parents/posts/1", "Harassment",
                     "Facebook group comments", "2026-03-04T"):
        assert expected in shown

    ws.open_item(prepared.items["mail"])
    assert viewer.preview.currentIndex() == 1
    assert "Subject: Regret" in viewer.text_preview.toPlainText()
    assert "You will regret it." in viewer.text_preview.toPlainText()


# ---- 5b. notes -----------------------------------------------------------------------------


def test_note_adds_an_event(qtbot: Any, make_app: Any, prepared: Prepared) -> None:
    app = make_app(prepared.folder)
    unlock(qtbot, app)
    vault = app.session.vault
    item_id = prepared.items["ig0"]
    before = vault.event_count()
    history_before = len(vault.item_history(item_id))
    ws = app.workspace
    ws.open_item(item_id)
    viewer = ws.viewer
    assert not viewer.note_button.isEnabled()
    qtbot.keyClicks(viewer.note_edit, "Reported to the head, who said she would call the "
                    "parent.")
    viewer.note_edit.insertPlainText(" Écrit aussi en français, 日本語も.")
    qtbot.mouseClick(viewer.note_button, Qt.MouseButton.LeftButton)

    assert vault.event_count() == before + 1
    events = vault.item_history(item_id)
    assert len(events) == history_before + 1
    assert events[-1].type == "note.added"
    assert "日本語も" in vault.notes(item=item_id)[-1].text
    assert viewer.note_edit.toPlainText() == ""
    assert "Reported to the head" in viewer.notes.item(0).text()
    assert "Note added" in viewer.history.item(viewer.history.count() - 1).text()
    # the evidence itself is unchanged
    assert vault.item(item_id).sha256 == app.session.vault.items()[3].sha256


# ---- 6. incidents ---------------------------------------------------------------------------


def test_incidents_create_rename_summary_move(qtbot: Any, make_app: Any, prepared: Prepared,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(prepared.folder)
    unlock(qtbot, app)
    ws = app.workspace
    vault = app.session.vault
    answers = iter(["Voicemails", "Voicemails from the withheld number"])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (next(answers), True))
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *a, **k: ("Three calls in one week.", True))
    app.window.new_incident_action.trigger()
    new = [i for i in vault.incidents() if i.title == "Voicemails"]
    assert new
    assert ws.browser.title.text() == "Voicemails"
    app.window.rename_incident_action.trigger()
    assert vault.incident(new[0].id).title == "Voicemails from the withheld number"
    app.window.summary_action.trigger()
    assert vault.incident(new[0].id).summary == "Three calls in one week."

    monkeypatch.setattr(QInputDialog, "getItem",
                        lambda *a, **k: ("Voicemails from the withheld number", True))
    ws.browser.incidents.setCurrentRow(ws.browser.incidents.count() - 1)  # not in an incident
    ws.browser.list_button.click()
    ws.browser.table.selectRow(0)
    app.window.move_action.trigger()
    assert vault.item(prepared.items["text"]).incident_id == new[0].id
    history = vault.item_history(prepared.items["text"])
    assert history[-1].type == "item.moved"
    types = [e.type for e in vault.events()]
    assert {"incident.created", "incident.renamed", "incident.summary"} <= set(types)


def test_import_runs_off_the_ui_thread(qtbot: Any, make_app: Any, prepared: Prepared,
                                      tmp_path: Path, said: Said) -> None:
    from .conftest import picture

    app = make_app(prepared.folder)
    unlock(qtbot, app)
    ws = app.workspace
    ws.browser.incidents.setCurrentRow(1)
    good = picture(tmp_path / "new.png", (300, 200), "#000", "new")
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"")  # empty: a damaged picture would be kept (issue 12)
    ws.imports.import_paths([good, bad])
    qtbot.waitUntil(lambda: not app.tasks.busy, timeout=10_000)
    qtbot.waitUntil(lambda: bool(said.boxes), timeout=5_000)
    assert "Added 1 file" in said.texts()
    assert "broken.png" in said.texts()
    assert ws.model.matching == 4
    assert len(app.session.vault.items(incident=prepared.incidents["fb"])) == 4


# ---- 7. check the vault ---------------------------------------------------------------------


def test_verify_with_progress(qtbot: Any, make_app: Any, prepared: Prepared) -> None:
    app = make_app(prepared.folder)
    unlock(qtbot, app)
    progress: list[tuple[int, int]] = []
    app.window.verify_action.trigger()
    dialog = app.verify_dialog
    assert dialog is not None and dialog.isVisible()
    original = dialog.show_progress
    dialog.show_progress = lambda d, t: (progress.append((d, t)), original(d, t))  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: app.last_verify is not None, timeout=15_000)
    assert app.last_verify.ok
    assert dialog.headline.text() == "Everything checks out."
    assert "exactly as they were recorded" in dialog.details.text()
    assert dialog.progress.value() == dialog.progress.maximum()


def test_verify_failure_is_explained_in_words() -> None:
    from evidence_kit.core.model import Failure, VerifyReport
    from evidence_kit.ui.messages import verify_words

    report = VerifyReport(10, 3, 1000, 1, "ab" * 32,
                          (Failure(4, "content changed", "The file of item 2 changed."),))
    words = verify_words(report)
    assert not words.ok
    assert "1 problem" in words.headline
    assert "event 4" in words.details and "content changed" in words.details
    assert "backup" in words.next_steps


# ---- 8. settings ----------------------------------------------------------------------------


def test_settings_persist(qtbot: Any, make_app: Any, prepared: Prepared, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch, said: Said) -> None:
    app = make_app(prepared.folder)
    unlock(qtbot, app)
    assert app.autolock.timeout_ms == 5 * 60_000  # the default
    elsewhere = tmp_path / "elsewhere"
    backups = tmp_path / "backups"
    backups.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda parent, caption, *a, **k: str(
                            backups if "backup" in caption else elsewhere))

    def fill() -> None:
        dialog = _top(SettingsDialog)
        assert dialog is not None
        dialog.profile_form.name.setText("Alex Morgan")
        dialog.profile_form.school.setText("Hill Top Academy")
        dialog.contacts.table.item(1, 1).setText("Dana DSL")
        dialog.contacts.table.item(1, 3).setText("dsl@school.example")
        dialog.autolock.setValue(12)
        dialog.location_button.click()
        dialog.backup_button.click()
        qtbot.waitUntil(lambda: any(t == "Backup made" for _k, t, _x in said.boxes),
                        timeout=10_000)
        dialog.accept()

    QTimer.singleShot(0, fill)
    app.window.settings_action.trigger()

    assert app.autolock.timeout_ms == 12 * 60_000
    assert app.config.vault_folder == elsewhere
    assert '"vault_folder"' in (tmp_path / "app.json").read_text(encoding="utf-8")
    backup = next(backups.iterdir())
    app.session.request_lock("user")
    unlock(qtbot, app)
    vault = app.session.vault
    profile = load_profile(vault)
    assert profile.name == "Alex Morgan" and profile.initials == "AM"
    assert profile.school == "Hill Top Academy"
    dsl = profile.contact("Designated")
    assert dsl is not None and dsl.email == "dsl@school.example"
    assert vault.setting(AUTOLOCK_SETTING) == "12"
    assert app.autolock.timeout_ms == 12 * 60_000
    app.session.request_lock("user")
    with Vault.open(backup, PASSPHRASE) as copy:
        assert copy.verify().ok
        assert len(copy.items()) == 7
