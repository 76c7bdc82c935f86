"""Checking a bundle on the recipient's side: no vault, no Qt, nothing written to disk.

The ZIP is read in place. Before any member is read, every entry is screened: paths
that are absolute or climb out (``..``), links, duplicates, encrypted or unusually
compressed members, folders, too many entries, absurd sizes and compression ratios (zip
bombs), and any layout but one plain archive (see :mod:`evidence_kit.core.zipwalk`)
make it "not a bundle" (exit 2). Members are then hashed as they stream out
of the ZIP, one at a time, so memory stays small whatever the bundle holds.

What holds is reported in words, and so is the first thing that does not::

    signature  SHA256SUMS is signed by the bundle's Ed25519 key
    files      every file matches SHA256SUMS, and nothing unlisted was added
    key        the key is the one the journal's first record names (that record is
               required)
    checkpoint the signed checkpoint verifies with that key
    leaves     leaves.txt has the checkpoint's size and Merkle root
    records    each record is canonical, is the leaf at its place, links to the leaf
               before it, and has a valid inclusion proof against the checkpoint
    exhibits   each original (and redacted copy) has the SHA-256 its record gives
    timestamps each trusted timestamp, reported apart (:mod:`.stamps`)
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from evidence_kit import wording
from evidence_kit.core import merkle
from evidence_kit.core.checkpoint import CheckpointError, fingerprint, parse_and_verify
from evidence_kit.core.journal import GENESIS_PREV, EventType, Record, RecordError, parse_record
from evidence_kit.export import instructions as names
from evidence_kit.export.verify.exhibits import check_exhibits
from evidence_kit.export.verify.reading import (
    Altered,
    Refused,
    State,
    load_json,
    need,
    read,
    screen,
    stream,
)
from evidence_kit.export.verify.report import (
    ALTERED,
    INTACT,
    NOT_A_BUNDLE,
    BundleReport,
    EarlierPack,
    ExhibitStatus,
    Finding,
)
from evidence_kit.export.verify.stamps import check_stamps

MAX_BUNDLE_BYTES = 16 * 1024**3
_SUM_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)\Z")
_RECORD_NAME = re.compile(r"records/(\d{1,12})\.json\Z")
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")
_EXHIBIT_FOLDERS = ("originals/", "redacted/")


# ---- the checks ----------------------------------------------------------------------


def inspect(path: Path, tsa_roots: str | None = None) -> tuple[BundleReport, State]:
    """Check a bundle on its own; never raises for a bad or hostile file, it reports it.

    The state carries what later comparisons need (key, leaves, records, manifest)."""
    state = State(tsa_roots=tsa_roots)
    return _verify(Path(path), state), state


def _verify(path: Path, state: State) -> BundleReport:
    shown = str(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            return _report(shown, NOT_A_BUNDLE, state, "It is not a file.")
        if size > MAX_BUNDLE_BYTES:
            return _report(shown, NOT_A_BUNDLE, state, "It is far larger than any bundle.")
        with zipfile.ZipFile(path) as archive:
            members = screen(archive)
            return _check(shown, archive, members, state)
    except FileNotFoundError:
        return _report(shown, NOT_A_BUNDLE, state, "There is no such file.")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        return _report(shown, NOT_A_BUNDLE, state, f"It is not a readable ZIP file ({exc}).")
    except Refused as exc:
        return _report(shown, NOT_A_BUNDLE, state, f"It was refused because {exc}; nothing "
                       "was extracted.")
    except OSError as exc:
        return _report(shown, NOT_A_BUNDLE, state,
                       f"It could not be read: {exc.strerror or exc}.")


def _report(shown: str, status: str, state: State, message: str,
            **extra: Any) -> BundleReport:
    check = "bundle" if status == NOT_A_BUNDLE else extra.pop("check", "bundle")
    findings = [*state.findings, Finding(check, False, message)]
    return BundleReport(shown, status, tuple(findings), **extra)


def _check(shown: str, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
           state: State) -> BundleReport:
    if names.SUMS not in members and names.MANIFEST not in members:
        return _report(shown, NOT_A_BUNDLE, state, "It has neither SHA256SUMS nor "
                       "manifest.json, so it is not an Evidence Kit bundle.")
    context: dict[str, Any] = {}
    exhibits: list[ExhibitStatus] = []
    try:
        # The signature first: if SHA256SUMS itself was changed, that is the finding,
        # not the file it now seems to be missing.
        key = _check_signature(archive, members, state)
        _check_sums(archive, members, state)
        context["key_fingerprint"] = fingerprint(key)
        manifest = load_json(archive, members, names.MANIFEST)
        context["pack"] = str(manifest.get("pack")) if isinstance(manifest, dict) else None
        context["earlier_packs"] = _earlier_packs(manifest)
        state.key, state.manifest = key, manifest
        root, tree_size, leaves = _check_journal(archive, members, state, key, manifest)
        context.update(tree_size=tree_size, root=root.hex())
        state.leaves, state.root = leaves, root
        state.records = _check_records(archive, members, state, leaves, root, key, manifest)
        context["timestamps"] = check_stamps(archive, members, manifest, key, leaves,
                                             state.tsa_roots)
        exhibits = check_exhibits(manifest, {seq: r.payload for seq, r in state.records.items()},
                                  state, lambda name: b"".join(stream(archive,
                                                                      need(members, name))))
    except Altered as exc:
        return _report(shown, ALTERED, state, str(exc), check=exc.check,
                       exhibits=tuple(exhibits), **context)
    failed = [e for e in exhibits if not e.ok]
    if any(not f.ok for f in state.findings):  # exhibit files changed: each one is named
        return BundleReport(shown, ALTERED, tuple(state.findings), tuple(exhibits), **context)
    if failed:
        return _report(shown, ALTERED, state, f"{failed[0].mark}: {failed[0].message}",
                       check="exhibits", exhibits=tuple(exhibits), **context)
    return BundleReport(shown, INTACT, tuple(state.findings), tuple(exhibits), **context)


def _earlier_packs(manifest: Any) -> tuple[EarlierPack, ...]:
    listed = manifest.get("earlier_packs") if isinstance(manifest, dict) else None
    out = []
    for entry in listed if isinstance(listed, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("tree_size"), int):
            out.append(EarlierPack(str(entry.get("pack")), str(entry.get("made_at")),
                                   str(entry.get("for")), entry["tree_size"],
                                   str(entry.get("root"))))
    return tuple(out)


def _check_sums(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
                state: State) -> None:
    sums = read(archive, need(members, names.SUMS))
    try:
        lines = sums.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise Altered("files", "SHA256SUMS is not text") from None
    listed: dict[str, str] = {}
    changed: list[str] = []
    for number, line in enumerate(lines, start=1):
        match = _SUM_LINE.match(line)
        if not match:
            raise Altered("files", f"line {number} of SHA256SUMS is not a hash and a name")
        listed[match.group(2)] = match.group(1)
    for name, expected in listed.items():
        info = members.get(name)
        if info is None:
            raise Altered("files", f"{name} is listed in SHA256SUMS but missing from the "
                           "bundle")
        digest = hashlib.sha256()
        for chunk in stream(archive, info):
            digest.update(chunk)
        actual = digest.hexdigest()
        state.hashes[name] = actual
        if actual != expected:
            problem = (f"{name} does not match SHA256SUMS: its content was changed after the "
                       "bundle was made")
            if not name.startswith(_EXHIBIT_FOLDERS):
                raise Altered("files", problem)
            # An exhibit's file: say so, and go on, so every exhibit gets its own verdict.
            changed.append(name)
            state.findings.append(Finding("files", False, problem))
    extra = [n for n, i in members.items() if not i.is_dir() and n not in listed
             and n not in (names.SUMS, names.SIGNATURE)]
    if extra:
        raise Altered("files", f"{extra[0]} is in the bundle but not in SHA256SUMS: it was "
                       "added after the bundle was made")
    state.hashes[names.SUMS] = hashlib.sha256(sums).hexdigest()
    if not changed:
        matched = ("the one file matches" if len(listed) == 1
                   else f"all {wording.plural(len(listed), 'file')} match")
        state.ok("files", f"{matched} SHA256SUMS, and nothing was added")


def _check_signature(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
                     state: State) -> bytes:
    pem = read(archive, need(members, names.PUBKEY_PEM))
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise Altered("signature", "pubkey.pem is not a public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise Altered("signature", "pubkey.pem is not an Ed25519 key")
    raw = key.public_bytes_raw()
    if names.PUBKEY_RAW in members and read(archive, members[names.PUBKEY_RAW]) != raw:
        raise Altered("signature", "pubkey.raw and pubkey.pem are different keys")
    sums = read(archive, need(members, names.SUMS))
    signature = read(archive, need(members, names.SIGNATURE))
    try:
        key.verify(signature, sums)
    except InvalidSignature:
        raise Altered("signature", "the signature on SHA256SUMS does not verify: the list "
                       "of files or the signature was changed") from None
    state.ok("signature", f"SHA256SUMS is signed by the key with fingerprint "
             f"{fingerprint(raw)}")
    return raw


def _check_journal(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
                   state: State, key: bytes, manifest: Any
                   ) -> tuple[bytes, int, list[bytes]]:
    note = read(archive, need(members, names.CHECKPOINT))
    try:
        checkpoint = parse_and_verify(note.decode("utf-8"), key)
    except (CheckpointError, UnicodeDecodeError) as exc:
        raise Altered("checkpoint", f"the checkpoint does not verify: {exc}") from None
    log = manifest.get("log") if isinstance(manifest, dict) else None
    if checkpoint.origin != f"evidence-kit/{log}":
        raise Altered("checkpoint", "the checkpoint belongs to a different journal than the "
                       "manifest names")
    state.ok("checkpoint", f"signed checkpoint of {checkpoint.tree_size} events, made "
             f"{checkpoint.time or 'at an unrecorded time'} (device time)")
    text = read(archive, need(members, names.LEAVES)).decode("ascii", errors="replace")
    lines = text.splitlines()
    if not all(_HEX64.match(line) for line in lines):
        raise Altered("leaves", "leaves.txt has a line that is not a leaf hash")
    leaves = [bytes.fromhex(line) for line in lines]
    if len(leaves) != checkpoint.tree_size:
        raise Altered("leaves", f"leaves.txt has {len(leaves)} leaves but the checkpoint "
                       f"signs {checkpoint.tree_size}")
    if merkle.root(leaves) != checkpoint.root:
        raise Altered("leaves", "the Merkle root of leaves.txt is not the signed root: an "
                       "event's hash was changed, removed or reordered")
    state.ok("leaves", f"{len(leaves)} leaf hashes give the signed Merkle root "
             f"{checkpoint.root.hex()[:16]}…")
    return checkpoint.root, checkpoint.tree_size, leaves


def _check_records(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
                   state: State, leaves: list[bytes], root: bytes, key: bytes,
                   manifest: Any) -> dict[int, Record]:
    proofs_doc = load_json(archive, members, names.PROOFS)
    proofs = proofs_doc.get("proofs", {}) if isinstance(proofs_doc, dict) else {}
    log = manifest.get("log") if isinstance(manifest, dict) else None
    records: dict[int, Record] = {}
    for name, info in sorted(members.items()):
        match = _RECORD_NAME.match(name)
        if not match:
            continue
        seq = int(match.group(1))
        data = read(archive, info)
        try:
            record = parse_record(data)
        except RecordError as exc:
            raise Altered("records", f"{name} is not a well-formed record ({exc})") from None
        if record.seq != seq or not 1 <= seq <= len(leaves):
            raise Altered("records", f"{name} holds event {record.seq}, not an event of the "
                           "signed journal at that place")
        if record.log != log:
            raise Altered("records", f"{name} belongs to another journal")
        if merkle.leaf_hash(data) != leaves[seq - 1]:
            raise Altered("records", f"event {seq}'s record was changed: its hash is not "
                           f"the leaf at place {seq} in leaves.txt")
        expected_prev = GENESIS_PREV if seq == 1 else leaves[seq - 2].hex()
        if record.prev != expected_prev:
            raise Altered("records", f"event {seq} does not follow the event before it")
        proof = proofs.get(str(seq)) if isinstance(proofs, dict) else None
        if not _proof_ok(proof, seq, len(leaves), leaves[seq - 1], root):
            raise Altered("records", f"event {seq}'s inclusion proof does not lead to the "
                           "signed root")
        if seq == 1 and (record.type != EventType.VAULT_CREATED
                         or record.payload.get("public_key") != key.hex()):
            raise Altered("key", "the bundle's key is not the key the journal was created "
                           "with")
        records[seq] = record
    if not records:
        raise Altered("records", "the bundle discloses no records")
    state.ok("records", f"{len(records)} disclosed records are in the signed journal "
             "(leaf, link to the event before, inclusion proof)")
    if 1 not in records:
        # Without it nothing ties the signing key to the journal: a replaced key with
        # re-signed checkpoints would pass.
        raise Altered("key", "the bundle lacks the journal's first record (the vault's "
                       "creation, which names its key), so the signing key cannot be tied "
                       "to the journal")
    state.ok("key", "the signing key is the one named in the journal's first record")
    return records


def _proof_ok(proof: Any, seq: int, size: int, leaf: bytes, root: bytes) -> bool:
    if not isinstance(proof, list) or len(proof) > 64:
        return False
    try:
        nodes = [bytes.fromhex(p) for p in proof if isinstance(p, str)]
    except ValueError:
        return False
    return len(nodes) == len(proof) and merkle.verify_inclusion(seq - 1, size, leaf, nodes,
                                                               root)


