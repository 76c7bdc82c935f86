"""Whether two pictures look the same: a perceptual hash, and the words read from them.

Used by the removal check ("is it still up?") to compare a fresh capture with the
original, and at import to point out a near-duplicate. It only *says* what it found;
the user decides what to record.

The hash is a difference hash (dHash) of 16×16 gradients, 256 bits: a few lines of
Pillow instead of a dependency that pulls in numpy and scipy. It survives rescaling,
recompression and small shifts. But it mostly sees a page's layout: two different posts
on the same site hash alike, so when both pictures had their text read the words decide,
and without words only a near-exact match counts as the same.
"""

from __future__ import annotations

import difflib
import io
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from PIL import Image, ImageOps

from evidence_kit.core import media
from evidence_kit.core.model import Item
from evidence_kit.core.vault import Vault

HASH_SIDE = 16
HASH_BITS = HASH_SIDE * HASH_SIDE
SAME_BITS = 8
"""At most this many of 256 bits apart "looks the same" when there are no words to
compare. Measured on rendered posts: the same post re-captured 3 px to the side 1 bit,
rescaled and saved as JPEG 5; a different post in the same site's layout only 10. The
layout dominates the hash, so the words decide whenever both were read."""
LOOSE_BITS = 40
"""With words that match, the pictures may differ this much (a new banner, a cookie
notice) and still be the same post; beyond it the page is something else."""
SAME_WORDS = 0.9
"""Word similarity (0–1) at or above which the read text is "the same"."""


@dataclass(frozen=True)
class Likeness:
    same: bool
    bits_apart: int | None  # None when a picture could not be decoded
    words: float | None  # None when either text was not read


def dhash(data: bytes) -> int | None:
    """The picture's 256-bit difference hash, or None if it cannot be decoded."""
    if media.preview_decision(data).show is False:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as opened:
                opened.draft("L", (HASH_SIDE * 8, HASH_SIDE * 8))
                grey = ImageOps.exif_transpose(opened).convert("L")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return dhash_image(grey)


def dhash_image(image: Image.Image) -> int:
    small = image.convert("L").resize((HASH_SIDE + 1, HASH_SIDE), Image.Resampling.LANCZOS)
    px = small.tobytes()
    width = HASH_SIDE + 1
    value = 0
    for row in range(HASH_SIDE):
        base = row * width
        for col in range(HASH_SIDE):
            value = (value << 1) | (px[base + col] > px[base + col + 1])
    return value


def bits_apart(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def _words(text: str) -> list[str]:
    return text.casefold().split()


def word_similarity(a: str, b: str) -> float:
    """How alike two texts are, word by word (1.0 the same words in the same order)."""
    left, right = _words(a), _words(b)
    if not left and not right:
        return 1.0
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()


def compare(hash_a: int | None, hash_b: int | None, text_a: str | None = None,
            text_b: str | None = None) -> Likeness:
    apart = bits_apart(hash_a, hash_b) if hash_a is not None and hash_b is not None else None
    words = (word_similarity(text_a, text_b)
             if text_a is not None and text_b is not None else None)
    if apart is None:
        same = words is not None and words >= SAME_WORDS and bool(_words(text_a or ""))
    else:
        same = (apart <= SAME_BITS if words is None
                else apart <= LOOSE_BITS and words >= SAME_WORDS)
    return Likeness(same, apart, words)


def compare_pictures(a: bytes, b: bytes, text_a: str | None = None,
                     text_b: str | None = None) -> Likeness:
    return compare(dhash(a), dhash(b), text_a, text_b)


DERIVED_FROM = "derived_from"  # a redacted copy's link to its original (export.redact)


def _linked(a: Item, b: Item) -> bool:
    """One is a redacted copy of the other: of course they look alike."""
    for x, y in ((a, b), (b, a)):
        link = x.details.get(DERIVED_FROM) if isinstance(x.details, dict) else None
        if isinstance(link, dict) and link.get("item") == y.id:
            return True
    return False


Hashes = dict[str, int | None]
"""Hashes already worked out, by the picture's SHA-256 (content never changes)."""


def picture_hash(vault: Vault, item: Item, cache: Hashes | None = None) -> int | None:
    """The item's hash, from its stored thumbnail where there is one (cheap to decode)."""
    if cache is not None and item.sha256 in cache:
        return cache[item.sha256]
    thumb = vault.thumbnail(item.sha256)
    found = dhash(thumb) if thumb else None
    if found is None:
        found = dhash(vault.read_blob(item.sha256))
    if cache is not None:
        cache[item.sha256] = found
    return found


@dataclass(frozen=True)
class LookAlike:
    item: Item
    likeness: Likeness


def look_alikes(vault: Vault, item: Item, others: Iterable[Item],
                text: str | None = None, cache: Hashes | None = None) -> list[LookAlike]:
    """Of ``others``, the pictures that look the same as ``item``, closest first.

    About 2 ms a picture the first time (its thumbnail decoded); give a ``cache`` that
    lives as long as the vault is open, and later comparisons cost next to nothing."""
    mine = picture_hash(vault, item, cache)
    if mine is None:
        return []
    found = []
    for other in others:
        if (other.id == item.id or other.withdrawn or not other.media_type.startswith("image/")
                or other.sha256 == item.sha256 or _linked(item, other)):
            continue
        theirs = picture_hash(vault, other, cache)
        if theirs is None or bits_apart(mine, theirs) > LOOSE_BITS:
            continue
        read = vault.read_text(other.id) if text is not None else None
        likeness = compare(mine, theirs, text, read.text if read is not None else None)
        if likeness.same:
            found.append(LookAlike(other, likeness))
    found.sort(key=lambda x: (-(x.likeness.words or 0.0), x.likeness.bits_apart or 0))
    return found
