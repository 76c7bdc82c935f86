"""Help ▸ About: the version, the licence, what is stored where; plain text, no links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from evidence_kit import __version__
from evidence_kit.core import keys
from evidence_kit.ui.about import AboutDialog, about_text
from evidence_kit.settings import AppConfig

pytestmark = pytest.mark.gui


def shown(dialog: AboutDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


def test_about_text_says_what_is_stored_where(tmp_path: Path) -> None:
    folder, config = tmp_path / "my vault", tmp_path / "app.json"
    text = about_text(folder, config)
    assert __version__ in text
    assert "GPL-3.0-or-later" in text
    for words in (str(folder), str(config), "vault.db", "SQLCipher", "vault.keys",
                  "passphrase", "recovery code", "Nothing leaves this computer unless you "
                  "export it", "does not use the network"):
        assert words in text, words
    assert "http" not in text and "<a" not in text and "www." not in text


def test_the_dialog_shows_it_all_as_plain_selectable_text(qtbot: Any, tmp_path: Path) -> None:
    folder = tmp_path / "<b>not bold</b>"  # a folder name is never read as markup
    dialog = AboutDialog(folder, tmp_path / "app.json")
    qtbot.addWidget(dialog)
    text = shown(dialog)
    assert dialog.windowTitle() == "About Evidence Kit"
    assert f"Version {__version__}" in text
    assert "GPL-3.0-or-later" in text and str(folder) in text and "vault.keys" in text
    for label in dialog.findChildren(QLabel):
        if label.text():
            assert label.textFormat() == Qt.TextFormat.PlainText
            assert not label.openExternalLinks()
    icon = [label for label in dialog.findChildren(QLabel) if label.pixmap() is not None
            and not label.pixmap().isNull()]
    assert icon and icon[0].pixmap().width() == 64


def test_help_about_opens_it_for_the_vault_in_use(qtbot: Any, tmp_path: Path) -> None:
    from evidence_kit.ui.controller import AppController

    folder = tmp_path / "vault"
    config = AppConfig(tmp_path / "app.json")
    app = AppController(folder, config, kdf=lambda: keys.FLOOR_PARAMS,
                        watch_screen_lock=False, global_shortcut=False, tray=False,
                        exit_app_on_quit=False)
    qtbot.addWidget(app.window)
    try:
        app.start()
        app.window.about_action.trigger()
        dialog = app.window.findChild(AboutDialog)
        assert dialog is not None and dialog.isVisible()
        assert str(folder) in shown(dialog) and str(config.path) in shown(dialog)
        app.window.about_action.trigger()  # a second time raises the same one
        assert len(app.window.findChildren(AboutDialog)) == 1
        dialog.reject()
        qtbot.waitUntil(lambda: app.window.findChild(AboutDialog) is None)
    finally:
        app.autolock.uninstall()
        QApplication.processEvents()
