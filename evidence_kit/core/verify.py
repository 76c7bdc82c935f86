"""Verification: re-derive everything the vault claims and say plainly what does not hold.

In order, for one connection:

1. every event row: its leaf recomputed from the stored bytes, its record well formed and
   canonical, its ``seq`` where it is stored, its ``prev`` equal to the leaf before it;
2. every checkpoint: signature, size not beyond the journal, root equal to the Merkle
   root recomputed over the events it covers;
3. every piece of content the journal says is kept: re-read and re-hashed;
4. the state tables: replayed from the journal in memory and compared row by row;
5. SQLCipher's page check (every page's HMAC), run beside 1–4 on a second connection
   because it reads the same pages and the two cores would otherwise take turns;
6. the journal against ``vault.head``, the latest checkpoint kept outside the database
   (:mod:`head`): a database that lost events it once had is named.

Over 400 lines on purpose: each check below is a short function, and together they are
the one walk a verification makes; the pre-export check reuses them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from evidence_kit.core import head as head_file
from evidence_kit.core import merkle, projection, store
from evidence_kit.core.checkpoint import CheckpointError, parse_and_verify
from evidence_kit.core.clock import parse_utc_stamp
from evidence_kit.core.journal import GENESIS_PREV, EventType, Record, RecordError, parse_record
from evidence_kit.core.model import ClockStep, Failure, FailureKind, TokenCheck, VerifyReport

Progress = Callable[[int, int], None]
MAX_FAILURES = 200


class _Collector:
    def __init__(self) -> None:
        self.failures: list[Failure] = []

    def add(self, seq: int | None, kind: str, message: str) -> None:
        if len(self.failures) < MAX_FAILURES:
            self.failures.append(Failure(seq, kind, message))

    def has_event_between(self, low: int, high: int) -> bool:
        return any(f.seq is not None and low <= f.seq <= high for f in self.failures)

    def sorted(self) -> tuple[Failure, ...]:
        return tuple(sorted(self.failures, key=lambda f: (f.seq is None, f.seq or 0)))


def _page_check(data_key: bytes, path: Any, out: list[str], read_only: bool) -> None:
    try:
        conn = store.connect(path, data_key, read_only=read_only)
        try:
            out.extend(str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check"))
        finally:
            conn.close()
    except Exception as exc:
        out.append(str(exc))


def _db_path(conn: Any) -> Any:
    from pathlib import Path

    row = conn.execute("PRAGMA database_list").fetchone()
    return Path(row[2])


def verify_connection(
    conn: Any, public_key: bytes, vault_id: str, progress: Progress | None = None,
    data_key: bytes | None = None, read_only: bool = False, head: str | None = None,
) -> VerifyReport:
    found = _Collector()
    page_problems: list[str] = []
    page_thread = None
    if data_key is not None:
        page_thread = threading.Thread(
            target=_page_check, args=(data_key, _db_path(conn), page_problems, read_only),
            daemon=True
        )
        page_thread.start()

    try:
        total_events = int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
        total_chunks = int(conn.execute("SELECT count(*) FROM chunks").fetchone()[0])
    except store.DatabaseError as exc:
        found.add(None, FailureKind.UNREADABLE, f"The vault's tables cannot be read: {exc}.")
        total_events = total_chunks = 0
    total_units = total_events + total_chunks
    done = 0

    def tick(n: int = 1) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total_units)

    leaves, records = _check_events(conn, vault_id, found, tick)
    _check_first_key(records, public_key, found)
    checkpoints = _check_checkpoints(conn, public_key, leaves, found)
    if head is not None:
        _check_head(head, public_key, vault_id, leaves, found)
    _check_checkpoints_kept(conn, records, found)
    _check_previews(conn, records, found)
    replay = _replay(records, found)
    _compare_state(conn, replay, found)

    def reconnect() -> Any:
        # SQLCipher leaves a connection that met a damaged page unable to read any other.
        if data_key is None:
            return conn
        return store.connect(_db_path(conn), data_key, read_only=read_only)

    blobs, nbytes = _check_content(conn, reconnect, replay, records, found, tick)
    replay.close()

    if page_thread is not None:
        page_thread.join()
        if page_problems:
            found.add(
                None, FailureKind.UNREADABLE,
                f"{len(page_problems)} page(s) of the database file fail their integrity "
                f"check (first: {page_problems[0]}). The file was changed or damaged on disk.",
            )
    tokens = _check_timestamps(records, public_key, leaves, found)
    if progress is not None:
        progress(total_units, total_units)
    return VerifyReport(
        events=len(leaves), blobs=blobs, bytes_checked=nbytes, checkpoints=checkpoints,
        root=merkle.root(leaves).hex(), failures=found.sorted(), timestamps=tokens,
        clock_steps=clock_steps(records),
    )


# A step back this small is the clock being corrected (NTP slews and steps by seconds);
# a minute or more is worth a recipient's attention.
CLOCK_STEP_SECONDS = 60


def clock_steps(records: list[Record]) -> tuple[ClockStep, ...]:
    """Where an event's recorded (device) time is earlier than the event before it's."""
    steps = []
    before: tuple[Record, dt.datetime] | None = None
    for record in records:
        try:
            moment = parse_utc_stamp(record.recorded_at)
        except ValueError:
            continue
        if before is not None:
            back = round((before[1] - moment).total_seconds())
            if back >= CLOCK_STEP_SECONDS:
                steps.append(ClockStep(record.seq, record.recorded_at, before[0].recorded_at,
                                       back))
        before = (record, moment)
    return tuple(steps)


def _check_timestamps(records: list[Record], public_key: bytes, leaves: list[bytes],
                      found: _Collector) -> tuple[TokenCheck, ...]:
    """Each kept token again, from its own bytes: over a checkpoint of this key whose root
    is still the root of the events it covers, and chaining to the roots kept with it."""
    kept = [r for r in records if r.type == EventType.TIMESTAMP_ADDED]
    if not kept:
        return ()
    from evidence_kit.core import timestamps  # the RFC 3161 library only when needed

    sizes = [t.tree_size for r in kept
             if (t := timestamps.kept_token(r.seq, r.payload)) and t.tree_size <= len(leaves)]
    roots = merkle.roots_at(leaves, sizes)
    out = []
    for record in kept:
        token = timestamps.kept_token(record.seq, record.payload)
        if token is None:
            found.add(record.seq, FailureKind.TIMESTAMP_INVALID,
                      f"The timestamp kept by event {record.seq} is malformed.")
            continue
        try:
            stamped_at = timestamps.check_kept(token, public_key)
            if stamped_at != token.stamped_at:
                raise timestamps.TimestampError("its time is not the one recorded with it")
            if roots.get(token.tree_size, b"").hex() != token.root:
                raise timestamps.TimestampError(
                    f"the events up to {token.tree_size} are no longer the ones it covers")
        except timestamps.TimestampError as exc:
            message = (f"The timestamp from {token.authority} kept by event {record.seq} "
                       f"does not hold: {exc}.")
            found.add(record.seq, FailureKind.TIMESTAMP_INVALID, message)
            out.append(TokenCheck(record.seq, token.tree_size, token.authority,
                                  token.stamped_at, False, message))
            continue
        out.append(TokenCheck(record.seq, token.tree_size, token.authority, stamped_at, True,
                              f"the journal up to event {token.tree_size} existed by "
                              f"{stamped_at}, according to {token.authority}"))
    return tuple(out)


def _check_events(
    conn: Any, vault_id: str, found: _Collector, tick: Callable[[int], None]
) -> tuple[list[bytes], list[Record]]:
    """Walk the chain; returns the leaves and records as far as they could be read."""
    leaves: list[bytes] = []
    records: list[Record] = []
    prev_hex = GENESIS_PREV
    expected = 1
    try:
        cursor = conn.execute("SELECT seq, type, record, leaf FROM events ORDER BY seq")
        for seq, type_, raw, stored_leaf in cursor:
            data = bytes(raw)
            if seq != expected:
                missing = (f"event {expected}" if seq == expected + 1
                           else f"events {expected} to {seq - 1}")
                found.add(expected, FailureKind.EVENT_MISSING,
                          f"The journal has no {missing}: it was deleted.")
            leaf = merkle.leaf_hash(data)
            try:
                record = parse_record(data)
            except RecordError as exc:
                found.add(seq, FailureKind.RECORD_CHANGED,
                          f"Event {seq} was altered: its record is no longer valid ({exc}).")
                record = None
            if bytes(stored_leaf) != leaf:
                found.add(seq, FailureKind.RECORD_CHANGED,
                          f"Event {seq} was altered: its record no longer matches its hash.")
            elif record is not None:
                if record.seq != seq:
                    found.add(seq, FailureKind.ORDER_CHANGED,
                              f"The journal is out of order: position {seq} holds event "
                              f"{record.seq}.")
                elif record.prev != prev_hex and seq == expected:
                    found.add(seq - 1, FailureKind.RECORD_CHANGED,
                              f"Event {seq - 1} was altered: event {seq} no longer links "
                              "to it.")
                if record.log != vault_id:
                    found.add(seq, FailureKind.RECORD_CHANGED,
                              f"Event {seq} belongs to another vault's journal.")
                if record.type != type_:
                    found.add(seq, FailureKind.RECORD_CHANGED,
                              f"Event {seq}'s type column was altered.")
            if record is not None:
                records.append(record)
            leaves.append(bytes(stored_leaf) if len(bytes(stored_leaf)) == 32 else leaf)
            prev_hex = bytes(stored_leaf).hex()
            expected = seq + 1
            tick(1)
    except store.DatabaseError as exc:
        found.add(expected, FailureKind.UNREADABLE,
                  f"The journal cannot be read from event {expected} on: {exc}.")
    if not leaves:
        found.add(1, FailureKind.EVENT_MISSING, "The journal is empty: every event was removed.")
    return leaves, records


def _check_head(note: str, public_key: bytes, vault_id: str, leaves: list[bytes],
                found: _Collector) -> None:
    problem = head_file.check(note, public_key, vault_id, leaves)
    if problem is None:
        return
    if problem.kind == FailureKind.TRUNCATED and any(
            f.kind == FailureKind.TRUNCATED for f in found.failures):
        return  # a checkpoint inside the database already says which events went
    if problem.kind == FailureKind.RECORD_CHANGED and found.failures:
        return  # the chain or checkpoint checks already name what changed, more precisely
    if problem.kind == FailureKind.CHECKPOINT_INVALID and any(
            f.kind == FailureKind.KEY_REPLACED for f in found.failures):
        return  # the head was signed by the vault's own key, which was replaced
    found.add(problem.seq, problem.kind, problem.message)


def _check_first_key(records: list[Record], public_key: bytes, found: _Collector) -> None:
    """The signing key must be the one the vault's first event named.

    Anyone holding the passphrase could otherwise put in a new key and re-sign every
    checkpoint; the first event is covered by every checkpoint and every earlier pack.
    """
    if not records or records[0].seq != 1:
        return  # the missing first event is already reported by the chain check
    named = records[0].payload.get("public_key") if isinstance(records[0].payload, dict) \
        else None
    if named != public_key.hex():
        found.add(1, FailureKind.KEY_REPLACED,
                  "The vault's signing key is not the one its first event names: the key "
                  "was replaced, so its checkpoints prove nothing about the history.")


def _check_checkpoints_kept(conn: Any, records: list[Record], found: _Collector) -> None:
    """Checkpoints the journal itself mentions (each export names the one its pack
    carries) must still be in the vault; a deleted one hides what it committed to."""
    try:
        held = {(int(size), bytes(root).hex())
                for size, root in conn.execute("SELECT tree_size, root FROM checkpoints")}
    except store.DatabaseError:
        return  # reported by the checkpoint check
    for record in records:
        payload = record.payload if isinstance(record.payload, dict) else {}
        named = payload.get("checkpoint")
        if not isinstance(named, dict):
            continue
        key = (named.get("tree_size"), named.get("root"))
        if isinstance(key[0], int) and isinstance(key[1], str) and key not in held:
            found.add(record.seq, FailureKind.CHECKPOINT_MISSING,
                      f"The checkpoint of {key[0]} events that event {record.seq} records "
                      "(the one its pack carries) was deleted from the vault.")


def _check_previews(conn: Any, records: list[Record], found: _Collector) -> None:
    """Each recorded preview must still be the picture the app made: the browser shows
    it in place of the evidence, so a swapped one would mislead whoever looks."""
    for record in records:
        if record.type != EventType.PREVIEW_MADE or not isinstance(record.payload, dict):
            continue
        of, preview = record.payload.get("of"), record.payload.get("preview")
        if not isinstance(of, str) or not isinstance(preview, dict):
            continue
        try:
            row = conn.execute("SELECT png FROM thumbnails WHERE sha256 = ?", (of,)).fetchone()
        except store.DatabaseError:
            return  # the page check names the damage
        if row is None:
            continue  # purged with its content when the item was withdrawn
        if hashlib.sha256(bytes(row[0])).hexdigest() != preview.get("sha256"):
            found.add(record.seq, FailureKind.PREVIEW_CHANGED,
                      f"The preview recorded by event {record.seq} was replaced: the picture "
                      "the app shows for this evidence is not the one it made.")


def _check_checkpoints(
    conn: Any, public_key: bytes, leaves: list[bytes], found: _Collector
) -> int:
    try:
        rows = conn.execute(
            "SELECT id, tree_size, root, note FROM checkpoints ORDER BY id"
        ).fetchall()
    except store.DatabaseError as exc:
        found.add(None, FailureKind.UNREADABLE, f"The checkpoints cannot be read: {exc}.")
        return 0
    sizes = sorted({int(r[1]) for r in rows if int(r[1]) <= len(leaves)})
    roots = merkle.roots_at(leaves, sizes)
    last_good = 0
    for cp_id, size, root, note in rows:
        try:
            cp = parse_and_verify(note, public_key)
        except CheckpointError as exc:
            found.add(None, FailureKind.CHECKPOINT_INVALID,
                      f"Checkpoint {cp_id} is not valid: {exc}.")
            continue
        if cp.tree_size != size or cp.root != bytes(root):
            found.add(None, FailureKind.CHECKPOINT_INVALID,
                      f"Checkpoint {cp_id}'s stored size or root differs from its signed text.")
        if cp.tree_size > len(leaves):
            found.add(
                len(leaves) + 1, FailureKind.TRUNCATED,
                f"Events {len(leaves) + 1} to {cp.tree_size} were removed: checkpoint "
                f"{cp_id} (made {cp.time or 'earlier'}) covers {cp.tree_size} events but the "
                f"journal now ends at event {len(leaves)}.",
            )
        elif roots[cp.tree_size] != cp.root:
            if found.has_event_between(last_good + 1, cp.tree_size):
                continue  # already named more precisely by the chain check
            found.add(
                last_good + 1, FailureKind.RECORD_CHANGED,
                f"The events between {last_good + 1} and {cp.tree_size} were rewritten after "
                f"checkpoint {cp_id} was signed: its root no longer matches them.",
            )
        else:
            last_good = max(last_good, cp.tree_size)
    return len(rows)


def _replay(records: list[Record], found: _Collector) -> sqlite3.Connection:
    """The state the journal implies, rebuilt in memory (never on disk)."""
    mem = sqlite3.connect(":memory:")
    mem.executescript(projection.SCHEMA)
    for record in records:
        try:
            projection.apply(mem, record)
        except (KeyError, TypeError, sqlite3.Error) as exc:
            found.add(record.seq, FailureKind.RECORD_CHANGED,
                      f"Event {record.seq} cannot be applied to the state ({exc}).")
    return mem


def _check_content(
    conn: Any, reconnect: Callable[[], Any], replay: sqlite3.Connection,
    records: list[Record], found: _Collector,
    tick: Callable[[int], None],
) -> tuple[int, int]:
    """Re-hash every piece of content an item that is not withdrawn still needs."""
    first_seq: dict[str, int] = {}
    for record in records:
        file = record.payload.get("file") if isinstance(record.payload, dict) else None
        if isinstance(file, dict) and isinstance(file.get("sha256"), str):
            first_seq.setdefault(file["sha256"], record.seq)
    needed: dict[str, int] = dict(
        replay.execute("SELECT DISTINCT sha256, size FROM items WHERE withdrawn = 0")
    )
    needed.update(replay.execute("SELECT DISTINCT sha256, size FROM item_texts"))
    opened_here: list[Any] = []
    checked = nbytes = 0
    for sha, size in sorted(needed.items(), key=lambda kv: first_seq.get(kv[0], 0)):
        seq = first_seq.get(sha)
        try:
            row = conn.execute(
                "SELECT size, chunks, purged_seq FROM blobs WHERE sha256 = ?", (sha,)
            ).fetchone()
            if row is None or row[2] is not None:
                found.add(seq, FailureKind.CONTENT_MISSING,
                          f"The evidence recorded by event {seq} is missing from the vault.")
                continue
            digest = hashlib.sha256()
            length = 0
            # One finished statement per chunk: a cursor left open on a damaged page would
            # leave the connection in an error state and hide everything checked after it.
            for idx in range(int(row[1])):
                part = conn.execute(
                    "SELECT data FROM chunks WHERE sha256 = ? AND idx = ?", (sha, idx)
                ).fetchone()
                if part is None:
                    break
                chunk = bytes(part[0])
                digest.update(chunk)
                length += len(chunk)
                tick(1)
            nbytes += length
            checked += 1
            if length != size or digest.hexdigest() != sha:
                found.add(seq, FailureKind.CONTENT_CHANGED,
                          f"The evidence recorded by event {seq} was changed: its bytes no "
                          "longer match the SHA-256 recorded when it was added.")
        except store.DatabaseError as exc:
            found.add(seq, FailureKind.UNREADABLE,
                      f"The evidence recorded by event {seq} cannot be read back: the vault "
                      f"file is damaged where it is kept ({exc}).")
            try:
                conn = reconnect()
                opened_here.append(conn)
            except Exception:
                break
    for extra in opened_here:
        extra.close()
    return checked, nbytes


def _compare_state(conn: Any, replay: sqlite3.Connection, found: _Collector) -> None:
    for table in projection.PROJECTION_TABLES:
        try:
            stored = conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()  # noqa: S608
        except store.DatabaseError as exc:
            found.add(None, FailureKind.UNREADABLE, f"The {table} table cannot be read: {exc}.")
            continue
        expected = replay.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()  # noqa: S608
        stored_rows = [tuple(r) for r in stored]
        if stored_rows == expected:
            continue
        stored_set, expected_set = set(stored_rows), set(expected)
        odd = sorted((stored_set ^ expected_set), key=repr)
        where = odd[0][0] if odd else None
        found.add(
            None, FailureKind.STATE_MISMATCH,
            f"The stored {table} differ from what the journal records "
            f"(first difference at {table[:-1]} {where}); the journal is the true record.",
        )


@dataclass(frozen=True)
class JournalCheck:
    """The journal checked on its own (what an export relies on), without content."""

    events: int
    records: tuple[Record, ...]
    failures: tuple[Failure, ...]

    @property
    def ok(self) -> bool:
        return not self.failures


def check_journal(conn: Any, public_key: bytes, vault_id: str) -> JournalCheck:
    """Every record's leaf and link, the first event's key, and the latest checkpoint's
    signature and root: the same checks as :func:`verify_connection`, fewer of them.

    Records are small, so this costs a fraction of a full check, which also re-reads
    every piece of content and replays the state.
    """
    found = _Collector()
    leaves, records = _check_events(conn, vault_id, found, lambda _n: None)
    _check_first_key(records, public_key, found)
    try:
        row = conn.execute(
            "SELECT id, tree_size, root, note FROM checkpoints ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except store.DatabaseError as exc:
        found.add(None, FailureKind.UNREADABLE, f"The checkpoints cannot be read: {exc}.")
        row = None
    if row is not None:
        cp_id, size, root, note = row
        try:
            cp = parse_and_verify(note, public_key)
        except CheckpointError as exc:
            found.add(None, FailureKind.CHECKPOINT_INVALID,
                      f"The latest checkpoint ({cp_id}) is not valid: {exc}.")
        else:
            if cp.tree_size != size or cp.root != bytes(root):
                found.add(None, FailureKind.CHECKPOINT_INVALID,
                          f"Checkpoint {cp_id}'s stored size or root differs from its "
                          "signed text.")
            elif cp.tree_size > len(leaves):
                found.add(len(leaves) + 1, FailureKind.TRUNCATED,
                          f"Events {len(leaves) + 1} to {cp.tree_size} were removed: the "
                          f"latest checkpoint covers {cp.tree_size} events but the journal "
                          f"now ends at event {len(leaves)}.")
            elif merkle.root(leaves[:cp.tree_size]) != cp.root and not found.failures:
                found.add(1, FailureKind.RECORD_CHANGED,
                          f"The first {cp.tree_size} events were rewritten after the latest "
                          "checkpoint was signed: its root no longer matches them.")
    return JournalCheck(len(leaves), tuple(records), found.sorted())
