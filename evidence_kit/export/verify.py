"""Checking a bundle on the recipient's side: no vault, no Qt, nothing written to disk.

The ZIP is read in place. Before any member is read, every entry is screened: paths
that are absolute or climb out (``..``), links, duplicates, encrypted or unusually
compressed members, too many entries, absurd sizes and compression ratios (zip
bombs) make it "not a bundle" (exit 2). Members are then hashed as they stream out
of the ZIP, one at a time, so memory stays small whatever the bundle holds.

What holds is reported in words, and so is the first thing that does not::

    signature  SHA256SUMS is signed by the bundle's Ed25519 key
    files      every file matches SHA256SUMS, and nothing unlisted was added
    key        the key is the one the journal's first record names
    checkpoint the signed checkpoint verifies with that key
    leaves     leaves.txt has the checkpoint's size and Merkle root
    records    each record is canonical, is the leaf at its place, links to the leaf
               before it, and has a valid inclusion proof against the checkpoint
    exhibits   each original (and redacted copy) has the SHA-256 its record gives
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from evidence_kit.core import merkle, zipscreen
from evidence_kit.core.checkpoint import CheckpointError, fingerprint, parse_and_verify
from evidence_kit.core.journal import GENESIS_PREV, RecordError, parse_record
from evidence_kit.export import instructions as names

MAX_BUNDLE_BYTES = 16 * 1024**3
MAX_SMALL_FILE = 64 * 1024**2  # records, leaves, JSON: read whole, so kept modest
_SUM_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)\Z")
_RECORD_NAME = re.compile(r"records/(\d{1,12})\.json\Z")
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")

INTACT, ALTERED, NOT_A_BUNDLE = "intact", "altered", "not a bundle"
_EXHIBIT_FOLDERS = ("originals/", "redacted/")


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    message: str


@dataclass(frozen=True)
class ExhibitStatus:
    mark: str
    ok: bool
    message: str


@dataclass(frozen=True)
class BundleReport:
    path: str
    status: str  # INTACT, ALTERED or NOT_A_BUNDLE
    findings: tuple[Finding, ...]
    exhibits: tuple[ExhibitStatus, ...] = ()
    pack: str | None = None
    key_fingerprint: str | None = None
    tree_size: int | None = None
    root: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == INTACT

    @property
    def exit_code(self) -> int:
        return {INTACT: 0, ALTERED: 1}.get(self.status, 2)

    @property
    def first_problem(self) -> Finding | None:
        return next((f for f in self.findings if not f.ok), None)

    def to_json(self) -> dict[str, Any]:
        first = self.first_problem
        return {**asdict(self), "ok": self.ok,
                "first_problem": asdict(first) if first else None}

    def text(self) -> str:
        label = {INTACT: "INTACT", ALTERED: "ALTERED", NOT_A_BUNDLE: "NOT A BUNDLE"}
        lines = [f"{self.path}: {label[self.status]}"]
        first = self.first_problem
        if first is not None:
            lines.append(f"First problem ({first.check}): {first.message}")
        if self.pack:
            lines.append(f"Pack {self.pack}; key fingerprint {self.key_fingerprint}")
        for finding in self.findings:
            lines.append(f"  [{'ok' if finding.ok else 'FAILED'}] {finding.check}: "
                         f"{finding.message}")
        if self.exhibits:
            lines.append("Exhibits:")
            for exhibit in self.exhibits:
                lines.append(f"  [{'ok' if exhibit.ok else 'FAILED'}] {exhibit.mark}: "
                             f"{exhibit.message}")
        if self.status == INTACT:
            lines.append("Compare the key fingerprint with one you obtained separately: the "
                         "signature shows who signed, not who they are.")
        return "\n".join(lines)


class _Refused(Exception):
    """The ZIP is not a bundle we will read."""


class _Altered(Exception):
    def __init__(self, check: str, message: str) -> None:
        super().__init__(message)
        self.check = check


@dataclass
class _State:
    findings: list[Finding] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)  # member -> actual sha256

    def ok(self, check: str, message: str) -> None:
        self.findings.append(Finding(check, True, message))


# ---- screening the ZIP ---------------------------------------------------------------


def _screen(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    try:
        return zipscreen.screen(archive, zipscreen.STRICT).readable()
    except zipscreen.ZipRefused as exc:
        raise _Refused(str(exc)) from exc


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    read = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(1 << 20):
                read += len(chunk)
                if read > info.file_size:  # zipfile stops at the size, but be sure
                    raise _Altered("files", f"{info.filename} is longer than the ZIP says")
                yield chunk
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError) as exc:
        raise _Altered("files", f"{info.filename} is damaged inside the ZIP ({exc})") from exc


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_SMALL_FILE:
        raise _Refused(f"{info.filename} is far larger than that kind of file ever is")
    return b"".join(_stream(archive, info))


# ---- the checks ----------------------------------------------------------------------


def verify_bundle(path: Path) -> BundleReport:
    """Check a bundle; never raises for a bad or hostile file, it reports it."""
    path = Path(path)
    shown = str(path)
    state = _State()
    try:
        size = path.stat().st_size
        if not path.is_file():
            return _report(shown, NOT_A_BUNDLE, state, "It is not a file.")
        if size > MAX_BUNDLE_BYTES:
            return _report(shown, NOT_A_BUNDLE, state, "It is far larger than any bundle.")
        with zipfile.ZipFile(path) as archive:
            members = _screen(archive)
            return _check(shown, archive, members, state)
    except FileNotFoundError:
        return _report(shown, NOT_A_BUNDLE, state, "There is no such file.")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        return _report(shown, NOT_A_BUNDLE, state, f"It is not a readable ZIP file ({exc}).")
    except _Refused as exc:
        return _report(shown, NOT_A_BUNDLE, state, f"It was refused because {exc}; nothing "
                       "was extracted.")
    except OSError as exc:
        return _report(shown, NOT_A_BUNDLE, state,
                       f"It could not be read: {exc.strerror or exc}.")


def _report(shown: str, status: str, state: _State, message: str,
            **extra: Any) -> BundleReport:
    check = "bundle" if status == NOT_A_BUNDLE else extra.pop("check", "bundle")
    findings = [*state.findings, Finding(check, False, message)]
    return BundleReport(shown, status, tuple(findings), **extra)


def _check(shown: str, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
           state: _State) -> BundleReport:
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
        manifest = _load_json(archive, members, names.MANIFEST)
        context["pack"] = str(manifest.get("pack")) if isinstance(manifest, dict) else None
        root, tree_size, leaves = _check_journal(archive, members, state, key, manifest)
        context.update(tree_size=tree_size, root=root.hex())
        records = _check_records(archive, members, state, leaves, root, key, manifest)
        exhibits = _check_exhibits(manifest, records, state)
    except _Altered as exc:
        return _report(shown, ALTERED, state, str(exc), check=exc.check,
                       exhibits=tuple(exhibits), **context)
    failed = [e for e in exhibits if not e.ok]
    if any(not f.ok for f in state.findings):  # exhibit files changed: each one is named
        return BundleReport(shown, ALTERED, tuple(state.findings), tuple(exhibits), **context)
    if failed:
        return _report(shown, ALTERED, state, f"{failed[0].mark}: {failed[0].message}",
                       check="exhibits", exhibits=tuple(exhibits), **context)
    return BundleReport(shown, INTACT, tuple(state.findings), tuple(exhibits), **context)


def _need(members: dict[str, zipfile.ZipInfo], name: str) -> zipfile.ZipInfo:
    info = members.get(name)
    if info is None:
        raise _Altered("files", f"{name} is missing from the bundle")
    return info


def _check_sums(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
                state: _State) -> None:
    sums = _read(archive, _need(members, names.SUMS))
    try:
        lines = sums.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise _Altered("files", "SHA256SUMS is not text") from None
    listed: dict[str, str] = {}
    changed: list[str] = []
    for number, line in enumerate(lines, start=1):
        match = _SUM_LINE.match(line)
        if not match:
            raise _Altered("files", f"line {number} of SHA256SUMS is not a hash and a name")
        listed[match.group(2)] = match.group(1)
    for name, expected in listed.items():
        info = members.get(name)
        if info is None:
            raise _Altered("files", f"{name} is listed in SHA256SUMS but missing from the "
                           "bundle")
        digest = hashlib.sha256()
        for chunk in _stream(archive, info):
            digest.update(chunk)
        actual = digest.hexdigest()
        state.hashes[name] = actual
        if actual != expected:
            problem = (f"{name} does not match SHA256SUMS: its content was changed after the "
                       "bundle was made")
            if not name.startswith(_EXHIBIT_FOLDERS):
                raise _Altered("files", problem)
            # An exhibit's file: say so, and go on, so every exhibit gets its own verdict.
            changed.append(name)
            state.findings.append(Finding("files", False, problem))
    extra = [n for n, i in members.items() if not i.is_dir() and n not in listed
             and n not in (names.SUMS, names.SIGNATURE)]
    if extra:
        raise _Altered("files", f"{extra[0]} is in the bundle but not in SHA256SUMS: it was "
                       "added after the bundle was made")
    state.hashes[names.SUMS] = hashlib.sha256(sums).hexdigest()
    if not changed:
        state.ok("files", f"all {len(listed)} files match SHA256SUMS, and nothing was added")


def _check_signature(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
                     state: _State) -> bytes:
    pem = _read(archive, _need(members, names.PUBKEY_PEM))
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise _Altered("signature", "pubkey.pem is not a public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise _Altered("signature", "pubkey.pem is not an Ed25519 key")
    raw = key.public_bytes_raw()
    if names.PUBKEY_RAW in members and _read(archive, members[names.PUBKEY_RAW]) != raw:
        raise _Altered("signature", "pubkey.raw and pubkey.pem are different keys")
    sums = _read(archive, _need(members, names.SUMS))
    signature = _read(archive, _need(members, names.SIGNATURE))
    try:
        key.verify(signature, sums)
    except InvalidSignature:
        raise _Altered("signature", "the signature on SHA256SUMS does not verify: the list "
                       "of files or the signature was changed") from None
    state.ok("signature", f"SHA256SUMS is signed by the key with fingerprint "
             f"{fingerprint(raw)}")
    return raw


def _load_json(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
               name: str) -> Any:
    data = _read(archive, _need(members, name))
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _Altered("files", f"{name} is not valid JSON") from None


def _check_journal(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
                   state: _State, key: bytes, manifest: Any
                   ) -> tuple[bytes, int, list[bytes]]:
    note = _read(archive, _need(members, names.CHECKPOINT))
    try:
        checkpoint = parse_and_verify(note.decode("utf-8"), key)
    except (CheckpointError, UnicodeDecodeError) as exc:
        raise _Altered("checkpoint", f"the checkpoint does not verify: {exc}") from None
    log = manifest.get("log") if isinstance(manifest, dict) else None
    if checkpoint.origin != f"evidence-kit/{log}":
        raise _Altered("checkpoint", "the checkpoint belongs to a different journal than the "
                       "manifest names")
    state.ok("checkpoint", f"signed checkpoint of {checkpoint.tree_size} events, made "
             f"{checkpoint.time or 'at an unrecorded time'} (device time)")
    text = _read(archive, _need(members, names.LEAVES)).decode("ascii", errors="replace")
    lines = text.splitlines()
    if not all(_HEX64.match(line) for line in lines):
        raise _Altered("leaves", "leaves.txt has a line that is not a leaf hash")
    leaves = [bytes.fromhex(line) for line in lines]
    if len(leaves) != checkpoint.tree_size:
        raise _Altered("leaves", f"leaves.txt has {len(leaves)} leaves but the checkpoint "
                       f"signs {checkpoint.tree_size}")
    if merkle.root(leaves) != checkpoint.root:
        raise _Altered("leaves", "the Merkle root of leaves.txt is not the signed root: an "
                       "event's hash was changed, removed or reordered")
    state.ok("leaves", f"{len(leaves)} leaf hashes give the signed Merkle root "
             f"{checkpoint.root.hex()[:16]}…")
    return checkpoint.root, checkpoint.tree_size, leaves


def _check_records(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
                   state: _State, leaves: list[bytes], root: bytes, key: bytes,
                   manifest: Any) -> dict[int, dict[str, Any]]:
    proofs_doc = _load_json(archive, members, names.PROOFS)
    proofs = proofs_doc.get("proofs", {}) if isinstance(proofs_doc, dict) else {}
    log = manifest.get("log") if isinstance(manifest, dict) else None
    records: dict[int, dict[str, Any]] = {}
    for name, info in sorted(members.items()):
        match = _RECORD_NAME.match(name)
        if not match:
            continue
        seq = int(match.group(1))
        data = _read(archive, info)
        try:
            record = parse_record(data)
        except RecordError as exc:
            raise _Altered("records", f"{name} is not a well-formed record ({exc})") from None
        if record.seq != seq or not 1 <= seq <= len(leaves):
            raise _Altered("records", f"{name} holds event {record.seq}, not an event of the "
                           "signed journal at that place")
        if record.log != log:
            raise _Altered("records", f"{name} belongs to another journal")
        if merkle.leaf_hash(data) != leaves[seq - 1]:
            raise _Altered("records", f"event {seq}'s record was changed: its hash is not "
                           f"the leaf at place {seq} in leaves.txt")
        expected_prev = GENESIS_PREV if seq == 1 else leaves[seq - 2].hex()
        if record.prev != expected_prev:
            raise _Altered("records", f"event {seq} does not follow the event before it")
        proof = proofs.get(str(seq)) if isinstance(proofs, dict) else None
        if not _proof_ok(proof, seq, len(leaves), leaves[seq - 1], root):
            raise _Altered("records", f"event {seq}'s inclusion proof does not lead to the "
                           "signed root")
        if seq == 1 and record.payload.get("public_key") != key.hex():
            raise _Altered("key", "the bundle's key is not the key the journal was created "
                           "with")
        records[seq] = record.payload
    if not records:
        raise _Altered("records", "the bundle discloses no records")
    state.ok("records", f"{len(records)} disclosed records are in the signed journal "
             "(leaf, link to the event before, inclusion proof)")
    if 1 in records:
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


def _check_exhibits(manifest: Any, records: dict[int, dict[str, Any]], state: _State
                    ) -> list[ExhibitStatus]:
    if not isinstance(manifest, dict) or not isinstance(manifest.get("exhibits"), list):
        raise _Altered("exhibits", "manifest.json does not list the exhibits")
    out = []
    for entry in manifest["exhibits"]:
        if not isinstance(entry, dict):
            raise _Altered("exhibits", "manifest.json has an exhibit that is not an object")
        out.append(_exhibit(entry, records, state))
    if all(e.ok for e in out):
        state.ok("exhibits", f"all {len(out)} exhibits have the SHA-256 their records give")
    return out


def _recorded_file(records: dict[int, dict[str, Any]], event: Any) -> dict[str, Any] | None:
    payload = records.get(event) if isinstance(event, int) else None
    file = payload.get("file") if isinstance(payload, dict) else None
    return file if isinstance(file, dict) else None


def _exhibit(entry: dict[str, Any], records: dict[int, dict[str, Any]], state: _State
             ) -> ExhibitStatus:
    mark = str(entry.get("mark"))
    recorded = _recorded_file(records, entry.get("event"))
    if recorded is None:
        return ExhibitStatus(mark, False, f"its record (event {entry.get('event')}) is not in "
                             "the bundle")
    original_sha = recorded.get("sha256")
    parts = []
    file = entry.get("file")
    if file is not None:
        actual = state.hashes.get(str(file))
        if actual is None:
            return ExhibitStatus(mark, False, f"its original {file} is missing")
        if actual != original_sha:
            return ExhibitStatus(mark, False, f"{file} is not the file recorded in event "
                                 f"{entry['event']}: its SHA-256 differs")
        parts.append(f"original {file} has the SHA-256 recorded in event {entry['event']}")
    else:
        parts.append(f"original not included; event {entry['event']} records its SHA-256 "
                     f"{str(original_sha)[:16]}…")
    redacted = entry.get("redacted")
    if isinstance(redacted, dict):
        event = redacted.get("event")
        rec = _recorded_file(records, event)
        payload = records.get(event, {}) if isinstance(event, int) else {}
        details = payload.get("details") if isinstance(payload, dict) else None
        link = details.get("derived_from") if isinstance(details, dict) else None
        actual = state.hashes.get(str(redacted.get("file")))
        if rec is None or actual is None or actual != rec.get("sha256"):
            return ExhibitStatus(mark, False, f"the redacted copy {redacted.get('file')} is not "
                                 "the one recorded")
        if not isinstance(link, dict) or link.get("sha256") != original_sha:
            return ExhibitStatus(mark, False, "the redacted copy's record does not name this "
                                 "original")
        parts.append(f"redacted copy matches event {redacted.get('event')}, which names the "
                     "original")
    return ExhibitStatus(mark, True, "; ".join(parts))
