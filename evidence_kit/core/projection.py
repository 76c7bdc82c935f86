"""The current state (incidents, items, notes) as a pure function of the journal.

:func:`apply` is the only code that writes these tables. The vault calls it inside the
same transaction as the event it applies; ``verify`` replays the whole journal through
it into an in-memory database and compares, so a state row edited behind the journal's
back is caught.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from evidence_kit.core import canonical, texts
from evidence_kit.core.journal import EventType, Record

PROJECTION_TABLES = ("incidents", "items", "notes", "item_events", "sightings", "actions",
                     "marks", "item_texts")

SCHEMA = """
CREATE TABLE IF NOT EXISTS incidents (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER REFERENCES incidents(id),
    method TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    original_name TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    url TEXT,
    platform TEXT,
    account TEXT,
    description TEXT,
    category TEXT,
    details TEXT NOT NULL,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    created_seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS items_incident ON items(incident_id);
CREATE INDEX IF NOT EXISTS items_sha ON items(sha256);
CREATE TABLE IF NOT EXISTS notes (
    seq INTEGER PRIMARY KEY,
    item_id INTEGER REFERENCES items(id),
    incident_id INTEGER REFERENCES incidents(id),
    text TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS item_events (
    item_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (item_id, seq)
);
CREATE TABLE IF NOT EXISTS actions (
    seq INTEGER PRIMARY KEY,
    incident_id INTEGER REFERENCES incidents(id),
    kind TEXT NOT NULL,
    happened_on TEXT,
    details TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS marks (
    item_id INTEGER PRIMARY KEY,
    mark TEXT NOT NULL,
    number INTEGER NOT NULL UNIQUE,
    seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sightings (
    seq INTEGER PRIMARY KEY,
    details TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
""" + texts.STATE_SCHEMA

# Fields an item.details event may set; anything else in its payload is ignored here.
EDITABLE_ITEM_FIELDS = ("url", "platform", "account", "description", "category")


class Cursorish(Protocol):
    def fetchone(self) -> Any: ...


class Connectionish(Protocol):
    def execute(self, sql: str, params: Any = ..., /) -> Cursorish: ...


def _touch(conn: Connectionish, item_id: int, seq: int) -> None:
    conn.execute("INSERT OR IGNORE INTO item_events(item_id, seq) VALUES (?, ?)", (item_id, seq))


def _set_posted_at(conn: Connectionish, item_id: int, value: Any) -> None:
    """Kept in the row's payload copy, beside the one given at creation: it has no
    column of its own, so no vault needs its schema changed to hold it."""
    row = conn.execute("SELECT details FROM items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        return
    payload = json.loads(row[0])
    if value:
        payload["posted_at"] = value
    else:
        payload.pop("posted_at", None)
    conn.execute("UPDATE items SET details = ? WHERE id = ?",
                 (canonical.encode(payload).decode("utf-8"), item_id))


def apply(conn: Connectionish, record: Record) -> None:
    """Bring the state tables up to date with one more event."""
    p = record.payload
    kind = record.type
    if kind == EventType.INCIDENT_CREATED:
        conn.execute(
            "INSERT INTO incidents(id, title, summary, created_at, created_seq) "
            "VALUES (?, ?, '', ?, ?)",
            (p["incident"], p["title"], record.recorded_at, record.seq),
        )
    elif kind == EventType.INCIDENT_RENAMED:
        conn.execute("UPDATE incidents SET title = ? WHERE id = ?", (p["title"], p["incident"]))
    elif kind == EventType.INCIDENT_SUMMARY:
        conn.execute(
            "UPDATE incidents SET summary = ? WHERE id = ?", (p["summary"], p["incident"])
        )
    elif kind in (EventType.ITEM_IMPORTED, EventType.ITEM_CAPTURED):
        file = p["file"]
        url = p.get("url") or {}
        conn.execute(
            "INSERT INTO items(id, incident_id, method, sha256, size, media_type, "
            "original_name, recorded_at, url, platform, account, description, category, "
            "details, withdrawn, created_seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?)",
            (
                p["item"], p.get("incident"),
                "capture" if kind == EventType.ITEM_CAPTURED else "import",
                file["sha256"], file["size"], file["type"], file["name"], record.recorded_at,
                url.get("text"), p.get("platform"), p.get("account"), p.get("description"),
                p.get("category"), canonical.encode(p).decode("utf-8"), record.seq,
            ),
        )
        _touch(conn, p["item"], record.seq)
        if p.get("note"):
            conn.execute(
                "INSERT INTO notes(seq, item_id, incident_id, text, recorded_at) "
                "VALUES (?, ?, NULL, ?, ?)",
                (record.seq, p["item"], p["note"], record.recorded_at),
            )
    elif kind == EventType.ITEM_DETAILS:
        for field in EDITABLE_ITEM_FIELDS:
            if field in p:
                value = p[field]
                if field == "url" and isinstance(value, dict):
                    value = value.get("text")
                conn.execute(f"UPDATE items SET {field} = ? WHERE id = ?",  # noqa: S608
                             (value, p["item"]))
        if "posted_at" in p:
            _set_posted_at(conn, p["item"], p["posted_at"])
        _touch(conn, p["item"], record.seq)
    elif kind == EventType.ITEM_MOVED:
        conn.execute("UPDATE items SET incident_id = ? WHERE id = ?", (p["to"], p["item"]))
        _touch(conn, p["item"], record.seq)
    elif kind == EventType.ITEM_WITHDRAWN:
        conn.execute("UPDATE items SET withdrawn = 1 WHERE id = ?", (p["item"],))
        texts.apply_withdrawn(conn, p["item"])
        _touch(conn, p["item"], record.seq)
    elif kind == EventType.ITEM_EXTRACTED:
        _touch(conn, p["item"], record.seq)
    elif kind == EventType.NOTE_ADDED:
        conn.execute(
            "INSERT INTO notes(seq, item_id, incident_id, text, recorded_at) VALUES (?,?,?,?,?)",
            (record.seq, p.get("item"), p.get("incident"), p["text"], record.recorded_at),
        )
        if p.get("item") is not None:
            _touch(conn, p["item"], record.seq)
    elif kind == EventType.SIGHTING_REPORTED:
        conn.execute(
            "INSERT INTO sightings(seq, details, recorded_at) VALUES (?, ?, ?)",
            (record.seq, canonical.encode(p).decode("utf-8"), record.recorded_at),
        )
    elif kind == EventType.ACTION_RECORDED:
        conn.execute(
            "INSERT INTO actions(seq, incident_id, kind, happened_on, details, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (record.seq, p.get("incident"), p["action"], p.get("happened_on"),
             canonical.encode(p.get("details") or {}).decode("utf-8"), record.recorded_at),
        )
    elif kind in (EventType.EXPORT_MADE, EventType.EXPORT_STARTED):
        # A confirmation (export.made naming its export.started) names no items: the
        # started event is the one in each item's history.
        for item_id in p.get("items", []):
            _touch(conn, item_id, record.seq)
    elif kind == EventType.CAPTURE_SCROLLED:
        for item_id in p.get("items", []):
            _touch(conn, item_id, record.seq)
    elif kind == EventType.EXHIBIT_MARKED:
        conn.execute("INSERT INTO marks(item_id, mark, number, seq) VALUES (?, ?, ?, ?)",
                     (p["item"], p["mark"], p["number"], record.seq))
        _touch(conn, p["item"], record.seq)
    elif kind == EventType.TEXT_READ:
        # Not touched into the item's history: packs never disclose it (see texts).
        texts.apply(conn, record.seq, p)
    # vault.created, key.changed, backup.made and incident.referral (read from the journal
    # itself, see referral.py) change no state rows.
