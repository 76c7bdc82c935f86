"""Formatting recorded values for the app: local times, sizes, event descriptions.

The renderings themselves are :mod:`evidence_kit.wording`'s, shared with the command
line and the packs; times are in the zone in force at that moment (recorded with the
item when it was, else this computer's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from evidence_kit import wording
from evidence_kit.core.model import Event, Incident, Item


def to_local(stamp: str, zone: wording.Zone | None = None) -> dt.datetime | None:
    """A recorded time as the clocks showed it then, in ``zone`` (default: this computer's)."""
    moment = wording.moment_of(stamp)
    return (zone or wording.machine_zone()).at(moment) if moment is not None else None


def local_time(stamp: str | None, zone: wording.Zone | None = None) -> str:
    """'Sat 14 Mar 2026, 09:26 GMT' in the zone in force then."""
    return wording.when_short(stamp, zone) if stamp else ""


def local_time_long(stamp: str | None, zone: wording.Zone | None = None) -> str:
    """'Saturday 14 March 2026, 09:26:53 GMT (UTC+00:00)'."""
    return wording.when_long(stamp, zone) if stamp else ""


def item_time_long(item: Item) -> str:
    """When an item was recorded, in the zone recorded with it (device time)."""
    return wording.when_long(item.recorded_at, wording.item_zone(item))


def short_date(stamp: str | None) -> str:
    return wording.day(stamp)


def date_span(first: str | None, last: str | None) -> str:
    return wording.day_span(first, last)


def size_text(n: int) -> str:
    return wording.size(n)


def items_count(n: int) -> str:
    return wording.plural(n, "item")


def incident_line(incident: Incident, status: str) -> str:
    line = (f"{incident.title}\n{items_count(incident.item_count)} · "
            f"{date_span(incident.first_at, incident.last_at)}")
    return f"{line}\n{status}" if status else line


def kind_text(item: Item) -> str:
    media = item.media_type
    if media.startswith("image/"):
        kind = "Screenshot" if item.method == "capture" else "Image"
    elif media.startswith("audio/"):
        kind = "Sound recording"
    elif media.startswith("video/"):
        kind = "Video"
    elif media in ("message/rfc822", "application/vnd.ms-outlook"):
        kind = "Email"
    elif media == "application/pdf":
        kind = "PDF document"
    elif media.startswith("text/"):
        kind = "Text"
    else:
        kind = "File"
    return kind


def how_text(item: Item) -> str:
    return "Captured from the screen" if item.method == "capture" else "Imported from a file"


def _incident_name(incidents: dict[int, str], value: Any) -> str:
    if value is None:
        return "no incident"
    name = incidents.get(int(value))
    return f"“{name}”" if name else f"incident {value}"


def event_text(event: Event, incidents: dict[int, str],
               unpublished: Collection[int] = ()) -> str:
    """One line saying what an event in an item's history was; ``unpublished`` holds the
    exports that never put their files in place."""
    p = event.payload
    kind = event.type
    if kind == "item.captured":
        return "Captured from the screen and recorded"
    if kind == "item.imported":
        name = (p.get("file") or {}).get("name", "")
        return f"Imported from the file {name}" if name else "Imported from a file"
    if kind == "item.details":
        changed = [k for k in ("url", "platform", "account", "description", "category")
                   if k in p]
        words = {"url": "web address", "description": "what it shows"}
        return "Details changed: " + ", ".join(words.get(k, k) for k in changed)
    if kind == "item.moved":
        return (f"Moved from {_incident_name(incidents, p.get('from'))} to "
                f"{_incident_name(incidents, p.get('to'))}")
    if kind == "note.added":
        text = str(p.get("text", ""))
        return f"Note added: {text[:80]}{'…' if len(text) > 80 else ''}"
    if kind == "item.extracted":
        return f"A copy of the original was saved to {p.get('to', 'a file')}"
    if kind == "item.withdrawn":
        return f"Withdrawn: {p.get('reason', '')}"
    if kind == "export.made":  # an older vault's, recorded once the pack was published
        return "Included in an evidence pack"
    if kind == "export.started":
        return wording.export_text(p, event.seq not in unpublished)
    if kind == "exhibit.marked":
        return f"Given the exhibit mark {p.get('mark', '')}"
    if kind == "preview.made":
        return "Preview made for the evidence list"
    return kind


def summary_of(item: Item) -> str:
    """What an item shows, or the best stand-in."""
    return item.description or item.original_name
