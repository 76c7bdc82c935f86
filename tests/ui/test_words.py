"""Plain words in the app (issue 17): categories, hints, counts, the status bar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem

from evidence_kit.ui.category_box import TWO_LINES, fill_categories
from evidence_kit.ui.controller import AppController
from evidence_kit.ui.profile_forms import ProfileForm
from tests.ui.conftest import Prepared, unlock


def test_categories_plain_name_first_and_the_policy_code_as_a_second_line(qtbot: Any) -> None:
    combo = QComboBox()
    qtbot.addWidget(combo)
    fill_categories(combo, "(none)")
    assert combo.itemText(1) == "Threat"
    row = combo.findData("contact-aggressive")
    assert combo.itemText(row) == "Bullying, harassing or stalking me"
    assert combo.itemData(row, TWO_LINES) == ("Bullying, harassing or stalking me\n"
                                             "Contact: aggressive")
    assert combo.itemData(1, TWO_LINES) is None  # a plain kind has no grid name
    option = QStyleOptionViewItem()
    delegate = combo.itemDelegate()
    delegate.initStyleOption(option, combo.model().index(row, 0))  # type: ignore[attr-defined]
    assert option.text.splitlines() == ["Bullying, harassing or stalking me",  # type: ignore[attr-defined]
                                        "Contact: aggressive"]
    assert combo.itemData(row, Qt.ItemDataRole.ToolTipRole).startswith("You are being")


def test_the_initials_hint_shows_the_users_own_marks(qtbot: Any) -> None:
    form = ProfileForm()
    qtbot.addWidget(form)
    assert "becomes JS/1, the next JS/2" in form.initials_hint.text()
    qtbot.keyClicks(form.name, "Priya Khan")
    assert form.initials.text() == "PK"
    assert "becomes PK/1, the next PK/2" in form.initials_hint.text()


def test_no_locked_before_a_vault_and_the_empty_list_says_how_to_capture(
        qtbot: Any, make_app: Callable[..., AppController], tmp_path: Path,
        prepared: Prepared) -> None:
    fresh = make_app(tmp_path / "none yet")
    assert fresh.window.state_label.text() == ""
    app = make_app(prepared.folder)
    assert app.window.state_label.text() == "Locked"
    unlock(qtbot, app)
    assert "locks after 5 minutes unused" in app.window.state_label.text()
    assert app.workspace is not None
    app.workspace._current = object()  # an incident of its own, with nothing in it
    words = app.workspace._empty_text()
    assert "Nothing in this incident" in words
    from evidence_kit.ui.incident_list import IncidentList
    app.workspace._current = IncidentList.ALL
    words = app.workspace._empty_text()
    assert words.startswith("No evidence yet. To capture what is on the screen now, press "
                            "Capture")
    assert "Import files" in words


def test_counts_say_one_item_not_all_one_items(qtbot: Any, make_app: Any,
                                               prepared: Prepared) -> None:
    app = make_app(prepared.folder)
    unlock(qtbot, app)
    assert app.workspace is not None
    browser = app.workspace.browser
    browser.show_count(1, 1, "")
    assert browser.count.text() == "Showing 1 item"
    browser.show_count(6, 6, "")
    assert browser.count.text() == "Showing all 6 items"
    browser.show_count(1, 6, "")
    assert browser.count.text() == "Showing 1 of 6 items"
