"""A local RFC 3161 timestamp authority for tests: OpenSSL's ``ts -reply`` behind a tiny
http.server on 127.0.0.1, signing with a certificate from a root CA made here."""

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

from evidence_kit.core.timestamps import Authority

OPENSSL = shutil.which("openssl") or "openssl"
NEEDS_OPENSSL = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")

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


def cn(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def make_root(common_name: str) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(cn(common_name))
            .issuer_name(cn(common_name))
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


def free_port() -> int:
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


def running_tsa(folder: Path, expired: bool = False) -> Iterator[Tsa]:
    """A TSA on 127.0.0.1; ``expired``: its certificate ran out yesterday, so every token it
    signs now is made outside the certificate's validity."""
    folder.mkdir()
    root, root_key = make_root("Evidence Kit Test Root")
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    start, end = ((now - dt.timedelta(days=10), now - dt.timedelta(days=1)) if expired
                  else (now - dt.timedelta(days=1), now + dt.timedelta(days=30)))
    cert = (x509.CertificateBuilder().subject_name(cn("Evidence Kit Test TSA"))
            .issuer_name(root.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
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
    port = free_port()
    made = Tsa(folder, root_pem, f"http://127.0.0.1:{port}/tsa")
    server = _serve(made, port)
    try:
        yield made
    finally:
        server.shutdown()
        server.server_close()
