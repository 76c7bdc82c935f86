"""The packs already made, in words: the command line's ``packs`` and the app's list.

One wording for both, so a pack is described the same way wherever it is looked at.
"""

from __future__ import annotations

from evidence_kit import wording
from evidence_kit.core.exports import ExportState

FOR_WHOM = {"slt": "SLT", "police": "the police", "lado": "the LADO"}


def for_whom(state: ExportState) -> str:
    return FOR_WHOM.get(state.recipient, state.recipient or "someone")


def can_delete(state: ExportState) -> bool:
    return state.published and state.folder is not None and bool(state.files_there)


def files_words(state: ExportState, short: bool = False) -> str:
    """Where the pack's files are now: still there, deleted, gone, never published."""
    if not state.published:
        return ("Never published" if short else
                "started but never published: the export stopped before its files were "
                "put in place, so nothing was handed over")
    there = state.files_there
    if state.deleted is not None:
        if short:
            return "Deleted" + (" (a file of that name is back)" if there else "")
        said = (f"deleted with Evidence Kit on {wording.when(state.deleted.recorded_at)} "
                f"({wording.utc(state.deleted.recorded_at)})")
        return said + ("; but a file of that name is there again" if there else "")
    if not state.files:
        return "Not known" if short else "not known (this export's record names no files)"
    if len(there) == len(state.files):
        return "Still there" if short else "still there, not encrypted"
    if not there:
        return ("No longer there" if short else
                "no longer there (moved or deleted outside Evidence Kit)")
    if short:
        return "Only one is there"
    return (f"only {', '.join(f.name for f in there)} is still there; the other is "
            "not")


def where_words(state: ExportState) -> str:
    return state.folder or "not recorded (made by an older version of Evidence Kit)"


def pack_lines(state: ExportState) -> list[str]:
    """The command line's paragraph about one pack."""
    made = state.event.recorded_at
    lines = [f"{state.pack or '(no reference)'}  for {for_whom(state)}",
             f"  made    {wording.when(made)}  ({wording.utc(made)})",
             f"  where   {where_words(state)}"]
    for file in state.files:
        lines.append(f"          {file.name}")
    lines.append(f"  files   {files_words(state)}")
    return lines
