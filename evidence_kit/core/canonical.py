"""The one byte encoding that is hashed: RFC 8785 (JSON Canonicalization Scheme).

Records are restricted further than JCS allows, so that every implementation agrees on
them: no floats, integers only within ±(2**53 - 1) (larger ones go in as strings), text
must be valid Unicode (no lone surrogates), and bytes are given as hex by the caller.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import rfc8785

MAX_SAFE_INTEGER = 2**53 - 1


class CanonicalError(ValueError):
    """A value that cannot go into a record. A programming error, never user input."""


def _check(value: Any, path: str) -> None:
    if value is None or isinstance(value, bool | str):
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise CanonicalError(f"{path}: text is not valid Unicode") from exc
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise CanonicalError(f"{path}: integer too large; store it as a string")
        return
    if isinstance(value, float):
        raise CanonicalError(f"{path}: floats are not allowed in records")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalError(f"{path}: keys must be text")
            _check(key, f"{path}.<key>")
            _check(item, f"{path}.{key}")
        return
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]")
        return
    raise CanonicalError(f"{path}: {type(value).__name__} cannot go into a record")


def encode(value: Any) -> bytes:
    """Canonical bytes of ``value``; raises :class:`CanonicalError` for what records forbid."""
    _check(value, "$")
    return rfc8785.dumps(value)


def decode(data: bytes) -> Any:
    """Parse canonical bytes, refusing anything that is not exactly canonical."""
    seen = _Seen()
    try:
        text = data.decode("utf-8")
        value = json.loads(text, parse_float=seen.on_float, parse_int=seen.on_int,
                           parse_constant=seen.on_constant)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CanonicalError(f"not JSON: {exc}") from exc
    if not _canonical(data, value, text, seen):
        raise CanonicalError("bytes are JSON but not in canonical form")
    return value


class _Seen:
    """What ``json.loads`` met that records forbid or that only RFC 8785's own encoder
    words exactly (it calls these only for numbers and constants, so they cost little)."""

    def __init__(self) -> None:
        self.unusual = False

    def on_float(self, literal: str) -> float:
        self.unusual = True
        return float(literal)

    def on_int(self, literal: str) -> int:
        if len(literal) > 15:  # 15 digits is always within ±(2**53 - 1); longer: check
            self.unusual = True
        return int(literal)

    def on_constant(self, literal: str) -> float:
        self.unusual = True
        return float(literal)


def _plainly_canonical(data: bytes, value: Any, text: str, seen: _Seen) -> bool:
    """Whether Python's own C encoder proves ``data`` canonical, which is most records.

    For values records allow (no floats, safe integers, valid text), RFC 8785 writes
    what ``json.dumps`` writes with sorted keys, no spaces and no ASCII escaping (the
    same escapes: b, f, n, r and t after a backslash, other controls as lowercase
    u00xx), except that it sorts keys by UTF-16 code units, which differs from code
    points only for characters from U+E000 up. Such characters in a value change
    nothing (a note's emoji); in a key, and for anything else, the full check decides
    (:func:`encode`)."""
    if seen.unusual or (not text.isascii() and max(text) >= "\ue000"
                        and _key_from_e000(value)):
        return False
    try:
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                           sort_keys=True, allow_nan=False).encode("utf-8")
    except (UnicodeEncodeError, ValueError):  # a lone surrogate: the full check refuses it
        return False
    return plain == data


def _key_from_e000(value: Any) -> bool:
    """Whether any key, at any depth, holds a character from U+E000 up."""
    if isinstance(value, dict):
        return any((not key.isascii() and max(key) >= "\ue000") or _key_from_e000(item)
                   for key, item in value.items())
    if isinstance(value, list):
        return any(_key_from_e000(item) for item in value)
    return False


_KNOWN_CANONICAL_SIZE = 4096
_known_canonical: dict[bytes, None] = {}


def _canonical(data: bytes, value: Any, text: str, seen: _Seen) -> bool:
    """Whether ``data`` is ``value``'s canonical encoding. Bytes once found canonical
    stay canonical, so they are remembered: a pack reads the same records several
    times (the journal check, each exhibit's history, the exports), and encoding them
    again to compare was most of the time of gathering a pack. A dictionary, not an
    LRU, so that threads reading the vault at once need no lock: at worst a record is
    encoded twice."""
    if data in _known_canonical:
        return True
    if not _plainly_canonical(data, value, text, seen) and encode(value) != data:
        return False
    if len(_known_canonical) >= _KNOWN_CANONICAL_SIZE:
        _known_canonical.clear()
    _known_canonical[data] = None
    return True
