"""Reading the words in a picture (OCR) with Tesseract, in memory.

Tesseract is reached through ``tesserocr``, which calls the library in this process:
the decoded picture goes to it as pixels and the text comes back as a string, so no
decrypted evidence is ever written to a temporary file. (``pytesseract`` was measured
and turned down: it saves every picture to the temporary folder and runs the
``tesseract`` program on it, and was also several times slower here.)

The language data comes from the computer (Debian's ``tesseract-ocr-*`` packages, or
the Tesseract installer on Windows and macOS); nothing is downloaded. Without it,
:func:`engine` raises :class:`TextReadingUnavailable` with the sentence the app shows,
and everything else works as before.
"""

from __future__ import annotations

import io
import os
import sys
import threading
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from evidence_kit.core import media
from evidence_kit.core.errors import EnvironmentFailure
from evidence_kit.core.texts import ReadText
from evidence_kit.core.vault import MAX_TEXT_CHARS, Vault

WANTED_LANGUAGES = ("eng", "cym", "pol", "urd", "ara", "pan")
"""English, Welsh, Polish, Urdu, Arabic and Punjabi (Gurmukhi): the languages of the
schools this serves. English first: Tesseract weighs the first language most."""

UNAVAILABLE = (
    "Text reading is unavailable: Tesseract and its English language data were not found "
    "on this computer. Everything else works; the README says how to add Tesseract.")

# A picture is read at most this large: a 20-megapixel phone photo is scaled down, as its
# words are legible well before that and Tesseract's time grows with the pixels.
MAX_READ_PIXELS = 12_000_000

ENV_TESSDATA = "TESSDATA_PREFIX"


class TextReadingUnavailable(EnvironmentFailure):
    """Tesseract (``tesserocr``) or its language data is not installed here."""


def _candidate_folders() -> list[Path]:
    places: list[Path] = []
    given = os.environ.get(ENV_TESSDATA)
    if given:
        places += [Path(given), Path(given) / "tessdata"]
    if sys.platform == "win32":
        for root in (os.environ.get("PROGRAMFILES", r"C:\Program Files"),
                     os.environ.get("LOCALAPPDATA", "")):
            if root:
                places.append(Path(root) / "Tesseract-OCR" / "tessdata")
                places.append(Path(root) / "Programs" / "Tesseract-OCR" / "tessdata")
    else:
        share = [Path("/usr/share/tesseract-ocr"), Path("/usr/local/share/tesseract-ocr")]
        for base in share:
            places += sorted(base.glob("*/tessdata"), reverse=True)  # 5/ before 4.00/
        places += [Path("/usr/share/tessdata"), Path("/usr/local/share/tessdata"),
                   Path("/opt/homebrew/share/tessdata"), Path("/opt/local/share/tessdata")]
    return places


def find_tessdata() -> Path | None:
    """The first folder holding English language data, or None."""
    for folder in _candidate_folders():
        if (folder / "eng.traineddata").is_file():
            return folder
    return None


@dataclass(frozen=True)
class Reading:
    """What was read from one picture, and with what."""

    text: str
    engine: str  # "tesseract 5.5.4"
    languages: tuple[str, ...]


