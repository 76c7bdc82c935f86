"""The ZIP bundle that travels with the PDF: everything a recipient needs to check it.

::

    <pack>.pdf                the pack itself
    originals/JS-1_<name>     each exhibit's bytes exactly as recorded
    redacted/JS-1-redacted_…  redacted copies shown in the pack
    derived/JS-1-stitched_…   a scrolling capture's frames joined (its frames are originals)
    records/000042.json       the exact bytes of each disclosed journal record
    leaves.txt                the leaf hash of every event, in order (salted: reveal nothing)
    proofs.json               an RFC 6962 inclusion proof for each disclosed record
    checkpoint.txt            the signed checkpoint (C2SP signed note)
    pubkey.pem, pubkey.raw    the vault's Ed25519 public key, for openssl and by hand
    manifest.json             which file is which exhibit, for programs
    timestamps/<seq>.tsr      trusted timestamps (RFC 3161), each with the checkpoint it
                              covers, the authority's root and chain (see instructions)
    README.txt                how to check it, in plain words
    SHA256SUMS                every file above with its SHA-256 (GNU format)
    SHA256SUMS.sig            Ed25519 signature over SHA256SUMS (64 raw bytes)

Every member is written with a fixed time and plain permissions, streamed from disk
or memory so no file is held twice.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from evidence_kit.core import fsutil, merkle
from evidence_kit.core.clock import parse_utc_stamp
from evidence_kit.core.model import Item
from evidence_kit.export import instructions as names
from evidence_kit.export.earlier import manifest_entries
from evidence_kit.export.hashbehind import FileDigest
from evidence_kit.export.pack import Exhibit, Pack

if TYPE_CHECKING:
    from evidence_kit.core.timestamps import KeptToken

FORMAT = "evidence-kit-bundle"
FORMAT_VERSION = 1
_COPY_CHUNK = 1 << 20


@dataclass(frozen=True)
class BundleFile:
    path: str
    sha256: str
    size: int


def record_path(seq: int) -> str:
    return f"records/{seq:06d}.json"


def public_key_pem(raw: bytes) -> bytes:
    key = Ed25519PublicKey.from_public_bytes(raw)
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


def manifest(pack: Pack, pdf_name: str) -> dict[str, Any]:
    exhibits = []
    for exhibit in pack.exhibits:
        item = exhibit.item
        entry: dict[str, Any] = {
            "mark": exhibit.mark, "item": item.id, "event": item.created_seq,
            "sha256": item.sha256, "size": item.size, "media_type": item.media_type,
            "original_name": item.original_name,
            "file": exhibit.original_path if exhibit.original_in_pack else None,
            "redacted": None,
        }
        if exhibit.redacted is not None:
            red = exhibit.redacted
            entry["redacted"] = {"item": red.id, "event": red.created_seq,
                                 "sha256": red.sha256, "size": red.size,
                                 "file": exhibit.redacted_path}
        if exhibit.all_frames:
            # A scrolling capture: every frame an original, the stitch checkable against them.
            entry["frames"] = [
                {"frame": index, "item": frame.id, "event": frame.created_seq,
                 "sha256": frame.sha256, "size": frame.size,
                 "file": exhibit.frame_path(index, frame) if exhibit.original_in_pack
                 else None}
                for index, frame in enumerate(exhibit.all_frames, 1)]
        if exhibit.stitched is not None:
            joined = exhibit.stitched
            entry["stitched"] = {"item": joined.id, "event": joined.created_seq,
                                 "sha256": joined.sha256, "size": joined.size,
                                 # Withheld with the original: it shows what a
                                 # redacted copy hides.
                                 "file": exhibit.stitched_path if exhibit.original_in_pack
                                 else None}
        exhibits.append(entry)
    return {
        "format": FORMAT, "version": FORMAT_VERSION, "pack": pack.pack_id,
        "for": pack.request.recipient, "made_at": pack.made_at, "tool": pack.tool,
        "log": pack.vault_id, "pdf": pdf_name, "marking": pack.request.marking,
        "checkpoint": {"tree_size": pack.checkpoint.tree_size, "root": pack.checkpoint.root},
        "key_fingerprint": pack.key_fingerprint, "exhibits": exhibits,
        "disclosed": list(pack.disclosed),
        "earlier_packs": manifest_entries(pack.earlier),
    }


@dataclass(frozen=True)
class CheckedContent:
    """Content read from the vault, whose chunks end only when their bytes matched
    ``sha256`` (:meth:`.Vault.iter_blob` raises otherwise): the ZIP takes that hash for
    ``SHA256SUMS`` rather than computing it a second time over the same bytes."""

    sha256: str
    chunks: Iterable[bytes]

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.chunks)


class _Writer:
    """Adds members to the ZIP, hashing each as it goes in."""

    def __init__(self, target: BinaryIO, when: tuple[int, int, int, int, int, int],
                 final_to: Callable[[int], None] | None = None) -> None:
        self.zip = zipfile.ZipFile(target, "w", allowZip64=True)
        self.target = target
        self.when = when
        self.files: list[BundleFile] = []
        self._final_to = final_to

    def _member_done(self) -> None:
        """A member is complete, its header filled in: what is before the end is final."""
        if self._final_to is not None:
            self.target.flush()
            self._final_to(self.target.tell())

    def _info(self, path: str, compress: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, date_time=self.when)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        return info

    def add_bytes(self, path: str, data: bytes, compress: bool = True) -> None:
        self.zip.writestr(self._info(path, compress), data)
        self.files.append(BundleFile(path, hashlib.sha256(data).hexdigest(), len(data)))
        self._member_done()

    def add_stream(self, path: str, chunks: Iterable[bytes], compress: bool = True) -> None:
        """A member written a piece at a time (evidence can be larger than memory likes)."""
        known = chunks.sha256 if isinstance(chunks, CheckedContent) else None
        digest = hashlib.sha256()
        size = 0
        with self.zip.open(self._info(path, compress), "w", force_zip64=True) as member:
            for chunk in chunks:
                if known is None:
                    digest.update(chunk)
                member.write(chunk)
                size += len(chunk)
        self.files.append(BundleFile(path, known or digest.hexdigest(), size))
        self._member_done()

    def add_file(self, path: str, source: Path) -> None:
        digest = hashlib.sha256()
        size = 0
        with open(source, "rb") as handle, self.zip.open(self._info(path, False), "w",
                                                        force_zip64=True) as member:
            while chunk := handle.read(_COPY_CHUNK):
                digest.update(chunk)
                member.write(chunk)
                size += len(chunk)
        self.files.append(BundleFile(path, digest.hexdigest(), size))
        self._member_done()

    def add_written(self, path: str, source: Path, digest: FileDigest) -> None:
        """A file whose size, CRC-32 and SHA-256 were taken as it was written (the
        pack's PDF): its header goes in whole, and the kernel copies its bytes, which
        Python never reads back. What ``zipfile`` does for a member, by hand: it has no
        way to take a CRC-32 already known."""
        info = self._info(path, compress=False)
        info.file_size = info.compress_size = digest.size
        info.CRC = digest.crc32
        # ZipFile's own attributes, used as its mkdir() uses them (Python 3.11 to 3.13);
        # tests read the result with zipfile, unzip, 7-Zip and bsdtar from a stream.
        archive: Any = self.zip
        with archive._lock:
            if archive._seekable:
                archive.fp.seek(archive.start_dir)
            info.header_offset = archive.fp.tell()
            archive._writecheck(info)
            archive._didModify = True
            header = info.FileHeader(True)  # ZIP64 fields, as every member here has
            archive.fp.write(header)
            start = info.header_offset + len(header)
            # Its header is final already, so each piece is final as soon as it is in.
            final_to = self._final_to
            fsutil.copy_into(source, archive.fp, digest.size,
                             None if final_to is None else lambda done: final_to(start + done))
            end = start + digest.size
            archive.fp.seek(end)
            archive.filelist.append(info)
            archive.NameToInfo[info.filename] = info
            archive.start_dir = end
        self.files.append(BundleFile(path, digest.sha256, digest.size))
        self._member_done()

    def close(self) -> None:
        self.zip.close()


def sums_text(files: Sequence[BundleFile]) -> bytes:
    """GNU coreutils format, as ``sha256sum -c`` and ``shasum -a 256 -c`` read it."""
    return "".join(f"{f.sha256}  {f.path}\n" for f in sorted(files, key=lambda f: f.path)
                   ).encode("utf-8")


class BundleWriter:
    """The bundle in two steps: each exhibit's bytes as they are read (while the PDF is
    still being built from the same read), then the PDF and everything describing it.
    The PDF is therefore written after the exhibits; ``SHA256SUMS`` and the manifest say
    which file is which, so nothing relies on the order of the members."""

    def __init__(self, target: BinaryIO, pack: Pack,
                 final_to: Callable[[int], None] | None = None) -> None:
        """``final_to`` is told, after each member, how much of ``target`` is final
        (:class:`.hashbehind.HashBehind`)."""
        moment = parse_utc_stamp(pack.made_at)
        self.pack = pack
        self._writer = _Writer(target, (moment.year, moment.month, moment.day, moment.hour,
                                        moment.minute, moment.second), final_to)

    def add_original(self, exhibit: Exhibit, chunks: Iterable[bytes]) -> None:
        self._writer.add_stream(exhibit.original_path, chunks,
                                compress=_compressible(exhibit.item.media_type))

    def add_redacted(self, exhibit: Exhibit, chunks: Iterable[bytes]) -> None:
        assert exhibit.redacted_path is not None
        self._writer.add_stream(exhibit.redacted_path, chunks, compress=False)

    def add_frame(self, exhibit: Exhibit, index: int, frame: Item,
                  chunks: Iterable[bytes]) -> None:
        """A scrolling capture's frame ``index`` (2 onwards; 1 is the original)."""
        self._writer.add_stream(exhibit.frame_path(index, frame), chunks, compress=False)

    def add_stitched(self, exhibit: Exhibit, chunks: Iterable[bytes]) -> None:
        assert exhibit.stitched_path is not None
        self._writer.add_stream(exhibit.stitched_path, chunks, compress=False)

    def finish(self, pdf_path: Path, pdf_name: str, zip_name: str,
               record_bytes: Callable[[int], bytes], leaves: Sequence[bytes],
               sign: Callable[[bytes], bytes],
               stamps: Sequence[KeptToken] = (),
               pdf_digest: FileDigest | None = None) -> list[BundleFile]:
        """Add the PDF, the records, proofs, trusted timestamps and sums; close the ZIP.

        ``stamps``: trusted timestamps over checkpoints this pack's journal includes;
        ``pdf_digest``: the PDF's hashes, taken as it was written."""
        pack, writer = self.pack, self._writer
        try:
            if pdf_digest is not None:
                writer.add_written(pdf_name, pdf_path, pdf_digest)
            else:
                writer.add_file(pdf_name, pdf_path)
            for seq in pack.disclosed:
                writer.add_bytes(record_path(seq), record_bytes(seq))
            tree = list(leaves[: pack.checkpoint.tree_size])
            writer.add_bytes(names.LEAVES,
                             "".join(leaf.hex() + "\n" for leaf in tree).encode())
            proofs = {str(seq): [node.hex() for node in proof]
                      for seq, proof in inclusion_proofs(tree, pack.disclosed).items()}
            writer.add_bytes(names.PROOFS, _json({"tree_size": len(tree), "proofs": proofs}))
            writer.add_bytes(names.CHECKPOINT, pack.checkpoint.note.encode("utf-8"))
            writer.add_bytes(names.PUBKEY_PEM, public_key_pem(pack.public_key))
            writer.add_bytes(names.PUBKEY_RAW, pack.public_key, compress=False)
            kept = [t for t in stamps if t.tree_size <= pack.checkpoint.tree_size]
            placed = _add_stamps(writer, kept)
            writer.add_bytes(names.MANIFEST, _json({**manifest(pack, pdf_name),
                                                    "timestamps": _stamp_entries(kept, placed)}))
            writer.add_bytes(names.README, names.readme_text(
                pack.pack_id, zip_name, pdf_name, pack.key_fingerprint,
                pack.checkpoint.tree_size, pack.checkpoint.root, pack.request.marking,
                tuple(placed)).encode("utf-8"))
            sums = sums_text(writer.files)
            writer.add_bytes(names.SUMS, sums)
            writer.add_bytes(names.SIGNATURE, sign(sums), compress=False)
        finally:
            writer.close()
        return writer.files

    def close(self) -> None:
        self._writer.close()


