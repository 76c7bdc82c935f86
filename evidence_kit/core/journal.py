"""Journal records: what every event looks like, byte for byte, and how they chain.

A record is the canonical (RFC 8785) encoding of::

    {"v": 1, "log": <vault id>, "seq": n, "type": "...", "salt": <128-bit hex>,
     "prev": <leaf hash of event n-1, hex; 64 zeros for the first>,
     "recorded_at": <UTC stamp>, "payload": {...}}

and its leaf hash is ``SHA-256(0x00 ‖ record)``. The salt makes the hash of an event
that is not disclosed impossible to guess from its likely contents.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from evidence_kit.core import canonical
from evidence_kit.core.merkle import leaf_hash

RECORD_VERSION = 1
GENESIS_PREV = "0" * 64
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")
_HEX32 = re.compile(r"[0-9a-f]{32}\Z")
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\Z")


class EventType:
    """Every kind of event. New kinds are added, never renamed: old records keep theirs."""

    VAULT_CREATED = "vault.created"
    INCIDENT_CREATED = "incident.created"
    INCIDENT_RENAMED = "incident.renamed"
    INCIDENT_SUMMARY = "incident.summary"
    INCIDENT_REFERRAL = "incident.referral"
    """The LADO referral details only the user can give (see :mod:`.referral`)."""
    ITEM_IMPORTED = "item.imported"
    ITEM_CAPTURED = "item.captured"
    ITEM_DETAILS = "item.details"
    ITEM_MOVED = "item.moved"
    ITEM_EXTRACTED = "item.extracted"
    ITEM_WITHDRAWN = "item.withdrawn"
    NOTE_ADDED = "note.added"
    SIGHTING_REPORTED = "sighting.reported"
    KEY_CHANGED = "key.changed"
    BACKUP_MADE = "backup.made"
    EXPORT_MADE = "export.made"
    """Once the whole export, recorded after publishing (older vaults); now the confirmation that
    the files of an ``export.started`` event were put in place (payload ``started``)."""
    EXPORT_STARTED = "export.started"
    """An export about to be published: its files' names, SHA-256 and sizes, recorded
    before the final renames so no pack ever exists under its name unrecorded."""
    EXPORT_FILES_DELETED = "export.files_deleted"
    """The user deleted a published pack's files from where they were written (payload:
    the pack, ``of`` its ``export.started``, the file names; never the folder)."""
    EXHIBIT_MARKED = "exhibit.marked"
    """An item's exhibit mark (``JS/3``), assigned once and never reused."""
    ACTION_RECORDED = "action.recorded"
    PREVIEW_MADE = "preview.made"
    """The browser's thumbnail of some content, with its SHA-256, so verify can tell a
    replaced preview from the one the app made (recorded after the capture's commit)."""
    TIMESTAMP_ADDED = "timestamp.added"
    CAPTURE_SCROLLED = "capture.scrolled"
    """A scrolling capture: its frames (each an item of its own, an original) in order,
    each frame's offset in the stitched image (a derivative item) or why there is none,
    and why the scrolling stopped. Recorded in the frames' transaction."""
    TEXT_READ = "text.read"
    """Text read from an item's picture by software (OCR): a derivative naming the item,
    the picture's SHA-256, the engine, its languages and the text as a stored file."""


class RecordError(ValueError):
    """Stored bytes that are not a well-formed record."""


@dataclass(frozen=True)
class Record:
    v: int
    log: str
    seq: int
    type: str
    salt: str
    prev: str
    recorded_at: str
    payload: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "v": self.v,
            "log": self.log,
            "seq": self.seq,
            "type": self.type,
            "salt": self.salt,
            "prev": self.prev,
            "recorded_at": self.recorded_at,
            "payload": self.payload,
        }

    def encode(self) -> bytes:
        return canonical.encode(self.to_json())


def new_record(
    log: str, seq: int, type: str, prev: str, recorded_at: str, payload: dict[str, Any]
) -> Record:
    return Record(RECORD_VERSION, log, seq, type, os.urandom(16).hex(), prev, recorded_at, payload)


def parse_record(data: bytes) -> Record:
    """Parse stored record bytes, insisting they are canonical and complete."""
    try:
        obj = canonical.decode(data)
    except canonical.CanonicalError as exc:
        raise RecordError(str(exc)) from exc
    if not isinstance(obj, dict) or set(obj) != {
        "v", "log", "seq", "type", "salt", "prev", "recorded_at", "payload"
    }:
        raise RecordError("record does not have exactly the expected fields")
    ok = (
        obj["v"] == RECORD_VERSION
        and isinstance(obj["log"], str)
        and isinstance(obj["seq"], int) and not isinstance(obj["seq"], bool) and obj["seq"] >= 1
        and isinstance(obj["type"], str)
        and isinstance(obj["salt"], str) and _HEX32.match(obj["salt"]) is not None
        and isinstance(obj["prev"], str) and _HEX64.match(obj["prev"]) is not None
        and isinstance(obj["recorded_at"], str) and _STAMP.match(obj["recorded_at"]) is not None
        and isinstance(obj["payload"], dict)
    )
    if not ok:
        raise RecordError("record fields have the wrong form")
    return Record(
        obj["v"], obj["log"], obj["seq"], obj["type"], obj["salt"], obj["prev"],
        obj["recorded_at"], obj["payload"],
    )


def leaf_of(data: bytes) -> bytes:
    return leaf_hash(data)
