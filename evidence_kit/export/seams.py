"""Where each strip of a sliced picture landed, so its captions can name real pages.

A capture too tall for one page is shown in strips (:mod:`.images`), and a reader
turning to a strip needs to know which part it is and where the others are: "JK/4,
part 2 of 3 (continued from page 7)", "continues on page 9". But the pack is built in
chunks and its cover and contents last, so while a strip is drawn neither its page in
the pack nor the number of strips is known. Each strip therefore keeps room for its
captions and notes where it landed; when every chunk is built, the captions are
written on the overlay that already carries "Page X of Y" (:mod:`.pdf`), which knows
every page. Building twice to learn the numbers would double the cost of every export.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Placement:
    """One strip as drawn: where, and which pixels of which picture it shows."""

    chunk: str
    page: int  # in its chunk, from 1
    mark: str
    column: tuple[int, int]  # (this column, how many)
    rows: tuple[int, int]  # pixel rows shown: first (from 0) and end
    height: int  # of the whole picture, in pixels
    seam: int  # pixel rows at its top that repeat the foot of the strip before
    top: tuple[float, float]  # where its caption starts, in page coordinates
    foot: tuple[float, float] | None  # where "continues on page N" goes; None if last


@dataclass(frozen=True)
class Caption:
    page: int  # in the whole pack, from 1
    x: float
    y: float
    text: str


class Seams:
    """The placements of one pack's strips, chunk by chunk."""

    def __init__(self) -> None:
        self.chunk = ""
        self.placements: list[Placement] = []

    def begin(self, chunk: str) -> None:
        """Strips drawn from now on are on pages of the chunk ``chunk``."""
        self.chunk = chunk

    def record(self, page: int, mark: str, column: tuple[int, int], rows: tuple[int, int],
               height: int, seam: int, top: tuple[float, float],
               foot: tuple[float, float] | None) -> None:
        self.placements.append(Placement(self.chunk, page, mark, column, rows, height, seam,
                                         top, foot))

    def captions(self, first_page: Mapping[str, int]) -> list[Caption]:
        """Every strip's captions; ``first_page`` gives the pack page on which each
        chunk's first page is."""
        pictures: dict[tuple[str, tuple[int, int]], list[Placement]] = {}
        for placed in self.placements:
            pictures.setdefault((placed.mark, placed.column), []).append(placed)
        out: list[Caption] = []
        for (mark, column), strips in pictures.items():
            strips.sort(key=lambda p: p.rows[0])
            pages = [first_page[p.chunk] + p.page - 1 for p in strips]
            name = mark + (f", column {column[0]} of {column[1]}" if column[1] > 1 else "")
            count = len(strips)
            for index, placed in enumerate(strips):
                before = f" (continued from page {pages[index - 1]})" if index else ""
                rows = f"rows {placed.rows[0] + 1:,}–{placed.rows[1]:,} of {placed.height:,}"
                seam = (f"; above the dashed line repeats the foot of page {pages[index - 1]}"
                        if index and placed.seam else "")
                text = f"{name}, part {index + 1} of {count}{before}: {rows}{seam}"
                out.append(Caption(pages[index], *placed.top, text))
                if placed.foot is not None and index + 1 < count:
                    out.append(Caption(pages[index], *placed.foot,
                                       f"{name} continues on page {pages[index + 1]} "
                                       f"(part {index + 2} of {count})"))
        return out