def exhibit_files(exhibit: Exhibit) -> list[tuple[str, Callable[..., None]]]:
    """What of one exhibit goes into the ZIP, as (content hash, how to add it), in order.

    An original withheld from this pack (shown only redacted) takes its scrolling
    frames and their stitched image with it: they show what the redaction hides."""
    out: list[tuple[str, Callable[..., None]]] = []
    if exhibit.original_in_pack:
        out.append((exhibit.item.sha256,
                    lambda writer, chunks: writer.add_original(exhibit, chunks)))
    if exhibit.redacted is not None and exhibit.redacted_path is not None:
        out.append((exhibit.redacted.sha256,
                    lambda writer, chunks: writer.add_redacted(exhibit, chunks)))
    if exhibit.original_in_pack:
        for index, frame in enumerate(exhibit.frames, 2):
            out.append((frame.sha256, lambda writer, chunks, i=index, f=frame:
                        writer.add_frame(exhibit, i, f, chunks)))
        if exhibit.stitched is not None and exhibit.stitched_path is not None:
            out.append((exhibit.stitched.sha256,
                        lambda writer, chunks: writer.add_stitched(exhibit, chunks)))
    return out


def write_bundle(
    target: BinaryIO, pack: Pack, pdf_path: Path, pdf_name: str, zip_name: str,
    open_blob: Callable[[str], Iterable[bytes]], record_bytes: Callable[[int], bytes],
    leaves: Sequence[bytes], sign: Callable[[bytes], bytes],
    stamps: Sequence[KeptToken] = (),
) -> list[BundleFile]:
    """Write the whole bundle to ``target`` in one go; returns every member with its hash."""
    writer = BundleWriter(target, pack)
    try:
        for exhibit in pack.exhibits:
            for sha256, add in exhibit_files(exhibit):
                add(writer, open_blob(sha256))
    except BaseException:
        writer.close()
        raise
    return writer.finish(pdf_path, pdf_name, zip_name, record_bytes, leaves, sign, stamps)


