"""The pack's look: page geometry, type sizes and the small building blocks every
section uses (headings, labelled tables, notices). One place, so pages agree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

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


KEEP_BELOW_HEADING = 40.0
"""Room a subheading needs below it (about three lines), or it starts the next page."""
TALL_ROW = FRAME_HEIGHT * 0.5
"""A table row taller than this continues on the next page rather than leave a gap."""
MIN_ROW_PIECE = 40.0
"""The least of a row left at the foot of a page (about three lines of text)."""


class FlowTable(Table):  # type: ignore[misc]
    """A table that splits between rows, and inside a row too tall to move whole.

    ReportLab cannot place a row taller than the page (a 100,000-character note) and
    stops the whole document; one that merely does not fit would leave most of a page
    empty. Such a row is split inside its cells, which are text blocks that split
    between lines; shorter rows still move to the next page whole.
    """

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._calc(availWidth, availHeight)
        used, row = 0.0, 0
        for height in self._rowHeights:
            if used + height > availHeight:
                break
            used += height
            row += 1
        tall = (row < len(self._rowHeights) and self._rowHeights[row] > TALL_ROW
                and availHeight - used >= MIN_ROW_PIECE)
        self.splitInRow = int(MIN_ROW_PIECE) if tall else 0
        self.splitByRow = 0 if tall else 1
        result: list[Flowable] = super().split(availWidth, availHeight)
        return result

    def _splitCell(self, value: Any, style: Any, oldHeight: float, newHeight: float,
                   width: float) -> Any:
        # ReportLab's own version splits a cell's flowables at the column's width but
        # wraps them inside its padding, so the first part's lines overrun the cell and
        # the rest is laid out afresh on every page. Cells here are flowables only.
        inner = width - style.leftPadding - style.rightPadding
        room = newHeight - style.topPadding - style.bottomPadding
        flowables = value if isinstance(value, (list, tuple)) else [value]
        first: list[Flowable] = []
        rest: list[Flowable] = []
        used = 0.0
        for flowable in flowables:
            if rest:
                rest.append(flowable)
                continue
            _width, height = flowable.wrapOn(getattr(self, "canv", None), inner, room - used)
            if used + height <= room:
                first.append(flowable)
                used += height + flowable.getSpaceAfter()
                continue
            parts = flowable.split(inner, room - used)
            if len(parts) == 2:
                first.append(parts[0])
                rest.append(parts[1])
            elif not first:
                return []
            else:
                rest.append(flowable)
        return tuple(first), tuple(rest)


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

    def bullets(self, items: Sequence[str], style: TextStyle = BODY) -> Flowable:
        rows = [[self.text("•", style), self.text(item, style)] for item in items]
        table = FlowTable(rows, colWidths=[12, FRAME_WIDTH - 12])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]))
        return table

    def fields(self, rows: Sequence[tuple[str, str]], label_width: float = 128,
               width: float = FRAME_WIDTH, value_style: TextStyle = BODY,
               mono: frozenset[str] = frozenset()) -> Table:
        """A two-column table of labels and values; splits across pages between rows.
        Values whose label is in ``mono`` (hashes) are set in the monospaced face."""
        cells = [[self.text(label, LABEL),
                  self.text(value or "—", HASH if label in mono else value_style)]
                 for label, value in rows]
        table = FlowTable(cells, colWidths=[label_width, width - label_width], repeatRows=0)
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]))
        return table

    def grid(self, header: Sequence[str], rows: Sequence[Sequence[str | Flowable]],
             widths: Sequence[float], style: TextStyle = SMALL) -> Table:
        """A table with a repeated header row, for long lists (chronology, actions)."""
        head = [self.text(h, replace(SMALL, role="bold", color=white)) for h in header]
        body = [[c if isinstance(c, Flowable) else self.text(c, style) for c in row]
                for row in rows]
        table = FlowTable([head, *body], colWidths=list(widths), repeatRows=1)
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [white, SHADE]),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]))
        return table

    def notice(self, title: str, text: str, background: Color = WARN_BG,
               edge: Color = WARN_EDGE) -> Flowable:
        """A boxed notice (distressing content, drafts, what integrity does not prove)."""
        inner = [[self.text(title, H3)], [self.text(text, BODY)]]
        table = Table(inner, colWidths=[FRAME_WIDTH])
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, -1), background),
            ("LINEBEFORE", (0, 0), (0, -1), 3, edge),
            ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
            ("TOPPADDING", (0, 0), (-1, 0), 7),
        ]))
        return KeepTogether([table, Spacer(1, 8)])
