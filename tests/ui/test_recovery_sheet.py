"""The recovery-code sheet says the day the vault's clock gives, in the zone in force."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from evidence_kit.ui.recovery_sheet import code_sheet


def test_sheet_dated_by_the_given_moment_in_local_time(london: None, tmp_path: Path) -> None:
    # 23:30 UTC on 31 July is already 1 August in London (BST).
    made = dt.datetime(2026, 7, 31, 23, 30, tzinfo=dt.UTC)
    sheet = code_sheet(tmp_path / "vault", "ABCD-EFGH", made)
    assert "Made: 01 August 2026" in sheet
    assert "ABCD-EFGH" in sheet and str(tmp_path / "vault") in sheet
