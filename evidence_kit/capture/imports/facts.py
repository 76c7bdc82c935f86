"""What every describer returns: the frozen facts, and the scratch pad that builds them.

Values read from a file are cleaned here once (control characters, length, integers
JCS cannot carry), so each describer only says what it found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias

JsonValue: TypeAlias = "str | int | bool | list[JsonValue] | dict[str, JsonValue] | None"

KINDS = ("image", "email", "audio", "video", "pdf", "text", "chat", "other")

OCTET_STREAM = "application/octet-stream"

MAX_REPORTED_TEXT = 2000
"""Longest header or tag value kept; longer ones are cut and end with an ellipsis."""

_JSON_SAFE_INT = 2**53


@dataclass(frozen=True)
class ImportFacts:
    media_type: str
    kind: str
    """One of :data:`KINDS`."""
    reported: dict[str, JsonValue] = field(default_factory=dict)
    """Facts the file states about itself, as it states them; JSON-able, no floats."""
    notes: tuple[str, ...] = ()
    """Plain sentences about what we noticed (a misleading name, a detail unreadable)."""

    def to_record(self) -> dict[str, JsonValue]:
        return {
            "media_type": self.media_type,
            "kind": self.kind,
            "reported": json_safe(self.reported),
            "notes": list(self.notes),
        }


class Draft:
    """Mutable scratch space while one file is described."""

    def __init__(self, media_type: str, kind: str) -> None:
        self.media_type = media_type
        self.kind = kind
        self.reported: dict[str, JsonValue] = {}
        self.notes: list[str] = []

    def report(self, key: str, value: Any) -> None:
        cleaned = clean(value)
        if cleaned is not None:
            self.reported[key] = cleaned

    def freeze(self) -> ImportFacts:
        return ImportFacts(
            self.media_type, self.kind, json_safe(self.reported), tuple(self.notes)
        )


def clean(value: Any) -> JsonValue:
    """A value read from a file, made safe to show and store, or None when blank."""
    if value is None:
        return None
    if isinstance(value, bool | int):
        return value
    if isinstance(value, list | tuple):
        items = [clean(item) for item in value]
        return [item for item in items if item is not None]
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = str(value).replace("\x00", "").strip()
    if not text:
        return None
    if len(text) > MAX_REPORTED_TEXT:
        text = text[:MAX_REPORTED_TEXT] + "…"
    return text


def json_safe(value: Any) -> Any:
    # Records are hashed as JCS, which cannot carry integers beyond 2**53 exactly.
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < _JSON_SAFE_INT else str(value)
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_safe(item) for item in value]
    return value

