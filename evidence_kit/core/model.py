"""What callers get back from the vault: plain frozen values, safe to hand to any thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Incident:
    id: int
    title: str
    summary: str
    created_at: str
    item_count: int = 0
    first_at: str | None = None
    last_at: str | None = None


@dataclass(frozen=True)
class Item:
    id: int
    incident_id: int | None
    method: str  # "import" or "capture"
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
    withdrawn: bool
    created_seq: int
    details: dict[str, Any] = field(default_factory=dict)
    url_flags: tuple[str, ...] = ()  # what looked odd about the address when it was given
    posted_at: str | None = None
    """When the page said it was posted (see :mod:`.posted`), if the user recorded it."""


@dataclass(frozen=True)
class Note:
    seq: int
    item_id: int | None
    incident_id: int | None
    text: str
    recorded_at: str


@dataclass(frozen=True)
class Event:
    seq: int
    type: str
    recorded_at: str
    payload: dict[str, Any]
    leaf: str


@dataclass(frozen=True)
class CheckpointInfo:
    tree_size: int
    root: str
    note: str
    made_at: str


@dataclass(frozen=True)
class TokenCheck:
    """A timestamp token kept in the journal: what it says, and whether it holds."""

    seq: int  # the event that keeps it
    tree_size: int  # the journal up to this event existed by ``stamped_at``
    authority: str
    stamped_at: str  # the authority's time (UTC), not the device's
    ok: bool
    message: str


@dataclass(frozen=True)
class ClockStep:
    """An event recorded earlier, by the device's clock, than the event before it."""

    seq: int
    recorded_at: str
    previous_at: str
    seconds_back: int


@dataclass(frozen=True)
class Failure:
    """One thing verification found wrong, tied to the event it concerns."""

    seq: int | None
    kind: str  # one of FailureKind
    message: str


class FailureKind:
    CONTENT_CHANGED = "content changed"
    CONTENT_MISSING = "content missing"
    RECORD_CHANGED = "record changed"
    EVENT_MISSING = "event missing"
    ORDER_CHANGED = "order changed"
    TRUNCATED = "truncated after checkpoint"
    UNREADABLE = "unreadable page"
    CHECKPOINT_INVALID = "checkpoint invalid"
    CHECKPOINT_MISSING = "checkpoint missing"
    KEY_REPLACED = "signing key replaced"
    PREVIEW_CHANGED = "preview changed"
    TIMESTAMP_INVALID = "timestamp invalid"
    STATE_MISMATCH = "state differs from journal"


@dataclass(frozen=True)
class VerifyReport:
    events: int
    blobs: int
    bytes_checked: int
    checkpoints: int
    root: str
    failures: tuple[Failure, ...]
    timestamps: tuple[TokenCheck, ...] = ()
    """Each trusted-time token the journal keeps, checked again (see core.timestamps)."""
    clock_steps: tuple[ClockStep, ...] = ()
    """Information, not failure: where recorded device times go backwards."""

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def first(self) -> Failure | None:
        return self.failures[0] if self.failures else None
