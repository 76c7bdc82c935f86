"""What keeps multi-script packs as fast as English ones (issue 11, step 4): a block drawn
in one text object, an emoji picture stored once per document, a phrase of one font in
one run, a paragraph made once per process, fonts read in bulk, and all of it drawing
and reading back the same."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from pypdf.generic import ContentStream
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFace
from reportlab.pdfgen.canvas import Canvas

from evidence_kit.export import fonts as fonts_module
from evidence_kit.export.fastface import FastFace
from evidence_kit.export.fonts import fonts
from evidence_kit.export.styles import BODY
from evidence_kit.export.text import Coverage, draw_lines, layout
from tests.export.test_text_scripts import _clean, _raw_text

MIXED = ("Zażółć gęślą jaźń یہ پیغام دھمکی آمیز ہے (یہ) שלום, זה איום Угрозы 在评论中受到威胁 "
         "😡 👩🏽‍🏫 posted\nsecond paragraph किताब")


def _draw(path: Path, blocks: list[str], width: float = 300) -> pypdf.PdfReader:
    canvas = Canvas(str(path))
    top = 780.0
    for text in blocks:
        lines = layout(text, BODY, width)
        draw_lines(canvas, lines, 72, top, width, BODY)
        top -= len(lines) * BODY.leading + 10
    canvas.showPage()
    canvas.save()
    return pypdf.PdfReader(str(path))


def _operators(reader: pypdf.PdfReader) -> list[bytes]:
    page = reader.pages[0]
    return [operator for _operands, operator in
            ContentStream(page.get_contents(), reader).operations]


def test_a_block_of_many_fonts_and_directions_is_one_text_object(tmp_path: Path) -> None:
    lines = layout(MIXED, BODY, 300)
    assert sum(len(line.runs) for line in lines) >= 8  # fonts, directions, pictures
    path = tmp_path / "block.pdf"
    operators = _operators(_draw(path, [MIXED]))
    blank = _operators(_draw(tmp_path / "blank.pdf", []))  # ReportLab's own preamble
    assert operators.count(b"BT") - blank.count(b"BT") == 1
    assert operators.count(b"ET") - blank.count(b"ET") == 1
    # ActualText spans (the Devanagari run, the two brackets of "(یہ)") are inside it.
    assert operators.count(b"BDC") == operators.count(b"EMC") == 3
    read = "".join(_clean(_raw_text(path)).split())  # lines may break between CJK
    for word in ("Zażółć", "Угрозы", "在评论中受到威胁", "😡", "posted", "किताब", "שלום",
                 "آمیز"):
        assert word in read


def test_an_emoji_picture_is_stored_once_however_often_it_is_drawn(tmp_path: Path) -> None:
    if fonts().colour_emoji() is None:
        pytest.skip("no colour emoji font here")
    reader = _draw(tmp_path / "emoji.pdf", ["😡 then 😡", "and 😡 again"])
    images: set[int] = set()
    seen: set[int] = set()

    def walk(resources: object) -> None:
        for ref in dict(getattr(resources, "get", dict().get)("/XObject") or {}).values():
            if ref.idnum in seen:
                continue
            seen.add(ref.idnum)
            obj = ref.get_object()
            if obj["/Subtype"] == "/Image":
                images.add(ref.idnum)
            elif "/Resources" in obj:
                walk(obj["/Resources"].get_object())

    walk(reader.pages[0]["/Resources"].get_object())
    assert len(images) == 1
    assert _operators(reader).count(b"Do") == 3
    assert _clean(_raw_text(tmp_path / "emoji.pdf")).count("😡") == 3


def test_a_phrase_of_one_font_is_one_run_with_its_spaces() -> None:
    lines = layout("تم نشر تهديد على الصفحة مرة أخرى", BODY, 10_000)
    assert len(lines) == 1 and len(lines[0].runs) == 1
    assert lines[0].runs[0].logical == "تم نشر تهديد على الصفحة مرة أخرى"
    # Between words of two fonts a space stays in the paragraph's own font.
    runs = layout("یہ Угрозы", BODY, 10_000)[0].runs
    assert {run.logical for run in runs} == {"یہ", " ", "Угрозы"}


def test_a_kept_paragraph_still_reports_what_no_font_has() -> None:
    text = "Угрозы \U000f0001 נכתב again"  # a private-use character no font has
    first, second = Coverage(), Coverage()
    assert layout(text, BODY, 200, first) == layout(text, BODY, 200, second)
    assert first.named == second.named == {"\U000f0001"}


def _installed(names: tuple[str, ...]) -> list[Path]:
    index = fonts_module._index(fonts_module.font_dirs())
    return list(dict.fromkeys(index[n.lower()] for n in names if n.lower() in index))


@pytest.mark.parametrize("path", _installed(
    fonts_module.REGULAR + fonts_module.BOLD + fonts_module.MONO + fonts_module.ARABIC
    + fonts_module.FALLBACKS + fonts_module.EMOJI_MONO), ids=lambda p: p.name)
def test_fonts_read_in_bulk_are_read_as_reportlab_reads_them(path: Path) -> None:
    try:
        slow = TTFontFace(str(path))
    except Exception as error:  # what ReportLab cannot read is not ours to compare
        pytest.skip(f"ReportLab cannot read {path.name}: {error}")
    fast = FastFace(str(path))
    for name in ("charToGlyph", "glyphToChar", "charWidths", "hmetrics", "glyphPos",
                 "defaultWidth", "numGlyphs", "name", "ascent", "descent", "bbox", "flags"):
        assert getattr(fast, name) == getattr(slow, name), name


def test_a_kept_subset_is_embedded_as_reportlab_embeds_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a pack embed their own subsets of each font; one made before is taken
    as it was kept, and the document is byte for byte the one ReportLab makes."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    from evidence_kit.export.text import draw_line

    def made(name: str) -> bytes:
        path = tmp_path / name
        canvas = Canvas(str(path), invariant=1)
        draw_line(canvas, 40, 800, "Zażółć gęślą jaźń: threats under the photo", 11)
        draw_line(canvas, 40, 780, "Угрозы в комментариях, 12:01", 11)
        canvas.showPage()
        canvas.save()
        return path.read_bytes()

    face = pdfmetrics.getFont(fonts().regular.name).face
    assert isinstance(face, FastFace)
    first, again = made("first.pdf"), made("again.pdf")
    assert face.__dict__.get("_kept")  # the subset was kept...
    with monkeypatch.context() as patch:
        patch.setattr(FastFace, "addSubsetObjects", TTFontFace.addSubsetObjects)
        reportlab_own = made("reportlab.pdf")
    assert first == again == reportlab_own  # ...and what is embedded is ReportLab's
