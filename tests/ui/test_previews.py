"""The app shows HEIC pictures and turns photos upright, in thumbnails and the viewer."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import pillow_heif
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from evidence_kit.core import keys, media
from evidence_kit.core.vault import Vault
from evidence_kit.intake import Details, import_paths
from evidence_kit.ui.picture import picture_image
from tests.conftest import PASSPHRASE

from .conftest import unlock

RED, BLUE = (220, 20, 20), (20, 20, 220)


def _halves(width: int, height: int) -> Image.Image:
    """Red on the left, blue on the right, as stored."""
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width // 2, height))
    return image


def sideways_jpeg() -> bytes:
    """Stored 80×40 with EXIF orientation 6 (turn 90° clockwise to show): upright it is
    40×80 with the red half on top."""
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    _halves(80, 40).save(out, format="JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


def heic() -> bytes:
    out = io.BytesIO()
    pillow_heif.from_pillow(_halves(64, 48)).save(out, quality=90)
    return out.getvalue()


def _rgb(image: QImage, x: int, y: int) -> tuple[int, int, int]:
    colour = image.pixelColor(x, y)
    return colour.red(), colour.green(), colour.blue()


def _near(found: tuple[int, int, int], wanted: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(found, wanted, strict=True))


def test_a_heic_is_decoded_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = heic()
    assert QImage.fromData(data).isNull(), "Qt has no HEIC plugin here: Pillow does it"
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    image = picture_image(data)
    assert image is not None and (image.width(), image.height()) == (64, 48)
    assert _near(_rgb(image, 8, 24), RED) and _near(_rgb(image, 56, 24), BLUE)
    assert list(tmp_path.iterdir()) == [], "nothing decrypted in a temporary file"


def test_orientation_6_is_shown_upright_in_the_viewer_and_the_thumbnail() -> None:
    data = sideways_jpeg()
    image = picture_image(data)
    assert image is not None and (image.width(), image.height()) == (40, 80)
    assert _near(_rgb(image, 20, 10), RED) and _near(_rgb(image, 20, 70), BLUE)
    thumb = media.thumbnail_png(data)
    assert thumb is not None
    with Image.open(io.BytesIO(thumb)) as upright:
        assert upright.size == (40, 80)
        assert _near(upright.convert("RGB").getpixel((20, 10)), RED)  # type: ignore[arg-type]


def test_nothing_to_show_is_none() -> None:
    assert picture_image(b"") is None
    assert picture_image(b"not a picture at all") is None


def test_the_app_shows_both_in_its_list_and_viewer(qtbot: Any, make_app: Any,
                                                   tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    (tmp_path / "photo.heic").write_bytes(heic())
    (tmp_path / "sideways.jpg").write_bytes(sideways_jpeg())
    vault, _code = Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    with vault:
        report = import_paths(vault, [tmp_path / "photo.heic", tmp_path / "sideways.jpg"],
                              Details())
    assert len(report.added) == 2 and not report.problems
    app = make_app(folder)
    unlock(qtbot, app)
    ws = app.workspace
    model = ws.model
    sizes = {}
    for row in range(model.rowCount()):
        item = model.items[row]
        pixmap = model.data(model.index(row, model.CARD), Qt.ItemDataRole.DecorationRole)
        sizes[item.original_name] = (pixmap.width(), pixmap.height())
    # Thumbnails keep the upright shape (placeholders are square).
    assert sizes["photo.heic"][0] > sizes["photo.heic"][1]
    assert sizes["sideways.jpg"][0] < sizes["sideways.jpg"][1]
    for added, shape in zip(report.added, ((64, 48), (40, 80)), strict=True):
        ws.open_item(added.id)
        shown = ws.viewer.image._item
        assert shown is not None, f"{added.original_name} is shown"
        assert (shown.pixmap().width(), shown.pixmap().height()) == shape
        ws.show_browser()
