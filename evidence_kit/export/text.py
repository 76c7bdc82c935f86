"""Text in any script, laid out and drawn by us rather than by ReportLab's Paragraph.

ReportLab 5.1 shapes text with HarfBuzz (Arabic joining, Indic clusters) but leaves
right-to-left *ordering* to ``rlbidi``, which is not on PyPI. So a paragraph here goes
through the steps the Unicode bidirectional algorithm prescribes, in the right order:

1. text is cut into grapheme clusters (UAX #29) and words; a word goes to one font, or,
   when no font has all of it, each run of one script does (Arabic letters of one word
   always share a font, or they would not join); punctuation and digits take a
   neighbour's font. Emoji sequences are pictures (:mod:`.emoji`) or one glyph; what no
   font has is *named* (``[pouting face]``, ``[U+0BA4]``), never drawn as a box;
2. embedding levels come from python-bidi's reference implementation, on the whole
   paragraph in logical order, with paired brackets resolved by us (:mod:`.brackets`);
3. lines are broken in logical order (at spaces, between CJK characters, and inside
   over-long words such as URLs and hashes), never inside a cluster;
4. each line's runs are reordered for display (rules L1–L2); a right-to-left run is
   handed to HarfBuzz in logical order, which shapes it and returns glyphs in visual
   order. Latin, Greek and Cyrillic are shaped without ligatures, so copied or searched
   text says "staff", not "sta\ufb00".

Over 400 lines because the four steps share the per-character arrays of ``Paragraph``;
split apart they would pass those arrays back and forth.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from operator import not_
from pathlib import Path
from typing import Any

import regex
from bidi import algorithm as bidi_algorithm
from reportlab.lib.colors import Color, black
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeFragWord
from reportlab.platypus import Flowable

from evidence_kit.export import emoji as emoji_pictures
from evidence_kit.export.brackets import (
    CANONICAL,
    CLOSING,
    OPENING,
    pairs_among,
    resolve_paired_brackets,
)
from evidence_kit.export.fonts import FontSet, LoadedFont, font_named, fonts
from evidence_kit.export.pdfimage import PdfImage, with_alpha
from evidence_kit.export.scripts import (
    ZWJ,
    clusters,
    emoji_name,
    is_cjk,
    is_emoji,
    script_key,
    script_name,
    visible,
)
from evidence_kit.export.xobjects import draw_image

__all__ = ["Coverage", "Line", "Piece", "Run", "TextBlock", "TextStyle", "clusters",
           "draw_line", "draw_lines", "emoji_name", "layout", "to_pieces"]

_INVISIBLE = {"\u200b", "\u200c", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad",
              "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
              "\u2066", "\u2067", "\u2068", "\u2069", ZWJ}
NAMED_GREY = Color(0.35, 0.35, 0.35)
_MIRROR = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))
EMOJI_ADVANCE = 1.2  # an emoji picture's width, in ems (Noto Color Emoji's own advance)
# Ligatures join letters into glyphs that copy and search as U+FB00–FB06; Latin,
# Greek and Cyrillic never need them. Discretionary ones are off for every script.
_PLAIN_FEATURES = {"kern": True, "liga": False, "clig": False, "dlig": False}
_COMPLEX_FEATURES = {"kern": True, "liga": True, "clig": True, "dlig": False}
_PLAIN_SCRIPTS = {"", "LATIN", "GREEK", "CYRILLIC"}
_X9_REMOVED = {"BN", "RLE", "LRE", "RLO", "LRO", "PDF"}
_BIDI_NEEDED = frozenset({"R", "AL", "AN"})
_SIMPLE_TOKEN = re.compile(r".[^ ]* *", re.DOTALL)
_NOT_SPACE = re.compile(r"[^ ]", re.DOTALL)
_TOKEN = re.compile(rb"(?:C[is]*|.[is]*(?:X[is]*)*)[Ss]*", re.DOTALL)
"""Tokens of :meth:`Paragraph.tokens` over its letters (a CJK cluster alone)."""
BREAK_AFTER = frozenset("/?&=#;,")
"""Where a word too wide for a line (an address, a query) is broken first."""


def _is_arabic(code: int) -> bool:
    return (0x0600 <= code <= 0x08FF or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF)


def _needs_shaping(text: str) -> bool:
    # Latin, Greek and Cyrillic letters need no shaping; Hebrew onwards may (joining, marks).
    return any(ord(c) >= 0x0590 for c in text)


def _is_complex(text: str) -> bool:
    return any(ord(c) >= 0x0590 and script_key(c) not in _PLAIN_SCRIPTS for c in text)


# ---- step 1: clusters, fonts and names ---------------------------------------------


def code_name(char: str) -> str:
    return f"[U+{ord(char):04X}]"


@dataclass(frozen=True)
class Piece:
    """Text to draw in one font; ``named`` when it stands for something no font has;
    ``emoji`` when it is one emoji sequence drawn as a picture (``font`` then carries
    the invisible copy that makes it copyable and searchable)."""

    text: str
    font: str
    named: bool = False
    emoji: bool = False


@dataclass
class Coverage:
    """What one export could not draw, so the pack and the caller can say so; and the
    layouts made for it, since ReportLab asks for the same block's lines several times
    (tables measure, split and draw their cells) and a line of text is costly to shape."""

    named: set[str] = field(default_factory=set)
    layouts: OrderedDict[tuple[Any, ...], tuple[list[Line], set[str]]] = field(
        default_factory=OrderedDict, repr=False)

    def cached(self, key: tuple[Any, ...], make: Callable[[Coverage], list[Line]]
               ) -> list[Line]:
        found = self.layouts.get(key)
        if found is None:
            found_here = Coverage()
            found = (make(found_here), found_here.named)
            self.layouts[key] = found
            if len(self.layouts) > LAYOUT_CACHE_SIZE:
                self.layouts.popitem(last=False)
        else:
            self.layouts.move_to_end(key)
        self.named |= found[1]
        return found[0]


LAYOUT_CACHE_SIZE = 4096
"""Layouts kept per build: enough for the blocks of the pages being made, not the pack."""


def _covers(font: LoadedFont, text: str) -> bool:
    return all(ord(c) in font.codes for c in text
               if not unicodedata.category(c).startswith("Z") or c == " ")


_PRINTABLE_ASCII = frozenset(range(0x20, 0x7F))


@functools.lru_cache(maxsize=64)
def _has_ascii(font: LoadedFont) -> bool:
    return _PRINTABLE_ASCII.issubset(font.codes)


def _font_for_run(text: str, preferred: LoadedFont, fontset: FontSet) -> LoadedFont | None:
    if any(_is_arabic(ord(c)) for c in text):
        # Arabic-script text looks best, and Urdu is only complete, in an Arabic font.
        found = fontset.find(text, "arabic")
        if found is not None:
            return found
    if _covers(preferred, text):
        return preferred
    return fontset.find(text, "any")


def _script_runs(units: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Consecutive clusters of one script; punctuation and digits form their own runs."""
    runs: list[tuple[str, list[str]]] = []
    for unit in units:
        key = script_key(unit)
        if runs and runs[-1][0] == key:
            runs[-1][1].append(unit)
        else:
            runs.append((key, [unit]))
    return runs


