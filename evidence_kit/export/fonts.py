"""Finding fonts on this computer that can draw a pack's text, in any script.

A pack must show notes in Polish, Arabic, Urdu, Russian, Chinese or emoji exactly as
typed, and must never draw a character as an empty box. ReportLab draws only the
glyphs a TrueType font has, so every character is checked against the fonts found
here before it is drawn: a primary family (regular, bold, monospaced) and ordered
fallbacks. Fallbacks are screened with HarfBuzz (which characters, and TrueType outlines
or not) and only the ones some text needs are registered with ReportLab, once per
process. Fonts with PostScript (CFF) outlines, such as the Noto CJK collection, cannot
be embedded by ReportLab and are skipped; colour emoji fonts are only drawn from, by
:mod:`evidence_kit.export.emoji`. :mod:`evidence_kit.export.text` names what no font can
draw.
"""

from __future__ import annotations

import functools
import gc
import os
import struct
import sys
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError

from evidence_kit.export.errors import FontsMissing
from evidence_kit.export.fastface import fast_ttfont

FONT_DIRS_ENV = "EVIDENCE_KIT_FONT_DIRS"
"""Extra folders to search first (os.pathsep-separated); tests and portable installs."""

ONLY_ENV_DIRS_ENV = "EVIDENCE_KIT_FONT_DIRS_ONLY"
"""When set to 1, search only the folders in EVIDENCE_KIT_FONT_DIRS (tests)."""

# File names, best first. Windows names are lower-case as installed; the search is
# case-insensitive, so one spelling serves every platform.
REGULAR = ("DejaVuSans.ttf", "NotoSans-Regular.ttf", "LiberationSans-Regular.ttf",
           "segoeui.ttf", "arial.ttf", "Arial Unicode.ttf", "Arial.ttf")
BOLD = ("DejaVuSans-Bold.ttf", "NotoSans-Bold.ttf", "LiberationSans-Bold.ttf",
        "segoeuib.ttf", "arialbd.ttf", "Arial Bold.ttf")
MONO = ("DejaVuSansMono.ttf", "NotoSansMono-Regular.ttf", "LiberationMono-Regular.ttf",
        "consola.ttf", "cour.ttf", "Courier New.ttf")
# Arabic-script text looks best, and Urdu letters such as ے are only complete, in a
# dedicated Arabic font; DejaVu Sans has Arabic but not every Urdu letter.
ARABIC = ("NotoSansArabic-Regular.ttf", "NotoNaskhArabic-Regular.ttf", "DejaVuSans.ttf",
          "segoeui.ttf", "arial.ttf", "tahoma.ttf", "Arial Unicode.ttf")
FALLBACKS = (
    "NotoSans-Regular.ttf", "DejaVuSans.ttf", "NotoSansArabic-Regular.ttf",
    "NotoSansHebrew-Regular.ttf", "NotoSansDevanagari-Regular.ttf",
    "NotoSansBengali-Regular.ttf", "NotoSansGurmukhi-Regular.ttf",
    "NotoSansGujarati-Regular.ttf", "NotoSansTamil-Regular.ttf",
    "NotoSansThai-Regular.ttf", "NotoSansEthiopic-Regular.ttf",
    "NotoSansArmenian-Regular.ttf", "NotoSansGeorgian-Regular.ttf",
    # CJK with TrueType outlines (Noto CJK is CFF and cannot be embedded).
    "DroidSansFallbackFull.ttf", "DroidSansFallback.ttf", "wqy-zenhei.ttc",
    "wqy-microhei.ttc", "msyh.ttc", "msgothic.ttc", "malgun.ttf", "simsun.ttc",
    "Arial Unicode.ttf",
    # Symbols drawn as outlines.
    "Symbola_hint.ttf", "Symbola.ttf", "seguisym.ttf", "DejaVuSansMono.ttf", "segoeui.ttf",
    "arial.ttf",
)
# Emoji without a colour font: one outline glyph each (Noto Emoji also has glyphs for
# many ZWJ sequences and flags; Symbola has single emoji only).
EMOJI_MONO = ("NotoEmoji-Regular.ttf", "NotoEmoji.ttf", "Symbola_hint.ttf", "Symbola.ttf",
              "seguisym.ttf", "DejaVuSans.ttf")
# Colour emoji fonts cannot be embedded by ReportLab (bitmaps, COLR): Pillow draws each
# emoji from them and the image goes into the page.
EMOJI_COLOUR = ("NotoColorEmoji.ttf", "NotoColorEmoji-Regular.ttf", "Apple Color Emoji.ttc",
                "AppleColorEmoji.ttc", "seguiemj.ttf")


_DIRS_ENVIRONMENT = (FONT_DIRS_ENV, ONLY_ENV_DIRS_ENV, "HOME", "USERPROFILE", "WINDIR",
                     "LOCALAPPDATA", "XDG_DATA_DIRS")
