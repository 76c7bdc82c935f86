"""The README's screenshots, taken from the real app on a demo vault under Xvfb.

    python packaging/screenshots.py                 all of them, into resources/screenshots/
    python packaging/screenshots.py --only unlock   just the ones whose names contain "unlock"

Starts its own Xvfb (1280×800) unless --display is given, makes a demo vault with
made-up evidence in a private folder (``--workdir``, emptied first; nothing outside it
is touched: HOME, the XDG folders and the app's config all point inside it), then builds
the app's own controller in this process and drives it through its actions, as the
tests do: first run, unlock, the main window with evidence, report tracking, the viewer,
a capture and its details, the stop path, guidance, settings, the vault check, About,
and an export (the pack's pages are drawn with pdftoppm). Times come from a fixed clock
and the Europe/London zone, so a new run changes a picture only when the app changed
(apart from the recovery code, the key fingerprint and the pack reference, which are
random by design, and the pictures that show them).

Each picture is one window (``QWidget.grab``), without the window manager's frame.
Every person, school, account and post in the pictures is invented.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "screenshots"
MARKER = ".evidence-kit-screenshots"
PASSPHRASE = "violet kettle harbour ninety"  # noqa: S105 - the demo vault's, shown
SCREEN = (1280, 800)
WINDOW = (1100, 700)
START = dt.datetime(2026, 3, 2, 18, 40, tzinfo=dt.UTC)  # the first post was seen
NOW = dt.datetime(2026, 3, 16, 16, 5, tzinfo=dt.UTC)  # when the screenshots "happen"


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


# ---- the private X server --------------------------------------------------------------


@contextlib.contextmanager
def xvfb() -> Iterator[str]:
    binary = shutil.which("Xvfb")
    if binary is None:
        raise SystemExit("screenshots: Xvfb is not installed (apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
         "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        number = b""
        deadline = time.monotonic() + 15
        while not number.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([read_fd], [], [], 0.2)
            if ready:
                chunk = os.read(read_fd, 16)
                if not chunk:
                    break
                number += chunk
        if not number.strip():
            raise SystemExit("screenshots: Xvfb did not start")
        yield f":{number.decode().strip()}"
    finally:
        os.close(read_fd)
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def private_environment(work: Path, display: str) -> Path:
    """Point everything the app reads or writes at the work folder; returns HOME."""
    home = work / "jo"
    for sub in (".config", ".local/share", ".cache", "Pictures/From my phone", "Downloads"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    os.environ.update(
        HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"), XDG_CACHE_HOME=str(home / ".cache"),
        EVIDENCE_KIT_APP_CONFIG=str(home / ".config/evidence-kit/app.json"),
        DISPLAY=display, QT_QPA_PLATFORM="xcb", QT_ENABLE_HIGHDPI_SCALING="0",
        QT_SCALE_FACTOR="1", QT_LOGGING_RULES="*.debug=false;qt.qpa.*=false",
        TZ="Europe/London", LANG="en_GB.UTF-8",
        EVIDENCE_KIT_READ_TEXT="1",  # the pictures' text is read, as for a user
    )
    for name in ("WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "QT_QPA_PLATFORMTHEME",
                 "EVIDENCE_KIT_VAULT", "EVIDENCE_KIT_PASSPHRASE"):
        os.environ.pop(name, None)
    time.tzset()
    return home


def fresh_workdir(work: Path) -> None:
    if work.exists():
        if not (work / MARKER).exists():
            raise SystemExit(f"screenshots: {work} exists and was not made by this script; "
                             "give another --workdir")
        shutil.rmtree(work)
    work.mkdir(parents=True)
    (work / MARKER).write_text("made by packaging/screenshots.py; safe to delete\n")


# ---- everything below runs with Qt ------------------------------------------------------


class Shots:
    def __init__(self, out: Path, home: Path, only: list[str]) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtWidgets import QApplication

        from evidence_kit import APP_NAME
        from evidence_kit.ui.style import apply_style

        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        self.app = QApplication([sys.argv[0]])
        self.app.setApplicationName("evidence-kit")
        self.app.setApplicationDisplayName(APP_NAME)
        self.app.setQuitOnLastWindowClosed(False)
        apply_style(self.app)
        self.out = out
        self.home = home
        self.only = only
        self.written: list[Path] = []
        self.failed: list[str] = []
        self.out.mkdir(parents=True, exist_ok=True)

    # -- waiting and grabbing --

    @staticmethod
    def events() -> None:
        """Run what is waiting, including deleteLater (which processEvents alone leaves
        for an event loop this script never starts)."""
        from PySide6.QtCore import QCoreApplication, QEvent

        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def pump(self, ms: int = 100) -> None:
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            self.events()
            time.sleep(0.005)

    def wait(self, condition: Callable[[], object], what: str, timeout: float = 20) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise TimeoutError(f"waited {timeout} s for {what}")
            self.events()
            time.sleep(0.01)

    def wanted(self, name: str) -> bool:
        return not self.only or any(word in name for word in self.only)

    def save(self, widget: Any, name: str) -> None:
        if not self.wanted(name):
            return
        widget.raise_()
        widget.activateWindow()
        self.pump(250)
        path = self.out / f"{name}.png"
        if not widget.grab().save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        self.written.append(path)
        print(f"  {shown(path)}")

    def step(self, name: str, action: Callable[[], None]) -> None:
        """One picture (or a few): a failure is reported and the rest still run."""
        try:
            action()
        except Exception:
            self.failed.append(name)
            print(f"screenshots: {name} failed:", file=sys.stderr)
            traceback.print_exc()

    def dialogs(self) -> list[Any]:
        from PySide6.QtWidgets import QApplication, QDialog

        return [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QDialog) and w.isVisible()]

    def new_dialog(self, before: list[Any]) -> Any:
        fresh = [d for d in self.dialogs() if d not in before]
        return fresh[-1] if fresh else None

    def modal(self, trigger: Callable[[], None], name: str,
              prepare: Callable[[Any], None] | None = None) -> None:
        """Picture a dialog that runs its own event loop (exec), then close it."""
        from PySide6.QtCore import QTimer

        before = self.dialogs()
        state: dict[str, Any] = {"done": False, "error": None}

        def poll(tries: int = 0) -> None:
            dialog = self.new_dialog(before)
            if dialog is None:
                if tries > 200:
                    state.update(done=True, error=TimeoutError(f"no dialog for {name}"))
                else:
                    QTimer.singleShot(25, lambda: poll(tries + 1))
                return
            try:
                if prepare is not None:
                    prepare(dialog)
                self.save(dialog, name)
            except Exception as exc:
                state["error"] = exc
            finally:
                state["done"] = True
                dialog.reject()

        QTimer.singleShot(0, poll)
        trigger()
        self.wait(lambda: state["done"], name)
        if state["error"] is not None:
            raise state["error"]

    # -- the app --

    def controller(self, folder: Path, clock: Any) -> Any:
        from evidence_kit.core import keys
        from evidence_kit.settings import AppConfig, default_config_path
        from evidence_kit.ui.controller import AppController

        config = AppConfig.load(default_config_path())
        app = AppController(folder, config, kdf=lambda: keys.FLOOR_PARAMS, clock=clock,
                            watch_screen_lock=False, global_shortcut=False, tray=False,
                            exit_app_on_quit=False)
        app.window.resize(*WINDOW)
        app.window.move(40, 30)
        app.start()
        self.pump(200)
        return app

    def close(self, app: Any) -> None:
        app.tasks.wait(10_000)
        if app.session.is_unlocked:
            app.session.request_lock("quit")
            self.wait(lambda: not app.session.is_unlocked, "the lock")
        app.autolock.uninstall()
        app.capture.shutdown()
        for dialog in self.dialogs():
            dialog.reject()
        app.window.allow_close()
        app.window.close()
        app.window.deleteLater()
        self.pump(100)


# ---- made-up evidence --------------------------------------------------------------------


def _image(width: int, height: int, paint: Callable[[Any], None]) -> Any:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    paint(painter)
    painter.end()
    return image


def _font(size: float, bold: bool = False) -> Any:
    from PySide6.QtGui import QFont

    font = QFont("DejaVu Sans")
    font.setPixelSize(int(size))
    font.setBold(bold)
    return font


def _post(p: Any, x: int, y: int, width: int, author: str, when: str, body: str,
          colour: str, footer: str = "") -> int:
    """A generic social-media post card; returns the y below it."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFontMetrics

    body_font = _font(22)
    metrics = QFontMetrics(body_font)
    text_rect = metrics.boundingRect(0, 0, width - 48, 2000,
                                     int(Qt.TextFlag.TextWordWrap), body)
    height = 110 + text_rect.height() + (50 if footer else 16)
    p.setPen(QColor("#d5d9de"))
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(QRectF(x, y, width, height), 12, 12)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(colour))
    p.drawEllipse(QRectF(x + 22, y + 20, 56, 56))
    p.setPen(QColor("#ffffff"))
    p.setFont(_font(24, True))
    initials = "".join(w[0] for w in author.replace("@", "").replace("_", " ").split()[:2])
    p.drawText(QRectF(x + 22, y + 20, 56, 56), int(Qt.AlignmentFlag.AlignCenter),
               initials.upper())
    p.setPen(QColor("#1c1e21"))
    p.setFont(_font(22, True))
    p.drawText(x + 94, y + 44, author)
    p.setPen(QColor("#65676b"))
    p.setFont(_font(18))
    p.drawText(x + 94, y + 70, when)
    p.setPen(QColor("#1c1e21"))
    p.setFont(body_font)
    p.drawText(QRectF(x + 24, y + 96, width - 48, text_rect.height() + 4),
               int(Qt.TextFlag.TextWordWrap), body)
    if footer:
        p.setPen(QColor("#65676b"))
        p.setFont(_font(18))
        p.drawText(x + 24, y + height - 20, footer)
    return y + height


def phone_screenshot(path: Path, group: str, posts: list[tuple[str, str, str, str]],
                     clock_text: str) -> Path:
    """A portrait phone screenshot of a group feed (the abusive post first)."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor

    def paint(p: Any) -> None:
        p.fillRect(QRectF(0, 0, 720, 1280), QColor("#f0f2f5"))
        p.fillRect(QRectF(0, 0, 720, 140), QColor("#ffffff"))
        p.setPen(QColor("#1c1e21"))
        p.setFont(_font(22, True))
        p.drawText(28, 38, clock_text)
        p.drawText(600, 38, "87%")
        p.setFont(_font(30, True))
        p.drawText(28, 110, group)
        y = 160
        for author, when, body, colour in posts:
            y = _post(p, 16, y, 688, author, when, body, colour, "Like · Reply · Share") + 16

    image = _image(720, 1280, paint)
    image.save(str(path), "PNG")
    return path


def chat_screenshot(path: Path, account: str, messages: list[tuple[str, str]],
                    clock_text: str) -> Path:
    """A portrait phone screenshot of a direct-message thread."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFontMetrics

    def paint(p: Any) -> None:
        p.fillRect(QRectF(0, 0, 720, 1280), QColor("#ffffff"))
        p.setPen(QColor("#1c1e21"))
        p.setFont(_font(22, True))
        p.drawText(28, 38, clock_text)
        p.drawText(600, 38, "64%")
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#5b4a8a"))
        p.drawEllipse(QRectF(28, 70, 64, 64))
        p.setPen(QColor("#1c1e21"))
        p.setFont(_font(28, True))
        p.drawText(110, 112, account)
        p.fillRect(QRectF(0, 156, 720, 1), QColor("#dbdbdb"))
        font = _font(26)
        metrics = QFontMetrics(font)
        y = 200
        for when, body in messages:
            p.setPen(QColor("#8e8e8e"))
            p.setFont(_font(18))
            p.drawText(QRectF(0, y, 720, 30), int(Qt.AlignmentFlag.AlignCenter), when)
            y += 44
            box = metrics.boundingRect(0, 0, 460, 1000, int(Qt.TextFlag.TextWordWrap), body)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#efefef"))
            p.drawRoundedRect(QRectF(28, y, box.width() + 40, box.height() + 28), 22, 22)
            p.setPen(QColor("#1c1e21"))
            p.setFont(font)
            p.drawText(QRectF(48, y + 14, box.width() + 4, box.height() + 4),
                       int(Qt.TextFlag.TextWordWrap), body)
            y += box.height() + 60
        p.setPen(QColor("#dbdbdb"))
        p.setBrush(QColor("#ffffff"))
        p.drawRoundedRect(QRectF(24, 1190, 672, 64), 32, 32)
        p.setPen(QColor("#8e8e8e"))
        p.setFont(_font(24))
        p.drawText(60, 1231, "Message…")

    image = _image(720, 1280, paint)
    image.save(str(path), "PNG")
    return path