def _word_pieces(units: Sequence[str], preferred: LoadedFont, fontset: FontSet,
                 coverage: Coverage | None) -> list[Piece]:
    word = "".join(units)
    whole = _font_for_run(word, preferred, fontset)
    if whole is not None:
        return [Piece(word, whole.name)]
    runs = _script_runs(units)
    chosen = [None if key == "" else _font_for_run("".join(run), preferred, fontset)
              for key, run in runs]
    pieces: list[Piece] = []
    for index, (key, run) in enumerate(runs):
        text = "".join(run)
        font = chosen[index]
        if key == "":  # a bracket or a digit: the font of the letters beside it
            beside = [chosen[i] for i in (index - 1, index + 1) if 0 <= i < len(runs)]
            font = next((f for f in beside if f is not None and _covers(f, text)), None)
            font = font or _font_for_run(text, preferred, fontset)
        if font is not None:
            pieces.append(Piece(text, font.name))
        elif key == "CJK":
            if coverage is not None:
                coverage.named.update(run)
            pieces.append(Piece(f"[{script_name(key)} text: this computer has no font for "
                                "it]", preferred.name, named=True))
        else:
            for unit in run:  # no font for the run: cluster by cluster
                found = _font_for_run(unit, preferred, fontset)
                if found is not None:
                    pieces.append(Piece(unit, found.name))
                else:
                    if coverage is not None:
                        coverage.named.add(unit)
                    pieces.append(Piece(code_name(unit[0]), preferred.name, named=True))
    return pieces


@functools.lru_cache(maxsize=8192)
def _kept_word_pieces(units: tuple[str, ...], preferred: LoadedFont, fontset: FontSet
                      ) -> tuple[tuple[Piece, ...], frozenset[str]]:
    """A word's pieces, kept per process: words recur from note to note and from field to
    field, and choosing their fonts was half the cost of matching a note to fonts."""
    found = Coverage()
    return tuple(_word_pieces(units, preferred, fontset, found)), frozenset(found.named)


def _emoji_piece(cluster: str, preferred: LoadedFont, fontset: FontSet,
                 coverage: Coverage | None) -> Piece:
    colour = fontset.colour_emoji()
    if colour is not None and emoji_pictures.picture(colour, cluster) is not None:
        # The invisible copy needs a font that has the code points, or readers drop them.
        hidden = fontset.find(cluster, "emoji") or fontset.find(visible(cluster), "emoji")
        return Piece(cluster, (hidden or preferred).name, emoji=True)
    shown = visible(cluster)
    if len(shown) == 1:
        font = (preferred if _covers(preferred, shown)
                else fontset.find(shown, "emoji") or fontset.find(shown, "any"))
        if font is not None:
            return Piece(shown, font.name)
    else:  # a sequence: only a font that has it as one glyph will do
        for font in fontset.emoji_fonts():
            if emoji_pictures.one_glyph(font.path, cluster) and _covers(font, shown):
                return Piece(cluster, font.name)
    if coverage is not None:
        coverage.named.add(cluster)
    return Piece(emoji_name(cluster), preferred.name, named=True)


def to_pieces(text: str, preferred: LoadedFont, fontset: FontSet,
              coverage: Coverage | None = None) -> list[Piece]:
    """Match a paragraph's characters to fonts, naming what none can draw."""
    text = unicodedata.normalize("NFC", text).replace("\t", "    ")
    if text.isascii() and text.isprintable() and _has_ascii(preferred):
        # Most of a pack (hashes, addresses, labels, English notes): every character is
        # its own cluster, none is an emoji or invisible, and the preferred font has them
        # all, so the loop below would give this one piece. Measured: a third of the
        # time of laying out an exhibit page.
        return [Piece(text, preferred.name)] if text else []
    if _JOINS_A_SPACE.search(text):
        return _merge(_spaces_join(_cluster_pieces(text, preferred, fontset, coverage)))
    # Every space is then a cluster of its own, so the paragraph is its words and spaces,
    # and a word's pieces are the same wherever it stands: kept per process, they are
    # matched once per pack rather than once per paragraph (a police pack's statement
    # per exhibit quotes the exhibit's description).
    pieces: list[Piece] = []
    space = Piece(" ", preferred.name)
    plain = _has_ascii(preferred)
    for index, word in enumerate(text.split(" ")):
        if index:
            pieces.append(space)
        if not word:
            continue
        if plain and word.isascii() and word.isprintable():
            # What the word's clusters would give (see the fast path above), without a
            # lookup that misses for every hash, time and address.
            pieces.append(Piece(word, preferred.name))
        else:
            found, named = _kept_word_run(word, preferred, fontset)
            pieces.extend(found)
            if coverage is not None:
                coverage.named |= named
    return _merge(_spaces_join(pieces))


_JOINS_A_SPACE = regex.compile(r" [\p{GCB=Extend}\p{GCB=SpacingMark}\p{GCB=ZWJ}]"
                               r"|\p{GCB=Prepend} ")
"""A space in one grapheme cluster with what follows or precedes it (UAX #29 GB9-9b)."""


