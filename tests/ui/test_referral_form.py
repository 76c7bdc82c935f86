"""The LADO referral details form, and what the export dialog now does around it: the
form saves one event with what was typed and ticked; the dialog offers it for the LADO,
takes several incidents, and asks for the initials itself when none are set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from evidence_kit.core import referral
from evidence_kit.core.journal import EventType
from evidence_kit.core.profile import Profile, load_profile, save_profile
from evidence_kit.core.referral import Adult, Child, Referral
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export.verify import verify_bundle
from evidence_kit.ui.export_dialog import ExportDialog
from evidence_kit.ui.referral_form import ReferralForm
from evidence_kit.ui.tasks import TaskRunner
from tests.export.conftest import populate

from .conftest import Prepared, unlock

pytestmark = pytest.mark.gui



def _referral_events(vault: Vault) -> list[Any]:
    return [e for e in vault.events() if e.type == EventType.INCIDENT_REFERRAL]


def fill_form(qtbot: Any, form: ReferralForm) -> None:
    """Type and tick as a person does: keys into the fields, clicks on the words."""
    qtbot.keyClicks(form.adult_name, "Mr A  Brown")
    qtbot.keyClicks(form.adult_role, "parent governor")
    qtbot.keyClicks(form.adult_relationship, "a parent of a pupil")
    qtbot.keyClicks(form.child_rows[0].name, "A.B.")
    qtbot.keyClicks(form.child_rows[0].age, "11")
    qtbot.keyClicks(form.child_rows[0].school, "Hillside Academy")
    qtbot.mouseClick(form.add_child_button, Qt.MouseButton.LeftButton)
    assert len(form.child_rows) == 2
    qtbot.waitUntil(form.child_rows[1].name.hasFocus)
    qtbot.keyClicks(form.child_rows[1].name, "C.D.")
    # The first criterion by its words (they wrap, so they are a label), the third by
    # its box.
    qtbot.mouseClick(form.criterion_labels[0], Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    box = form.criteria[2]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


EXPECTED = Referral(Adult("Mr A Brown", "parent governor", "a parent of a pupil"),
                    (Child("A.B.", "11", "Hillside Academy"), Child("C.D.")), (1, 3))


def test_the_form_saves_what_was_typed_and_ticked(qtbot: Any, vault: Vault) -> None:
    incident = vault.create_incident("Posts").id
    form = ReferralForm(vault, incident)
    qtbot.addWidget(form)
    form.show()
    assert form.windowTitle() == "LADO referral details" and "“Posts”" in \
        form.findChildren(type(form.status))[0].text()
    fill_form(qtbot, form)
    saved: list[int] = []
    form.saved.connect(saved.append)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert saved == [incident] and not form.isVisible()
    assert referral.current(vault, incident) == EXPECTED
    assert len(_referral_events(vault)) == 1

    again = ReferralForm(vault, incident)
    qtbot.addWidget(again)
    again.show()
    assert again.adult_name.text() == "Mr A Brown" and len(again.child_rows) == 2
    assert [b.isChecked() for b in again.criteria] == [True, False, True, False]
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    assert len(_referral_events(vault)) == 1  # nothing changed, nothing recorded


def test_bad_input_is_said_in_words_and_nothing_is_lost(qtbot: Any, vault: Vault) -> None:
    incident = vault.create_incident("Posts").id
    form = ReferralForm(vault, incident)
    qtbot.addWidget(form)
    form.show()
    form.adult_name.setText("x" * 501)
    form.adult_role.setText("coach")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible() and form.status.property("error") is True
    assert "longer than 500 characters" in form.status.text()
    assert form.adult_role.text() == "coach"  # what was typed is still there
    assert _referral_events(vault) == []


def _export_dialog(qtbot: Any, vault: Vault, runner: TaskRunner, out: Path,
                   incident: int | None) -> ExportDialog:
    dialog = ExportDialog(vault, runner, vault.incidents(), incident, [], out)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _choose(qtbot: Any, dialog: ExportDialog, recipient: str) -> None:
    button = dialog.recipient_buttons[recipient]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def _tick(qtbot: Any, dialog: ExportDialog, incident: int) -> None:
    """Click the incident's check box in the list, as a person does."""
    listing = dialog.incident_list
    row = next(r for r in range(listing.count())
               if listing.item(r).data(Qt.ItemDataRole.UserRole) == incident)
    rect = listing.visualItemRect(listing.item(row))
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(rect.left() + 10, rect.center().y()))


