"""The 24-hour removal check, worked out from real events in a real vault (no Qt)."""

from __future__ import annotations

import datetime as dt

from evidence_kit.core.actions import REMOVAL_CHECKED, REMOVAL_REQUESTED, REMOVED, STILL_UP
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.tracking import due_now, escalations, happened_at, open_checks
from evidence_kit.core.vault import Vault

HOUR = dt.timedelta(hours=1)


def test_a_request_falls_due_a_day_later_and_a_check_closes_it(
    vault: Vault, clock: FixedClock,
) -> None:
    incident = vault.create_incident("Posts on a parents' page").id
    asked = vault.record_action(incident, REMOVAL_REQUESTED, "2026-03-14T10:00:00+00:00",
                                {"what": "the post about me", "platform": "Facebook"})
    actions = vault.actions(incident)
    [check] = open_checks(actions)
    assert (check.incident, check.request_seq, check.what) == (
        incident, asked.seq, "the post about me")
    assert check.due_at == dt.datetime(2026, 3, 15, 10, 0, tzinfo=dt.UTC)
    assert due_now(actions, check.due_at - HOUR) == []
    assert due_now(actions, check.due_at) == [check]

    still = vault.record_action(incident, REMOVAL_CHECKED, "2026-03-15T11:00:00+00:00",
                                {"request": asked.seq, "result": STILL_UP})
    [again] = open_checks(vault.actions(incident))
    assert again.request_seq == still.seq and again.what == "the post about me", \
        "a check that found it still up starts the next one, about the same content"
    assert again.due_at == dt.datetime(2026, 3, 16, 11, 0, tzinfo=dt.UTC)

    vault.record_action(incident, REMOVAL_CHECKED, None,
                        {"request": still.seq, "result": REMOVED})
    assert open_checks(vault.actions(incident)) == []


def test_when_a_step_happened_falls_back_to_when_it_was_recorded(vault: Vault) -> None:
    typed = vault.record_action(None, REMOVAL_REQUESTED, "2026-03-14T08:30:00+01:00", {})
    unreadable = vault.record_action(None, REMOVAL_REQUESTED, "last Tuesday", {})
    [first, second] = vault.actions()
    assert first.seq == typed.seq and second.seq == unreadable.seq
    assert happened_at(first) == dt.datetime(2026, 3, 14, 7, 30, tzinfo=dt.UTC)
    assert happened_at(second) == dt.datetime.fromisoformat(second.recorded_at)
    assert [c.what for c in open_checks(vault.actions())] == ["the content", "the content"]


def test_open_checks_are_oldest_due_first(vault: Vault) -> None:
    late = vault.record_action(None, REMOVAL_REQUESTED, "2026-03-12T09:00:00+00:00",
                               {"what": "later one"})
    early = vault.record_action(None, REMOVAL_REQUESTED, "2026-03-10T09:00:00+00:00",
                                {"what": "earlier one"})
    assert [c.request_seq for c in open_checks(vault.actions())] == [early.seq, late.seq]


def test_report_harmful_content_suggested_after_48_hours(vault: Vault) -> None:
    first = vault.create_incident("Page").id
    second = vault.create_incident("Messages").id
    vault.record_action(first, "reported-platform", "2026-03-10T09:00+00:00",
                        {"platform": "Facebook"})
    vault.record_action(second, "reported-platform", "2026-03-10T09:00+00:00",
                        {"platform": "Instagram"})
    at = dt.datetime(2026, 3, 12, 8, 59, tzinfo=dt.UTC)
    assert escalations(vault.actions(), at) == []  # not yet 48 hours
    later = at + dt.timedelta(minutes=1)
    assert [e.incident for e in escalations(vault.actions(), later)] == [first, second]
    vault.record_action(second, "report-harmful-content", "2026-03-12T10:00+00:00", {})
    assert [e.incident for e in escalations(vault.actions(), later)] == [first]
