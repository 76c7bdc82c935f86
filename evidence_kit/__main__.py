"""The ``evidence-kit`` program: a command, or with none the desktop app.

The choice is made here, above both, so the command line never imports the app.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def _no_display() -> bool:
    """Qt aborts the whole process without a display, so look before starting it."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def start_app(args: argparse.Namespace) -> int:
    if _no_display():
        sys.stderr.write(
            "evidence-kit: there is no screen here for the desktop app (no graphical "
            "session). Everything can also be done with the commands: evidence-kit --help\n"
        )
        return 3
    from evidence_kit.app import run_app

    return run_app(args)


def main(argv: Sequence[str] | None = None) -> int:
    from evidence_kit import cli

    return cli.main(argv, start_app=start_app)


if __name__ == "__main__":
    sys.exit(main())
