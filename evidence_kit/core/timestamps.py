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
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography import x509
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

from evidence_kit.core.clock import utc_stamp
from evidence_kit.core.errors import EvidenceKitError
from evidence_kit.core.journal import EventType
from evidence_kit.core.model import CheckpointInfo

AUTHORITIES_SETTING = "timestamps.authorities"
QUEUE_SETTING = "timestamps.queue"
MAX_REPLY_BYTES = 1024 * 1024


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


def authorities(vault: VaultLike) -> list[Authority]:
    raw = vault.setting(AUTHORITIES_SETTING)
    return [Authority(**entry) for entry in json.loads(raw)] if raw else []


def set_authorities(vault: VaultLike, chosen: list[Authority]) -> None:
    """Turn trusted time on (one or more authorities) or off (none); queued work is kept."""
    for authority in chosen:
        if not authority.url.startswith(("https://", "http://")):
            raise TimestampError(f"{authority.url!r} is not a web address for {authority.name}.")
        authority.roots()
    vault.set_setting(AUTHORITIES_SETTING, json.dumps(
        [{"name": a.name, "url": a.url, "roots_pem": a.roots_pem} for a in chosen]))


def pending(vault: VaultLike) -> list[dict[str, Any]]:
    raw = vault.setting(QUEUE_SETTING)
    return list(json.loads(raw)) if raw else []


def enqueue(vault: VaultLike, checkpoint: CheckpointInfo) -> int:
    """Queue ``checkpoint`` for every chosen authority; nothing at all while it is off."""
    queue = pending(vault)
    added = 0
    for authority in authorities(vault):
        entry = {"authority": authority.name, "tree_size": checkpoint.tree_size}
        if entry not in queue:
            queue.append(entry)
            added += 1
    if added:
        vault.set_setting(QUEUE_SETTING, json.dumps(queue))
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


def drain(vault: VaultLike, send: Send | None = None) -> DrainReport:
    """Send what is queued; keep each good token as an event, keep what could not be sent."""
    post: Callable[[str, bytes], bytes] = send or http_post
    by_name = {a.name: a for a in authorities(vault)}
    notes = {cp.tree_size: cp for cp in vault.checkpoints()}
    report = DrainReport()
    left: list[dict[str, Any]] = []
    for entry in pending(vault):
        authority = by_name.get(entry["authority"])
        checkpoint = notes.get(entry["tree_size"])
        if authority is None or checkpoint is None:
            continue  # the authority was removed since; nothing to send it to
        body, nonce = request_for(checkpoint.note)
        try:
            reply = post(authority.url, body)
        except (OSError, urllib.error.URLError):
            left.append(entry)
            continue
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
            "note_sha256": hashlib.sha256(checkpoint.note.encode("utf-8")).hexdigest(),
            "authority": authority.name,
            "url": authority.url,
            "stamped_at": stamped_at,
            "reply": reply.hex(),
            "roots_pem": authority.roots_pem,
        }, "the timestamp")
        report.stamped.append(checkpoint.tree_size)
    vault.set_setting(QUEUE_SETTING, json.dumps(left))
    return DrainReport(report.stamped, len(left), report.problems)
