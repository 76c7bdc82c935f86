"""Text read from pictures by software (OCR): its state rows, its search index, its event.

A ``text.read`` event is a derivative of one item: its payload names the item, the
SHA-256 of the picture that was read (``of``), the engine and languages, and the text
itself as a stored file (``file``: SHA-256, size, type), so verify re-hashes it like any
content and a withdrawal purges it with the picture. The event is not part of the item's
history: a pack never discloses it (text read from an original holds what a redacted
copy hides), it only quotes the text of the picture it shows.

Search runs inside the encrypted vault on an FTS5 index with the trigram tokenizer,
which finds any run of three or more characters in any script (Urdu, Chinese and emoji
included, which word tokenizers drop or run together). Shorter words, common in Chinese,
are matched by a scan of the indexed text instead; nothing decrypted leaves the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from evidence_kit.core.journal import parse_record

# store imports this module (its schema), so its queries import store when they run.

TEXT_MEDIA_TYPE = "text/plain; charset=utf-8"

STATE_SCHEMA = """
CREATE TABLE IF NOT EXISTS item_texts (
    item_id INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL,
    of_sha256 TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    engine TEXT NOT NULL,
    languages TEXT NOT NULL
);
"""
"""Part of the state the journal implies (verify rebuilds and compares it); the text
itself is a stored file, named by ``sha256``."""

INDEX_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS item_text_index USING fts5(text, tokenize='trigram');
"""
"""The search index: a copy of each item's latest text under its item id (rowid). It is
derived, not evidence: verify checks the stored text files, not this copy."""

TRIGRAM = 3


@dataclass(frozen=True)
class ReadText:
    """The latest text read from one item's picture."""

    item_id: int
    seq: int
    of_sha256: str
    sha256: str
    engine: str
    languages: tuple[str, ...]
    text: str
    recorded_at: str = ""


def payload(item_id: int, of_sha256: str, text: str, engine: str,
            languages: Collection[str]) -> tuple[dict[str, Any], bytes]:
    data = text.encode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    return ({
        "item": item_id,
        "of": of_sha256,
        "file": {"sha256": sha, "size": len(data), "type": TEXT_MEDIA_TYPE,
                 "name": f"text-read-from-item-{item_id}.txt"},
        "engine": engine,
        "languages": list(languages),
        "chars": len(text),
    }, data)


def apply(conn: Any, seq: int, p: dict[str, Any]) -> None:
    """The state after a ``text.read`` event: the newest reading of an item wins."""
    file = p["file"]
    conn.execute(
        "INSERT OR REPLACE INTO item_texts(item_id, seq, of_sha256, sha256, size, engine, "
        "languages) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (int(p["item"]), seq, p["of"], file["sha256"], file["size"], p["engine"],
         ",".join(p["languages"])))


def apply_withdrawn(conn: Any, item_id: int) -> None:
    conn.execute("DELETE FROM item_texts WHERE item_id = ?", (item_id,))


def index(conn: Any, item_id: int, text: str | None) -> None:
    """Put an item's latest text in the search index (None: take it out)."""
    conn.execute("DELETE FROM item_text_index WHERE rowid = ?", (item_id,))
    if text:
        conn.execute("INSERT INTO item_text_index(rowid, text) VALUES (?, ?)", (item_id, text))


def text_blobs(conn: Any, item_id: int) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT sha256 FROM item_texts WHERE item_id = ?", (item_id,)).fetchall()]


def blob_in_use(conn: Any, sha256: str) -> bool:
    return conn.execute("SELECT 1 FROM item_texts WHERE sha256 = ? LIMIT 1",
                        (sha256,)).fetchone() is not None


def read_text(conn: Any, item_id: int) -> ReadText | None:
    """The latest reading's record (its ``text`` empty: the caller reads the file)."""
    from evidence_kit.core import store

    rows = store.query(conn, "SELECT t.item_id, t.seq, t.of_sha256, t.sha256, t.engine, "
                       "t.languages, e.record FROM item_texts t JOIN events e ON e.seq = t.seq "
                       "WHERE t.item_id = ?", (item_id,)).fetchall()
    if not rows:
        return None
    r = rows[0]
    return ReadText(int(r[0]), int(r[1]), r[2], r[3], r[4],
                    tuple(x for x in str(r[5]).split(",") if x), "",
                    parse_record(bytes(r[6])).recorded_at)


def items_without_text(conn: Any) -> list[int]:
    """Pictures (not withdrawn) whose text has not been read, oldest first."""
    from evidence_kit.core import store

    rows = store.query(
        conn, "SELECT i.id FROM items i LEFT JOIN item_texts t ON t.item_id = i.id "
        "WHERE i.withdrawn = 0 AND i.media_type LIKE 'image/%' AND t.item_id IS NULL "
        "ORDER BY i.id").fetchall()
    return [int(r[0]) for r in rows]


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def find(conn: Any, words: Collection[str]) -> set[int]:
    """Items whose read text holds every one of ``words`` (case folded), anywhere."""
    from evidence_kit.core import store

    words = [w for w in words if w]
    if not words:
        return set()
    long = [w for w in words if len(w) >= TRIGRAM]
    short = [w for w in words if len(w) < TRIGRAM]
    if long:
        found = {int(r[0]) for r in store.query(
            conn, "SELECT rowid FROM item_text_index WHERE item_text_index MATCH ?",
            (" AND ".join(_phrase(w) for w in long),), what="searching the text").fetchall()}
        if not short or not found:
            return found
    else:
        found = None
    # Words under three characters: LIKE folds ASCII only, so these are also compared
    # casefolded in Python, on the rows already narrowed by the index where it could.
    sql = "SELECT rowid, text FROM item_text_index"
    rows = store.query(conn, sql, what="searching the text").fetchall()
    hits = set()
    for item_id, text in rows:
        if found is not None and int(item_id) not in found:
            continue
        folded = str(text).casefold()
        if all(w.casefold() in folded for w in short):
            hits.add(int(item_id))
    return hits
