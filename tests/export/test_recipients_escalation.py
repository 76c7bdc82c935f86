"""After a platform report with nothing taken down for 48 hours, Report Harmful Content
is suggested: worked out once, in core.tracking, for the app and the SLT pack alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

from evidence_kit.core.model import Event
from evidence_kit.core.tracking import escalations

NOW = dt.datetime(2026, 3, 16, 12, 0, tzinfo=dt.UTC)


def _action(seq: int, action: str, happened: str, incident: int = 1,
            **details: object) -> Event:
    return Event(seq, "action.recorded", "2026-03-16T09:00:00.000000Z",
                 {"incident": incident, "action": action, "happened_on": happened,
                  "details": details}, "00")


def test_a_platform_report_48_hours_old_suggests_escalating() -> None:
    report = _action(2, "reported-platform", "2026-03-14T11:00+00:00", platform="TikTok")
    found = escalations([report], NOW)
    assert [(f.incident, f.report_seq, f.platform) for f in found] == [(1, 2, "TikTok")]
    assert escalations([report], NOW - dt.timedelta(hours=2)) == []  # 47 hours: not yet


def test_nothing_is_suggested_once_removed_or_escalated() -> None:
    report = _action(2, "reported-platform", "2026-03-10", platform="TikTok")
    removed = _action(3, "removal-checked", "2026-03-11", result="removed")
    told_rhc = _action(4, "report-harmful-content", "2026-03-12")
    other = _action(5, "reported-platform", "2026-03-10", incident=2)
    assert escalations([report, removed], NOW) == []
    assert escalations([report, told_rhc], NOW) == []
    assert [f.incident for f in escalations([report, removed, other], NOW)] == [2]
    assert escalations([_action(6, "reported-platform", "2026-03-10")], NOW)[0].platform \
        == "the platform"


def test_the_tracking_panel_suggests_it(qtbot: Any) -> None:
    from evidence_kit.ui.tracking import TrackingPanel

    panel = TrackingPanel()
    qtbot.addWidget(panel)
    from PySide6.QtWidgets import QLabel

    panel.show_actions([_action(2, "reported-platform", "2026-03-13", platform="X")], NOW)
    texts = [w.text() for w in panel.checks.findChildren(QLabel)]
    assert any("Report Harmful Content" in t and "reported it to X" in t for t in texts)
    assert not panel.checks.isHidden()
    panel.show_actions([], NOW)
    assert panel.checks.isHidden()
