"""Trusted timestamps in a bundle: each token says "the journal up to event N existed by T,
according to AUTHORITY", or is named as not accepted and why.

For each token the manifest lists (``timestamps/<seq>.tsr`` with the checkpoint note it
covers and the authority's root), from the bundle's own bytes:

- the note is a checkpoint signed by the bundle's key, for this journal, whose root is
  the Merkle root of the first N lines of ``leaves.txt`` (so the token covers exactly
  those events);
- the token is over that note's SHA-256 and chains, at the token's time, to the root:
  the pack's own (which came from the sender, so its fingerprint is shown to compare)
  or one the recipient gives with ``--tsa-root``.

A token that does not hold does not make the bundle altered (the evidence can still be
intact); it is reported as not accepted, in words. Nothing is fetched.
"""

from __future__ import annotations

import hashlib
import zipfile
from typing import Any

from cryptography import x509

from evidence_kit import wording
from evidence_kit.core import merkle
from evidence_kit.export.verify.reading import Altered, Refused, read
from evidence_kit.export.verify.report import StampStatus

MAX_STAMPS = 10_000


def check_stamps(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
                 manifest: Any, key: bytes, leaves: list[bytes],
                 tsa_roots: str | None) -> tuple[StampStatus, ...]:
    listed = manifest.get("timestamps") if isinstance(manifest, dict) else None
    if not isinstance(listed, list) or not listed:
        return ()
    from evidence_kit.core import timestamps  # the RFC 3161 library only when needed

    out = []
    for entry in listed[:MAX_STAMPS]:
        if not isinstance(entry, dict):
            continue
        out.append(_one(archive, members, entry, key, leaves, tsa_roots, timestamps))
    return tuple(out)


def _one(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], entry: dict[str, Any],
         key: bytes, leaves: list[bytes], tsa_roots: str | None, timestamps: Any
         ) -> StampStatus:
    seq = _int(entry.get("event"))
    size = _int(entry.get("tree_size"))
    authority = str(entry.get("authority") or "an unnamed authority")

    def refused(why: str) -> StampStatus:
        return StampStatus(seq, size, authority, None, False,
                           f"the timestamp from {authority} (timestamps/{seq}.tsr) is not "
                           f"accepted: {why}")

    try:
        token_bytes = _member(archive, members, entry.get("token"))
        note = _member(archive, members, entry.get("checkpoint")).decode("utf-8")
        pack_roots = _member(archive, members, entry.get("root_certificates")).decode("ascii")
    except (Altered, Refused, UnicodeDecodeError) as exc:
        return refused(f"its files are not all in the bundle ({exc})")
    if not 1 <= size <= len(leaves):
        return refused(f"it names event {size}, which is not in this pack's journal")
    token = timestamps.KeptToken(seq, size, merkle.root(leaves[:size]).hex(), authority,
                                 str(entry.get("url") or ""), "", note, token_bytes,
                                 pack_roots, "")
    try:
        stamped_at = timestamps.check_kept(token, key, tsa_roots)
    except timestamps.TimestampError as exc:
        reason = str(exc)
        if "not the one it names" in reason:
            reason = (f"the checkpoint it covers is not the journal of events 1 to {size} "
                      "in this pack")
        return refused(reason)
    when = f"{wording.when_short(stamped_at)} ({wording.utc(stamped_at)})"
    said = f"the journal up to event {size} existed by {when}, according to {authority}"
    if tsa_roots is None:
        said += (f"; checked against the root certificate in the pack "
                 f"({_describe(pack_roots)}), which came from the sender: compare it with "
                 f"the one {authority} publishes, or give yours with --tsa-root")
    else:
        said += "; checked against the root certificate you gave"
    return StampStatus(seq, size, authority, stamped_at, True, said)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _member(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], name: Any) -> bytes:
    if not isinstance(name, str) or name not in members:
        raise Altered("timestamps", f"{name} is missing")
    return read(archive, members[name])


def _describe(pem: str) -> str:
    try:
        cert = x509.load_pem_x509_certificates(pem.encode("ascii"))[0]
    except ValueError:
        return "unreadable"
    digest = hashlib.sha256(cert.public_bytes(_der())).hexdigest().upper()
    return (f"{cert.subject.rfc4514_string()}, SHA-256 fingerprint "
            f"{':'.join(digest[i:i + 2] for i in range(0, 16, 2))}…")


def _der() -> Any:
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER
