"""What became of each export: recorded, published, confirmed, from the journal alone.

An ``export.started`` event names a pack's files before they are renamed into place,
and ``export.made`` confirms it (older vaults have only ``export.made``, written after
publishing). Started without a confirmation means the process stopped between the two:
if the files are not where the event says, the pack was never published.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from evidence_kit.core.journal import EventType
from evidence_kit.core.model import Event


@dataclass(frozen=True)
class ExportState:
    event: Event
    """The ``export.started`` event (or an older vault's ``export.made``)."""
    confirmed: bool
    files_present: bool

    @property
    def published(self) -> bool:
        return self.confirmed or self.files_present

    @property
    def recipient(self) -> str:
        return str(self.event.payload.get("for", ""))

    @property
    def pack(self) -> str:
        return str(self.event.payload.get("pack", ""))


FOLDER_KEY_PREFIX = "export-folder:"


def folder_key(pack: str) -> str:
    """The vault setting that remembers where a pack was written (never in the journal,
    whose records later packs disclose)."""
    return FOLDER_KEY_PREFIX + pack


def _files_present(event: Event, folders: Mapping[str, str]) -> bool:
    folder = event.payload.get("folder") or folders.get(str(event.payload.get("pack", "")))
    files = event.payload.get("files")
    if not isinstance(folder, str) or not isinstance(files, list) or not files:
        return False
    for entry in files:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or os.sep in name or name in ("", ".", ".."):
            return False
        try:
            if (Path(folder) / name).stat().st_size != entry.get("size"):
                return False
        except OSError:
            return False
    return True


def states(events: Iterable[Event],
           folders: Mapping[str, str] | None = None) -> list[ExportState]:
    """Each export and whether it was published; ``folders`` maps packs to where they were
    written (older vaults' records hold the folder themselves)."""
    folders = folders or {}
    started: list[Event] = []
    confirmed: set[int] = set()
    found: list[ExportState] = []
    for event in events:
        if event.type == EventType.EXPORT_STARTED:
            started.append(event)
        elif event.type == EventType.EXPORT_MADE:
            if isinstance(event.payload.get("started"), int):
                confirmed.add(event.payload["started"])
            else:  # an older vault's: the whole export, recorded once it was published
                found.append(ExportState(event, True, True))
    for event in started:
        done = event.seq in confirmed
        found.append(ExportState(event, done, done or _files_present(event, folders)))
    return sorted(found, key=lambda s: s.event.seq)
