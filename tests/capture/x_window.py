"""A tiny X client for the tests: one window with a given title and class, until killed.

    python x_window.py TITLE INSTANCE CLASS

Prints "mapped" once its window is on the screen. It sets ``_NET_WM_PID`` as real
applications do, so the window can be traced to this process.
"""

from __future__ import annotations

import os
import sys

from Xlib import X, Xatom, display


def main() -> None:
    title, instance, wm_class = sys.argv[1:4]
    d = display.Display()
    screen = d.screen()
    window = screen.root.create_window(100, 100, 400, 300, 0, screen.root_depth,
                                       background_pixel=screen.white_pixel,
                                       event_mask=X.StructureNotifyMask)
    window.set_wm_name(title.encode("latin-1", "replace"))
    window.change_property(d.intern_atom("_NET_WM_NAME"), d.intern_atom("UTF8_STRING"), 8,
                           title.encode("utf-8"))
    window.set_wm_class(instance, wm_class)
    window.change_property(d.intern_atom("_NET_WM_PID"), Xatom.CARDINAL, 32, [os.getpid()])
    window.map()
    d.flush()
    while True:
        event = d.next_event()
        if event.type == X.MapNotify:
            print("mapped", flush=True)


if __name__ == "__main__":
    main()
