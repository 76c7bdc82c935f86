"""Checkpoints handed to someone else, and the vault checked against one of them later.

A signed checkpoint fixes the journal at one size. Someone who holds a copy (SLT, a
union rep) can later have the vault checked against it: today's journal must extend it
(the held root is the root of the first events, and an RFC 6962 consistency proof
links it to today's), or something recorded before it was changed or removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evidence_kit.core import merkle
from evidence_kit.core.checkpoint import CheckpointError, origin_for, parse_and_verify
from evidence_kit.core.errors import BadInput, FileProblem
from evidence_kit.core.fsutil import atomic_write
from evidence_kit.core.model import CheckpointInfo
from evidence_kit.core.vault import Vault

MAX_NOTE_BYTES = 64 * 1024


@dataclass(frozen=True)
class HeldCheck:
    extends: bool
    held_size: int
    size: int
    made: str
    """When the held checkpoint was made (device time), as it says."""
    message: str


def write_checkpoint(vault: Vault, path: Path) -> CheckpointInfo:
    """Sign the journal as it is now and write the note to ``path``, atomically.

    It holds no evidence (sizes and a hash), so it is readable by others (0644)."""
    info = vault.checkpoint()
    atomic_write(Path(path), info.note.encode("utf-8"), mode=0o644)
    return info


def read_note(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_NOTE_BYTES + 1)
    except OSError as exc:
        raise FileProblem(f"{path} could not be read: {exc.strerror or exc}.") from exc
    if len(data) > MAX_NOTE_BYTES:
        raise BadInput(f"{path} is far larger than a checkpoint; give the checkpoint file.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(f"{path} is not a checkpoint (it is not text).") from None


def check_held(vault: Vault, note: str) -> HeldCheck:
    """Whether the vault's journal extends a checkpoint someone held; BadInput if the
    note is not a checkpoint signed by this vault's key."""
    try:
        held = parse_and_verify(note, vault.public_key)
    except CheckpointError as exc:
        raise BadInput(f"That is not a checkpoint of this vault: {exc}.") from exc
    if held.origin != origin_for(vault.vault_id):
        raise BadInput("That checkpoint belongs to another vault's journal.")
    leaves = vault.leaves()
    size, made = len(leaves), held.time or "at an unrecorded time"
    if held.tree_size > size:
        return HeldCheck(False, held.tree_size, size, made,
                         f"The checkpoint made {made} signed {held.tree_size} events, but the "
                         f"vault now holds only {size}: events recorded before it were removed.")
    prefix_ok = merkle.root(leaves[:held.tree_size]) == held.root if held.tree_size else True
    consistent = prefix_ok and (held.tree_size == 0 or merkle.verify_consistency(
        held.tree_size, size, held.root, merkle.root(leaves),
        merkle.consistency_proof(held.tree_size, leaves)))
    if not consistent:
        return HeldCheck(False, held.tree_size, size, made,
                         f"The vault does not extend the checkpoint made {made}: its first "
                         f"{held.tree_size} events are not the ones that checkpoint signed, so "
                         "something recorded before it was changed, removed or replaced.")
    return HeldCheck(True, held.tree_size, size, made,
                     f"The vault extends the checkpoint made {made}: nothing recorded in its "
                     f"{held.tree_size} events was removed or changed, and "
                     f"{size - held.tree_size} events were recorded since.")
