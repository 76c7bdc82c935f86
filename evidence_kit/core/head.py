"""``vault.head``: the latest checkpoint, kept outside the database.

A database can lose events it once had without any row inside it looking wrong: its
``vault.db-wal`` deleted before it was folded in, or an older copy (a backup) put in
its place. The checkpoints inside such a database are all older and all still valid.
So the latest signed checkpoint is also written beside ``vault.keys``, atomically, at
every checkpoint, and ``verify`` compares the journal with it.

The file is the signed checkpoint itself (the C2SP note of :mod:`checkpoint`), so it
cannot be edited without the vault's signing key, survives a change of passphrase or
data key, and can be checked with other transparency-log tools. It guards against
accidents, not against someone holding the passphrase: they could put back an older
signed head along with an older database. A vault made before this file existed has
none until its next checkpoint; a missing head is therefore not reported.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from evidence_kit.core import merkle
from evidence_kit.core.checkpoint import CheckpointError, origin_for, parse_and_verify
from evidence_kit.core.errors import EvidenceKitError
from evidence_kit.core.fsutil import atomic_write
from evidence_kit.core.model import FailureKind

HEAD_NAME = "vault.head"
MAX_HEAD_BYTES = 16 * 1024  # a checkpoint is a few hundred bytes

log = logging.getLogger(__name__)


def write(folder: Path, note: str) -> None:
    """Replace the head with ``note``; a failure leaves the older head, which only
    means the next check is against an older state (never a false alarm)."""
    try:
        atomic_write(folder / HEAD_NAME, note.encode("utf-8"))
    except EvidenceKitError as exc:
        log.warning("vault.head was not updated: %s", exc)


def read(folder: Path) -> str | None:
    """The head's text, or None when there is none; an unreadable head is returned as
    text that fails its check, so it is reported rather than skipped."""
    path = folder / HEAD_NAME
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_HEAD_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"(unreadable: {exc.strerror or exc})"
    return data.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class HeadProblem:
    seq: int | None
    kind: str
    message: str


def _when(stamp: str) -> str:
    return f"{stamp[:10]} {stamp[11:16]} UTC" if len(stamp) >= 16 else "an earlier date"


def check(note: str, public_key: bytes, vault_id: str,
          leaves: list[bytes]) -> HeadProblem | None:
    """What the journal (``leaves``) lacks compared with the head, or None."""
    try:
        head = parse_and_verify(note, public_key)
    except CheckpointError as exc:
        return HeadProblem(None, FailureKind.CHECKPOINT_INVALID,
                           f"{HEAD_NAME} is not a checkpoint signed by this vault's key "
                           f"({exc}): it was edited, damaged or comes from another vault.")
    if head.origin != origin_for(vault_id):
        return HeadProblem(None, FailureKind.CHECKPOINT_INVALID,
                           f"{HEAD_NAME} belongs to another vault's journal.")
    have = len(leaves)
    if head.tree_size > have:
        missing = (f"Event {have + 1}" if head.tree_size == have + 1
                   else f"Events {have + 1}…{head.tree_size}")
        verb = "is" if head.tree_size == have + 1 else "are"
        return HeadProblem(
            have + 1, FailureKind.TRUNCATED,
            f"{missing}, recorded on or before {_when(head.time)}, {verb} missing: the "
            f"vault's last checkpoint ({HEAD_NAME}) covered {head.tree_size} events, but "
            f"the database ends at event {have}. An older copy of vault.db may have been "
            "put in its place, or its vault.db-wal file was lost.")
    if merkle.roots_at(leaves, [head.tree_size])[head.tree_size] != head.root:
        return HeadProblem(
            1, FailureKind.RECORD_CHANGED,
            f"The first {head.tree_size} events are not the ones the vault's last "
            f"checkpoint ({HEAD_NAME}, made {_when(head.time)}) signed: the database was "
            "replaced by a different history.")
    return None
