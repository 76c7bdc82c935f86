"""Making an evidence pack: check, checkpoint, PDF and ZIP, record, publish, confirm.

The order is the honest one, and every step can be killed without leaving a lie:

1. the request and the output folder are checked, then the whole journal (every leaf,
   every link, the latest checkpoint): nothing has been written yet, so a refusal
   leaves the vault exactly as it was. Every page of the vault is checked meanwhile,
   in another thread (:mod:`evidence_kit.core.pagecheck`), and must have passed before
   step 4 (a command-line export checks before anything else instead);
2. the checkpoint is signed, so the pack can carry it; it is kept in step 4, with the
   export's own events, so an export that fails leaves no checkpoint behind;
3. the PDF and ZIP are built in a private folder inside the output folder (they hold
   decrypted evidence, so never the system's temporary folder), named for this process
   and remembered in the vault so that a crash's leftovers are removed at the next
   opening (:mod:`.staging`); every exhibit's content is re-hashed as it is read;
4. one transaction records the marks this pack is the first to use and an
   ``export.started`` event naming the files with their SHA-256 and sizes;
5. the files are renamed into place: a pack under its final name is always recorded;
6. ``export.made`` confirms that they were. An ``export.started`` without it is an
   export that never published (or, if its files are there, one killed just after).
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_kit.core import exports, marks
from evidence_kit.core.errors import FileProblem
from evidence_kit.core.fsutil import storage_error
from evidence_kit.core.journal import EventType, Record
from evidence_kit.core.model import CheckpointInfo
from evidence_kit.core.pagecheck import PageCheck
from evidence_kit.core.vault import Vault
from evidence_kit.core.verify import JournalCheck
from evidence_kit.export import staging
from evidence_kit.export.bundle import BundleWriter
from evidence_kit.export.errors import RESTORE_ADVICE, PackCheckFailed
from evidence_kit.export.feed import ExhibitFeed
from evidence_kit.export.hashbehind import HashBehind
from evidence_kit.export.pack import Pack, PackRequest, check_request, gather
from evidence_kit.export.pdf import Progress, build_pdf

STAGING_PREFIX = staging.STAGING_PREFIX
FILE_MODE = 0o600
"""Packs stay decrypted where they are written, perhaps on a shared family computer."""

PAUSE_ENV = "EVIDENCE_KIT_TEST_PAUSE_AT"
"""Test-only: ``<point>:<marker file>`` makes the export write the marker and wait at
``point`` ("building", "recorded", "published") so a test can kill it there with
SIGKILL (tests/export/test_exporter_kill.py). Never set outside tests."""


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
    """The ``export.made`` event confirming the files were published."""
    checkpoint: CheckpointInfo
    unshown: tuple[str, ...]
    """Characters no installed font could draw (shown in the PDF by name)."""
    started_seq: int = 0
    """The ``export.started`` event recording the pack before it was published."""


def sign_detached(vault: Vault, data: bytes) -> bytes:
    return vault.sign_detached(data)


def _pause(point: str) -> None:
    spec = os.environ.get(PAUSE_ENV)
    if not spec or spec.partition(":")[0] != point:
        return
    Path(spec.partition(":")[2]).write_text(str(os.getpid()))
    while True:  # until killed
        time.sleep(60)



def _fsync(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_out_dir(out_dir: Path) -> Path:
    """The output folder, made if need be; refused in words if it cannot hold a pack."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise FileProblem(f"{out_dir} is a file; give a folder to write the pack into.")
    for parent in out_dir.parents:
        if parent.exists():
            if not parent.is_dir():
                raise FileProblem(f"{parent} is a file, so {out_dir} cannot be made; give "
                                  "a folder to write the pack into.")
            break
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise storage_error(exc, f"the folder {out_dir}") from exc
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise FileProblem(f"The folder {out_dir} cannot be written to; choose another.")
    return out_dir


def _check_journal(vault: Vault) -> JournalCheck:
    check = vault.check_journal()
    if not check.ok:
        first = check.failures[0]
        raise PackCheckFailed(f"The vault failed the check made before every pack: "
                              f"{first.message} {RESTORE_ADVICE}")
    return check


