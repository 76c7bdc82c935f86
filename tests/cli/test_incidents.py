"""incident new and incident list."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import png


def test_incidents_listed_in_words_and_as_json(inited, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = inited("incident", "list")
    assert empty.code == 0 and "No incidents yet" in empty.out
    made = inited("incident", "new", "Comments on the school page")
    assert made.code == 0 and made.out.strip() == "Incident 1: Comments on the school page"
    shot = tmp_path / "a.png"
    shot.write_bytes(png())
    assert inited("add", shot, "--incident", "1").code == 0
    listed = inited("incident", "list").out.strip()
    assert listed.startswith("1  Comments on the school page  (1 item, ")
    assert listed.endswith(" UTC)")
    as_json = json.loads(inited("incident", "list", "--json").out)
    assert [(i["id"], i["item_count"]) for i in as_json] == [(1, 1)]


def test_incident_needs_an_action_and_a_title(inited) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import run_cli_process

    bare = run_cli_process("incident")
    assert bare.returncode == 2 and "ACTION" in bare.stderr
    blank = inited("incident", "new", "   ")
    assert blank.code == 2 and "needs a title" in blank.err
