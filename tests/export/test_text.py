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


def test_text_kept_encoded_reads_back_after_its_font_moved_to_another_subset(
        tmp_path: Path) -> None:
    """A string's encoding is kept for the document; drawn again, in the same text
    object, after enough other characters to fill a subset of the font, its own subset
    is chosen again, so it reads back as written."""
    import unicodedata

    from reportlab.pdfgen.canvas import Canvas

    from evidence_kit.export.text import draw_lines
    from tests.export.conftest import pdf_text

    regular = fonts_module.fonts().regular
    many = "".join(chr(c) for c in range(0x0100, 0x0500)
                   if chr(c).isprintable() and not unicodedata.combining(chr(c))
                   and c in regular.codes)[:300]
    assert len(many) > 256  # more than one subset's worth
    rows = [many[i:i + 50] for i in range(0, len(many), 50)]
    label = "Captured on the device 12:01"
    text = "\n".join([label, *rows, label, label])
    path = tmp_path / "subsets.pdf"
    canvas = Canvas(str(path))
    lines = layout(text, BODY, 450)
    assert all(line.runs and len(line.runs) == 1 for line in lines)  # one font, one run
    draw_lines(canvas, lines, 40, 800, 450, BODY)  # one text object for them all
    canvas.showPage()
    canvas.save()
    page = unicodedata.normalize("NFKC", pdf_text(path)[0]).replace("\n", "")
    assert page.count(label) == 3
    for row in rows:
        assert unicodedata.normalize("NFKC", row) in page