def _check_records(pack: Pack, check: JournalCheck) -> None:
    """Each exhibit's hash in the state must be the one its own record names."""
    by_seq = {r.seq: r for r in check.records}
    for exhibit in pack.exhibits:
        for item in (exhibit.item, exhibit.redacted, *exhibit.frames, exhibit.stitched):
            if item is None:
                continue
            record = by_seq.get(item.created_seq)
            file = record.payload.get("file") if record is not None else None
            if not isinstance(file, dict) or file.get("sha256") != item.sha256:
                raise PackCheckFailed(
                    f"The vault failed the check made before every pack: item {item.id} "
                    f"(exhibit {exhibit.mark}) no longer matches event {item.created_seq}, "
                    f"which recorded it. {RESTORE_ADVICE}")


def _marks_still_free(pack: Pack) -> Any:
    def check(conn: Any) -> None:
        taken = marks.all_marks(conn)
        highest = max((m.number for m in taken.values()), default=0)
        if any(m.item in taken for m in pack.new_marks) or (
                pack.new_marks and min(m.number for m in pack.new_marks) <= highest):
            raise FileProblem("Evidence was marked while this pack was being made, so "
                              "nothing was exported; export again.")
    return check


def _started_payload(pack: Pack, request: PackRequest, out_dir: Path,
                     files: list[dict[str, Any]], members: int) -> dict[str, Any]:
    return {
        "pack": pack.pack_id,
        "for": request.recipient,
        "incident": request.incident,
        **({"incidents": list(request.incidents)} if len(request.incidents) > 1 else {}),
        "items": [e.item.id for e in pack.exhibits]
        + [e.redacted.id for e in pack.exhibits if e.redacted is not None]
        + [f.id for e in pack.exhibits for f in e.frames]
        + [e.stitched.id for e in pack.exhibits if e.stitched is not None],
        "exhibits": [{"mark": e.mark, "item": e.item.id, "sha256": e.item.sha256,
                      "redacted_sha256": e.redacted.sha256 if e.redacted else None,
                      "original_included": e.original_in_pack} for e in pack.exhibits],
        "files": files,
        "bundle_members": members,
        "checkpoint": {"tree_size": pack.checkpoint.tree_size, "root": pack.checkpoint.root},
        "journal_checked": pack.journal_checked,
        "disclosed": list(pack.disclosed),
        "marking": request.marking,
    }


def export_pack(vault: Vault, request: PackRequest, out_dir: Path,
                progress: Progress | None = None) -> ExportResult:
    """Make the PDF and ZIP for ``request`` in ``out_dir`` and record the export."""
    if vault.check_pages_before_writing:
        # A process whose first act is a write (the command line) checks every page
        # before it (see core/damage.py); a pack from a damaged vault would verify as
        # intact, so damage is refused.
        vault.check_pages(recent_ok=True)
    check_request(vault, request)  # refuses bad requests before any folder is made
    out_dir = _check_out_dir(out_dir)
    # Otherwise the same check runs beside the build (core/pagecheck.py): the pack is
    # recorded and published only once it has passed.
    pages = vault.start_page_check(recent_ok=True)
    try:
        return _export(vault, request, out_dir, pages, progress)
    except BaseException:
        pages.abandon()
        raise


