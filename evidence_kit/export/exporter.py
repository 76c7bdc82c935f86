"""Making an evidence pack: checkpoint, PDF, ZIP, then the journal event that records it.

The order is the honest one. The checkpoint is made first, so the pack can carry it;
the PDF and ZIP are built under it, in a private folder inside the output folder (they
hold decrypted evidence, so they never go to the system's temporary folder); both are
moved to their final names only when complete; and then the export is recorded as an
event naming what went to whom with the files' SHA-256. That event comes after the
checkpoint the pack carries, so the next checkpoint covers it. If the event cannot be
recorded, the published files are removed again: there is never an unrecorded pack.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from evidence_kit.core.errors import FileProblem
from evidence_kit.core.fsutil import storage_error
from evidence_kit.core.journal import EventType
from evidence_kit.core.model import CheckpointInfo
from evidence_kit.core.vault import Vault
from evidence_kit.export.bundle import write_bundle
from evidence_kit.export.pack import PackRequest, gather
from evidence_kit.export.pdf import Progress, build_pdf

STAGING_PREFIX = ".evidence-kit-export-"


@dataclass(frozen=True)
class ExportResult:
    pack_id: str
    pdf: Path
    bundle: Path
    pdf_sha256: str
    bundle_sha256: str
    pages: int
    exhibits: int
    event_seq: int
    checkpoint: CheckpointInfo
    unshown: tuple[str, ...]
    """Characters no installed font could draw (shown in the PDF by name)."""


def sign_detached(vault: Vault, data: bytes) -> bytes:
    return vault.sign_detached(data)


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prepare(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise FileProblem(f"{out_dir} is a file; give a folder to write the pack into.")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise storage_error(exc, f"the folder {out_dir}") from exc
    return out_dir


def export_pack(vault: Vault, request: PackRequest, out_dir: Path,
                progress: Progress | None = None) -> ExportResult:
    """Make the PDF and ZIP for ``request`` in ``out_dir`` and record the export."""
    if Path(out_dir).exists() and not Path(out_dir).is_dir():
        raise FileProblem(f"{out_dir} is a file; give a folder to write the pack into.")
    checkpoint = vault.checkpoint()
    pack = gather(vault, request, checkpoint)  # refuses bad requests before any folder is made
    out_dir = _prepare(out_dir)
    stem = f"evidence-pack-{request.recipient}-{pack.pack_id}"
    pdf_name, zip_name = f"{stem}.pdf", f"{stem}.zip"
    final_pdf, final_zip = out_dir / pdf_name, out_dir / zip_name
    if final_pdf.exists() or final_zip.exists():
        raise FileProblem(f"{final_pdf} already exists; export again in a minute.")
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    except OSError as exc:
        raise storage_error(exc, f"the pack in {out_dir}") from exc
    published: list[Path] = []
    try:
        pdf_path, zip_path = staging / pdf_name, staging / zip_name
        result = build_pdf(pack, vault.read_blob, pdf_path, staging, zip_name, progress)
        leaves = vault.leaves(checkpoint.tree_size)
        with open(zip_path, "wb") as handle:
            files = write_bundle(handle, pack, pdf_path, pdf_name, zip_name, vault.iter_blob,
                                 vault.record_bytes, leaves,
                                 lambda data: sign_detached(vault, data))
        pdf_sha, zip_sha = _digest(pdf_path), _digest(zip_path)
        for path in (pdf_path, zip_path):
            _fsync(path)
        for path, final in ((pdf_path, final_pdf), (zip_path, final_zip)):
            os.replace(path, final)
            published.append(final)
        _fsync(out_dir)
        record = vault.append(EventType.EXPORT_MADE, {
            "pack": pack.pack_id,
            "for": request.recipient,
            "incident": request.incident,
            "items": [e.item.id for e in pack.exhibits]
            + [e.redacted.id for e in pack.exhibits if e.redacted is not None],
            "exhibits": [{"mark": e.mark, "item": e.item.id, "sha256": e.item.sha256,
                          "redacted_sha256": e.redacted.sha256 if e.redacted else None,
                          "original_included": e.original_in_pack} for e in pack.exhibits],
            "files": [{"name": pdf_name, "sha256": pdf_sha, "size": final_pdf.stat().st_size},
                      {"name": zip_name, "sha256": zip_sha, "size": final_zip.stat().st_size}],
            "bundle_members": len(files),
            "checkpoint": {"tree_size": checkpoint.tree_size, "root": checkpoint.root},
            "disclosed": list(pack.disclosed),
            "marking": request.marking,
        }, "the export")
    except OSError as exc:
        _unpublish(published)
        raise storage_error(exc, f"the pack in {out_dir}") from exc
    except BaseException:
        _unpublish(published)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ExportResult(pack.pack_id, final_pdf, final_zip, pdf_sha, zip_sha, result.pages,
                        len(pack.exhibits), record.seq, checkpoint, result.unshown)


def _unpublish(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()

