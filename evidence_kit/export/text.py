"""Text in any script, laid out and drawn by us rather than by ReportLab's Paragraph.

ReportLab 5.1 shapes text with HarfBuzz (Arabic joining, Indic clusters) but leaves
right-to-left *ordering* to ``rlbidi``, which is not on PyPI. So a paragraph here goes
through the steps the Unicode bidirectional algorithm prescribes, in the right order:

1. characters are matched to fonts word by word (a word stays in one font, or Arabic
   letters would not join); what no font has is *named* (``[pouting face]``,
   ``[U+0BA4]``) so nothing is ever drawn as an empty box;
2. embedding levels come from python-bidi's reference implementation, on the whole
   paragraph in logical order;
3. lines are broken in logical order (at spaces, between CJK characters, and inside
   over-long words such as URLs and hashes);
4. each line's runs are reordered for display (rules L1–L2); a right-to-left run is
   handed to HarfBuzz in logical order, which shapes it and returns glyphs in visual
   order.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bidi import algorithm as bidi_algorithm
from reportlab.lib.colors import Color, black
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr
from reportlab.platypus import Flowable

from evidence_kit.export.fonts import FontSet, LoadedFont, fonts

ZWJ = "\u200d"
_INVISIBLE = {"\u200b", "\u200c", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad",
              "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
              "\u2066", "\u2067", "\u2068", "\u2069"}
_SKIN_TONES = {
    0x1F3FB: "light skin tone", 0x1F3FC: "medium-light skin tone",
    0x1F3FD: "medium skin tone", 0x1F3FE: "medium-dark skin tone",
    0x1F3FF: "dark skin tone",
}
# Where Unicode's own name would puzzle a reader.
_FRIENDLY = {0x1F52A: "kitchen knife", 0x1F5E1: "dagger"}
NAMED_GREY = Color(0.35, 0.35, 0.35)
_MIRROR = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))


def _is_variation(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _is_emoji_start(code: int) -> bool:
    return (0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF
            or 0x2300 <= code <= 0x23FF or 0x2B00 <= code <= 0x2BFF
            or code in (0x3030, 0x303D, 0x3297, 0x3299))


def _is_regional(code: int) -> bool:
    return 0x1F1E6 <= code <= 0x1F1FF


def _is_cjk(code: int) -> bool:
    return (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x3FFFF)


def _is_arabic(code: int) -> bool:
    return (0x0600 <= code <= 0x08FF or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF)


def _needs_shaping(text: str) -> bool:
    # Latin, Greek and Cyrillic need no shaping; Hebrew onwards may (joining, marks).
    return any(ord(c) >= 0x0590 for c in text)


# ---- step 1: clusters, fonts and names ---------------------------------------------


def clusters(text: str) -> Iterator[str]:
    """Emoji sequences and regional-indicator flags as one unit; other characters alone,
    with their combining marks."""
    i, n = 0, len(text)
    while i < n:
        code = ord(text[i])
        j = i + 1
        if _is_regional(code) and j < n and _is_regional(ord(text[j])):
            j += 1
        else:
            while j < n:
                nxt = ord(text[j])
                if (_is_variation(nxt) or nxt in _SKIN_TONES or nxt == 0x20E3
                        or 0xE0020 <= nxt <= 0xE007F
                        or (unicodedata.combining(text[j]) and not _is_emoji_start(code))):
                    j += 1
                elif nxt == 0x200D and j + 1 < n:
                    j += 2
                else:
                    break
        yield text[i:j]
        i = j


def is_emoji(cluster: str) -> bool:
    code = ord(cluster[0])
    return (_is_emoji_start(code) or _is_regional(code)
            or any(ord(c) in _SKIN_TONES or c in (ZWJ, "\ufe0f", "\u20e3") for c in cluster))


def _visible(cluster: str) -> str:
    return "".join(c for c in cluster
                   if c != ZWJ and not _is_variation(ord(c)) and not 0xE0020 <= ord(c) <= 0xE007F)


def emoji_name(cluster: str) -> str:
    """A reader's name for an emoji sequence, e.g. ``[woman + medium skin tone + school]``."""
    shown = _visible(cluster)
    if len(shown) == 2 and all(_is_regional(ord(c)) for c in shown):
        letters = "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in shown)
        return f"[flag {letters}]"
    parts = []
    for char in shown:
        code = ord(char)
        if code in _SKIN_TONES:
            parts.append(_SKIN_TONES[code])
        elif code == 0x20E3:
            parts.append("keycap")
        elif code in _FRIENDLY:
            parts.append(_FRIENDLY[code])
        else:
            parts.append(unicodedata.name(char, f"U+{code:04X}").lower())
    return "[" + " + ".join(parts) + "]"


