"""Trusted time, opt-in: RFC 3161 timestamps over checkpoints from authorities the user names.

Device times are the device's. A timestamp authority's token over a checkpoint's signed
note proves the note, and so every event before it, existed by the token's time. Only
the note's SHA-256 leaves the machine. Nothing happens until the user names at least one
authority (with the root certificates its tokens must chain to: nothing is fetched to
check a token); from then on each checkpoint is queued, the queue is sent when the
network allows, and each token that checks out is kept as an event with the chain it was
checked against. A request that cannot be sent stays queued; a reply that does not check
out is reported and dropped, so a bad authority cannot wedge the queue.

``rfc3161-client`` builds requests and checks replies (it does no networking itself);
:func:`http_post` is the one place a request is sent, and callers may pass their own.
"""

from __future__ import annotations

import hashlib
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

from evidence_kit.core.checkpoint import CheckpointError, parse_and_verify
from evidence_kit.core.clock import utc_stamp
from evidence_kit.core.errors import BadInput, EvidenceKitError, NotFound
from evidence_kit.core.journal import EventType
from evidence_kit.core.model import CheckpointInfo

AUTHORITIES_SETTING = "timestamps.authorities"
QUEUE_SETTING = "timestamps.queue"
ON_SETTING = "timestamps.on"
COVERED_SETTING = "timestamps.covered"  # the largest tree size ever queued
MAX_REPLY_BYTES = 1024 * 1024
# The queue is read, changed and written back by the checkpoint (any thread) and by a
# drain (a worker); the short lock keeps one from losing the other's entries. A second
# drain while one runs does nothing, so a checkpoint is never stamped twice at once.
_QUEUE_LOCK = threading.Lock()
_DRAINING = threading.Lock()


@dataclass(frozen=True)
class Suggestion:
    """A well-known free authority the user may choose; none is contacted unless chosen."""

    name: str
    url: str
    root_file: str | None  # a root shipped in resources/tsa/, or None: the user gives it
    note: str


SUGGESTED = (
    Suggestion("FreeTSA", "https://freetsa.org/tsr", None,
               "free, run by volunteers; its root certificate is at "
               "https://freetsa.org/files/cacert.pem (download it yourself and give the file)"),
    # Both roots were copied from Debian's ca-certificates bundle (20230311), where they
    # are kept for their owners; the time-stamping chains of these services end at them.
    Suggestion("DigiCert", "http://timestamp.digicert.com", "digicert-trusted-root-g4.pem",
               "free, run by DigiCert; root DigiCert Trusted Root G4 (included)"),
    Suggestion("Sectigo", "http://timestamp.sectigo.com", "usertrust-rsa.pem",
               "free, run by Sectigo; root USERTrust RSA Certification Authority (included)"),
)


class TimestampError(EvidenceKitError):
    """A reply that is not a good token for what was asked (exit 1: a check failed)."""

    exit_code = 1


class Send(Protocol):
    def __call__(self, url: str, body: bytes) -> bytes: ...


class VaultLike(Protocol):
    """What this module needs of :class:`evidence_kit.core.vault.Vault`."""

    def setting(self, key: str, default: str | None = None) -> str | None: ...
    def set_setting(self, key: str, value: str) -> None: ...
    def checkpoints(self) -> list[CheckpointInfo]: ...
    def events(self, since: int = 0) -> Any: ...
    def events_of_type(self, *types: str) -> Any: ...
    def append(self, type: str, payload: dict[str, Any], what: str = ...) -> Any: ...


@dataclass(frozen=True)
class Authority:
    name: str
    url: str
    roots_pem: str  # the root certificates its tokens must chain to

    def roots(self) -> list[x509.Certificate]:
        try:
            return x509.load_pem_x509_certificates(self.roots_pem.encode("ascii"))
        except ValueError as exc:
            raise TimestampError(f"The root certificates given for {self.name} could not be "
                                 "read as PEM.") from exc


