"""Plain ASCII takes a shorter path through text layout: it must lay out exactly as the
general path does (same pieces, same lines, same breaks)."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_kit.export import text as text_module
from evidence_kit.export.fonts import fonts
from evidence_kit.export.scripts import clusters
from evidence_kit.export.styles import BODY
from evidence_kit.export.text import Paragraph, layout, to_pieces

_ASCII = st.text(alphabet=string.printable, max_size=120) | st.lists(
    st.sampled_from(["https://social.example/post/42?x=1&y=2", "e3b0c44298fc1c149afbf4c8996fb9",
                     "Abusive", " ", "  ", "@account_1", "(JS/12)", "#", "*", "0", "--", "\t"]),
    max_size=14).map("".join)


def _general(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_module, "_has_ascii", lambda font: False)


@settings(max_examples=150, deadline=None)
@given(_ASCII, st.sampled_from([40.0, 90.0, 300.0]))
def test_ascii_lays_out_as_the_general_path_does(text: str, width: float) -> None:
    fast_pieces = to_pieces(text, fonts().regular, fonts())
    fast = layout(text, BODY, width)
    with pytest.MonkeyPatch.context() as patch:
        _general(patch)
        assert text_module._has_ascii(fonts().regular) is False
        assert to_pieces(text, fonts().regular, fonts()) == fast_pieces
        assert layout(text, BODY, width) == fast


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=string.printable.replace("\r", "").replace("\n", ""), max_size=80))
def test_ascii_breaks_only_between_clusters_as_before(text: str) -> None:
    para = Paragraph(to_pieces(text, fonts().regular, fonts()))
    expected = [False] * (len(para.text) + 1)
    position = 0
    for cluster in clusters(para.text):
        expected[position] = True
        position += len(cluster)
    expected[position] = True
    assert para.boundary == expected
    assert para.cjk == [False] * len(para.text)


def test_the_regular_font_takes_ascii_whole() -> None:
    # The short path is the one taken in practice (else it would only cost a check).
    assert text_module._has_ascii(fonts().regular)
    assert to_pieces("Exhibit JS/1 at https://x.example/?a=1", fonts().regular, fonts()) \
        == [text_module.Piece("Exhibit JS/1 at https://x.example/?a=1", fonts().regular.name)]


@settings(max_examples=200, deadline=None)
@given(_ASCII, st.sampled_from([20.0, 40.0, 90.0, 300.0]), st.integers(0, 60))
def test_one_font_ascii_breaks_and_measures_as_the_general_path_does(
        text: str, width: float, begin: int) -> None:
    """Tokens, widths and lines of a one-font ASCII paragraph come from a shorter path."""
    pieces = to_pieces(text, fonts().regular, fonts())
    if not pieces:
        return
    para = Paragraph(pieces)
    assert para._simple
    begin = min(begin, len(para.text))

    def everything() -> tuple[object, ...]:
        spans = para.lines(width, 9.5, begin)
        return (para.tokens(), spans, [para.visual_line(a, b, 9.5) for a, b in spans],
                para.width(0, len(para.text), 9.5), para.width(begin, begin, 9.5))

    fast = everything()
    para._simple = False
    assert everything() == fast


_WORDS = st.lists(st.sampled_from([
    "abc", "تهديد", "یہ", "(یہ)", "שלום", "Угрозы", "在评论中", "脅迫", "😡", "🔪",
    "👩🏽\u200d🏫", "🏳️\u200d🌈", "🇬🇧", "e\u0301", "\u0301", "\u200d", "\u0600", "क",
    "कि", "நி", "\u1100\u1161", "x", "1", "#", "#\ufe0f\u20e3", "\t", " ", "  ", "\u00a0",
    "\u200b", "\u202b", "Zażółć", "@account_1", "https://social.example/p?x=1"]),
    max_size=16).map("".join)


@settings(max_examples=300, deadline=None)
@given(_WORDS)
def test_pieces_made_word_by_word_are_those_made_cluster_by_cluster(text: str) -> None:
    """Words' pieces are kept per process and joined with their spaces; whatever the
    script (and where a space joins a cluster, which takes the other path), the result
    is the one matching the paragraph cluster by cluster gives."""
    fontset = fonts()
    found = text_module.Coverage()
    fast = to_pieces(text, fontset.regular, fontset, found)
    reference_named = text_module.Coverage()
    normal = unicodedata.normalize("NFC", text).replace("\t", "    ")
    reference = text_module._merge(text_module._spaces_join(text_module._cluster_pieces(
        normal, fontset.regular, fontset, reference_named)))
    if normal.isascii() and normal.isprintable():
        return  # the whole-ASCII path, compared with the general one above
    assert fast == reference
    assert found.named == reference_named.named
