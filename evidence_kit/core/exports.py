"""What became of each export: recorded, published, confirmed, deleted, from the journal.

An ``export.started`` event names a pack's files before they are renamed into place,
and ``export.made`` confirms it (older vaults have only ``export.made``, written after
publishing). Started without a confirmation means the process stopped between the two:
if the files are not where the event says, the pack was never published.

A pack stays decrypted wherever it was written, perhaps on a shared family computer, so
the user can delete its two files once it has been handed over (:func:`delete_files`).
Only the PDF and the ZIP the export recorded are deleted, and only while each still has
the SHA-256 recorded for it: a file that was changed, or replaced by another of the same
name, is not the pack's and is left alone. An ``export.files_deleted`` event records
which were deleted; like every export record it names files, never folders, since later
packs disclose the journal and a folder names the user's account and disks.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kit.core.errors import NotFound, Refused
from evidence_kit.core.fsutil import file_sha256
from evidence_kit.core.journal import EventType
from evidence_kit.core.model import Event

if TYPE_CHECKING:
    from evidence_kit.core.vault import Vault

TYPES = (EventType.EXPORT_STARTED, EventType.EXPORT_MADE, EventType.EXPORT_FILES_DELETED)
"""The events :func:`states` reads."""

DELETION_CAVEAT = (
    "Deleting removes the files from this folder. On most modern drives (SSDs, USB "
    "sticks, memory cards), and in folders synced to the cloud or backed up, copies may "
    "remain until the space is reused, and copies the recipient or an email holds are not "
    "touched. The safest place for a pack is a drive you hand over or wipe.")


@dataclass(frozen=True)
class PackFile:
    name: str
    sha256: str
    size: int
    present: bool
    """A regular file of the recorded size is at that name in the pack's folder."""


@dataclass(frozen=True)
class ExportState:
    event: Event
    """The ``export.started`` event (or an older vault's ``export.made``)."""
    confirmed: bool
    files_present: bool
    folder: str | None = None
    """Where the pack was written (kept in the vault's settings, never in the journal);
    None when not known."""
    files: tuple[PackFile, ...] = ()
    deleted: Event | None = None
    """The ``export.files_deleted`` event, once the user deleted the pack's files."""

    @property
    def published(self) -> bool:
        # Files are only ever deleted from a published pack: deleting them later does not
        # make it one that never existed.
        return self.confirmed or self.files_present or self.deleted is not None

    @property
    def recipient(self) -> str:
        return str(self.event.payload.get("for", ""))

    @property
    def pack(self) -> str:
        return str(self.event.payload.get("pack", ""))

    @property
    def files_there(self) -> tuple[PackFile, ...]:
        return tuple(f for f in self.files if f.present)


FOLDER_KEY_PREFIX = "export-folder:"


def folder_key(pack: str) -> str:
    """The vault setting that remembers where a pack was written (never in the journal,
    whose records later packs disclose)."""
    return FOLDER_KEY_PREFIX + pack


def _folder_of(event: Event, folders: Mapping[str, str]) -> str | None:
    folder = event.payload.get("folder") or folders.get(str(event.payload.get("pack", "")))
    return folder if isinstance(folder, str) and folder else None


def _safe_name(name: Any) -> bool:
    return (isinstance(name, str) and name not in ("", ".", "..") and os.sep not in name
            and (os.altsep is None or os.altsep not in name))


def _pack_files(event: Event, folder: str | None) -> tuple[PackFile, ...]:
    files = event.payload.get("files")
    if not isinstance(files, list):
        return ()
    found = []
    for entry in files:
        if not isinstance(entry, dict) or not _safe_name(entry.get("name")):
            continue
        name, size = str(entry["name"]), entry.get("size")
        present = False
        if folder is not None:
            try:
                info = (Path(folder) / name).lstat()
                present = stat.S_ISREG(info.st_mode) and info.st_size == size
            except OSError:
                present = False
        found.append(PackFile(name, str(entry.get("sha256", "")),
                              size if isinstance(size, int) else -1, present))
    return tuple(found)


def _all_present(files: tuple[PackFile, ...]) -> bool:
    return bool(files) and all(f.present for f in files)


