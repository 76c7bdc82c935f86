"""Every window by keyboard alone: no Alt+letter used twice, and Tab and Shift+Tab reach
every control and come back round (issue 17). The windows are tests/ui/windows.py's."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDateTimeEdit,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QRadioButton,
    QTabBar,
    QWidget,
)

from tests.ui.windows import State, states

__all__ = ["states"]  # the fixture, shared with the screen-size test

_MNEMONIC = re.compile(r"&(?!&)(\w)")


def mnemonic(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def mnemonics(window: QWidget) -> list[tuple[str, str]]:
    """(letter, where) for every Alt+letter that works in ``window`` as it is shown now."""
    found: list[tuple[str, str]] = []

    def add(text: str, where: str) -> None:
        letter = mnemonic(text)
        if letter:
            found.append((letter, f"{where} {text!r}"))

    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            if action.isVisible():
                add(action.text(), "menu")
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
            continue
        if isinstance(widget, QAbstractButton) and widget.text():
            add(widget.text(), type(widget).__name__)
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text(), "label")
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            add(widget.title(), "group")
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                add(widget.tabText(index), "tab")
    return found


def tab_stops(window: QWidget) -> list[QWidget]:
    """The controls Tab should reach: shown, enabled, taking focus by Tab.

    Of a group of radio buttons only the chosen one is a stop (the arrows move within
    the group, as everywhere else)."""
    stops = []
    for widget in window.findChildren(QWidget):
        if (widget.isVisible() and widget.isEnabled() and widget.window() is window
                and widget.focusProxy() is None
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            if isinstance(widget, QAbstractButton) and not widget.isChecked() and (
                    (isinstance(widget, QRadioButton) and widget.autoExclusive())
                    or (widget.group() is not None and widget.group().exclusive())):
                continue
            stops.append(widget)
    return stops


def describe(widget: QWidget | None) -> str:
    if widget is None:
        return "nothing"
    words = (widget.accessibleName() or getattr(widget, "text", lambda: "")()
             or widget.objectName())
    return f"{type(widget).__name__}({words!r})"


def _next_stop(window: QWidget, widget: QWidget, forward: bool) -> QWidget:
    stops = tab_stops(window)
    step = widget
    while True:
        step = step.nextInFocusChain() if forward else step.previousInFocusChain()
        if step in stops or step is widget:
            step.setFocus(Qt.FocusReason.TabFocusReason)
            return step


def walk(qtbot: Any, window: QWidget, key: Qt.Key, steps: int) -> list[QWidget]:
    """Press ``key`` ``steps`` times from the window's focus; the widgets focus visits."""
    visited: list[QWidget] = []
    for _ in range(steps):
        focus = QApplication.focusWidget()
        assert focus is not None, f"no focus in {window.windowTitle()!r}"
        qtbot.keyClick(focus, key, Qt.KeyboardModifier.ShiftModifier
                       if key == Qt.Key.Key_Backtab else Qt.KeyboardModifier.NoModifier)
        now = QApplication.focusWidget()
        assert not (now is focus and isinstance(now, QDateTimeEdit)), (
            f"{describe(focus)} kept the focus: Tab walked its day, month and year")
        assert now is not None and now.window() is window, (
            f"{describe(focus)} sent the focus out of the window")
        visited.append(now)
    return visited


def check_focus_chain(qtbot: Any, name: str, window: QWidget) -> None:
    stops = tab_stops(window)
    assert stops, name
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and QApplication.focusWidget().window() is window, timeout=3000)
    start = QApplication.focusWidget()
    forward = walk(qtbot, window, Qt.Key.Key_Tab, 3 * len(stops) + 3)
    missed = [describe(w) for w in stops if w not in forward]
    assert not missed, (f"{name}: Tab never reaches {missed}; from {describe(start)} it went "
                        f"{[describe(w) for w in forward[:12]]}")
    assert start in forward, f"{name}: Tab never comes back to {describe(start)}"
    loop = forward[:forward.index(start) + 1]
    start.setFocus(Qt.FocusReason.TabFocusReason)
    backward = walk(qtbot, window, Qt.Key.Key_Backtab, len(loop))
    # Shift+Tab goes back the same way: the same loop, in reverse.
    expected = [start, *loop[:-1]][::-1]
    assert [describe(w) for w in backward] == [describe(w) for w in expected], (
        f"{name}: Shift+Tab does not retrace Tab: Tab went "
        f"{[describe(w) for w in loop]}, Shift+Tab {[describe(w) for w in backward]}")


def test_no_alt_letter_is_used_twice_in_any_window(qtbot: Any, states: list[State]) -> None:
    clashes = []
    for state in states:
        window = state.show()
        found = mnemonics(window)
        counts = Counter(letter for letter, _where in found)
        for letter, count in sorted(counts.items()):
            if count > 1:
                clashes.append(f"{state.name}: Alt+{letter.upper()} for "
                               + ", ".join(w for lt, w in found if lt == letter))
    assert not clashes, "\n".join(clashes)


def test_tab_and_shift_tab_reach_every_control_in_every_window(
        qtbot: Any, states: list[State]) -> None:
    failures = []
    for state in states:
        window = state.show()
        try:
            check_focus_chain(qtbot, state.name, window)
        except AssertionError as exc:
            failures.append(str(exc).split("\nassert")[0])
    assert not failures, "\n".join(failures)


def test_recovery_code_page_has_the_tick_box_in_focus_and_space_ticks_it(
        qtbot: Any, states: list[State]) -> None:
    from evidence_kit.ui.first_run import FirstRunWizard

    state = next(s for s in states if "recovery code" in s.name and "wizard" in s.name)
    wizard = state.show()
    assert isinstance(wizard, FirstRunWizard)
    confirm = wizard.recovery_page.confirm
    qtbot.waitUntil(lambda: QApplication.focusWidget() is confirm, timeout=3000)
    next_button = wizard.button(wizard.WizardButton.NextButton)
    assert not confirm.isChecked() and not next_button.isEnabled()
    qtbot.keyClick(confirm, Qt.Key.Key_Space)
    assert confirm.isChecked() and next_button.isEnabled()


def test_tab_leaves_the_contacts_table_and_typing_edits_a_cell(qtbot: Any) -> None:
    from evidence_kit.ui.profile_forms import ContactsEditor

    editor = ContactsEditor()
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitActive(editor)
    table = editor.table
    table.setFocus()
    table.setCurrentCell(0, 1)
    qtbot.keyClicks(table, "M")  # typing starts editing the cell
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit), timeout=3000)
    cell_editor = QApplication.focusWidget()
    qtbot.keyClicks(cell_editor, "rs Khan")
    # Tab keeps it and moves on; the editor is gone by the key's release.
    qtbot.keyPress(cell_editor, Qt.Key.Key_Tab)
    qtbot.keyRelease(table, Qt.Key.Key_Tab)
    assert table.item(0, 1).text() == "Mrs Khan" and QApplication.focusWidget() is table
    assert (table.currentRow(), table.currentColumn()) == (0, 2)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.add_button
