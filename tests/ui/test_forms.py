"""The forms keep what was typed: the date field hands Tab on, dates are checked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLineEdit, QMessageBox, QWidget

from evidence_kit.core.actions import ACTION_KINDS
from evidence_kit.ui.date_field import DateField
from evidence_kit.ui.tracking import RecordActionDialog

NOW = dt.datetime(2026, 2, 10, 9, 30, tzinfo=dt.UTC)
PLATFORM = next(k for k in ACTION_KINDS if k.id == "reported-platform")


def _dialog(qtbot: Any) -> RecordActionDialog:
    dialog = RecordActionDialog(PLATFORM, NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def test_tab_leaves_the_date_and_the_next_field_gets_the_text(qtbot: Any) -> None:
    dialog = _dialog(qtbot)
    before = dialog.when.dateTime()
    dialog.when.setFocus()
    qtbot.waitUntil(dialog.when.hasFocus)
    qtbot.keyClick(dialog.when, Qt.Key.Key_Tab)
    first = next(iter(dialog.edits.values()))
    assert QApplication.focusWidget() is first
    qtbot.keyClicks(QApplication.focusWidget(), "Report ref 8841")
    assert first.text() == "Report ref 8841"
    assert dialog.when.dateTime() == before  # nothing typed into the date
    qtbot.keyClick(first, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is dialog.when
    happened, details = dialog.result_values()
    assert happened.startswith("2026-02-10") and "Report ref 8841" in details.values()


def test_the_date_filter_hands_tab_on_too(qtbot: Any) -> None:
    box = QWidget()
    qtbot.addWidget(box)
    date = DateField(box)
    date.setDate(QDate(2026, 1, 5))
    after = QLineEdit(box)
    layout = QHBoxLayout(box)
    layout.addWidget(date)
    layout.addWidget(after)
    box.show()
    qtbot.waitExposed(box)
    box.activateWindow()
    date.setFocus()
    qtbot.waitUntil(date.hasFocus)
    qtbot.keyClick(date, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "42")
    assert after.text() == "42"
    assert date.date() == QDate(2026, 1, 5)


def test_a_date_in_the_future_is_refused_in_words(qtbot: Any) -> None:
    dialog = _dialog(qtbot)
    dialog.when.setDateTime(QDateTime(2026, 3, 1, 10, 0, 0))
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.isVisible()  # not saved
    assert dialog.date_error.isVisible()
    assert "in the future" in dialog.date_error.text()
    dialog.when.setDateTime(QDateTime(2026, 2, 9, 10, 0, 0))
    assert not dialog.date_error.isVisible()
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.result() == RecordActionDialog.DialogCode.Accepted


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No,
                                    QMessageBox.StandardButton.Yes])
def test_a_date_far_back_is_asked_about(qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                        answer: QMessageBox.StandardButton) -> None:
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_a: Any) -> Any:
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = _dialog(qtbot)
    dialog.when.setDateTime(QDateTime(2024, 2, 1, 10, 0, 0))
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert asked and "1 February 2024 is more than a year ago" in asked[0]
    assert dialog.isVisible() == (answer == QMessageBox.StandardButton.No)