@functools.lru_cache(maxsize=16384)
def _kept_word_run(word: str, preferred: LoadedFont, fontset: FontSet
                   ) -> tuple[tuple[Piece, ...], frozenset[str]]:
    found = Coverage()
    return tuple(_cluster_pieces(word, preferred, fontset, found)), frozenset(found.named)


def _cluster_pieces(text: str, preferred: LoadedFont, fontset: FontSet,
                    coverage: Coverage | None) -> list[Piece]:
    """Step 1 cluster by cluster, before spaces are joined and runs merged."""
    pieces: list[Piece] = []
    word: list[str] = []

    def flush() -> None:
        if word:
            found, named = _kept_word_pieces(tuple(word), preferred, fontset)
            pieces.extend(found)
            if coverage is not None:
                coverage.named |= named
            word.clear()

    for cluster in clusters(text):
        if len(cluster) == 1 and " " < cluster < "\x7f":
            word.append(cluster)  # printable ASCII alone: no emoji, nothing to hide
            continue
        if is_emoji(cluster):
            flush()
            pieces.append(_emoji_piece(cluster, preferred, fontset, coverage))
        elif cluster == " ":
            flush()
            pieces.append(Piece(" ", preferred.name))
        else:
            shown = "".join(c for c in cluster if c not in _INVISIBLE
                            and unicodedata.category(c) != "Cc")
            if shown:
                word.append(shown)
    flush()
    return pieces


def _spaces_join(pieces: list[Piece]) -> list[Piece]:
    """A space between two words of one font takes that font, so a phrase of Arabic is
    one run to shape, measure and draw rather than a run per word and per space (runs
    were the costliest part of drawing a multi-script note). The space is then the
    phrase font's own, a little narrower than DejaVu's in Noto Sans Arabic."""
    out = list(pieces)
    for i in range(1, len(out) - 1):
        before, space, after = out[i - 1], out[i], out[i + 1]
        if (space.text == " " and before.font == after.font != space.font
                and not (before.named or after.named or before.emoji or after.emoji)
                and _has_space(before.font)):
            out[i] = Piece(" ", before.font)
    return out


@functools.lru_cache(maxsize=64)
def _has_space(font: str) -> bool:
    loaded = font_named(font)
    return loaded is not None and ord(" ") in loaded.codes


def _merge(pieces: list[Piece]) -> list[Piece]:
    """Neighbours of one font and named-ness as one piece (never an emoji picture);
    joined once each, since a paragraph's words and spaces arrive one by one."""
    pictures = itertools.count(1)  # each emoji picture a group of its own
    out: list[Piece] = []
    for (font, named, _), group in itertools.groupby(
            pieces, lambda piece: (piece.font, piece.named,
                                   next(pictures) if piece.emoji else 0)):
        run = list(group)
        out.append(run[0] if len(run) == 1 else Piece("".join(p.text for p in run), font,
                                                      named))
    return out


# ---- step 2: levels ------------------------------------------------------------------


class _BidiClasses(dict[int, str]):
    """Each character's bidi class as one letter, for :func:`embedding_levels`' key.
    Other neutrals (class ON) stand for themselves: pairing brackets (rule N0) depends on
    which brackets they are, and that is the only thing the rules read besides classes."""

    def __missing__(self, code: int) -> str:
        kind = unicodedata.bidirectional(chr(code))
        letter = chr(code) if kind == "ON" else _CLASS_LETTERS.get(kind, "\uE0FF")
        self[code] = letter
        return letter


_CLASS_LETTERS = {kind: chr(0xE000 + n) for n, kind in enumerate(
    ("L", "R", "AL", "EN", "ES", "ET", "AN", "CS", "NSM", "BN", "B", "S", "WS",
     "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"))}
_CLASSES = _BidiClasses()
_levels_kept: dict[tuple[str, int], tuple[int, ...]] = {}
LEVELS_KEPT = 4096
"""Paragraph shapes whose levels are kept: rows, statements and notes of one pack."""


def embedding_levels(text: str, base: int) -> list[int]:
    """Resolved bidi levels of each character (rules P–I), from python-bidi's reference
    implementation; tests check its ordering against the Rust one in the same package.

    The reference implementation takes about a millisecond a paragraph, and a police
    pack has a statement per exhibit. Two exact shortcuts (a test compares them with
    the whole paragraph resolved at once):

    - The rules read nothing of a character but its bidi class (and which bracket it
      is), so levels are kept by the sequence of classes.
    - With no direction controls (dropped in step 1), a strong letter outside every
      bracket pair cuts a paragraph into parts resolved alone: every rule looks from a
      character only as far as the nearest strong letter or number, and a strong
      letter's own level is fixed by its direction (I1, I2). So only the stretches
      between strong letters are resolved, each with the letters around it, and
      those recur far more than whole paragraphs (a word's spaces and punctuation, a
      hash's digits between its letters)."""
    classes = text.translate(_CLASSES)
    whole = _levels_kept.get((classes, base))
    if whole is not None:
        return list(whole)
    if _EXPLICIT_CLASS.search(classes):  # embeddings and isolates reach further
        return list(_kept_levels(text, classes, base))
    cut_at = classes  # the strong letters that cut: those outside every bracket pair
    if _BRACKET.search(text) and _STRONG_CLASS.search(classes):
        cut_at = _uncut_within_pairs(text, classes)
    if not _STRONG_CLASS.search(cut_at):
        return list(_kept_levels(text, classes, base))
    # A cutting letter's level is its direction's (I1, I2); every other character's is
    # resolved with its stretch below, which overwrites what the table gave it.
    levels = list(map(ord, classes.translate(_strong_level_table(base))))
    for stretch in _BETWEEN_CUTS.finditer(cut_at):
        left, right = stretch.start() - 1, stretch.end()
        start, stop = max(left, 0), min(right + 1, len(text))
        part = _kept_levels(text[start:stop], classes[start:stop], base)
        offset = left + 1 - start
        levels[left + 1:right] = part[offset:offset + right - left - 1]
    return levels


