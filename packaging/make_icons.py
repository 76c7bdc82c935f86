"""Render every icon file from the one drawn SVG, so none of them can go stale.

    python packaging/make_icons.py           write them
    python packaging/make_icons.py --check   exit 1 if any is missing or out of date

Source: ``resources/org.evidencekit.EvidenceKit.svg``. Written:

- ``evidence_kit/resources/icons/evidence-kit.svg`` and ``evidence-kit-<N>.png``
  (N = 16 … 512): what the app loads at run time (importlib.resources) and what the
  Linux install puts in the hicolor icon theme;
- ``resources/icons/org.evidencekit.EvidenceKit.ico`` and ``.icns``: for the Windows
  and macOS builds (PyInstaller's ``icon=``).

Rendering uses Qt's own SVG renderer (QtSvg, part of PySide6-Essentials), the same one
that draws the icon in the running app.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "org.evidencekit.EvidenceKit"
SOURCE = ROOT / "resources" / f"{APP_ID}.svg"
RUNTIME = ROOT / "evidence_kit" / "resources" / "icons"
PLATFORM = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)
# Largest difference allowed in any channel between a stored PNG and a fresh render:
# other Qt versions anti-alias edges very slightly differently; a changed drawing
# differs by far more.
TOLERANCE = 24


def png_path(size: int) -> Path:
    return RUNTIME / f"evidence-kit-{size}.png"


def _app() -> object:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(sys.argv[:1])


def render(size: int, source: Path = SOURCE) -> bytes:
    """The SVG drawn at size × size, as PNG bytes (straight RGBA)."""
    _app()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {source} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def max_difference(a: bytes, b: bytes) -> int:
    """The largest per-channel difference between two PNGs (256 if the sizes differ)."""
    from PIL import Image, ImageChops

    first = Image.open(io.BytesIO(a)).convert("RGBA")
    second = Image.open(io.BytesIO(b)).convert("RGBA")
    if first.size != second.size:
        return 256
    extrema = ImageChops.difference(first, second).getextrema()
    return max(high for _low, high in extrema)


def _platform_icons(renders: dict[int, bytes]) -> tuple[bytes, bytes]:
    """The Windows .ico and macOS .icns, each holding an exact render per size."""
    from PIL import Image

    def image(size: int) -> Image.Image:
        return Image.open(io.BytesIO(renders[size])).convert("RGBA")

    ico, icns = io.BytesIO(), io.BytesIO()
    largest = image(max(ICO_SIZES))
    largest.save(ico, format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                 append_images=[image(s) for s in ICO_SIZES if s != max(ICO_SIZES)])
    biggest = image(max(ICNS_SIZES))
    biggest.save(icns, format="ICNS",
                 append_images=[image(s) for s in ICNS_SIZES if s != max(ICNS_SIZES)])
    return ico.getvalue(), icns.getvalue()


def stale() -> list[str]:
    """What --check complains about: missing files, or files that differ from a render."""
    problems = []
    svg_copy = RUNTIME / "evidence-kit.svg"
    if not svg_copy.is_file() or svg_copy.read_bytes() != SOURCE.read_bytes():
        problems.append(f"{svg_copy.relative_to(ROOT)} is not a copy of the source SVG")
    for size in SIZES:
        path = png_path(size)
        if not path.is_file():
            problems.append(f"{path.relative_to(ROOT)} is missing")
        elif max_difference(path.read_bytes(), render(size)) > TOLERANCE:
            problems.append(f"{path.relative_to(ROOT)} differs from the SVG drawn at {size}")
    for suffix in ("ico", "icns"):
        path = PLATFORM / f"{APP_ID}.{suffix}"
        if not path.is_file():
            problems.append(f"{path.relative_to(ROOT)} is missing")
        elif _differs(path):
            problems.append(f"{path.relative_to(ROOT)} differs from the SVG")
    return problems


def _differs(path: Path) -> bool:
    """Whether the largest image in an .ico or .icns differs from a render."""
    from PIL import Image

    with Image.open(path) as stored:
        stored.load()
        buffer = io.BytesIO()
        stored.convert("RGBA").save(buffer, format="PNG")
    size = stored.size[0]
    return max_difference(buffer.getvalue(), render(size)) > TOLERANCE


def write() -> list[Path]:
    RUNTIME.mkdir(parents=True, exist_ok=True)
    PLATFORM.mkdir(parents=True, exist_ok=True)
    written = []
    svg_copy = RUNTIME / "evidence-kit.svg"
    svg_copy.write_bytes(SOURCE.read_bytes())
    written.append(svg_copy)
    renders = {size: render(size) for size in sorted({*SIZES, *ICO_SIZES, *ICNS_SIZES})}
    for size in SIZES:
        png_path(size).write_bytes(renders[size])
        written.append(png_path(size))
    ico, icns = _platform_icons(renders)
    for suffix, data in (("ico", ico), ("icns", icns)):
        path = PLATFORM / f"{APP_ID}.{suffix}"
        path.write_bytes(data)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only check that every icon file matches the SVG")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale()
        for problem in problems:
            print(f"make_icons: {problem}", file=sys.stderr)
        if problems:
            print("make_icons: run python packaging/make_icons.py", file=sys.stderr)
        return 1 if problems else 0
    for path in write():
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
