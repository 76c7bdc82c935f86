"""The ZIP bundle: checked by verify-bundle, by hand with hashlib and cryptography, by
``sha256sum -c`` and ``openssl``, and after every kind of tampering."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from evidence_kit.core import merkle
from evidence_kit.core.checkpoint import parse_and_verify
from evidence_kit.core.journal import EventType, parse_record
from evidence_kit.export.bundle import inclusion_proofs
from evidence_kit.export.verify import ALTERED, INTACT, NOT_A_BUNDLE, verify_bundle
from tests.export.conftest import Built, rewrite_zip, tool


def test_bundle_verifies(built: Built) -> None:
    for result in built.packs.values():
        report = verify_bundle(result.bundle)
        assert report.status == INTACT, report.text()
        assert report.exit_code == 0
        assert [e.mark for e in report.exhibits] == [f"JS/{n}" for n in range(1, 8)]
        assert all(e.ok for e in report.exhibits)
        assert report.key_fingerprint == built.vault.key_fingerprint
        assert "INTACT" in report.text()


def test_bundle_checked_by_hand(built: Built) -> None:
    """What a recipient's own script would do, with no Evidence Kit code but the RFCs."""
    with zipfile.ZipFile(built.packs["police"].bundle) as z:
        files = {name: z.read(name) for name in z.namelist()}
    sums = files["SHA256SUMS"]
    listed = dict(reversed(line.split("  ", 1)) for line in sums.decode().splitlines())
    assert set(listed) == set(files) - {"SHA256SUMS", "SHA256SUMS.sig"}
    for name, digest in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest
    key = Ed25519PublicKey.from_public_bytes(files["pubkey.raw"])
    key.verify(files["SHA256SUMS.sig"], sums)  # raises if it does not verify
    leaves = [bytes.fromhex(x) for x in files["leaves.txt"].decode().split()]
    checkpoint = parse_and_verify(files["checkpoint.txt"].decode(), files["pubkey.raw"])
    assert merkle.root(leaves) == checkpoint.root
    manifest = json.loads(files["manifest.json"])
    for exhibit in manifest["exhibits"]:
        record = files[f"records/{exhibit['event']:06d}.json"]
        assert hashlib.sha256(b"\x00" + record).digest() == leaves[exhibit["event"] - 1]
        assert parse_record(record).payload["file"]["sha256"] == exhibit["sha256"]
        if exhibit["file"]:
            assert hashlib.sha256(files[exhibit["file"]]).hexdigest() == exhibit["sha256"]


@pytest.mark.skipif(shutil.which("sha256sum") is None or shutil.which("openssl") is None,
                    reason="coreutils sha256sum and openssl are needed")
