"""The stop-path guidance says the essential things, in our own calm words."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence_kit.capture import stop_path

POLICIES = Path(__file__).resolve().parents[3] / "shared" / "policies"


def test_guidance_covers_every_required_step() -> None:
    text = stop_path.guidance_text().lower()
    for must in ("screenshot", "forward", "save", "show it to anyone", "dsl", "police",
                 "lado", "internet watch foundation", "report.iwf.org.uk"):
        assert must in text, must


def test_steps_are_numbered_in_order_dsl_before_iwf() -> None:
    lines = stop_path.steps()
    assert [line.split(".")[0] for line in lines] == [str(n) for n in range(1, len(lines) + 1)]
    assert "copy" in lines[0].lower()
    dsl = next(i for i, line in enumerate(lines) if "DSL" in line)
    iwf = next(i for i, line in enumerate(lines) if "IWF" in line)
    assert dsl < iwf


def test_what_is_recorded_says_text_only_and_no_files() -> None:
    recorded = stop_path.WHAT_IS_RECORDED.lower()
    assert "does not" in recorded and "picture" in recorded and "file" in recorded


def test_steps_are_short_enough_to_read_in_a_hurry() -> None:
    for step in stop_path.STEPS:
        assert len(step.heading) <= 45
        assert len(step.detail) <= 260


@pytest.mark.skipif(not POLICIES.is_dir(), reason="the shared policies are not beside the repo")
def test_the_wording_is_our_own_not_copied_from_the_policies() -> None:
    policy_text = " ".join(
        " ".join(path.read_text(encoding="utf-8", errors="replace").split())
        for path in sorted(POLICIES.glob("*.txt"))
    ).lower()
    words = " ".join(stop_path.guidance_text().split()).lower().split(" ")
    # No run of eight words in a row may appear in any policy.
    for start in range(len(words) - 7):
        assert " ".join(words[start : start + 8]) not in policy_text
