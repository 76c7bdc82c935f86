"""A damaged vault is read-only for the rest of the process.

Once anything in this process has met damage in a vault's database (an
:class:`IntegrityFailure` from the store, content that no longer matches its hash, a
failed page check), every later write to that database is refused: writing more into a
file whose pages are failing can only put what is left at risk, and a vault that keeps
taking evidence would also keep signing checkpoints and packs as if it were whole.
Reading goes on as far as it can.

What is checked before a write, and why not more (measured on this 2-core machine, a
409 MB vault): SQLCipher's ``cipher_integrity_check`` reads and authenticates every
page, at 300–400 MB/s, so about 1.0–1.3 s here and several seconds for a vault of
videos; ``PRAGMA quick_check`` costs the same. Either, before every ``add`` or capture,
would be paid by the person capturing a post before it is taken down. Instead:

* before the first write of each unlock, :func:`structure_problem` authenticates every
  page but the evidence content itself: the journal, the state tables, every index and
  the content table's own tree, without following the content into its overflow pages
  (3–7 ms on the same vault). Those are the pages every later write and checkpoint
  relies on; SQLCipher authenticates each page it reads, so the pages a write touches
  are checked by the write itself;
* damage in the content pages is met when that content is read (show, extract, export,
  preview) or by ``verify``, and from then on it is sticky;
* before a backup or an export, whose copies leave the machine and claim to be whole,
  the full page check runs (:func:`page_problems`): they read most pages anyway;
* a short-lived process that opens the vault only to append (``evidence-kit note``,
  ``add``, ``capture``) has met none of the content a long-lived app reads as it goes,
  so a page damaged in the middle of the file would go unnoticed until a later check.
  Such a process (``Vault.check_pages_before_writing``) runs the full page check before
  its first write, up to :data:`FULL_CHECK_LIMIT` bytes (about 0.7 s at that size on
  this machine when quiet, from the 300–400 MB/s above; 4.8 s for 215 MB at a load
  average of 12, 1.07× reading the file and computing one HMAC-SHA512 per page:
  ``tests/bench/damage_bench.py``). The key derivation it has just paid is about
  0.6 s. Above that, the write goes
  ahead on the checked structure: it adds new pages and rewrites only the pages of the
  trees it changes, which it authenticates as it reads them, so it never rewrites a
  damaged content page; the damage is met at the next read, check, backup or export.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

from evidence_kit.core.errors import VaultDamaged

RESTORE = "Restore your most recent backup (see the README)."

FULL_CHECK_LIMIT = 256 * 1024 * 1024
"""The largest vault.db (with its -wal) a process that only appends checks in full
before its first write."""

_lock = threading.Lock()
_seen: dict[str, str] = {}  # resolved database path -> what was first met there


def _key(db_path: Path | str) -> str:
    return str(Path(db_path).resolve())


def record(db_path: Path | str, reason: str) -> None:
    """Remember that ``db_path`` is damaged (the first reason is kept: it is the cause)."""
    with _lock:
        _seen.setdefault(_key(db_path), reason)


def seen(db_path: Path | str) -> str | None:
    """What damage this process has met in ``db_path``, or None."""
    with _lock:
        return _seen.get(_key(db_path))


def forget(db_path: Path | str) -> None:
    """For a database replaced by a restored backup while the process runs (the app)."""
    with _lock:
        _seen.pop(_key(db_path), None)


def full_check_affordable(db_path: Path | str, limit: int | None = None) -> bool:
    """Whether checking every page of ``db_path`` costs little enough to do before a
    write (see the module's words)."""
    total = 0
    for suffix in ("", "-wal"):
        with contextlib.suppress(OSError):
            total += Path(f"{db_path}{suffix}").stat().st_size
    return total <= (FULL_CHECK_LIMIT if limit is None else limit)


def refusal(reason: str) -> VaultDamaged:
    """The one sentence every refused write gives."""
    reason = reason.rstrip(". ")
    return VaultDamaged(f"This vault is damaged: {reason}. Nothing was changed. {RESTORE}")


def structure_problem(conn: Any) -> str | None:
    """Read every page of the journal, state and indexes (not the evidence bytes); the
    first problem met, or None. SQLCipher authenticates each page as it reads it."""
    from evidence_kit.core import store

    try:
        tables = [str(row[0]) for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
        for table in tables:
            if table == "chunks":
                continue
            rows = conn.execute(f"PRAGMA quick_check('{table}')").fetchall()
            if [tuple(r) for r in rows] != [("ok",)]:
                return f"its {table} table fails its check ({rows[0][0]})"
        # The content table's own tree and its index, but not the content's overflow
        # pages: the columns before ``data`` are all a scan needs.
        conn.execute("SELECT max(idx) FROM chunks NOT INDEXED").fetchone()
        conn.execute("SELECT count(*) FROM chunks INDEXED BY sqlite_autoindex_chunks_1"
                     ).fetchone()
    except store.DatabaseError as exc:
        if store.primary_code(exc) in store.DAMAGE_CODES:
            return f"a page of the database cannot be read ({exc})"
        store.raise_db_error(exc, "checking the vault")
    return None


def page_problems(conn: Any) -> list[str]:
    """Every page that fails SQLCipher's authentication (HMAC), as SQLCipher words it."""
    from evidence_kit.core import store

    try:
        return [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check")]
    except store.DatabaseError as exc:
        if store.primary_code(exc) in store.DAMAGE_CODES:
            return [str(exc)]
        store.raise_db_error(exc, "checking the vault")
