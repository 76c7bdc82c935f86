"""The whole parser, assembled from the command groups, and ``evidence-kit help``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from evidence_kit import APP_NAME, __version__
from evidence_kit.core.errors import BadInput

from . import checks, evidence, incidents, packs, records, texts, timestamps, vault_commands
from .shared import Parser, Session, add_vault_options, join_dash_values, out, subcommand

GROUPS = (vault_commands, evidence, incidents, records, texts, checks, timestamps, packs)
# The order a newcomer meets the commands in, whichever module each lives in.
ORDER = ("init", "incident", "add", "capture", "sighting", "categories", "note", "list",
         "show", "read-text", "redact", "action", "profile", "extract", "verify", "checkpoint",
         "passwd", "recover", "recovery-code", "backup", "timestamp", "export", "packs",
         "verify-bundle", "help")


class TopParser(Parser):
    """The top level, which also mends option values that begin with a minus sign."""

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None,
    ) -> tuple[argparse.Namespace, list[str]]:
        import sys

        argv = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(join_dash_values(self, argv), namespace)


def build_parser() -> argparse.ArgumentParser:
    parser = TopParser(
        prog="evidence-kit",
        description=f"{APP_NAME}: keep evidence of online abuse in an encrypted, "
        "tamper-evident vault. With no command, starts the desktop app.",
        epilog="'evidence-kit help COMMAND' (or 'evidence-kit COMMAND --help') says more "
        "about one command. Exit codes: 0 success, 1 verification failed or the vault is "
        "damaged, 2 usage or bad input, 3 wrong passphrase or the vault is unavailable.",
    )
    parser.add_argument("--version", action="version", version=f"evidence-kit {__version__}")
    add_vault_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for group in GROUPS:
        group.register(sub)
    helper = subcommand(sub, "help", "say what a command does and what it takes",
                        "Say what a command does and every option it takes; with no "
                        "command, list them all.",
                        lambda session: cmd_help(parser, session))
    helper.add_argument("topic", nargs="*", metavar="COMMAND",
                        help="the command to explain, e.g. 'export' or 'incident new'")
    # argparse lists commands in the order they were added; that order is the modules'.
    sub._choices_actions.sort(key=lambda action: ORDER.index(action.dest))
    # Last in every command's help, after what is particular to the command.
    for child in _below(parser):
        add_vault_options(child)
    return parser


def _below(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = []
    for child in commands_of(parser).values():
        found.append(child)
        found.extend(_below(child))
    return found


def commands_of(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser's subcommands by name (argparse keeps them on a private action)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def cmd_help(parser: argparse.ArgumentParser, session: Session) -> int:
    target: Any = parser
    for word in session.args.topic:
        children = commands_of(target)
        if word not in children:
            where = "evidence-kit" if target is parser else target.prog
            raise BadInput(f"There is no command {word!r} in {where}; the commands are: "
                           f"{', '.join(sorted(children)) or 'none'}.")
        target = children[word]
    out(target.format_help().rstrip("\n"))
    return 0
