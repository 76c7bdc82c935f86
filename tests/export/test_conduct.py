"""Packs covering several incidents: a course of conduct, read back from the PDF."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from evidence_kit.core import keys
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.errors import BadInput
from evidence_kit.core.model import CheckpointInfo
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export.conduct import (
    BY_CAPTURE,
    BY_POSTED,
    account_key,
    conduct_rows,
    distinct_days,
)
from evidence_kit.export.exporter import export_pack
from evidence_kit.export.pack import Pack, PackRequest, gather
from tests.conftest import PASSPHRASE
from tests.export.conftest import needs_poppler, pdf_text, screenshot


def _shot(vault: Vault, incident: int, account: str, when: str, seed: int,
          posted_at: str | None = None) -> int:
    return vault.add_item(NewItem(
        data=screenshot(640, 400, (40, 90, 160), seed), name=f"shot-{seed}.png",
        media_type="image/png", method="capture", incident=incident, platform="Facebook",
        account=account, description=f"post number {seed}", posted_at=posted_at,
        details={"capture": {"time_utc": when, "tool": "mss"}},
    )).id


@pytest.fixture
def conduct_vault(tmp_path: Path) -> Iterator[Vault]:
    clock = FixedClock(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC),
                       step=dt.timedelta(seconds=3))
    vault, _code = Vault.create(tmp_path / "vault", PASSPHRASE, clock=clock,
                                kdf=keys.FLOOR_PARAMS)
    try:
        save_profile(vault, Profile(name="Jane Smith", initials="JS"))
        first = vault.create_incident("Comments on the school page").id
        second = vault.create_incident("Direct messages after the match").id
        vault.set_incident_summary(first, "Comments calling me a liar under the school post.")
        vault.set_incident_summary(second, "Messages sent to my personal account.")
        vault.add_note("The head saw these too.", incident=first)
        vault.add_note("They started the day after the match.", incident=second)
        _shot(vault, first, "@Jane Doe", "2026-03-10T10:00:00.000000Z", 1)
        _shot(vault, first, "jane doe", "2026-03-10T15:00:00.000000Z", 2)
        # Captured on the 12th, but the page says it went up on the 11th.
        _shot(vault, second, "JaneDoe", "2026-03-12T08:00:00.000000Z", 3,
              posted_at="2026-03-11 21:40")
        _shot(vault, second, "@someone_else", "2026-03-12T09:00:00.000000Z", 4)
        yield vault
    finally:
        vault.lock()


def _pack(vault: Vault, request: PackRequest) -> Pack:
    return gather(vault, request, CheckpointInfo(vault.event_count(), "", "", ""))


def test_request_takes_one_incident_or_several() -> None:
    one = PackRequest(recipient="police", incident=3)
    assert one.incidents == (3,) and one.incident == 3
    listed = PackRequest(recipient="police", incidents=(3,))
    assert listed.incident == 3 and listed == one
    several = PackRequest(recipient="police", incidents=(1, 2, 1))
    assert several.incidents == (1, 2) and several.incident is None
    with pytest.raises(BadInput):
        PackRequest(recipient="police", incident=1, incidents=(2,))
    with pytest.raises(BadInput):
        PackRequest(recipient="police")
    with pytest.raises(BadInput):
        PackRequest(recipient="police", incidents=(1,), items=(4,))


def test_account_spellings_are_one_account() -> None:
    assert account_key("@Jane Doe") == account_key(" janedoe ") == account_key("JANE DOE")
    assert account_key("@jane.doe") != account_key("janedoe")


def test_account_by_day_counts_posted_dates_where_recorded(conduct_vault: Vault) -> None:
    pack = _pack(conduct_vault, PackRequest(recipient="police", incidents=(1, 2),
                                            timezone="Europe/London"))
    assert pack.several_incidents
    assert pack.title == "Comments on the school page; Direct messages after the match"
    rows = [(r.day.isoformat(), r.account, r.count, r.by) for r in conduct_rows(pack)]
    assert rows == [
        ("2026-03-10", "@Jane Doe / jane doe / JaneDoe", 2, BY_CAPTURE),
        ("2026-03-11", "@Jane Doe / jane doe / JaneDoe", 1, BY_POSTED),
        ("2026-03-12", "@someone_else", 1, BY_CAPTURE),
    ]
    assert distinct_days(pack) == 3
    assert [n.text for n in pack.notes_of(2)] == ["They started the day after the match."]
    # Every action and note of both incidents, and both incidents' own events, disclosed.
    created = [e.seq for e in conduct_vault.events() if e.type == "incident.created"]
    assert set(created) <= set(pack.disclosed)


def test_one_incident_pack_is_as_before(conduct_vault: Vault) -> None:
    pack = _pack(conduct_vault, PackRequest(recipient="slt", incident=1))
    assert pack.title == "Comments on the school page"
    assert not pack.several_incidents
    assert {e.item.incident_id for e in pack.exhibits} == {1}


@needs_poppler
def test_multi_incident_pdf_shows_the_course_of_conduct(conduct_vault: Vault,
                                                        tmp_path: Path) -> None:
    result = export_pack(conduct_vault, PackRequest(recipient="police", incidents=(1, 2),
                                                    timezone="Europe/London"), tmp_path / "out")
    text = "\n".join(pdf_text(result.pdf))
    flat = " ".join(text.split())
    assert "selected items" not in flat
    assert "Comments on the school page; Direct messages after the match" in flat
    assert "Incident 1: Comments on the school page" in flat
    assert "Incident 2: Direct messages after the match" in flat
    assert "Comments calling me a liar under the school post." in flat
    assert "Messages sent to my personal account." in flat
    assert "The head saw these too." in flat and "They started the day after the match." in flat
    assert "Course of conduct: accounts and days" in flat
    assert "4 items on 3 distinct days" in flat
    assert re.search(r"Exhibit\s+Incident\s+Date and time", text)
    assert "Wed 11 Mar 2026" in flat  # the day the page gave
    assert "posted (as shown on the page)" in flat
    assert "When it was posted (as shown on the page)" in flat
    assert "21:40 (as the page showed it; the page gave no time zone)" in flat
