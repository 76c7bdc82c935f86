"""The pack's own table flowable: rows split between pages as ReportLab's Table did, the
header on every page, nothing lost or repeated; read back from real PDFs."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.colors import Color
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer

from evidence_kit.export import rows as rows_module
from evidence_kit.export.rows import Cell, Look, Rows
from evidence_kit.export.styles import (
    ACCENT,
    BODY,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MIN_ROW_PIECE,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SHADE,
    SMALL,
    TALL_ROW,
    WARN_BG,
    WARN_EDGE,
    Styled,
)
from evidence_kit.export.text import Coverage
from tests.export.conftest import needs_poppler, pdf_text, tool

pytestmark = needs_poppler


def _build(path: Path, story: list[Flowable]) -> list[str]:
    """The story on pack-sized pages; each page's text."""
    doc = BaseDocTemplate(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, 0, 0, 0, 0)
    doc.addPageTemplates([PageTemplate("page", [frame])])
    doc.build(story)
    return pdf_text(path)


def _numbers(text: str, prefix: str) -> list[int]:
    return [int(n) for n in re.findall(prefix + r"(\d{4})", text)]


def test_a_long_table_splits_between_rows_and_loses_or_repeats_none(tmp_path: Path) -> None:
    s = Styled(Coverage())
    # Rows of one to six lines, so page ends fall at many different places in a row.
    rows = [(f"L{n:04d}", " ".join(f"v{n:04d}" for _ in range(1 + n % 6 * 14)))
            for n in range(160)]
    pages = _build(tmp_path / "fields.pdf", [s.fields(rows)])
    assert len(pages) > 3
    labels = [_numbers(page, "L") for page in pages]
    assert [n for page in labels for n in page] == list(range(160))  # each once, in order
    for page, on_page in zip(pages, labels, strict=True):
        # No row is cut: every line of a row's value is on its label's page.
        values = _numbers(page, "v")
        assert set(values) == set(on_page)
        for n in on_page:
            assert values.count(n) == 1 + n % 6 * 14


def test_a_row_that_merely_does_not_fit_moves_whole(tmp_path: Path) -> None:
    s = Styled(Coverage())
    value = "\n".join(f"line{n:04d}" for n in range(20))  # 20 lines: shorter than TALL_ROW
    assert 20 * BODY.leading < TALL_ROW
    story: list[Flowable] = [Spacer(1, FRAME_HEIGHT - 120),
                             s.fields([("First", "a short row"), ("Moved", value)])]
    pages = _build(tmp_path / "moved.pdf", story)
    assert len(pages) == 2
    assert "First" in pages[0] and "Moved" not in pages[0] and "line" not in pages[0]
    assert _numbers(pages[1], "line") == list(range(20))


def test_a_row_taller_than_half_a_page_continues_inside_its_cells(tmp_path: Path) -> None:
    s = Styled(Coverage())
    # Numbered lines in a few paragraphs, more than two pages of them.
    value = "\n".join(" ".join(f"w{n:04d}" for n in range(p * 200, p * 200 + 200))
                      for p in range(8))
    story: list[Flowable] = [Spacer(1, 200),
                             s.fields([("Before", "a short row"), ("Account", value),
                                       ("After", "the row after")])]
    pages = _build(tmp_path / "tall.pdf", story)
    words = [_numbers(page, "w") for page in pages]
    assert [n for page in words for n in page] == list(range(1600))
    # It starts on the first page, under the short row, rather than leave it mostly
    # empty; its label is not repeated; the row after follows on the last page.
    assert "Before" in pages[0] and words[0]
    assert sum("Account" in page for page in pages) == 1 and "Account" in pages[0]
    assert "After" in pages[-1] and "After" not in "".join(pages[:-1])
    assert len(pages) >= 3


def test_a_grid_repeats_its_header_on_every_page(tmp_path: Path) -> None:
    s = Styled(Coverage())
    rows = [[f"JS/{n}", f"R{n:04d} Mon 16 Mar 2026 09:{n % 60:02d}", "text " * (n % 40)]
            for n in range(300)]
    pages = _build(tmp_path / "grid.pdf", [Spacer(1, 300), s.grid(
        ["Exhibit", "Recorded", "What it shows"], rows, [44, 150, FRAME_WIDTH - 194])])
    assert len(pages) > 3
    for page in pages:
        assert page.count("What it shows") == 1 and page.count("Recorded") == 1
    found = [n for page in pages for n in _numbers(page, "R")]
    assert found == list(range(300))


def test_a_tall_grid_row_splits_with_the_header_above_each_part(tmp_path: Path) -> None:
    s = Styled(Coverage())
    value = " ".join(f"x{n:04d}" for n in range(2500))
    pages = _build(tmp_path / "tallgrid.pdf", [s.grid(
        ["Exhibit", "Recorded", "Value"], [["JS/1", "short", "short"], ["JS/2", "long", value],
                                           ["JS/3", "after", "after"]],
        [44, 150, FRAME_WIDTH - 194])])
    assert len(pages) >= 3
    assert [n for page in pages for n in _numbers(page, "x")] == list(range(2500))
    assert all(page.count("Value") == 1 for page in pages)
    assert sum("JS/2" in page for page in pages) == 1


def _look(tall: float = 50.0, least: float = 10.0) -> Look:
    return Look(tall, least, top=3, bottom=3)


