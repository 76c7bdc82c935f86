"""RFC 3161 timestamps from a local test authority: OpenSSL's ``ts -reply`` on 127.0.0.1,
with a CA this test makes. Tokens are checked here and by ``openssl ts -verify``."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from evidence_kit.core import timestamps
from evidence_kit.core.journal import EventType
from evidence_kit.core.timestamps import Authority, TimestampError
from evidence_kit.core.vault import Vault
from tests.tsa import NEEDS_OPENSSL, OPENSSL, Tsa, free_port, make_root, running_tsa

pytestmark = NEEDS_OPENSSL


@pytest.fixture
def tsa(tmp_path: Path) -> Iterator[Tsa]:
    yield from running_tsa(tmp_path / "tsa")


def _stamps(vault: Vault) -> list[dict[str, object]]:
    return [e.payload for e in vault.events() if e.type == EventType.TIMESTAMP_ADDED]


def test_off_by_default_nothing_is_queued(vault: Vault) -> None:
    assert timestamps.enqueue(vault, vault.checkpoint()) == 0
    assert timestamps.pending(vault) == []
    assert timestamps.drain(vault, send=_never).stamped == []


def _never(url: str, body: bytes) -> bytes:
    raise AssertionError(f"nothing may be sent to {url} while trusted time is off")


def test_a_token_is_kept_and_openssl_accepts_it(vault: Vault, tsa: Tsa) -> None:
    timestamps.set_authorities(vault, [tsa.authority()])
    timestamps.turn_on(vault)
    checkpoint = vault.checkpoint()  # queued by the checkpoint itself
    assert timestamps.pending(vault) == [{"authority": "Test TSA",
                                          "tree_size": checkpoint.tree_size}]
    assert timestamps.enqueue(vault, checkpoint) == 0  # queued once
    report = timestamps.drain(vault)
    assert report.stamped == [checkpoint.tree_size] and report.problems == []
    assert report.queued == 0 and timestamps.pending(vault) == []
    [stamp] = _stamps(vault)
    assert stamp["tree_size"] == checkpoint.tree_size and stamp["authority"] == "Test TSA"
    assert str(stamp["stamped_at"]).endswith("Z")
    assert vault.verify().ok
    # A recipient checks the token with OpenSSL alone.
    (tsa.folder / "kept.tsr").write_bytes(bytes.fromhex(str(stamp["reply"])))
    (tsa.folder / "note.txt").write_bytes(checkpoint.note.encode("utf-8"))
    checked = subprocess.run([OPENSSL, "ts", "-verify", "-data", tsa.folder / "note.txt",
                              "-in", tsa.folder / "kept.tsr", "-CAfile", tsa.folder / "root.pem",
                              "-untrusted", tsa.folder / "tsa.pem"],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0 and "Verification: OK" in checked.stdout, checked.stderr


def test_a_token_for_a_different_hash_is_refused(vault: Vault, tsa: Tsa) -> None:
    tsa.other_hash = True
    timestamps.set_authorities(vault, [tsa.authority()])
    timestamps.turn_on(vault)
    vault.checkpoint()
    report = timestamps.drain(vault)
    assert report.stamped == [] and _stamps(vault) == []
    assert any("different hash" in problem for problem in report.problems), report.problems


def test_a_token_from_an_untrusted_chain_is_refused(vault: Vault, tsa: Tsa) -> None:
    stranger, _key = make_root("Somebody Else's Root")
    other_pem = stranger.public_bytes(serialization.Encoding.PEM).decode("ascii")
    timestamps.set_authorities(vault, [tsa.authority(other_pem)])
    timestamps.turn_on(vault)
    vault.checkpoint()
    report = timestamps.drain(vault)
    assert report.stamped == [] and _stamps(vault) == []
    assert any("does not check out" in problem for problem in report.problems)
    with pytest.raises(TimestampError, match="could not be read"):
        timestamps.set_authorities(vault, [Authority("Broken", tsa.url, "not a cert")])


def test_the_queue_waits_while_offline_and_drains_later(vault: Vault, tsa: Tsa) -> None:
    offline = Authority("Test TSA", f"http://127.0.0.1:{free_port()}/tsa", tsa.root_pem)
    timestamps.set_authorities(vault, [offline])
    timestamps.turn_on(vault)
    first = vault.checkpoint()
    vault.add_note("later")
    second = vault.checkpoint()
    timestamps.enqueue(vault, second)  # queued once, however often it is asked
    report = timestamps.drain(vault)
    assert report.stamped == [] and report.queued == 2 and report.problems == []
    assert len(timestamps.pending(vault)) == 2
    timestamps.set_authorities(vault, [tsa.authority()])  # back online (same name)
    report = timestamps.drain(vault)
    assert report.stamped == [first.tree_size, second.tree_size] and report.queued == 0
    assert [s["tree_size"] for s in _stamps(vault)] == [first.tree_size, second.tree_size]
    assert vault.verify().ok


def test_a_token_made_after_the_authority_certificate_expired_is_refused(
        vault: Vault, tmp_path: Path) -> None:
    for expired in running_tsa(tmp_path / "expired", expired=True):
        timestamps.set_authorities(vault, [expired.authority()])
        timestamps.turn_on(vault)
        vault.checkpoint()
        report = timestamps.drain(vault)
    assert report.stamped == [] and _stamps(vault) == []
    assert any("does not check out" in p for p in report.problems), report.problems


def test_verify_checks_each_kept_token_and_says_what_it_proves(vault: Vault,
                                                               tsa: Tsa) -> None:
    timestamps.set_authorities(vault, [tsa.authority()])
    timestamps.turn_on(vault)
    checkpoint = vault.checkpoint()
    timestamps.drain(vault)
    report = vault.verify()
    assert report.ok, report.failures
    [check] = report.timestamps
    assert check.ok and check.tree_size == checkpoint.tree_size
    assert f"the journal up to event {checkpoint.tree_size} existed by" in check.message
    assert check.message.endswith("according to Test TSA")
    status = timestamps.status(vault)
    assert status.on and status.stamped == 1 and status.queued == 0
    assert status.last is not None and status.last.tree_size == checkpoint.tree_size


def test_a_token_that_no_longer_covers_the_journal_fails_verify(vault: Vault,
                                                                tsa: Tsa) -> None:
    timestamps.set_authorities(vault, [tsa.authority()])
    timestamps.turn_on(vault)
    vault.checkpoint()
    timestamps.drain(vault)
    [kept] = timestamps.kept_tokens(vault)
    # A token kept over some other checkpoint of this key (a rewritten history's, say).
    vault.add_note("after")
    other = vault.checkpoint()
    body, _nonce = timestamps.request_for(other.note)
    vault.append(EventType.TIMESTAMP_ADDED, {
        "tree_size": kept.tree_size, "root": kept.root, "note": other.note,
        "authority": "Test TSA", "url": tsa.url, "stamped_at": kept.stamped_at,
        "reply": tsa.reply(body).hex(), "roots_pem": tsa.root_pem})
    report = vault.verify()
    assert not report.ok
    assert any(f.kind == "timestamp invalid" and "not the one it names" in f.message
               for f in report.failures), report.failures


def test_stamping_stops_at_the_tokens_themselves(vault: Vault, tsa: Tsa) -> None:
    timestamps.set_authorities(vault, [tsa.authority()])
    timestamps.turn_on(vault)
    vault.checkpoint()
    assert timestamps.drain(vault).stamped
    # The token is an event: the next checkpoint covers it, but only it, so that
    # checkpoint is not sent again (else each token would ask for another for ever).
    vault.checkpoint()
    assert timestamps.pending(vault) == []
    vault.add_note("new evidence")
    vault.checkpoint()
    assert len(timestamps.pending(vault)) == 1


def test_nothing_is_sent_while_off_and_the_queue_waits(vault: Vault, tsa: Tsa) -> None:
    timestamps.set_authorities(vault, [tsa.authority()])
    timestamps.turn_on(vault)
    vault.checkpoint()
    timestamps.turn_off(vault)
    assert timestamps.drain(vault, send=_never).queued == 1
    vault.add_note("while off")
    vault.checkpoint()
    assert len(timestamps.pending(vault)) == 1  # nothing new is queued while off
    timestamps.turn_on(vault)
    assert timestamps.drain(vault).stamped


def test_authorities_are_added_and_removed_in_plain_words(vault: Vault, tsa: Tsa) -> None:
    from evidence_kit.core.errors import BadInput, NotFound

    with pytest.raises(BadInput, match="Name a timestamp authority first"):
        timestamps.turn_on(vault)
    timestamps.add_authority(vault, tsa.authority())
    with pytest.raises(BadInput, match="already an authority"):
        timestamps.add_authority(vault, tsa.authority())
    with pytest.raises(BadInput, match="not a web address"):
        timestamps.add_authority(vault, Authority("Other", "ftp://x", tsa.root_pem))
    timestamps.turn_on(vault)
    timestamps.remove_authority(vault, "Test TSA")
    assert not timestamps.is_on(vault) and timestamps.authorities(vault) == []
    with pytest.raises(NotFound):
        timestamps.remove_authority(vault, "Test TSA")


def test_the_shipped_roots_are_certificates() -> None:
    from evidence_kit.core import vault as vault_module

    assert vault_module.TIMESTAMPS_ON == timestamps.ON_SETTING
    for suggestion in timestamps.SUGGESTED:
        pem = timestamps.suggested_root(suggestion)
        if pem is not None:
            assert Authority(suggestion.name, suggestion.url, pem).roots()
