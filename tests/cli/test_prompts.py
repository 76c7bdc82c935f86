"""Passphrases typed at a real terminal: a slip is asked again, Ctrl-D stops cleanly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Terminal
from tests.conftest import PASSPHRASE

Start = Callable[..., Terminal]


def test_end_of_input_at_a_prompt_stops_cleanly(inited, vault_dir: Path,  # type: ignore[no-untyped-def]
        terminal: Start) -> None:
    term = terminal("--vault", vault_dir, "list")
    term.expect(b"Passphrase: ")
    term.type(b"\x04")  # Ctrl-D: getpass raises EOFError
    code, _out, err = term.finish()
    assert code == 130, err
    assert "Traceback" not in err and "stopped" in err


def test_a_mistyped_passphrase_is_asked_for_again(inited, vault_dir: Path,  # type: ignore[no-untyped-def]
        terminal: Start) -> None:
    term = terminal("--vault", vault_dir, "list", "--json")
    term.expect(b"Passphrase: ")
    term.type("correct horse battery stapel\n")
    term.expect(b"Passphrase: ")
    term.type(PASSPHRASE + "\n")
    code, out, err = term.finish()
    assert code == 0, err
    assert out.strip() == "[]"
    assert err.strip() == "That passphrase is not right for this vault. Try again (2 tries left)."


def test_three_wrong_passphrases_end_with_exit_3(inited, vault_dir: Path,  # type: ignore[no-untyped-def]
        terminal: Start) -> None:
    term = terminal("--vault", vault_dir, "verify")
    for _ in range(3):
        term.expect(b"Passphrase: ")
        term.type("not the passphrase\n")
    code, _out, err = term.finish()
    assert code == 3
    lines = err.strip().splitlines()
    assert lines[:2] == ["That passphrase is not right for this vault. Try again (2 tries left).",
                         "That passphrase is not right for this vault. Try again (1 try left)."]
    assert lines[2:] == ["evidence-kit: That passphrase is not right for this vault."]


def test_init_checks_the_length_before_asking_again(vault_dir: Path, terminal: Start) -> None:
    term = terminal("--vault", vault_dir, "init")
    term.expect(b"Choose a passphrase: ")
    term.type("short\n")
    # Asked for a new one straight away, not "Type it again" for one that cannot be used.
    term.expect(b"Choose a passphrase: ")
    assert b"Type it again" not in term.seen
    term.type(PASSPHRASE + "\n")
    term.expect(b"Type it again: ")
    term.type(PASSPHRASE + "x\n")  # a slip in the second typing starts again
    term.expect(b"Choose a passphrase: ")
    term.type(PASSPHRASE + "\n")
    term.expect(b"Type it again: ")
    term.type(PASSPHRASE + "\n")
    code, out, err = term.finish()
    assert code == 0, err
    assert "Your recovery code" in out
    assert "too short" in err and "The two passphrases were different" in err
    assert (vault_dir / "vault.keys").exists()


def test_init_gives_up_after_three_slips_and_makes_nothing(vault_dir: Path,
                                                           terminal: Start) -> None:
    term = terminal("--vault", vault_dir, "init")
    for _ in range(3):
        term.expect(b"Choose a passphrase: ")
        term.type("short\n")
    code, _out, err = term.finish()
    assert code == 2 and err.strip().splitlines()[-1].startswith(
        "evidence-kit: That passphrase is too short")
    assert not vault_dir.exists()


def test_a_mistyped_recovery_code_is_asked_for_again(recovery_vault: tuple[Path, str],
                                                    terminal: Start) -> None:
    folder, code = recovery_vault
    term = terminal("--vault", folder, "recover",
                        env={"EVIDENCE_KIT_NEW_PASSPHRASE": "a new passphrase"},
                        all_on_terminal=True)
    term.expect(b"Recovery code")
    term.type("ABCDE-12\n")  # the wrong shape
    term.expect(b"6 groups of 5")
    term.expect(b"Recovery code")
    term.type("AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF\n")  # the right shape, not this vault's
    term.expect(b"recovery code is not right for this vault. Try again.")
    term.expect(b"Recovery code")
    term.type(code + "\n")
    term.expect(b"new passphrase is set")
    status, _out, _err = term.finish()
    assert status == 0
