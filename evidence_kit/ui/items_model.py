"""The evidence list's Qt model: the items of one incident, sorted, filtered, fetched lazily.

The model holds plain :class:`Item` values. Sorting and filtering are one Python pass
over that list (not a proxy asking about every row through Qt, which cost a call per row
per change). Views get the matching rows in batches (``canFetchMore``/``fetchMore``): a
view asks for more only as it scrolls, so a 10,000-item list paints as fast as a small
one. What a cell shows is worked out when a view asks for it, and thumbnails are loaded
only when a view paints one (PNGs made at import, kept inside the vault, decoded in
memory; nothing is cached on disk).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap

from evidence_kit.core.model import Item
from evidence_kit.ui import text

ItemRole = Qt.ItemDataRole.UserRole + 1

ThumbnailLoader = Callable[[str], bytes | None]
AnyIndex = QModelIndex | QPersistentModelIndex

GRID_ICON = 176
LIST_ICON = 40

FIRST_BATCH = 200
"""Rows a view gets at once; more than a screen of cards or lines, far fewer than 10,000."""
BATCH = 500


@dataclass(frozen=True)
class Criteria:
    """What the browser's search box and filters ask for; empty means everything."""

    text: str = ""
    platform: str | None = None
    category: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text_hits: frozenset[int] = frozenset()
    """Items whose text read from the picture holds all the words (the vault's index)."""

    @classmethod
    def of(cls, text: str = "", platform: str | None = None, category: str | None = None,
           date_from: QDate | dt.date | None = None,
           date_to: QDate | dt.date | None = None) -> Criteria:
        return cls(text, platform, category, _day(date_from), _day(date_to))

    @property
    def words(self) -> list[str]:
        return self.text.casefold().split()

    @property
    def empty(self) -> bool:
        return self == Criteria()


def _day(value: QDate | dt.date | None) -> dt.date | None:
    if isinstance(value, QDate):
        day = value.toPython() if value.isValid() else None
        return day if isinstance(day, dt.date) else None
    return value


def _within(day: dt.date | None, first: dt.date, last: dt.date) -> bool:
    return day is not None and first <= day <= last


