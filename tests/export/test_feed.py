"""Each exhibit's content is read out of the vault once per pack, for the PDF and ZIP."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import sys
import threading
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evidence_kit.core.blobs import BlobReader
from evidence_kit.core.vault import Vault
from evidence_kit.export.bundle import BundleWriter
from evidence_kit.export.exporter import export_pack
from evidence_kit.export.feed import ExhibitFeed
from evidence_kit.export.pack import Pack, PackRequest, gather
from evidence_kit.export.sections import read_limit
from tests.export.conftest import populate


def test_every_exhibit_is_read_once_and_its_exact_bytes_are_in_the_bundle(
        vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    incident, _other, items, redacted = populate(vault)
    reads: Counter[str] = Counter()
    real_iter, real_read = Vault.iter_blob, Vault.read_blob
    real_reader_iter = BlobReader.iter_blob

    def iter_blob(self: Vault, sha256: str) -> Iterator[bytes]:
        reads[sha256] += 1
        return real_iter(self, sha256)

    def reader_iter_blob(self: BlobReader, sha256: str) -> Iterator[bytes]:
        reads[sha256] += 1  # the feed's thread, on a connection of its own
        return real_reader_iter(self, sha256)

    def read_blob(self: Vault, sha256: str, limit: int | None = None) -> bytes:
        reads[sha256] += 1
        return real_read(self, sha256, limit)

    monkeypatch.setattr(Vault, "iter_blob", iter_blob)
    monkeypatch.setattr(Vault, "read_blob", read_blob)
    monkeypatch.setattr(BlobReader, "iter_blob", reader_iter_blob)
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


def _feed_setup(vault: Vault, tmp_path: Path) -> tuple[Pack, list[str]]:
    incident, _other, _items, _redacted = populate(vault)
    request = PackRequest(recipient="police", incident=incident)
    pack = gather(vault, request, vault.sign_checkpoint())
    return pack, [e.shown.sha256 for e in pack.exhibits]


def _shown(vault: Vault, pack: Pack, index: int) -> bytes:
    exhibit = pack.exhibits[index]
    return vault.read_blob(exhibit.shown.sha256, read_limit(exhibit))


@pytest.mark.parametrize("ahead", [1, 1 << 30])
def test_the_feed_gives_the_right_bytes_in_any_order_and_whatever_it_may_read_ahead(
        vault: Vault, tmp_path: Path, ahead: int) -> None:
    pack, shas = _feed_setup(vault, tmp_path)
    assert len(shas) >= 4
    order = [2, 0, 3, 1, *range(4, len(shas))]  # the layout going back, then on
    with (tmp_path / "b.zip").open("wb") as handle:
        bundle = BundleWriter(handle, pack)
        with ExhibitFeed(vault, pack, bundle, ahead_bytes=ahead) as feed:
            for index in order:
                exhibit = pack.exhibits[index]
                assert feed.read_blob(shas[index], read_limit(exhibit)) == _shown(
                    vault, pack, index)
            feed.finish()
        bundle.close()
    with zipfile.ZipFile(tmp_path / "b.zip") as written:
        assert written.testzip() is None
        assert {hashlib.sha256(written.read(n)).hexdigest() for n in written.namelist()
                } >= {e.item.sha256 for e in pack.exhibits if e.original_in_pack}


class _FullDisk(io.BytesIO):
    def write(self, data: Any) -> int:  # type: ignore[override]
        if self.tell() > 1000:
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)


def test_a_full_disk_met_by_the_feeds_thread_is_raised_to_the_layout(
        vault: Vault, tmp_path: Path) -> None:
    pack, shas = _feed_setup(vault, tmp_path)
    bundle = BundleWriter(_FullDisk(), pack)
    with ExhibitFeed(vault, pack, bundle) as feed, pytest.raises(OSError,
                                                                 match="No space left"):
        for index, sha in enumerate(shas):
            feed.read_blob(sha, read_limit(pack.exhibits[index]))
        feed.finish()
    with contextlib.suppress(OSError):
        bundle.close()
    assert not any(t.name == "evidence-kit exhibits" for t in threading.enumerate())


def test_a_feed_left_early_stops_its_thread_and_puts_the_interval_back(
        vault: Vault, tmp_path: Path) -> None:
    pack, shas = _feed_setup(vault, tmp_path)
    before = sys.getswitchinterval()
    with (tmp_path / "b.zip").open("wb") as handle:
        bundle = BundleWriter(handle, pack)
        with ExhibitFeed(vault, pack, bundle, ahead_bytes=1) as feed:
            assert sys.getswitchinterval() < before  # see feed.py: the GIL's turns
            feed.read_blob(shas[0], read_limit(pack.exhibits[0]))
        bundle.close()
        # The layout failed here: the thread is gone, and nothing else was written.
        assert not any(t.name == "evidence-kit exhibits" for t in threading.enumerate())
        assert sys.getswitchinterval() == before
    assert vault.check_journal().ok