def long_thread_frames(messages: list[tuple[str, str]], frame_height: int = 640,
                       step: int = 300) -> list[Any]:
    """A long group chat as the scrolling capture sees it: a sticky title bar and a
    message box, and between them the thread moved on ``step`` pixels per frame."""
    from PIL import Image
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFontMetrics

    font = _font(24)
    metrics = QFontMetrics(font)
    heights = [metrics.boundingRect(0, 0, 520, 1000, int(Qt.TextFlag.TextWordWrap),
                                    body).height() + 96 for _who, body in messages]
    tall = sum(heights) + 40

    def paint(p: Any) -> None:
        p.fillRect(QRectF(0, 0, 760, tall), QColor("#ece5dd"))
        y = 20
        for (who, body), height in zip(messages, heights, strict=True):
            box = metrics.boundingRect(0, 0, 520, 1000, int(Qt.TextFlag.TextWordWrap), body)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("#ffffff"))
            p.drawRoundedRect(QRectF(24, y, box.width() + 48, box.height() + 64), 14, 14)
            p.setPen(QColor("#075e54"))
            p.setFont(_font(18, True))
            p.drawText(44, y + 28, who)
            p.setPen(QColor("#1c1e21"))
            p.setFont(font)
            p.drawText(QRectF(44, y + 40, box.width() + 4, box.height() + 4),
                       int(Qt.TextFlag.TextWordWrap), body)
            y += height

    def bar(text: str, colour: str, ink: str, height: int) -> Any:
        def draw(p: Any) -> None:
            p.fillRect(QRectF(0, 0, 760, height), QColor(colour))
            p.setPen(QColor(ink))
            p.setFont(_font(22, True))
            p.drawText(24, height // 2 + 8, text)
        return _pil(_image(760, height, draw))

    thread = _pil(_image(760, tall, paint))
    header = bar("Riverside Parents (year 6) — 214 members", "#075e54", "#ffffff", 64)
    footer = bar("Type a message", "#f0f0f0", "#8e8e8e", 56)
    body = frame_height - 64 - 56
    frames = []
    for top in [*range(0, max(tall - body, 0), step), max(tall - body, 0)]:
        frame = Image.new("RGB", (760, frame_height))
        frame.paste(header, (0, 0))
        frame.paste(thread.crop((0, top, 760, top + body)), (0, 64))
        frame.paste(footer, (0, frame_height - 56))
        frames.append(frame)
    return frames


def _pil(image: Any) -> Any:
    """A QImage as a Pillow image (RGB), through PNG bytes in memory."""
    import io

    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    with Image.open(io.BytesIO(bytes(buffer.data()))) as opened:
        return opened.convert("RGB")


FEED = [  # ordinary posts around the abusive one, as in a real screenshot
    ("Riverside PTA", "5 h", "Reminder: the spring fair is on Saturday 21 March, 12 till 3. "
     "Cake donations to the school office please!", "#2d7a4b"),
    ("Sam's Dad", "6 h", "Has anyone found a blue water bottle with a dinosaur on it? "
     "Left near the Year 2 gate.", "#3b6ea8"),
]


def browser_page(url: str, group: str, author: str, when: str, body: str) -> Any:
    """A made-up web page in a browser window, for the live capture."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor

    def paint(p: Any) -> None:
        p.fillRect(QRectF(0, 0, SCREEN[0], SCREEN[1]), QColor("#f0f2f5"))
        p.fillRect(QRectF(0, 0, SCREEN[0], 86), QColor("#dfe3e8"))
        p.setBrush(QColor("#ffffff"))
        p.setPen(QColor("#c4cad1"))
        p.drawRoundedRect(QRectF(12, 8, 260, 32), 8, 8)
        p.drawRoundedRect(QRectF(110, 48, SCREEN[0] - 220, 30), 15, 15)
        p.setPen(QColor("#1c1e21"))
        p.setFont(_font(14))
        p.drawText(28, 30, group)
        p.drawText(130, 68, url)
        p.setFont(_font(26, True))
        p.drawText(250, 140, group)
        _post(p, 250, 170, 780, author, when, body, "#8a5a44",
              "14 comments · 3 shares")

    return _image(SCREEN[0], SCREEN[1], paint)


def demo_page_html() -> str:
    """A made-up group post as a web page, for the web browser's pictures."""
    post = ("Miss Smith was at the school gate again today like nothing happened. "
            "We should all be there on Monday to show her what we think.")
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Riverside Parents |
Facebook</title><style>body{{margin:0;background:#f0f2f5;font-family:sans-serif}}
header{{background:#fff;padding:14px 24px;font-size:22px;font-weight:bold;color:#1877f2}}
.post{{background:#fff;margin:24px auto;max-width:680px;border-radius:8px;padding:16px 20px;
box-shadow:0 1px 2px #0003}} .who{{font-weight:bold}} .when{{color:#65676b;font-size:13px}}
p{{font-size:16px;line-height:1.4}} .bar{{color:#65676b;border-top:1px solid #ddd;
padding-top:8px}}</style></head><body><header>Riverside Parents</header>
<div class="post"><div class="who">Concerned Parent</div><div class="when">12 min · Public</div>
<p>{post}</p><div class="bar">14 comments · 3 shares</div></div>
<div class="post"><div class="who">Riverside Parents</div><div class="when">Yesterday</div>
<p>Reminder: the summer fair planning meeting is on Thursday at 7 pm.</p></div>
</body></html>"""


def _file_time(path: Path, day: int, hour: int, minute: int) -> None:
    """Give a made-up file the time it "was saved", so the pictures never show today."""
    moment = dt.datetime(2026, 3, day, hour, minute, tzinfo=dt.UTC).timestamp()
    os.utime(path, (moment, moment))


def make_demo_vault(home: Path, folder: Path) -> dict[str, int]:
    """A vault with two incidents of made-up abuse, report tracking and a profile."""
    from evidence_kit.core import keys
    from evidence_kit.core.clock import FixedClock
    from evidence_kit.core.profile import Contact, Profile, save_profile
    from evidence_kit.core.vault import Vault
    from evidence_kit.intake import Details, import_file

    pictures = home / "Pictures" / "From my phone"
    clock = FixedClock(START, step=dt.timedelta(milliseconds=7))

    def at(day: int, hour: int, minute: int) -> None:
        """Move the clock on to a moment in March 2026 (UTC, which is GMT then)."""
        clock.advance(dt.datetime(2026, 3, day, hour, minute, tzinfo=dt.UTC) - clock.now())

    vault, _code = Vault.create(folder, PASSPHRASE, clock=clock, kdf=keys.FLOOR_PARAMS)
    ids: dict[str, int] = {}
    try:
        save_profile(vault, Profile(
            name="Jo Smith", role="Year 6 teacher", initials="JS",
            school="Riverside Primary School",
            contacts=(Contact("Headteacher or line manager", "Mrs A. Khan", "01632 960 123",
                              "head@riverside.example"),
                      Contact("Designated safeguarding lead (DSL)", "Mr D. Okafor",
                              "01632 960 124"),
                      Contact("Union or professional association", "NEU regional office",
                              "0345 000 0000"))))
        group = vault.create_incident("Posts in the parents' Facebook group").id
        vault.set_incident_summary(group, "An account called 'Concerned Parent' posts about "
                                          "me in the school parents' group.")
        chat = vault.create_incident("Messages on Instagram").id
        ids.update(group=group, chat=chat)
        posts = [
            ("fb1", 2, "Has anyone else had problems with Miss Smith in Year 6? My son comes "
             "home upset every week. She should not be working with children.",
             "harassment", "Post saying I should not work with children"),
            ("fb2", 4, "She's a disgrace. Someone should wait for her after school and tell "
             "her what we all think.", "threat",
             "Comment suggesting people wait for me after school"),
            ("fb3", 7, "I know which street she lives on. Maybe we should all pay her a visit "
             "this weekend.", "doxxing", "Comment about where I live"),
        ]
        for key, day, body, category, what in posts:
            path = phone_screenshot(pictures / f"Screenshot_202603{day:02}_1947.png",
                                    "Riverside Parents",
                                    [("Concerned Parent", "2 h", body, "#8a5a44"), *FEED],
                                    "19:47")
            _file_time(path, day, 19, 47)
            at(day, 19, 52)
            item = import_file(vault, path, Details(
                incident=group, url=f"https://www.facebook.com/groups/riversideparents/"
                                    f"posts/48{day:02}1", account="Concerned Parent",
                description=what, category=category))
            ids[key] = item.id
        vault.add_note("My teaching assistant showed me this at the end of the day. I did "
                       "not reply.", item=ids["fb1"])
        thread: list[tuple[str, str]] = []
        for key, day, when, shot, body, what in (
            ("ig1", 11, "Wed 11 Mar, 22:12", (22, 14), "we know where you live miss smith",
             "Direct message: we know where you live"),
            ("ig2", 12, "Thu 12 Mar, 23:05", (23, 7), "everyone at the school gates is "
             "talking about you. watch yourself", "Direct message about the school gates"),
        ):
            thread.append((when, body))
            path = chat_screenshot(pictures / f"IMG_202603{day}_{shot[0]}{shot[1]:02}.png",
                                   "year6_truth", list(thread), f"{shot[0]}:{shot[1]:02}")
            _file_time(path, day, *shot)
            at(day, shot[0], shot[1] + 3)
            item = import_file(vault, path, Details(
                incident=chat, url="https://www.instagram.com/year6_truth/",
                account="@year6_truth", description=what, category="threat"))
            ids[key] = item.id
        at(13, 21, 40)
        ids["thread"] = _scrolling_capture(vault, clock, group)
        mail = home / "Downloads" / "You will regret it.eml"
        mail.write_text(
            "From: A Parent <a.parent.2026@mail.example>\nTo: j.smith@riverside.example\n"
            "Subject: You will regret it\nDate: Fri, 13 Mar 2026 07:02:11 +0000\n\n"
            "You will regret what you did to my son. People are watching you.\n",
            encoding="utf-8")
        _file_time(mail, 13, 7, 29)
        at(13, 7, 30)
        ids["mail"] = import_file(vault, mail, Details(
            incident=chat, description="Email to my school address", category="threat",
            account="a.parent.2026@mail.example")).id
        # What was done about the group posts, with a removal check that has fallen due.
        for (hour, minute), action, details in (
            ((10, 20), "told-slt", {"who": "Mrs Khan, headteacher", "how": "in person"}),
            ((11, 0), "reported-platform", {"platform": "Facebook", "reference": "",
                                            "what": "the posts about me in Riverside "
                                                    "Parents"}),
            ((11, 40), "removal-requested", {"asked_by": "Mrs Khan",
                                             "asked": "the group's admins",
                                             "what": "the thread about me",
                                             "reference": ""}),
        ):
            at(13, hour, minute)
            # as the app's own dialog writes it: local time, to the minute
            happened = clock.now().astimezone().isoformat(timespec="minutes")
            vault.record_action(group, action, happened, details)
        vault.checkpoint()
    finally:
        vault.lock()
    return ids


def _scrolling_capture(vault: Any, clock: Any, incident: int) -> int:
    """A long group chat kept by a scrolling capture: its frames and the joined image."""
    from evidence_kit.capture.screen import ENCODER, MEDIA_TYPE, Grab, MonitorInfo, Region
    from evidence_kit.capture.scrolling import STOPPED_END, ScrollResult, encode_rgb
    from evidence_kit.capture.stitch import stitch
    from evidence_kit.intake import Details, commit_scroll

    frames = long_thread_frames(LONG_THREAD)
    width, height = frames[0].size
    region = Region(260, 40, width, height)
    start = clock.now()
    grabs = tuple(Grab(data=encode_rgb(frame), media_type=MEDIA_TYPE, width=width,
                       height=height, monitor=MonitorInfo(1, 0, 0, 1280, 1024),
                       region=region, device_pixel_ratio="1", tool="mss (demo)",
                       encoder=ENCODER, grabbed_at=start + dt.timedelta(seconds=n),
                       delay_ms=0,
                       in_front={"shown_as": "WhatsApp — 'Riverside Parents (year 6)'",
                                 "application": "WhatsApp",
                                 "title": "Riverside Parents (year 6)"})
                  for n, frame in enumerate(frames))
    joined = stitch(frames)
    result = ScrollResult(grabs, STOPPED_END, joined, encode_rgb(joined.image), None,
                          {"scrolled_by": "mouse wheel", "frames": len(grabs)})
    items = commit_scroll(vault, result, Details(
        incident=incident, url="https://web.whatsapp.com/", account="Concerned Parent",
        description="The whole group chat about me, scrolled and joined",
        category="harassment"))
    return int(items[0].id)


LONG_THREAD = [
    ("Concerned Parent", "Has everyone seen what Miss Smith posted on the class page?"),
    ("Riverside PTA", "Please keep this group for school news and the fair."),
    ("Concerned Parent", "No. People need to know what she is like. She should not be "
     "near our children."),
    ("Sam's Dad", "I think this should go to the school, not here."),
    ("Concerned Parent", "The school won't do anything. I know which street she lives on."),
    ("Year 6 mum", "That's not OK. Please stop."),
    ("Concerned Parent", "Everyone be at the gate on Monday. Let's show her what we think."),
    ("Riverside PTA", "This thread is being reported to the school."),
    ("Concerned Parent", "Go ahead. Screenshot it all you like."),
]


# ---- the pictures --------------------------------------------------------------------------


def first_run(s: Shots, home: Path) -> None:
    from evidence_kit.core.clock import FixedClock
    from evidence_kit.settings import default_vault_dir

    app = s.controller(default_vault_dir(), FixedClock(START, step=dt.timedelta(seconds=1)))
    try:
        s.save(app.window, "01-welcome")
        app.welcome_view.create_button.click()
        s.wait(lambda: app.wizard is not None and app.wizard.isVisible(), "the wizard")
        wizard = app.wizard
        wizard.resize(720, 560)
        form = wizard.passphrase_page.form
        form.first.edit.setText(PASSPHRASE)
        form.second.edit.setText(PASSPHRASE)
        s.save(wizard, "02-first-run-passphrase")
        wizard.next()
        s.wait(lambda: wizard.currentPage() is wizard.recovery_page, "the recovery code",
               timeout=60)
        s.save(wizard, "03-first-run-recovery-code")
        wizard.recovery_page.confirm.setChecked(True)
        wizard.next()
        profile = wizard.profile_page.form
        profile.name.setText("Jo Smith")
        profile.role.setText("Year 6 teacher")
        profile.school.setText("Riverside Primary School")
        s.save(wizard, "04-first-run-your-details")
        wizard.next()
        table = wizard.contacts_page.editor.table
        table.item(0, 1).setText("Mrs A. Khan")
        table.item(0, 2).setText("01632 960 123")
        s.save(wizard, "05-first-run-contacts")
        wizard.accept()
        s.wait(lambda: app.wizard is None, "the end of the first run")
    finally:
        s.close(app)


def demo(s: Shots, home: Path, folder: Path, ids: dict[str, int]) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    from evidence_kit.core.clock import FixedClock

    clock = FixedClock(NOW, step=dt.timedelta(milliseconds=5))
    app = s.controller(folder, clock)
    try:
        app.unlock_view.passphrase.edit.setText(PASSPHRASE)
        s.save(app.window, "06-unlock")
        app.unlock(PASSPHRASE)
        s.wait(lambda: app.workspace is not None, "the unlock", timeout=60)
        ws = app.workspace
        s.wait(lambda: ws.model.rowCount() > 0, "the evidence list")
        incidents = ws.browser.incidents
        for row in range(incidents.count()):
            if incidents.item(row).data(Qt.ItemDataRole.UserRole) == ids["group"]:
                incidents.setCurrentRow(row)
        ws.refresh_due()
        s.pump(600)  # thumbnails load lazily
        s.save(app.window, "07-main-window")

        def tracking() -> None:
            ws.browser.right_tabs.setCurrentIndex(1)
            s.save(app.window, "08-reports-and-actions")

            def fill(dialog: Any) -> None:
                for key, edit in dialog.edits.items():
                    edit.setText({"reference": "CAD 4471 16/03/26",
                                  "officer": "PC 2317 Reid",
                                  "force": "Northshire Police, Riverside station"}.get(key, ""))
                dialog.note.setPlainText("Advised to keep capturing anything new.")

            s.modal(lambda: ws.browser.tracking.record.emit("police", None),
                    "09-record-a-report", fill)
            ws.browser.right_tabs.setCurrentIndex(0)

        s.step("tracking", tracking)

        def viewer() -> None:
            ws.open_item(ids["fb2"])
            s.pump(500)
            s.save(app.window, "10-viewer")
            ws.show_browser()

        s.step("viewer", viewer)

        def text_read() -> None:
            from evidence_kit.capture.ocr import available

            if available() is not None:
                print("  (no Tesseract here: the pictures of text reading are not taken)")
                return
            # The pictures' text is read in the background after the unlock.
            vault = app.session.vault
            s.wait(lambda: not vault.items_without_text() and ws.text_reader.running is None,
                   "the text of the pictures to be read", timeout=240)
            ws.browser.search.setText("which street")
            s.pump(300)
            s.save(app.window, "10a-find-text")
            ws.browser.search.clear()
            ws.open_item(ids["fb2"])
            ws.viewer.tabs.setCurrentWidget(ws.viewer.read_text)
            s.pump(500)
            s.save(app.window, "10b-viewer-text")
            ws.viewer.tabs.setCurrentIndex(0)
            ws.show_browser()
            # What the removal check says once a fresh capture's text is read (the app
            # compares it with the incident's earlier captures; here, the later post).
            from evidence_kit.capture.likeness import Likeness, LookAlike

            earlier = vault.item(ids["fb3"])
            s.modal(lambda: ws.text_reader._tell_recheck(
                earlier, [LookAlike(earlier, Likeness(True, 2, 1.0))], earlier),
                "10c-text-still-up")

        s.step("text read", text_read)

        page_url = "https://www.facebook.com/groups/riversideparents/posts/4891"
        page = home / ".cache" / "page.png"
        browser_page(page_url, "Riverside Parents", "Concerned Parent", "12 min",
                     "Miss Smith was at the school gate again today like nothing happened. "
                     "We should all be there on Monday to show her what we think."
                     ).save(str(page), "PNG")

        def capture() -> None:
            QGuiApplication.clipboard().setText(page_url)  # copied from the address bar
            app.window.capture_screen_action.trigger()
            s.wait(lambda: app.capture.dialog is not None and app.capture.dialog.isVisible(),
                   "the capture details", timeout=30)
            dialog = app.capture.dialog
            dialog.incident.setCurrentIndex(dialog.incident.findData(ids["group"]))
            dialog.account.setText("Concerned Parent")
            dialog.description.setText("Post asking parents to gather at the gate on Monday")
            dialog.category.setCurrentIndex(dialog.category.findData("threat"))
            s.save(dialog, "11-capture-details")
            dialog.save_button.click()
            s.wait(lambda: app.capture.dialog is None, "the details to be saved")
            s.pump(300)

        def region() -> None:
            from PySide6.QtCore import QPoint
            from PySide6.QtTest import QTest
            from PySide6.QtWidgets import QApplication

            from evidence_kit.ui.region_overlay import RegionOverlay

            def overlay() -> Any:
                return next((w for w in QApplication.topLevelWidgets()
                             if isinstance(w, RegionOverlay) and w.isVisible()), None)

            app.window.capture_region_action.trigger()
            s.wait(overlay, "the region overlay", timeout=30)
            shown = overlay()
            s.pump(300)
            QTest.mousePress(shown, Qt.MouseButton.LeftButton,
                             Qt.KeyboardModifier.NoModifier, QPoint(236, 156))
            for n in range(1, 11):
                QTest.mouseMove(shown, QPoint(236 + 80 * n, 156 + 26 * n))
                s.pump(20)
            s.save(shown, "12-capture-region")
            QTest.mouseRelease(shown, Qt.MouseButton.LeftButton,
                               Qt.KeyboardModifier.NoModifier, QPoint(1036, 416))
            QTest.keyClick(shown, Qt.Key.Key_Escape)
            s.wait(lambda: overlay() is None, "the overlay to close")
            s.pump(300)

        def live() -> None:
            with shown_page(page):
                s.step("capture", capture)
                s.step("region", region)

        s.step("live capture", live)

        def web_browser() -> None:
            from PySide6.QtCore import QUrl

            browser = app.web.open()
            if browser is None:
                raise RuntimeError("the web browser did not start")
            # The made-up page is given to the engine directly: no network is used.
            browser.page.setHtml(demo_page_html(), QUrl(page_url))
            s.wait(lambda: browser.capture_button.isEnabled(), "the page to load", timeout=60)
            s.pump(1500)
            s.save(browser, "12-web-browser")
            browser.capture_button.click()
            s.wait(lambda: app.capture.dialog is not None and app.capture.dialog.isVisible(),
                   "the page capture's details", timeout=60)
            dialog = app.capture.dialog
            dialog.incident.setCurrentIndex(dialog.incident.findData(ids["group"]))
            dialog.account.setText("Concerned Parent")
            dialog.description.setText("The same post, captured in the web browser")
            s.save(dialog, "12-web-capture-details")
            dialog.save_button.click()
            s.wait(lambda: app.capture.dialog is None, "the details to be saved")
            browser.close()
            s.pump(300)

        s.step("web browser", web_browser)

        def stop_path() -> None:
            app.window.stop_path_action.trigger()
            s.wait(lambda: app.capture.stop_dialog is not None, "the stop path")
            s.save(app.capture.stop_dialog, "13-stop-path")
            app.capture.stop_dialog.close()
            s.pump(100)

        s.step("stop path", stop_path)

        def guidance() -> None:
            app.window.guidance_action.trigger()
            s.wait(lambda: app.guidance_dialog is not None, "the guidance")
            s.save(app.guidance_dialog, "14-guidance")
            app.guidance_dialog.close()
            s.pump(100)

        s.step("guidance", guidance)
        s.step("settings", lambda: settings(s, app))

        def verify() -> None:
            app.window.verify_action.trigger()
            s.wait(lambda: app.verify_dialog is not None, "the check")
            dialog = app.verify_dialog
            s.wait(lambda: app.last_verify is not None, "the check to finish", timeout=60)
            s.pump(300)
            s.save(dialog, "16-check-the-vault")
            dialog.reject()

        s.step("verify", verify)

        def about() -> None:
            from evidence_kit.ui.about import AboutDialog

            app.window.about_action.trigger()
            s.wait(lambda: app.window.findChild(AboutDialog) is not None, "About")
            dialog = app.window.findChild(AboutDialog)
            s.save(dialog, "17-about")
            dialog.reject()

        s.step("about", about)

        def export_dialog() -> None:
            action = next((a for a in app.window.findChildren(type(app.window.about_action))
                           if "export" in a.text().lower() and a.isEnabled()), None)
            if action is None:
                print("  (no export dialog in the app yet: skipped)")
                return
            s.modal(action.trigger, "18-export")

        s.step("export dialog", export_dialog)
        s.step("pack", lambda: pack_pages(s, app.session.vault, ids, home))
    finally:
        s.close(app)


def settings(s: Shots, app: Any) -> None:
    """Settings, on the tabs the user guide talks about."""
    from PySide6.QtWidgets import QTabWidget

    for tab, name in (("Security", "15-settings-security"), ("Vault", "15-settings-vault")):
        def show(dialog: Any, tab: str = tab) -> None:
            tabs = dialog.findChild(QTabWidget)
            for index in range(tabs.count()):
                if tabs.tabText(index).replace("&", "") == tab:
                    tabs.setCurrentIndex(index)

        s.modal(app.window.settings_action.trigger, name, show)


@contextlib.contextmanager
def shown_page(image: Path) -> Iterator[None]:
    """A made-up web page on the screen, from another process (capture hides this
    process's own windows before it grabs, so a page drawn here would vanish too)."""
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--show-page",
                             str(image)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 20)
        if not ready or proc.stdout.readline().strip() != "shown":
            raise RuntimeError("the made-up web page did not appear")
        yield
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def show_page(image: Path) -> int:
    """--show-page: cover the screen with a picture until stdin closes."""
    from PySide6.QtCore import QSocketNotifier, Qt, QTimer
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QApplication, QLabel

    qt = QApplication([sys.argv[0]])
    label = QLabel()
    label.setWindowFlag(Qt.WindowType.FramelessWindowHint)
    label.setWindowFlag(Qt.WindowType.WindowStaysOnBottomHint)
    label.setPixmap(QPixmap(str(image)))
    label.setGeometry(0, 0, *SCREEN)
    label.show()
    QTimer.singleShot(400, lambda: print("shown", flush=True))
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(lambda *_: qt.quit() if not sys.stdin.readline() else None)
    return qt.exec()


def pack_pages(s: Shots, vault: Any, ids: dict[str, int], home: Path) -> None:
    """The first pages of a police pack, drawn by pdftoppm, as a recipient sees them."""
    from evidence_kit.export.exporter import export_pack
    from evidence_kit.export.pack import PackRequest

    if not any(s.wanted(f"19-pack-{n}")
               for n in ("cover", "chronology", "exhibit", "scrolling")):
        return
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise RuntimeError("pdftoppm is not installed (apt-get install poppler-utils)")
    out = home / "Documents" / "packs"
    result = export_pack(vault, PackRequest("police", incident=ids["group"],
                                            timezone="Europe/London"), out)
    pdf = result.pdf
    pdftotext = shutil.which("pdftotext") or "pdftotext"
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=False).stdout.split("\f")
    wanted = {"cover": 1}
    for number, page in enumerate(text, start=1):
        lines = [line.strip() for line in page.splitlines()]
        if "Contents" in lines:
            continue
        if "chronology" not in wanted and "Chronology" in lines:
            wanted["chronology"] = number
        # The exhibit's own page, not the continuity table that names it too.
        if ("exhibit" not in wanted and "Exhibit JS/2" in lines
                and "SHA-256 of the original" in page):
            wanted["exhibit"] = number
        if "scrolling" not in wanted and "Scrolling screen capture" in page \
                and any(line.startswith("Exhibit JS/") for line in lines):
            wanted["scrolling"] = number
    for name, number in wanted.items():
        target = s.out / f"19-pack-{name}"
        subprocess.run([pdftoppm, "-png", "-r", "72", "-f", str(number), "-l", str(number),
                        "-singlefile", str(pdf), str(target)], check=True)
        s.written.append(target.with_suffix(".png"))
        print(f"  {shown(target.with_suffix('.png'))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNGs go")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "evidence-kit-demo",
                        help="a private folder for the demo vault (emptied first)")
    parser.add_argument("--display", help="use this X display instead of a private Xvfb")
    parser.add_argument("--only", action="append", default=[],
                        help="only pictures whose names contain this (repeatable)")
    parser.add_argument("--show-page", type=Path, help=argparse.SUPPRESS)  # the helper
    args = parser.parse_args(argv)
    if args.show_page is not None:
        return show_page(args.show_page)
    fresh_workdir(args.workdir)
    sys.path.insert(0, str(ROOT))
    with contextlib.ExitStack() as stack:
        display = args.display or stack.enter_context(xvfb())
        home = private_environment(args.workdir, display)
        shots = Shots(args.out.resolve(), home, args.only)
        print(f"screenshots: display {display}, demo vault in {args.workdir}")
        shots.step("first run", lambda: first_run(shots, home))
        folder = home / "Documents" / "Evidence vault"
        ids = make_demo_vault(home, folder)
        shots.step("demo", lambda: demo(shots, home, folder, ids))
        shots.app.quit()
    if not args.only and not shots.failed:  # a picture the app no longer has goes too
        for old in sorted(set(shots.out.glob("*.png")) - set(shots.written)):
            old.unlink()
            print(f"  removed {shown(old)}")
    print(f"screenshots: {len(shots.written)} written"
          + (f"; failed: {', '.join(shots.failed)}" if shots.failed else ""))
    return 1 if shots.failed else 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Qt WebEngine (PySide6 6.12) can crash while the interpreter tears it down, after
    # every picture is written; that must not turn a good run into a failed one.
    os._exit(code)
