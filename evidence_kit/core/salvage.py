"""Reading a damaged vault as far as it can be read.

When a state table (items, incidents, notes …) cannot be read, the same state is
rebuilt from the journal, which is the true record, in memory (never on disk), and
the read is answered from that. If the journal itself cannot be read, there is
nothing to rebuild from and the original error stands.
"""

from __future__ import annotations

import sqlite3

from evidence_kit.core import projection, store
from evidence_kit.core.errors import IntegrityFailure
from evidence_kit.core.journal import RecordError, parse_record


def journal_state(conn: store.Connection) -> sqlite3.Connection | None:
    """The state tables replayed from every readable event, or None when the journal
    cannot be read whole (a state missing events would mislead more than an error)."""
    try:
        rows = store.query(conn, "SELECT record FROM events ORDER BY seq").fetchall()
    except IntegrityFailure:
        return None
    mem = sqlite3.connect(":memory:", check_same_thread=False)
    mem.executescript(projection.SCHEMA)
    try:
        for (raw,) in rows:
            projection.apply(mem, parse_record(bytes(raw)))
    except (RecordError, KeyError, TypeError, sqlite3.Error):
        mem.close()
        return None
    return mem
