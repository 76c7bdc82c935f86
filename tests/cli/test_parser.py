"""The parser: every command and option explained, ``help``, options after the command."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from evidence_kit import __version__
from evidence_kit.cli import build_parser
from evidence_kit.cli.parser import commands_of
from evidence_kit.settings import NEW_PASSPHRASE_ENV, PASSPHRASE_ENV, RECOVERY_CODE_ENV
from tests.conftest import run_cli_process

# Hidden on purpose: a file given to "sighting" is refused in words, never offered.
HIDDEN = {("evidence-kit sighting", "files")}


def every_parser(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for child in commands_of(parser).values():
        yield from every_parser(child)


def test_every_command_has_a_description_and_every_option_help() -> None:
    parsers = list(every_parser(build_parser()))
    assert len(parsers) >= 20  # every command, the incident actions and help
    missing = []
    for parser in parsers:
        if not (parser.description or "").strip():
            missing.append(f"{parser.prog}: no description")
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            if (parser.prog, action.dest) in HIDDEN:
                assert action.help == argparse.SUPPRESS
                continue
            if not action.help or action.help == argparse.SUPPRESS:
                name = "/".join(action.option_strings) or action.dest
                missing.append(f"{parser.prog}: {name} has no help")
    assert missing == []


def test_the_walk_would_notice_an_option_without_help() -> None:
    parser = build_parser()
    commands_of(parser)["list"].add_argument("--undocumented", action="store_true")
    holes = [a for p in every_parser(parser) for a in p._actions
             if a.option_strings and not a.help]
    assert [a.dest for a in holes] == ["undocumented"]


def test_version_and_help() -> None:
    result = run_cli_process("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"evidence-kit {__version__}"
    helped = run_cli_process("--help")
    assert helped.returncode == 0
    for command in ("init", "add", "list", "show", "extract", "verify", "backup", "recover",
                    "help"):
        assert command in helped.stdout
    # Listed in the order a newcomer meets them, not the order of the modules.
    listed = [line.split()[0] for line in helped.stdout.splitlines()
              if line.startswith("    ") and not line.startswith("     ")]
    assert listed[:3] == ["init", "incident", "add"] and listed[-1] == "help"


def test_passwd_and_recover_help_name_their_environment_variables(cli) -> None:  # type: ignore[no-untyped-def]
    passwd = cli("help", "passwd")
    assert passwd.code == 0
    assert PASSPHRASE_ENV in passwd.out and NEW_PASSPHRASE_ENV in passwd.out
    recover = cli("help", "recover")
    assert RECOVERY_CODE_ENV in recover.out and NEW_PASSPHRASE_ENV in recover.out


@pytest.mark.parametrize("topic", [(), ("export",), ("incident", "new")])
def test_help_command_shows_the_same_as_dash_dash_help(
        topic: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    from evidence_kit.cli import main

    with pytest.raises(SystemExit) as exited:
        main([*topic, "--help"])
    assert exited.value.code == 0
    expected = capsys.readouterr().out
    assert main(["help", *topic]) == 0
    assert capsys.readouterr().out == expected
    assert "usage: evidence-kit" in expected


def test_help_for_a_command_that_does_not_exist(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("help", "exprot")
    assert result.code == 2
    assert "There is no command 'exprot'" in result.err and "export" in result.err
    nested = cli("help", "incident", "old")
    assert nested.code == 2 and "evidence-kit incident; the commands are: list, new" in nested.err


def test_vault_and_passphrase_file_are_taken_after_the_command(inited, vault_dir: Path,  # type: ignore[no-untyped-def]
                                                               tmp_path: Path) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_text("correct horse battery staple\n")
    after = run_cli_process("list", "--json", "--vault", vault_dir, "--passphrase-file",
                            secret, env={"EVIDENCE_KIT_PASSPHRASE": "not this one"})
    assert after.returncode == 0, after.stderr
    assert after.stdout.strip() == "[]"
    nested = run_cli_process("incident", "new", "Posts", "--vault", vault_dir)
    assert nested.returncode == 0, nested.stderr
    # Given on both sides, the one after the command wins; given only before, it is kept.
    elsewhere = tmp_path / "elsewhere"
    both = run_cli_process("--vault", elsewhere, "incident", "list", "--vault", vault_dir)
    assert both.returncode == 0 and "Posts" in both.stdout
    before_only = build_parser().parse_args(["--vault", str(elsewhere), "list"])
    assert before_only.vault == elsewhere and before_only.passphrase_file is None


def test_values_that_begin_with_a_minus_are_values() -> None:
    parser = build_parser()
    args = parser.parse_args(["capture", "--region", "-5,-5,0,0", "--note", "-3 likes"])
    assert args.region == "-5,-5,0,0" and args.note == "-3 likes"
    # After "--" nothing is rewritten: it is the usual end of options.
    args = parser.parse_args(["note", "--", "-1,2"])
    assert args.text == "-1,2"
