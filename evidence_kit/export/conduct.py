"""A course of conduct: who posted or sent what on which days, across every incident.

Harassment needs two or more related incidents, so a pack covering several shows each
incident's own words and a table of account × day. Account names are free text typed
by the member of staff; names that differ only in case, spaces or a leading ``@`` are
one account, shown as written (every spelling) and counted together.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.platypus import CondPageBreak, Flowable, Spacer

from evidence_kit import wording
from evidence_kit.core.posted import posted_date
from evidence_kit.export.pack import Exhibit, Pack
from evidence_kit.export.styles import FRAME_WIDTH, SMALL, Styled

NO_ACCOUNT = "(no account recorded)"
BY_POSTED = "posted (as shown on the page)"
BY_CAPTURE = "captured (device time)"


def account_key(name: str) -> str:
    """The same key for "@Jane Doe", "janedoe" and " JaneDoe "."""
    return "".join(name.split()).removeprefix("@").casefold()


def account_names(names: Iterable[str | None]) -> dict[str, tuple[str, ...]]:
    """Each account's key → every spelling seen, in the order first met."""
    found: dict[str, list[str]] = {}
    for name in names:
        if not name or not name.strip():
            continue
        spellings = found.setdefault(account_key(name), [])
        if name.strip() not in spellings:
            spellings.append(name.strip())
    return {key: tuple(spellings) for key, spellings in found.items()}


def shown_account(spellings: tuple[str, ...]) -> str:
    return " / ".join(spellings)


def day_of(pack: Pack, exhibit: Exhibit) -> tuple[dt.date, str]:
    """The day an item was posted or sent: the page's date where recorded, else the
    local date it was captured; with which of the two it is."""
    posted = posted_date(exhibit.item.posted_at)
    if posted is not None:
        return posted, BY_POSTED
    return pack.seen_date(exhibit), BY_CAPTURE


@dataclass(frozen=True)
class ConductRow:
    account: str
    day: dt.date
    by: str
    """Which date this is (:data:`BY_POSTED` or :data:`BY_CAPTURE`); both when mixed."""
    count: int


def conduct_rows(pack: Pack) -> list[ConductRow]:
    """How many items each account posted or sent on each day, oldest day first."""
    names = account_names(e.item.account for e in pack.exhibits)
    counts: Counter[tuple[str, dt.date]] = Counter()
    how: dict[tuple[str, dt.date], set[str]] = {}
    for exhibit in pack.exhibits:
        account = exhibit.item.account
        key = account_key(account) if account and account.strip() else ""
        day, by = day_of(pack, exhibit)
        counts[(key, day)] += 1
        how.setdefault((key, day), set()).add(by)
    rows = [ConductRow(shown_account(names[key]) if key else NO_ACCOUNT, day,
                       " and ".join(sorted(how[(key, day)])), count)
            for (key, day), count in counts.items()]
    return sorted(rows, key=lambda r: (r.day, r.account == NO_ACCOUNT, r.account.casefold()))


def distinct_days(pack: Pack) -> int:
    return len({day_of(pack, e)[0] for e in pack.exhibits})


def incidents_section(pack: Pack, s: Styled) -> list[Flowable]:
    """Each incident's title, summary and notes, for a pack covering several."""
    out: list[Flowable] = [*s.heading("The incidents in this pack", 2)]
    for incident in pack.incidents:
        count = sum(1 for e in pack.exhibits if e.item.incident_id == incident.id)
        out += s.heading(f"Incident {incident.id}: {incident.title}", 3)
        out += s.para(f"{wording.plural(count, 'exhibit')}. Summary (by the member of "
                      f"staff): {incident.summary or '(none written)'}")
        for note in pack.notes_of(incident.id):
            out += s.headed(f"Note, {pack.local(note.recorded_at)} (event {note.seq}):",
                            note.text, SMALL)
    out.append(Spacer(1, 8))
    return out


def conduct_section(pack: Pack, s: Styled) -> list[Flowable]:
    """The account × day table and the count of distinct days."""
    rows = conduct_rows(pack)
    days = distinct_days(pack)
    out: list[Flowable] = [CondPageBreak(140), *s.heading("Course of conduct: accounts and days",
                                                          2)]
    out += s.para(
        f"Across {wording.plural(len(pack.incidents), 'incident')}, "
        f"{wording.plural(len(pack.exhibits), 'item')} on {wording.plural(days, 'distinct day')}. "
        "Each row counts the items one account posted or sent on one day: by the date the "
        "page showed, where it was recorded, else the date it was captured (local time). "
        "Account names that differ only in capitals, spaces or a leading @ are counted as "
        "one account and shown with every spelling.", SMALL)
    out.append(s.grid(["Day", "Account", "Items", "Date used"],
                      [[wording.date_words(r.day), r.account, str(r.count), r.by] for r in rows],
                      [110, FRAME_WIDTH - 300, 40, 150]))
    out.append(Spacer(1, 10))
    return out