_STRONG_LETTERS = "".join(_CLASS_LETTERS[k] for k in ("L", "R", "AL"))
_STRONG_CLASS = re.compile(f"[{_STRONG_LETTERS}]")
_EXPLICIT_CLASS = re.compile("[" + "".join(_CLASS_LETTERS[k] for k in (
    "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "B")) + "]")


_BETWEEN_CUTS = re.compile(f"[^{_STRONG_LETTERS}]+")
_UNCUT = dict.fromkeys(map(ord, _STRONG_LETTERS), "\x00")
"""A strong letter made not to cut: NUL, never a class letter (NUL is class BN)."""


@functools.lru_cache(maxsize=8)
def _strong_level_table(base: int) -> dict[int, str]:
    """I1 and I2: a strong letter's level at this base level, as a character."""
    even = base - base % 2
    left = 2 if base % 2 else 0
    return {ord(_CLASS_LETTERS["L"]): chr(even + left), ord(_CLASS_LETTERS["R"]): chr(even + 1),
            ord(_CLASS_LETTERS["AL"]): chr(even + 1)}


def _kept_levels(text: str, classes: str, base: int) -> tuple[int, ...]:
    found = _levels_kept.get((classes, base))
    if found is None:
        if len(_levels_kept) >= LEVELS_KEPT:
            _levels_kept.clear()
        found = _levels_kept[(classes, base)] = tuple(_resolve_levels(text, base))
    return found


_BRACKET = re.compile("[" + re.escape("".join([*OPENING, *CLOSING, *CANONICAL])) + "]")


def _uncut_within_pairs(text: str, classes: str) -> str:
    """``classes`` with the strong letters within a bracket pair, its brackets included,
    made not to cut: rule N0 reads the whole pair and what is before it. The pairs are
    those of BD16 as :func:`.brackets.bracket_pairs` finds them (a bracket is still
    neutral when N0 runs: no weak rule changes one)."""
    spans: list[list[int]] = []
    for opening, closing in sorted(pairs_among((m.start(), m.group())
                                               for m in _BRACKET.finditer(text))):
        if spans and opening <= spans[-1][1]:  # nested in the one before
            spans[-1][1] = max(spans[-1][1], closing)
        else:
            spans.append([opening, closing])
    parts, done = [], 0
    for opening, closing in spans:
        parts += [classes[done:opening], classes[opening:closing + 1].translate(_UNCUT)]
        done = closing + 1
    return "".join(parts) + classes[done:]


def _resolve_levels(text: str, base: int) -> list[int]:
    storage = bidi_algorithm.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    bidi_algorithm.get_embedding_levels(text, storage)
    bidi_algorithm.explicit_embed_and_overrides(storage)
    bidi_algorithm.resolve_weak_types(storage)
    resolve_paired_brackets(storage)  # N0, which python-bidi's Python version lacks
    bidi_algorithm.resolve_neutral_types(storage, False)
    bidi_algorithm.resolve_implicit_levels(storage, False)
    resolved = iter(int(ch["level"]) for ch in storage["chars"])
    # Rule X9 drops joiners and tags (class BN) from the result: they take the level of
    # the character before them (an emoji sequence's joiner, that of the emoji).
    levels: list[int] = []
    for char in text:
        if unicodedata.bidirectional(char) in _X9_REMOVED:
            levels.append(levels[-1] if levels else base)
        else:
            levels.append(next(resolved, base))
    return levels


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
    emoji: bool = False  # one emoji sequence (``logical``), drawn as a picture


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    width: float
    rtl: bool
    at: tuple[int, int] = (0, 0)
    """Where the line starts: its paragraph, and the offset in that paragraph's drawn
    characters, so the rest of a block split across pages can be laid out again."""


@dataclass(frozen=True)
class _Frag:
    """What ReportLab's shaper reads of a text fragment: its font and size."""

    fontName: str  # ReportLab's attribute names
    fontSize: float


@functools.lru_cache(maxsize=8192)
def _measure(text: str, font: str, size: float, rtl_level: bool) -> tuple[Any, float]:
    """The drawable form and width of a run of one font and one direction.

    Kept per process: line breaking measures the same runs again and again, and shaping
    (HarfBuzz) is the costly part of laying out Arabic, Hebrew or Devanagari. A font's
    name stands for one file for the whole process (:func:`.fonts._load`), and the
    shaped string is immutable, so a kept answer is the answer."""
    if text.isascii() and not rtl_level:
        # No ASCII character is right to left or needs shaping: what the rest would find.
        return text, pdfmetrics.stringWidth(text, font, size)
    strong_rtl = any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)
    if rtl_level and not strong_rtl:
        # Neutrals alone at a right-to-left level: HarfBuzz would guess left-to-right.
        text = "".join(_MIRROR.get(c, c) for c in reversed(text))
    if _needs_shaping(text):
        features = _COMPLEX_FEATURES if _is_complex(text) else _PLAIN_FEATURES
        word = [pdfmetrics.stringWidth(text, font, size), (_Frag(font, size), text)]
        shaped = shapeFragWord(word, features=features)[1][1]
        if isinstance(shaped, ShapedStr):
            width = sum(d.x_advance for d in shaped.__shapeData__) * size / 1000
            return shaped, width
    return text, pdfmetrics.stringWidth(text, font, size)


def _cluster_starts(text: str) -> tuple[list[bool], list[bool]]:
    """Where each grapheme cluster starts (and the end), and which clusters are CJK.

    Between two printable ASCII characters there is always a boundary (UAX #29 GB999:
    no rule joins them), and no rule looks back past one; so only the stretches with
    other characters, each with the ASCII character on either side, are segmented. A
    police statement is an exhibit's description among a few hundred ASCII characters
    of marks, times and hashes; a test compares this with segmenting the whole text."""
    boundary = [True] * (len(text) + 1)
    cjk = [False] * len(text)
    for stretch in _NOT_PLAIN_STRETCH.finditer(text):
        position = stretch.start()
        for cluster in clusters(stretch.group()):
            if is_cjk(cluster):
                cjk[position] = True
            if len(cluster) > 1:
                boundary[position + 1:position + len(cluster)] = [False] * (len(cluster) - 1)
            position += len(cluster)
    return boundary, cjk


_NOT_PLAIN_STRETCH = re.compile(r"[ -~]?[^ -~]+(?:[ -~][^ -~]+)*[ -~]?")
"""Characters other than printable ASCII, with the ASCII character on either side
(which a cluster may join: a letter and its accent, a prepended mark and its letter)."""


class Paragraph:
    """One paragraph after steps 1–2: display characters with a font and level each."""

    def __init__(self, pieces: Sequence[Piece], number: int = 0) -> None:
        self.number = number  # its place in the block, for lines that record where they start
        self.text = "".join(p.text for p in pieces)
        self.fonts: list[str] = []
        self.named: list[bool] = []
        self.unit: list[int] = []  # a number per emoji picture, so each is its own run
        for number, piece in enumerate(pieces, start=1):
            self.fonts += [piece.font] * len(piece.text)
            self.named += [piece.named] * len(piece.text)
            self.unit += [number if piece.emoji else 0] * len(piece.text)
        self._simple = False
        if self.text.isascii() and not any(self.unit):
            # No ASCII character is right to left, so every level is 0; and, with no
            # picture, every character is its own cluster, none of them CJK.
            self.base = 0
            self.levels = [0] * len(self.text)
            self.boundary = [True] * (len(self.text) + 1)
            self.cjk = [False] * len(self.text)
            self._index_segments()
            # One font throughout too (most of a pack): tokens, widths and lines are
            # then found by the cheaper means below, with the same results.
            self._simple = len(self._starts) == 1
            return
        self.base = base_level(self.text)
        # With no right-to-left letter or Arabic number every level is the base level 0
        # (direction controls were dropped in step 1): the algorithm would say so slowly.
        self.levels = embedding_levels(self.text, self.base) if self.base or any(
            unicodedata.bidirectional(c) in _BIDI_NEEDED for c in self.text
        ) else [0] * len(self.text)
        # Where a line may end: between grapheme clusters, never inside one.
        self.boundary, self.cjk = _cluster_starts(self.text)
        if any(self.unit):
            for position, unit in enumerate(self.unit):
                if unit and self.boundary[position]:
                    self.cjk[position] = True  # an emoji picture breaks as CJK does
                    end = position + 1
                    while not self.boundary[end]:
                        end += 1
                    # One picture, one level.
                    self.levels[position:end] = [self.levels[position]] * (end - position)
        self._index_segments()

    def _index_segments(self) -> None:
        """Where each stretch of one font, level, named-ness and picture starts: line
        breaking asks for the stretches of every token, thousands of times a note."""
        fonts, levels, named, unit = self.fonts, self.levels, self.named, self.unit
        # A bracket at a right-to-left level is a stretch of its own, drawn mirrored with
        # the characters as written for readers to copy (see _Pen.run).
        mirrored = [c in _MIRROR for c in self.text] if any(
            level % 2 for level in levels) else []
        if not any(mirrored) and all(len(set(values)) <= 1
                                     for values in (fonts, levels, named, unit)):
            self._starts = [0]  # one stretch (most paragraphs), found at C speed
            self._ends = [len(self.text)]
            return
        # A stretch starts wherever font, level, named-ness or picture changes, and at
        # and after each bracket alone (given a key of its own), found by grouping.
        keys: Iterator[tuple[Any, ...]] = zip(fonts, levels, named, unit, strict=True)
        if any(mirrored):
            alone = [i if m and level % 2 == 1 else -1
                     for i, (m, level) in enumerate(zip(mirrored, levels, strict=True))]
            keys = zip(fonts, levels, named, unit, alone, strict=True)
        starts: list[int] = []
        position = 0
        for _, group in itertools.groupby(keys):
            starts.append(position)
            position += len(list(group))
        self._starts = starts
        self._ends = [*starts[1:], len(self.text)]

    def _segments(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """Stretches of one font, one level and one named-ness."""
        if len(self._starts) == 1:  # one font and level throughout (most paragraphs)
            if start < end:
                yield start, end
            return
        k = bisect.bisect_right(self._starts, start) - 1
        ends = self._ends
        while start < end:
            stop = min(ends[k], end)
            yield start, stop
            start = stop
            k += 1

    def _segment_width(self, a: int, b: int, size: float, level: int) -> tuple[Any, float]:
        if self.unit[a]:
            return self.text[a:b], EMOJI_ADVANCE * size
        return _measure(self.text[a:b], self.fonts[a], size, level % 2 == 1)

    def width(self, start: int, end: int, size: float) -> float:
        if self._simple:
            return _measure(self.text[start:end], self.fonts[0], size, False)[1] \
                if start < end else 0.0
        if start >= end:
            return 0.0
        k = bisect.bisect_right(self._starts, start) - 1
        if end <= self._ends[k]:  # within one stretch, as most words are
            return self._segment_width(start, end, size, self.levels[start])[1]
        return sum(self._segment_width(a, b, size, self.levels[a])[1]
                   for a, b in self._segments(start, end))

    def tokens(self) -> list[tuple[int, int]]:
        """Break opportunities: after spaces, and around each CJK character and emoji."""
        if self._simple:  # a character, the rest of its word, then its spaces
            return [match.span() for match in _SIMPLE_TOKEN.finditer(self.text)]
        # Each character as a letter, so that one regular expression finds the tokens:
        # a CJK cluster or emoji (C) or a run of other clusters (X), each cluster with
        # what continues it (i, or s for a space inside it), then any spaces (S, s).
        n = len(self.text)
        codes = bytearray(_NOT_SPACE.sub("X", self.text).replace(" ", "S"), "ascii")
        for k in itertools.compress(range(n), map(not_, self.boundary[:n])):
            codes[k] = ord("s") if codes[k] == ord("S") else ord("i")
        for k in itertools.compress(range(n), self.cjk):
            codes[k] = ord("C")
        return [match.span() for match in _TOKEN.finditer(codes)]

    def lines(self, width: float, size: float, begin: int = 0, stop: int | None = None
              ) -> list[tuple[int, int]]:
        """Greedy line breaking in logical order; token widths add up along a line.
        ``begin`` and ``stop``: the part of a block split across pages."""
        spans: list[tuple[int, int]] = []
        start: int | None = None
        end = 0
        used = 0.0  # width of the tokens on the line so far, with their spaces
        for a, b in self.tokens():
            if b <= begin:
                continue
            if stop is not None and a >= stop:
                break
            a, b = max(a, begin), b if stop is None else min(b, stop)
            trimmed = a + len(self.text[a:b].rstrip(" "))
            bare = self.width(a, trimmed, size)
            full = bare + (self.width(trimmed, b, size) if b > trimmed else 0.0)
            if start is not None and used + bare > width:
                spans.append((start, end))
                start = None
            if start is None:
                if bare > width:  # a word longer than a line (a URL, a hash)
                    pieces = list(self._long_word(a, trimmed, width, size))
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
        return spans or [(begin, begin)]

    def _long_word(self, a: int, b: int, width: float, size: float
                   ) -> Iterator[tuple[int, int]]:
        """A word wider than a line, broken after ``/ ? & =`` and the like where it can
        be (an address reads part by part), and only where a part is itself too wide
        between two characters."""
        parts: list[tuple[int, int]] = []
        start = a
        for pos in range(a, b - 1):
            if self.text[pos] in BREAK_AFTER and self.boundary[pos + 1]:
                parts.append((start, pos + 1))
                start = pos + 1
        parts.append((start, b))
        line_start: int | None = None
        used = 0.0
        for p0, p1 in parts:
            part = self.width(p0, p1, size)
            if line_start is not None and used + part > width:
                yield line_start, p0
                line_start = None
            if line_start is None:
                if part > width:
                    pieces = list(self._hard_breaks(p0, p1, width, size))
                    yield from pieces[:-1]
                    line_start = pieces[-1][0]
                    used = self.width(line_start, p1, size)
                    continue
                line_start, used = p0, 0.0
            used += part
        if line_start is not None:
            yield line_start, b

    def _hard_breaks(self, a: int, b: int, width: float, size: float
                     ) -> Iterator[tuple[int, int]]:
        start = a
        while start < b:
            # Widths summed character by character find the place in one pass; a line
            # of a 100,000-character word is then measured whole once or twice, not
            # once per step of a search over the whole word.
            end, used = start, 0.0
            while end < b:
                nxt = end + 1
                while nxt < b and not self.boundary[nxt]:
                    nxt += 1  # never split a cluster (a letter and its marks, an emoji)
                step = self.width(end, nxt, size)
                if used + step > width and end > start:
                    break
                used += step
                end = nxt
            while end > start + 1 and self.width(start, end, size) > width:
                end -= 1  # kerning or shaping made the whole wider than its parts
                while end > start + 1 and not self.boundary[end]:
                    end -= 1
            yield start, end
            start = end

    def visual_line(self, start: int, end: int, size: float) -> Line:
        if self._simple:  # one run, left to right
            simple_runs: tuple[Run, ...] = ()
            if start < end:
                drawn, run_width = _measure(self.text[start:end], self.fonts[0], size, False)
                simple_runs = (Run(drawn, self.fonts[0], run_width, self.named[0],
                            self.text[start:end], False, False),)
            trimmed = self.text[start:end].rstrip(" ")
            return Line(simple_runs, self.width(start, start + len(trimmed), size), False,
                        (self.number, start))
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
            drawn, run_width = self._segment_width(a, b, size, level)
            runs.append(Run(drawn, self.fonts[a], run_width, self.named[a], self.text[a:b],
                            level % 2 == 1, bool(self.unit[a])))
        trimmed = self.text[start:end].rstrip(" ")
        line_width = self.width(start, start + len(trimmed), size)
        return Line(tuple(runs), line_width, self.base == 1, (self.number, start))


class _KeptByText:
    """Answers kept per process, the oldest let go first once the text they were made
    from adds up to ``chars`` characters (the first item of each key is that text).
    With ``twice``, an answer is kept only when asked for a second time: what is asked
    for once (a hash, a time) would only push out what recurs."""

    def __init__(self, chars: int, twice: bool = False) -> None:
        self.chars = chars
        self.twice = twice
        self._kept: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._held = 0
        self._asked_once: set[int] = set()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Any:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], value: Any) -> None:
        text: str = key[0]
        with self._lock:
            if self.twice:
                asked = hash(key)
                if asked not in self._asked_once:
                    if len(self._asked_once) >= ASKED_ONCE_KEPT:
                        self._asked_once.clear()
                    self._asked_once.add(asked)
                    return
            if key in self._kept or len(text) > self.chars:
                return
            self._kept[key] = value
            self._held += len(text)
            while self._held > self.chars:
                (old, *_), _ = self._kept.popitem(last=False)
                self._held -= len(old)


