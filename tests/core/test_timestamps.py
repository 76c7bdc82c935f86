"""RFC 3161 timestamps from a local test authority: OpenSSL's ``ts -reply`` on 127.0.0.1,
with a CA this test makes. Tokens are checked here and by ``openssl ts -verify``."""

from __future__ import annotations

import datetime as dt
import http.server
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from evidence_kit.core import timestamps
from evidence_kit.core.journal import EventType
from evidence_kit.core.timestamps import Authority, TimestampError
from evidence_kit.core.vault import Vault

OPENSSL = shutil.which("openssl") or "openssl"
pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")

TS_CONFIG = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = {serial}
crypto_device = builtin
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.2
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def _root(name: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_name(name)).issuer_name(_name(name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                         False), critical=True)
            .sign(key, hashes.SHA256()))
    return cert, key


@dataclass
class Tsa:
    folder: Path
    root_pem: str
    url: str
    other_hash: bool = False  # answer every query with a token over something else

    def authority(self, roots_pem: str | None = None) -> Authority:
        return Authority("Test TSA", self.url, roots_pem or self.root_pem)

    def reply(self, query: bytes) -> bytes:
        query_file = self.folder / "query.tsq"
        if self.other_hash:
            (self.folder / "other.txt").write_bytes(b"not the checkpoint")
            subprocess.run([OPENSSL, "ts", "-query", "-data", self.folder / "other.txt",
                            "-sha256", "-cert", "-out", query_file], check=True,
                           capture_output=True)
        else:
            query_file.write_bytes(query)
        out = self.folder / "reply.tsr"
        subprocess.run([OPENSSL, "ts", "-reply", "-config", self.folder / "ts.cnf",
                        "-queryfile", query_file, "-signer", self.folder / "tsa.pem",
                        "-inkey", self.folder / "tsa.key", "-chain", self.folder / "tsa.pem",
                        "-out", out], check=True, capture_output=True)
        return out.read_bytes()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(tsa: Tsa, port: int) -> http.server.HTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = tsa.reply(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def tsa(tmp_path: Path) -> Iterator[Tsa]:
    folder = tmp_path / "tsa"
    folder.mkdir()
    root, root_key = _root("Evidence Kit Test Root")
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_name("Evidence Kit Test TSA"))
            .issuer_name(root.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                           critical=True)
            .sign(root_key, hashes.SHA256()))
    (folder / "tsa.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "tsa.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    root_pem = root.public_bytes(serialization.Encoding.PEM).decode("ascii")
    (folder / "root.pem").write_text(root_pem, encoding="ascii")
    (folder / "serial").write_text("01\n", encoding="ascii")
    (folder / "ts.cnf").write_text(TS_CONFIG.format(serial=folder / "serial"),
                                   encoding="ascii")
    port = _free_port()
    made = Tsa(folder, root_pem, f"http://127.0.0.1:{port}/tsa")
    server = _serve(made, port)
    try:
        yield made
    finally:
        server.shutdown()
        server.server_close()


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
    checkpoint = vault.checkpoint()
    assert timestamps.enqueue(vault, checkpoint) == 1
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
    timestamps.enqueue(vault, vault.checkpoint())
    report = timestamps.drain(vault)
    assert report.stamped == [] and _stamps(vault) == []
    assert any("different hash" in problem for problem in report.problems), report.problems


def test_a_token_from_an_untrusted_chain_is_refused(vault: Vault, tsa: Tsa) -> None:
    stranger, _key = _root("Somebody Else's Root")
    other_pem = stranger.public_bytes(serialization.Encoding.PEM).decode("ascii")
    timestamps.set_authorities(vault, [tsa.authority(other_pem)])
    timestamps.enqueue(vault, vault.checkpoint())
    report = timestamps.drain(vault)
    assert report.stamped == [] and _stamps(vault) == []
    assert any("does not check out" in problem for problem in report.problems)
    with pytest.raises(TimestampError, match="could not be read"):
        timestamps.set_authorities(vault, [Authority("Broken", tsa.url, "not a cert")])


def test_the_queue_waits_while_offline_and_drains_later(vault: Vault, tsa: Tsa) -> None:
    offline = Authority("Test TSA", f"http://127.0.0.1:{_free_port()}/tsa", tsa.root_pem)
    timestamps.set_authorities(vault, [offline])
    first = vault.checkpoint()
    timestamps.enqueue(vault, first)
    vault.add_note("later")
    second = vault.checkpoint()
    timestamps.enqueue(vault, second)
    timestamps.enqueue(vault, second)  # queued once, however often it is asked
    report = timestamps.drain(vault)
    assert report.stamped == [] and report.queued == 2 and report.problems == []
    assert len(timestamps.pending(vault)) == 2
    timestamps.set_authorities(vault, [tsa.authority()])  # back online (same name)
    report = timestamps.drain(vault)
    assert report.stamped == [first.tree_size, second.tree_size] and report.queued == 0
    assert [s["tree_size"] for s in _stamps(vault)] == [first.tree_size, second.tree_size]
    assert vault.verify().ok
