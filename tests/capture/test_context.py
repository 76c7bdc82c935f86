"""The capture context: device time in UTC and local, and the tool; nothing of the machine."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import platform
import socket

import pytest

import evidence_kit
from evidence_kit.capture.context import capture_context
from evidence_kit.core.clock import FixedClock

MOMENT = dt.datetime(2024, 3, 12, 14, 5, 33, 120001, tzinfo=dt.UTC)



def test_context_records_utc_with_microseconds_and_local_time_with_zone(london: None) -> None:
    context = capture_context(FixedClock(MOMENT), "Ms Smith (school laptop)")

    assert context["time_utc"] == "2024-03-12T14:05:33.120001Z"
    assert context["time_local"] == "2024-03-12T14:05:33.120001+00:00"
    assert context["time_zone"] == "GMT"
    assert context["utc_offset"] == "+00:00"
    assert context["time_source"] == "device clock"
    assert context["profile"] == "Ms Smith (school laptop)"


def test_summer_time_is_shown_with_its_own_zone_and_offset(london: None) -> None:
    summer = dt.datetime(2024, 7, 1, 8, 0, tzinfo=dt.UTC)
    context = capture_context(FixedClock(summer), None)
    assert context["time_local"] == "2024-07-01T09:00:00.000000+01:00"
    assert (context["time_zone"], context["utc_offset"]) == ("BST", "+01:00")
    assert context["profile"] is None


def test_the_iana_zone_is_recorded_so_the_time_can_be_shown_as_it_was(london: None) -> None:
    assert capture_context(FixedClock(MOMENT), None)["zone"] == "Europe/London"


def test_an_earlier_moment_can_be_described_instead_of_now() -> None:
    clock = FixedClock(MOMENT)
    grabbed = MOMENT - dt.timedelta(seconds=3)
    assert capture_context(clock, None, at=grabbed)["time_utc"] == "2024-03-12T14:05:30.120001Z"


def test_context_names_the_tool_but_nothing_of_the_machine(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "MARKER-user-7f3a")
    monkeypatch.setattr(socket, "gethostname", lambda: "MARKER-host-7f3a")
    context = capture_context(FixedClock(MOMENT), None)
    assert context["tool"] == "Evidence Kit"
    assert context["tool_version"] == evidence_kit.__version__
    assert isinstance(context["os"], str) and context["os"]
    for key in ("host_name", "os_user", "os_release", "os_version", "python_version"):
        assert key not in context
    assert "MARKER" not in json.dumps(context)
    assert platform.python_version() not in json.dumps(context)


def test_context_is_flat_json_without_floats() -> None:
    context = capture_context(FixedClock(MOMENT), "profile")
    for key, value in context.items():
        assert value is None or type(value) in (str, int, bool), (key, value)
    assert json.loads(json.dumps(context)) == context
