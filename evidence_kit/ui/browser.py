"""The evidence browser: incidents on the left, the chosen incident's items on the right.

Layout only: the items come from :class:`~evidence_kit.ui.items_model.ItemsModel` (which
also sorts and filters them) and :mod:`evidence_kit.ui.workspace` drives the views.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QSize,
    Qt,
    Signal,
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
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.core.model import Item
from evidence_kit.ui import text
from evidence_kit.ui.date_field import DateField
from evidence_kit.ui.incident_list import IncidentList
from evidence_kit.ui.items_model import GRID_ICON, LIST_ICON, Criteria, ItemRole, ItemsModel
from evidence_kit.ui.tracking import TrackingPanel


def _date_edit(parent: QWidget, name: str) -> QDateEdit:
    edit = DateField(parent)
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

    def __init__(self, model: ItemsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model

        # ---- left: incidents
        left = QWidget(self)
        # Incident titles and date ranges must stay readable at 1024 px wide.
        left.setMinimumWidth(230)
        heading = QLabel("Incidents", left)
        heading.setProperty("subheading", True)
        self.incidents = IncidentList(left)
        heading.setBuddy(self.incidents)
        self.new_incident_button = QPushButton("Ne&w incident…", left)
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
        self.search.setPlaceholderText("Search words (also in pictures), accounts, addresses…")
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

        search_label = QLabel("F&ind:", right)
        search_label.setBuddy(self.search)
        row1 = QHBoxLayout()
        row1.addWidget(search_label)
        row1.addWidget(self.search, 1)
        row1.addWidget(self.grid_button)
        row1.addWidget(self.list_button)
        # Two rows, and no filter narrower than its words: in one row, at 200 % or on a
        # 1024-pixel screen, the layout squeezed them to "All categorie", "Newest firs".
        row2 = QHBoxLayout()
        row3 = QHBoxLayout()
        for row, label_text, widget in ((row2, "&Platform:", self.platform),
                                        (row2, "&Category:", self.category),
                                        (row2, "&Sort:", self.sort),
                                        (row3, "F&rom:", self.date_from),
                                        (row3, "&To:", self.date_to)):
            buddy = QLabel(label_text, right)
            buddy.setBuddy(widget)
            row.addWidget(buddy)
            row.addWidget(widget)
            if isinstance(widget, QComboBox):
                widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            else:
                widget.setMinimumWidth(widget.sizeHint().width())
        row2.addStretch(1)
        row3.addStretch(1)

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
        self.grid.setModel(model)
        self.grid.setModelColumn(ItemsModel.CARD)

        self.table = QTableView(right)
        self.table.setAccessibleName("Evidence list")
        self.table.setModel(model)
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
        evidence_layout.addLayout(row3)
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
        if self.model.rowCount() or self.views.currentIndex() != 2:
            self.views.setCurrentIndex(mode)

    @property
    def mode(self) -> int:
        return 0 if self.grid_button.isChecked() else 1

    def current_view(self) -> QAbstractItemView:
        return self.grid if self.mode == 0 else self.table

    def _apply_sort(self, index: int) -> None:
        _label, col, order = self.SORTS[index]
        self.model.sort(col, order)
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
        found = [self.model.index(r, 0).data(ItemRole) for r in rows]
        if not found and view.currentIndex().isValid():
            found = [self.model.index(view.currentIndex().row(), 0).data(ItemRole)]
        return [i for i in found if isinstance(i, Item)]

    def _open_current(self) -> None:
        chosen = self.selected_items()
        if chosen:
            self.open_item.emit(chosen[0].id)

    def _open_index(self, index: QModelIndex) -> None:
        item = self.model.index(index.row(), 0).data(ItemRole)
        if isinstance(item, Item):
            self.open_item.emit(item.id)

    def criteria(self) -> Criteria:
        def date_or_none(edit: QDateEdit) -> QDate | None:
            return None if edit.date() == edit.minimumDate() else edit.date()

        return Criteria.of(self.search.text(), self.platform.currentData(),
                           self.category.currentData(), date_or_none(self.date_from),
                           date_or_none(self.date_to))

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
        # "Showing all 1 item" reads oddly: "all" only where there is more than one.
        self.count.setText(f"Showing {text.items_count(total)}" if shown == total == 1
                           else f"Showing all {text.items_count(total)}" if shown == total
                           else f"Showing {shown:,} of {text.items_count(total)}")
        self.open_button.setEnabled(shown > 0)
        self.move_button.setEnabled(shown > 0)
