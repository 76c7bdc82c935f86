"""Signed checkpoints in the C2SP ``tlog-checkpoint`` / ``signed-note`` forms.

A checkpoint commits to the whole journal at one size. Its text is::

    evidence-kit/<vault id>          origin: which journal
    <tree size>                       decimal
    <root>                            base64 of the RFC 6962 Merkle root
    time <UTC stamp>                  extension line: when it was made (device clock)

followed by a blank line and ``— <key name> base64(key id ‖ Ed25519 signature)``. The
format is the one transparency logs use, so recipients can check it with tools other
than ours; the key id is ``SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519_TYPE = b"\x01"
EM_DASH = "\u2014"


class CheckpointError(ValueError):
    """A checkpoint text that is malformed or whose signature does not verify."""


def origin_for(vault_id: str) -> str:
    return f"evidence-kit/{vault_id}"


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode("utf-8") + b"\n" + ED25519_TYPE + public_key).digest()[:4]


def public_key_bytes(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes_raw()


def fingerprint(public_key: bytes) -> str:
    """A human-comparable fingerprint: SHA-256 of the raw public key, in groups."""
    digest = hashlib.sha256(public_key).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def verifier_key(name: str, public_key: bytes) -> str:
    """The ``name+keyid+base64(type‖key)`` verifier string other note tools accept."""
    blob = base64.b64encode(ED25519_TYPE + public_key).decode("ascii")
    return f"{name}+{key_id(name, public_key).hex()}+{blob}"


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    tree_size: int
    root: bytes
    time: str

    def body(self) -> str:
        root_b64 = base64.b64encode(self.root).decode("ascii")
        return f"{self.origin}\n{self.tree_size}\n{root_b64}\ntime {self.time}\n"

    def sign(self, private: Ed25519PrivateKey) -> str:
        body = self.body()
        public = public_key_bytes(private)
        signature = private.sign(body.encode("utf-8"))
        blob = base64.b64encode(key_id(self.origin, public) + signature).decode("ascii")
        return f"{body}\n{EM_DASH} {self.origin} {blob}\n"


def _ascii_decimal(text: str) -> int:
    """A size as the spec writes it: ASCII digits, no sign, no leading zero.

    ``str.isdigit`` and ``int`` also take other scripts' digits ("٣" is 3), which would let
    two different texts carry the same signed size.
    """
    if not text or not text.isascii() or not text.isdigit() or (len(text) > 1 and text[0] == "0"):
        raise CheckpointError(f"checkpoint size {text!r} is not a plain decimal number")
    return int(text)


def parse_and_verify(note: str, public_key: bytes) -> Checkpoint:
    """Parse a signed checkpoint and check its signature with ``public_key``.

    As the C2SP signed-note spec says, the text ends at the *last* blank line and the
    signature lines follow it; a checkpoint's text has no blank lines of its own.
    """
    if not note.endswith("\n"):
        raise CheckpointError("not a signed note (it does not end with a newline)")
    cut = note.rfind("\n\n")
    if cut < 0:
        raise CheckpointError("not a signed note (no blank line before the signatures)")
    body, signatures = note[: cut + 1], note[cut + 2 :]
    lines = body.split("\n")[:-1]
    if len(lines) < 3:
        raise CheckpointError("checkpoint text has fewer than three lines")
    if any(not line for line in lines):
        raise CheckpointError("checkpoint text has an empty line")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    times = [extra[5:] for extra in lines[3:] if extra.startswith("time ")]
    if len(times) > 1:
        raise CheckpointError("checkpoint has more than one time line")
    time = times[0] if times else ""
    tree_size = _ascii_decimal(size_text)
    try:
        root = base64.b64decode(root_text, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise CheckpointError("checkpoint root is malformed") from exc
    if len(root) != 32:
        raise CheckpointError("checkpoint root is not 32 bytes")
    wanted_id = key_id(origin, public_key)
    verifier = Ed25519PublicKey.from_public_bytes(public_key)
    for line in signatures.split("\n")[:-1]:
        if not line.startswith(EM_DASH + " "):
            continue
        try:
            name, blob_text = line[2:].rsplit(" ", 1)
            blob = base64.b64decode(blob_text, validate=True)
        except (ValueError, binascii.Error):
            continue
        if name != origin or blob[:4] != wanted_id:
            continue  # another key's signature: ignored, as the signed-note spec says
        try:
            verifier.verify(blob[4:], body.encode("utf-8"))
        except InvalidSignature as exc:
            raise CheckpointError("the checkpoint's signature does not match its text") from exc
        return Checkpoint(origin, tree_size, root, time)
    raise CheckpointError("the checkpoint is not signed by this vault's key")
