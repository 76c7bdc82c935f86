"""Rows of text cells, laid out and drawn by us: the pack's labelled fields, long lists
with a header, bullets, notices and the contents.

ReportLab's Table measured, split and drew these through a cell-style object per cell,
a flowable per cell and a saved canvas state per cell, and wrapped every cell again each
time it was asked for its size: the largest single cost of an exhibit page. Every cell
here is text, so a row is laid out once (through the pack's layout cache, so what no font
has is still named in the pack) and its lines are drawn straight onto the canvas.

Splitting follows the table it replaces: between rows; a row that merely does not fit
moves to the next page whole; a row taller than ``tall_row`` is split inside its cells at
line boundaries when at least ``min_piece`` of it fits, never leaving a paragraph's first
line alone at the foot of a page. The part on the next page repeats the header, and its
body rows alternate their backgrounds from the first again, as ReportLab's did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

from evidence_kit.export.text import Coverage, Line, TextStyle, draw_lines, layout

__all__ = ["Cell", "Look", "Rows"]


@dataclass(frozen=True)
class Cell:
    text: str
    style: TextStyle


@dataclass(frozen=True)
class Look:
    """How a kind of table looks and splits; widths are the caller's."""

    tall_row: float
    """A row taller than this is split inside its cells rather than moved whole."""
    min_piece: float
    """The least of a split row left at the foot of a page."""
    top: float = 3.0
    bottom: float = 3.0
    left: float = 3.0
    right: float = 3.0
    first_top: float | None = None  # a notice: more room above its first row...
    last_bottom: float | None = None  # ...and below its last
    rule: float = 0.0  # the line below each row (0: none)
    rule_color: Color | None = None
    header_background: Color | None = None
    shades: tuple[Color | None, ...] = ()  # body rows' backgrounds, in turn
    background: Color | None = None  # behind the whole table
    edge: float = 0.0  # a coloured line down the left side
    edge_color: Color | None = None


@dataclass(frozen=True)
class _Row:
    """A row laid out: each cell's lines and style, its paddings and height."""

    lines: tuple[Sequence[Line], ...]
    styles: tuple[TextStyle, ...]
    top: float
    bottom: float
    height: float


def _row(lines: Sequence[Sequence[Line]], styles: Sequence[TextStyle], top: float,
         bottom: float) -> _Row:
    content = max((len(cell) * style.leading for cell, style in zip(lines, styles,
                                                                    strict=True)), default=0.0)
    return _Row(tuple(lines), tuple(styles), top, bottom, content + top + bottom)