def code_name(char: str) -> str:
    return f"[U+{ord(char):04X}]"


@dataclass(frozen=True)
class Piece:
    """Text to draw in one font; ``named`` when it stands for something no font has."""

    text: str
    font: str
    named: bool = False


@dataclass
class Coverage:
    """What one export could not draw, so the pack and the caller can say so."""

    named: set[str] = field(default_factory=set)


@functools.cache
def _cmap(font_name: str) -> frozenset[int]:
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


def _covers(font: LoadedFont, text: str) -> bool:
    cmap = _cmap(font.name)
    return all(ord(c) in cmap for c in text if not unicodedata.category(c).startswith("Z")
               or c == " ")


def _font_for_word(word: str, preferred: LoadedFont, fontset: FontSet) -> LoadedFont | None:
    if _covers(preferred, word):
        return preferred
    kinds = ("arabic", "any") if any(_is_arabic(ord(c)) for c in word) else ("any",)
    for kind in kinds:
        for font in fontset.chain(kind):
            if _covers(font, word):
                return font
    return None


def to_pieces(text: str, preferred: LoadedFont, fontset: FontSet,
              coverage: Coverage | None = None) -> list[Piece]:
    """Match a paragraph's characters to fonts, naming what none can draw."""
    text = unicodedata.normalize("NFC", text).replace("\t", "    ")
    pieces: list[Piece] = []
    word: list[str] = []

    def flush() -> None:
        if not word:
            return
        chunk = "".join(word)
        word.clear()
        font = _font_for_word(chunk, preferred, fontset)
        if font is not None:
            pieces.append(Piece(chunk, font.name))
            return
        for cluster in clusters(chunk):  # no font has the whole word: cluster by cluster
            found = _font_for_word(cluster, preferred, fontset)
            if found is not None:
                pieces.append(Piece(cluster, found.name))
            else:
                name = code_name(cluster[0])
                if coverage is not None:
                    coverage.named.add(cluster)
                pieces.append(Piece(name, preferred.name, named=True))

    for cluster in clusters(text):
        if cluster in _INVISIBLE or (unicodedata.category(cluster[0]) == "Cc"):
            continue
        if is_emoji(cluster):
            flush()
            shown = _visible(cluster)
            font = _font_for_word(shown, preferred, fontset) if shown else None
            if font is not None:
                pieces.append(Piece(shown, font.name))
            else:
                if coverage is not None:
                    coverage.named.add(cluster)
                pieces.append(Piece(emoji_name(cluster), preferred.name, named=True))
        elif cluster == " ":
            flush()
            pieces.append(Piece(" ", preferred.name))
        else:
            word.append(cluster)
    flush()
    return _merge(pieces)


def _merge(pieces: list[Piece]) -> list[Piece]:
    out: list[Piece] = []
    for piece in pieces:
        if out and out[-1].font == piece.font and out[-1].named == piece.named:
            out[-1] = Piece(out[-1].text + piece.text, piece.font, piece.named)
        else:
            out.append(piece)
    return out


# ---- step 2: levels ------------------------------------------------------------------


def embedding_levels(text: str, base: int) -> list[int]:
    """Resolved bidi levels of each character (rules P–I), from python-bidi's reference
    implementation; tests check its ordering against the Rust one in the same package."""
    storage = bidi_algorithm.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    bidi_algorithm.get_embedding_levels(text, storage)
    bidi_algorithm.explicit_embed_and_overrides(storage)
    bidi_algorithm.resolve_weak_types(storage)
    bidi_algorithm.resolve_neutral_types(storage, False)
    bidi_algorithm.resolve_implicit_levels(storage, False)
    return [int(ch["level"]) for ch in storage["chars"]]


def base_level(text: str) -> int:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return 1
        if kind == "L":
            return 0
    return 0


# ---- steps 3 and 4: lines and their runs ---------------------------------------------


@dataclass(frozen=True)
class TextStyle:
    size: float = 9.5
    leading: float = 12.5
    role: str = "regular"  # regular, bold or mono
    color: Color = black
    align: str = "start"  # start (left, or right for right-to-left text), left, center, right
    space_after: float = 0.0
    named_color: Color = NAMED_GREY


@dataclass(frozen=True)
class Run:
    text: str  # as drawn: ShapedStr for shaped runs, else plain text in visual order
    font: str
    width: float
    named: bool
    logical: str = ""  # the characters in logical order (for tests and text checks)
    rtl: bool = False  # drawn right to left


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    width: float
    rtl: bool


