"""add, capture, sighting, categories, note, list, show, extract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import bomb_png, png
from tests.conftest import PASSPHRASE, CliResult, run_cli_process, snapshot

SCRIPTS_TEXT = {
    "arabic": "تم نشر تهديد على الصفحة",
    "urdu": "یہ پیغام دھمکی آمیز ہے",
    "polish": "Zażółć gęślą jaźń — groźba",
    "cyrillic": "Угрозы в комментариях",
    "cjk": "在评论中受到威胁 — 脅迫 — 협박",
    "emoji": "😡🔪 👩🏽‍🏫 🏳️‍🌈",
}


def test_full_journey(inited, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = inited
    shot = tmp_path / "screenshot.png"
    shot.write_bytes(png())
    assert cli("incident", "new", "Posts about me on X").code == 0
    added = cli("add", shot, "--incident", "1", "--url", "https://x.com/someone/status/1",
                "--note", "seen at 21:40")
    assert added.code == 0, added.err
    listed = cli("list", "--json")
    items = json.loads(listed.out)
    assert len(items) == 1 and items[0]["media_type"] == "image/png"
    assert items[0]["url"] == "https://x.com/someone/status/1"
    shown = json.loads(cli("show", "1", "--json").out)
    assert shown["item"]["sha256"] == items[0]["sha256"]
    assert shown["notes"][0]["text"] == "seen at 21:40"
    assert shown["item"]["details"]["file_modified_reported"].endswith("Z")
    human = cli("show", "1")
    assert "SHA-256" in human.out and items[0]["sha256"] in human.out
    out = tmp_path / "extracted.png"
    assert cli("extract", "1", "--out", out).code == 0
    assert out.read_bytes() == shot.read_bytes()
    incidents = json.loads(cli("incident", "list", "--json").out)
    assert incidents[0]["item_count"] == 1
    verified = cli("verify")
    assert verified.code == 0 and "all intact" in verified.out
    note = cli("note", "Told the head teacher today", "--incident", "1")
    assert note.code == 0
    assert note.out.startswith("Note saved with incident 1:") and "entry" not in note.out


class TestBadInput:
    """Each bad input: one clear sentence, the right exit code, the vault unchanged."""

    def check(self, result: CliResult, code: int, words: str) -> None:
        assert result.code == code, (result.out, result.err)
        assert words in result.err
        assert "Traceback" not in result.err

    @pytest.mark.parametrize("case", ["not found", "folder", "empty"])
    def test_files_that_cannot_be_added(self, inited, vault_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                        case: str) -> None:
        target = tmp_path / "input.png"
        if case == "folder":
            target.mkdir()  # folders are imported recursively; an empty one has nothing
            words = "has no files to add"
        elif case == "empty":
            target.write_bytes(b"")
            words = "is empty"
        else:
            words = "was not found"
        before = snapshot(vault_dir)
        self.check(inited("add", target), 2, words)
        assert snapshot(vault_dir) == before
        assert inited("verify").code == 0

    @pytest.mark.parametrize("case", ["bomb", "truncated"])
    def test_damaged_pictures_are_kept_with_a_note(self, inited, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                   case: str) -> None:
        # Issue 12: a file the user has is kept; decoding limits protect previews only.
        target = tmp_path / "input.png"
        target.write_bytes(bomb_png() if case == "bomb" else png(400, 300)[:-200])
        result = inited("add", target)
        assert result.code == 0, result.err
        item = json.loads(inited("list", "--json").out)[0]
        assert item["details"]["notes"]
        assert inited("extract", str(item["id"]), "--out", tmp_path / "back.png").code == 0
        assert (tmp_path / "back.png").read_bytes() == target.read_bytes()
        assert inited("verify").code == 0

    def test_unreadable_file(self, inited, vault_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        secret = tmp_path / "private" / "locked.txt"
        secret.parent.mkdir()
        secret.write_text("cannot read me")
        secret.chmod(0)
        if os.geteuid() == 0:
            # root reads anything; drop the capabilities that let it, and only those.
            result = subprocess.run(
                ["/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search",
                 "--inh-caps=-dac_override,-dac_read_search",
                 sys.executable, "-m", "evidence_kit", "--vault", str(vault_dir), "add",
                 str(secret)],
                capture_output=True, text=True, check=False,
                env={**os.environ, "EVIDENCE_KIT_PASSPHRASE": PASSPHRASE},
            )
            code, err = result.returncode, result.stderr
        else:
            res = inited("add", secret)
            code, err = res.code, res.err
        assert code == 2 and "permission denied" in err and "Traceback" not in err

    def test_one_bad_file_does_not_stop_the_rest(self, inited, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        good = tmp_path / "good.png"
        good.write_bytes(png())
        bad = tmp_path / "bad.png"
        bad.write_bytes(b"")  # nothing to keep; a damaged picture would be kept (issue 12)
        result = inited("add", bad, good)
        assert result.code == 2 and "bad.png" in result.err
        assert "good.png" in result.out
        assert len(json.loads(inited("list", "--json").out)) == 1

    def test_non_utf8_file_name(self, inited, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        raw_name = os.fsencode(tmp_path) + b"/caf\xe9-\xff.txt"
        with open(raw_name, "wb") as handle:
            handle.write(b"latin-1 name")
        result = run_cli_process("--vault", tmp_path / "vault", "add", os.fsdecode(raw_name))
        assert result.returncode == 0, result.stderr
        item = json.loads(inited("list", "--json").out)[0]
        assert item["original_name"] == "caf\ufffd-\ufffd.txt"
        assert item["details"]["name_bytes_hex"] == b"caf\xe9-\xff.txt".hex()
        assert inited("verify").code == 0

    @pytest.mark.parametrize("script", sorted(SCRIPTS_TEXT))
    def test_notes_in_any_script(self, inited, tmp_path: Path, script: str) -> None:  # type: ignore[no-untyped-def]
        text = SCRIPTS_TEXT[script]
        target = tmp_path / f"{script}.txt"
        target.write_text(text, encoding="utf-8")
        assert inited("add", target, "--note", text).code == 0
        assert inited("note", text).code == 0
        shown = json.loads(inited("show", "1", "--json").out)
        assert shown["notes"][0]["text"] == text
        assert text in inited("show", "1").out
        assert inited("verify").code == 0

    def test_unknown_ids_and_usage(self, inited) -> None:  # type: ignore[no-untyped-def]
        self.check(inited("show", "42"), 2, "no item 42")
        self.check(inited("note", "x", "--incident", "9"), 2, "no incident 9")
        usage = run_cli_process("show", "not-a-number")
        assert usage.returncode == 2 and "invalid int value" in usage.stderr

    def test_extract_to_a_missing_folder(self, inited, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        good = tmp_path / "good.png"
        good.write_bytes(png())
        inited("add", good)
        self.check(inited("extract", "1", "--out", tmp_path / "nope" / "x.png"), 2,
                   "does not exist")


class TestWhatANewUserMeets:
    """Behaviour found by trying the command line as a new user would."""

    def test_extract_never_overwrites_without_force(self, inited, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        shot = tmp_path / "a.png"
        shot.write_bytes(png())
        inited("add", shot)
        lesson = tmp_path / "lesson.txt"
        lesson.write_text("my lesson plan")
        refused = inited("extract", "1", "--out", lesson)
        assert refused.code == 2 and "already exists" in refused.err
        assert lesson.read_text() == "my lesson plan"
        assert inited("extract", "1", "--out", lesson, "--force").code == 0
        assert lesson.read_bytes() == shot.read_bytes()

    def test_odd_addresses_and_duplicates_are_pointed_out(self, inited, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        doc = tmp_path / "a.txt"
        doc.write_text("x")
        first = inited("add", doc, "--url", "https://fаcebook.com/x")  # Cyrillic а
        assert first.code == 0 and "Check the address" in first.out
        again = inited("add", doc)
        assert "already in the vault as item 1" in again.out
        assert "Check the address" in inited("show", "1").out

    def test_adding_a_folder_again_adds_only_what_is_missing(self, inited, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        folder = tmp_path / "phone export"
        folder.mkdir()
        for n in range(3):
            (folder / f"message-{n}.txt").write_text(f"message {n} from the account\n")
        assert inited("add", folder).code == 0
        (folder / "message-3.txt").write_text("a fourth message, copied later\n")
        again = inited("add", folder)
        assert again.code == 0, again.err
        assert again.out.count("Added item") == 1
        assert "3 files were already in the vault" in again.out
        assert len(json.loads(inited("list", "--json").out)) == 4

    def test_vault_files_are_not_evidence(self, inited, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
        result = inited("add", vault_dir)
        assert result.code == 2 and "not evidence" in result.err
        assert json.loads(inited("list", "--json").out) == []

    def test_list_of_an_unknown_incident_and_headers(self, inited, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        missing = inited("list", "--incident", "42")
        assert missing.code == 2 and "no incident 42" in missing.err
        doc = tmp_path / "a.txt"
        doc.write_text("x")
        inited("add", doc)
        listing = inited("list").out.splitlines()
        assert listing[0].split()[:2] == ["ITEM", "RECORDED"]
        assert "T" not in listing[1].split()[2]  # readable time, not the raw stamp

    def test_sighting_with_nothing_to_record_records_nothing(self, inited) -> None:  # type: ignore[no-untyped-def]
        result = inited("sighting")
        assert result.code == 0 and "Nothing was recorded" in result.out
        assert "Tell your DSL now" in result.out
        assert "Reports of sexual images" not in inited("list").out
        inited("sighting", "--platform", "Snapchat", "--told", "DSL")
        assert "Snapchat  told: DSL" in inited("list").out

    def test_categories_are_listed_with_their_ids(self, cli) -> None:  # type: ignore[no-untyped-def]
        from evidence_kit.capture.categories import CATEGORIES

        listed = cli("categories")
        assert listed.code == 0
        assert [line.split()[0] for line in listed.out.splitlines()] == [
            c.id for c in CATEGORIES]


def test_an_empty_region_gets_its_sentence_even_when_it_starts_with_a_minus(
        inited, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """argparse took "-5,-5,0,0" for an option; now it reaches the region check, exit 2."""
    before = snapshot(vault_dir)
    for argv in (("capture", "--region", "-5,-5,0,0"), ("capture", "--region=-5,-5,0,0")):
        result = run_cli_process("--vault", vault_dir, *argv)
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip() == ("evidence-kit: The region -5,-5,0,0 is empty: its "
                                         "width and height must be at least one pixel.")
    malformed = run_cli_process("--vault", vault_dir, "capture", "--region", "-5,x")
    assert malformed.returncode == 2 and "four whole numbers" in malformed.stderr
    assert snapshot(vault_dir) == before
