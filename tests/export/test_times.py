"""Times in a pack are in the zone in force when it happened, whatever the season of
the export: a July capture is BST in a December pack, a January one GMT in a July pack,
and the hour that repeats when the clocks go back is told apart."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest

from evidence_kit.capture.context import capture_context
from evidence_kit.core import keys
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export.exporter import ExportResult, export_pack
from evidence_kit.export.pack import PackRequest
from tests.conftest import PASSPHRASE, in_zone
from tests.export.conftest import needs_poppler, pdf_text, screenshot

pytestmark = needs_poppler

WINTER = dt.datetime(2026, 1, 14, 18, 0, tzinfo=dt.UTC)       # 18:00 GMT
SUMMER = dt.datetime(2026, 7, 14, 17, 0, tzinfo=dt.UTC)       # 18:00 BST
FIRST_0130 = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)  # 01:30 BST
SECOND_0130 = dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)  # 01:30 GMT, an hour later
NEW_YORK = dt.datetime(2026, 7, 20, 16, 0, tzinfo=dt.UTC)     # 12:00 EDT, recorded abroad


@dataclass
class Seasons:
    july_pack: ExportResult
    """Made in July: holds the winter capture only."""
    december_pack: ExportResult
    """Made in December: every capture."""


@pytest.fixture(scope="module")
def london() -> Iterator[None]:
    with in_zone("Europe/London"):
        yield


def _capture(vault: Vault, clock: FixedClock, moment: dt.datetime, incident: int,
             label: str, zone: str | None = "") -> None:
    """``zone``: "" as recorded today; None as recorded before zones were; else that name."""
    clock.advance(moment - clock.now())
    context = capture_context(clock, None)
    if zone is None:
        del context["zone"]
    elif zone:
        context["zone"] = zone
    vault.add_item(NewItem(
        data=screenshot(640, 400, (40, 90, 160), seed=moment.day * 24 + moment.hour),
        name=f"{label}.png",
        media_type="image/png", method="capture", incident=incident, description=label,
        details={"context": context}))


@pytest.fixture(scope="module")
def seasons(london: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seasons]:
    root = tmp_path_factory.mktemp("seasons")
    clock = FixedClock(WINTER - dt.timedelta(hours=1))
    vault, _code = Vault.create(root / "vault", PASSPHRASE, clock=clock, kdf=keys.FLOOR_PARAMS)
    try:
        save_profile(vault, Profile(name="Jane Smith", initials="JS"))
        winter = vault.create_incident("Winter").id
        _capture(vault, clock, WINTER, winter, "winter capture")
        clock.advance(SUMMER + dt.timedelta(days=2) - clock.now())
        july = export_pack(vault, PackRequest(recipient="police", incident=winter),
                           root / "july")
        _capture(vault, clock, SUMMER, winter, "summer capture")
        _capture(vault, clock, NEW_YORK, winter, "capture abroad", "America/New_York")
        _capture(vault, clock, FIRST_0130, winter, "first half past one")
        _capture(vault, clock, SECOND_0130, winter, "second half past one")
        # As recorded before zones were: shown in the machine's zone.
        _capture(vault, clock, SUMMER + dt.timedelta(days=1), winter, "old capture", None)
        clock.advance(dt.datetime(2026, 12, 10, 12, 0, tzinfo=dt.UTC) - clock.now())
        december = export_pack(vault, PackRequest(recipient="police", incident=winter),
                               root / "december")
        yield Seasons(july, december)
    finally:
        vault.lock()


def _flat(pdf: Path) -> str:
    return re.sub(r"\s+", " ", "\n".join(pdf_text(pdf)))


def test_a_july_capture_shows_its_bst_time_in_a_december_pack(seasons: Seasons) -> None:
    text = _flat(seasons.december_pack.pdf)
    assert "Tue 14 Jul 2026 18:00:00 BST (UTC+01:00)" in text
    assert "2026-07-14 17:00:00 UTC" in text
    assert "17:00:00 GMT" not in text, "today's offset must never be applied to July"
    assert "Wed 15 Jul 2026 18:00:00 BST (UTC+01:00)" in text, \
        "a capture that recorded no zone name falls back to the machine's zone, as it was then"
    assert "Thu 10 Dec 2026 12:00:00 GMT (UTC+00:00)" in text  # when the pack was made


def test_a_january_capture_shows_its_gmt_time_in_a_july_pack(seasons: Seasons) -> None:
    text = _flat(seasons.july_pack.pdf)
    assert "Wed 14 Jan 2026 18:00:00 GMT (UTC+00:00)" in text
    assert "2026-01-14 18:00:00 UTC" in text
    assert "19:00:00 BST" not in text
    assert "Thu 16 Jul 2026 18:00:00 BST (UTC+01:00)" in text  # when the pack was made


def test_the_hour_that_repeats_when_the_clocks_go_back_is_unambiguous(
        seasons: Seasons) -> None:
    text = _flat(seasons.december_pack.pdf)
    assert "Sun 25 Oct 2026 01:30:00 BST (UTC+01:00)" in text
    assert "Sun 25 Oct 2026 01:30:00 GMT (UTC+00:00)" in text
    assert "2026-10-25 00:30:00 UTC" in text and "2026-10-25 01:30:00 UTC" in text


def test_a_time_recorded_with_another_zone_is_shown_in_that_zone(seasons: Seasons) -> None:
    text = _flat(seasons.december_pack.pdf)
    assert "Mon 20 Jul 2026 12:00:00 EDT (UTC-04:00)" in text


def test_pypdf_reads_the_same_zone_labels(seasons: Seasons) -> None:
    reader = pypdf.PdfReader(seasons.december_pack.pdf)
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "18:00:00 BST (UTC+01:00)" in text
    assert "01:30:00 GMT (UTC+00:00)" in text
