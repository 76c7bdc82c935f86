"""A stored picture as something to show, upright, decoded in memory only.

Qt reads the common formats itself and turns JPEGs by their EXIF orientation when asked
(``setAutoTransform``); it has no HEIC or AVIF plugin here, so those (and anything else
Qt cannot read) are decoded with Pillow, with pillow-heif's opener registered, from the
bytes in memory: a decrypted picture is never written to a temporary file. Pictures the
packs would not draw (:func:`evidence_kit.core.media.preview_decision`'s limits) are not
decoded at all, and a very large one is shown reduced.
"""

from __future__ import annotations

import logging
import warnings

from PIL import ImageOps
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QImageReader

from evidence_kit.core import media

log = logging.getLogger(__name__)

MAX_SIDE = 8192
"""Longest side shown in the viewer: more than any screen, far less than a phone photo's
200 megapixels held as pixels."""




def _with_qt(data: bytes) -> QImage | None:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # EXIF orientation, as the packs apply it
    if not reader.canRead():
        return None
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > MAX_SIDE:
        reader.setScaledSize(size.scaled(MAX_SIDE, MAX_SIDE,
                                         Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


def _with_pillow(data: bytes) -> QImage | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with media.open_image(data) as opened:
            width, height = opened.size
            if width * height > media.MAX_IMAGE_PIXELS:
                return None
            opened.draft("RGB", (MAX_SIDE, MAX_SIDE))
            upright = ImageOps.exif_transpose(opened)
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            rgba = upright.convert("RGBA")
    raw = rgba.tobytes()
    image = QImage(raw, rgba.width, rgba.height, rgba.width * 4,
                   QImage.Format.Format_RGBA8888)
    return image.copy()  # the QImage above borrows ``raw``; the copy owns its pixels


def picture_image(data: bytes) -> QImage | None:
    """The picture upright and ready to show, or None when it cannot be shown."""
    if not data:
        return None
    image = _with_qt(data)
    if image is not None:
        return image
    try:
        return _with_pillow(data)
    except Exception as exc:  # decoders raise OSError, ValueError, RuntimeError…
        log.debug("picture cannot be shown: %s", exc)
        return None