@dataclass(frozen=True)
class DrainReport:
    stamped: list[int] = field(default_factory=list)  # tree sizes now covered by a token
    queued: int = 0  # requests still waiting (the authority could not be reached)
    problems: list[str] = field(default_factory=list)  # replies refused, in words


def suggested_root(suggestion: Suggestion) -> str | None:
    """The PEM of a suggested authority's root, when one is shipped with Evidence Kit."""
    if suggestion.root_file is None:
        return None
    from importlib import resources

    return (resources.files("evidence_kit") / "resources" / "tsa" / suggestion.root_file
            ).read_text(encoding="ascii")


def roots_from_file(data: bytes, what: str) -> str:
    """Root certificates as PEM text, from a PEM or DER file the user gave."""
    try:
        if b"-----BEGIN" in data:
            certs = x509.load_pem_x509_certificates(data)
        else:
            certs = [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise BadInput(f"{what} is not a certificate file (PEM or DER).") from exc
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in certs)


def authorities(vault: VaultLike) -> list[Authority]:
    """The authorities the user named (used only while trusted time is on)."""
    raw = vault.setting(AUTHORITIES_SETTING)
    return [Authority(**entry) for entry in json.loads(raw)] if raw else []


def is_on(vault: VaultLike) -> bool:
    return vault.setting(ON_SETTING) == "1" and bool(authorities(vault))


def active(vault: VaultLike) -> list[Authority]:
    """The authorities to stamp with now: none at all while trusted time is off."""
    return authorities(vault) if vault.setting(ON_SETTING) == "1" else []


def set_authorities(vault: VaultLike, chosen: list[Authority]) -> None:
    """Name the authorities (their roots are checked now); queued work is kept."""
    names = [a.name for a in chosen]
    for authority in chosen:
        if not authority.name.strip():
            raise BadInput("Give the timestamp authority a name.")
        if names.count(authority.name) > 1:
            raise BadInput(f"There is already an authority called {authority.name!r}.")
        if not authority.url.startswith(("https://", "http://")):
            raise BadInput(f"{authority.url!r} is not a web address for {authority.name}.")
        authority.roots()
    vault.set_setting(AUTHORITIES_SETTING, json.dumps(
        [{"name": a.name, "url": a.url, "roots_pem": a.roots_pem} for a in chosen]))
    if not chosen:
        vault.set_setting(ON_SETTING, "0")


def add_authority(vault: VaultLike, authority: Authority) -> None:
    set_authorities(vault, [*authorities(vault), authority])


def remove_authority(vault: VaultLike, name: str) -> None:
    kept = [a for a in authorities(vault) if a.name != name]
    if len(kept) == len(authorities(vault)):
        raise NotFound(f"There is no timestamp authority called {name!r}.")
    set_authorities(vault, kept)


def turn_on(vault: VaultLike) -> None:
    if not authorities(vault):
        raise BadInput("Name a timestamp authority first (timestamp authorities add NAME "
                       "URL --root FILE): nothing is sent until you choose one.")
    vault.set_setting(ON_SETTING, "1")


def turn_off(vault: VaultLike) -> None:
    """Nothing more is sent; what is queued stays queued, and tokens kept stay kept."""
    vault.set_setting(ON_SETTING, "0")


def pending(vault: VaultLike) -> list[dict[str, Any]]:
    raw = vault.setting(QUEUE_SETTING)
    return list(json.loads(raw)) if raw else []


def enqueue(vault: VaultLike, checkpoint: CheckpointInfo) -> int:
    """Queue ``checkpoint`` for every chosen authority; nothing at all while it is off.

    A checkpoint that adds only tokens to what was already queued is not stamped again:
    each token is an event, so stamping those would never end."""
    chosen = active(vault)
    if not chosen:
        return 0
    covered = int(vault.setting(COVERED_SETTING) or 0)
    if all(e.type == EventType.TIMESTAMP_ADDED for e in vault.events(since=covered)
           if e.seq <= checkpoint.tree_size):
        return 0
    with _QUEUE_LOCK:
        queue = pending(vault)
        added = 0
        for authority in chosen:
            entry = {"authority": authority.name, "tree_size": checkpoint.tree_size}
            if entry not in queue:
                queue.append(entry)
                added += 1
        if added:
            vault.set_setting(QUEUE_SETTING, json.dumps(queue))
        if checkpoint.tree_size > covered:
            vault.set_setting(COVERED_SETTING, str(checkpoint.tree_size))
    return added