class Rows(Flowable):  # type: ignore[misc]
    """A table whose cells are text: rows of fixed-width columns, an optional header
    row repeated on every page it continues onto."""

    def __init__(self, rows: Sequence[Sequence[Cell]], widths: Sequence[float], look: Look,
                 coverage: Coverage | None = None, header: bool = False) -> None:
        super().__init__()
        self.look = look
        self.widths = tuple(widths)
        self.coverage = coverage
        self.hAlign = "CENTER"  # as ReportLab's Table
        self.width = sum(self.widths)
        self._source = [tuple(row) for row in rows]
        self._next = 0  # the first source row not laid out yet
        self._header: _Row | None = None
        self._laid: list[_Row] = []  # body rows laid out, in order
        self._used = 0.0  # their height, with the header's
        self._continued = False  # the rest of a table split across pages
        if header and self._source:
            self._header = self._lay(self._source[0], 0)
            self._next = 1
            self._used = self._header.height

    def _part(self, laid: list[_Row], with_rest: bool, continued: bool) -> Rows:
        """A piece of this table after a split: ``laid`` under the header, and when
        ``with_rest`` the rows not laid out yet too. A new flowable, not a copy: the
        document marks flowables it could not place (``_postponed``), and a copy would
        carry the mark to the next page."""
        piece = Rows((), self.widths, self.look, self.coverage)
        piece._header, piece._laid, piece._continued = self._header, laid, continued
        if with_rest:
            piece._source, piece._next = self._source, self._next
        piece._used = (self._header.height if self._header else 0.0) + sum(
            row.height for row in laid)
        return piece

    # ---- layout ------------------------------------------------------------------------

    def _lay(self, cells: Sequence[Cell], index: int) -> _Row:
        look = self.look
        lines = []
        for cell, width in zip(cells, self.widths, strict=True):
            inner = width - look.left - look.right
            lines.append(self._lines(cell, inner))
        top = look.first_top if index == 0 and look.first_top is not None else look.top
        last = index == len(self._source) - 1
        bottom = look.last_bottom if last and look.last_bottom is not None else look.bottom
        return _row(lines, [cell.style for cell in cells], top, bottom)

    def _lines(self, cell: Cell, width: float) -> list[Line]:
        # The key a text block uses: a cell and a block of the same text share a layout.
        key = (cell.text, cell.style.size, cell.style.role, width, (0, 0), None)
        if self.coverage is None:
            return layout(cell.text, cell.style, width)
        return self.coverage.cached(key, lambda cov: layout(cell.text, cell.style, width, cov))

    def _fill(self, height: float) -> None:
        """Lay out rows until they are taller than ``height`` or there are no more: a
        page needs no more, and a long table is laid out page by page as it is placed."""
        while self._next < len(self._source) and self._used <= height:
            row = self._lay(self._source[self._next], self._next)
            self._laid.append(row)
            self._used += row.height
            self._next += 1

    @property
    def _complete(self) -> bool:
        return self._next >= len(self._source)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Like ReportLab's long tables: when the rows laid out are already taller than
        # the room, that is the answer (it does not fit), without laying out the rest.
        self._fill(availHeight)
        self.height = self._used
        return self.width, self._used

    # ---- splitting ---------------------------------------------------------------------

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._fill(availHeight)
        used = self._header.height if self._header else 0.0
        if used > availHeight:
            return []
        fit = 0
        for row in self._laid:
            if used + row.height > availHeight:
                break
            used += row.height
            fit += 1
        if fit == len(self._laid) and self._complete:
            return [self]
        rest_rows = self._laid[fit:]
        if rest_rows[0].height > self.look.tall_row and availHeight - used >= self.look.min_piece:
            halves = self._split_row(rest_rows[0], availHeight - used)
            if halves is not None:
                return [self._part([*self._laid[:fit], halves[0]], False, self._continued),
                        self._part([halves[1], *rest_rows[1:]], True, True)]
        if fit == 0:
            return []  # not even one row: the whole table goes to the next page
        return [self._part(self._laid[:fit], False, self._continued),
                self._part(rest_rows, True, True)]

    @staticmethod
    def _split_row(row: _Row, room: float) -> tuple[_Row, _Row] | None:
        """A row cut between lines to fit ``room``, or None when a cell cannot be cut
        (less than a line fits, or a paragraph's first line would be left alone)."""
        inner = room - row.top - row.bottom
        first: list[Sequence[Line]] = []
        rest: list[Sequence[Line]] = []
        for lines, style in zip(row.lines, row.styles, strict=True):
            if len(lines) * style.leading <= inner:
                first.append(lines)
                rest.append(())
                continue
            fit = int(inner // style.leading)
            if fit <= 0 or (fit == 1 and lines[1].at[0] == lines[0].at[0]):
                return None
            first.append(lines[:fit])
            rest.append(lines[fit:])
        return (_row(first, row.styles, row.top, row.bottom),
                _row(rest, row.styles, row.top, row.bottom))

    # ---- drawing -----------------------------------------------------------------------

    def draw(self) -> None:
        self._fill(float("inf"))  # placed without being measured whole: measure it now
        canvas, look, width = self.canv, self.look, self.width
        rows = ([self._header] if self._header else []) + self._laid
        height = self._used
        if look.background is not None:
            canvas.setFillColor(look.background)
            canvas.rect(0, 0, width, height, stroke=0, fill=1)
        top = height
        for number, row in enumerate(rows):
            body = number - (1 if self._header else 0)
            colour = (look.header_background if body < 0
                      else look.shades[body % len(look.shades)] if look.shades else None)
            if colour is not None:
                canvas.setFillColor(colour)
                canvas.rect(0, top - row.height, width, row.height, stroke=0, fill=1)
            top -= row.height
        top = height
        for row in rows:
            x = 0.0
            for lines, style, column in zip(row.lines, row.styles, self.widths, strict=True):
                if lines:
                    draw_lines(canvas, lines, x + look.left, top - row.top,
                               column - look.left - look.right, style)
                x += column
            top -= row.height
        self._draw_lines(rows, height)

    def _draw_lines(self, rows: Sequence[_Row], height: float) -> None:
        look, canvas = self.look, self.canv
        if not (look.rule and look.rule_color) and not (look.edge and look.edge_color):
            return
        canvas.saveState()
        canvas.setLineCap(1)  # ReportLab's tables draw their lines with round ends
        canvas.setLineJoin(1)
        if look.rule and look.rule_color is not None:
            canvas.setStrokeColor(look.rule_color)
            canvas.setLineWidth(look.rule)
            if self._continued and not self._header:
                # The rule a row had above it on the page before starts this page too.
                canvas.line(0, height, self.width, height)
            y = height
            for row in rows:
                y -= row.height
                canvas.line(0, y, self.width, y)
        if look.edge and look.edge_color is not None:
            canvas.setStrokeColor(look.edge_color)
            canvas.setLineWidth(look.edge)
            canvas.line(0, 0, 0, height)
        canvas.restoreState()