ASKED_ONCE_KEPT = 100_000
"""Keys remembered as asked for once, before they are forgotten all together."""


def _paragraph(raw: str, number: int, preferred: LoadedFont, fontset: FontSet
               ) -> tuple[Paragraph | None, frozenset[str]]:
    """A paragraph after steps 1-2, and what in it no font has. Kept per process when
    it is not plain ASCII (which is cheap to make again): a note is laid out on the
    chronology and again on its exhibit page, at other widths, and steps 1-2 do not
    depend on the width."""
    if raw.isascii():
        return _make_paragraph(raw, number, preferred, fontset)
    key = (raw, number, preferred, fontset)
    found: tuple[Paragraph | None, frozenset[str]] | None = _kept_paragraphs.get(key)
    if found is None:
        found = _make_paragraph(raw, number, preferred, fontset)
        _kept_paragraphs.put(key, found)
    return found


def _make_paragraph(raw: str, number: int, preferred: LoadedFont, fontset: FontSet
                    ) -> tuple[Paragraph | None, frozenset[str]]:
    found = Coverage()
    pieces = to_pieces(raw, preferred, fontset, found)
    return (Paragraph(pieces, number) if pieces else None), frozenset(found.named)


PARAGRAPH_CACHE_CHARS = 600_000
"""Characters of paragraphs kept (about 50 bytes each as a Paragraph): the notes of a
500-exhibit pack, from its chronology to their exhibit pages."""
LINES_CACHE_CHARS = 300_000
"""Characters of paragraphs whose lines are kept (a few kilobytes a note)."""
_kept_paragraphs = _KeptByText(PARAGRAPH_CACHE_CHARS)
_kept_lines = _KeptByText(LINES_CACHE_CHARS, twice=True)