def _export(vault: Vault, request: PackRequest, out_dir: Path, pages: PageCheck,
            progress: Progress | None) -> ExportResult:
    check = _check_journal(vault)
    checkpoint = vault.sign_checkpoint()  # kept with the export's events, not before
    pack = gather(vault, request, checkpoint, journal_checked=check.events)
    _check_records(pack, check)
    stem = f"evidence-pack-{request.recipient}-{pack.pack_id}"
    pdf_name, zip_name = f"{stem}.pdf", f"{stem}.zip"
    final_pdf, final_zip = out_dir / pdf_name, out_dir / zip_name
    if final_pdf.exists() or final_zip.exists():
        raise FileProblem(f"{final_pdf} already exists; export again in a minute.")
    try:
        work = staging.make_staging(vault, out_dir)
    except OSError as exc:
        raise storage_error(exc, f"the pack in {out_dir}") from exc
    published: list[Path] = []
    hashing: list[HashBehind] = []
    try:
        pdf_path, zip_path = work / pdf_name, work / zip_name
        os.close(os.open(pdf_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        pdf_behind = HashBehind(pdf_path, crc=True)  # for the ZIP, without a read-back
        hashing.append(pdf_behind)
        fd = os.open(zip_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        # The ZIP's SHA-256, made as it is written; nothing reads the ZIP again, so its
        # pages leave the cache once they are on the disk (core/writeback.py).
        behind = HashBehind(zip_path, forget_behind=True)
        hashing.append(behind)
        with os.fdopen(fd, "wb") as handle:
            bundle = BundleWriter(handle, pack, behind.final_to)
            try:
                # Each exhibit is read once, in a thread ahead of the layout: into the
                # ZIP as it is read, and kept for the PDF.
                with ExhibitFeed(vault, pack, bundle) as feed:
                    result = build_pdf(pack, feed.read_blob, pdf_path, zip_name,
                                       _stepper(feed, pages, progress), pdf_behind.final_to)
                    feed.finish()
                os.chmod(pdf_path, FILE_MODE)
                _pause("building")
                leaves = vault.leaves(checkpoint.tree_size)
                members = bundle.finish(pdf_path, pdf_name, zip_name, vault.record_bytes,
                                        leaves, lambda data: sign_detached(vault, data),
                                        _kept_stamps(vault),
                                        pdf_behind.digest(pdf_path.stat().st_size))
            finally:
                bundle.close()
        for path in (pdf_path, zip_path):
            _fsync(path)
        # The PDF was hashed as it went into the ZIP, the ZIP just behind its writing.
        pdf_sha = next(m.sha256 for m in members if m.path == pdf_name)
        zip_sha = behind.hexdigest(zip_path.stat().st_size)
        files = [{"name": pdf_name, "sha256": pdf_sha, "size": pdf_path.stat().st_size},
                 {"name": zip_name, "sha256": zip_sha, "size": zip_path.stat().st_size}]
        pages.wait()  # nothing is recorded or published from a vault that failed it
        # Where the pack went stays on this computer, in the vault's encrypted settings:
        # the journal (disclosed in later packs) names only the files.
        vault.set_setting(exports.folder_key(pack.pack_id), os.fsdecode(out_dir.resolve()))
        recorded = vault.append_all(
            [*((EventType.EXHIBIT_MARKED, marks.payload(m.item, m.mark.split("/")[0],
                                                        m.number))
               for m in pack.new_marks),
             (EventType.EXPORT_STARTED,
              _started_payload(pack, request, out_dir, files, len(members)))],
            "the export", check=_marks_still_free(pack), checkpoint=checkpoint)
        started: Record = recorded[-1]
        _pause("recorded")
        for path, final in ((pdf_path, final_pdf), (zip_path, final_zip)):
            os.replace(path, final)
            published.append(final)
        _fsync(out_dir)
        _pause("published")
        made = vault.append(EventType.EXPORT_MADE,
                            {"pack": pack.pack_id, "started": started.seq, "files": files},
                            "the export")
    except OSError as exc:
        _unpublish(published)
        raise storage_error(exc, f"the pack in {out_dir}") from exc
    except BaseException:
        _unpublish(published)
        raise
    finally:
        for unfinished in hashing:
            unfinished.abandon()
        staging.release(vault, work)
    return ExportResult(pack.pack_id, final_pdf, final_zip, pdf_sha, zip_sha, result.pages,
                        len(pack.exhibits), made.seq, checkpoint, result.unshown,
                        started.seq)


def _stepper(feed: ExhibitFeed, pages: PageCheck, progress: Progress | None) -> Progress:
    """The build's progress, where damage found meanwhile stops the export."""
    def step(done: int, total: int, message: str) -> None:
        feed.check()
        try:
            pages.poll()
        except BaseException:
            # The page check also sees damage an exhibit's own check found first, and
            # the exhibit named is the better news.
            found = feed.failure()
            if found is not None:
                raise found from None
            raise
        if progress is not None:
            progress(done, total, message)
    return step


def _kept_stamps(vault: Vault) -> list[Any]:
    if not vault.events_of_type(EventType.TIMESTAMP_ADDED):
        return []  # the RFC 3161 library is loaded only for a vault that has tokens
    from evidence_kit.core.timestamps import kept_tokens

    return kept_tokens(vault)


def _unpublish(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
