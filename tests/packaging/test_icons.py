"""Every icon file is the drawn SVG, rendered by Qt (packaging/make_icons.py)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from .conftest import APP_ID, RESOURCES, ROOT, load_script

pytestmark = pytest.mark.gui


def test_the_svg_is_a_square_drawing_with_a_title() -> None:
    root = ET.parse(RESOURCES / f"{APP_ID}.svg").getroot()  # noqa: S314 - our own file
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"
    title = root.find("{http://www.w3.org/2000/svg}title")
    assert title is not None and title.text == "Evidence Kit"


def test_icon_files_match_a_fresh_render_of_the_svg() -> None:
    icons = load_script("make_icons")
    assert icons.stale() == [], "run python packaging/make_icons.py"


def test_each_png_has_its_size_and_a_transparent_corner() -> None:
    icons = load_script("make_icons")
    for size in icons.SIZES:
        with Image.open(icons.png_path(size)) as image:
            assert image.size == (size, size)
            assert image.mode == "RGBA"
            corner, middle = image.getpixel((0, 0)), image.getpixel((size // 2, size // 2))
            assert isinstance(corner, tuple) and isinstance(middle, tuple)
            assert corner[3] == 0, "the rounded tile leaves the corner clear"
            assert middle[3] == 255


def test_a_changed_drawing_is_noticed() -> None:
    """The check compares pixels, so a stale PNG cannot pass for a fresh one."""
    icons = load_script("make_icons")
    fresh = icons.render(64)
    other = Image.open(io.BytesIO(fresh)).convert("RGBA")
    other.paste((255, 0, 0, 255), (20, 20, 44, 44))
    buffer = io.BytesIO()
    other.save(buffer, format="PNG")
    assert icons.max_difference(fresh, fresh) == 0
    assert icons.max_difference(fresh, buffer.getvalue()) > icons.TOLERANCE


def test_windows_and_macos_icons_hold_the_sizes_they_need() -> None:
    with Image.open(ROOT / "resources" / "icons" / f"{APP_ID}.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
    with Image.open(ROOT / "resources" / "icons" / f"{APP_ID}.icns") as icns:
        assert icns.size == (1024, 1024)


def test_the_about_box_icon_loads_through_importlib_resources(qapp: object) -> None:
    from evidence_kit.ui.about import ICON_SIZES, app_icon, icon_pixmap

    icon = app_icon()
    assert not icon.isNull()
    assert len(icon.availableSizes()) == len(ICON_SIZES)
    assert icon_pixmap(64).width() == 64
