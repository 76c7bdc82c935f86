"""Every human-readable rendering the command line, the app and the packs share. Qt-free.

One module, so a size, a time or a recorded action reads the same wherever a person
meets it.
"""

from __future__ import annotations

from pathlib import Path


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 file``, ``2 files``: the count with the right form of the noun."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def bug_message(log: Path | None) -> str:
    """What a user is told when the fault is in Evidence Kit, not in their vault or disk."""
    where = f" The details were written to {log}; please send that file with a report." \
        if log is not None else ""
    return "Something went wrong in Evidence Kit itself; nothing was changed." + where
