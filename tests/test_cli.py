"""The command-line contract: outputs, exit codes, and bad input that loses nothing."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from evidence_kit import __version__
from tests.conftest import PASSPHRASE, CliResult, run_cli_process, snapshot

SCRIPTS_TEXT = {
    "arabic": "تم نشر تهديد على الصفحة",
    "urdu": "یہ پیغام دھمکی آمیز ہے",
    "polish": "Zażółć gęślą jaźń — groźba",
    "cyrillic": "Угрозы в комментариях",
    "cjk": "在评论中受到威胁 — 脅迫 — 협박",
    "emoji": "😡🔪 👩🏽‍🏫 🏳️‍🌈",
}


def png(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def bomb_png(width: int = 60_000, height: int = 60_000) -> bytes:
    """A tiny PNG whose header claims 3.6 billion pixels of zeros."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * width
    idat = zlib.compress(row * 50, 9)  # far fewer rows than claimed; never decoded anyway
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.fixture
def inited(cli, vault_dir: Path):  # type: ignore[no-untyped-def]
    result = cli("init")
    assert result.code == 0, result.err
    return cli


def test_version_and_help() -> None:
    result = run_cli_process("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"evidence-kit {__version__}"
    helped = run_cli_process("--help")
    assert helped.returncode == 0
    for command in ("init", "add", "list", "show", "extract", "verify", "backup", "recover"):
        assert command in helped.stdout


def test_init_prints_the_recovery_code_once(cli, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("init")
    assert result.code == 0
    code_lines = [line.strip() for line in result.out.splitlines() if line.count("-") == 5]
    assert len(code_lines) == 1 and len(code_lines[0]) == 35
    assert (vault_dir / "vault.db").exists() and (vault_dir / "vault.keys").exists()
    assert code_lines[0] not in (vault_dir / "vault.keys").read_text()
    again = cli("init")
    assert again.code == 2 and "already a vault" in again.err


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
    checkpoint = cli("checkpoint")
    assert checkpoint.code == 0 and checkpoint.out.splitlines()[0].startswith("evidence-kit/")


def test_wrong_passphrase_exits_3_and_changes_no_byte(inited, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(vault_dir)
    result = run_cli_process("--vault", vault_dir, "list",
                             env={"EVIDENCE_KIT_PASSPHRASE": "not it"})
    assert result.returncode == 3
    assert "passphrase is not right" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(vault_dir) == before


def test_passphrase_file_and_no_passphrase(inited, vault_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    env = {k: v for k, v in os.environ.items() if k != "EVIDENCE_KIT_PASSPHRASE"}
    ok = subprocess.run([sys.executable, "-m", "evidence_kit", "--vault", str(vault_dir),
                         "--passphrase-file", str(secret), "list"],
                        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                        check=False)
    assert ok.returncode == 0, ok.stderr
    missing = subprocess.run([sys.executable, "-m", "evidence_kit", "--vault", str(vault_dir),
                              "list"], capture_output=True, text=True, env=env,
                             stdin=subprocess.DEVNULL, check=False)
    assert missing.returncode == 2 and "No passphrase given" in missing.stderr


def test_passwd_then_recover(cli, vault_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    code = next(line.strip() for line in cli("init").out.splitlines() if line.count("-") == 5)
    monkeypatch.setenv("EVIDENCE_KIT_NEW_PASSPHRASE", "a brand new passphrase")
    assert cli("passwd").code == 0
    assert cli("list").code == 3  # the old passphrase no longer opens it
    monkeypatch.setenv("EVIDENCE_KIT_PASSPHRASE", "a brand new passphrase")
    assert cli("list").code == 0
    monkeypatch.setenv("EVIDENCE_KIT_RECOVERY_CODE", code.lower())
    monkeypatch.setenv("EVIDENCE_KIT_NEW_PASSPHRASE", "after recovery")
    recovered = cli("recover")
    assert recovered.code == 0, recovered.err
    monkeypatch.setenv("EVIDENCE_KIT_PASSPHRASE", "after recovery")
    assert cli("verify").code == 0
    monkeypatch.setenv("EVIDENCE_KIT_RECOVERY_CODE", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF")
    wrong = cli("recover")
    assert wrong.code == 3 and "recovery code is not right" in wrong.err


def test_backup_is_a_working_vault(inited, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = inited
    shot = tmp_path / "a.png"
    shot.write_bytes(png())
    cli("add", shot)
    dest = tmp_path / "backup"
    assert cli("backup", dest).code == 0
    copy = run_cli_process("--vault", dest, "verify", "--json")
    assert copy.returncode == 0, copy.stderr
    assert json.loads(copy.stdout)["blobs"] == 1
    assert cli("backup", dest).code == 2  # never overwrites


class TestBadInput:
    """Each bad input: one clear sentence, the right exit code, the vault unchanged."""

    def check(self, result: CliResult, code: int, words: str) -> None:
        assert result.code == code, (result.out, result.err)
        assert words in result.err
        assert "Traceback" not in result.err

    def test_missing_vault(self, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        self.check(cli("list"), 3, "There is no vault")

    def test_vault_folder_without_keys(self, inited, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
        (vault_dir / "vault.keys").unlink()
        self.check(inited("list"), 3, "no vault.keys")

    def test_corrupt_keys_file(self, inited, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
        keys_file = vault_dir / "vault.keys"
        keys_file.write_bytes(keys_file.read_bytes()[:100])
        before = snapshot(vault_dir)
        self.check(inited("list"), 3, "vault.keys is damaged")
        assert snapshot(vault_dir) == before

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


def test_no_plaintext_anywhere_in_the_vault(inited, vault_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    marker_note = "MARKER-NOTE-7f3a9c-plaintext"
    marker_file = "MARKER-FILE-b41d22-plaintext"
    doc = tmp_path / "evidence.txt"
    doc.write_text(f"{marker_file}\n" * 50)
    assert inited("add", doc, "--note", marker_note).code == 0
    assert inited("note", marker_note).code == 0
    assert inited("incident", "new", marker_note).code == 0
    files = snapshot(vault_dir)
    assert "vault.db" in files
    for name, data in files.items():
        for marker in (marker_note, marker_file):
            assert marker.encode() not in data, f"{marker} in {name}"
            assert marker.encode("utf-16-le") not in data


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

    def test_short_passphrases_and_malformed_codes_are_refused(  # type: ignore[no-untyped-def]
        self, cli, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setenv("EVIDENCE_KIT_PASSPHRASE", "short")
        result = cli("init")
        assert result.code == 2 and "too short" in result.err
        monkeypatch.setenv("EVIDENCE_KIT_PASSPHRASE", PASSPHRASE)
        assert cli("init").code == 0
        monkeypatch.setenv("EVIDENCE_KIT_RECOVERY_CODE", "ABCDE-12")
        monkeypatch.setenv("EVIDENCE_KIT_NEW_PASSPHRASE", "another long one")
        bad = cli("recover")
        assert bad.code == 2 and "6 groups of 5" in bad.err

    def test_end_of_input_at_a_prompt_stops_cleanly(self, inited, vault_dir: Path) -> None:  # type: ignore[no-untyped-def]
        # A terminal's Ctrl-D: getpass raises EOFError. Simulated with a pseudo-terminal.
        import fcntl
        import pty
        import select
        import termios

        def take_terminal() -> None:  # make the pty the child's controlling terminal
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        env = {k: v for k, v in os.environ.items() if k != "EVIDENCE_KIT_PASSPHRASE"}
        main_fd, child_fd = pty.openpty()
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "evidence_kit", "--vault", str(vault_dir), "list"],
                stdin=child_fd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                start_new_session=True, preexec_fn=take_terminal,
            )
            os.close(child_fd)
            ready, _, _ = select.select([main_fd], [], [], 20)
            assert ready, "no passphrase prompt appeared"
            assert b"Passphrase" in os.read(main_fd, 100)
            os.write(main_fd, b"\x04")
            _out, err = proc.communicate(timeout=30)
        finally:
            os.close(main_fd)
        assert proc.returncode == 130, err
        assert b"Traceback" not in err and b"stopped" in err


def test_the_app_without_a_screen_says_so_instead_of_aborting(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "evidence_kit", "--vault", str(tmp_path)],
                            capture_output=True, text=True, env=env, check=False, timeout=60)
    assert result.returncode == 3
    assert "no screen" in result.stderr and "evidence-kit --help" in result.stderr