def layout(text: str, style: TextStyle, width: float, coverage: Coverage | None = None,
           fontset: FontSet | None = None, begin: tuple[int, int] = (0, 0),
           stop: tuple[int, int] | None = None) -> list[Line]:
    """Break ``text`` into display lines no wider than ``width`` points, from ``begin``
    (paragraph, offset) up to ``stop``."""
    fontset = fontset or fonts()
    preferred = {"bold": fontset.bold, "mono": fontset.mono}.get(style.role, fontset.regular)
    out: list[Line] = []
    raws = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(raws[begin[0]:], start=begin[0]):
        if stop is not None and (number > stop[0] or (number, 0) == stop):
            break
        offset = begin[1] if number == begin[0] else 0
        until = stop[1] if stop is not None and number == stop[0] else None
        lines, named = _paragraph_lines(raw, number, preferred, fontset, style.size, width,
                                        offset, until)
        if coverage is not None:
            coverage.named |= named
        out.extend(lines)
    return out


def _paragraph_lines(raw: str, number: int, preferred: LoadedFont, fontset: FontSet,
                     size: float, width: float, offset: int, until: int | None
                     ) -> tuple[tuple[Line, ...], frozenset[str]]:
    """A paragraph's lines at a width, kept per process once asked for twice: a note is
    one paragraph of a block that begins with its own date and event, so the block is
    new on every exhibit page while the note's lines are not (what is asked for once, a
    hash or a time, is not kept: it would only push out what recurs). Lines are
    immutable, so a kept answer is the answer."""
    key = (raw, number, preferred, fontset, size, width, offset, until)
    found: tuple[tuple[Line, ...], frozenset[str]] | None = _kept_lines.get(key)
    if found is not None:
        return found
    para, named = _paragraph(raw, number, preferred, fontset)
    if para is None:
        found = ((Line((), 0.0, False, (number, 0)),), named)
    else:
        found = (tuple(para.visual_line(start, end, size)
                       for start, end in para.lines(width, size, offset, until)), named)
    _kept_lines.put(key, found)
    return found


