"""The packs you made: ``packs`` lists them, ``packs delete REF`` deletes one's files.

A pack's PDF and ZIP are not encrypted and stay wherever they were written, perhaps on
a shared family computer, until someone deletes them.
"""

from __future__ import annotations

import sys
from typing import Any

from evidence_kit import wording
from evidence_kit.core.errors import BadInput
from evidence_kit.core.exports import DELETION_CAVEAT, ExportState
from evidence_kit.export.made import pack_lines

from .shared import Parser, Session, json_out, out, subcommand


def register(sub: Any) -> None:
    packs = subcommand(
        sub, "packs", "list the evidence packs you made, or delete one's files",
        "List every evidence pack made from this vault (from its journal): when, for "
        "whom, its reference, the folder it was written to and whether its PDF and ZIP "
        "are still there. The files are not encrypted: once a pack has been handed over, "
        "'packs delete REF' deletes them.", cmd_packs,
        epilog=DELETION_CAVEAT)
    packs.add_argument("--json", action="store_true",
                       help="print the packs as JSON, for scripts")
    actions = packs.add_subparsers(dest="packs_command", metavar="ACTION",
                                   parser_class=Parser)
    delete = subcommand(
        actions, "delete", "delete a pack's PDF and ZIP from where they were written",
        "Delete a pack's PDF and ZIP from the folder they were written to, and record in "
        "the journal that they were deleted (the folder is not recorded). Nothing else is "
        "deleted, and a file changed since the export is left alone. Asks first, at a "
        "terminal; scripts pass --yes.", epilog=DELETION_CAVEAT)
    delete.add_argument("reference", metavar="REF",
                        help="the pack's reference, as 'evidence-kit packs' lists it "
                        "(EK-…)")
    delete.add_argument("--yes", action="store_true",
                        help="delete without asking (for scripts)")


def _json(state: ExportState) -> dict[str, Any]:
    return {"pack": state.pack, "for": state.recipient, "made_at": state.event.recorded_at,
            "event": state.event.seq, "published": state.published,
            "confirmed": state.confirmed, "folder": state.folder,
            "files": [{"name": f.name, "sha256": f.sha256, "size": f.size,
                       "present": f.present} for f in state.files],
            "deleted_at": state.deleted.recorded_at if state.deleted else None}


def cmd_packs(session: Session) -> int:
    if session.args.packs_command == "delete":
        return cmd_delete(session)
    with session.open() as vault:
        found = vault.exports()
    if session.args.json:
        json_out([_json(s) for s in found])
        return 0
    if not found:
        out("No packs have been made from this vault yet.")
        return 0
    out(f"{wording.plural(len(found), 'pack')} made from this vault, oldest first. A "
        "pack's files are not encrypted; delete them once handed over with: "
        "evidence-kit packs delete REF")
    for state in found:
        out()
        for line in pack_lines(state):
            out(line)
    return 0


def cmd_delete(session: Session) -> int:
    from evidence_kit.core import exports

    args = session.args
    if not args.yes and not sys.stdin.isatty():
        raise BadInput("Deleting a pack's files asks first; there is no terminal to ask "
                       "at, so pass --yes to delete them from a script.")
    with session.open() as vault:
        state = exports.find(vault.exports(), args.reference)
        exports.check_deletable(state)
        vault.check_writable()
        if not args.yes and not _ask(state):
            out("Nothing was deleted.")
            return 0
        deletion = exports.delete_files(vault, state.pack)
    out(f"Deleted {', '.join(deletion.deleted)} from {state.folder} (recorded as event "
        f"{deletion.seq}).")
    if deletion.left:
        out(f"Left as they are, since they no longer match the pack that was made: "
            f"{', '.join(deletion.left)}.")
    if deletion.already_gone:
        out(f"Already gone: {', '.join(deletion.already_gone)}.")
    out(DELETION_CAVEAT)
    return 0


def _ask(state: ExportState) -> bool:
    sys.stderr.write(f"Delete these files from {state.folder}?\n")
    for file in state.files_there:
        sys.stderr.write(f"  {file.name}\n")
    sys.stderr.write(DELETION_CAVEAT + "\n")
    sys.stderr.flush()
    answer = input("Type 'delete' to delete them, anything else keeps them: ")
    return answer.strip().lower() == "delete"