def states(events: Iterable[Event],
           folders: Mapping[str, str] | None = None) -> list[ExportState]:
    """Each export and whether it was published; ``folders`` maps packs to where they were
    written (older vaults' records hold the folder themselves)."""
    folders = folders or {}
    started: list[Event] = []
    confirmed: set[int] = set()
    deleted: dict[int, Event] = {}
    older: list[Event] = []
    for event in events:
        if event.type == EventType.EXPORT_STARTED:
            started.append(event)
        elif event.type == EventType.EXPORT_MADE:
            if isinstance(event.payload.get("started"), int):
                confirmed.add(event.payload["started"])
            else:  # an older vault's: the whole export, recorded once it was published
                older.append(event)
        elif event.type == EventType.EXPORT_FILES_DELETED and isinstance(
                event.payload.get("of"), int):
            deleted[event.payload["of"]] = event
    found: list[ExportState] = []
    for event in older:
        folder = _folder_of(event, folders)
        found.append(ExportState(event, True, True, folder, _pack_files(event, folder),
                                 deleted.get(event.seq)))
    for event in started:
        done = event.seq in confirmed
        folder = _folder_of(event, folders)
        files = _pack_files(event, folder)
        found.append(ExportState(event, done, done or _all_present(files), folder, files,
                                 deleted.get(event.seq)))
    return sorted(found, key=lambda s: s.event.seq)


def find(found: Iterable[ExportState], reference: str) -> ExportState:
    """The export whose pack reference is ``reference`` (any case, spaces ignored)."""
    wanted = reference.strip().upper()
    listed = list(found)
    for state in listed:
        if state.pack.upper() == wanted:
            return state
    known = ", ".join(s.pack for s in listed if s.pack) or "none yet"
    raise NotFound(f"No pack with the reference {reference.strip()!r} was made from this "
                   f"vault (the packs made: {known}).")


@dataclass(frozen=True)
class Deletion:
    state: ExportState
    deleted: tuple[str, ...]
    already_gone: tuple[str, ...]
    left: tuple[str, ...] = field(default=())
    """Files at the pack's names whose content is no longer the pack's: not deleted."""
    seq: int = 0
    """The ``export.files_deleted`` event."""



def check_deletable(state: ExportState) -> None:
    """Refuse, in words, to delete what is not a published pack's own files."""
    if not state.published:
        raise Refused(f"Pack {state.pack} was never published: the export stopped before "
                      "its files were put in place, so there is nothing of it to delete.")
    if state.folder is None:
        raise Refused(f"Where pack {state.pack} was written is not recorded (it was made "
                      "by an older version of Evidence Kit); delete its files by hand: "
                      + ", ".join(f.name for f in state.files) + ".")
    if not state.files_there:
        raise Refused(f"The files of pack {state.pack} are no longer in {state.folder}: "
                      "they were already deleted or moved, so nothing was deleted.")


def delete_files(vault: Vault, reference: str) -> Deletion:
    """Delete a published pack's PDF and ZIP (nothing else) and record that it was done.

    Each file is deleted only if it is still a regular file with the SHA-256 and size
    the export recorded. The vault is checked first: a vault that cannot record the
    deletion (read-only, damaged) refuses before anything is deleted.
    """
    state = find(vault.exports(), reference)
    check_deletable(state)
    vault.check_writable()
    assert state.folder is not None  # check_deletable refused otherwise
    deleted: list[str] = []
    gone: list[str] = []
    left: list[str] = []
    for entry in state.files:
        path = Path(state.folder) / entry.name
        try:
            info = path.lstat()
        except FileNotFoundError:
            gone.append(entry.name)
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_size != entry.size or (
                file_sha256(path) != entry.sha256):
            left.append(entry.name)
            continue
        path.unlink()
        deleted.append(entry.name)
    if not deleted:
        raise Refused(f"Nothing of pack {state.pack} was deleted: "
                      + _not_deleted_words(state.folder, gone, left))
    record = vault.append(EventType.EXPORT_FILES_DELETED, {
        "pack": state.pack, "of": state.event.seq, "deleted": deleted,
        "already_gone": gone, "left_changed": left,
    }, "the deletion of the pack's files")
    return Deletion(state, tuple(deleted), tuple(gone), tuple(left), record.seq)


def _not_deleted_words(folder: str, gone: list[str], left: list[str]) -> str:
    parts = []
    if left:
        parts.append(f"{', '.join(left)} in {folder} no longer match the pack that was "
                     "made (changed or replaced since), so they were left as they are")
    if gone:
        parts.append(f"{', '.join(gone)} are no longer there")
    return "; ".join(parts) + "."
