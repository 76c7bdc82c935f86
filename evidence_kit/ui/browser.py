"""The evidence browser: incidents on the left, the chosen incident's items on the right.

:class:`ItemsModel` holds plain :class:`Item` values and loads thumbnails only when a
view asks to paint one (they are PNGs made at import, kept inside the vault, decoded in
memory; nothing is cached on disk). :class:`ItemFilter` sorts and filters. The views
here are layout; :mod:`evidence_kit.ui.workspace` drives them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QPainter,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.core.model import Incident, Item
from evidence_kit.ui import text
from evidence_kit.ui.drops import dropped_paths
from evidence_kit.ui.tracking import TrackingPanel

ItemRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

ThumbnailLoader = Callable[[str], bytes | None]
AnyIndex = QModelIndex | QPersistentModelIndex

GRID_ICON = 176
LIST_ICON = 40


class ItemsModel(QAbstractTableModel):
    TIME, PLATFORM, ACCOUNT, SHOWS, CATEGORY, KIND, CARD = range(7)
    HEADERS = ("Recorded", "Platform", "Account", "What it shows", "Category", "Type", "")

    def __init__(self, thumbnails: ThumbnailLoader, categories: dict[str, str],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._load_thumbnail = thumbnails
        self._categories = categories
        self._items: list[Item] = []
        # Worked out only for the rows a view or a filter asks about, keyed by item id.
        self._times: dict[int, str] = {}
        self._dates: dict[int, QDate] = {}
        self._haystacks: dict[int, str] = {}
        self._pixmaps: dict[str, QPixmap | None] = {}
        self._placeholders: dict[str, QPixmap] = {}
        self._sort = (self.TIME, Qt.SortOrder.DescendingOrder)

    # ---- contents ------------------------------------------------------------------

    def set_items(self, items: list[Item]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._sort_items()
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._items = []
        self._times.clear()
        self._dates.clear()
        self._haystacks.clear()
        self._pixmaps.clear()
        self.endResetModel()

    def replace_item(self, item: Item) -> None:
        for row, existing in enumerate(self._items):
            if existing.id == item.id:
                self._items[row] = item
                self._haystacks.pop(item.id, None)
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.CARD))
                return

    def _haystack(self, item: Item) -> str:
        parts = (item.original_name, item.description, item.account, item.url, item.platform,
                 self.category_label(item.category), item.media_type)
        return " ".join(p for p in parts if p).casefold()

    def category_label(self, category: str | None) -> str:
        if not category:
            return ""
        return self._categories.get(category, category)

    def item_at(self, row: int) -> Item:
        return self._items[row]

    def time_at(self, row: int) -> str:
        item = self._items[row]
        found = self._times.get(item.id)
        if found is None:
            found = self._times[item.id] = text.local_time(item.recorded_at)
        return found

    def date_at(self, row: int) -> QDate:
        item = self._items[row]
        found = self._dates.get(item.id)
        if found is None:
            moment = text.to_local(item.recorded_at)
            found = QDate(moment.year, moment.month, moment.day) if moment else QDate()
            self._dates[item.id] = found
        return found

    def haystack_at(self, row: int) -> str:
        item = self._items[row]
        found = self._haystacks.get(item.id)
        if found is None:
            found = self._haystacks[item.id] = self._haystack(item)
        return found

    # ---- sorting: done here in one Python sort, not by the proxy row by row ----------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old_ids = [item.id for item in self._items]
        persistent = self.persistentIndexList()
        self._sort_items()
        new = {item.id: row for row, item in enumerate(self._items)}
        moved = [self.index(new.get(old_ids[index.row()], index.row()), index.column())
                 for index in persistent]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _sort_items(self) -> None:
        column, order = self._sort
        self._items.sort(key=lambda item: self._sort_key(item, column),
                         reverse=order == Qt.SortOrder.DescendingOrder)

    @property
    def sort_order(self) -> tuple[int, Qt.SortOrder]:
        return self._sort

    @property
    def items(self) -> list[Item]:
        return list(self._items)

    @property
    def loaded_thumbnails(self) -> int:
        return sum(1 for p in self._pixmaps.values() if p is not None)

    # ---- Qt model ------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        col = index.column()
        if role == ItemRole:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(item, index.row(), col)
        if role == SortRole:
            return self._sort_key(item, col)
        if role == Qt.ItemDataRole.DecorationRole and col in (self.TIME, self.CARD):
            return self._thumbnail(item, GRID_ICON if col == self.CARD else LIST_ICON)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, index.row())
        if role == Qt.ItemDataRole.ForegroundRole and item.withdrawn:
            return QColor("#777777")
        return None

    def _display(self, item: Item, row: int, col: int) -> str:
        if col == self.TIME:
            return self.time_at(row)
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
        return "\n".join(p for p in (self.time_at(row), who or text.kind_text(item)) if p)

    def _sort_key(self, item: Item, col: int) -> str:
        """Plain strings: Qt compares them itself (it cannot order Python tuples)."""
        when = f"{item.recorded_at}#{item.id:012d}"
        if col in (self.TIME, self.CARD):
            return when
        if col == self.SHOWS:
            shown = text.summary_of(item)
        elif col == self.KIND:
            shown = text.kind_text(item)
        elif col == self.CATEGORY:
            shown = self.category_label(item.category)
        else:
            shown = (item.platform if col == self.PLATFORM else item.account) or ""
        return f"{shown.casefold()}\x00{when}"

    def _tooltip(self, item: Item, row: int) -> str:
        lines = [text.summary_of(item), self.time_at(row)]
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


class ItemFilter(QSortFilterProxyModel):
    """Text, platform, category and date range; everything an item shows is searched."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(False)
        self._words: list[str] = []
        self._platform: str | None = None
        self._category: str | None = None
        self._from: QDate | None = None
        self._to: QDate | None = None

    def set_criteria(self, text: str = "", platform: str | None = None,
                     category: str | None = None, date_from: QDate | None = None,
                     date_to: QDate | None = None) -> None:
        begin = getattr(self, "beginFilterChange", None)  # Qt 6.9+
        if begin is not None:
            begin()
        self._words = text.casefold().split()
        self._platform = platform
        self._category = category
        self._from = date_from
        self._to = date_to
        if begin is not None:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            self.invalidateRowsFilter()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts (one Python sort); the proxy keeps its order."""
        model = self.sourceModel()
        if isinstance(model, ItemsModel):
            model.sort(column, order)

    def filterAcceptsRow(self, row: int, parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, ItemsModel):
            return True
        item = model.item_at(row)
        if self._platform is not None and (item.platform or "") != self._platform:
            return False
        if self._category is not None and (item.category or "") != self._category:
            return False
        if self._from is not None or self._to is not None:
            day = model.date_at(row)
            if self._from is not None and day < self._from:
                return False
            if self._to is not None and day > self._to:
                return False
        if self._words:
            hay = model.haystack_at(row)
            return all(word in hay for word in self._words)
        return True


class IncidentList(QListWidget):
    """'All evidence', 'Not in an incident', then each incident with its counts.

    Files and folders dropped on an incident are imported into it.
    """

    ALL = "all"
    NONE = "none"
    files_dropped = Signal(list, object)  # paths, the incident key dropped on

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self._hover: QListWidgetItem | None = None
        self.setAccessibleName("Incidents")
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setSpacing(2)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def fill(self, incidents: list[Incident], statuses: dict[int, str], total: int,
             loose: int, keep: object) -> None:
        self.blockSignals(True)
        self.clear()
        rows: list[tuple[object, str]] = [
            (self.ALL, f"All evidence\n{text.items_count(total)}"),
        ]
        for incident in incidents:
            rows.append((incident.id, text.incident_line(incident,
                                                         statuses.get(incident.id, ""))))
        if loose or not incidents:
            rows.append((self.NONE, f"Not in an incident\n{text.items_count(loose)}"))
        chosen = 0
        for n, (key, label) in enumerate(rows):
            entry = QListWidgetItem(label, self)
            entry.setData(Qt.ItemDataRole.UserRole, key)
            if isinstance(key, int):
                font = entry.font()
                entry.setData(Qt.ItemDataRole.AccessibleTextRole, label.replace("\n", ", "))
                entry.setFont(font)
            if key == keep:
                chosen = n
        self.setCurrentRow(chosen)
        self.blockSignals(False)

    def current_key(self) -> object:
        entry = self.currentItem()
        return entry.data(Qt.ItemDataRole.UserRole) if entry is not None else self.ALL

    # ---- drops ---------------------------------------------------------------------

    @staticmethod
    def _paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Any]:
        return dropped_paths(event)

    def _highlight(self, entry: QListWidgetItem | None) -> None:
        if self._hover is entry:
            return
        if self._hover is not None:
            self._hover.setBackground(QBrush())
        self._hover = entry
        if entry is not None:
            entry.setBackground(QColor("#cfe3f7"))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self._paths(event):
            event.ignore()
            return
        self._highlight(self.itemAt(event.position().toPoint()))
        event.acceptProposedAction()

    def dragLeaveEvent(self, event: Any) -> None:
        self._highlight(None)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._paths(event)
        entry = self.itemAt(event.position().toPoint())
        self._highlight(None)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        key = entry.data(Qt.ItemDataRole.UserRole) if entry is not None else self.ALL
        self.files_dropped.emit(paths, key)


def _date_edit(parent: QWidget, name: str) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    edit.setMinimumDate(QDate(2000, 1, 1))
    edit.setSpecialValueText("any date")
    edit.setDate(edit.minimumDate())
    edit.setAccessibleName(name)
    return edit


class BrowserView(QWidget):
    """Layout of the browser. Signals say what the user asked for; nothing here writes."""

    open_item = Signal(int)
    incident_changed = Signal(object)
    new_incident = Signal()
    rename_incident = Signal()
    edit_summary = Signal()
    move_items = Signal()
    filters_changed = Signal()

    SORTS = (("Newest first", ItemsModel.TIME, Qt.SortOrder.DescendingOrder),
             ("Oldest first", ItemsModel.TIME, Qt.SortOrder.AscendingOrder),
             ("Platform", ItemsModel.PLATFORM, Qt.SortOrder.AscendingOrder),
             ("Account", ItemsModel.ACCOUNT, Qt.SortOrder.AscendingOrder),
             ("Category", ItemsModel.CATEGORY, Qt.SortOrder.AscendingOrder))

    def __init__(self, model: ItemsModel, proxy: ItemFilter,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = proxy

        # ---- left: incidents
        left = QWidget(self)
        # Incident titles and date ranges must stay readable at 1024 px wide.
        left.setMinimumWidth(230)
        heading = QLabel("Incidents", left)
        heading.setProperty("subheading", True)
        self.incidents = IncidentList(left)
        heading.setBuddy(self.incidents)
        self.new_incident_button = QPushButton("&New incident…", left)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(heading)
        left_layout.addWidget(self.incidents, 1)
        left_layout.addWidget(self.new_incident_button)

        # ---- right: the chosen incident
        right = QWidget(self)
        self.title = QLabel(right)
        self.title.setProperty("heading", True)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.summary = QLabel(right)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setProperty("hint", True)
        self.rename_button = QPushButton("Rename…", right)
        self.rename_button.setAccessibleName("Rename incident")
        self.summary_button = QPushButton("Edit summary…", right)
        self.summary_button.setAccessibleName("Edit incident summary")
        header_buttons = QHBoxLayout()
        header_buttons.addWidget(self.rename_button)
        header_buttons.addWidget(self.summary_button)
        header_buttons.addStretch(1)

        self.search = QLineEdit(right)
        self.search.setPlaceholderText("Search words, accounts, addresses…")
        self.search.setAccessibleName("Search evidence")
        self.search.setClearButtonEnabled(True)
        self.platform = QComboBox(right)
        self.platform.setAccessibleName("Platform filter")
        self.category = QComboBox(right)
        self.category.setAccessibleName("Category filter")
        self.date_from = _date_edit(right, "From date")
        self.date_to = _date_edit(right, "To date")
        self.sort = QComboBox(right)
        self.sort.setAccessibleName("Sort order")
        for label, _col, _order in self.SORTS:
            self.sort.addItem(label)
        self.grid_button = QToolButton(right)
        self.grid_button.setText("Thumbnails")
        self.grid_button.setCheckable(True)
        self.grid_button.setChecked(True)
        self.grid_button.setAccessibleName("Show as thumbnails")
        self.list_button = QToolButton(right)
        self.list_button.setText("List")
        self.list_button.setCheckable(True)
        self.list_button.setAccessibleName("Show as a list")
        self.view_mode = QButtonGroup(self)
        self.view_mode.addButton(self.grid_button, 0)
        self.view_mode.addButton(self.list_button, 1)

        search_label = QLabel("&Find:", right)
        search_label.setBuddy(self.search)
        row1 = QHBoxLayout()
        row1.addWidget(search_label)
        row1.addWidget(self.search, 1)
        row1.addWidget(self.grid_button)
        row1.addWidget(self.list_button)
        row2 = QHBoxLayout()
        for label_text, widget in (("&Platform:", self.platform),
                                   ("&Category:", self.category),
                                   ("Fro&m:", self.date_from), ("&To:", self.date_to),
                                   ("S&ort:", self.sort)):
            buddy = QLabel(label_text, right)
            buddy.setBuddy(widget)
            row2.addWidget(buddy)
            row2.addWidget(widget)
        row2.addStretch(1)

        self.grid = QListView(right)
        self.grid.setAccessibleName("Evidence thumbnails")
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setUniformItemSizes(True)
        self.grid.setIconSize(QSize(GRID_ICON, GRID_ICON))
        self.grid.setGridSize(QSize(GRID_ICON + 32, GRID_ICON + 56))
        self.grid.setWordWrap(True)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.grid.setModel(proxy)
        self.grid.setModelColumn(ItemsModel.CARD)

        self.table = QTableView(right)
        self.table.setAccessibleName("Evidence list")
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setIconSize(QSize(LIST_ICON, LIST_ICON))
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(LIST_ICON + 8)
        self.table.setColumnHidden(ItemsModel.CARD, True)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ItemsModel.SHOWS, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(ItemsModel.TIME, 215)
        header.resizeSection(ItemsModel.PLATFORM, 100)
        header.resizeSection(ItemsModel.ACCOUNT, 130)
        header.resizeSection(ItemsModel.CATEGORY, 110)
        header.resizeSection(ItemsModel.KIND, 90)

        self.views = QStackedWidget(right)
        self.views.addWidget(self.grid)
        self.views.addWidget(self.table)
        self.empty = QLabel(right)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setProperty("hint", True)
        self.views.addWidget(self.empty)
        self.count = QLabel(right)
        self.count.setProperty("hint", True)
        self.open_button = QPushButton("&Open", right)
        self.open_button.setAccessibleName("Open the selected item")
        self.move_button = QPushButton("&Move to incident…", right)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.move_button)
        bottom.addWidget(self.open_button)

        evidence_page = QWidget(right)
        evidence_layout = QVBoxLayout(evidence_page)
        evidence_layout.setContentsMargins(0, 6, 0, 0)
        evidence_layout.addLayout(row1)
        evidence_layout.addLayout(row2)
        evidence_layout.addWidget(self.views, 1)
        evidence_layout.addLayout(bottom)
        self.tracking = TrackingPanel(right)
        self.right_tabs = QTabWidget(right)
        self.right_tabs.setDocumentMode(True)
        self.right_tabs.addTab(evidence_page, "&Evidence")
        self.right_tabs.addTab(self.tracking, "Reports and &actions")

        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.title)
        right_layout.addWidget(self.summary)
        right_layout.addLayout(header_buttons)
        right_layout.addWidget(self.right_tabs, 1)

        self.splitter = QSplitter(self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 740])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.splitter)

        # tab order: incidents, new, rename, summary, search, view mode, filters, items
        order: list[QWidget] = [self.incidents, self.new_incident_button, self.rename_button,
                                self.summary_button, self.search, self.grid_button,
                                self.list_button, self.platform, self.category, self.date_from,
                                self.date_to, self.sort, self.grid, self.table,
                                self.move_button, self.open_button]
        for a, b in itertools.pairwise(order):
            self.setTabOrder(a, b)

        self.incidents.currentItemChanged.connect(
            lambda *_: self.incident_changed.emit(self.incidents.current_key()))
        self.new_incident_button.clicked.connect(self.new_incident)
        self.rename_button.clicked.connect(self.rename_incident)
        self.summary_button.clicked.connect(self.edit_summary)
        self.move_button.clicked.connect(self.move_items)
        self.open_button.clicked.connect(self._open_current)
        self.grid.activated.connect(self._open_index)
        self.table.activated.connect(self._open_index)
        self.view_mode.idClicked.connect(self.set_mode)
        self.sort.currentIndexChanged.connect(self._apply_sort)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._header_sorted)
        for signal in (self.search.textChanged, self.platform.currentIndexChanged,
                       self.category.currentIndexChanged, self.date_from.dateChanged,
                       self.date_to.dateChanged):
            signal.connect(self.filters_changed)
        self._apply_sort(0)

    # ---- view state ----------------------------------------------------------------

    def set_mode(self, mode: int) -> None:
        (self.grid_button if mode == 0 else self.list_button).setChecked(True)
        if self.proxy.rowCount() or self.views.currentIndex() != 2:
            self.views.setCurrentIndex(mode)

    @property
    def mode(self) -> int:
        return 0 if self.grid_button.isChecked() else 1

    def current_view(self) -> QAbstractItemView:
        return self.grid if self.mode == 0 else self.table

    def _apply_sort(self, index: int) -> None:
        _label, col, order = self.SORTS[index]
        self.proxy.sort(col, order)
        self.table.horizontalHeader().blockSignals(True)
        self.table.horizontalHeader().setSortIndicator(col, order)
        self.table.horizontalHeader().blockSignals(False)

    def _header_sorted(self, col: int, order: Qt.SortOrder) -> None:
        for n, (_label, c, o) in enumerate(self.SORTS):
            if c == col and o == order:
                self.sort.blockSignals(True)
                self.sort.setCurrentIndex(n)
                self.sort.blockSignals(False)

    def selected_items(self) -> list[Item]:
        view = self.current_view()
        rows = sorted({i.row() for i in view.selectionModel().selectedIndexes()})
        found = [self.proxy.index(r, 0).data(ItemRole) for r in rows]
        if not found and view.currentIndex().isValid():
            found = [self.proxy.index(view.currentIndex().row(), 0).data(ItemRole)]
        return [i for i in found if isinstance(i, Item)]

    def _open_current(self) -> None:
        chosen = self.selected_items()
        if chosen:
            self.open_item.emit(chosen[0].id)

    def _open_index(self, index: QModelIndex) -> None:
        item = self.proxy.index(index.row(), 0).data(ItemRole)
        if isinstance(item, Item):
            self.open_item.emit(item.id)

    def criteria(self) -> dict[str, Any]:
        def date_or_none(edit: QDateEdit) -> QDate | None:
            return None if edit.date() == edit.minimumDate() else edit.date()

        return {
            "text": self.search.text(),
            "platform": self.platform.currentData(),
            "category": self.category.currentData(),
            "date_from": date_or_none(self.date_from),
            "date_to": date_or_none(self.date_to),
        }

    def set_choices(self, combo: QComboBox, everything: str,
                    choices: list[tuple[str, str]]) -> None:
        keep = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for value, label in choices:
            combo.addItem(label, value)
        found = combo.findData(keep) if keep is not None else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)

    def show_header(self, title: str, summary: str, editable: bool) -> None:
        self.title.setText(title)
        self.summary.setText(summary)
        self.summary.setVisible(bool(summary))
        self.rename_button.setVisible(editable)
        self.summary_button.setVisible(editable)
        self.right_tabs.setTabVisible(1, editable)
        if not editable:
            self.right_tabs.setCurrentIndex(0)

    def show_tracking_count(self, steps: int, due: int) -> None:
        label = "Reports and &actions"
        if steps:
            label += f" ({steps})"
        if due:
            label += " · check due"
        self.right_tabs.setTabText(1, label)

    def show_count(self, shown: int, total: int, empty_text: str) -> None:
        if total == 0 or shown == 0:
            self.empty.setText(empty_text if total == 0 else
                               "Nothing matches these filters. Clear the search or "
                               "choose another date, platform or category.")
            self.views.setCurrentIndex(2)
        else:
            self.views.setCurrentIndex(self.mode)
        self.count.setText(f"Showing all {text.items_count(total)}" if shown == total
                           else f"Showing {shown:,} of {text.items_count(total)}")
        self.open_button.setEnabled(shown > 0)
        self.move_button.setEnabled(shown > 0)
