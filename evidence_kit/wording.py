"""Every human-readable rendering the command line, the app and the packs share. Qt-free.

One module, so a size, a time or a recorded action reads the same wherever a person
meets it. It is longer than ~400 lines on purpose: splitting it would bring back the
several places this module replaced.

Times are always shown in the IANA zone *in force at that moment* (a July capture is
BST even in a pack made in December), labelled with its abbreviation and offset, so
the hour that repeats when the clocks go back (01:30 BST, then 01:30 GMT) is never
ambiguous. The zone is the one recorded with the event when there is one, else this
computer's.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from evidence_kit.core.actions import REMOVAL_CHECKED, REMOVED, STILL_UP, action_kind
from evidence_kit.core.errors import BadInput
from evidence_kit.core.exports import ExportState
from evidence_kit.core.model import ClockStep, Event, Item, TokenCheck, VerifyReport

# ---- counts and sizes -------------------------------------------------------------------


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 file``, ``2 files``: the count with the right form of the noun."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def size(n: int) -> str:
    """``1 byte``, ``512 bytes``, ``1.5 KB``, ``3.2 MB``: for lists and messages."""
    if n < 1024:
        return plural(n, "byte")
    value = n / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:,.1f} GB"


def size_exact(n: int) -> str:
    """``1.5 KB (1,536 bytes)``: where a reader may compare the exact count (packs)."""
    return plural(n, "byte") if n < 1024 else f"{size(n)} ({plural(n, 'byte')})"


def bug_message(log: Path | None) -> str:
    """What a user is told when the fault is in Evidence Kit, not in their vault or disk."""
    where = f" The details were written to {log}; please send that file with a report." \
        if log is not None else ""
    return "Something went wrong in Evidence Kit itself; nothing was changed." + where


# ---- time zones -------------------------------------------------------------------------


@dataclass(frozen=True)
class Zone:
    """A zone to show times in: an IANA zone, or this computer's rules without a name."""

    name: str | None
    """The IANA name (``Europe/London``), or None when none could be found."""
    tz: dt.tzinfo | None
    """None: the C library's own local rules (``TZ`` set to a POSIX rule string)."""
    label: str
    """How the zone is described to a reader."""

    def at(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` as the clocks in this zone showed it then."""
        return moment.astimezone(self.tz) if self.tz is not None else moment.astimezone()

    def wall(self, naive: dt.datetime) -> dt.datetime:
        """A wall-clock time a person typed, read as being in this zone."""
        return naive.replace(tzinfo=self.tz) if self.tz is not None else naive.astimezone()


UTC_ZONE = Zone("UTC", dt.UTC, "UTC")


def _zone_key(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@functools.lru_cache(maxsize=8)
def _machine_zone(tz_variable: str | None) -> Zone:
    # Keyed on TZ, so a changed environment (tests, a user's shell) is seen at once
    # while a list of 10,000 items still asks the system only once.
    if tz_variable:
        key = tz_variable.removeprefix(":")
        found = _zone_key(key) if not key.startswith("/") else None
        if found is not None:
            return Zone(key, found, key)
        return Zone(None, None, f"this computer's local time (TZ={tz_variable})")
    try:
        import tzlocal

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # it warns when system files disagree
            name = tzlocal.get_localzone_name()
    except Exception:  # tzlocal raises its own errors on odd systems; UTC, labelled, instead
        name = None
    found = _zone_key(name) if name else None
    if name and found is not None:
        return Zone(name, found, name)
    return Zone(None, dt.UTC, "UTC (this computer's time zone could not be found)")


def machine_zone() -> Zone:
    """This computer's IANA zone (``tzlocal``), else ``TZ``'s rules, else UTC, labelled."""
    return _machine_zone(os.environ.get("TZ"))


def zone_named(name: str | None) -> Zone:
    """The zone a person asked for by name; this computer's when none is given."""
    if not name:
        return machine_zone()
    found = _zone_key(name)
    if found is None:
        raise BadInput(f"{name} is not a time zone this computer knows.")
    return Zone(name, found, name)


def recorded_zone(name: Any, fallback: Zone | None = None) -> Zone:
    """The zone recorded with an event, if this computer knows it; else ``fallback``
    (this computer's zone): old events recorded no zone name."""
    if isinstance(name, str) and name:
        found = _zone_key(name)
        if found is not None:
            return Zone(name, found, name)
    return fallback or machine_zone()


def item_zone_name(details: Any) -> str | None:
    """The IANA zone recorded with an item (captures record it in their context)."""
    if not isinstance(details, Mapping):
        return None
    for holder in (details.get("context"), details):
        if isinstance(holder, Mapping) and isinstance(holder.get("zone"), str):
            return str(holder["zone"])
    return None


def item_zone(item: Item, fallback: Zone | None = None) -> Zone:
    return recorded_zone(item_zone_name(item.details), fallback)


def local_record(moment: dt.datetime, zone: Zone | None = None) -> dict[str, str | None]:
    """What an event records about the local time of ``moment``: the ISO time with its
    offset, the abbreviation, the offset and the IANA zone name (None if unknown)."""
    zone = zone or machine_zone()
    local = zone.at(moment)
    return {
        "local": local.isoformat(timespec="microseconds"),
        "abbreviation": local.tzname() or "",
        "offset": offset_text(local),
        "zone": zone.name,
    }


# ---- dates and times --------------------------------------------------------------------

Moment = str | dt.datetime


def moment_of(value: Moment | None) -> dt.datetime | None:
    """A recorded time as an aware datetime: our UTC stamps, ISO times with an offset;
    a time without one is taken as UTC (records are written in UTC)."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and value:
        try:
            # fromisoformat is C and ~20x faster than strptime; it reads 'Z' since 3.11.
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def offset_text(local: dt.datetime) -> str:
    """``+01:00``; ``-03:30``."""
    offset = local.utcoffset() or dt.timedelta(0)
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _abbreviation(local: dt.datetime) -> str:
    return local.tzname() or f"UTC{offset_text(local)}"


def _zone_label(local: dt.datetime) -> str:
    """``BST (UTC+01:00)``; plain ``UTC`` for UTC itself."""
    abbreviation = _abbreviation(local)
    if abbreviation == "UTC" and not local.utcoffset():
        return "UTC"
    return f"{abbreviation} (UTC{offset_text(local)})"


def _date(local: dt.datetime) -> str:
    return f"{local:%a} {local.day} {local:%b %Y}"


def when(value: Moment | None, zone: Zone | None = None) -> str:
    """``Tue 14 Jul 2026 18:00:00 BST (UTC+01:00)``: the local time in force then."""
    moment = moment_of(value)
    if moment is None:
        return str(value or "")
    local = (zone or machine_zone()).at(moment)
    return f"{_date(local)} {local:%H:%M:%S} {_zone_label(local)}"


def when_short(value: Moment | None, zone: Zone | None = None) -> str:
    """``Tue 14 Jul 2026, 18:00 BST``: lists and messages in the app."""
    moment = moment_of(value)
    if moment is None:
        return str(value or "")
    local = (zone or machine_zone()).at(moment)
    return f"{_date(local)}, {local:%H:%M} {_abbreviation(local)}"


def when_long(value: Moment | None, zone: Zone | None = None) -> str:
    """``Tuesday 14 July 2026, 18:00:00 BST (UTC+01:00)``: one time, read on its own."""
    moment = moment_of(value)
    if moment is None:
        return str(value or "")
    local = (zone or machine_zone()).at(moment)
    return (f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M:%S} "
            f"{_zone_label(local)}")


def when_compact(value: Moment | None, zone: Zone | None = None) -> str:
    """``2026-07-14 18:00:00 BST``: sortable, for the command line's columns."""
    moment = moment_of(value)
    if moment is None:
        return str(value or "")
    local = (zone or machine_zone()).at(moment)
    return f"{local:%Y-%m-%d %H:%M:%S} {_abbreviation(local)}"


def utc(value: Moment | None) -> str:
    """``2026-07-14 17:00:00 UTC``: shown beside every local time."""
    moment = moment_of(value)
    if moment is None:
        return str(value or "")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def when_and_utc(value: Moment | None, zone: Zone | None = None, sep: str = "\n") -> str:
    return f"{when(value, zone)}{sep}{utc(value)}"


def local_date(value: Moment, zone: Zone | None = None) -> dt.date | None:
    moment = moment_of(value)
    return (zone or machine_zone()).at(moment).date() if moment is not None else None


def day(value: Moment | None, zone: Zone | None = None) -> str:
    """``14 Jul 2026``."""
    found = local_date(value, zone) if value else None
    return f"{found.day} {found:%b %Y}" if found else ""


def day_span(first: Moment | None, last: Moment | None, zone: Zone | None = None) -> str:
    a, b = day(first, zone), day(last, zone)
    if not a:
        return "no evidence yet"
    return a if a == b else f"{a} – {b}"


def date_given(value: Any, zone: Zone | None = None, short: bool = False) -> str:
    """A date or time a person gave (an action's date), readable: ``2026-03-13`` →
    ``Fri 13 Mar 2026``; ``2026-10-15T08:15+01:00`` → ``Thu 15 Oct 2026, 08:15 BST
    (UTC+01:00)``. A time without an offset is the wall clock in ``zone``; anything
    that is not a date is shown as given."""
    if not isinstance(value, str) or not value.strip():
        return ""
    text = value.strip()
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) <= 10:
        return _date(moment)
    zone = zone or machine_zone()
    aware = moment if moment.tzinfo is not None else zone.wall(moment)
    local = zone.at(aware)
    label = _abbreviation(local) if short else _zone_label(local)
    return f"{_date(local)}, {local:%H:%M} {label}"


def date_words(day: dt.date) -> str:
    """``Fri 13 Mar 2026``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def posted_words(value: str | None, short: bool = False) -> str:
    """When a page said something was posted (see :mod:`evidence_kit.core.posted`):
    its own words, with no zone, because the page gave none. ``short``: the date and
    time alone, where a label already says what it is."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if short:
        day = date_words(moment.date())
        return day if len(value) <= 10 else f"{day}, {moment:%H:%M}"
    if len(value) <= 10:
        return f"{date_words(moment.date())} (as the page showed it)"
    return (f"{date_words(moment.date())}, {moment:%H:%M} (as the page showed it; the page "
            "gave no time zone)")


# ---- item details -----------------------------------------------------------------------

DETAIL_HEADINGS = {
    "capture": "How it was captured",
    "in_front": "Window in front",
    "shown_as": "as shown",
    "read_with": "read with",
    "scroll": "Scrolling capture",
    "context": "Where and when (device clock)",
    "reported_by_file": "What the file says about itself (not checked)",
    "notes": "Noticed on import",
    "file_modified_reported": "File last changed (as its file system says)",
    "original_path": "Imported from",
    "name_bytes_hex": "Name as raw bytes (hex)",
    "kind": "Kind",
    "zone": "time zone (IANA)",
    "time_zone": "zone abbreviation",
}


def in_front(details: Any) -> str | None:
    """``Chromium — 'Concerned Parent | Facebook'``: the window in front at a screen
    capture, as recorded (or why it could not be read); None if nothing was recorded."""
    found = details.get("in_front") if isinstance(details, Mapping) else None
    shown = found.get("shown_as") if isinstance(found, Mapping) else None
    return shown if isinstance(shown, str) and shown else None


def detail_label(key: Any) -> str:
    return DETAIL_HEADINGS.get(str(key), str(key).replace("_", " "))


def plain_value(value: Any) -> str:
    """A recorded value as words: ``yes``/``no``, lists and mappings joined, not JSON."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {plain_value(v)}" for k, v in value.items()
                         if not _empty(v))
    if isinstance(value, list | tuple):
        return "; ".join(plain_value(v) for v in value)
    return str(value)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict | tuple) and not value)


@dataclass(frozen=True)
class DetailRow:
    depth: int
    key: str
    label: str
    value: str | None
    """None: a heading whose rows follow, one level deeper."""


def detail_rows(details: Any, depth: int = 0) -> list[DetailRow]:
    """Everything recorded with an item, as labelled rows; empty values left out."""
    rows: list[DetailRow] = []
    if not isinstance(details, Mapping):
        return rows
    for key, value in details.items():
        if _empty(value):
            continue
        if isinstance(value, Mapping):
            inner = detail_rows(value, depth + 1)
            if inner:
                rows += [DetailRow(depth, str(key), detail_label(key), None), *inner]
        else:
            rows.append(DetailRow(depth, str(key), detail_label(key), plain_value(value)))
    return rows


def detail_lines(details: Any, depth: int = 1) -> list[str]:
    """Nested details as indented lines a person can read (the command line's ``show``)."""
    lines = []
    for row in detail_rows(details, depth):
        pad = "  " * row.depth
        lines.append(f"{pad}{row.label}:" if row.value is None
                     else f"{pad}{row.label + ':':<20} {row.value}")
    return lines


def detail_pairs(details: Any) -> list[tuple[str, str]]:
    """Every detail as (label, value), nested labels joined with ' › ' (the packs).
    The path uses the short record keys (``context › os``): headings repeated on every
    row would crowd a narrow column."""
    pairs: list[tuple[str, str]] = []
    path: list[str] = []
    for row in detail_rows(details):
        del path[row.depth:]
        if row.value is None:
            path.append(row.key.replace("_", " "))
        else:
            pairs.append((" › ".join([*path, row.label]), row.value))
    return pairs


def item_list_header() -> str:
    return (f"{'ITEM':>4}  {'RECORDED':<23}  {'INCIDENT':<8}  {'TYPE':<24} "
            f"{'SIZE':>10}  NAME / ADDRESS")


def item_line(item: Item, zone: Zone | None = None) -> str:
    """One item in the command line's list, its time in the zone recorded with it."""
    state = " [withdrawn]" if item.withdrawn else ""
    where = f"  {item.url}" if item.url else ""
    incident = str(item.incident_id) if item.incident_id else "-"
    stamp = when_compact(item.recorded_at, item_zone(item, zone))
    return (f"{item.id:>4}  {stamp:<23}  {incident:<8}  {item.media_type:<24} "
            f"{size(item.size):>10}  {item.original_name}{where}{state}")


# ---- recorded actions -------------------------------------------------------------------

_ACRONYMS = {"slt": "SLT", "lado": "LADO", "dsl": "DSL", "url": "URL", "iwf": "IWF",
             "ceop": "CEOP", "posh": "POSH"}
_RESULTS = {REMOVED: "Checked: it has been taken down", STILL_UP: "Checked: it is still up"}


@dataclass(frozen=True)
class ActionWords:
    heading: str
    """What was done: ``Reported it to the police``, ``Checked: it is still up``."""
    happened: str
    """When, as the person gave it, readable; empty if they gave none."""
    recorded: str
    """When it was recorded (device time)."""
    details: tuple[tuple[str, str], ...]

    @property
    def when(self) -> str:
        return self.happened or self.recorded

    def detail_text(self, sep: str = "; ") -> str:
        return sep.join(f"{label}: {value}" for label, value in self.details)


def _kind_heading(action: str) -> str:
    words = " ".join(_ACRONYMS.get(word, word) for word in action.replace("_", " ")
                     .replace(".", " ").replace("-", " ").split()) or "Action"
    return words[:1].upper() + words[1:]


def describe_action(event: Event, zone: Zone | None = None, short: bool = False
                    ) -> ActionWords:
    """One recorded step (an ``action.recorded`` event), the same in the app and the
    packs: what was done, when, and every detail, the request and the result included.
    ``short``: times with their abbreviation only (the app's lists)."""
    payload: dict[str, Any] = event.payload
    action = str(payload.get("action") or "action")
    kind = action_kind(action)
    details = payload.get("details") or {}
    labels = {f.key: f.label for f in kind.fields} if kind is not None else {}
    heading = kind.label if kind is not None else _kind_heading(action)
    rows: list[tuple[str, str]] = []
    if isinstance(details, Mapping):
        if kind is not None and kind.id == REMOVAL_CHECKED:
            result = details.get("result")
            heading = _RESULTS.get(str(result), heading)
            if not _empty(result) and str(result) not in _RESULTS:
                rows.append(("What was found", plain_value(result)))
            if isinstance(details.get("request"), int):
                rows.append(("Which request", f"the one recorded as event {details['request']}"))
        # The kind's own field order (the order the form asks), then anything else as
        # recorded: canonical JSON sorts the keys, which would read "Told by" first.
        order = {f.key: n for n, f in enumerate(kind.fields)} if kind is not None else {}
        ordered = sorted(details.items(), key=lambda kv: order.get(str(kv[0]), len(order)))
        for key, value in ordered:
            if _empty(value) or (kind is not None and kind.id == REMOVAL_CHECKED
                                 and key in ("request", "result")):
                continue
            label = labels.get(key) or ("Note" if key == "note" else
                                        str(key).replace("_", " ").capitalize())
            rows.append((label, plain_value(value)))
    stamp = when_short if short else when
    return ActionWords(heading, date_given(payload.get("happened_on"), zone, short),
                       stamp(event.recorded_at, zone), tuple(rows))


# ---- the vault check --------------------------------------------------------------------


_FOR_WHOM = {"slt": "SLT", "police": "the police", "lado": "the LADO"}


def export_text(payload: Mapping[str, Any], published: bool) -> str:
    """What an export was, and whether its pack was ever put where it was written."""
    whom = _FOR_WHOM.get(str(payload.get("for")), "someone")
    pack = f" ({payload['pack']})" if payload.get("pack") else ""
    if published:
        return f"Included in an evidence pack for {whom}{pack}"
    return (f"An evidence pack for {whom}{pack} was started but never published: the "
            "export stopped before its files were put in place, so nothing was handed over")


def export_line(state: ExportState, zone: Zone | None = None) -> str:
    """One line for the command line's list of exports that never published."""
    return (f"  {when_compact(state.event.recorded_at, zone)}  event {state.event.seq}  "
            f"{export_text(state.event.payload, state.published)}.")


@dataclass(frozen=True)
class VaultCheckWords:
    ok: bool
    headline: str
    details: str
    next_steps: str


def _where(seq: int | None) -> str:
    return f"event {seq}" if seq is not None else "the vault file"


def vault_check(report: VerifyReport, shown: int = 5) -> VaultCheckWords:
    """The result of a vault check, in words a worried person can act on (the app)."""
    times = "".join("\n\n" + line for line in vault_time_notes(report, shown=shown))
    if report.ok:
        return VaultCheckWords(
            True,
            "Everything checks out.",
            f"All {plural(report.events, 'recorded event')} and "
            f"{plural(report.blobs, 'stored file')} ({size(report.bytes_checked)}) are "
            "exactly as they were recorded, nothing is missing or out of order, and "
            + ("the signed checkpoint matches." if report.checkpoints == 1 else
               f"all {plural(report.checkpoints, 'signed checkpoint')} match.") + times,
            "Nothing to do. Making a backup from time to time keeps a second safe copy.",
        )
    first = report.failures[0]
    lines = [f"The first problem is at {_where(first.seq)} ({first.kind}): {first.message}"]
    lines += [f"Also at {_where(o.seq)} ({o.kind}): {o.message}"
              for o in report.failures[1:shown]]
    if len(report.failures) > shown:
        lines.append(f"…and {len(report.failures) - shown:,} more.")
    return VaultCheckWords(
        False,
        f"The check found {plural(len(report.failures), 'problem')}.",
        "\n".join(lines) + times,
        "Do not delete or change anything in this vault: it may be needed to show what "
        "happened. Make a backup of it as it is, then restore your most recent good "
        "backup to carry on. If you share evidence from this vault, say that the check "
        "failed.",
    )


def vault_check_text(report: VerifyReport, shown: int = 10) -> str:
    """The same result for a terminal: one summary line and the root, or every problem."""
    if report.ok:
        return (
            f"Vault verified: {plural(report.events, 'event')}, "
            f"{plural(report.blobs, 'file')} ({size(report.bytes_checked)}), "
            f"{plural(report.checkpoints, 'checkpoint')}, all intact.\n"
            f"Root: {report.root}"
        )
    first = report.failures[0]
    lines = [f"Verification FAILED at {_where(first.seq)} ({first.kind}): {first.message}"]
    lines += [f"  also {_where(o.seq)} ({o.kind}): {o.message}"
              for o in report.failures[1:shown]]
    if len(report.failures) > shown:
        lines.append(f"  … and {plural(len(report.failures) - shown, 'more problem')}.")
    lines.append("Keep this vault as it is and restore a backup to keep working; "
                 "the damaged copy may still be needed to show what happened.")
    return "\n".join(lines)


def duration(seconds: int) -> str:
    """``2 h 10 min``, ``45 s``, ``3 days 2 h``: how far apart two times are."""
    seconds = abs(int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, hours, days = seconds // 60 % 60, seconds // 3600 % 24, seconds // 86400
    if days:
        return plural(days, "day") + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    return f"{minutes} min"


def clock_step(step: ClockStep, zone: Zone | None = None) -> str:
    """Information, not a fault: an event recorded earlier than the one before it."""
    return (f"event {step.seq} is recorded {duration(step.seconds_back)} earlier than event "
            f"{step.seq - 1} ({when_short(step.recorded_at, zone)} after "
            f"{when_short(step.previous_at, zone)}; {utc(step.recorded_at)} after "
            f"{utc(step.previous_at)}): the device clock may have been changed")


def token_check(check: TokenCheck, zone: Zone | None = None) -> str:
    """A trusted timestamp the vault keeps, in the words every surface uses."""
    if not check.ok:
        return check.message
    return (f"the journal up to event {check.tree_size} existed by "
            f"{when_short(check.stamped_at, zone)} ({utc(check.stamped_at)}), according to "
            f"{check.authority}")


def vault_time_notes(report: VerifyReport, zone: Zone | None = None,
                     shown: int = 10) -> list[str]:
    """What a vault check says about time, beside its verdict: the trusted timestamps, and
    (as information) where recorded device times go backwards."""
    lines = [f"Trusted time: {token_check(t, zone)}." for t in report.timestamps if t.ok]
    steps = report.clock_steps
    lines += [f"Information: {clock_step(s, zone)}." for s in steps[:shown]]
    if len(steps) > shown:
        lines.append(f"Information: …and {plural(len(steps) - shown, 'more place')} where "
                     "recorded times go backwards.")
    return lines
