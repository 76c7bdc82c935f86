"""How a capture's address was obtained is recorded with it, so the police statement can
say "typed by me" or "from the clipboard" rather than implying the tool read it."""

from __future__ import annotations

from typing import Any

import pytest

from evidence_kit.core.model import Item


def _item() -> Item:
    return Item(1, None, "capture", "00" * 32, 10, "image/png", "c.png",
                "2026-03-14T09:00:00.000000Z", None, None, None, None, None, False, 1,
                {"capture": {"width": 10, "height": 10}})


@pytest.mark.parametrize(("clipboard", "typed", "source"), [
    ("https://x.com/a/status/1", None, "clipboard"),
    ("https://x.com/a/status/1", "https://x.com/a/status/2", "typed"),
    ("not an address", "https://x.com/a/status/3", "typed"),
    (None, "", None),
])
def test_the_dialog_says_where_the_address_came_from(
        qtbot: Any, clipboard: str | None, typed: str | None, source: str | None) -> None:
    from evidence_kit.ui.capture_dialog import CaptureDetailsDialog

    dialog = CaptureDetailsDialog(_item(), None, [], None, clipboard)
    qtbot.addWidget(dialog)
    if typed is not None:
        dialog.url.setText(typed)
    details = dialog.choices().details
    assert details.url_source == source
    assert details.url == (typed or clipboard if source else None)


def test_an_address_given_on_the_command_line_says_so(cli: Any, vault_dir: Any,
                                                      tmp_path: Any) -> None:
    from evidence_kit.core.vault import Vault
    from tests.conftest import PASSPHRASE

    assert cli("init").code == 0
    note = tmp_path / "message.txt"
    note.write_text("You will regret it.\n")
    added = cli("add", note, "--url", "https://www.facebook.com/p/9")
    assert added.code == 0, added.err
    vault = Vault.open(vault_dir, PASSPHRASE)
    try:
        imported = [e for e in vault.events() if e.type == "item.imported"]
    finally:
        vault.lock()
    assert imported[0].payload["url"]["source"] == "command line"
