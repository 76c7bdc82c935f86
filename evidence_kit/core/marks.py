"""Exhibit marks (``JS/3``): the producer's initials and a running number, assigned once.

A mark is an ``exhibit.marked`` event, so it is part of the signed history: the same
screenshot is ``JS/3`` in every pack, for every recipient, whatever else the pack holds.
Numbers run across the whole vault and are never reused (a withdrawn item keeps its
number), so a gap in a pack's marks means an exhibit the pack does not hold, never one
that was renumbered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from evidence_kit.core import store
from evidence_kit.core.errors import BadInput
from evidence_kit.core.profile import Profile

# Letters of any script, as initials are written; a slash would make the mark ambiguous.
_INITIALS = re.compile(r"[^\W\d_]{1,6}\Z")


class InitialsMissing(BadInput):
    """Marks need the producer's initials and none are set."""


INITIALS_NEEDED = (
    "Exhibit marks such as JS/1 need your initials, and none are set: add them in the "
    "app's Settings, under \"About you\", then export again."
)


@dataclass(frozen=True)
class Mark:
    item: int
    mark: str  # "JS/3"
    number: int
    seq: int
    """The event that assigned it (0 for a mark planned but not yet recorded)."""


def initials(profile: Profile) -> str | None:
    """The initials marks are made from, or None when none (usable) are set."""
    text = profile.initials.strip().upper()
    return text if _INITIALS.match(text) else None


def require_initials(profile: Profile) -> str:
    found = initials(profile)
    if found is None:
        raise InitialsMissing(INITIALS_NEEDED)
    return found


def payload(item_id: int, prefix: str, number: int) -> dict[str, Any]:
    return {"item": item_id, "mark": f"{prefix}/{number}", "initials": prefix,
            "number": number}


def all_marks(conn: store.Connection) -> dict[int, Mark]:
    rows = store.query(conn, "SELECT item_id, mark, number, seq FROM marks").fetchall()
    return {int(i): Mark(int(i), str(m), int(n), int(s)) for i, m, n, s in rows}


def next_number(conn: store.Connection) -> int:
    row = store.query(conn, "SELECT coalesce(max(number), 0) + 1 FROM marks").fetchone()
    return int(row[0])
