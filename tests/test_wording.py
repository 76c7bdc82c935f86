"""One rendering of each thing a person reads, pinned."""

from __future__ import annotations

from pathlib import Path

from evidence_kit import wording


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