def _add_stamps(writer: _Writer, stamps: Sequence[KeptToken]) -> list[names.StampFiles]:
    """Each token with what ``openssl ts -verify`` needs beside it: the checkpoint note it
    is over, the authority's root and the certificates the token carries."""
    placed = []
    for token in stamps:
        files = names.StampFiles(token.seq, token.tree_size, token.authority,
                                 token.stamped_at, bool(token.chain_pem))
        writer.add_bytes(files.token, token.reply, compress=False)
        writer.add_bytes(files.note, token.note.encode("utf-8"))
        writer.add_bytes(files.root, token.roots_pem.encode("ascii"))
        if token.chain_pem:
            writer.add_bytes(files.chain, token.chain_pem.encode("ascii"))
        placed.append(files)
    return placed


def _stamp_entries(stamps: Sequence[KeptToken],
                   placed: Sequence[names.StampFiles]) -> list[dict[str, Any]]:
    return [{"event": t.seq, "tree_size": t.tree_size, "root": t.root,
             "authority": t.authority, "url": t.url, "stamped_at": t.stamped_at,
             "token": f.token, "checkpoint": f.note, "root_certificates": f.root,
             "chain": f.chain if f.has_chain else None}
            for t, f in zip(stamps, placed, strict=True)]


def inclusion_proofs(leaves: Sequence[bytes], seqs: Sequence[int]) -> dict[int, list[bytes]]:
    """RFC 6962 audit paths for many leaves at once.

    :func:`merkle.inclusion_proof` recomputes every sibling subtree for each proof (O(n)
    each); here each subtree's hash is computed once and shared, so all the proofs of a
    pack cost O(n + k log n).
    """
    cache: dict[tuple[int, int], bytes] = {}

    def split(n: int) -> int:
        return 1 << ((n - 1).bit_length() - 1)

    def root(lo: int, hi: int) -> bytes:
        found = cache.get((lo, hi))
        if found is None:
            if hi - lo == 1:
                found = leaves[lo]
            else:
                k = split(hi - lo)
                found = merkle.node_hash(root(lo, lo + k), root(lo + k, hi))
            cache[(lo, hi)] = found
        return found

    def path(m: int, lo: int, hi: int) -> list[bytes]:
        if hi - lo == 1:
            return []
        k = split(hi - lo)
        if m < k:
            return [*path(m, lo, lo + k), root(lo + k, hi)]
        return [*path(m - k, lo + k, hi), root(lo, lo + k)]

    return {seq: path(seq - 1, 0, len(leaves)) for seq in seqs}


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _compressible(media_type: str) -> bool:
    return media_type.startswith(("text/", "message/")) or media_type in (
        "application/json", "application/xml", "image/bmp", "image/tiff")