"""What :func:`font_dirs` reads from the environment, and so what its cache is keyed by."""


def font_dirs() -> list[Path]:
    """Where this platform keeps fonts, plus any folders named in the environment."""
    # Text layout asks for the fonts dozens of times per exhibit; building these paths
    # each time was 9 % of an export. Keyed by the environment, so a test (or a user)
    # that names other folders still gets them at once.
    return list(_font_dirs_for(sys.platform,
                               tuple(os.environ.get(name) for name in _DIRS_ENVIRONMENT)))


@functools.cache
def _font_dirs_for(platform: str, _environment: tuple[str | None, ...]) -> tuple[Path, ...]:
    extra = [Path(p) for p in os.environ.get(FONT_DIRS_ENV, "").split(os.pathsep) if p]
    if os.environ.get(ONLY_ENV_DIRS_ENV) == "1":
        return tuple(extra)
    home = Path.home()
    if platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home))
        system = [windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    elif platform == "darwin":
        system = [Path("/System/Library/Fonts"), Path("/System/Library/Fonts/Supplemental"),
                  Path("/Library/Fonts"), home / "Library" / "Fonts"]
    else:
        data_dirs = os.environ.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share")
        system = [Path(d) / "fonts" for d in data_dirs.split(":") if d]
        system += [home / ".local" / "share" / "fonts", home / ".fonts"]
    return tuple(extra + system)


def _index(dirs: Iterable[Path]) -> dict[str, Path]:
    """Lower-case file name to path, the first folder winning."""
    found: dict[str, Path] = {}
    for folder in dirs:
        if not folder.is_dir():
            continue
        for root, _subdirs, files in os.walk(folder):
            for name in files:
                if name.lower().endswith((".ttf", ".ttc", ".otf")):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


@dataclass(frozen=True)
class LoadedFont:
    name: str  # the name registered with ReportLab
    path: Path
    codes: frozenset[int] = field(default=frozenset(), compare=False, repr=False)

    def covers(self, char: str) -> bool:
        return ord(char) in self.codes


@dataclass(frozen=True)
class _Screened:
    """A font file as HarfBuzz reads it: whether ReportLab could embed it (TrueType
    outlines) and which characters it has, asked of its character map one at a time."""

    embeddable: bool
    font: hb.Font | None = field(default=None, compare=False)

    def covers(self, codes: Iterable[int]) -> bool:
        if self.font is None:
            return False
        nominal = self.font.get_nominal_glyph
        return all(nominal(code) is not None for code in codes)


@functools.lru_cache(maxsize=1024)
def _screen(path: Path) -> _Screened:
    """HarfBuzz reads a font's tables in C in well under a millisecond, where ReportLab
    parses the whole file in Python (tens of milliseconds): so fonts are screened here
    and only the ones some text needs are ever handed to ReportLab. Asking the character
    map only for the characters wanted, not for all it has, keeps a search through every
    installed font (for a word none can draw) to a few milliseconds.
    """
    try:
        face = hb.Face(hb.Blob.from_file_path(os.fspath(path)), 0)
        tags = set(face.table_tags)
        return _Screened("glyf" in tags and "loca" in tags, hb.Font(face))
    except Exception:  # a damaged or unreadable file is simply not a candidate
        return _Screened(False)


_register_lock = threading.Lock()
_registered: dict[Path, LoadedFont | None] = {}
_names: dict[str, Path] = {}


def _load(path: Path) -> LoadedFont | None:
    """Register one font file with ReportLab, once per process; None if it cannot be
    embedded.

    Never asks ``pdfmetrics.getFont`` about a name it does not hold: that lookup makes
    ReportLab parse every AFM file on the system (``bruteForceSearchForAFM``), which
    once made a pack with an Urdu note take 28 s instead of 1.5 s.
    """
    with _register_lock:
        if path in _registered:
            return _registered[path]
        loaded: LoadedFont | None = None
        if _screen(path).embeddable:
            name = "EK-" + path.stem.replace(" ", "")
            if name in _names and _names[name] != path:  # same file name, other folder
                name += f"-{len(_names)}"
            try:
                font = fast_ttfont(name, path)
            except (TTFError, OSError, ValueError, AssertionError, IndexError, KeyError,
                    struct.error):
                font = None  # a damaged file, or a collection we cannot read
            if font is not None:
                pdfmetrics.registerFont(font)
                _names[name] = path
                loaded = LoadedFont(name, path, frozenset(font.face.charToGlyph))
                # A font's tables are tens of thousands of lists kept for the whole
                # process; left to the cyclic garbage collector they are walked at every
                # full collection (a third of the time of a small multi-script export).
                # Freezing also keeps what is alive now, such as the open vault; locking
                # it unfreezes and collects (core/vault.py), so nothing outlives a lock.
                gc.freeze()
        _registered[path] = loaded
        return loaded


def font_named(name: str) -> LoadedFont | None:
    """The font registered under ``name`` by :func:`_load`, if any."""
    path = _names.get(name)
    return None if path is None else _registered.get(path)


class FontSet:
    """The fonts one export uses: a primary family and fallbacks loaded on first need."""

    def __init__(self, files: dict[str, Path]) -> None:
        self._files = files
        regular = self._first(REGULAR)
        if regular is None:
            raise FontsMissing(
                "No font that can draw the pack's text was found on this computer. Install "
                "DejaVu Sans or Noto Sans (Debian and Ubuntu: apt install fonts-dejavu-core), "
                "or name a folder of .ttf fonts in " + FONT_DIRS_ENV + ", then export again."
            )
        self.regular = regular
        self.bold = self._first(BOLD) or regular
        self.mono = self._first(MONO) or regular
        self._found: dict[tuple[str, str], LoadedFont | None] = {}
        self._emoji: list[LoadedFont] = []
        self._lock = threading.Lock()

    def _first(self, names: Sequence[str]) -> LoadedFont | None:
        for path in self._paths(names):
            loaded = _load(path)
            if loaded is not None:
                return loaded
        return None

    def _paths(self, names: Sequence[str]) -> list[Path]:
        found = [self._files[n.lower()] for n in names if n.lower() in self._files]
        return list(dict.fromkeys(found))

    def _candidates(self, kind: str) -> list[Path]:
        if kind == "arabic":
            return self._paths(ARABIC)
        if kind == "emoji":
            return self._paths(EMOJI_MONO)
        # Any other Noto Sans script font installed, for scripts not listed.
        extra = [path for lower, path in sorted(self._files.items())
                 if lower.startswith("notosans") and lower.endswith("-regular.ttf")]
        return list(dict.fromkeys([*self._paths(FALLBACKS), *extra]))

    def find(self, text: str, kind: str = "any") -> LoadedFont | None:
        """The first fallback font of ``kind`` ("arabic", "emoji" or "any") that draws
        every character of ``text``; screened cheaply, registered only when chosen."""
        needed = {ord(c) for c in text}
        key = (kind, text)
        with self._lock:
            if key in self._found:
                return self._found[key]
            result = None
            for path in self._candidates(kind):
                screened = _screen(path)
                if screened.embeddable and screened.covers(needed):
                    loaded = _load(path)
                    if loaded is not None and needed <= loaded.codes:
                        result = loaded
                        break
            if len(self._found) < 50_000:
                self._found[key] = result
            return result

    def emoji_fonts(self) -> list[LoadedFont]:
        """Monochrome emoji fonts, for sequences one of them has as a single glyph."""
        with self._lock:
            if ("emoji-fonts", "") not in self._found:
                self._emoji = [f for f in map(_load, self._candidates("emoji")) if f]
                self._found[("emoji-fonts", "")] = None
            return self._emoji

    def colour_emoji(self) -> Path | None:
        """A colour emoji font for Pillow to draw from (never embedded in the PDF)."""
        for path in self._paths(EMOJI_COLOUR):
            return path
        return None


@functools.lru_cache(maxsize=4)
def _fontset_for(dirs: tuple[Path, ...]) -> FontSet:
    return FontSet(_index(dirs))


def fonts() -> FontSet:
    """The fonts for this computer, found once per process (and per set of folders)."""
    # Called for every run of text drawn; the folders are worked out again only when
    # the environment they come from changes (tests point it at other folders).
    env = tuple(os.environ.get(name) for name in (FONT_DIRS_ENV, ONLY_ENV_DIRS_ENV,
                                                  "XDG_DATA_DIRS", "HOME", "LOCALAPPDATA"))
    return _fonts_for_env(env)


@functools.lru_cache(maxsize=8)
def _fonts_for_env(env: tuple[str | None, ...]) -> FontSet:
    _fix_reportlab_tounicode()
    return _fontset_for(tuple(font_dirs()))


def _fix_reportlab_tounicode() -> None:
    """Make text outside the Basic Multilingual Plane (emoji, rare CJK) extractable.

    ReportLab 5.1 writes a ToUnicode map entry such as ``<01> <1F621>``, which is not
    valid (PDF wants UTF-16: ``<D83DDE21>``), so readers and screen readers get the
    wrong character. Only the map's text form is changed; drawing is untouched.
    """
    if getattr(ttfonts.makeToUnicodeCMap, "_evidence_kit", False):
        return
    original = ttfonts.makeToUnicodeCMap

    def utf16(code: int) -> str:
        return char_to_utf16_hex(code)

    def fixed(fontname: str, subset: Sequence[int]) -> str:
        text = str(original(fontname, subset))
        for code in subset:
            if code > 0xFFFF:
                text = text.replace(f"<{code:04X}>", f"<{utf16(code)}>")
        return text

    fixed._evidence_kit = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = fixed


def char_to_utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be").hex().upper()
