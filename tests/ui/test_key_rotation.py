"""The change-passphrase dialog's offer to re-encrypt under a new key, end to end."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from evidence_kit.core.errors import IntegrityFailure, WrongPassphrase
from evidence_kit.core.vault import Vault
from evidence_kit.ui.dialogs import ChangePassphraseDialog
from evidence_kit.ui.recovery_code import NewRecoveryCodeDialog
from tests.conftest import PASSPHRASE

from .conftest import Said, unlock

pytestmark = pytest.mark.gui

NEW_PASSPHRASE = "otter lamp violet quarry"


def _top(kind: type) -> Any:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[-1] if found else None


def _change(qtbot: Any, app: Any, *, rotate: bool, then: Any) -> None:
    def fill() -> None:
        dialog = _top(ChangePassphraseDialog)
        assert dialog is not None
        assert "someone may know the old passphrase" in " ".join(
            label.text() for label in dialog.findChildren(type(dialog.message)))
        qtbot.keyClicks(dialog.current.edit, PASSPHRASE)
        qtbot.keyClicks(dialog.new.first.edit, NEW_PASSPHRASE)
        qtbot.keyClicks(dialog.new.second.edit, NEW_PASSPHRASE)
        dialog.rotate.setChecked(rotate)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        QTimer.singleShot(0, then)

    QTimer.singleShot(0, fill)
    app.vault_actions.change_passphrase(app.window)


def test_rotation_from_the_app_shows_a_new_code_and_retires_old_keys(
        qtbot: Any, make_app: Any, recovery_vault: tuple[Path, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder, old_code = recovery_vault
    old_keys = (folder / "vault.keys").read_bytes()
    app = make_app(folder)
    unlock(qtbot, app)
    sheet = tmp_path / "code.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(sheet), ""))
    shown: list[str] = []
    tries: list[int] = []

    def read_code() -> None:
        # Polled, not waited for: the dialog's own exec() runs inside whatever waits.
        dialog = _top(NewRecoveryCodeDialog)
        if dialog is None:
            tries.append(1)
            asking = _top(ChangePassphraseDialog)
            if len(tries) > 400 and asking is not None:  # 20 s: give up, and let it fail
                asking.reject()
            else:
                QTimer.singleShot(50, read_code)
            return
        shown.append(dialog.code.text())
        dialog.save_code.emit()
        dialog.done_button.click()

    _change(qtbot, app, rotate=True, then=read_code)
    assert len(shown) == 1 and shown[0] != old_code
    assert shown[0] in sheet.read_text(encoding="utf-8")
    assert app.session.is_unlocked and app.session.vault.verify().ok
    app.session.request_lock("user")

    with pytest.raises(WrongPassphrase):
        Vault.open(folder, PASSPHRASE)
    stale = tmp_path / "stale"
    shutil.copytree(folder, stale)
    (stale / "vault.keys").write_bytes(old_keys)
    with pytest.raises(IntegrityFailure):
        Vault.open(stale, PASSPHRASE)
    with Vault.recover(folder, shown[0], "after recovery") as vault:
        assert vault.verify().ok


def test_plain_change_says_old_copies_still_open(
        qtbot: Any, make_app: Any, recovery_vault: tuple[Path, str], said: Said) -> None:
    folder, _code = recovery_vault
    app = make_app(folder)
    unlock(qtbot, app)
    _change(qtbot, app, rotate=False, then=lambda: None)
    qtbot.waitUntil(lambda: any(t == "Passphrase changed" for _k, t, _x in said.boxes),
                    timeout=20_000)
    assert "backups made before today still open with it" in said.texts()
    app.session.request_lock("user")
    Vault.open(folder, NEW_PASSPHRASE).lock()
