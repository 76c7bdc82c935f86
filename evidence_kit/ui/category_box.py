"""The category chooser: plain names, with the policy grid's name as a second line.

The closed box shows just the plain name; the open list shows both lines, so a person picks
by the words they know and the school's policy term is still in view.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem

from evidence_kit.capture.categories import CATEGORIES

TWO_LINES = Qt.ItemDataRole.UserRole + 1


class _TwoLines(QStyledItemDelegate):
    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        both = index.data(TWO_LINES)
        if both:
            option.text = both


def fill_categories(combo: QComboBox, none_text: str,
                    extra: tuple[str, ...] = ()) -> None:
    """Every category, plain name first; ``extra`` ids (recorded, since retired) last."""
    combo.addItem(none_text, None)
    for category in CATEGORIES:
        combo.addItem(category.label, category.id)
        row = combo.count() - 1
        combo.setItemData(row, category.description, Qt.ItemDataRole.ToolTipRole)
        if category.code:
            combo.setItemData(row, f"{category.label}\n{category.code}", TWO_LINES)
    for value in extra:
        combo.addItem(value, value)
    combo.setItemDelegate(_TwoLines(combo))
