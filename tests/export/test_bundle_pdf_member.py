"""The pack's PDF goes into the ZIP with the hashes taken as it was written, its bytes
copied by the kernel: every unzip tool must read that member as it reads the others."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from evidence_kit.core import fsutil
from evidence_kit.core.vault import Vault
from evidence_kit.export.exporter import ExportResult, export_pack
from evidence_kit.export.pack import PackRequest
from tests.export.conftest import populate, tool


def _made(vault: Vault, out: Path) -> ExportResult:
    incident, *_ = populate(vault)
    return export_pack(vault, PackRequest("police", incident=incident), out)


def _check_with_every_tool(made: ExportResult) -> None:
    pdf = made.pdf.read_bytes()
    with zipfile.ZipFile(made.bundle) as archive:
        assert archive.testzip() is None  # every member's CRC-32 as recorded
        info = archive.getinfo(made.pdf.name)
        assert info.compress_type == zipfile.ZIP_STORED and info.file_size == len(pdf)
        assert archive.read(made.pdf.name) == pdf
        sums = archive.read("SHA256SUMS").decode()
    assert f"{hashlib.sha256(pdf).hexdigest()}  {made.pdf.name}" in sums
    tested = subprocess.run([tool("unzip"), "-t", str(made.bundle)], capture_output=True,
                            text=True, check=False)
    assert tested.returncode == 0 and "No errors detected" in tested.stdout, tested.stdout
    if shutil.which("7z"):
        seven = subprocess.run([tool("7z"), "t", str(made.bundle)], capture_output=True,
                               text=True, check=False)
        assert seven.returncode == 0 and "Everything is Ok" in seven.stdout, seven.stdout
    if shutil.which("bsdtar"):  # read as a stream, from the local headers alone
        streamed = subprocess.run([tool("bsdtar"), "-xOf", "-", made.pdf.name],
                                  input=made.bundle.read_bytes(), capture_output=True,
                                  check=False)
        assert streamed.returncode == 0 and streamed.stdout == pdf


def test_the_pdf_member_reads_the_same_in_every_unzip_tool(vault: Vault,
                                                           tmp_path: Path) -> None:
    _check_with_every_tool(_made(vault, tmp_path / "out"))


def test_without_the_kernels_copy_the_member_is_the_same(
        vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """macOS and Windows have no copy_file_range: the bytes are copied by hand."""
    monkeypatch.delattr(os, "copy_file_range", raising=False)
    _check_with_every_tool(_made(vault, tmp_path / "out"))


def test_a_copy_the_kernel_refuses_is_finished_by_hand(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(3_000_000))
    calls: list[int] = []

    def partly(src: int, dst: int, count: int) -> int:
        if calls:
            raise OSError(18, "Invalid cross-device link")  # EXDEV after a first piece
        calls.append(count)
        return os.write(dst, os.pread(src, 1_000_000, 0))

    monkeypatch.setattr(os, "copy_file_range", partly)
    target = tmp_path / "target.bin"
    with open(target, "wb") as handle:
        handle.write(b"head")
        fsutil.copy_into(source, handle, 2_500_000)
    assert target.read_bytes() == b"head" + source.read_bytes()[:2_500_000]
    with open(target, "wb") as handle, pytest.raises(OSError, match="early"):
        fsutil.copy_into(source, handle, 4_000_000)


@pytest.mark.parametrize("kernel", [True, False])
def test_the_copy_says_how_far_it_is_piece_by_piece(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel: bool) -> None:
    """So the ZIP's writing-back can follow the PDF's copy rather than wait for its end."""
    monkeypatch.setattr(fsutil, "_KERNEL_PIECE", 1_000_000)
    monkeypatch.setattr(fsutil, "_COPY_PIECE", 1_000_000)
    if not kernel:
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(3_500_000))
    target = tmp_path / "target.bin"
    told: list[int] = []
    with open(target, "wb") as handle:
        handle.write(b"head")
        fsutil.copy_into(source, handle, 3_500_000, told.append)
        assert handle.tell() == 4 + 3_500_000
    assert told == [1_000_000, 2_000_000, 3_000_000, 3_500_000]
    assert target.read_bytes() == b"head" + source.read_bytes()
