"""RFC 6962 / RFC 9162 Merkle tree over journal leaf hashes, with proofs.

The inputs are leaf hashes (``SHA-256(0x00 ‖ record)``), already computed by the
journal; interior nodes are ``SHA-256(0x01 ‖ left ‖ right)``. The proofs and their
verifiers follow RFC 9162 §2.1.3–2.1.4, so a recipient holding an old checkpoint can
check that a newer one only appended.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_BYTES = hashlib.sha256().digest_size

EMPTY_ROOT = hashlib.sha256(b"").digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def leaf_hash(record: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + record).digest()


def _split(n: int) -> int:
    """The largest power of two strictly less than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: Sequence[bytes]) -> bytes:
    """Merkle tree hash of ``leaves`` in O(n) time and O(log n) memory."""
    if not leaves:
        return EMPTY_ROOT
    # Fold complete subtrees on a stack, as a binary counter; the result equals the
    # recursive definition because RFC 6962 splits at the largest power of two.
    stack: list[tuple[int, bytes]] = []
    for leaf in leaves:
        size, node = 1, leaf
        while stack and stack[-1][0] == size:
            left_size, left = stack.pop()
            node = node_hash(left, node)
            size += left_size
        stack.append((size, node))
    return _fold(stack)


def _fold(stack: list[tuple[int, bytes]]) -> bytes:
    _, node = stack[-1]
    for _, left in reversed(stack[:-1]):
        node = node_hash(left, node)
    return node


def roots_at(leaves: Sequence[bytes], sizes: Sequence[int]) -> dict[int, bytes]:
    """Roots of several prefixes of ``leaves`` in one pass (for checking many checkpoints)."""
    wanted = sorted(set(sizes))
    out: dict[int, bytes] = {}
    if 0 in wanted:
        out[0] = EMPTY_ROOT
    pending = [s for s in wanted if s > 0]
    stack: list[tuple[int, bytes]] = []
    for position, leaf in enumerate(leaves, start=1):
        if not pending:
            break
        size, node = 1, leaf
        while stack and stack[-1][0] == size:
            left_size, left = stack.pop()
            node = node_hash(left, node)
            size += left_size
        stack.append((size, node))
        if position == pending[0]:
            out[position] = _fold(stack)
            pending.pop(0)
    return out


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The audit path for leaf ``index`` in the tree over ``leaves`` (RFC 6962 PATH)."""
    if not 0 <= index < len(leaves):
        raise IndexError("leaf index outside the tree")

    def path(m: int, items: Sequence[bytes]) -> list[bytes]:
        n = len(items)
        if n == 1:
            return []
        k = _split(n)
        if m < k:
            return [*path(m, items[:k]), root(items[k:])]
        return [*path(m - k, items[k:]), root(items[:k])]

    return path(index, leaves)


def _all_digests(*nodes: bytes) -> bool:
    return all(isinstance(node, bytes) and len(node) == HASH_BYTES for node in nodes)


def verify_inclusion(
    index: int, tree_size: int, leaf: bytes, proof: Sequence[bytes], expected_root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2."""
    if index >= tree_size or index < 0:
        return False
    # Every node is a SHA-256 digest; a shorter or longer one is not a proof, however
    # the arithmetic would come out.
    if not _all_digests(leaf, expected_root, *proof):
        return False
    fn, sn = index, tree_size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def consistency_proof(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """Proof that the first ``old_size`` leaves are a prefix of ``leaves`` (RFC 6962 PROOF)."""
    n = len(leaves)
    if not 0 < old_size <= n:
        raise ValueError("old size must be between 1 and the tree size")

    def subproof(m: int, items: Sequence[bytes], complete: bool) -> list[bytes]:
        count = len(items)
        if m == count:
            return [] if complete else [root(items)]
        k = _split(count)
        if m <= k:
            return [*subproof(m, items[:k], complete), root(items[k:])]
        return [*subproof(m - k, items[k:], False), root(items[:k])]

    return subproof(old_size, leaves, True)


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2."""
    if old_size < 1 or old_size > new_size:
        return False
    if not _all_digests(old_root, new_root, *proof):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False
    items = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is itself a node
        items.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = items[0]
    for c in items[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
