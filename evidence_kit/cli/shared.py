"""What every command shares: the parser class, the session, passphrase prompts, output.

Passphrases come from ``--passphrase-file``, then the environment, then a prompt. Only a
prompt is asked again after a mistake (up to :data:`PROMPT_TRIES` times): a script that
gives a wrong value gets the same one every time, so it fails at once instead.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from evidence_kit.core.errors import BadInput, WrongPassphrase
from evidence_kit.settings import (
    MIN_PASSPHRASE_CHARS,
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    RECOVERY_CODE_ENV,
    VAULT_ENV,
    read_secret_file,
    resolve_vault_folder,
)
from evidence_kit.wording import plural

LOCK_WAIT_SECONDS = 10.0
PROMPT_TRIES = 3

T = TypeVar("T")


# ---- the parser -----------------------------------------------------------------


class Parser(argparse.ArgumentParser):
    """Usage errors: the short usage line and one sentence, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {message}\n")


# A value that starts with a minus sign and a digit, such as the region "-5,-5,0,0".
# argparse takes anything that starts with "-" for an option unless it is a plain negative
# number, so such a value never reached the check that would explain what is wrong with it.
_DASH_VALUE = re.compile(r"-[\d.]")


def join_dash_values(parser: argparse.ArgumentParser, argv: Sequence[str]) -> list[str]:
    """``--region -5,-5,0,0`` → ``--region=-5,-5,0,0`` for every option that takes a value."""
    takes_value = _value_options(parser)
    out: list[str] = []
    args = list(argv)
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            out.extend(args[i:])
            break
        if word in takes_value and i + 1 < len(args) and _DASH_VALUE.match(args[i + 1]):
            out.append(f"{word}={args[i + 1]}")
            i += 2
            continue
        out.append(word)
        i += 1
    return out


def _value_options(parser: argparse.ArgumentParser) -> set[str]:
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found |= _value_options(child)
        elif action.option_strings and action.nargs is None and action.option_strings[
                0].startswith("--"):
            found.update(s for s in action.option_strings if s.startswith("--"))
    return found


