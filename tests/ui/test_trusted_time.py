"""Trusted time in the app: off by default, turned on in Settings with a chosen authority,
stamped off the UI thread; the check result shows what the token proves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from evidence_kit.core import keys, timestamps
from evidence_kit.ui.messages import verify_words
from evidence_kit.ui.session import VaultSession
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.trusted_time import AddAuthorityDialog, TrustedTimeDrainer, TrustedTimePanel
from tests.conftest import PASSPHRASE
from tests.tsa import NEEDS_OPENSSL, Tsa, running_tsa

pytestmark = NEEDS_OPENSSL


@pytest.fixture
def tsa(tmp_path: Path) -> Iterator[Tsa]:
    yield from running_tsa(tmp_path / "tsa")


@pytest.fixture
def session(qapp: Any, qtbot: Any, recovery_vault: tuple[Path, str]) -> Iterator[Any]:
    runner = TaskRunner()
    made = VaultSession(recovery_vault[0], runner, kdf=lambda: keys.FLOOR_PARAMS)
    made.drainer = TrustedTimeDrainer(made, runner)
    with qtbot.waitSignal(made.unlocked, timeout=15_000):
        made.unlock(PASSPHRASE, lambda exc: None)
    yield made
    runner.wait(20_000)
    made.request_lock("quit")


def test_off_by_default_then_on_with_a_chosen_authority(qtbot: Any, session: Any, tsa: Tsa,
                                                        tmp_path: Path,
                                                        monkeypatch: Any) -> None:
    panel = TrustedTimePanel(session, session.drainer)
    qtbot.addWidget(panel)
    assert not panel.on.isChecked() and not panel.on.isEnabled()
    shown = " ".join(label.text() for label in panel.findChildren(type(panel.status)))
    assert "only the checkpoint's SHA-256 hash" in shown and "device times" in shown
    root = tmp_path / "root.pem"
    root.write_text(tsa.root_pem, encoding="ascii")

    def choose(dialog: AddAuthorityDialog) -> int:
        dialog.choice.setCurrentIndex(dialog.choice.count() - 1)  # "Another authority…"
        dialog.name.setText("Test TSA")
        dialog.url.setText(tsa.url)
        dialog.root_path.setText(str(root))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(AddAuthorityDialog, "exec", choose)
    panel.add_button.click()
    assert timestamps.authorities(session.vault)[0].name == "Test TSA"
    assert panel.on.isEnabled() and not panel.on.isChecked()
    assert timestamps.pending(session.vault) == []  # adding one contacts nobody
    with qtbot.waitSignal(session.drainer.drained, timeout=20_000) as drained:
        panel.on.setChecked(True)
    assert drained.args[0].stamped and not drained.args[0].problems
    assert "kept: 1 token" in panel.status.text()
    assert "existed by" in panel.status.text() and "according to Test TSA" in (
        panel.status.text())
    words = verify_words(session.vault.verify())
    assert words.ok and "Trusted time: the journal up to event" in words.details


def test_the_suggestions_contact_no_one_and_say_where_roots_come_from(qtbot: Any) -> None:
    dialog = AddAuthorityDialog()
    qtbot.addWidget(dialog)
    seen = [dialog.choice.itemText(i) for i in range(dialog.choice.count())]
    assert any("FreeTSA" in t for t in seen) and any("DigiCert" in t for t in seen)
    assert any("Sectigo" in t for t in seen)
    dialog.choice.setCurrentIndex(0)  # FreeTSA: the user gives the root
    assert dialog.root_path.isEnabled() and "cacert.pem" in dialog.note.text()
    dialog.choice.setCurrentIndex(1)  # DigiCert: the root ships with Evidence Kit
    assert not dialog.root_path.isEnabled()
    assert dialog.authority().roots()