class ItemsModel(QAbstractTableModel):
    TIME, PLATFORM, ACCOUNT, SHOWS, CATEGORY, KIND, CARD = range(7)
    HEADERS = ("Recorded", "Platform", "Account", "What it shows", "Category", "Type", "")

    def __init__(self, thumbnails: ThumbnailLoader, categories: dict[str, str],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._load_thumbnail = thumbnails
        self._categories = categories
        self._items: list[Item] = []  # every item of the set shown, sorted
        self._rows: list[Item] = []  # those the criteria accept, in the same order
        self._fetched = 0  # how many of _rows the views have been given
        self._criteria = Criteria()
        # Worked out only for the rows a view or a filter asks about, keyed by item id.
        self._times: dict[int, str] = {}
        self._days: dict[int, dt.date | None] = {}
        self._haystacks: dict[int, str] = {}
        self._pixmaps: dict[str, QPixmap | None] = {}
        self._placeholders: dict[str, QPixmap] = {}
        self._sort = (self.TIME, Qt.SortOrder.DescendingOrder)

    # ---- contents ------------------------------------------------------------------

    def set_items(self, items: list[Item]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._sort_items(self._items)
        self._refilter()
        self.endResetModel()

    def set_criteria(self, criteria: Criteria) -> None:
        if criteria == self._criteria:
            return
        self.beginResetModel()
        self._criteria = criteria
        self._refilter()
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._items = []
        self._rows = []
        self._fetched = 0
        self._times.clear()
        self._days.clear()
        self._haystacks.clear()
        self._pixmaps.clear()
        self.endResetModel()

    def replace_item(self, item: Item) -> None:
        self._haystacks.pop(item.id, None)
        self._items = [item if i.id == item.id else i for i in self._items]
        for row, existing in enumerate(self._rows):
            if existing.id == item.id:
                self._rows[row] = item
                if row < self._fetched:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, self.CARD))
                return

    def thumbnail_changed(self, sha256: str) -> None:
        """A thumbnail was made after the item was listed (a new capture's): show it."""
        self._pixmaps.pop(sha256, None)
        for row, item in enumerate(self._rows[:self._fetched]):
            if item.sha256 == sha256:
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.CARD),
                                      [Qt.ItemDataRole.DecorationRole])

    @property
    def criteria(self) -> Criteria:
        return self._criteria

    @property
    def total(self) -> int:
        """Items in the set shown, whatever the filters."""
        return len(self._items)

    @property
    def matching(self) -> int:
        """Items the filters let through (the views may not have fetched them all yet)."""
        return len(self._rows)

    @property
    def items(self) -> list[Item]:
        """The matching items, in order."""
        return list(self._rows)

    @property
    def sort_order(self) -> tuple[int, Qt.SortOrder]:
        return self._sort

    @property
    def loaded_thumbnails(self) -> int:
        return sum(1 for p in self._pixmaps.values() if p is not None)

    def category_label(self, category: str | None) -> str:
        if not category:
            return ""
        return self._categories.get(category, category)

    def item_at(self, row: int) -> Item:
        return self._rows[row]

    # ---- filtering -----------------------------------------------------------------

    def _refilter(self) -> None:
        # The cheap tests first, each one pass over what is left: a platform or category
        # choice leaves fewer rows whose words need searching.
        c = self._criteria
        rows = self._items
        if c.platform is not None:
            rows = [i for i in rows if (i.platform or "") == c.platform]
        if c.category is not None:
            rows = [i for i in rows if (i.category or "") == c.category]
        if c.date_from is not None or c.date_to is not None:
            first, last = c.date_from or dt.date.min, c.date_to or dt.date.max
            rows = [i for i in rows if _within(self._day(i), first, last)]
        words = c.words
        if words:
            hay = self._haystack
            hits = c.text_hits
            rows = [i for i in rows
                    if i.id in hits or all(word in hay(i) for word in words)]
        self._rows = list(rows)
        self._fetched = min(len(self._rows), FIRST_BATCH)

    def _day(self, item: Item) -> dt.date | None:
        if item.id not in self._days:
            moment = text.to_local(item.recorded_at)
            self._days[item.id] = moment.date() if moment else None
        return self._days[item.id]

    def _haystack(self, item: Item) -> str:
        found = self._haystacks.get(item.id)
        if found is None:
            parts = (item.original_name, item.description, item.account, item.url,
                     item.platform, self.category_label(item.category), item.media_type)
            found = self._haystacks[item.id] = " ".join(filter(None, parts)).casefold()
        return found

    def _time(self, item: Item) -> str:
        found = self._times.get(item.id)
        if found is None:
            found = self._times[item.id] = text.local_time(item.recorded_at)
        return found

    # ---- lazy fetching -------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._fetched < len(self._rows)

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = min(len(self._rows), self._fetched + BATCH)
        if more <= self._fetched:
            return
        self.beginInsertRows(QModelIndex(), self._fetched, more - 1)
        self._fetched = more
        self.endInsertRows()

    def fetch_all(self) -> None:
        """Give the views every matching row (select all, keyboard End)."""
        while self.canFetchMore():
            self.fetchMore()

    # ---- sorting: one Python sort of the list ----------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old_ids = [item.id for item in self._rows[:self._fetched]]
        persistent = self.persistentIndexList()
        self._sort_items(self._items)
        self._sort_items(self._rows)
        new = {item.id: row for row, item in enumerate(self._rows)}
        moved = []
        for index in persistent:
            row = new.get(old_ids[index.row()], -1) if index.row() < len(old_ids) else -1
            moved.append(self.index(row, index.column()) if 0 <= row < self._fetched
                         else QModelIndex())
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _sort_items(self, items: list[Item]) -> None:
        column, order = self._sort
        items.sort(key=lambda item: self._sort_key(item, column),
                   reverse=order == Qt.SortOrder.DescendingOrder)

    def _sort_key(self, item: Item, col: int) -> tuple[str, str, int]:
        """What is shown (case-insensitively), then the time, then the id: a stable order."""
        if col in (self.TIME, self.CARD):
            return ("", item.recorded_at, item.id)
        if col == self.SHOWS:
            shown = text.summary_of(item)
        elif col == self.KIND:
            shown = text.kind_text(item)
        elif col == self.CATEGORY:
            shown = self.category_label(item.category)
        else:
            shown = (item.platform if col == self.PLATFORM else item.account) or ""
        return (shown.casefold(), item.recorded_at, item.id)

    # ---- Qt model ------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._fetched

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._fetched:
            return None
        item = self._rows[index.row()]
        col = index.column()
        if role == ItemRole:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(item, col)
        if role == Qt.ItemDataRole.DecorationRole and col in (self.TIME, self.CARD):
            return self._thumbnail(item, GRID_ICON if col == self.CARD else LIST_ICON)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item)
        if role == Qt.ItemDataRole.ForegroundRole and item.withdrawn:
            return QColor("#777777")
        return None

    def _display(self, item: Item, col: int) -> str:
        if col == self.TIME:
            return self._time(item)
        if col == self.PLATFORM:
            return item.platform or ""
        if col == self.ACCOUNT:
            return item.account or ""
        if col == self.SHOWS:
            return text.summary_of(item) + ("  (withdrawn)" if item.withdrawn else "")
        if col == self.CATEGORY:
            return self.category_label(item.category)
        if col == self.KIND:
            return text.kind_text(item)
        who = " · ".join(p for p in (item.platform, item.account) if p)
        return "\n".join(p for p in (self._time(item), who or text.kind_text(item)) if p)

    def _tooltip(self, item: Item) -> str:
        lines = [text.summary_of(item), self._time(item)]
        if item.url:
            lines.append(item.url)
        return "\n".join(lines)

    def _thumbnail(self, item: Item, size: int) -> QPixmap:
        key = item.sha256
        if key not in self._pixmaps:
            data = None if item.withdrawn else self._load_thumbnail(key)
            pixmap = QPixmap()
            self._pixmaps[key] = pixmap if data and pixmap.loadFromData(data) else None
        cached = self._pixmaps[key]
        if cached is None:
            return self._placeholder(text.kind_text(item), size)
        return cached.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)

    def _placeholder(self, label: str, size: int) -> QPixmap:
        key = f"{label}/{size}"
        if key not in self._placeholders:
            pixmap = QPixmap(size, size)
            pixmap.fill(QColor("#e8ecef"))
            painter = QPainter(pixmap)
            painter.setPen(QColor("#4a5560"))
            font = QFont()
            font.setPixelSize(max(9, size // 9))
            painter.setFont(font)
            painter.drawText(pixmap.rect().adjusted(4, 4, -4, -4),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             label if size > 48 else label[:4])
            painter.end()
            self._placeholders[key] = pixmap
        return self._placeholders[key]
