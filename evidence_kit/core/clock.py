"""The one source of "now". Injected everywhere so tests can fix time."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A clock that only moves when told to; for tests and reproducible runs."""

    def __init__(self, start: dt.datetime, step: dt.timedelta | None = None) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware start")
        self._now = start.astimezone(dt.UTC)
        self._step = step or dt.timedelta(0)

    def now(self) -> dt.datetime:
        current = self._now
        self._now = self._now + self._step
        return current

    def advance(self, delta: dt.timedelta) -> None:
        self._now = self._now + delta


def utc_stamp(moment: dt.datetime) -> str:
    """UTC with microseconds and a ``Z``: the only time format written into records."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware one")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc_stamp(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def local_description(moment: dt.datetime) -> dict[str, str]:
    """The device's local time for a moment, with zone name and offset, as recorded."""
    local = moment.astimezone()
    offset = local.strftime("%z")
    return {
        "local": local.isoformat(timespec="microseconds"),
        "zone": local.tzname() or "",
        "offset": f"{offset[:3]}:{offset[3:]}" if offset else "",
    }
