"""Making packs and checking them: ``export`` and ``verify-bundle``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from evidence_kit.wording import plural

from .shared import Session, json_out, out, subcommand


def register(sub: Any) -> None:
    export = subcommand(sub, "export", "make an evidence pack (PDF and ZIP) for SLT, "
                        "the police or the LADO",
                        "Make an evidence pack for SLT, the police or the LADO: a PDF to "
                        "read and a ZIP they can check. The export is recorded in the "
                        "journal.", cmd_export)
    chosen = export.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--incident", type=incident_list, metavar="ID[,ID…]",
                        help="every item of incident ID; several, separated by commas, make "
                        "one pack showing a course of conduct")
    chosen.add_argument("--items", type=id_list, metavar="ID,…",
                        help="these items, by number, separated by commas")
    export.add_argument("--for", dest="recipient", required=True,
                        choices=("slt", "police", "lado"),
                        help="who the pack is for: it decides the pack's sections")
    export.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="the folder the PDF and ZIP are written to")
    export.add_argument("--marking", default="OFFICIAL-SENSITIVE",
                        help="the handling marking on every page (default: %(default)s)")
    export.add_argument("--include-originals", action="store_true",
                        help="also include unredacted originals where a redacted copy exists")

    bundle = subcommand(sub, "verify-bundle", "check an evidence bundle you were given "
                        "(needs no vault)",
                        "Check an evidence bundle (the ZIP of a pack) you were given: every "
                        "file, record and signature. Needs no vault; exit 1 if anything "
                        "fails.", cmd_verify_bundle)
    bundle.add_argument("bundle", type=Path, metavar="FILE.zip", help="the bundle to check")
    bundle.add_argument("--json", action="store_true",
                        help="print the result as JSON, for scripts")
    bundle.add_argument("--since", type=Path, metavar="OLD.zip",
                        help="an earlier pack from the same sender: check that nothing it "
                        "recorded was removed or changed since")
    bundle.add_argument("--pdf", type=Path, metavar="PACK.pdf",
                        help="the PDF handed over with the ZIP: check it is the one the "
                        "bundle lists")
    bundle.add_argument("--fingerprint", type=fingerprint_arg, metavar="FP",
                        help="the key fingerprint the sender gave you another way (by phone, "
                        "in person): the bundle must be signed with that key")
    bundle.add_argument("--tsa-root", type=Path, metavar="CERTFILE",
                        help="a timestamp authority's root certificate you obtained "
                        "yourself: the pack's timestamps are checked against it instead of "
                        "the root the pack carries")


def id_list(text: str) -> tuple[int, ...]:
    try:
        ids = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("give item numbers separated by commas") from None
    if not ids:
        raise argparse.ArgumentTypeError("give at least one item number")
    return ids


def incident_list(text: str) -> tuple[int, ...]:
    try:
        ids = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("give incident numbers separated by commas") from None
    if not ids:
        raise argparse.ArgumentTypeError("give at least one incident number")
    return ids


def fingerprint_arg(text: str) -> str:
    from evidence_kit.export.verify import parse_fingerprint

    try:
        return parse_fingerprint(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def export_request(args: argparse.Namespace) -> Any:
    """The :class:`~evidence_kit.export.pack.PackRequest` the app's export dialog would
    make for the same choices (redacted copies used, as its box is ticked by default)."""
    from evidence_kit.export.pack import DEFAULT_MARKING, PackRequest

    return PackRequest(recipient=args.recipient, incidents=args.incident or (),
                       items=args.items or (),
                       marking=" ".join(args.marking.split()) or DEFAULT_MARKING,
                       include_originals=args.include_originals)


def cmd_export(session: Session) -> int:
    from evidence_kit.export.exporter import export_pack

    args = session.args
    request = export_request(args)

    def progress(done: int, total: int, what: str) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\r  {done}/{total} {what[:40]:<40}")

    from evidence_kit.core.marks import InitialsMissing

    with session.open() as vault:
        try:
            result = export_pack(vault, request, args.out, progress)
        except InitialsMissing as exc:
            raise InitialsMissing(f"{exc} Or here: evidence-kit profile set --initials "
                                  "YOUR-INITIALS") from exc
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    out(f"Pack {result.pack_id}: {plural(result.exhibits, 'exhibit')}, "
        f"{plural(result.pages, 'page')} "
        f"(recorded as events {result.started_seq} and {result.event_seq})")
    out(f"  {result.pdf}\n    SHA-256 {result.pdf_sha256}")
    out(f"  {result.bundle}\n    SHA-256 {result.bundle_sha256}")
    if result.unshown:
        out("Some characters could not be drawn with the fonts on this computer and are "
            "shown by name in the PDF: " + " ".join(result.unshown))
    return 0


def cmd_verify_bundle(session: Session) -> int:
    from evidence_kit.export.verify import verify_bundle

    args = session.args
    tsa_roots = None
    if args.tsa_root is not None:
        from evidence_kit.core.errors import BadInput
        from evidence_kit.core.timestamps import roots_from_file

        try:
            data = args.tsa_root.read_bytes()
        except OSError as exc:
            raise BadInput(f"{args.tsa_root} could not be read: {exc.strerror or exc}.") from exc
        tsa_roots = roots_from_file(data, str(args.tsa_root))
    report = verify_bundle(args.bundle, since=args.since, pdf=args.pdf,
                           fingerprint=args.fingerprint, tsa_roots=tsa_roots)
    if session.args.json:
        json_out(report.to_json())
    else:
        out(report.text())
    return report.exit_code
