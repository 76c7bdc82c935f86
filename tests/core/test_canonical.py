from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence_kit.core import canonical

safe_ints = st.integers(min_value=-(2**53 - 1), max_value=2**53 - 1)
text = st.text()  # hypothesis text never has lone surrogates unless asked
json_values = st.recursive(
    st.none() | st.booleans() | safe_ints | text,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(text, children, max_size=5),
    max_leaves=25,
)


@given(json_values)
def test_round_trip_is_exact(value: object) -> None:
    data = canonical.encode(value)
    assert canonical.decode(data) == value
    assert canonical.encode(canonical.decode(data)) == data


@given(st.dictionaries(text, safe_ints, min_size=2, max_size=8))
def test_key_order_does_not_change_bytes(value: dict[str, int]) -> None:
    reordered = dict(reversed(list(value.items())))
    assert canonical.encode(reordered) == canonical.encode(value)


def test_fixed_vectors_worked_by_hand() -> None:
    # Keys sort by UTF-16 code units: "é" (U+00E9) before "😀" (D83D DE00) before "ｚ" (U+FF5A),
    # although by code point ｚ (FF5A) would come before 😀 (1F600).
    value = {"ｚ": 3, "😀": 2, "é": 1, "a": None, "b": [True, False], "n": "9007199254740993"}
    expected = (
        '{"a":null,"b":[true,false],"n":"9007199254740993","é":1,"😀":2,"ｚ":3}'
    ).encode()
    assert canonical.encode(value) == expected
    # No escaping of non-ASCII; control characters escaped the short way or as \u00XX.
    assert canonical.encode("Łódź\n\u0001") == '"Łódź\\n\\u0001"'.encode()
    assert canonical.encode(-0) == b"0"
    assert canonical.encode(2**53 - 1) == b"9007199254740991"


@pytest.mark.parametrize(
    "bad",
    [1.5, 2**53, -(2**53), b"bytes", {1: "int key"}, "\ud800 lone surrogate", {"x": [0.1]}],
)
def test_values_records_forbid_are_refused(bad: object) -> None:
    with pytest.raises(canonical.CanonicalError):
        canonical.encode(bad)


@pytest.mark.parametrize(
    "data",
    [b'{"b":1,"a":2}', b'{"a": 1}', b'{"a":1.0}', b"\xff", b'"\\u00e9"', b"not json"],
)
def test_decode_refuses_anything_not_canonical(data: bytes) -> None:
    with pytest.raises(canonical.CanonicalError):
        canonical.decode(data)


def test_decode_matches_json_semantics() -> None:
    data = canonical.encode({"note": "مرحبا 👋 Привет 你好"})
    assert json.loads(data) == canonical.decode(data)


def test_bytes_once_found_canonical_do_not_vouch_for_other_bytes() -> None:
    """Canonical records are remembered (a pack reads them several times); a record
    changed to a non-canonical form of the same value is still refused."""
    value = {"b": [1, 2], "a": "x"}
    data = canonical.encode(value)
    assert canonical.decode(data) == value
    assert canonical.decode(data) == value  # remembered, same answer
    for variant in (b'{"b":[1,2],"a":"x"}', b'{"a": "x","b":[1,2]}', data + b" "):
        with pytest.raises(canonical.CanonicalError):
            canonical.decode(variant)


def _plain_decision(data: bytes) -> bool:
    seen = canonical._Seen()
    text = data.decode("utf-8")
    value = json.loads(text, parse_float=seen.on_float, parse_int=seen.on_int,
                       parse_constant=seen.on_constant)
    return canonical._plainly_canonical(data, value, text, seen)


@given(json_values)
def test_the_quick_proof_never_passes_bytes_the_full_check_refuses(value: object) -> None:
    """Python's encoder may vouch for canonical bytes; every other way of writing the
    same value (spaces, unsorted keys, escapes) must still go to the full check."""
    data = canonical.encode(value)
    variants = [data,
                json.dumps(value, ensure_ascii=True, separators=(",", ":"),
                           sort_keys=True).encode(),
                json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8",
                                                                              "surrogatepass"),
                json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(
                    "utf-8", "surrogatepass")]
    for variant in variants:
        try:
            variant.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if _plain_decision(variant):
            assert variant == data


def test_the_quick_proof_leaves_the_hard_cases_to_the_full_check() -> None:
    # Keys past U+E000 (UTF-16 order), long integers and floats are never vouched for.
    for data in ('{"ｚ":3,"😀":2}'.encode(), b'{"n":9007199254740992}', b'{"n":1.0}',
                 b'{"n":12345678901234567}'):
        assert not _plain_decision(data)
    with pytest.raises(canonical.CanonicalError):
        canonical.decode(b'{"n":9007199254740992}')  # too large for a record
    assert canonical.decode(b'{"n":9007199254740991}') == {"n": 2**53 - 1}
    assert canonical.decode('{"é":1,"😀":2,"ｚ":3}'.encode()) == {"é": 1, "😀": 2, "ｚ": 3}


def test_the_quick_proof_vouches_for_emoji_in_values() -> None:
    """Key order is all that UTF-16 changes: a note's emoji or a private-use character
    in a value needs no full check (a pack re-reads every record), in a key it does."""
    for value in ({"note": "threat 😡🔪 👩🏽‍🏫", "n": [{"b": "ｚ"}, {"a": "\ue000"}]},
                  ["😀", {"x": {"y": "🇬🇧"}}]):
        assert _plain_decision(canonical.encode(value))
    for value in ({"a": {"😀": 1, "ｚ": 2}}, [{"k": [{"\ue000": None}]}]):
        assert not _plain_decision(canonical.encode(value))
        assert canonical.decode(canonical.encode(value)) == value
