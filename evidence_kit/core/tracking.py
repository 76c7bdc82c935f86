"""The 24-hour removal check, worked out from the journal (Qt-free).

Asking for something to be taken down starts a check that falls due 24 hours later
(the policies expect removal within a day, and someone has to look); recording the
check closes it. If the content is still up, that check starts the next one. Due
checks are worked out from the ``action.recorded`` events each time, with the vault's
clock: nothing else is stored, so the app and the packs see the same checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from evidence_kit.core.actions import (
    CHECK_AFTER,
    REMOVAL_CHECKED,
    REMOVAL_REQUESTED,
    REMOVED,
    REPORT_HARMFUL_CONTENT,
    RHC_AFTER,
    STILL_UP,
)
from evidence_kit.core.model import Event


def happened_at(event: Event) -> dt.datetime:
    """When the step happened, as the user said; else when it was recorded (UTC)."""
    value = event.payload.get("happened_on")
    if isinstance(value, str) and value:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None:
            if moment.tzinfo is None:
                moment = moment.astimezone()
            return moment.astimezone(dt.UTC)
    return dt.datetime.fromisoformat(event.recorded_at)


@dataclass(frozen=True)
class DueCheck:
    incident: int | None
    request_seq: int
    """The event that started this check (a request, or a check that found it still up)."""
    asked_at: dt.datetime
    due_at: dt.datetime
    what: str

    def is_due(self, now: dt.datetime) -> bool:
        return now >= self.due_at


def _what(event: Event) -> str:
    details = event.payload.get("details") or {}
    for key in ("what", "asked", "platform"):
        value = details.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "the content"


def open_checks(actions: list[Event]) -> list[DueCheck]:
    """Checks not yet recorded as done, oldest due first."""
    closed = set()
    for event in actions:
        if event.payload.get("action") == REMOVAL_CHECKED:
            request = (event.payload.get("details") or {}).get("request")
            if isinstance(request, int):
                closed.add(request)
    found: list[DueCheck] = []
    by_seq = {e.seq: e for e in actions}
    for event in actions:
        action = event.payload.get("action")
        details = event.payload.get("details") or {}
        starts = action == REMOVAL_REQUESTED or (
            action == REMOVAL_CHECKED and details.get("result") == STILL_UP)
        if not starts or event.seq in closed:
            continue
        origin = event
        while origin.payload.get("action") == REMOVAL_CHECKED:
            parent = by_seq.get((origin.payload.get("details") or {}).get("request", -1))
            if parent is None:
                break
            origin = parent
        at = happened_at(event)
        found.append(DueCheck(event.payload.get("incident"), event.seq, at, at + CHECK_AFTER,
                              _what(origin)))
    return sorted(found, key=lambda c: c.due_at)


def due_now(actions: list[Event], now: dt.datetime) -> list[DueCheck]:
    return [c for c in open_checks(actions) if c.is_due(now)]



ESCALATE_AFTER = RHC_AFTER
"""Report Harmful Content reviews a platform report once it is at least 48 hours old."""
PLATFORM_REPORT = "reported-platform"


@dataclass(frozen=True)
class Escalation:
    """A platform report old enough for Report Harmful Content, with nothing taken down."""

    incident: int | None
    report_seq: int
    reported_at: dt.datetime
    platform: str


def escalations(actions: list[Event], now: dt.datetime) -> list[Escalation]:
    """Per incident, its oldest platform report 48 hours old or more, where nothing is
    recorded as taken down and Report Harmful Content has not been told yet."""
    settled = {e.payload.get("incident") for e in actions
               if e.payload.get("action") == REPORT_HARMFUL_CONTENT
               or (e.payload.get("action") == REMOVAL_CHECKED
                   and (e.payload.get("details") or {}).get("result") == REMOVED)}
    found: dict[int | None, Escalation] = {}
    for event in sorted(actions, key=lambda e: (happened_at(e), e.seq)):
        incident = event.payload.get("incident")
        if (event.payload.get("action") != PLATFORM_REPORT or incident in settled
                or incident in found or now - happened_at(event) < ESCALATE_AFTER):
            continue
        details = event.payload.get("details") or {}
        platform = details.get("platform")
        found[incident] = Escalation(incident, event.seq, happened_at(event),
                                     platform.strip() if isinstance(platform, str)
                                     and platform.strip() else "the platform")
    return list(found.values())
