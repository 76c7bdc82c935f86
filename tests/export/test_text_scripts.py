"""Scripts and emoji as written (issue 11, step 4): clusters, one font per script run,
emoji drawn whole, no ligatures, text read back in logical order, fonts found once."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pypdf
import pytest
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import SimpleDocTemplate

from evidence_kit.export import fonts as fonts_module
from evidence_kit.export.fonts import fonts
from evidence_kit.export.scripts import clusters, is_emoji
from evidence_kit.export.styles import BODY
from evidence_kit.export.text import Coverage, TextBlock, layout
from tests.export.conftest import Built, needs_poppler, tool

WRITTEN = {
    "polish": "Zażółć gęślą jaźń — groźba",
    "urdu": "یہ پیغام دھمکی آمیز ہے",
    "arabic": "تم نشر تهديد على الصفحة",
    "hebrew": "שלום זה איום",
    "russian": "Угрозы в комментариях",
    "chinese": "在评论中受到威胁",
    "japanese": "脅迫のメッセージ",
    "devanagari": "किताब",
    "tamil": "நிலா",
}
EMOJI = ["👩🏽‍🏫", "🏳️‍🌈", "🇬🇧", "😡", "👍🏿", "1️⃣"]


def _pdf(folder: Path, texts: list[str], name: str = "t.pdf") -> Path:
    path = folder / name
    coverage = Coverage()
    SimpleDocTemplate(str(path)).build([TextBlock(t, BODY, coverage) for t in texts])
    return path


def _raw_text(path: Path) -> str:
    return subprocess.run([tool("pdftotext"), "-enc", "UTF-8", str(path), "-"],
                          capture_output=True, check=True, timeout=60).stdout.decode("utf-8")


def _clean(text: str) -> str:
    """pdftotext's output without its bidi marks, with presentation forms as letters."""
    text = re.sub("[\u202a-\u202e\u200e\u200f]", "", text)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("cluster", ["कि", "நி", "\u1100\u1161\u11a8", "각", "👩🏽‍🏫",
                                     "🏳️‍🌈", "🇬🇧", "1️⃣", "e\u0301"])
def test_one_grapheme_cluster(cluster: str) -> None:
    assert clusters(cluster) == [cluster]
    assert clusters("a" + cluster + "b") == ["a", cluster, "b"]


def test_emoji_and_text_symbols_are_told_apart() -> None:
    assert all(is_emoji(e) for e in EMOJI)
    for text_symbol in ("©", "☎", "1", "#", "→", "•"):
        assert not is_emoji(text_symbol), text_symbol


def test_a_word_in_two_fonts_keeps_its_letters_in_one() -> None:
    """`(یہ` once split into `(ی` in DejaVu Sans and `ہ` in Noto Sans Arabic, unjoined."""
    runs = [run for line in layout("Account wrote: (یہ) پیغام", BODY, 1000) for run in line.runs]
    arabic_runs = [r for r in runs if any("\u0600" <= c <= "\u06ff" for c in r.logical)]
    for run in arabic_runs:
        assert all("\u0600" <= c <= "\u06ff" or c == " " for c in run.logical), run.logical
    assert any("یہ" in r.logical for r in arabic_runs)
    assert len({r.font for r in arabic_runs}) == 1


@needs_poppler
def test_each_script_reads_back_in_logical_order(tmp_path: Path) -> None:
    fontset = fonts()
    pdf = _pdf(tmp_path, list(WRITTEN.values()))
    text = _clean(_raw_text(pdf))
    for script, written in WRITTEN.items():
        coverage = Coverage()
        layout(written, BODY, 1000, coverage, fontset)
        if coverage.named:
            continue  # no font for it on this computer: named, checked elsewhere
        assert written in text, (script, written, text)


@needs_poppler
def test_no_latin_ligatures_in_extracted_text(tmp_path: Path) -> None:
    written = "The staff finds — “office” fine; efficient flow, affluent stuff"
    raw = _raw_text(_pdf(tmp_path, [written, "یہ staff — finds", "Угрозы — office"]))
    assert not any(0xFB00 <= ord(c) <= 0xFB06 for c in raw), raw
    assert written in raw.replace("\n", " ")