@functools.lru_cache(maxsize=20000)
def _measure(text: str, font: str, size: float, rtl_level: bool) -> tuple[Any, float]:
    """The drawable form and width of a run of one font and one direction."""
    strong_rtl = any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)
    if rtl_level and not strong_rtl:
        # Neutrals alone at a right-to-left level: HarfBuzz would guess left-to-right.
        text = "".join(_MIRROR.get(c, c) for c in reversed(text))
    if _needs_shaping(text):
        shaped = shapeStr(text, font, size)
        if isinstance(shaped, ShapedStr):
            width = sum(d.x_advance for d in shaped.__shapeData__) * size / 1000
            return shaped, width
    return text, pdfmetrics.stringWidth(text, font, size)


class Paragraph:
    """One paragraph after steps 1–2: display characters with a font and level each."""

    def __init__(self, pieces: Sequence[Piece]) -> None:
        self.text = "".join(p.text for p in pieces)
        self.fonts: list[str] = []
        self.named: list[bool] = []
        for piece in pieces:
            self.fonts += [piece.font] * len(piece.text)
            self.named += [piece.named] * len(piece.text)
        self.base = base_level(self.text)
        self.levels = embedding_levels(self.text, self.base) if self.base or any(
            unicodedata.bidirectional(c) in ("R", "AL", "AN") for c in self.text
        ) else [0] * len(self.text)

    def _segments(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """Stretches of one font, one level and one named-ness."""
        i = start
        while i < end:
            j = i + 1
            while (j < end and self.fonts[j] == self.fonts[i] and self.levels[j] == self.levels[i]
                   and self.named[j] == self.named[i]):
                j += 1
            yield i, j
            i = j

    def width(self, start: int, end: int, size: float) -> float:
        return sum(_measure(self.text[a:b], self.fonts[a], size, self.levels[a] % 2 == 1)[1]
                   for a, b in self._segments(start, end))

    def tokens(self) -> list[tuple[int, int]]:
        """Break opportunities: after spaces, and around each CJK character."""
        out: list[tuple[int, int]] = []
        text, n, i = self.text, len(self.text), 0
        while i < n:
            j = i + 1
            if not _is_cjk(ord(text[i])):
                while j < n and text[j] != " " and not _is_cjk(ord(text[j])):
                    j += 1
            while j < n and text[j] == " ":
                j += 1
            out.append((i, j))
            i = j
        return out

    def lines(self, width: float, size: float) -> list[tuple[int, int]]:
        """Greedy line breaking in logical order; token widths add up along a line."""
        spans: list[tuple[int, int]] = []
        start: int | None = None
        end = 0
        used = 0.0  # width of the tokens on the line so far, with their spaces
        for a, b in self.tokens():
            trimmed = a + len(self.text[a:b].rstrip(" "))
            bare = self.width(a, trimmed, size)
            full = bare + (self.width(trimmed, b, size) if b > trimmed else 0.0)
            if start is not None and used + bare > width:
                spans.append((start, end))
                start = None
            if start is None:
                if bare > width:  # a word longer than a line (a URL, a hash)
                    pieces = list(self._hard_breaks(a, trimmed, width, size))
                    spans.extend(pieces[:-1])
                    start = pieces[-1][0]
                    end = b
                    used = self.width(start, trimmed, size) + (full - bare)
                    continue
                start, used = a, 0.0
            end = b
            used += full
        if start is not None:
            spans.append((start, end))
        return spans or [(0, 0)]

    def _hard_breaks(self, a: int, b: int, width: float, size: float
                     ) -> Iterator[tuple[int, int]]:
        start = a
        while start < b:
            low, high = start + 1, b  # the longest piece that fits, by bisection
            while low < high:
                middle = (low + high + 1) // 2
                if self.width(start, middle, size) <= width:
                    low = middle
                else:
                    high = middle - 1
            end = low
            while end < b and unicodedata.combining(self.text[end]):
                end += 1  # never separate a mark from its letter
            yield start, end
            start = end

    def visual_line(self, start: int, end: int, size: float) -> Line:
        levels = self.levels[start:end]
        # L1: trailing spaces take the paragraph level.
        k = len(levels)
        while k > 0 and self.text[start + k - 1] == " ":
            k -= 1
            levels[k] = self.base
        segments: list[tuple[int, int, int]] = []
        for a, b in self._segments(start, end):
            level = levels[a - start]
            split_at = a
            for pos in range(a, b):  # L1 may have changed levels inside a segment
                if levels[pos - start] != level:
                    segments.append((split_at, pos, level))
                    split_at, level = pos, levels[pos - start]
            segments.append((split_at, b, level))
        order = list(range(len(segments)))
        if segments:
            highest = max(s[2] for s in segments)
            lowest_odd = min((s[2] for s in segments if s[2] % 2), default=highest + 1)
            for level in range(highest, lowest_odd - 1, -1):  # L2
                i = 0
                while i < len(order):
                    if segments[order[i]][2] >= level:
                        j = i
                        while j < len(order) and segments[order[j]][2] >= level:
                            j += 1
                        order[i:j] = reversed(order[i:j])
                        i = j
                    else:
                        i += 1
        runs = []
        for index in order:
            a, b, level = segments[index]
            drawn, run_width = _measure(self.text[a:b], self.fonts[a], size, level % 2 == 1)
            runs.append(Run(drawn, self.fonts[a], run_width, self.named[a], self.text[a:b],
                            level % 2 == 1))
        trimmed = self.text[start:end].rstrip(" ")
        line_width = self.width(start, start + len(trimmed), size)
        return Line(tuple(runs), line_width, self.base == 1)


def layout(text: str, style: TextStyle, width: float, coverage: Coverage | None = None,
           fontset: FontSet | None = None) -> list[Line]:
    """Break ``text`` into display lines no wider than ``width`` points."""
    fontset = fontset or fonts()
    preferred = {"bold": fontset.bold, "mono": fontset.mono}.get(style.role, fontset.regular)
    out: list[Line] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        pieces = to_pieces(raw, preferred, fontset, coverage)
        if not pieces:
            out.append(Line((), 0.0, False))
            continue
        para = Paragraph(pieces)
        for start, end in para.lines(width, style.size):
            out.append(para.visual_line(start, end, style.size))
    return out


# ---- the flowable --------------------------------------------------------------------


class TextBlock(Flowable):  # type: ignore[misc]
    """A block of text in any script; splits between lines across pages."""

    def __init__(self, text: str, style: TextStyle | None = None,
                 coverage: Coverage | None = None,
                 _lines: list[Line] | None = None, _width: float | None = None) -> None:
        super().__init__()
        self.text = text
        self.style = style or TextStyle()
        self.coverage = coverage
        self._lines = _lines
        self._for_width = _width
        self.spaceAfter = self.style.space_after

    def _layout(self, width: float) -> list[Line]:
        if self._lines is None or self._for_width != width:
            self._lines = layout(self.text, self.style, width, self.coverage)
            self._for_width = width
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        lines = self._layout(availWidth)
        self.width = availWidth
        self.height = len(lines) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self._layout(availWidth)
        fit = int(availHeight // self.style.leading)
        if fit <= 0 or fit >= len(lines):
            return [] if fit <= 0 else [self]
        first = TextBlock(self.text, replace(self.style, space_after=0), self.coverage,
                          lines[:fit], availWidth)
        rest = TextBlock(self.text, self.style, self.coverage, lines[fit:], availWidth)
        return [first, rest]

    def draw(self) -> None:
        canvas = self.canv
        style = self.style
        lines = self._layout(self.width)
        y = self.height - style.size  # baseline of the first line
        for line in lines:
            align = style.align
            if align == "start":
                align = "right" if line.rtl else "left"
            x = {"left": 0.0, "right": self.width - line.width,
                 "center": (self.width - line.width) / 2}.get(align, 0.0)
            for run in line.runs:
                canvas.setFillColor(style.named_color if run.named else style.color)
                text_object = canvas.beginText(x, y)
                text_object.setFont(run.font, style.size)
                text_object.textOut(run.text)
                canvas.drawText(text_object)
                x += run.width
            y -= style.leading


def draw_line(canvas: Any, x: float, y: float, text: str, size: float, role: str = "regular",
              align: str = "left", color: Color = black) -> float:
    """One line of text straight onto a canvas (headers, footers, chart labels)."""
    lines = layout(text, TextStyle(size=size, role=role), 10_000)
    line = lines[0] if lines else Line((), 0.0, False)
    if align == "right":
        x -= line.width
    elif align == "center":
        x -= line.width / 2
    for run in line.runs:
        canvas.setFillColor(color)
        text_object = canvas.beginText(x, y)
        text_object.setFont(run.font, size)
        text_object.textOut(run.text)
        canvas.drawText(text_object)
        x += run.width
    return line.width
