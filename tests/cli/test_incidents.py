"""incident new and incident list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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


def test_incident_referral_saves_what_only_the_user_can_say(inited, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.core import referral
    from evidence_kit.core.referral import Adult, Child, Referral
    from evidence_kit.core.vault import Vault
    from tests.conftest import PASSPHRASE

    inited("incident", "new", "Posts")
    nothing = inited("incident", "referral", "1")
    assert nothing.code == 0 and "(none ticked)" in nothing.out
    done = inited("incident", "referral", "1", "--adult",
                  "Mr A Brown, parent governor, a parent of a pupil, Year 9",
                  "--child", "A.B., 14, Hillside Academy", "--child", "CD",
                  "--criterion", "3", "--criterion", "1")
    assert done.code == 0, done.err
    assert "Saved." in done.out
    assert "A child involved: A.B., age 14, Hillside Academy" in done.out
    # One option changes only its own part; the rest stays.
    assert inited("incident", "referral", "1", "--criterion", "2").code == 0
    again = inited("incident", "referral", "1", "--criterion", "2")
    assert again.code == 0 and "Nothing changed." in again.out
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        assert referral.current(vault, 1) == Referral(
            Adult("Mr A Brown", "parent governor", "a parent of a pupil, Year 9"),
            (Child("A.B.", "14", "Hillside Academy"), Child("CD")), (2,))
        count = vault.event_count()
    shown = inited("incident", "show", "1")
    assert shown.code == 0
    assert "The adult it concerns: Mr A Brown, parent governor, a parent of a pupil" \
        in shown.out
    assert "2. possibly committed a criminal offence" in shown.out
    as_json = json.loads(inited("incident", "show", "1", "--json").out)
    assert as_json["referral"]["criteria"] == [2]
    assert as_json["referral"]["children"][1] == {"name": "CD", "age": "", "school": ""}
    cleared = inited("incident", "referral", "1", "--adult", "", "--no-children",
                     "--no-criteria", "--json")
    assert json.loads(cleared.out) == {"adult": None, "children": [], "criteria": []}

    with pytest.raises(SystemExit) as usage:  # argparse's own check of the choices
        inited("incident", "referral", "1", "--criterion", "5")
    assert usage.value.code == 2
    for bad, words in ((("--child", " , "), "names no child"),
                       (("--child", "AB", "--no-children"), "not both")):
        refused = inited("incident", "referral", "1", *bad)
        assert refused.code == 2 and words in refused.err, refused.err
    assert inited("incident", "referral", "9", "--criterion", "1").code == 2
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        assert vault.event_count() == count + 1  # only the clearing was recorded