def add_vault_options(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """``--vault`` and ``--passphrase-file``, before or after the command.

    Below the top level they default to SUPPRESS, so a value given before the command is
    kept unless the same option is given again after it.
    """
    default: Any = None if top else argparse.SUPPRESS
    group = parser if top else parser.add_argument_group(
        "the vault (these may also come before the command)")
    group.add_argument("--vault", type=Path, metavar="DIR", default=default,
                        help=f"the vault folder (default: ${VAULT_ENV}, the folder the app "
                        "uses, or your data folder)")
    group.add_argument("--passphrase-file", type=Path, metavar="FILE", default=default,
                        help=f"read the passphrase from FILE (else ${PASSPHRASE_ENV}, "
                        "else you are asked)")


def subcommand(sub: Any, name: str, summary: str, description: str | None = None,
               handler: Callable[[Session], int] | None = None,
               epilog: str | None = None) -> argparse.ArgumentParser:
    """One command: its one-line summary in the list, a description in its own help."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=summary, description=description or _sentence(summary), epilog=epilog)
    if handler is not None:
        parser.set_defaults(handler=handler)
    return parser


def _sentence(summary: str) -> str:
    return summary[:1].upper() + summary[1:] + "."


# ---- passphrases and codes ------------------------------------------------------


def tell(text: str) -> None:
    """A word to the person at the prompt, kept apart from the command's output."""
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _given(env: str, file: Path | None) -> str | None:
    """The secret a script gave (file first, then the environment), or None to ask."""
    if file is not None:
        return read_secret_file(file)
    if env in os.environ:
        return os.environ[env]
    if not sys.stdin.isatty():
        raise BadInput(
            f"No passphrase given: set {env} or use --passphrase-file when not at a terminal."
        )
    return None


def with_passphrase(env: str, prompt: str, file: Path | None, use: Callable[[str], T]) -> T:
    """``use(passphrase)``; a wrong passphrase typed at the prompt is asked for again."""
    given = _given(env, file)
    if given is not None:
        return use(given)
    for attempt in range(1, PROMPT_TRIES + 1):
        try:
            return use(getpass.getpass(prompt))
        except WrongPassphrase as exc:
            if attempt == PROMPT_TRIES:
                raise
            tell(f"{exc} Try again ({plural(PROMPT_TRIES - attempt, 'try', 'tries')} left).")
    raise AssertionError("unreachable")  # the loop returns or raises


def _too_short(passphrase: str) -> str | None:
    if len(passphrase) >= MIN_PASSPHRASE_CHARS:
        return None
    return (f"That passphrase is too short: use at least {MIN_PASSPHRASE_CHARS} characters. "
            "A few unrelated words are easy to remember and hard to guess.")


def new_passphrase(env: str = NEW_PASSPHRASE_ENV, prompt: str = "New passphrase: ",
                   file: Path | None = None) -> str:
    """A new passphrase, long enough; typed twice at a prompt, asked again after a slip."""
    given = _given(env, file)
    if given is not None:
        problem = _too_short(given)
        if problem:
            raise BadInput(problem)
        return given
    for attempt in range(1, PROMPT_TRIES + 1):
        first = getpass.getpass(prompt)
        # The length is checked before the second typing: nobody should type a
        # passphrase twice only to be told the first was never acceptable.
        problem = _too_short(first)
        if problem is None:
            if getpass.getpass("Type it again: ") == first:
                return first
            problem = "The two passphrases were different; nothing was changed."
        if attempt == PROMPT_TRIES:
            raise BadInput(problem)
        tell(f"{problem} Try again.")
    raise AssertionError("unreachable")


def recovery_code() -> str:
    """The recovery code, with its shape checked; a prompt asks again after a slip."""
    from evidence_kit.core.keys import (
        RECOVERY_GROUP_LEN,
        RECOVERY_GROUPS,
        normalise_recovery_code,
    )

    problem = (f"A recovery code has {RECOVERY_GROUPS} groups of {RECOVERY_GROUP_LEN} "
               "letters and digits, like ABCDE-23456-…; check what you typed.")

    def well_formed(code: str) -> bool:
        return len(normalise_recovery_code(code)) == RECOVERY_GROUPS * RECOVERY_GROUP_LEN

    if RECOVERY_CODE_ENV in os.environ:
        code = os.environ[RECOVERY_CODE_ENV]
        if not well_formed(code):
            raise BadInput(problem)
        return code
    if not sys.stdin.isatty():
        raise BadInput(f"No recovery code given: set {RECOVERY_CODE_ENV} when not at a terminal.")
    for attempt in range(1, PROMPT_TRIES + 1):
        # Shown as typed: it is long, and only useful with the vault itself.
        code = input("Recovery code (6 groups of 5, as written down): ")
        if well_formed(code):
            return code
        if attempt == PROMPT_TRIES:
            raise BadInput(problem)
        tell(f"{problem} Try again.")
    raise AssertionError("unreachable")


def recovery_code_prompted() -> bool:
    """Whether :func:`recovery_code` asks at a terminal (so a wrong code may be re-asked)."""
    return RECOVERY_CODE_ENV not in os.environ and sys.stdin.isatty()


# ---- the session ----------------------------------------------------------------


class Session:
    """Opens the vault for one command and always locks it again."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.folder: Path = resolve_vault_folder(args.vault)

    def open_with(self, use: Callable[[str], T]) -> T:
        """``use(passphrase)`` with the passphrase as given, or asked for (and re-asked)."""
        return with_passphrase(PASSPHRASE_ENV, "Passphrase: ", self.args.passphrase_file, use)

    def require_vault(self) -> None:
        from evidence_kit.core.errors import VaultMissing
        from evidence_kit.core.vault import vault_exists

        if not self.folder.is_dir() or not vault_exists(self.folder):
            raise VaultMissing(
                f"There is no vault in {self.folder}. Create one with 'evidence-kit init', "
                "or give the right folder with --vault."
            )

    def open(self) -> Any:
        from evidence_kit.core.vault import Vault
        from evidence_kit.export.staging import cleanup_stale

        self.require_vault()
        vault = self.open_with(
            lambda passphrase: Vault.open(self.folder, passphrase,
                                          wait_seconds=LOCK_WAIT_SECONDS))
        try:
            # A killed export's decrypted leftovers go at the first opening after it.
            for notice in cleanup_stale(vault):
                tell(notice)
        except BaseException:
            vault.lock()
            raise
        self.opened(vault)
        return vault

    def opened(self, vault: Any) -> None:
        """Keep the vault a command opened, and pass on what its opening tidied up."""
        self.vault = vault
        # One command, one process: it has read none of the evidence pages a long-lived
        # app would have met, so its first write checks them all (core/damage.py).
        vault.check_pages_before_writing = True
        for notice in vault.notices:
            tell(notice)

    def damage(self) -> str | None:
        """The damage this command met in its vault, if it opened one."""
        vault = getattr(self, "vault", None)
        return vault.damage if vault is not None else None


Handler = Callable[[Session], int]


# ---- output ---------------------------------------------------------------------


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def json_out(value: Any) -> None:
    def plain(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return dataclasses.asdict(obj)
        raise TypeError(type(obj).__name__)

    sys.stdout.write(json.dumps(value, default=plain, ensure_ascii=False, indent=2) + "\n")


def url_warnings(flags: Sequence[str]) -> list[str]:
    return [f"Check the address: {flag}." for flag in flags]
