"""Paired brackets in right-to-left text (UAX #9 rule N0), checked on the shaped glyphs
as they are drawn, left to right."""

from __future__ import annotations

import unicodedata

import bidi
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_kit.export.brackets import bracket_pairs
from evidence_kit.export.styles import BODY
from evidence_kit.export.text import layout


def _drawn(text: str) -> str:
    """The characters of the glyphs of a one-line layout, left to right as drawn (brackets
    mirrored where they are drawn right to left), letters as plain letters."""
    (line,) = layout(text, BODY, 10_000)
    return unicodedata.normalize("NFKC", "".join(str(run.text) for run in line.runs))


@pytest.mark.parametrize(("text", "seen"), [
    ("قال (مرحبا) له", "هل (ابحرم) لاق"),
    ("עברית (שלום) כאן", "ןאכ (םולש) תירבע"),
    # Before N0 the closing bracket went right to left with the Hebrew after it and
    # was drawn as "(" after כאן: "abc (ןאכ (םולש".
    ("abc (שלום) כאן", "abc (םולש) ןאכ"),
    ("English (قال) end", "English (لاق) end"),
    ("שלום [abc (def) ghi] כאן", "ןאכ [abc (def) ghi] םולש"),
])
def test_brackets_face_each_other_round_their_words(text: str, seen: str) -> None:
    assert _drawn(text) == seen


def _visual(text: str) -> str:
    (line,) = layout(text, BODY, 10_000)
    return "".join(run.logical[::-1] if run.rtl else run.logical for run in line.runs)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["abc", "تهديد", "שלום", "42", " ", "(", ")", "[", "]",
                                 ", "]), min_size=1, max_size=10))
def test_order_matches_the_rust_implementation_which_has_n0(parts: list[str]) -> None:
    text = "".join(parts).strip()
    if text:
        assert _visual(text) in (bidi.get_display(text), bidi.get_display(text).strip(" "))


def test_pairs_are_found_as_bd16_says() -> None:
    chars = [{"ch": c, "type": "ON" if c in "()[]" else "L"} for c in "a(b[c)d]e)"]
    # "[" is left open by the ")" that closes "(": the pair inside is dropped.
    assert bracket_pairs(chars, 0, len(chars)) == [(1, 5)]