def test_the_export_dialog_offers_the_referral_form_for_the_lado(
        qtbot: Any, vault: Vault, runner: TaskRunner, tmp_path: Path) -> None:
    incident, _other, _items, _redacted = populate(vault)
    dialog = _export_dialog(qtbot, vault, runner, tmp_path, incident)
    _choose(qtbot, dialog, "slt")
    assert not dialog.referral_offer.isVisible()  # only the LADO's form asks for these
    _choose(qtbot, dialog, "lado")
    assert dialog.referral_offer.isVisible()
    assert "None are saved for “Abuse in the parents' Facebook group”" \
        in dialog.referral_text.text()
    qtbot.mouseClick(dialog.referral_button, Qt.MouseButton.LeftButton)
    form = dialog.referral_form
    assert form.isVisible() and form.incident_id == incident
    fill_form(qtbot, form)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.referral_offer.isVisible())
    assert referral.current(vault, incident) == EXPECTED
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.made is not None, timeout=60_000)
    assert dialog.made is not None and verify_bundle(dialog.made.bundle).ok


def test_several_incidents_and_initials_asked_for_here(
        qtbot: Any, vault: Vault, runner: TaskRunner, tmp_path: Path) -> None:
    save_profile(vault, Profile(name="Jane Smith", role="Teacher"))  # no initials
    first = vault.create_incident("Comments on the school page").id
    second = vault.create_incident("Direct messages").id
    for n, incident in enumerate((first, second, first)):
        vault.add_item(NewItem(data=f"message {n}\n".encode(), name=f"m{n}.txt",
                               media_type="text/plain", incident=incident))
    assert vault.exhibit_marks() == {}  # nothing could be marked without initials
    dialog = _export_dialog(qtbot, vault, runner, tmp_path / "packs", first)
    assert dialog.asking_initials and dialog.initials_box.isVisible()
    assert dialog.initials.text() == "JS"  # suggested from the name
    assert "JS/1, JS/2" in dialog.initials_hint.text()
    assert "never changes" in dialog.initials_hint.text()
    _tick(qtbot, dialog, second)
    assert dialog.ticked_incidents() == [first, second]
    _choose(qtbot, dialog, "police")
    dialog.initials.clear()
    qtbot.keyClicks(dialog.initials, "j5")
    assert not dialog.make_button.isEnabled()
    assert "Type your initials" in dialog.status.text()
    dialog.initials.clear()
    qtbot.keyClicks(dialog.initials, "jsm")
    assert "JSM/1" in dialog.initials_hint.text()
    assert dialog.make_button.isEnabled()
    request = dialog.request()
    assert request.incidents == (first, second) and request.incident is None
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert load_profile(vault).initials == "JSM" and load_profile(vault).name == "Jane Smith"
    assert not dialog.initials_box.isVisible()
    qtbot.waitUntil(lambda: dialog.made is not None, timeout=60_000)
    made = dialog.made
    assert made is not None and verify_bundle(made.bundle).ok
    marks = vault.exhibit_marks()
    assert sorted(m.mark for m in marks.values()) == ["JSM/1", "JSM/2", "JSM/3"]
    assert made.exhibits == 3


def test_the_incident_menu_opens_the_form(qtbot: Any, make_app: Any, prepared: Prepared,
                                          said: Any) -> None:
    app = make_app(prepared.folder)
    unlock(qtbot, app)
    assert app.window.referral_action in app.window.incident_menu.actions()
    app.workspace.reload(select=prepared.incidents["ig"])
    app.window.referral_action.trigger()
    form = next(w for w in QApplication.topLevelWidgets()
                if isinstance(w, ReferralForm) and w.isVisible())
    assert form.incident_id == prepared.incidents["ig"]
    form.reject()
    app.workspace.reload(select="all")
    app.window.referral_action.trigger()
    assert "Choose an incident" in said.texts()
