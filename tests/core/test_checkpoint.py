"""Checkpoint notes parsed as the C2SP signed-note and tlog-checkpoint specs say."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evidence_kit.core.checkpoint import (
    EM_DASH,
    Checkpoint,
    CheckpointError,
    key_id,
    parse_and_verify,
    public_key_bytes,
)

ORIGIN = "evidence-kit/0123456789abcdef"
ROOT = bytes(range(32))


def _signed(body: str, key: Ed25519PrivateKey, name: str = ORIGIN) -> str:
    """Sign ``body`` exactly as given, so malformed texts can carry valid signatures."""
    blob = key_id(name, public_key_bytes(key)) + key.sign(body.encode("utf-8"))
    return f"{body}\n{EM_DASH} {name} {base64.b64encode(blob).decode('ascii')}\n"


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def _body(size: str = "42", extra: str = "time 2026-03-14T09:26:53.000000Z\n") -> str:
    return f"{ORIGIN}\n{size}\n{base64.b64encode(ROOT).decode('ascii')}\n{extra}"


def test_a_signed_checkpoint_round_trips(key: Ed25519PrivateKey) -> None:
    note = Checkpoint(ORIGIN, 42, ROOT, "2026-03-14T09:26:53.000000Z").sign(key)
    parsed = parse_and_verify(note, public_key_bytes(key))
    assert (parsed.tree_size, parsed.root, parsed.time) == (42, ROOT,
                                                            "2026-03-14T09:26:53.000000Z")


@pytest.mark.parametrize("size", ["٤٢", "４２", "042", "+42", "-1", " 42", "4_2", ""])
def test_sizes_other_than_plain_ascii_decimal_are_refused(
        size: str, key: Ed25519PrivateKey) -> None:
    # Signed by the right key: only the parsing can refuse it.
    with pytest.raises(CheckpointError):
        parse_and_verify(_signed(_body(size), key), public_key_bytes(key))


def test_size_zero_is_allowed(key: Ed25519PrivateKey) -> None:
    assert parse_and_verify(_signed(_body("0"), key), public_key_bytes(key)).tree_size == 0


def test_two_time_lines_are_refused(key: Ed25519PrivateKey) -> None:
    body = _body(extra="time 2026-03-14T09:26:53Z\ntime 2020-01-01T00:00:00Z\n")
    with pytest.raises(CheckpointError, match="more than one time"):
        parse_and_verify(_signed(body, key), public_key_bytes(key))


def test_the_text_ends_at_the_last_blank_line(key: Ed25519PrivateKey) -> None:
    # A blank line inside the text: read at the first blank line, the "signatures" would
    # be the rest of the text; at the last, the text has an empty line and is refused.
    body = _body() + "\nsmuggled line\n"
    with pytest.raises(CheckpointError, match="empty line"):
        parse_and_verify(_signed(body, key), public_key_bytes(key))


def test_a_note_without_final_newline_is_refused(key: Ed25519PrivateKey) -> None:
    note = _signed(_body(), key)
    with pytest.raises(CheckpointError, match="newline"):
        parse_and_verify(note[:-1], public_key_bytes(key))


def test_another_keys_signature_is_ignored_but_not_enough(key: Ed25519PrivateKey) -> None:
    other = Ed25519PrivateKey.generate()
    note = _signed(_body(), other)
    with pytest.raises(CheckpointError, match="not signed by this vault's key"):
        parse_and_verify(note, public_key_bytes(key))
    both = note + _signed(_body(), key).split("\n\n", 1)[1]
    assert parse_and_verify(both, public_key_bytes(key)).tree_size == 42
