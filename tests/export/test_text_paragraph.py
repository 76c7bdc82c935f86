"""A paragraph of mixed scripts is segmented, tokenised and cut into stretches by
shortcuts (ASCII stretches taken whole, regular expressions, grouping): each must give
exactly what the plain character-by-character definition gives, for paragraphs like a
police statement's (a description in any script among marks, times and hashes)."""

from __future__ import annotations

import hypothesis.strategies as st
from hypothesis import example, given, settings

from evidence_kit.export import text as text_module
from evidence_kit.export.fonts import fonts
from evidence_kit.export.scripts import clusters, is_cjk
from evidence_kit.export.text import Paragraph, Piece, to_pieces

_PARTS = st.lists(st.sampled_from([
    "I produce exhibit JS/12, which shows ", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4",
    "Tue 14 Jul 2026 18:06:00 BST (UTC+01:00)", "https://social.example/p?x=1&y=2",
    "abc", "a", "x", " ", "  ", ".", "(", ")", "1", "#", "تهديد", "یہ", "(یہ)", "שלום",
    "Угрозы", "在评论中", "脅迫", "。", "😡", "🔪", "👩🏽\u200d🏫", "🏳️\u200d🌈", "🇬🇧", "🇬",
    "e\u0301", "\u0301", "\u200d", "\u0600", "\u0600a", "क", "कि", "क्ष", "நி",
    "\u1100\u1161", "\u11a8", "#\ufe0f\u20e3", "\u00a0", "\u200b", " \u0301", "\u093f",
    "~", "\x7f"]),
    min_size=1, max_size=20).map("".join)


def _reference_starts(text: str) -> tuple[list[bool], list[bool]]:
    boundary = [False] * (len(text) + 1)
    cjk = [False] * len(text)
    position = 0
    for cluster in clusters(text):
        boundary[position] = True
        cjk[position] = is_cjk(cluster)
        position += len(cluster)
    boundary[position] = True
    return boundary, cjk


@settings(max_examples=500, deadline=None)
@given(_PARTS)
@example("a\u0301b")  # an accent joins the ASCII letter before it
@example("\u0600a b")  # a prepended mark joins the ASCII letter after it
@example("🇬🇧🇬 x🇬🇧")  # flags pair from the start of their run
def test_clusters_found_around_ascii_are_those_of_the_whole_text(text: str) -> None:
    assert text_module._cluster_starts(text) == _reference_starts(text)


def _reference_tokens(para: Paragraph) -> list[tuple[int, int]]:
    """Break opportunities as first defined: after spaces, around CJK and emoji."""
    out: list[tuple[int, int]] = []
    text, n, i = para.text, len(para.text), 0

    def next_boundary(k: int) -> int:
        k += 1
        while k < n and not para.boundary[k]:
            k += 1
        return k

    while i < n:
        j = next_boundary(i)
        if not para.cjk[i]:
            while j < n and text[j] != " " and not para.cjk[j]:
                j = next_boundary(j)
        while j < n and text[j] == " ":
            j += 1
        out.append((i, j))
        i = j
    return out


def _reference_stretch_starts(para: Paragraph) -> list[int]:
    mirrored = [c in text_module._MIRROR for c in para.text]
    alone = [m and level % 2 == 1 for m, level in zip(mirrored, para.levels, strict=True)]
    fonts_, levels, named, unit = para.fonts, para.levels, para.named, para.unit
    return [0] + [i for i in range(1, len(para.text))
                  if fonts_[i] != fonts_[i - 1] or levels[i] != levels[i - 1]
                  or named[i] != named[i - 1] or unit[i] != unit[i - 1]
                  or alone[i] or alone[i - 1]]


@settings(max_examples=400, deadline=None)
@given(_PARTS)
@example("abc (یہ) 在评论中 😡 x")
@example("a \u0301b")  # a space that starts a cluster
def test_a_mixed_paragraph_tokenises_and_cuts_as_defined(text: str) -> None:
    fontset = fonts()
    pieces = to_pieces(text, fontset.regular, fontset, text_module.Coverage())
    if not pieces:
        return
    para = Paragraph(pieces)
    if para._simple:
        return  # one-font ASCII: compared with the general path in test_text_ascii
    assert para.tokens() == _reference_tokens(para)
    assert para._starts == _reference_stretch_starts(para)
    assert para._ends == [*para._starts[1:], len(para.text)]
    # A cluster that starts an emoji picture breaks as CJK does and is at one level.
    boundary, cjk = _reference_starts(para.text)
    levels = text_module.embedding_levels(para.text, para.base)
    position = 0
    for cluster in clusters(para.text):
        end = position + len(cluster)
        if para.unit[position]:
            cjk[position] = True
            levels[position:end] = [levels[position]] * len(cluster)
        position = end
    assert (para.boundary, para.cjk, para.levels) == (boundary, cjk, levels)


def _reference_merge(pieces: list[Piece]) -> list[Piece]:
    out: list[Piece] = []
    for piece in pieces:
        if (out and out[-1].font == piece.font and out[-1].named == piece.named
                and not piece.emoji and not out[-1].emoji):
            out[-1] = Piece(out[-1].text + piece.text, piece.font, piece.named)
        else:
            out.append(piece)
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.builds(Piece, st.sampled_from(["a", "b c", " ", "یہ", "😡"]),
                          st.sampled_from(["F1", "F2"]), st.booleans(), st.booleans()),
                max_size=12))
def test_pieces_merge_as_neighbours_one_by_one_would(pieces: list[Piece]) -> None:
    assert text_module._merge(pieces) == _reference_merge(pieces)
