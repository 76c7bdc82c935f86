"""'When it was posted (as shown on the page)' in the app's Edit details dialog."""

from __future__ import annotations

from typing import Any

import pytest

from evidence_kit.core.errors import BadInput
from evidence_kit.core.vault import NewItem, Vault


def test_edit_details_records_the_pages_date(qtbot: Any, vault: Vault) -> None:
    from evidence_kit.ui.dialogs import EditDetailsDialog

    item = vault.add_item(NewItem(data=b"x", name="a.txt", media_type="text/plain",
                                  posted_at="2026-03-11 21:40"))
    dialog = EditDetailsDialog(item, [])
    qtbot.addWidget(dialog)
    assert dialog.posted_at.text() == "2026-03-11 21:40"
    assert dialog.changes() == {}
    dialog.posted_at.setText("2026-03-11T21:40")  # the same moment, spelled otherwise
    assert dialog.changes() == {}
    dialog.posted_at.setText("2026-03-10")
    changes = dialog.changes()
    assert changes == {"posted_at": "2026-03-10"}
    assert vault.update_item(item.id, **changes).posted_at == "2026-03-10"
    dialog.posted_at.setText("last week")
    with pytest.raises(BadInput, match="YYYY-MM-DD"):
        vault.update_item(item.id, **dialog.changes())
    dialog.posted_at.setText("")
    assert vault.update_item(item.id, **dialog.changes()).posted_at is None
