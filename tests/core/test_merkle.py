"""The tree against RFC 6962's definitions, written again here in their recursive form."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence_kit.core import merkle


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def mth(entries: list[bytes]) -> bytes:
    """RFC 6962 §2.1 MTH over *entries* (not leaf hashes), straight from the text."""
    n = len(entries)
    if n == 0:
        return sha(b"")
    if n == 1:
        return sha(b"\x00" + entries[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return sha(b"\x01" + mth(entries[:k]) + mth(entries[k:]))


# The eight inputs used by the RFC 6962 reference tests (certificate-transparency).
CT_INPUTS = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
)]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def leaves_of(entries: list[bytes]) -> list[bytes]:
    return [merkle.leaf_hash(e) for e in entries]


def test_empty_tree_is_hash_of_nothing() -> None:
    assert merkle.root([]) == sha(b"")


@pytest.mark.parametrize("size", range(1, 9))
def test_reference_roots(size: int) -> None:
    entries = CT_INPUTS[:size]
    assert mth(entries).hex() == CT_ROOTS[size - 1]
    assert merkle.root(leaves_of(entries)).hex() == CT_ROOTS[size - 1]


@given(st.lists(st.binary(max_size=8), min_size=1, max_size=70))
def test_root_matches_recursive_definition(entries: list[bytes]) -> None:
    assert merkle.root(leaves_of(entries)) == mth(entries)


def test_roots_at_many_sizes_in_one_pass() -> None:
    entries = [bytes([i]) for i in range(40)]
    leaves = leaves_of(entries)
    sizes = [0, 1, 2, 3, 7, 8, 9, 31, 32, 33, 40]
    roots = merkle.roots_at(leaves, sizes)
    assert roots == {s: mth(entries[:s]) for s in sizes}


@given(st.integers(min_value=1, max_value=40), st.data())
def test_every_inclusion_proof_verifies_and_no_other_leaf_does(
    size: int, data: st.DataObject
) -> None:
    entries = [i.to_bytes(2, "big") for i in range(size)]
    leaves = leaves_of(entries)
    root = mth(entries)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = merkle.inclusion_proof(index, leaves)
    assert merkle.verify_inclusion(index, size, leaves[index], proof, root)
    wrong_leaf = merkle.leaf_hash(b"not in the tree")
    assert not merkle.verify_inclusion(index, size, wrong_leaf, proof, root)
    if size > 1:
        other = (index + 1) % size
        assert not merkle.verify_inclusion(other, size, leaves[index], proof, root)


def test_inclusion_proof_by_hand_for_leaf_two_of_seven() -> None:
    e = CT_INPUTS[:7]
    leaves = leaves_of(e)
    # RFC 6962 §2.1.3's worked example: PATH(d2, D7) = [d, c... ] i.e. the leaf hash of d3,
    # the subtree hash of d0..d1, and the subtree hash of d4..d6.
    expected = [leaves[3], mth(e[0:2]), mth(e[4:7])]
    assert merkle.inclusion_proof(2, leaves) == expected


@given(st.integers(min_value=1, max_value=40), st.data())
def test_consistency_proofs_verify_and_detect_rewrites(new_size: int, data: st.DataObject) -> None:
    entries = [b"e%d" % i for i in range(new_size)]
    leaves = leaves_of(entries)
    old_size = data.draw(st.integers(min_value=1, max_value=new_size))
    proof = merkle.consistency_proof(old_size, leaves)
    old_root, new_root = mth(entries[:old_size]), mth(entries)
    assert merkle.verify_consistency(old_size, new_size, old_root, new_root, proof)
    # A history where an old entry was changed is not consistent with the old root.
    rewritten = list(entries)
    rewritten[old_size - 1] = b"changed"
    forged_root = mth(rewritten)
    forged_proof = merkle.consistency_proof(old_size, leaves_of(rewritten))
    if old_size < new_size:
        assert not merkle.verify_consistency(old_size, new_size, old_root, forged_root,
                                             forged_proof)


def test_consistency_proof_by_hand_from_three_to_seven() -> None:
    e = CT_INPUTS[:7]
    leaves = leaves_of(e)
    # RFC 6962 §2.1.4.2: PROOF(3, D[7]) = [c, d, g, l]
    c, d = leaves[2], leaves[3]
    g = mth(e[0:2])
    l = mth(e[4:7])  # noqa: E741 - the RFC's own name
    assert merkle.consistency_proof(3, leaves) == [c, d, g, l]


def test_proofs_with_nodes_that_are_not_digests_are_refused() -> None:
    leaves = [merkle.leaf_hash(bytes([i])) for i in range(5)]
    root = merkle.root(leaves)
    proof = merkle.inclusion_proof(2, leaves)
    assert merkle.verify_inclusion(2, 5, leaves[2], proof, root)
    for bad in (proof[0][:31], proof[0] + b"\x00", b""):
        assert not merkle.verify_inclusion(2, 5, leaves[2], [bad, *proof[1:]], root)
    assert not merkle.verify_inclusion(2, 5, leaves[2][:16], proof, root)
    old_root = merkle.root(leaves[:3])
    consistency = merkle.consistency_proof(3, leaves)
    assert merkle.verify_consistency(3, 5, old_root, root, consistency)
    assert not merkle.verify_consistency(3, 5, old_root, root,
                                         [consistency[0][:20], *consistency[1:]])
