"""profile, action, incident summary, redact and --posted-at: each recorded as the app
records it, in-process and in a process of its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evidence_kit.cli.parser import build_parser, commands_of
from evidence_kit.cli.records import TO_FIELD
from evidence_kit.core.actions import ACTION_KINDS
from evidence_kit.core.vault import Vault
from tests.cli.conftest import png
from tests.conftest import PASSPHRASE, run_cli_process


def _open(vault_dir: Path) -> Vault:
    return Vault.open(vault_dir, PASSPHRASE)


def test_profile_set_and_show(inited, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
    empty = inited("profile")
    assert empty.code == 0 and "Name:      (not set)" in empty.out
    made = inited("profile", "set", "--name", " Jane Smith ", "--initials", "js", "--role",
                  "Year 6 teacher", "--school", "Hillside Academy", "--contact",
                  "Designated safeguarding=Mr Patel, 0161 000 0000, dsl@school.example",
                  "--contact", "Union or professional association=NEU rep")
    assert made.code == 0, made.err
    assert "exhibits are marked JS/1" in made.out
    shown = json.loads(inited("profile", "--json").out)
    assert shown["name"] == "Jane Smith" and shown["initials"] == "JS"
    assert shown["contacts"][0] == {"role": "Designated safeguarding lead (DSL)",
                                    "name": "Mr Patel", "phone": "0161 000 0000",
                                    "email": "dsl@school.example"}
    # Only what is given changes; 'ROLE=' removes a contact.
    again = inited("profile", "set", "--role", "Head of Year 6", "--contact",
                   "Union or professional association=")
    assert again.code == 0
    shown = json.loads(inited("profile", "--json").out)
    assert shown["name"] == "Jane Smith" and shown["role"] == "Head of Year 6"
    assert [c["role"] for c in shown["contacts"]] == ["Designated safeguarding lead (DSL)"]
    bad = inited("profile", "set", "--contact", "no equals sign")
    assert bad.code == 2 and "ROLE=NAME" in bad.err


def test_every_action_kind_has_a_command_with_help() -> None:
    action = commands_of(build_parser())["action"]
    kinds = commands_of(action)
    assert set(kinds) == {k.id for k in ACTION_KINDS} | {"list"}
    assert set(TO_FIELD) == {k.id for k in ACTION_KINDS}
    for kind in ACTION_KINDS:
        text = kinds[kind.id].format_help()
        assert kind.label in text
        for field in kind.fields:
            assert "--" + field.key.replace("_", "-") in text
        to = TO_FIELD[kind.id]
        assert to is None or to in {f.key for f in kind.fields}


def test_actions_recorded_as_the_app_records_them(inited, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
    assert inited("incident", "new", "Page comments").code == 0
    told = inited("action", "told-slt", "--to", " Mrs Khan ", "--how", "email", "--on",
                  "2026-03-13 09:15", "--note", "She will call the parent.")
    assert told.code == 0, told.err
    asked = inited("action", "removal-requested", "--asked", "Facebook", "--what", "the post",
                   "--reference", "FB-1", "--on", "2026-03-13 10:00")
    assert asked.code == 0, asked.err
    checked = inited("action", "removal-checked", "--result", "still-up", "--on",
                     "2026-03-14 10:30")
    assert checked.code == 0 and "still up" in checked.out
    consent = inited("action", "consent-police", "--consent", "yes", "--to", "the head")
    assert consent.code == 0
    with _open(vault_dir) as vault:
        events = vault.actions(incident=1)
    by_kind = {e.payload["action"]: e.payload for e in events}
    assert by_kind["told-slt"]["details"] == {"who": "Mrs Khan", "how": "email",
                                              "note": "She will call the parent."}
    happened = by_kind["told-slt"]["happened_on"]
    assert happened.startswith("2026-03-13T09:15") and len(happened) == len(
        "2026-03-13T09:15+00:00")
    request_seq = next(e.seq for e in events if e.payload["action"] == "removal-requested")
    assert by_kind["removal-checked"]["details"] == {"request": request_seq,
                                                     "result": "still-up"}
    assert by_kind["consent-police"]["details"] == {"consent": "yes", "given_to": "the head"}
    listed = json.loads(inited("action", "list", "--json").out)
    assert [a["action"] for a in listed["actions"]] == [
        "told-slt", "removal-requested", "removal-checked", "consent-police"]
    # The still-up check started the next one, due 24 hours after it.
    assert [c["request"] for c in listed["checks"]] == [
        next(e.seq for e in events if e.payload["action"] == "removal-checked")]
    words = inited("action", "list").out
    assert "Told SLT or my line manager" in words and "Checked: it is still up" in words


def test_action_refuses_what_it_cannot_place(inited, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
    none_yet = inited("action", "told-slt", "--to", "Mrs Khan")
    assert none_yet.code == 2 and "no incidents yet" in none_yet.err
    inited("incident", "new", "One")
    inited("incident", "new", "Two")
    which = inited("action", "told-dsl", "--to", "Mr Patel")
    assert which.code == 2 and "--incident" in which.err
    bad_date = inited("action", "police", "--incident", "1", "--on", "last Tuesday")
    assert bad_date.code == 2 and "is not a date" in bad_date.err
    nothing = inited("action", "removal-checked", "--incident", "1", "--result", "removed")
    assert nothing.code == 2 and "removal-requested" in nothing.err
    both = inited("action", "told-slt", "--incident", "1", "--to", "A", "--who", "B")
    assert both.code == 2 and "not both" in both.err
    missing = inited("action", "told-slt", "--incident", "9")
    assert missing.code == 2
    with _open(vault_dir) as vault:
        assert vault.actions() == []


def test_incident_summary(inited, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
    inited("incident", "new", "Page comments")
    done = inited("incident", "summary", "1", "  Posts calling me a liar. تهديد  ")
    assert done.code == 0 and "saved" in done.out
    with _open(vault_dir) as vault:
        assert vault.incident(1).summary == "Posts calling me a liar. تهديد"
    assert inited("incident", "summary", "7", "text").code == 2


def test_redact_makes_the_apps_copy(inited, vault_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.export.redact import Box, redacted_bytes

    shot = tmp_path / "a.png"
    shot.write_bytes(png(80, 60))
    assert inited("add", shot).code == 0
    outside = inited("redact", "1", "--box", "70,50,20,20:a name")
    assert outside.code == 2 and "not inside" in outside.err
    unlabelled = inited("redact", "1", "--box", "1,1,5,5")
    assert unlabelled.code == 2 and "--reason" in unlabelled.err
    made = inited("redact", "1", "--box", "10,10,20,8:a pupil's name", "--box",
                  "0,40,30,10: a  parent's face")
    assert made.code == 0, made.err
    with _open(vault_dir) as vault:
        items = vault.items()
        copy = items[-1]
        assert len(items) == 2
        assert copy.details["derived_from"] == {
            "item": 1, "sha256": items[0].sha256, "method": "black boxes",
            "boxes": [{"left": 10, "top": 10, "width": 20, "height": 8},
                      {"left": 0, "top": 40, "width": 30, "height": 10}],
            "reason": "a pupil's name; a parent's face"}
        expected = redacted_bytes(shot.read_bytes(), [Box(10, 10, 20, 8), Box(0, 40, 30, 10)])
        assert vault.read_blob(copy.sha256) == expected
        assert vault.read_blob(items[0].sha256) == shot.read_bytes()


def test_posted_at_on_add(inited, vault_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shot = tmp_path / "a.png"
    shot.write_bytes(png())
    bad = inited("add", shot, "--posted-at", "yesterday")
    assert bad.code == 2 and "YYYY-MM-DD" in bad.err
    assert inited("add", shot, "--posted-at", "2026-03-11 21:40").code == 0
    shown = inited("show", "1").out
    assert "Posted (page)    Wed 11 Mar 2026, 21:40 (as the page showed it" in shown
    with _open(vault_dir) as vault:
        (item,) = vault.items()
        assert item.posted_at == "2026-03-11T21:40"
        # Changed later (the app's details dialog): a details event, seen by verify too.
        vault.update_item(item.id, posted_at="2026-03-10")
        assert vault.item(item.id).posted_at == "2026-03-10"
        assert vault.verify().ok


@pytest.mark.parametrize("args", [
    ("profile", "set", "--help"), ("action", "--help"), ("action", "list", "--help"),
    ("action", "report-harmful-content", "--help"), ("redact", "--help"),
    ("incident", "summary", "--help"), ("export", "--help"),
])
def test_help_in_its_own_process(args: tuple[str, ...]) -> None:
    done = run_cli_process(*args)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: evidence-kit")
    assert "-h, --help" in done.stdout


def test_the_commands_in_their_own_process(inited, vault_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vault = ["--vault", str(vault_dir)]
    steps = [
        ("profile", "set", "--name", "Jane Smith", "--initials", "JS"),
        ("incident", "new", "Page comments"),
        ("incident", "summary", "1", "Comments under the school post."),
        ("action", "reported-platform", "--platform", "Facebook", "--reference", "FB-9"),
    ]
    for step in steps:
        done = run_cli_process(*vault, *step)
        assert done.returncode == 0, (step, done.stderr)
    listed = run_cli_process(*vault, "action", "list", "--json")
    assert json.loads(listed.stdout)["actions"][0]["details"] == {"platform": "Facebook",
                                                                   "reference": "FB-9"}
    wrong = run_cli_process(*vault, "action", "told-slt", env={
        "EVIDENCE_KIT_PASSPHRASE": "not the passphrase"})
    assert wrong.returncode == 3
