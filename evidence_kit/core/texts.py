"""Text read from pictures by software (OCR): its state rows, its search index, its event.

A ``text.read`` event is a derivative of one item: its payload names the item, the
SHA-256 of the picture that was read (``of``), the engine and languages, and the text
itself as a stored file (``file``: SHA-256, size, type), so verify re-hashes it like any
content and a withdrawal purges it with the picture. The event is not part of the item's
history: a pack never discloses it (text read from an original holds what a redacted
copy hides), it only quotes the text of the picture it shows.

Search runs inside the encrypted vault on an FTS5 word index: each word typed matches
the start of a word read (case and accents folded). Scripts written without spaces
(Chinese, Japanese, Thai) and emoji are indexed a character at a time, so a two-character
Chinese word is found as a phrase. A trigram index (substrings anywhere) was measured
and turned down: 330 ms for a common word over 10,000 items, against the 100 ms goal.
Nothing decrypted leaves the database.
"""

from __future__ import annotations

import hashlib
import unicodedata
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
CREATE VIRTUAL TABLE IF NOT EXISTS item_text_index USING fts5(
    text, tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co So'", prefix='2 3'
)
"""
"""The search index: a copy of each item's latest text under its item id (rowid). It is
derived, not evidence: verify checks the stored text files, not this copy, so it lives
only in the vault (created by the schema upgrade), never in verify's replay."""


def _spaceless(ch: str) -> bool:
    """Scripts written without spaces between words (Chinese, Japanese, Korean, Thai),
    and symbols and emoji: each such character is a word of its own in the index."""
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF
            or 0x0E00 <= o <= 0x0EFF or 0x20000 <= o <= 0x3FFFF
            or unicodedata.category(ch) == "So")


def spaced(text: str) -> str:
    """The text as the index holds it: spaceless characters set apart by spaces, so a
    search for two Chinese characters is a phrase of two words."""
    if all(ch.isascii() for ch in text):
        return text
    return "".join(f" {ch} " if _spaceless(ch) else ch for ch in text)


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
        conn.execute("INSERT INTO item_text_index(rowid, text) VALUES (?, ?)",
                     (item_id, spaced(text)))


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


def _term(word: str) -> str | None:
    """One word as an FTS5 prefix phrase, or None if it holds nothing the index keeps."""
    if not any(ch.isalnum() or _spaceless(ch) for ch in word):
        return None
    return '"' + " ".join(spaced(word).split()).replace('"', '""') + '"*'


def find(conn: Any, words: Collection[str]) -> set[int]:
    """Items whose read text holds every one of ``words``: each word matches the start of
    a word in the text (case and accents folded: "gesla" finds "gęślą")."""
    from evidence_kit.core import store

    terms = [t for t in map(_term, words) if t]
    if not terms:
        return set()
    return {int(r[0]) for r in store.query(
        conn, "SELECT rowid FROM item_text_index WHERE item_text_index MATCH ?",
        (" AND ".join(terms),), what="searching the text").fetchall()}
