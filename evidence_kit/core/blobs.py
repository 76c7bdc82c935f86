"""Evidence content: kept once per SHA-256 in chunks, read back hash-checked, purged.

Content is split into :data:`store.CHUNK_BYTES` rows so no single row is huge and a
large video is never whole in memory when it is streamed. Writes run inside the
caller's transaction (the event that names the content commits with it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from evidence_kit.core import store
from evidence_kit.core.errors import IntegrityFailure, NotFound


def store_blob(conn: store.Connection, data: bytes, sha256: str) -> None:
    """Keep content once per hash; an identical file already kept costs nothing."""
    row = store.query(conn, "SELECT purged_seq FROM blobs WHERE sha256 = ?", (sha256,),
                      what="saving evidence").fetchone()
    if row is not None and row[0] is None:
        return
    if row is not None:  # it was purged; the same bytes arriving again are kept again
        conn.execute("DELETE FROM blobs WHERE sha256 = ?", (sha256,))
    view = memoryview(data)
    chunks = 0
    for chunks, offset in enumerate(range(0, len(data), store.CHUNK_BYTES), start=1):
        conn.execute(
            "INSERT INTO chunks(sha256, idx, data) VALUES (?, ?, ?)",
            (sha256, chunks - 1, view[offset : offset + store.CHUNK_BYTES]),
        )
    conn.execute(
        "INSERT INTO blobs(sha256, size, chunks, purged_seq) VALUES (?, ?, ?, NULL)",
        (sha256, len(data), chunks),
    )


def purge(conn: store.Connection, sha256: str, seq: int) -> None:
    """Drop the content and its preview; the blob row remembers which event purged it."""
    conn.execute("DELETE FROM chunks WHERE sha256 = ?", (sha256,))
    conn.execute("DELETE FROM thumbnails WHERE sha256 = ?", (sha256,))
    conn.execute("UPDATE blobs SET purged_seq = ? WHERE sha256 = ?", (seq, sha256))


def chunk_count(conn: store.Connection, sha256: str) -> int:
    row = store.query(conn, "SELECT chunks, purged_seq FROM blobs WHERE sha256 = ?",
                      (sha256,), what="reading evidence").fetchone()
    if row is None:
        raise NotFound("That content is not in the vault.")
    if row[1] is not None:
        raise NotFound("That content was withdrawn and purged from the vault.")
    return int(row[0])


def iter_blob(conn: store.Connection, sha256: str) -> Iterator[bytes]:
    """The content a chunk at a time; the hash is checked as it goes, and bytes that do
    not match it end in an error rather than a clean finish."""
    digest = hashlib.sha256()
    for idx in range(chunk_count(conn, sha256)):
        row = store.query(conn, "SELECT data FROM chunks WHERE sha256 = ? AND idx = ?",
                          (sha256, idx), what="reading evidence").fetchone()
        if row is None:
            break
        chunk = bytes(row[0])
        digest.update(chunk)
        yield chunk
    if digest.hexdigest() != sha256:
        store.note_damage(conn, "stored content does not match its hash")
        raise IntegrityFailure(
            "The vault database is damaged (stored content does not match its hash). "
            "Keep this copy as it is and restore your latest backup."
        )


def read_blob(conn: store.Connection, sha256: str, limit: int | None = None) -> bytes:
    """The content whole, hash-checked; with ``limit``, only its first bytes (unchecked:
    a peek at a file's header, not evidence)."""
    if limit is None:
        return b"".join(iter_blob(conn, sha256))
    head = b""
    for idx in range(chunk_count(conn, sha256)):
        if len(head) >= limit:
            break
        row = store.query(
            conn, "SELECT substr(data, 1, ?) FROM chunks WHERE sha256 = ? AND idx = ?",
            (limit - len(head), sha256, idx), what="reading evidence",
        ).fetchone()
        head += bytes(row[0]) if row else b""
    return head[:limit]


def add_thumbnail(conn: store.Connection, sha256: str, png: bytes) -> bool:
    """Keep the first preview made of some content; True when this one was kept."""
    cursor = conn.execute("INSERT OR IGNORE INTO thumbnails(sha256, png) VALUES (?, ?)",
                          (sha256, png))
    return bool(cursor.rowcount)


def preview_payload(sha256: str, png: bytes) -> dict[str, object]:
    return {"of": sha256, "preview": {"sha256": hashlib.sha256(png).hexdigest(),
                                      "size": len(png), "type": "image/png"}}


def thumbnail(conn: store.Connection, sha256: str) -> bytes | None:
    row = store.query(conn, "SELECT png FROM thumbnails WHERE sha256 = ?", (sha256,),
                      what="reading a preview").fetchone()
    return bytes(row[0]) if row else None


class BlobReader:
    """Content read on a keyed connection of its own, so that a thread beside the vault's
    own can stream it (an export's ZIP) while the vault's connection serves the caller.

    SQLite decrypts and reads pages with Python's GIL let go, so such a thread costs the
    caller little more than the GIL's turns."""

    def __init__(self, conn: store.Connection) -> None:
        self._conn = conn

    def iter_blob(self, sha256: str) -> Iterator[bytes]:
        """As :func:`iter_blob`: hash-checked, a chunk at a time."""
        return iter_blob(self._conn, sha256)

    def interrupt(self) -> None:
        """Stop a read under way in another thread (it then raises)."""
        self._conn.interrupt()

    def close(self) -> None:
        self._conn.close()