# ---- the flowable --------------------------------------------------------------------


class TextBlock(Flowable):  # type: ignore[misc]
    """A block of text in any script; splits between lines across pages, with no
    first line of a paragraph left alone at the foot of a page."""

    def __init__(self, text: str, style: TextStyle | None = None,
                 coverage: Coverage | None = None,
                 _lines: list[Line] | None = None, _width: float | None = None,
                 _begin: tuple[int, int] = (0, 0),
                 _stop: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.text = text
        self.style = style or TextStyle()
        self.coverage = coverage
        self._lines = _lines
        self._for_width = _width
        self._begin = _begin  # a continued block: where its first line starts
        self._stop = _stop  # a block continued on the next page: where the rest starts
        self.spaceAfter = self.style.space_after
        self.heads = False
        """Its first line heads the rest (a note's date): never alone at a page's foot."""

    def _layout(self, width: float) -> list[Line]:
        if self._lines is None or self._for_width != width:
            key = (self.text, self.style.size, self.style.role, width, self._begin,
                   self._stop)
            if self.coverage is not None:
                self._lines = self.coverage.cached(key, lambda cov: layout(
                    self.text, self.style, width, cov, begin=self._begin, stop=self._stop))
            else:
                self._lines = layout(self.text, self.style, width, None, begin=self._begin,
                                     stop=self._stop)
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
        if fit == 1 and len(lines) > 1 and (lines[1].at[0] == lines[0].at[0] or self.heads):
            return []  # a paragraph's first line alone at the foot of a page
        first = TextBlock(self.text, replace(self.style, space_after=0), self.coverage,
                          lines[:fit], availWidth, self._begin, lines[fit].at)
        rest = TextBlock(self.text, self.style, self.coverage, lines[fit:], availWidth,
                         lines[fit].at, self._stop)
        return [first, rest]

    def draw(self) -> None:
        draw_lines(self.canv, self._layout(self.width), 0.0, self.height, self.width,
                   self.style)


def draw_lines(canvas: Any, lines: Sequence[Line], x0: float, top: float, width: float,
               style: TextStyle) -> None:
    """Lines laid out by :func:`layout`, drawn in a box ``width`` wide whose top edge is
    at ``top``; what a text block draws, and what tables draw in their cells."""
    pen = _Pen(canvas, style.size)
    y = top - style.size  # baseline of the first line
    for line in lines:
        align = style.align
        if align == "start":
            align = "right" if line.rtl else "left"
        x = x0 + {"left": 0.0, "right": width - line.width,
                  "center": (width - line.width) / 2}.get(align, 0.0)
        for run in line.runs:
            pen.run(run, x, y, style.named_color if run.named else style.color)
            x += run.width
        y -= style.leading
    pen.finish()


def draw_line(canvas: Any, x: float, y: float, text: str, size: float, role: str = "regular",
              align: str = "left", color: Color = black) -> float:
    """One line of text straight onto a canvas (headers, footers, chart labels)."""
    line = _one_line(text, size, role, fonts())
    if align == "right":
        x -= line.width
    elif align == "center":
        x -= line.width / 2
    pen = _Pen(canvas, size)
    for run in line.runs:
        pen.run(run, x, y, color)
        x += run.width
    pen.finish()
    return line.width


@functools.lru_cache(maxsize=1024)
def _one_line(text: str, size: float, role: str, fontset: FontSet) -> Line:
    """Headers and footers repeat on every page: laid out once per process."""
    lines = layout(text, TextStyle(size=size, role=role), 10_000, fontset=fontset)
    return lines[0] if lines else Line((), 0.0, False)


@functools.lru_cache(maxsize=2048)
def _emoji_image(path: Path, cluster: str) -> PdfImage | None:
    """An emoji's picture encoded once per process (its alpha a soft mask, for shaded
    table rows): as a ReportLab image it was encoded again in every chunk of a pack."""
    image = emoji_pictures.picture(path, cluster)
    return None if image is None else with_alpha(image, "an emoji's picture")


_KEPT_OPERATORS = "_evidence_kit_text_operators"
"""Where a document keeps its strings' text operators (:meth:`_Pen._plain`)."""
_KEPT_SHAPED = "_evidence_kit_shaped_operators"
"""...and its shaped runs' (:meth:`_Pen._shaped`)."""


@functools.lru_cache(maxsize=2048)
def _natural_width(chars: str, font: str, size: float) -> float:
    """An emoji's width in the font of its invisible copy (a font's name stands for one
    file for the whole process)."""
    return float(pdfmetrics.stringWidth(chars, font, size))


def _kept_in(doc: Any, name: str) -> dict[Any, Any]:
    """A dictionary kept on a ReportLab document, going with it when it goes."""
    kept: dict[Any, Any] = doc.__dict__.setdefault(name, {})
    return kept


def _utf16(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class _Pen:
    """Draws the runs of a block in one PDF text object, setting the font and colour only
    when they change; one text object per run made drawing a multi-script pack cost more
    than laying it out. Emoji pictures cannot go inside a text object: they are drawn
    after it, under nothing (their invisible copy is in the text object)."""

    def __init__(self, canvas: Any, size: float) -> None:
        self.canvas = canvas
        self.size = size
        self.text: Any = None
        self.font = ""
        self.color: Color | None = None
        self.pictures: list[tuple[PdfImage, float, float]] = []

    def _begin(self, font: str) -> Any:
        if self.text is None:
            self.text = self.canvas.beginText()
        if font != self.font:
            self.text.setFont(font, self.size)
            self.font = font
        return self.text

    def run(self, run: Run, x: float, y: float, color: Color) -> None:
        size = self.size
        if run.emoji:
            colour_font = fonts().colour_emoji()
            picture = _emoji_image(colour_font, run.logical) if colour_font else None
            if picture is not None:
                self.pictures.append((picture, x + size * 0.05, y - size * 0.2))
            # The same characters, invisible, over the picture: copied, searched and
            # extracted as the emoji that was written.
            text = self._begin(run.font)
            text.setTextOrigin(x, y)
            text.setTextRenderMode(3)
            natural = _natural_width(run.logical, run.font, size)
            if natural > 0:
                text.setHorizScale(100 * run.width / natural)
            self._plain(text, run.font, run.logical)
            # Render mode and scale are text state: later runs must be drawn normally.
            text.setTextRenderMode(0)
            if natural > 0:
                text.setHorizScale(100)
            return
        text = self._begin(run.font)
        if color is not self.color:
            text.setFillColor(color)
            self.color = color
        text.setTextOrigin(x, y)
        # A shaped left-to-right run (Devanagari, Tamil) has glyphs that map back to no
        # character; ActualText gives readers the characters as written. Right-to-left
        # runs map back through presentation forms, which readers put in logical order.
        actual = isinstance(run.text, ShapedStr) and not run.rtl and _is_complex(run.logical)
        if actual:
            text._code.append(f"/Span <</ActualText {_utf16(run.logical)}>> BDC")
        elif run.rtl and run.logical in _MIRROR:
            # A bracket drawn right to left is the other bracket's glyph, which copies as
            # that bracket. Readers reverse a right-to-left line to logical order, and
            # the bracket with it, so the ActualText is the bracket as written.
            actual = True
            text._code.append(f"/Span <</ActualText {_utf16(run.logical)}>> BDC")
        if type(run.text) is str:
            self._plain(text, run.font, run.text)
        else:
            self._shaped(text, run.text)
        if actual:
            text._code.append("EMC")

    def _plain(self, text: Any, font_name: str, chars: str) -> None:
        """What ``textOut`` writes for unshaped text, with each string's encoding kept
        for the document: a field's label, a date, a word recurs from page to page, and
        ReportLab encoded each again (its text operators were a fifth of drawing a
        pack). Only the subset a piece is in, and so the font operator, depends on what
        was drawn before it."""
        font = pdfmetrics.getFont(font_name)
        if not getattr(font, "_dynamicFont", False):
            text.textOut(chars)
            return
        doc = self.canvas._doc
        kept: dict[tuple[str, str], tuple[tuple[int, str], ...]]
        kept = _kept_in(doc, _KEPT_OPERATORS)
        pieces = kept.get((font_name, chars))
        if pieces is None:
            escape = self.canvas._escape
            pieces = tuple((subset, f"({escape(part)}) Tj")
                           for subset, part in font.splitString(chars, doc))
            kept[(font_name, chars)] = pieces
        code = text._code
        for subset, operator in pieces:
            if subset != text._curSubset:
                code.append(f"{font.getSubsetInternalName(subset, doc)} "
                            f"{fp_str(text._fontsize)} Tf {fp_str(text._leading)} TL")
                text._curSubset = subset
            code.append(operator)

    def _shaped(self, text: Any, shaped: Any) -> None:
        """What ``textOut`` writes for a shaped run, kept for the document: its glyphs
        and positions are written one by one (a multi-script pack's largest cost in
        drawing), and the same words recur from note to note. Shaped strings are kept
        per process (:func:`_measure`), so the same object is the same run; what is
        written depends only on the subset and rise in force before it."""
        kept: dict[tuple[Any, ...], tuple[Any, str, int]]
        kept = _kept_in(self.canvas._doc, _KEPT_SHAPED)
        key = (text._fontname, text._fontsize, text._leading, text._curSubset, text._rise,
               id(shaped))
        found = kept.get(key)
        if found is None or found[0] is not shaped:
            operators = text._formatText(shaped)  # also leaves its subset in force
            kept[key] = found = (shaped, operators, text._curSubset)
        text._code.append(found[1])
        text._curSubset = found[2]

    def finish(self) -> None:
        canvas = self.canvas
        if self.text is not None:
            canvas.drawText(self.text)
            if self.color is not None and canvas._fillColorObj is not self.color:
                # The colour set in the text object stays in force after it, as a
                # canvas colour would; ReportLab must know it for what it draws next
                # (if it already does, it is already in force: nothing to say).
                canvas.setFillColor(self.color)
        side = self.size * (EMOJI_ADVANCE - 0.1)
        for picture, x, y in self.pictures:
            canvas.saveState()
            canvas.translate(x, y)
            draw_image(canvas, picture, side, side)  # added once per document
            canvas.restoreState()