def request_for(note: str) -> tuple[bytes, int]:
    """An RFC 3161 request over the note's SHA-256 (with a nonce), and that nonce."""
    request = (TimestampRequestBuilder().data(note.encode("utf-8"))
               .hash_algorithm(HashAlgorithm.SHA256).nonce(nonce=True)
               .cert_request(cert_request=True).build())
    if request.nonce is None:  # asked for above; its absence would be the library's bug
        raise AssertionError("the timestamp request has no nonce")
    return request.as_bytes(), request.nonce


def check_reply(reply: bytes, note: str, authority: Authority,
                nonce: int | None = None) -> str:
    """The token's time (UTC, ``Z``) when ``reply`` is a good token over ``note`` that
    chains to the authority's roots; TimestampError in words otherwise."""
    try:
        response = decode_timestamp_response(reply)
    except ValueError as exc:
        raise TimestampError(f"{authority.name} sent something that is not a timestamp "
                             "reply.") from exc
    if response.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise TimestampError(f"{authority.name} refused to timestamp the checkpoint "
                             f"({response.status_string or 'no reason given'}).")
    # Checked here first so each fault gets its own words; the verifier checks both again.
    digest = hashlib.sha256(note.encode("utf-8")).digest()
    if bytes(response.tst_info.message_imprint.message) != digest:
        raise TimestampError(f"{authority.name}'s token is for a different hash than the "
                             "checkpoint's, so it proves nothing about it.")
    if nonce is not None and response.tst_info.nonce != nonce:
        raise TimestampError(f"{authority.name}'s reply answers some other request (its "
                             "nonce differs), so it was not used.")
    builder = VerifierBuilder(roots=authority.roots())
    if nonce is not None:
        builder = builder.nonce(nonce)
    try:
        builder.build().verify_message(response, note.encode("utf-8"))
    except VerificationError as exc:
        raise TimestampError(f"{authority.name}'s token does not check out against the "
                             f"root certificates given for it ({exc}).") from exc
    return utc_stamp(response.tst_info.gen_time)


def http_post(url: str, body: bytes, timeout: float = 20.0) -> bytes:
    """Send one request; OSError (offline, refused, timed out) means try again later."""
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked when chosen
        url, data=body, headers={"Content-Type": "application/timestamp-query"})
    with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310
        return bytes(reply.read(MAX_REPLY_BYTES + 1))


def chain_pem(reply: bytes) -> str:
    """The certificates the authority put in its token (its own and any intermediates),
    as PEM: what ``openssl ts -verify -untrusted`` wants beside the root."""
    try:
        token = decode_timestamp_response(reply).time_stamp_token()
        certs = pkcs7.load_der_pkcs7_certificates(token)
    except ValueError:
        return ""
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in certs)


@dataclass(frozen=True)
class KeptToken:
    """A token as an event keeps it: what it covers, from whom, and its exact bytes."""

    seq: int  # the event that keeps it
    tree_size: int
    root: str  # hex, as the checkpoint signed it
    authority: str
    url: str
    stamped_at: str  # the authority's time, UTC
    note: str
    reply: bytes
    roots_pem: str
    chain_pem: str


def kept_token(seq: int, payload: Any) -> KeptToken | None:
    """The token a ``timestamp.added`` payload keeps, or None when it is malformed."""
    if not isinstance(payload, dict):
        return None
    try:
        return KeptToken(seq, int(payload["tree_size"]), str(payload["root"]),
                         str(payload["authority"]), str(payload.get("url", "")),
                         str(payload["stamped_at"]), str(payload.get("note", "")),
                         bytes.fromhex(str(payload["reply"])), str(payload["roots_pem"]),
                         str(payload.get("chain_pem", "")))
    except (KeyError, ValueError, TypeError):
        return None


