"""When a post says it was posted, as the page showed it: a date, or a date and a time.

Kept beside the capture time, never instead of it: the page's time is what the page
claimed (in whatever zone the site chose), the capture time is the device's clock.
Stored as ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM`` with no zone, because the page gave none.
"""

from __future__ import annotations

import datetime as dt
import re

from evidence_kit.core.errors import BadInput

POSTED_AT = "posted_at"
_SHAPE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}):(\d{2}))?")


def check_posted_at(text: str) -> str:
    """The value as stored, or BadInput in one sentence; an empty text clears it."""
    given = " ".join(text.split())
    if not given:
        return ""
    match = _SHAPE.fullmatch(given)
    problem = (f"{given!r} is not a date the page showed: give it as YYYY-MM-DD, or "
               "YYYY-MM-DD HH:MM with the time as shown.")
    if match is None:
        raise BadInput(problem)
    try:
        day = dt.date.fromisoformat(match.group(1))
        if match.group(2) is None:
            return day.isoformat()
        moment = dt.datetime.combine(day, dt.time(int(match.group(2)), int(match.group(3))))
    except ValueError:
        raise BadInput(problem) from None
    return moment.isoformat(timespec="minutes")


def posted_date(value: str | None) -> dt.date | None:
    """The day of a stored value; None when absent or not one this version wrote."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
