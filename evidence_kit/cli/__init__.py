"""The command line. Qt-free, except the bare command, which starts the desktop app.

Exit codes: 0 success, 1 verification failed (or the vault is damaged: a command that
read from a damaged vault says so after its output, and writes are refused), 2 usage or bad
input, 3 wrong passphrase or vault unavailable, 70 a fault in Evidence Kit itself, 130
stopped at a prompt, 141 the reader of the output went away (``… | head -1``). Expected
failures print one sentence; so do bugs, whose traceback goes to the private log.

One module per group of commands (``vault_commands``, ``evidence``, ``incidents``,
``checks``, ``packs``), the shared session and prompts in ``shared``, the parser in ``parser``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from evidence_kit.core.errors import EvidenceKitError

from .parser import build_parser
from .shared import Session

__all__ = ["EXIT_BROKEN_PIPE", "EX_SOFTWARE", "build_parser", "main"]

EX_SOFTWARE = 70  # sysexits.h: an internal software error (os.EX_SOFTWARE is POSIX-only)
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a tool ended by SIGPIPE

_log = logging.getLogger("evidence_kit.cli")

StartApp = Callable[[argparse.Namespace], int]


def _print_help(_args: argparse.Namespace) -> int:
    build_parser().print_help()
    return 0


def main(argv: Sequence[str] | None = None, start_app: StartApp = _print_help) -> int:
    """Run one command. With none, ``start_app`` runs (the entry point passes the app)."""
    from evidence_kit.settings import configure_logging

    configure_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return start_app(args)
    try:
        session = Session(args)
        code: int = args.handler(session)
        # Flushed here, not at exit, so a reader that went away is noticed below.
        sys.stdout.flush()
        return _damaged(session, code)
    except EvidenceKitError as exc:
        sys.stderr.write(f"evidence-kit: {exc}\n")
        return exc.exit_code
    except (KeyboardInterrupt, EOFError):
        sys.stderr.write("\nevidence-kit: stopped; nothing was half-saved.\n")
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except Exception:
        return _report_bug()


def _damaged(session: Session, code: int) -> int:
    """A command that read what it could from a damaged vault still says so, exit 1."""
    met = session.damage()
    if met is None or code != 0:
        return code
    from evidence_kit.core.damage import RESTORE

    sys.stderr.write(f"evidence-kit: This vault is damaged: {met.rstrip('. ')}. What could "
                     f"be read is shown above; nothing was written. {RESTORE}\n")
    return 1


def _quiet_stdout() -> None:
    """Point stdout at devnull, so the flush at exit cannot raise a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass  # no real file descriptor (a test's captured stdout): nothing will flush it


def _report_bug() -> int:
    """A fault in Evidence Kit itself: the traceback to the log, one sentence to the user."""
    from evidence_kit import settings, wording

    logged = _log_file_open()
    _log.exception("A command failed with an error that is not one of Evidence Kit's own",
                   extra={_LOG_ONLY: True})
    message = wording.bug_message(settings.log_file() if logged else None)
    sys.stderr.write(f"evidence-kit: {message}\n")
    if not logged:
        # No log file could be made: the traceback would be lost, so it goes here instead.
        import traceback

        traceback.print_exc(file=sys.stderr)
    return EX_SOFTWARE


# Set on the bug record so the console handler leaves it to the log file: the user sees
# one sentence, not a traceback.
_LOG_ONLY = "evidence_kit_log_only"


def _log_file_open() -> bool:
    handlers = logging.getLogger("evidence_kit").handlers
    for handler in handlers:
        if not isinstance(handler, logging.FileHandler) and not any(
                isinstance(f, _LogOnlyFilter) for f in handler.filters):
            handler.addFilter(_LogOnlyFilter())
    return any(isinstance(h, logging.FileHandler) for h in handlers)


class _LogOnlyFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, _LOG_ONLY, False)
