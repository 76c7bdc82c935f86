"""The one date widget of the app: the "Record what you did" forms and the date filters.

Qt's date edits use Tab to step between day, month and year, so someone tabbing to
the next field typed its text into the date (a platform report was saved as
"Sun 1 Feb 2026" and its reference lost). Here Tab always leaves the field, as in every
other field; the arrow keys still move between day, month and year.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QWidget

FAR_DAYS = 365
"""A date further back than this is asked about: usually a mistyped year."""


def _leave(widget: QWidget, forward: bool) -> bool:
    # QWidget's own focus chain, not QDateTimeEdit's, which moves between sections.
    return QWidget.focusNextPrevChild(widget, forward)


class DateTimeField(QDateTimeEdit):
    """A date and time; Tab and Shift+Tab go to the next and previous field."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return _leave(self, next)


class DateField(QDateEdit):
    """A date; Tab and Shift+Tab go to the next and previous field."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return _leave(self, next)


def date_problem(moment: dt.datetime, now: dt.datetime) -> str | None:
    """Why a date of something that happened cannot be right, in one sentence, or None."""
    if moment > now + dt.timedelta(minutes=1):
        return "That date and time is in the future: give the date it happened."
    return None


def is_far_back(moment: dt.datetime, now: dt.datetime) -> bool:
    """More than :data:`FAR_DAYS` ago: worth a question, since it is usually a typo."""
    return now - moment > dt.timedelta(days=FAR_DAYS)