class Engine:
    """One Tesseract instance, kept loaded (loading six languages takes ~0.7 s) and used by
    one thread at a time."""

    def __init__(self, folder: Path, languages: tuple[str, ...]) -> None:
        import tesserocr

        self.folder = folder
        self.languages = languages
        self.version = "tesseract " + str(tesserocr.tesseract_version()).split()[1]
        self._lock = threading.Lock()
        self._api: Any = None
        self._tesserocr = tesserocr

    def _ready(self) -> Any:
        if self._api is None:
            api = self._tesserocr.PyTessBaseAPI(
                path=str(self.folder) + os.sep, lang="+".join(self.languages))
            self._api = api
        return self._api

    def read_image(self, image: Image.Image) -> Reading:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGBA") if "A" in image.getbands() else image.convert("RGB")
            if image.mode == "RGBA":
                # Transparent pixels are read as what they would show on a page: white.
                backdrop = Image.new("RGB", image.size, "white")
                backdrop.paste(image, mask=image.getchannel("A"))
                image = backdrop
        if image.height > 2 * image.width and image.height > STRIP_ROWS:
            # A long scrolled capture: read in strips at full size (shrinking it whole
            # would make its words too small to read), each cut at a blank row.
            parts = []
            for top, bottom in strips(image):
                parts.append(self._read_pixels(image.crop((0, top, image.width, bottom))))
            return Reading(tidy("\n".join(parts)), self.version, self.languages)
        return Reading(tidy(self._read_pixels(image)), self.version, self.languages)

    def _read_pixels(self, image: Image.Image) -> str:
        pixels = image.width * image.height
        if pixels > MAX_READ_PIXELS:
            scale = (MAX_READ_PIXELS / pixels) ** 0.5
            image = image.resize((max(1, int(image.width * scale)),
                                  max(1, int(image.height * scale))), Image.Resampling.LANCZOS)
        with self._lock:
            api = self._ready()
            api.SetImage(image)
            text = str(api.GetUTF8Text())
            api.Clear()
        return text

    def read(self, data: bytes, name: str = "the picture") -> Reading:
        """The words in an image file's bytes. Refuses what is not a whole picture."""
        media.check_image(data, name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as opened:
                opened.seek(0)
                upright = ImageOps.exif_transpose(opened)
                keep_alpha = "A" in upright.getbands() or upright.mode == "P"
                image = upright.convert("RGBA" if keep_alpha else "RGB")
        return self.read_image(image)

    def close(self) -> None:
        with self._lock:
            if self._api is not None:
                self._api.End()
                self._api = None


STRIP_ROWS = 3000
"""How tall a strip of a long capture is read at a time (about three screens)."""
CUT_SEARCH = 200


def strips(image: Image.Image) -> list[tuple[int, int]]:
    """Row ranges covering ``image``, each cut where a row is most nearly one colour
    (between lines of text) within CUT_SEARCH rows of every STRIP_ROWS."""
    grey = image.convert("L")
    out = []
    top = 0
    while image.height - top > STRIP_ROWS:
        target = top + STRIP_ROWS
        lo, hi = max(top + 1, target - CUT_SEARCH), min(image.height - 1, target + CUT_SEARCH)
        band = grey.crop((0, lo, grey.width, hi))
        width = band.width
        data = band.tobytes()
        best, best_spread = target, 256
        for row in range(band.height):
            line = data[row * width:(row + 1) * width]
            spread = max(line) - min(line)
            if spread < best_spread:
                best, best_spread = lo + row, spread
                if spread == 0:
                    break
        out.append((top, best))
        top = best
    out.append((top, image.height))
    return out


def tidy(text: str) -> str:
    """Tesseract's text without its trailing form feed and runs of blank lines."""
    lines = [line.rstrip() for line in text.replace("\f", "\n").splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


_engine: Engine | None = None
_engine_lock = threading.Lock()


def engine(languages: Iterable[str] = WANTED_LANGUAGES) -> Engine:
    """The shared engine, with those of ``languages`` installed here.

    Raises :class:`TextReadingUnavailable` (with :data:`UNAVAILABLE`) when Tesseract or
    its English data is missing.
    """
    global _engine
    with _engine_lock:
        if _engine is not None:
            return _engine
        try:
            import tesserocr  # noqa: F401
        except ImportError:
            raise TextReadingUnavailable(UNAVAILABLE) from None
        folder = find_tessdata()
        if folder is None:
            raise TextReadingUnavailable(UNAVAILABLE)
        have = tuple(lang for lang in languages if (folder / f"{lang}.traineddata").is_file())
        _engine = Engine(folder, have)
        return _engine


def available() -> str | None:
    """None when text can be read here, else the sentence saying it cannot."""
    try:
        engine()
    except TextReadingUnavailable as exc:
        return str(exc)
    return None


def reset() -> None:
    """Forget the shared engine (tests that change what is installed)."""
    global _engine
    with _engine_lock:
        if _engine is not None:
            _engine.close()
        _engine = None


def read_item(vault: Vault, item_id: int, reader: Engine | None = None) -> ReadText:
    """Read an item's picture and record the text as a derivative event of it."""
    reader = reader or engine()
    item = vault.item(item_id)
    data = vault.read_blob(item.sha256)
    reading = reader.read(data, item.original_name or f"item {item_id}")
    text = reading.text[:MAX_TEXT_CHARS]
    return vault.record_text(item_id, item.sha256, text, reading.engine, reading.languages)