def test_readme_commands_work(built: Built, tmp_path: Path) -> None:
    with zipfile.ZipFile(built.packs["lado"].bundle) as z:
        z.extractall(tmp_path)  # the test's own folder, as a recipient would
    readme = (tmp_path / "README.txt").read_text()
    assert "sha256sum -c SHA256SUMS" in readme and "openssl pkeyutl -verify" in readme
    sums = subprocess.run([tool("sha256sum"), "-c", "SHA256SUMS"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert sums.returncode == 0, sums.stdout + sums.stderr
    sig = subprocess.run([tool("openssl"), "pkeyutl", "-verify", "-pubin", "-inkey", "pubkey.pem",
                          "-rawin", "-in", "SHA256SUMS", "-sigfile", "SHA256SUMS.sig"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert sig.returncode == 0 and "Verified Successfully" in sig.stdout, sig.stderr
    fingerprint = hashlib.sha256((tmp_path / "pubkey.raw").read_bytes()).hexdigest()[:32]
    assert built.vault.key_fingerprint.replace(" ", "") == fingerprint
    (tmp_path / "SHA256SUMS").write_bytes(b"0" * 64 + b"  README.txt\n")
    forged = subprocess.run([tool("openssl"), "pkeyutl", "-verify", "-pubin", "-inkey",
                             "pubkey.pem", "-rawin", "-in", "SHA256SUMS", "-sigfile",
                             "SHA256SUMS.sig"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert forged.returncode != 0


def _flip(data: bytes, at: int = -10) -> bytes:
    out = bytearray(data)
    out[at] ^= 0x01
    return bytes(out)


def _tampered(built: Built, tmp_path: Path, target: str, how: str = "flip") -> Path:
    source = built.packs["police"].bundle
    out = tmp_path / f"tampered-{how}.zip"

    def change(name: str, data: bytes) -> bytes | None:
        if not name.startswith(target) or (name != target and not target.endswith("/")):
            return data
        if how == "drop":
            return None
        if how == "append":
            return data + b"\n"
        return _flip(data)

    rewrite_zip(source, out, change)
    return out


@pytest.mark.parametrize(("target", "check"), [
    ("originals/", "files"),
    ("records/", "files"),
    ("leaves.txt", "files"),
    ("checkpoint.txt", "files"),
    ("SHA256SUMS", "signature"),
    ("SHA256SUMS.sig", "signature"),
    ("manifest.json", "files"),
])
def test_each_changed_file_is_named(built: Built, tmp_path: Path, target: str,
                                    check: str) -> None:
    report = verify_bundle(_tampered(built, tmp_path, target))
    assert report.status == ALTERED and report.exit_code == 1
    first = report.first_problem
    assert first is not None and first.check == check
    if target != "SHA256SUMS.sig":
        named = target.rstrip("/")
        assert named in first.message or "SHA256SUMS" in first.message, first.message


def test_a_changed_original_gets_a_verdict_per_exhibit(built: Built, tmp_path: Path) -> None:
    """The first problem is the file; every exhibit is still checked and named."""
    changed = tmp_path / "changed.zip"
    rewrite_zip(built.packs["police"].bundle, changed,
                lambda name, data: _flip(data) if name.startswith("originals/JS-3_") else data)
    report = verify_bundle(changed)
    assert report.exit_code == 1
    assert report.first_problem is not None and report.first_problem.check == "files"
    assert "originals/JS-3_" in report.first_problem.message
    verdicts = {e.mark: e.ok for e in report.exhibits}
    assert len(verdicts) == built.packs["police"].exhibits
    assert [mark for mark, ok in verdicts.items() if not ok] == ["JS/3"]
    assert {f.check for f in report.findings if f.ok} >= {"signature", "records", "leaves"}
    assert "[FAILED] JS/3" in report.text()


def test_dropped_file_is_named(built: Built, tmp_path: Path) -> None:
    report = verify_bundle(_tampered(built, tmp_path, "proofs.json", "drop"))
    assert report.exit_code == 1
    assert report.first_problem is not None
    assert "proofs.json" in report.first_problem.message
    assert "missing" in report.first_problem.message


def _resign(built: Built, source: Path, out: Path, change: dict[str, bytes]) -> Path:
    """Re-make SHA256SUMS for changed members, as a forger without the key would."""
    with zipfile.ZipFile(source) as z:
        files = {n: z.read(n) for n in z.namelist()}
    files.update(change)
    body = {n: d for n, d in files.items() if n not in ("SHA256SUMS", "SHA256SUMS.sig")}
    files["SHA256SUMS"] = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n"
                                  for n, d in sorted(body.items())).encode()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out


def test_forged_sums_fail_the_signature(built: Built, tmp_path: Path) -> None:
    with zipfile.ZipFile(built.packs["police"].bundle) as z:
        original = next(n for n in z.namelist() if n.startswith("originals/"))
        data = z.read(original)
    forged = _resign(built, built.packs["police"].bundle, tmp_path / "forged.zip",
                     {original: _flip(data, 100)})
    report = verify_bundle(forged)
    assert report.exit_code == 1 and report.first_problem is not None
    assert report.first_problem.check == "signature"


def test_record_changed_and_resigned_is_caught_by_the_journal(built: Built,
                                                              tmp_path: Path) -> None:
    """Even with a valid signature (a stolen key), a record must match its leaf."""
    source = built.packs["police"].bundle
    with zipfile.ZipFile(source) as z:
        files = {n: z.read(n) for n in z.namelist()}
    name = next(n for n in files if n.startswith("records/") and n != "records/000001.json")
    record = json.loads(files[name])
    record["recorded_at"] = "2020-01-01T00:00:00.000000Z"
    from evidence_kit.core import canonical

    files[name] = canonical.encode(record)
    body = {n: d for n, d in files.items() if n not in ("SHA256SUMS", "SHA256SUMS.sig")}
    sums = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n"
                   for n, d in sorted(body.items())).encode()
    files["SHA256SUMS"] = sums
    files["SHA256SUMS.sig"] = built.vault.sign_detached(sums)
    out = tmp_path / "resigned.zip"
    with zipfile.ZipFile(out, "w") as z:
        for member, data in files.items():
            z.writestr(member, data)
    report = verify_bundle(out)
    assert report.exit_code == 1 and report.first_problem is not None
    assert report.first_problem.check == "records"
    assert "changed" in report.first_problem.message


def test_damaged_zip_bytes_are_reported(built: Built, tmp_path: Path) -> None:
    data = bytearray(built.packs["police"].bundle.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = next(i for i in z.infolist() if i.filename.startswith("originals/"))
    at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 500
    data[at] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    report = verify_bundle(damaged)
    assert report.exit_code == 1 and report.first_problem is not None
    assert info.filename in report.first_problem.message


# ---- hostile and wrong input -----------------------------------------------------------


def _zip(path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            z.writestr(info, data)
    return path


def _link(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (0o120777 << 16)
    return info


@pytest.mark.parametrize(("members", "words"), [
    ([("../../evil.txt", b"x"), ("SHA256SUMS", b"")], "climbs out"),
    ([("/etc/evil", b"x"), ("SHA256SUMS", b"")], "absolute path"),
    ([("C:/evil", b"x"), ("SHA256SUMS", b"")], "absolute path"),
    ([("a\\..\\evil", b"x"), ("SHA256SUMS", b"")], "backslashes"),
    ([(_link("originals/link"), b"/etc/passwd"), ("SHA256SUMS", b"")], "is a link"),
    ([("SHA256SUMS", b"a"), ("sha256sums", b"b")], "more than once"),
])
def test_hostile_zips_are_refused(tmp_path: Path, members: list[tuple[zipfile.ZipInfo | str,
                                                                        bytes]],
                                  words: str) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns on duplicate names
        hostile = _zip(tmp_path / "hostile.zip", members)
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    report = verify_bundle(hostile)
    assert report.status == NOT_A_BUNDLE and report.exit_code == 2
    assert report.first_problem is not None and words in report.first_problem.message
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = _zip(tmp_path / "bomb.zip", [("SHA256SUMS", b""),
                                         ("originals/zeros.png", bytes(40 * 1024 * 1024))])
    report = verify_bundle(bomb)
    assert report.exit_code == 2 and report.first_problem is not None
    assert "zip bomb" in report.first_problem.message


def test_absurd_declared_size_is_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "huge.zip", [("SHA256SUMS", b""), ("originals/a.png", b"tiny")])
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")  # the last member's central directory entry
    struct.pack_into("<I", data, central + 24, 0xFFFFFFF0)  # its uncompressed size
    path.write_bytes(bytes(data))
    report = verify_bundle(path)
    assert report.exit_code == 2 and report.first_problem is not None
    assert "claims" in report.first_problem.message or "zip bomb" in report.first_problem.message


def test_not_a_zip_and_not_a_bundle(tmp_path: Path) -> None:
    text = tmp_path / "notes.zip"
    text.write_text("hello")
    assert verify_bundle(text).exit_code == 2
    assert verify_bundle(tmp_path / "missing.zip").exit_code == 2
    other = _zip(tmp_path / "photos.zip", [("photo.jpg", b"\xff\xd8\xff")])
    report = verify_bundle(other)
    assert report.exit_code == 2 and report.first_problem is not None
    assert "not an Evidence Kit bundle" in report.first_problem.message


# ---- what the pack discloses, and the export's own event ----------------------------


def test_incident_pack_reveals_no_other_incident(built: Built) -> None:
    with zipfile.ZipFile(built.packs["slt"].bundle) as z:
        names = z.namelist()
        records = [parse_record(z.read(n)) for n in names if n.startswith("records/")]
        leaves = z.read("leaves.txt").decode().split()
    assert not any("private" in n for n in names)
    other_seqs = {e.seq for e in built.vault.events()
                  if e.payload.get("incident") == built.other_incident}
    assert other_seqs and not other_seqs & {r.seq for r in records}
    assert len(leaves) >= max(other_seqs)  # represented, by hash only
    # Earlier packs' records may be disclosed for the exhibits' continuity, but only those
    # naming nothing beyond this pack's own items (and no folder of the producer's).
    others = {i.id for i in built.vault.items() if i.incident_id == built.other_incident}
    assert others
    for record in records:
        if record.type in (EventType.EXPORT_MADE, EventType.EXPORT_STARTED):
            assert "folder" not in record.payload
            assert record.payload.get("incident") != built.other_incident
            assert not set(record.payload.get("items", [])) & others


def test_export_is_an_event_after_its_checkpoint(built: Built) -> None:
    for result in built.packs.values():
        assert built.vault.event(result.event_seq).type == EventType.EXPORT_MADE
        event = built.vault.event(result.started_seq)
        assert event.type == EventType.EXPORT_STARTED
        assert result.checkpoint.tree_size < event.seq < result.event_seq
        files = {f["name"]: f["sha256"] for f in event.payload["files"]}
        assert files[result.pdf.name] == hashlib.sha256(result.pdf.read_bytes()).hexdigest()
        assert files[result.bundle.name] == hashlib.sha256(
            result.bundle.read_bytes()).hexdigest()
        assert event.payload["checkpoint"]["root"] == result.checkpoint.root
    assert built.vault.verify().ok
    assert not list(built.out.glob(".evidence-kit-export-*"))


def test_inclusion_proofs_match_the_reference() -> None:
    leaves = [hashlib.sha256(bytes([i])).digest() for i in range(37)]
    root = merkle.root(leaves)
    fast = inclusion_proofs(leaves, range(1, 38))
    for seq in range(1, 38):
        assert fast[seq] == merkle.inclusion_proof(seq - 1, leaves)
        assert merkle.verify_inclusion(seq - 1, 37, leaves[seq - 1], fast[seq], root)


def test_verify_needs_no_vault_and_no_qt() -> None:
    code = ("import sys, evidence_kit.export.verify as v; "
            "bad = [m for m in ('PySide6', 'evidence_kit.core.vault', 'sqlcipher3', "
            "'reportlab') if m in sys.modules]; print(bad)")
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "[]"