def _texts(piece: Flowable) -> list[list[str]]:
    assert isinstance(piece, Rows)
    return [["".join(run.logical for line in lines for run in line.runs) for lines in row.lines]
            for row in piece._laid]


def test_no_paragraph_leaves_its_first_line_alone_at_a_page_foot() -> None:
    one_line_room = 6 + BODY.leading * 1.5  # paddings and a line and a half
    words = " ".join(["word"] * 200)  # one paragraph of many lines
    table = Rows([[Cell("label", BODY), Cell(words, BODY)]], [100, 300], _look())
    assert table.split(400, one_line_room) == []  # rather the whole row on the next page
    two_paragraphs = "A heading line\n" + words
    table = Rows([[Cell("label", BODY), Cell(two_paragraphs, BODY)]], [100, 300], _look())
    first, rest = table.split(400, one_line_room)
    assert _texts(first) == [["label", "A heading line"]]
    assert _texts(rest)[0][0] == ""  # the label is not repeated
    assert _texts(rest)[0][1].startswith("word word")


def test_a_split_row_keeps_at_least_the_least_piece() -> None:
    words = " ".join(["word"] * 400)
    table = Rows([[Cell("a", BODY)], [Cell(words, BODY)]], [300],
                 _look(TALL_ROW, MIN_ROW_PIECE))
    short_row = 6 + BODY.leading
    # Less than MIN_ROW_PIECE left under the first row: the tall row moves whole.
    first, rest = table.split(300, short_row + MIN_ROW_PIECE - 1)
    assert _texts(first) == [["a"]] and _texts(rest)[0] == [words]
    first, rest = table.split(300, short_row + MIN_ROW_PIECE + 1)
    assert len(_texts(first)) == 2 and _texts(rest)[0][0] != words


@pytest.fixture
def layout_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every cell laid out (each still laid out for real)."""
    calls: list[str] = []
    real = rows_module.layout

    def counting(text: str, *args: object, **kwargs: object) -> object:
        calls.append(text)
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rows_module, "layout", counting)
    return calls


def test_each_cell_is_laid_out_once_however_often_it_is_measured(
        layout_calls: list[str]) -> None:
    calls = layout_calls
    cells = [[Cell(f"label {n}", BODY), Cell(f"value {n} " * 30, BODY)] for n in range(40)]
    table = Rows(cells, [100, 300], _look(), coverage=None)
    for height in (100, 300, 700, 100, 5000):
        table.wrap(400, height)
    pieces: Sequence[Flowable] = table.split(400, 300)
    for piece in pieces:
        piece.wrap(400, 5000)
        piece.split(400, 200)
    assert sorted(calls) == sorted(c.text for row in cells for c in row)


def test_a_long_table_is_laid_out_only_as_far_as_the_page_needs(
        layout_calls: list[str]) -> None:
    calls = layout_calls
    table = Rows([[Cell(f"row {n}", BODY)] for n in range(5000)], [300], _look())
    _width, height = table.wrap(300, 700)
    assert height > 700
    assert len(calls) < 100


def test_characters_no_font_has_reach_the_packs_list() -> None:
    coverage = Coverage()
    s = Styled(coverage)
    table = s.grid(["Exhibit", "Value"], [["JS/1", "unassigned \u0378 here"]], [44, 300])
    table.wrap(FRAME_WIDTH, FRAME_HEIGHT)
    assert "\u0378" in coverage.named


def _pixels(pdf: Path, page: int, folder: Path) -> Image.Image:
    """A page rendered at 72 dpi: one pixel a point, measured from the page's top."""
    subprocess.run([tool("pdftoppm"), "-r", "72", "-f", str(page), "-l", str(page), "-png",
                    str(pdf), str(folder / "page")], check=True, timeout=60)
    (png,) = folder.glob("page-*.png")
    image = Image.open(png).convert("RGB")
    png.unlink()
    return image


def _rgb(colour: Color) -> tuple[int, int, int]:
    return (round(colour.red * 255), round(colour.green * 255), round(colour.blue * 255))


def test_the_continued_grid_keeps_its_header_colour_and_shades_from_white(
        tmp_path: Path) -> None:
    s = Styled(Coverage())
    rows = [[f"JS/{n}", f"row {n}"] for n in range(120)]  # one line each: 16.4 pt rows
    pdf = tmp_path / "look.pdf"
    _build(pdf, [s.grid(["Exhibit", "Value"], rows, [44, FRAME_WIDTH - 44]),
                 s.notice("Draft only", "A notice under the table.")])
    page = _pixels(pdf, 2, tmp_path)
    x = int(MARGIN_X + 1.5)  # inside the padding: background only, no text
    row = SMALL.leading + 6
    middle = [int(MARGIN_TOP + row * k + row / 2) for k in range(4)]
    assert [page.getpixel((x, y)) for y in middle] == [
        _rgb(ACCENT), (255, 255, 255), _rgb(SHADE), (255, 255, 255)]
    # The notice: its background, and its coloured edge over the left side.
    last = _pixels(pdf, len(pdf_text(pdf)), tmp_path)
    found = {last.getpixel((int(MARGIN_X + 5), y)) for y in range(last.height)}
    assert _rgb(WARN_BG) in found
    edge = {last.getpixel((int(MARGIN_X), y)) for y in range(last.height)}
    assert _rgb(WARN_EDGE) in edge
