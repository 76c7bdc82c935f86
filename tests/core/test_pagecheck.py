"""The page check beside an export gives way to the export's own threads."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from evidence_kit.core import pagecheck


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priority")
def test_the_page_check_runs_at_a_lower_priority_than_the_export() -> None:
    seen: list[int] = []

    def run() -> list[str]:
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return []

    before = os.getpriority(os.PRIO_PROCESS, 0)
    check = pagecheck.PageCheck(run)
    check.wait()
    assert seen and seen[0] > before
    # Only the check's own thread was lowered, not the caller's.
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before
