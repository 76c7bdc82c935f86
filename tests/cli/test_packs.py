"""``evidence-kit packs``: the packs made, and deleting one's files once handed over."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from evidence_kit.core.journal import EventType
from evidence_kit.core.vault import Vault
from tests.cli.conftest import png
from tests.conftest import PASSPHRASE, in_zone


def _pack(inited: Any, tmp_path: Path, out: Path) -> dict[str, Any]:
    shot = tmp_path / "shot.png"
    shot.write_bytes(png())
    for args in (("profile", "set", "--name", "Jane Smith", "--initials", "JS"),
                 ("incident", "new", "Posts"), ("add", shot, "--incident", "1"),
                 ("export", "--incident", "1", "--for", "police", "--out", out)):
        result = inited(*args)
        assert result.code == 0, result.err
    listed = json.loads(inited("packs", "--json").out)
    assert len(listed) == 1
    return listed[0]  # type: ignore[no-any-return]


def test_packs_lists_each_pack_with_when_whom_where_and_its_files(
        inited: Any, tmp_path: Path) -> None:
    assert "No packs have been made" in inited("packs").out
    out = tmp_path / "for police"
    with in_zone("Europe/London"):
        pack = _pack(inited, tmp_path, out)
        shown = inited("packs")
    assert shown.code == 0, shown.err
    assert pack["for"] == "police" and pack["published"] and pack["confirmed"]
    assert pack["folder"] == str(out.resolve())
    assert [f["present"] for f in pack["files"]] == [True, True]
    text = shown.out
    assert f"{pack['pack']}  for the police" in text
    # The local time in force then, with its zone, beside UTC.
    assert " GMT " in text or " BST " in text
    assert " UTC)" in text
    assert f"where   {out.resolve()}" in text
    assert "still there, not encrypted" in text
    for file in pack["files"]:
        assert file["name"] in text
    (out / pack["files"][0]["name"]).unlink()
    assert "only " + pack["files"][1]["name"] + " is still there" in inited("packs").out


def test_packs_delete_removes_both_files_records_it_and_warns_honestly(
        inited: Any, tmp_path: Path, vault_dir: Path) -> None:
    out = tmp_path / "packs"
    pack = _pack(inited, tmp_path, out)
    (out / "notes.txt").write_text("mine")
    done = inited("packs", "delete", pack["pack"], "--yes")
    assert done.code == 0, done.err
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    assert "copies may remain" in done.out and "cloud" in done.out
    listed = inited("packs").out
    assert "deleted with Evidence Kit on" in listed
    again = inited("packs", "delete", pack["pack"], "--yes")
    assert again.code == 2 and "no longer in" in again.err
    with Vault.open(vault_dir, PASSPHRASE) as vault:
        deleted = [e for e in vault.events() if e.type == EventType.EXPORT_FILES_DELETED]
        assert len(deleted) == 1
        assert str(out) not in vault.record_bytes(deleted[0].seq).decode()
        assert vault.verify().ok


def test_packs_delete_asks_at_a_terminal_and_a_script_must_say_yes(
        inited: Any, tmp_path: Path, vault_dir: Path, terminal: Any) -> None:
    out = tmp_path / "packs"
    pack = _pack(inited, tmp_path, out)
    refused = inited("packs", "delete", pack["pack"])  # stdin is not a terminal here
    assert refused.code == 2 and "--yes" in refused.err
    assert len(list(out.iterdir())) == 2
    env = {"EVIDENCE_KIT_PASSPHRASE": PASSPHRASE}
    kept = terminal("--vault", vault_dir, "packs", "delete", pack["pack"], env=env,
                    all_on_terminal=True)
    kept.expect(b"copies may remain")
    kept.expect(b"Type 'delete'")
    kept.type("no\n")
    assert kept.finish()[0] == 0
    assert len(list(out.iterdir())) == 2
    gone = terminal("--vault", vault_dir, "packs", "delete", pack["pack"].lower(), env=env,
                    all_on_terminal=True)
    gone.expect(b"Type 'delete'")
    gone.type("delete\n")
    assert gone.finish()[0] == 0
    deadline = time.monotonic() + 5
    while list(out.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(out.iterdir()) == []


def test_packs_help_says_what_deletion_can_and_cannot_do(inited: Any) -> None:
    for topic in (("packs",), ("packs", "delete")):
        shown = inited("help", *topic)
        assert shown.code == 0
        words = " ".join(shown.out.split())
        assert "copies may remain until the space is reused" in words
    assert "packs" in inited("help").out
