"""Paint a known pattern over the whole X screen, for the screen-capture tests.

Run as a script (``python paint_pattern.py WIDTH HEIGHT``) with QT_QPA_PLATFORM=xcb,
so the test process's own Qt state is untouched. It prints ``ready`` once the
pattern has been painted, then obeys lines on stdin: ``invert`` / ``normal`` repaint
(answered by ``painted invert`` / ``painted normal``), ``quit`` or EOF ends it.

The tests import :func:`pattern_rgb` from this file too, so the expected pixels and
the painted ones come from the same code.
"""

from __future__ import annotations

import sys

SCREEN_WIDTH = 1280
SCREEN_HEIGHT = 800

_INVERT = bytes(255 - value for value in range(256))


def pattern_rgb(width: int, height: int, inverted: bool = False) -> bytes:
    """Packed RGB where every pixel's colour is unique, so any shift or scaling shows.

    Red is x mod 256, green y mod 256, blue the high bits of x and y.
    """
    low_x = bytes(x & 0xFF for x in range(width))
    high_x = [(x >> 8) & 0x07 for x in range(width)]
    rows = []
    row = bytearray(width * 3)
    for y in range(height):
        row[0::3] = low_x
        row[1::3] = bytes([y & 0xFF]) * width
        high_y = ((y >> 8) & 0x0F) << 3
        row[2::3] = bytes(0x80 | high_y | hx for hx in high_x)
        rows.append(bytes(row))
    data = b"".join(rows)
    return data.translate(_INVERT) if inverted else data


def main() -> int:
    from PySide6.QtCore import QSocketNotifier, Qt, QTimer
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QApplication, QWidget

    width, height = int(sys.argv[1]), int(sys.argv[2])
    app = QApplication(sys.argv[:1])
    images = {}
    for inverted in (False, True):
        data = pattern_rgb(width, height, inverted)
        image = QImage(data, width, height, width * 3, QImage.Format.Format_RGB888)
        images[inverted] = (data, image)  # the QImage borrows data: keep both alive

    class Canvas(QWidget):
        def __init__(self) -> None:
            super().__init__(
                None,
                Qt.WindowType.FramelessWindowHint
                | Qt.WindowType.WindowStaysOnTopHint
                | Qt.WindowType.X11BypassWindowManagerHint,
            )
            self.inverted = False
            self.announce = "ready"
            self.setGeometry(0, 0, width, height)

        def paintEvent(self, event: object) -> None:
            painter = QPainter(self)
            painter.drawImage(0, 0, images[self.inverted][1])
            painter.end()
            if self.announce:
                message, self.announce = self.announce, ""
                # Let Qt push the backing store to the X server before saying so.
                QTimer.singleShot(50, lambda: print(message, flush=True))

    canvas = Canvas()
    canvas.show()

    def on_command() -> None:
        line = sys.stdin.readline()
        command = line.strip()
        if not line or command == "quit":
            app.quit()
        elif command in ("invert", "normal"):
            canvas.inverted = command == "invert"
            canvas.announce = f"painted {command}"
            canvas.repaint()

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(on_command)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
