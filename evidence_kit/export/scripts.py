"""What a reader sees as one character, and which writing system it belongs to.

Grapheme clusters follow UAX #29 through the ``regex`` module's ``\\X``: it tracks each
Unicode release (extended grapheme clusters, emoji ZWJ sequences, Indic conjuncts), where
a hand-written rule set splits Devanagari ``कि``, Tamil ``நி`` or Hangul jamo. Everything
here is plain text processing, without fonts.
"""

from __future__ import annotations

import functools
import unicodedata

import regex

ZWJ = "\u200d"
_CLUSTER = regex.compile(r"\X")
_EMOJI_PRESENTATION = regex.compile(r"\p{Emoji_Presentation}")
_PICTOGRAPHIC = regex.compile(r"\p{Extended_Pictographic}")
_NEUTRAL = regex.compile(r"[\p{Script=Common}\p{Script=Inherited}]")
_SKIN_TONES = {
    0x1F3FB: "light skin tone", 0x1F3FC: "medium-light skin tone",
    0x1F3FD: "medium skin tone", 0x1F3FE: "medium-dark skin tone",
    0x1F3FF: "dark skin tone",
}
# Where Unicode's own name would puzzle a reader.
_FRIENDLY = {0x1F52A: "kitchen knife", 0x1F5E1: "dagger"}
# Scripts written together without spaces share one key, so a Japanese sentence of kanji
# and kana, or Korean syllables and jamo, is one run for font choice.
_SCRIPT_KEYS = {"CJK": "CJK", "HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK",
                "IDEOGRAPHIC": "CJK", "BOPOMOFO": "CJK", "HALFWIDTH": "CJK",
                "FULLWIDTH": "CJK"}
_SCRIPT_NAMES = {"CJK": "Chinese, Japanese or Korean"}


def clusters(text: str) -> list[str]:
    """Extended grapheme clusters (UAX #29): what a reader counts as one character."""
    found: list[str] = _CLUSTER.findall(text)
    return found


def is_regional(code: int) -> bool:
    return 0x1F1E6 <= code <= 0x1F1FF


def is_variation(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


_FIRST_EMOJI = "\u231a"  # the first character with Emoji_Presentation (⌚)


def is_emoji(cluster: str) -> bool:
    """Drawn as an emoji: presentation by default, or asked for with U+FE0F, a skin tone,
    a keycap, a ZWJ sequence of pictographs, or a flag. A text-style symbol such as ☎ or
    © without U+FE0F stays text."""
    if not cluster:
        return False
    first = cluster[0]
    if len(cluster) == 1 and first < _FIRST_EMOJI:
        # A letter, digit or mark of any script (most clusters): below U+231A no single
        # character is an emoji by default, and one alone has no U+FE0F, joiner or tag.
        return False
    if _EMOJI_PRESENTATION.match(first) or is_regional(ord(first)):
        return True
    if "\ufe0f" in cluster or "\u20e3" in cluster:
        return True
    return bool(_PICTOGRAPHIC.match(first)) and (
        ZWJ in cluster or any(ord(c) in _SKIN_TONES for c in cluster)
        or any(0xE0020 <= ord(c) <= 0xE007F for c in cluster))


def visible(cluster: str) -> str:
    """The cluster without joiners, variation selectors and tags."""
    return "".join(c for c in cluster
                   if c != ZWJ and not is_variation(ord(c)) and not 0xE0020 <= ord(c) <= 0xE007F)


def emoji_name(cluster: str) -> str:
    """A reader's name for an emoji sequence, e.g. ``[woman + medium skin tone + school]``."""
    shown = visible(cluster)
    if len(shown) == 2 and all(is_regional(ord(c)) for c in shown):
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


def script_key(cluster: str) -> str:
    """The writing system of a cluster's base character, or "" for punctuation, digits,
    symbols and marks, which belong to whatever text they stand in."""
    return _base_script(cluster[0])


@functools.lru_cache(maxsize=4096)
def _base_script(base: str) -> str:
    # Asked for every cluster of every paragraph: a text has few distinct characters.
    if _NEUTRAL.match(base):
        return ""
    word = unicodedata.name(base, "").split(" ")[0]
    return _SCRIPT_KEYS.get(word, word)


def script_name(key: str) -> str:
    return _SCRIPT_NAMES.get(key, key.title() or "This")


def is_cjk(cluster: str) -> bool:
    return script_key(cluster) == "CJK"
