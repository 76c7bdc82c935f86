"""Passphrase fields: a field with show/hide, a strength meter, and the new-passphrase form.

The strength estimate is a rough guide (character pool × length, less for repeats,
sequences and well-known passwords); it never sees the passphrase leave this process.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.settings import MIN_PASSPHRASE_CHARS

_COMMON = (
    "password", "passw0rd", "123456", "qwerty", "letmein", "welcome", "iloveyou", "admin",
    "abc123", "monkey", "dragon", "football", "baseball", "sunshine", "princess", "school",
    "teacher", "azerty", "trustno1", "changeme",
)
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm")


@dataclass(frozen=True)
class Strength:
    score: int  # 0 (very weak) … 4 (very strong)
    label: str
    advice: str
    bits: float

    @property
    def acceptable(self) -> bool:
        return self.score >= 2


LABELS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")


def estimate(passphrase: str) -> Strength:
    """A rough strength for the meter; acceptable from 'Fair' (about 50 bits) up."""
    if not passphrase:
        return Strength(0, "", "Four or more unrelated words make a good passphrase.", 0.0)
    pool = 0
    if any(c.islower() for c in passphrase):
        pool += 26
    if any(c.isupper() for c in passphrase):
        pool += 26
    if any(c.isdigit() for c in passphrase):
        pool += 10
    if any(c == " " for c in passphrase):
        pool += 1
    if any(not c.isalnum() and c != " " and ord(c) < 128 for c in passphrase):
        pool += 33
    if any(ord(c) >= 128 for c in passphrase):
        pool += 100
    # Repeated characters add little: count each character's repeats at a third.
    effective = 0.0
    seen: dict[str, int] = {}
    for ch in passphrase:
        seen[ch] = seen.get(ch, 0) + 1
        effective += 1.0 if seen[ch] <= 2 else 1 / 3
    lowered = passphrase.lower()
    for word in _COMMON:
        if word in lowered:
            effective -= len(word) * 0.75
    for seq in _SEQUENCES:
        for size in range(4, len(seq) + 1):
            for start in range(0, len(seq) - size + 1):
                if seq[start:start + size] in lowered:
                    effective -= size * 0.5
                    break
            else:
                continue
            break
    bits = max(0.0, effective) * math.log2(max(pool, 2))
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        return Strength(0, "Too short",
                        f"Use at least {MIN_PASSPHRASE_CHARS} characters; four or more unrelated "
                        "words are easy to remember and hard to guess.", bits)
    score = 0 if bits < 30 else 1 if bits < 50 else 2 if bits < 70 else 3 if bits < 90 else 4
    advice = {
        0: "This would be guessed quickly. Add more unrelated words.",
        1: "Still easy to guess. Add another word or two.",
        2: "Good enough. Another word would make it stronger.",
        3: "A strong passphrase.",
        4: "A very strong passphrase.",
    }[score]
    return Strength(score, LABELS[score], advice, bits)


class PassphraseField(QWidget):
    """A password-style line edit with a Show/Hide button."""

    textChanged = Signal(str)
    returnPressed = Signal()

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(accessible_name)
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhHiddenText
                                      | Qt.InputMethodHint.ImhNoPredictiveText
                                      | Qt.InputMethodHint.ImhSensitiveData)
        self.edit.setMinimumWidth(260)
        self.toggle = QToolButton(self)
        self.toggle.setText("Show")
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName(f"Show {accessible_name.lower()}")
        self.toggle.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.toggle.toggled.connect(self._toggled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.toggle)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self.textChanged)
        self.edit.returnPressed.connect(self.returnPressed)

    def _toggled(self, shown: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.toggle.setText("Hide" if shown else "Show")

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def clear(self) -> None:
        self.edit.clear()


class StrengthMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.bar.setAccessibleName("Passphrase strength")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self.show_strength(estimate(""))

    def show_strength(self, strength: Strength) -> None:
        self.bar.setValue(strength.score if strength.label else 0)
        colour = ("#b3261e", "#b3261e", "#a15c00", "#2e7d32", "#1b5e20")[strength.score]
        self.bar.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}")
        said = f"<b>{strength.label}.</b> " if strength.label else ""
        self.label.setText(f"{said}{strength.advice}")
        self.bar.setAccessibleDescription(f"{strength.label}. {strength.advice}".lstrip(". "))


class NewPassphraseForm(QWidget):
    """New passphrase, its strength, and the same typed again. Emits ``validityChanged``."""

    validityChanged = Signal(bool)
    submitted = Signal()

    def __init__(self, parent: QWidget | None = None, label: str = "New passphrase") -> None:
        super().__init__(parent)
        self.first = PassphraseField(label, self)
        self.meter = StrengthMeter(self)
        self.second = PassphraseField("Type it again", self)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        first_label = QLabel(f"&{label}:", self)
        first_label.setBuddy(self.first.edit)
        second_label = QLabel("Type it &again:", self)
        second_label.setBuddy(self.second.edit)
        form.addRow(first_label, self.first)
        form.addRow("", self.meter)
        form.addRow(second_label, self.second)
        # Across the whole form, not squeezed into the field column beside an empty label.
        form.addRow(self.problem)
        self.setTabOrder(self.first.edit, self.first.toggle)
        self.setTabOrder(self.first.toggle, self.second.edit)
        self.setTabOrder(self.second.edit, self.second.toggle)
        self.setFocusProxy(self.first)
        self._valid = False
        self.first.textChanged.connect(self._changed)
        self.second.textChanged.connect(self._changed)
        self.second.returnPressed.connect(self._maybe_submit)
        self._changed()

    def _changed(self) -> None:
        strength = estimate(self.first.text())
        self.meter.show_strength(strength)
        problem = ""
        if self.second.text() and self.second.text() != self.first.text():
            problem = "The two passphrases are not the same yet."
        self.problem.setText(problem)
        valid = strength.acceptable and self.first.text() == self.second.text()
        if valid != self._valid:
            self._valid = valid
            self.validityChanged.emit(valid)

    def _maybe_submit(self) -> None:
        if self._valid:
            self.submitted.emit()

    @property
    def valid(self) -> bool:
        return self._valid

    def passphrase(self) -> str:
        return self.first.text()

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()
