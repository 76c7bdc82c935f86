"""The command line's ``action KIND`` records what the app's "Record what you did"
dialog records, for every kind: the same details, the same date shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from evidence_kit.cli.parser import build_parser
from evidence_kit.cli.records import action_details, happened_on
from evidence_kit.core.actions import ACTION_KINDS, REMOVAL_CHECKED, ActionKind

NOW = dt.datetime(2026, 3, 14, 9, 26, 53, tzinfo=dt.UTC)


@pytest.mark.parametrize("kind", [k for k in ACTION_KINDS if k.id != REMOVAL_CHECKED],
                         ids=lambda k: k.id)
def test_cli_details_equal_the_dialogs(qtbot: Any, kind: ActionKind) -> None:
    from evidence_kit.ui.tracking import RecordActionDialog

    dialog = RecordActionDialog(kind, NOW)
    qtbot.addWidget(dialog)
    argv = ["action", kind.id]
    for n, field in enumerate(kind.fields):
        value = f"  value {n} for {field.key} "
        dialog.edits[field.key].setText(value)
        argv += ["--" + field.key.replace("_", "-"), value]
    dialog.note.setPlainText(" a note ")
    argv += ["--note", " a note "]
    app_when, app_details = dialog.result_values()

    args = build_parser().parse_args(argv)
    assert action_details(kind, args) == app_details
    assert happened_on(None, NOW) == app_when
