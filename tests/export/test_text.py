"""Text layout in any script: bidi order, font choice, names for what cannot be drawn."""

from __future__ import annotations

from pathlib import Path

import bidi
import pytest
from hypothesis import example, given, settings
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


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["abc", "تهديد", "שלום", "42", "١٢", " ", "(", ")", "[",
                                 "]", "«", "»", "JS/", ".", ",", "-", "+", "$", "%", "\u064b",
                                 "\u200d", "\u0301", "یہ", "x", "!", "\u05d0\u05b8", "a",
                                 "ب", "7", "٣", "#", ":", "\u2329", "\u3009", "（", "）",
                                 "\u202b", "\u202c", "\u06dd", "\t"]),
                min_size=1, max_size=30), st.integers(0, 1))
@example(["\u2329", "abc", "\u3009", "abc"], 1)  # a pair only by canonical equivalence
def test_levels_kept_by_the_shape_of_a_paragraph_are_its_own(parts: list[str], base: int
                                                             ) -> None:
    """Levels are kept by the paragraph's classes, and resolved between its strong
    letters (outside bracket pairs) rather than whole: each must give what resolving
    the whole paragraph at once gives, for it and for another paragraph of the same
    shape (other letters, other digits, the same brackets)."""
    from evidence_kit.export import text as text_module

    paragraph = "".join(parts)
    assert text_module.embedding_levels(paragraph, base) == text_module._resolve_levels(
        paragraph, base)
    swapped = paragraph.translate(str.maketrans("abcתשלוםد4١", "xyzאבגדהש7٣"))
    assert text_module.embedding_levels(swapped, base) == text_module._resolve_levels(
        swapped, base)


def test_shaped_text_kept_for_the_document_reads_back_each_time(tmp_path: Path) -> None:
    """A shaped phrase's operators are kept for the document: drawn again after other
    shaped words (enough to fill more than one subset of the font), in one text object,
    it still reads back as written, every time."""
    import re
    import unicodedata

    from reportlab.pdfgen.canvas import Canvas

    from evidence_kit.export.text import draw_lines
    from tests.export.conftest import pdf_text

    letters = [chr(c) for c in range(0x0620, 0x064B) if unicodedata.category(chr(c)) == "Lo"]
    letters += [chr(c) for c in range(0x0671, 0x06D4) if unicodedata.category(chr(c)) == "Lo"]
    # Each letter alone, first, between and last in a word: all its joining forms.
    filler = [f"{a} {a}{a}{a} ب{a}ب" for a in letters]
    phrase = "تم نشر تهديد"
    # First drawn with its subset already in force (after a word of it), so its kept
    # operators choose no subset; drawn again after a word of a later subset (the last
    # letter's forms were the last glyphs to be given codes), they must choose one.
    last = letters[-1] * 3
    text = "\n".join(["ب", phrase, " ".join(filler), last, phrase, phrase])
    path = tmp_path / "shaped.pdf"
    canvas = Canvas(str(path))
    lines = layout(text, BODY, 520)
    assert len(lines) * BODY.leading < 780  # all on the page
    draw_lines(canvas, lines, 36, 820, 520, BODY)
    canvas.showPage()
    canvas.save()
    assert len(set(re.findall(rb"/F\d+\+(\d+)", path.read_bytes()))) > 1  # two subsets
    page = unicodedata.normalize("NFKC", pdf_text(path)[0])
    words = ("تم", "نشر", "تهديد")
    assert all(page.count(word) >= 3 for word in words), page[:400]
