"""One rendering of each thing a person reads, pinned."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from evidence_kit import wording
from evidence_kit.core.actions import REMOVAL_CHECKED, STILL_UP, action_kind
from evidence_kit.core.errors import BadInput
from evidence_kit.core.model import Event, Failure, Item, VerifyReport


def test_plural_uses_the_singular_for_exactly_one() -> None:
    assert wording.plural(1, "file") == "1 file"
    assert wording.plural(0, "file") == "0 files"
    assert wording.plural(2, "entry", "entries") == "2 entries"
    assert wording.plural(12345, "item") == "12,345 items"


def test_bug_message_says_nothing_was_changed_and_where_the_log_is() -> None:
    text = wording.bug_message(Path("/home/x/.local/state/evidence-kit/log/evidence-kit.log"))
    assert text.startswith("Something went wrong in Evidence Kit itself; nothing was changed.")
    assert "evidence-kit.log" in text
    assert "damaged" not in text


# ---- sizes and plurals ------------------------------------------------------------------


def test_sizes_and_plurals_read_right_for_one() -> None:
    assert wording.plural(1, "minute") == "1 minute"
    assert [wording.size(n) for n in (0, 1, 1023, 1536, 5 * 1024 * 1024, 3 * 1024**3)] == [
        "0 bytes", "1 byte", "1,023 bytes", "1.5 KB", "5.0 MB", "3.0 GB"]
    assert wording.size_exact(1) == "1 byte"
    assert wording.size_exact(1536) == "1.5 KB (1,536 bytes)"


# ---- zones and times ----------------------------------------------------------------------

SUMMER = "2026-07-14T17:00:00.000000Z"
WINTER = "2026-12-14T17:00:00.000000Z"



def test_times_are_in_the_zone_in_force_at_that_moment(london: None) -> None:
    assert wording.machine_zone().name == "Europe/London"
    assert wording.when(SUMMER) == "Tue 14 Jul 2026 18:00:00 BST (UTC+01:00)"
    assert wording.when(WINTER) == "Mon 14 Dec 2026 17:00:00 GMT (UTC+00:00)"
    assert wording.utc(SUMMER) == "2026-07-14 17:00:00 UTC"
    assert wording.when_and_utc(SUMMER) == \
        "Tue 14 Jul 2026 18:00:00 BST (UTC+01:00)\n2026-07-14 17:00:00 UTC"
    assert wording.when_short(SUMMER) == "Tue 14 Jul 2026, 18:00 BST"
    assert wording.when_long("2026-07-04T17:00:00Z") == \
        "Saturday 4 July 2026, 18:00:00 BST (UTC+01:00)"
    assert wording.when_compact(SUMMER) == "2026-07-14 18:00:00 BST"
    assert wording.day(SUMMER) == "14 Jul 2026"
    assert wording.day_span(SUMMER, WINTER) == "14 Jul 2026 – 14 Dec 2026"


def test_the_hour_that_repeats_when_the_clocks_go_back_is_told_apart(london: None) -> None:
    first = wording.when("2026-10-25T00:30:00.000000Z")
    second = wording.when("2026-10-25T01:30:00.000000Z")
    assert first == "Sun 25 Oct 2026 01:30:00 BST (UTC+01:00)"
    assert second == "Sun 25 Oct 2026 01:30:00 GMT (UTC+00:00)"


def test_a_recorded_zone_wins_and_an_unknown_one_falls_back(london: None) -> None:
    kolkata = wording.recorded_zone("Asia/Kolkata")
    assert wording.when(SUMMER, kolkata) == "Tue 14 Jul 2026 22:30:00 IST (UTC+05:30)"
    assert wording.when(SUMMER, wording.UTC_ZONE) == "Tue 14 Jul 2026 17:00:00 UTC"
    assert wording.recorded_zone("Not/AZone").name == "Europe/London"
    assert wording.recorded_zone(None).name == "Europe/London"
    assert wording.item_zone_name({"context": {"zone": "Asia/Kolkata"}}) == "Asia/Kolkata"
    assert wording.item_zone_name({"context": {"time_zone": "BST"}}) is None
    with pytest.raises(BadInput, match="Mars/Olympus is not a time zone"):
        wording.zone_named("Mars/Olympus")


def test_local_record_names_the_iana_zone(london: None) -> None:
    moment = dt.datetime(2026, 7, 14, 17, 0, tzinfo=dt.UTC)
    assert wording.local_record(moment) == {
        "local": "2026-07-14T18:00:00.000000+01:00", "abbreviation": "BST",
        "offset": "+01:00", "zone": "Europe/London"}


def test_without_a_zone_name_the_rules_are_still_right_and_labelled(
        monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(time, "tzset"):
        pytest.skip("time zones can only be switched on POSIX")
    monkeypatch.setenv("TZ", "GMT0BST,M3.5.0/1,M10.5.0")  # a POSIX rule, not an IANA name
    time.tzset()
    try:
        zone = wording.machine_zone()
        assert zone.name is None and "TZ=GMT0BST" in zone.label
        assert wording.when(SUMMER) == "Tue 14 Jul 2026 18:00:00 BST (UTC+01:00)"
        assert wording.local_record(dt.datetime(2026, 7, 14, 17, tzinfo=dt.UTC))["zone"] \
            is None
    finally:
        monkeypatch.undo()
        time.tzset()


def test_no_zone_found_at_all_is_utc_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import tzlocal

    def broken() -> str:
        raise tzlocal.utils.ZoneInfoNotFoundError("no zone on this system")

    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr(tzlocal, "get_localzone_name", broken)
    wording._machine_zone.cache_clear()
    try:
        zone = wording.machine_zone()
        assert zone.name is None and zone.label.startswith("UTC (")
        assert wording.when(SUMMER) == "Tue 14 Jul 2026 17:00:00 UTC"
    finally:
        wording._machine_zone.cache_clear()


def test_dates_people_give_are_readable_never_iso(london: None) -> None:
    assert wording.date_given("2026-03-13") == "Fri 13 Mar 2026"
    assert wording.date_given("2026-10-15T08:15+01:00") == \
        "Thu 15 Oct 2026, 08:15 BST (UTC+01:00)"
    assert wording.date_given("2026-10-15T08:15+01:00", short=True) == \
        "Thu 15 Oct 2026, 08:15 BST"
    assert wording.date_given("2026-12-01T09:00") == "Tue 1 Dec 2026, 09:00 GMT (UTC+00:00)"
    assert wording.date_given("last week") == "last week"
    assert wording.date_given(None) == ""


def test_app_text_shows_zone_correct_times(london: None) -> None:
    from evidence_kit.ui import text

    assert text.local_time(SUMMER) == "Tue 14 Jul 2026, 18:00 BST"
    assert text.local_time(WINTER) == "Mon 14 Dec 2026, 17:00 GMT"
    assert text.local_time_long(SUMMER) == "Tuesday 14 July 2026, 18:00:00 BST (UTC+01:00)"
    assert text.size_text(1) == "1 byte"
    assert text.items_count(1) == "1 item"
    moment = text.to_local(SUMMER)
    assert moment is not None and moment.hour == 18


# ---- details, lists, actions, the vault check ----------------------------------------------

DETAILS = {
    "kind": "image",
    "context": {"time_utc": SUMMER, "zone": "Europe/London", "os_user": None},
    "notes": ["cropped", "no metadata"],
    "flag": True,
}


def test_detail_lines_and_pairs_are_one_rendering() -> None:
    assert wording.detail_lines(DETAILS) == [
        "  Kind:                image",
        "  Where and when (device clock):",
        f"    time utc:            {SUMMER}",
        "    time zone (IANA):    Europe/London",
        "  Noticed on import:   cropped; no metadata",
        "  flag:                yes",
    ]
    assert wording.detail_pairs(DETAILS) == [
        ("Kind", "image"), ("context › time utc", SUMMER),
        ("context › time zone (IANA)", "Europe/London"),
        ("Noticed on import", "cropped; no metadata"), ("flag", "yes")]


def _item(**changes: object) -> Item:
    base = dict(id=7, sha256="ab" * 32, size=1536, media_type="image/png",
                original_name="capture.png", method="capture", incident_id=2,
                recorded_at=SUMMER, url="https://example.com/post/1", url_flags=(),
                platform=None, account=None, description=None, category=None,
                withdrawn=False, created_seq=4, details={"context": {"zone": "Asia/Kolkata"}})
    base.update(changes)
    return Item(**base)  # type: ignore[arg-type]


def test_item_line_uses_the_zone_recorded_with_the_item(london: None) -> None:
    assert wording.item_line(_item()) == (
        "   7  2026-07-14 22:30:00 IST  2         image/png                    1.5 KB  "
        "capture.png  https://example.com/post/1")
    assert wording.item_list_header().split()[:2] == ["ITEM", "RECORDED"]
    assert wording.item_line(_item(details={}, withdrawn=True, url=None)) == (
        "   7  2026-07-14 18:00:00 BST  2         image/png                    1.5 KB  "
        "capture.png [withdrawn]"), "no zone recorded: the machine's, as it was then"


def _action(action: str, details: dict[str, object], happened: str | None = None) -> Event:
    return Event(seq=9, type="action.recorded", recorded_at=WINTER, leaf="0" * 64,
                 payload={"action": action, "incident": 1, "happened_on": happened,
                          "details": details})


def test_an_action_reads_the_same_in_the_app_and_the_pack(london: None) -> None:
    from evidence_kit.ui import tracking

    check = _action(REMOVAL_CHECKED, {"request": 5, "result": STILL_UP, "note": "still there"},
                    "2026-10-15T08:15+01:00")
    words = wording.describe_action(check)
    assert words.heading == "Checked: it is still up"
    assert words.happened == "Thu 15 Oct 2026, 08:15 BST (UTC+01:00)"
    assert words.recorded == "Mon 14 Dec 2026 17:00:00 GMT (UTC+00:00)"
    assert words.detail_text() == "Which request: the one recorded as event 5; Note: still there"
    heading, detail = tracking.describe_action(check)
    assert heading == "Thu 15 Oct 2026, 08:15 BST · Checked: it is still up"
    assert detail == "Which request: the one recorded as event 5\nNote: still there"
    police = wording.describe_action(_action("police", {"reference": "1234567/26"},
                                             "2026-03-13"))
    assert (police.heading, police.when, police.detail_text()) == (
        "Reported it to the police", "Fri 13 Mar 2026", "Crime reference number: 1234567/26")
    unknown = wording.describe_action(_action("told_dsl.by-phone", {"urgent": True}))
    assert (unknown.heading, unknown.when, unknown.detail_text()) == (
        "Told DSL by phone", "Mon 14 Dec 2026 17:00:00 GMT (UTC+00:00)", "Urgent: yes")


def test_a_due_check_reads_its_dates_in_the_zone_in_force(london: None) -> None:
    from evidence_kit.ui import tracking

    asked = dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC)
    check = tracking.DueCheck(1, 5, asked, asked + dt.timedelta(hours=24), "the post")
    assert tracking.check_text(check, asked) == (
        "Due Sun 25 Oct 2026, 23:30 GMT: check whether “the post” was taken down.")
    assert tracking.check_text(check, asked + dt.timedelta(days=2)).endswith(
        "(asked Sun 25 Oct 2026, 00:30 BST).")


def test_the_vault_check_result_in_the_app_and_on_a_terminal() -> None:
    good = VerifyReport(events=1, blobs=1, bytes_checked=1536, checkpoints=1, root="ab" * 32,
                        failures=())
    words = wording.vault_check(good)
    assert words.ok and words.headline == "Everything checks out."
    assert words.details.startswith("All 1 recorded event and 1 stored file (1.5 KB) are")
    assert words.details.endswith("the signed checkpoint matches.")
    assert wording.vault_check_text(good) == (
        "Vault verified: 1 event, 1 file (1.5 KB), 1 checkpoint, all intact.\n"
        f"Root: {'ab' * 32}")
    failures = tuple(Failure(seq, "content changed", f"event {seq} differs")
                     for seq in range(3, 15))
    bad = VerifyReport(events=20, blobs=2, bytes_checked=10, checkpoints=1, root="",
                       failures=failures)
    words = wording.vault_check(bad)
    assert not words.ok and words.headline == "The check found 12 problems."
    assert words.details.splitlines()[0] == \
        "The first problem is at event 3 (content changed): event 3 differs"
    assert words.details.splitlines()[-1] == "…and 7 more."
    terminal = wording.vault_check_text(bad).splitlines()
    assert terminal[0] == "Verification FAILED at event 3 (content changed): event 3 differs"
    assert terminal[-2] == "  … and 2 more problems."
    one = wording.vault_check(VerifyReport(1, 0, 0, 0, "", (Failure(None, "missing", "x"),)))
    assert one.headline == "The check found 1 problem."
    assert "the vault file" in one.details


def test_action_details_read_in_the_forms_order() -> None:
    # Recorded details come back with sorted keys (canonical JSON); the words follow
    # the form: who was told, then by whom, then the reference.
    kind = action_kind("told-parents")
    assert kind is not None
    event = Event(seq=9, type="action.recorded", recorded_at="2026-07-14T17:00:00Z",
                  payload={"action": "told-parents", "details": {
                      "by": "Mrs Khan", "reference": "R-12", "who": "Ali's mother"}},
                  leaf="")
    words = wording.describe_action(event, wording.UTC_ZONE)
    assert [label for label, _ in words.details] == [f.label for f in kind.fields]
