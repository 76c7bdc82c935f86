"""Reading the vault's state and journal: items, incidents, notes, events, checkpoints.

Plain functions over a connection, so the facade stays small and a worker thread can
run them on a connection of its own. Rows are unpacked by column name (``ItemRow``),
never by position, and every read goes through :func:`store.query`, so a damaged page,
a failing disk and a wrong statement each surface as what they are.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from typing import Any, NamedTuple

from evidence_kit.core import store
from evidence_kit.core.errors import NotFound
from evidence_kit.core.journal import parse_record
from evidence_kit.core.model import CheckpointInfo, Event, Incident, Item, Note

# SQLite integers are signed 64-bit: a larger id cannot name anything stored, and binding
# it raises OverflowError, so it is refused as "not found" before it reaches the driver.
_MAX_ROW_ID = 2**63 - 1


def _row_id(value: int) -> int | None:
    return value if -_MAX_ROW_ID - 1 <= value <= _MAX_ROW_ID else None


class ItemRow(NamedTuple):
    """One row of ``items`` in the order :data:`ITEM_COLUMNS` selects it."""

    id: int
    incident_id: int | None
    method: str
    sha256: str
    size: int
    media_type: str
    original_name: str
    recorded_at: str
    url: str | None
    platform: str | None
    account: str | None
    description: str | None
    category: str | None
    withdrawn: int
    created_seq: int
    details: str


ITEM_COLUMNS = ", ".join(ItemRow._fields)


def item_from_row(raw: Any) -> Item:
    row = ItemRow._make(raw)
    # Plain parsing: verify checks these rows against the journal; listing 10,000 items
    # must not pay for re-canonicalising each one.
    payload = json.loads(row.details)
    url = payload.get("url") or {}
    return Item(
        id=row.id, incident_id=row.incident_id, method=row.method, sha256=row.sha256,
        size=row.size, media_type=row.media_type, original_name=row.original_name,
        recorded_at=row.recorded_at, url=row.url, platform=row.platform,
        account=row.account, description=row.description, category=row.category,
        withdrawn=bool(row.withdrawn), created_seq=row.created_seq,
        details=payload.get("details") or {}, url_flags=tuple(url.get("flags") or ()),
        posted_at=payload.get("posted_at") or None,
    )


def _event(data: Any, leaf: Any) -> Event:
    record = parse_record(bytes(data))
    return Event(record.seq, record.type, record.recorded_at, record.payload, bytes(leaf).hex())


# ---- items, incidents, notes -----------------------------------------------------------

def item(conn: store.Connection, item_id: int) -> Item:
    wanted = _row_id(item_id)
    row = None if wanted is None else store.query(
        conn, f"SELECT {ITEM_COLUMNS} FROM items WHERE id = ?", (wanted,)  # noqa: S608
    ).fetchone()
    if row is None:
        raise NotFound(f"There is no item {item_id} in this vault.")
    return item_from_row(row)


def items(conn: store.Connection, incident: int | None = None,
          include_withdrawn: bool = True) -> list[Item]:
    sql = f"SELECT {ITEM_COLUMNS} FROM items"  # noqa: S608
    clauses, params = [], []
    if incident is not None:
        if _row_id(incident) is None:
            return []
        clauses.append("incident_id = ?")
        params.append(incident)
    if not include_withdrawn:
        clauses.append("withdrawn = 0")
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    rows = store.query(conn, sql + " ORDER BY recorded_at, id", params).fetchall()
    return [item_from_row(r) for r in rows]


def items_with_content(conn: store.Connection, sha256: str) -> list[int]:
    rows = store.query(conn, "SELECT id FROM items WHERE sha256 = ? ORDER BY id", (sha256,))
    return [row[0] for row in rows]


def active_items_with_content(conn: store.Connection, sha256: str) -> int:
    return int(store.query(
        conn, "SELECT count(*) FROM items WHERE sha256 = ? AND withdrawn = 0", (sha256,)
    ).fetchone()[0])


def next_item_id(conn: store.Connection) -> int:
    return int(store.query(conn, "SELECT coalesce(max(id), 0) + 1 FROM items").fetchone()[0])


def next_incident_id(conn: store.Connection) -> int:
    return int(store.query(conn, "SELECT coalesce(max(id), 0) + 1 FROM incidents")
               .fetchone()[0])


_INCIDENT_QUERY = (
    "SELECT i.id, i.title, i.summary, i.created_at, count(t.id), min(t.recorded_at), "
    "max(t.recorded_at) FROM incidents i LEFT JOIN items t ON t.incident_id = i.id "
    "AND t.withdrawn = 0 {where} GROUP BY i.id ORDER BY i.id"
)


def _incident_from_row(row: Any) -> Incident:
    id_, title, summary, created_at, count, first_at, last_at = row
    return Incident(id=id_, title=title, summary=summary, created_at=created_at,
                    item_count=count, first_at=first_at, last_at=last_at)


def incident(conn: store.Connection, incident_id: int) -> Incident:
    wanted = _row_id(incident_id)
    row = None if wanted is None else store.query(
        conn, _INCIDENT_QUERY.format(where="WHERE i.id = ?"), (wanted,)
    ).fetchone()
    if row is None:
        raise NotFound(f"There is no incident {incident_id} in this vault.")
    return _incident_from_row(row)


def incidents(conn: store.Connection) -> list[Incident]:
    rows = store.query(conn, _INCIDENT_QUERY.format(where="")).fetchall()
    return [_incident_from_row(row) for row in rows]


def notes(conn: store.Connection, *, item: int | None = None,
          incident: int | None = None) -> list[Note]:
    sql = "SELECT seq, item_id, incident_id, text, recorded_at FROM notes"
    params: tuple[Any, ...] = ()
    if item is not None:
        sql, params = sql + " WHERE item_id = ?", (item,)
    elif incident is not None:
        sql, params = sql + " WHERE incident_id = ?", (incident,)
    if params and _row_id(params[0]) is None:
        return []
    rows = store.query(conn, sql + " ORDER BY seq", params).fetchall()
    return [Note(seq=seq, item_id=item_id, incident_id=incident_id, text=text,
                 recorded_at=recorded_at)
            for seq, item_id, incident_id, text, recorded_at in rows]


def item_history(conn: store.Connection, item_id: int,
                 exclude: Collection[str] = ()) -> list[Event]:
    """The item's events in order, leaving out those of the types in ``exclude``
    (unread: an export's record names every item it carried, so reading them for
    each item of a large incident would cost exports × items²)."""
    item(conn, item_id)
    skip = sorted(exclude)
    marks = ", ".join("?" * len(skip))  # placeholders only: the types are parameters
    rows = store.query(
        conn,
        "SELECT e.record, e.leaf FROM item_events h JOIN events e ON e.seq = h.seq "  # noqa: S608
        f"WHERE h.item_id = ? AND e.type NOT IN ({marks}) ORDER BY e.seq", (item_id, *skip)
    ).fetchall()
    return [_event(data, leaf) for data, leaf in rows]


# ---- the journal -----------------------------------------------------------------------

def head(conn: store.Connection) -> tuple[int, bytes] | None:
    """The last event's seq and leaf, or None for an empty journal."""
    row = store.query(conn, "SELECT seq, leaf FROM events ORDER BY seq DESC LIMIT 1",
                      what="saving the change").fetchone()
    return (int(row[0]), bytes(row[1])) if row else None


