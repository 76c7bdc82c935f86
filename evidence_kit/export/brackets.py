"""Rule N0 of the Unicode bidirectional algorithm: paired brackets take one direction.

python-bidi's reference implementation in Python (whose steps :mod:`.text` runs one by
one, because the Rust one in the same package gives no levels) predates N0, so each
bracket of a pair was resolved on its own by N1: in "abc (שלום) כאן" the opening bracket
went left to right and the closing one right to left, and the pair was drawn facing
the wrong way round the wrong words. This resolves pairs as UAX #9 (BD16, N0) says,
between the weak rules and N1, on the same per-character records python-bidi keeps.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_PAIRS = ("()[]{}⁅⁆⁽⁾₍₎⌈⌉⌊⌋〈〉❨❩❪❫❬❭❮❯❰❱❲❳❴❵⟅⟆⟦⟧⟨⟩⟪⟫⟬⟭⟮⟯⦃⦄⦅⦆⦇⦈⦉⦊⦑⦒⦓⦔⦕⦖⦗⦘"
          "⧘⧙⧚⧛⧼⧽⸢⸣⸤⸥⸦⸧⸨⸩〈〉《》「」『』【】〔〕〖〗〘〙〚〛﹙﹚﹛﹜﹝﹞（）［］｛｝｟｠｢｣")
OPENING = {_PAIRS[i]: _PAIRS[i + 1] for i in range(0, len(_PAIRS), 2)}
CLOSING = frozenset(OPENING.values())
CANONICAL = {"\u2329": "\u3008", "\u232a": "\u3009"}  # 〈〉 are canonically 〈〉
MAX_DEPTH = 63  # BD16: deeper nesting stops the pairing of the rest of the run


def _strong(kind: str) -> str:
    """The direction a resolved type counts as inside or before a pair (numbers as R)."""
    if kind == "L":
        return "L"
    return "R" if kind in ("R", "AL", "EN", "AN") else ""


def bracket_pairs(chars: list[dict[str, Any]], start: int, end: int) -> list[tuple[int, int]]:
    """BD16: the positions of paired brackets in ``chars[start:end]``, by opening one."""
    return sorted(pairs_among((index, chars[index]["ch"]) for index in range(start, end)
                              if chars[index]["type"] == "ON"))


def pairs_among(candidates: Iterable[tuple[int, str]]) -> list[tuple[int, int]]:
    """BD16 over neutral characters given with their positions, in order: the (opening,
    closing) positions of the pairs found, in the order they close."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for index, found in candidates:
        char = CANONICAL.get(found, found)
        if char in OPENING:
            if len(stack) == MAX_DEPTH:
                break
            stack.append((CANONICAL.get(OPENING[char], OPENING[char]), index))
        elif char in CLOSING:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == char:
                    pairs.append((stack[depth][1], index))
                    del stack[depth:]
                    break
    return pairs


def resolve_paired_brackets(storage: dict[str, Any]) -> None:
    """N0 on python-bidi's storage, after its weak rules (W1–W7) and before N1."""
    chars: list[dict[str, Any]] = storage["chars"]
    for run in storage["runs"]:
        start, end = run["start"], run["start"] + run["length"]
        if start >= end:
            continue
        embedding = "R" if chars[start]["level"] % 2 else "L"
        for opening, closing in bracket_pairs(chars, start, end):
            inside = {_strong(chars[k]["type"]) for k in range(opening + 1, closing)} - {""}
            if not inside:
                continue  # N0 d: no strong type inside; N1 and N2 decide
            if embedding in inside:
                direction = embedding  # N0 b
            else:  # N0 c: only the opposite direction inside; the context before decides
                before = run["sor"]
                for k in range(opening - 1, start - 1, -1):
                    found = _strong(chars[k]["type"])
                    if found:
                        before = found
                        break
                direction = before
            for position in (opening, closing):
                chars[position]["type"] = direction
                # A combining mark after a bracket takes the bracket's new type.
                after = position + 1
                while after < end and chars[after]["orig"] == "NSM":
                    chars[after]["type"] = direction
                    after += 1