def kept_tokens(vault: VaultLike) -> list[KeptToken]:
    found = []
    for event in vault.events_of_type(EventType.TIMESTAMP_ADDED):
        token = kept_token(event.seq, event.payload)
        if token is not None:
            found.append(token)
    return found


def check_kept(token: KeptToken, public_key: bytes, roots_pem: str | None = None) -> str:
    """Check a kept token from scratch: the note is this key's checkpoint of the size and
    root the token says, and the token is over that note and chains to the roots (those
    kept with it unless ``roots_pem`` is given). The token's time, or TimestampError."""
    try:
        checkpoint = parse_and_verify(token.note, public_key)
    except CheckpointError as exc:
        raise TimestampError(f"the checkpoint the token covers is not valid ({exc})") from exc
    if checkpoint.tree_size != token.tree_size or checkpoint.root.hex() != token.root:
        raise TimestampError("the checkpoint the token covers is not the one it names")
    authority = Authority(token.authority, token.url, roots_pem or token.roots_pem)
    return check_reply(token.reply, token.note, authority)


@dataclass(frozen=True)
class Status:
    on: bool
    authorities: list[Authority]
    queued: int
    stamped: int
    last: KeptToken | None


def status(vault: VaultLike) -> Status:
    kept = kept_tokens(vault)
    last = max(kept, key=lambda t: (t.tree_size, t.seq)) if kept else None
    return Status(is_on(vault), authorities(vault), len(pending(vault)), len(kept), last)


def drain(vault: VaultLike, send: Send | None = None) -> DrainReport:
    """Send what is queued; keep each good token as an event, keep what could not be sent.

    Nothing is sent while trusted time is off; the queue waits for it to be turned on."""
    if not active(vault) or not _DRAINING.acquire(blocking=False):
        return DrainReport(queued=len(pending(vault)))
    try:
        return _drain(vault, send or http_post)
    finally:
        _DRAINING.release()


def _drain(vault: VaultLike, post: Callable[[str, bytes], bytes]) -> DrainReport:
    by_name = {a.name: a for a in authorities(vault)}
    notes = {cp.tree_size: cp for cp in vault.checkpoints()}
    report = DrainReport()
    done: list[dict[str, Any]] = []  # sent (or impossible to send): off the queue
    for entry in pending(vault):
        authority = by_name.get(entry["authority"])
        checkpoint = notes.get(entry["tree_size"])
        if authority is None or checkpoint is None:
            done.append(entry)  # the authority was removed since; nothing to send it to
            continue
        body, nonce = request_for(checkpoint.note)
        try:
            reply = post(authority.url, body)
        except (OSError, urllib.error.URLError):
            continue  # offline or refused: it stays queued for the next drain
        done.append(entry)
        try:
            if len(reply) > MAX_REPLY_BYTES:
                raise TimestampError(f"{authority.name} sent a reply far too large to be a "
                                     "timestamp.")
            stamped_at = check_reply(reply, checkpoint.note, authority, nonce)
        except TimestampError as exc:
            report.problems.append(str(exc))
            continue
        vault.append(EventType.TIMESTAMP_ADDED, {
            "tree_size": checkpoint.tree_size,
            "root": checkpoint.root,
            "note": checkpoint.note,
            "note_sha256": hashlib.sha256(checkpoint.note.encode("utf-8")).hexdigest(),
            "authority": authority.name,
            "url": authority.url,
            "stamped_at": stamped_at,
            "reply": reply.hex(),
            "roots_pem": authority.roots_pem,
            "chain_pem": chain_pem(reply),
        }, "the timestamp")
        report.stamped.append(checkpoint.tree_size)
    with _QUEUE_LOCK:  # entries queued while this drain ran are kept
        left = [e for e in pending(vault) if e not in done]
        vault.set_setting(QUEUE_SETTING, json.dumps(left))
    return DrainReport(report.stamped, len(left), report.problems)
