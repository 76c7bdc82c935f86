"""A window with tall known content to be scrolled by the app, for the scrolling tests.

    python scroll_target.py CONTENT.png VIEWPORT_HEIGHT

Run with QT_QPA_PLATFORM=xcb on the test's X server. A frameless window at (0, 0): a
sticky header bar, a scroll area showing CONTENT.png pixel for pixel (with its scroll
bar at the right), and a sticky footer bar, as a chat window has. It scrolls only by
the wheel events it receives. Prints ``ready X Y WIDTH HEIGHT`` (the area to capture:
header, messages and footer, without the scroll bar) once it is on the screen, then
``at N`` each time the scroll position changes; ``quit`` or EOF on stdin ends it.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSocketNotifier, Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

HEADER, FOOTER = 40, 30


def main() -> None:
    path, viewport = sys.argv[1], int(sys.argv[2])
    app = QApplication(sys.argv[:1])
    app.setWheelScrollLines(3)
    pixmap = QPixmap(path)
    window = QWidget(None, Qt.WindowType.FramelessWindowHint)
    header = QLabel("  Parents' group — 214 members", window)
    header.setFixedHeight(HEADER)
    header.setStyleSheet("background: #075e54; color: white; font-weight: bold;")
    footer = QLabel("  Type a message", window)
    footer.setFixedHeight(FOOTER)
    footer.setStyleSheet("background: #f0f0f0; color: #555;")
    content = QLabel()
    content.setPixmap(pixmap)
    content.setFixedSize(pixmap.size())
    content.setContentsMargins(0, 0, 0, 0)
    area = QScrollArea(window)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    area.setWidget(content)
    area.verticalScrollBar().setSingleStep(20)
    bar = area.verticalScrollBar().sizeHint().width()
    area.setFixedSize(pixmap.width() + bar, viewport)
    layout = QVBoxLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(header)
    layout.addWidget(area)
    layout.addWidget(footer)
    window.move(0, 0)
    window.show()
    area.verticalScrollBar().valueChanged.connect(lambda v: print(f"at {v}", flush=True))

    def ready() -> None:
        print(f"ready 0 0 {pixmap.width()} {HEADER + viewport + FOOTER}", flush=True)

    QTimer.singleShot(500, ready)
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)

    def command() -> None:
        line = sys.stdin.readline()
        if not line or line.strip() == "quit":
            app.quit()

    notifier.activated.connect(command)
    app.exec()


if __name__ == "__main__":
    main()
