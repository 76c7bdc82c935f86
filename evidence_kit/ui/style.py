"""One calm look for the whole app, set on widgets by dynamic properties."""

from __future__ import annotations

from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

STYLE = """
QLabel[heading="true"] { font-size: 17pt; font-weight: 600; color: #1d2b36; }
QLabel[subheading="true"] { font-size: 12.5pt; font-weight: 600; color: #1d2b36; }
QLabel[section="true"] { font-weight: 600; margin-top: 8px; }
QLabel[fieldName="true"] { color: #4f5b66; margin-top: 6px; }
QLabel[hint="true"] { color: #4f5b66; }
QLabel[error="true"] { color: #a3231a; }
QLabel[ok="true"] { color: #1b5e20; }
QLabel[warning="true"] {
    background: #fff4e0; border: 1px solid #e0b870; border-radius: 6px; padding: 10px;
    color: #3d2a00;
}
QLabel[codeBox="true"] {
    background: #f4f6f8; border: 1px solid #b8c2cc; border-radius: 6px; padding: 16px;
    color: #10212e;
}
QLabel[mono="true"] { font-family: monospace; }
QFrame[card="true"] {
    background: palette(base); border: 1px solid #c9d1d9; border-radius: 10px;
}
QPushButton[link="true"] {
    border: none; color: #1a5fa8; text-decoration: underline; text-align: left;
    padding: 2px 0;
}
QPushButton[link="true"]:focus { outline: 1px dotted #1a5fa8; }
QListWidget#incidents::item, QListWidget[accessibleName="Incidents"]::item {
    padding: 6px 4px; border-bottom: 1px solid #e3e8ed;
}
QListWidget::item:selected { background: #d6e6f5; color: #10212e; }
QListView::item:selected, QTableView::item:selected { background: #d6e6f5; color: #10212e; }
QToolBar { spacing: 6px; padding: 2px 6px; }
QToolBar QToolButton { padding: 4px 10px; }
"""


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize a dialog to the size it wants, but never beyond the screen it is on."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        width = min(width, area.width() - 40)
        height = min(height, area.height() - 40)
    widget.resize(width, height)


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    app.setFont(font)
    app.setStyleSheet(STYLE)