@needs_poppler
def test_no_ligatures_anywhere_in_a_pack(built: Built) -> None:
    for result in built.packs.values():
        raw = _raw_text(result.pdf)
        assert not any(0xFB00 <= ord(c) <= 0xFB06 for c in raw)


@needs_poppler
def test_emoji_sequences_are_one_picture_each_and_copy_as_written(tmp_path: Path) -> None:
    fontset = fonts()
    if fontset.colour_emoji() is None:
        pytest.skip("no colour emoji font (Debian: fonts-noto-color-emoji)")
    line = " ".join(EMOJI)
    runs = [run for ln in layout(line, BODY, 1000) for run in ln.runs if run.logical.strip()]
    assert [r.logical for r in runs] == EMOJI
    assert all(r.emoji for r in runs)
    pdf = _pdf(tmp_path, [line])
    images = pypdf.PdfReader(pdf).pages[0].images
    assert len(images) == len(set(EMOJI))  # one picture per sequence, each stored once
    assert _raw_text(pdf).split() == EMOJI


@needs_poppler
def test_emoji_pictures_are_in_colour(tmp_path: Path) -> None:
    if fonts().colour_emoji() is None:
        pytest.skip("no colour emoji font (Debian: fonts-noto-color-emoji)")
    pdf = _pdf(tmp_path, ["😡 👩🏽‍🏫"])
    subprocess.run([tool("pdftoppm"), "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=60)
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    colourful = sum(1 for r, g, b in page.get_flattened_data() if max(r, g, b) - min(r, g, b) > 80)
    assert colourful > 100


def test_without_a_colour_font_a_sequence_is_one_glyph_or_named(
        monkeypatch: pytest.MonkeyPatch) -> None:
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    symbola = Path("/usr/share/fonts/truetype/ancient-scripts")
    if not (dejavu / "DejaVuSans.ttf").exists() or not (symbola / "Symbola_hint.ttf").exists():
        pytest.skip("fonts-dejavu-core or fonts-symbola is not installed")
    monkeypatch.setenv(fonts_module.FONT_DIRS_ENV, f"{dejavu}:{symbola}")
    monkeypatch.setenv(fonts_module.ONLY_ENV_DIRS_ENV, "1")
    fontset = fonts_module.fonts()
    assert fontset.colour_emoji() is None
    coverage = Coverage()
    runs = [run for line in layout("🔪 👩🏽‍🏫", BODY, 1000, coverage, fontset)
            for run in line.runs if run.logical.strip()]
    assert [r.logical for r in runs] == ["🔪", "[woman + medium skin tone + school]"]
    assert runs[0].font.startswith("EK-Symbola") and runs[1].named
    assert coverage.named == {"👩🏽‍🏫"}


@needs_poppler
def test_mixed_urdu_and_english_line(tmp_path: Path) -> None:
    written = "Account @parent_1 wrote: یہ پیغام دھمکی آمیز ہے (یہ) today"
    text = _clean(_raw_text(_pdf(tmp_path, [written])))
    for word in ("Account", "@parent_1", "wrote:", "پیغام", "دھمکی", "آمیز", "today"):
        assert word in text, word


def test_fonts_are_found_without_searching_afm_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every unregistered-font lookup made ReportLab parse every AFM file on the system:
    a pack with an Urdu or Chinese note took 28 s instead of 1.5 s."""
    searches: list[str] = []
    original = pdfmetrics.bruteForceSearchForAFM

    def counting(name: str) -> object:
        searches.append(name)
        return original(name)

    monkeypatch.setattr(pdfmetrics, "bruteForceSearchForAFM", counting)
    fontset = fonts()
    for written in [*WRITTEN.values(), *EMOJI, "\U00013000 \u0f00 \ua500"]:
        layout(written, BODY, 300, Coverage(), fontset)
    assert searches == []
