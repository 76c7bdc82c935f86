"""Each exhibit's content is read out of the vault once per pack, for the PDF and ZIP."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from evidence_kit.core.vault import Vault
from evidence_kit.export.exporter import export_pack
from evidence_kit.export.pack import PackRequest
from tests.export.conftest import populate


def test_every_exhibit_is_read_once_and_its_exact_bytes_are_in_the_bundle(
        vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    incident, _other, items, redacted = populate(vault)
    reads: Counter[str] = Counter()
    real_iter, real_read = Vault.iter_blob, Vault.read_blob

    def iter_blob(self: Vault, sha256: str) -> Iterator[bytes]:
        reads[sha256] += 1
        return real_iter(self, sha256)

    def read_blob(self: Vault, sha256: str, limit: int | None = None) -> bytes:
        reads[sha256] += 1
        return real_read(self, sha256, limit)

    monkeypatch.setattr(Vault, "iter_blob", iter_blob)
    monkeypatch.setattr(Vault, "read_blob", read_blob)
    made = export_pack(vault, PackRequest(recipient="police", incident=incident),
                       tmp_path / "out")
    monkeypatch.undo()
    exhibits = [i for i in vault.items(incident=incident) if i.id != redacted]
    carried = {vault.item(i).sha256 for i in items.values() if i != items["private"]}
    carried.add(vault.item(redacted).sha256)
    assert made.exhibits == len(exhibits)
    assert set(reads) == carried and set(reads.values()) == {1}
    with zipfile.ZipFile(made.bundle) as bundle:
        contents = {hashlib.sha256(bundle.read(n)).hexdigest() for n in bundle.namelist()
                    if n.startswith(("originals/", "redacted/"))}
        manifest = json.loads(bundle.read("manifest.json"))
        # An original shown only redacted stays out of the bundle, but is still checked.
        withheld = {e["sha256"] for e in manifest["exhibits"] if e["file"] is None}
        assert withheld == {vault.item(items["arabic"]).sha256}
        assert contents == carried - withheld
        # The PDF is there whole, with the hash the export recorded.
        assert hashlib.sha256(bundle.read(made.pdf.name)).hexdigest() == made.pdf_sha256
