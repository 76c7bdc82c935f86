"""The pack's look: page geometry, type sizes and the small building blocks every
section uses (headings, labelled tables, notices). One place, so pages agree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from evidence_kit.export.rows import Cell, Look, Rows
from evidence_kit.export.seams import Seams
from evidence_kit.export.text import Coverage, TextBlock, TextStyle

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 46.0
MARGIN_TOP = 54.0
MARGIN_BOTTOM = 50.0
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

INK = HexColor("#1d232b")
MUTED = HexColor("#58606b")
RULE = HexColor("#c9ced6")
SHADE = HexColor("#eef1f5")
ACCENT = HexColor("#274c77")
WARN_BG = HexColor("#fdf1dc")
WARN_EDGE = HexColor("#c98a12")
MARKING = HexColor("#9b1c1c")

BODY = TextStyle(size=9.5, leading=12.8, color=INK)
SMALL = TextStyle(size=8, leading=10.4, color=INK)
LABEL = TextStyle(size=8, leading=10.4, color=MUTED, role="bold")
MONO = TextStyle(size=7.6, leading=9.8, role="mono", color=INK)
HASH = TextStyle(size=8.2, leading=12.8, role="mono", color=INK)
H1 = TextStyle(size=17, leading=21, role="bold", color=ACCENT, space_after=6)
H2 = TextStyle(size=12.5, leading=16, role="bold", color=ACCENT, space_after=3)
H3 = TextStyle(size=10, leading=13, role="bold", color=INK, space_after=2)
HEADER = replace(SMALL, role="bold", color=white)  # a grid's header row


KEEP_BELOW_HEADING = 40.0
"""Room a subheading needs below it (about three lines), or it starts the next page."""
TALL_ROW = FRAME_HEIGHT * 0.5
"""A table row taller than this continues on the next page rather than leave a gap."""
MIN_ROW_PIECE = 40.0
"""The least of a row left at the foot of a page (about three lines of text)."""


FIELDS_LOOK = Look(TALL_ROW, MIN_ROW_PIECE, rule=0.4, rule_color=RULE)
GRID_LOOK = Look(TALL_ROW, MIN_ROW_PIECE, rule=0.3, rule_color=RULE, header_background=ACCENT,
                 shades=(white, SHADE))
BULLETS_LOOK = Look(TALL_ROW, MIN_ROW_PIECE, top=1, bottom=2, left=0, right=2)
CONTENTS_LOOK = Look(TALL_ROW, MIN_ROW_PIECE, top=1.5, bottom=1.5, left=0, right=0)


def notice_look(background: Color, edge: Color) -> Look:
    return Look(TALL_ROW, MIN_ROW_PIECE, left=9, right=8, first_top=7, last_bottom=7,
                background=background, edge=3, edge_color=edge)


class Styled:
    """Makes text blocks that all report unshowable characters to one place, and keeps
    the other things one pack's sections share while it is built (where the strips of
    sliced pictures landed)."""

    def __init__(self, coverage: Coverage) -> None:
        self.coverage = coverage
        self.seams = Seams()

    def text(self, text: str, style: TextStyle = BODY, **changes: Any) -> TextBlock:
        if changes:
            style = replace(style, **changes)
        return TextBlock(text, style, self.coverage)

    def heading(self, text: str, level: int = 1) -> list[Flowable]:
        style = {1: H1, 2: H2}.get(level, H3)
        if level == 1:  # sections and exhibits: they start pages or break before them
            return [Spacer(1, 0), self.text(text, style)]
        # Keep-with-next without ReportLab's KeepTogether, which cannot place a heading
        # with a table taller than a page (a 100,000-character field) and stops the pack.
        return [CondPageBreak(style.leading + KEEP_BELOW_HEADING), Spacer(1, 4),
                self.text(text, style)]

    def para(self, text: str, style: TextStyle = BODY) -> list[Flowable]:
        return [self.text(text, style), Spacer(1, 5)]

    def headed(self, head: str, text: str, style: TextStyle = BODY) -> list[Flowable]:
        """A paragraph under a line of its own (a note under its date and event), which
        is never left alone at the foot of a page."""
        block = self.text(f"{head}\n{text}", style)
        block.heads = True
        return [block, Spacer(1, 5)]

    def rows(self, rows: Sequence[Sequence[Cell]], widths: Sequence[float], look: Look,
             header: bool = False) -> Rows:
        return Rows(rows, widths, look, self.coverage, header)

    def bullets(self, items: Sequence[str], style: TextStyle = BODY) -> Flowable:
        rows = [[Cell("•", style), Cell(item, style)] for item in items]
        return self.rows(rows, [12, FRAME_WIDTH - 12], BULLETS_LOOK)

    def fields(self, rows: Sequence[tuple[str, str]], label_width: float = 128,
               width: float = FRAME_WIDTH, value_style: TextStyle = BODY,
               mono: frozenset[str] = frozenset()) -> Rows:
        """A two-column table of labels and values; splits across pages between rows.
        Values whose label is in ``mono`` (hashes) are set in the monospaced face."""
        cells = [[Cell(label, LABEL), Cell(value or "—", HASH if label in mono else value_style)]
                 for label, value in rows]
        return self.rows(cells, [label_width, width - label_width], FIELDS_LOOK)

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[str]],
             widths: Sequence[float], style: TextStyle = SMALL) -> Rows:
        """A table with a repeated header row, for long lists (chronology, actions)."""
        head = [Cell(h, HEADER) for h in header]
        body = [[Cell(c, style) for c in row] for row in rows]
        return self.rows([head, *body], widths, GRID_LOOK, header=True)

    def notice(self, title: str, text: str, background: Color = WARN_BG,
               edge: Color = WARN_EDGE) -> Flowable:
        """A boxed notice (distressing content, drafts, what integrity does not prove)."""
        inner = self.rows([[Cell(title, H3)], [Cell(text, BODY)]], [FRAME_WIDTH],
                          notice_look(background, edge))
        return KeepTogether([inner, Spacer(1, 8)])
