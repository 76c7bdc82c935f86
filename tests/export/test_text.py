"""Text layout in any script: bidi order, font choice, names for what cannot be drawn."""

from __future__ import annotations

from pathlib import Path

import bidi
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_kit.export import fonts as fonts_module
from evidence_kit.export.errors import FontsMissing
from evidence_kit.export.styles import BODY
from evidence_kit.export.text import Coverage, clusters, emoji_name, layout


def _visual(text: str, width: float = 10_000) -> list[str]:
    """Each laid-out line's characters in display order (before shaping)."""
    return ["".join(run.logical[::-1] if run.rtl else run.logical for run in line.runs)
            for line in layout(text, BODY, width)]


@pytest.mark.parametrize("text", [
    "He wrote تهديد at 10:45 and left",
    "تم نشر تهديد على الصفحة",
    "سأجدك 12 مرة في اليوم",
    "Account @parent_1 wrote: یہ پیغام دھمکی آمیز ہے today",
    "שלום world עולם",
])
def test_display_order_matches_the_reference_algorithm(text: str) -> None:
    assert _visual(text) == [bidi.get_display(text)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["abc", "تهديد", "שלום", "42", " ", ", ", "x.y", "١٢"]),
                min_size=1, max_size=8))
def test_display_order_property(parts: list[str]) -> None:
    text = "".join(parts).strip()
    if text:
        assert _visual(text) == [bidi.get_display(text).strip(" ")] or _visual(text) == [
            bidi.get_display(text)]


def test_lines_never_overflow_and_long_words_break() -> None:
    text = "SHA-256 " + "ab" * 64 + " https://example.com/" + "x" * 200
    for line in layout(text, BODY, 180):
        assert line.width <= 180.01
    joined = "".join(run.logical for line in layout(text, BODY, 180) for run in line.runs)
    assert joined.replace(" ", "") == text.replace(" ", "")


def test_emoji_clusters_and_names() -> None:
    assert list(clusters("a👩🏽‍🏫b🇬🇧")) == ["a", "👩🏽‍🏫", "b", "🇬🇧"]
    assert emoji_name("👩🏽‍🏫") == "[woman + medium skin tone + school]"
    assert emoji_name("🇬🇧") == "[flag GB]"
    assert emoji_name("😡") == "[pouting face]"


def test_only_dejavu_names_what_it_cannot_draw(monkeypatch: pytest.MonkeyPatch) -> None:
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not (dejavu / "DejaVuSans.ttf").exists():
        pytest.skip("fonts-dejavu-core is not installed")
    monkeypatch.setenv(fonts_module.FONT_DIRS_ENV, str(dejavu))
    monkeypatch.setenv(fonts_module.ONLY_ENV_DIRS_ENV, "1")
    fontset = fonts_module.fonts()
    coverage = Coverage()
    lines = layout("Zażółć 😡 🔪 在 Угрозы", BODY, 1000, coverage, fontset)
    shown = "".join(run.logical for run in lines[0].runs)
    assert "Zażółć" in shown and "Угрозы" in shown
    assert "😡" in shown  # DejaVu Sans draws the emoticons block
    assert "[kitchen knife]" in shown and "[U+5728]" not in shown
    assert "[Chinese, Japanese or Korean text: this computer has no font for it]" in shown
    assert coverage.named == {"🔪", "在"}


def test_no_fonts_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(fonts_module.FONT_DIRS_ENV, str(tmp_path))
    monkeypatch.setenv(fonts_module.ONLY_ENV_DIRS_ENV, "1")
    with pytest.raises(FontsMissing, match="No font"):
        fonts_module.fonts()