def event_count(conn: store.Connection) -> int:
    row = store.query(conn, "SELECT max(seq) FROM events").fetchone()
    return int(row[0] or 0)


def event(conn: store.Connection, seq: int) -> Event:
    wanted = _row_id(seq)
    row = None if wanted is None else store.query(
        conn, "SELECT record, leaf FROM events WHERE seq = ?", (wanted,)).fetchone()
    if row is None:
        raise NotFound(f"There is no event {seq}.")
    return _event(row[0], row[1])


def events(conn: store.Connection, since: int = 0) -> Iterator[Event]:
    rows = store.query(conn, "SELECT record, leaf FROM events WHERE seq > ? ORDER BY seq",
                       (since,)).fetchall()
    for data, leaf in rows:
        yield _event(data, leaf)


def events_of_types(conn: store.Connection, types: Collection[str]) -> list[Event]:
    kinds = sorted(types)
    marks = ", ".join("?" * len(kinds))  # placeholders only: the types are parameters
    rows = store.query(conn, f"SELECT record, leaf FROM events WHERE type IN ({marks}) "  # noqa: S608
                       "ORDER BY seq", kinds).fetchall()
    return [_event(data, leaf) for data, leaf in rows]


def record_bytes(conn: store.Connection, seq: int) -> bytes:
    wanted = _row_id(seq)
    row = None if wanted is None else store.query(
        conn, "SELECT record FROM events WHERE seq = ?", (wanted,)).fetchone()
    if row is None:
        raise NotFound(f"There is no event {seq}.")
    return bytes(row[0])


def leaves(conn: store.Connection, upto: int | None = None) -> list[bytes]:
    limit = upto if upto is not None else event_count(conn)
    rows = store.query(conn, "SELECT leaf FROM events WHERE seq <= ? ORDER BY seq",
                       (min(limit, _MAX_ROW_ID),)).fetchall()
    return [bytes(r[0]) for r in rows]


def seqs_of(conn: store.Connection, table: str, incident: int | None = None) -> list[int]:
    """The events behind the ``actions`` or ``sightings`` rows, in journal order."""
    if table not in ("actions", "sightings"):
        raise ValueError(f"no events table {table}")
    sql = f"SELECT seq FROM {table}"  # noqa: S608 (one of two fixed names)
    params: tuple[Any, ...] = ()
    if incident is not None:
        if _row_id(incident) is None:
            return []
        sql += " WHERE incident_id = ?"
        params = (incident,)
    return [row[0] for row in store.query(conn, sql + " ORDER BY seq", params)]


# ---- checkpoints and settings ----------------------------------------------------------

def checkpoints(conn: store.Connection) -> list[CheckpointInfo]:
    rows = store.query(
        conn, "SELECT tree_size, root, note, made_at FROM checkpoints ORDER BY tree_size, id"
    ).fetchall()
    return [CheckpointInfo(tree_size=size, root=bytes(root).hex(), note=note, made_at=made)
            for size, root, note, made in rows]


def signed_size(conn: store.Connection) -> int:
    """How many events the latest checkpoint covers."""
    row = store.query(conn, "SELECT max(tree_size) FROM checkpoints").fetchone()
    return int(row[0] or 0)


def setting(conn: store.Connection, key: str) -> str | None:
    row = store.query(conn, "SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else None


def meta(conn: store.Connection, key: str) -> bytes | None:
    row = store.query(conn, "SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return bytes(row[0]) if row else None
