"""The command line. Qt-free, except the bare command, which starts the desktop app.

Exit codes: 0 success, 1 verification failed (or the vault is damaged), 2 usage or bad
input, 3 wrong passphrase or vault unavailable. Expected failures print one sentence.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from evidence_kit import APP_NAME, __version__
from evidence_kit.core.errors import BadInput, EvidenceKitError
from evidence_kit.core.model import Item, VerifyReport
from evidence_kit.settings import (
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    RECOVERY_CODE_ENV,
    VAULT_ENV,
    kdf_from_environment,
    read_secret_file,
    resolve_vault_folder,
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="evidence-kit",
        description=f"{APP_NAME}: keep evidence of online abuse in an encrypted, "
        "tamper-evident vault. With no command, starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"evidence-kit {__version__}")
    parser.add_argument("--vault", type=Path, metavar="DIR",
                        help=f"the vault folder (default: ${VAULT_ENV} or your data folder)")
    parser.add_argument("--passphrase-file", type=Path, metavar="FILE",
                        help=f"read the passphrase from FILE (else ${PASSPHRASE_ENV}, "
                        "else you are asked)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    sub.add_parser("init", help="create a vault and show its recovery code once")

    incident = sub.add_parser("incident", help="create or list incidents")
    incident_sub = incident.add_subparsers(dest="incident_command", metavar="ACTION",
                                           required=True, parser_class=_Parser)
    new = incident_sub.add_parser("new", help="start a new incident")
    new.add_argument("title")
    listing = incident_sub.add_parser("list", help="list incidents")
    listing.add_argument("--json", action="store_true")

    add = sub.add_parser("add", help="add files exactly as they are")
    add.add_argument("files", nargs="+", type=Path, metavar="FILE")
    _item_options(add)

    capture = sub.add_parser("capture", help="capture the screen, a monitor or a region now")
    where = capture.add_mutually_exclusive_group()
    where.add_argument("--monitor", type=int, metavar="N",
                       help="monitor N (1, 2, …); 0 or absent means all monitors")
    where.add_argument("--region", metavar="X,Y,W,H",
                       help="a rectangle in virtual-screen pixels")
    capture.add_argument("--delay", type=float, default=0.0, metavar="S",
                         help="wait S seconds first (time to open a menu or switch window)")
    capture.add_argument("--choose-region", action="store_true",
                         help="ask the open app to let you drag out the area (for a desktop "
                         "keyboard shortcut)")
    _item_options(capture)

    sighting = sub.add_parser(
        "sighting",
        help="record, in words only, that you saw a sexual image of a child (takes no file)",
    )
    sighting.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    sighting.add_argument("--url", help="where it was seen (the address, not the picture)")
    sighting.add_argument("--platform", help="the site or app")
    sighting.add_argument("--seen-at", metavar="WHEN", help="when you saw it, in your words")
    sighting.add_argument("--found-by", metavar="WHO", help="who found it")
    sighting.add_argument("--told", metavar="WHO", help="who has been told so far")
    sighting.add_argument("--note", help="anything else, in words")

    sub.add_parser("categories", help="list the categories evidence can be filed under")

    note = sub.add_parser("note", help="write a note (to an incident, an item, or the vault)")
    note.add_argument("text")
    target = note.add_mutually_exclusive_group()
    target.add_argument("--incident", type=int, metavar="ID")
    target.add_argument("--item", type=int, metavar="ID")

    items = sub.add_parser("list", help="list the evidence")
    items.add_argument("--incident", type=int, metavar="ID")
    items.add_argument("--json", action="store_true")

    show = sub.add_parser("show", help="everything recorded about one item")
    show.add_argument("id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true")

    extract = sub.add_parser("extract", help="write an item's original bytes to a file")
    extract.add_argument("id", type=int, metavar="ID")
    extract.add_argument("--out", type=Path, required=True, metavar="FILE")
    extract.add_argument("--force", action="store_true", help="replace FILE if it exists")

    verify = sub.add_parser("verify", help="check every event, file and checkpoint")
    verify.add_argument("--json", action="store_true")

    sub.add_parser("checkpoint", help="sign the journal as it is now")
    sub.add_parser("passwd", help="change the passphrase")
    sub.add_parser("recover", help="set a new passphrase using the recovery code")
    backup = sub.add_parser("backup", help="copy the vault consistently to a new folder")
    backup.add_argument("dest", type=Path, metavar="DEST")

    export = sub.add_parser("export", help="make an evidence pack (PDF and ZIP) for SLT, "
                            "the police or the LADO")
    chosen = export.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--incident", type=int, metavar="ID")
    chosen.add_argument("--items", type=_id_list, metavar="ID,…")
    export.add_argument("--for", dest="recipient", required=True,
                        choices=("slt", "police", "lado"))
    export.add_argument("--out", type=Path, required=True, metavar="DIR")
    export.add_argument("--marking", default="OFFICIAL-SENSITIVE",
                        help="the handling marking on every page (default: %(default)s)")
    export.add_argument("--include-originals", action="store_true",
                        help="also include unredacted originals where a redacted copy exists")
    bundle = sub.add_parser("verify-bundle", help="check an evidence bundle you were given "
                            "(needs no vault)")
    bundle.add_argument("bundle", type=Path, metavar="FILE.zip")
    bundle.add_argument("--json", action="store_true")
    return parser


def _id_list(text: str) -> tuple[int, ...]:
    try:
        ids = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("give item numbers separated by commas") from None
    if not ids:
        raise argparse.ArgumentTypeError("give at least one item number")
    return ids


def _item_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help="the web address the evidence came from")
    parser.add_argument("--note", help="a note kept with the evidence")
    parser.add_argument("--incident", type=int, metavar="ID")
    parser.add_argument("--account", help="the account or handle responsible")
    parser.add_argument("--what", dest="description", metavar="TEXT",
                        help="what it shows, in a few words")
    parser.add_argument("--category", metavar="ID",
                        help="a category id (see 'evidence-kit categories')")


# ---- passphrases ----------------------------------------------------------------


def _secret(env: str, prompt: str, file: Path | None = None, confirm: bool = False) -> str:
    if file is not None:
        return read_secret_file(file)
    if env in os.environ:
        return os.environ[env]
    if not sys.stdin.isatty():
        raise BadInput(
            f"No passphrase given: set {env} or use --passphrase-file when not at a terminal."
        )
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != first:
        raise BadInput("The two passphrases were different; nothing was changed.")
    return first


MIN_PASSPHRASE_CHARS = 8
LOCK_WAIT_SECONDS = 10.0


def _new_passphrase(env: str = NEW_PASSPHRASE_ENV, prompt: str = "New passphrase: ",
                    file: Path | None = None) -> str:
    passphrase = _secret(env, prompt, file, confirm=True)
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise BadInput(
            f"That passphrase is too short: use at least {MIN_PASSPHRASE_CHARS} characters. "
            "A few unrelated words are easy to remember and hard to guess."
        )
    return passphrase


def _recovery_code() -> str:
    from evidence_kit.core.keys import (
        RECOVERY_GROUP_LEN,
        RECOVERY_GROUPS,
        normalise_recovery_code,
    )

    if RECOVERY_CODE_ENV in os.environ:
        code = os.environ[RECOVERY_CODE_ENV]
    elif sys.stdin.isatty():
        # Shown as typed: it is long, and only useful with the vault itself.
        code = input("Recovery code (6 groups of 5, as written down): ")
    else:
        raise BadInput(f"No recovery code given: set {RECOVERY_CODE_ENV} when not at a terminal.")
    if len(normalise_recovery_code(code)) != RECOVERY_GROUPS * RECOVERY_GROUP_LEN:
        raise BadInput(f"A recovery code has {RECOVERY_GROUPS} groups of {RECOVERY_GROUP_LEN} "
                       "letters and digits, like ABCDE-23456-…; check what you typed.")
    return code


# ---- output ---------------------------------------------------------------------


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _json(value: Any) -> None:
    def plain(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return dataclasses.asdict(obj)
        raise TypeError(type(obj).__name__)

    sys.stdout.write(json.dumps(value, default=plain, ensure_ascii=False, indent=2) + "\n")


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def _when(stamp: str) -> str:
    """``2026-11-22T03:37:21.429760Z`` → ``2026-11-22 03:37:21``: readable, still UTC."""
    return stamp[:19].replace("T", " ")


def _item_line(item: Item) -> str:
    state = " [withdrawn]" if item.withdrawn else ""
    where = f"  {item.url}" if item.url else ""
    incident = str(item.incident_id) if item.incident_id else "-"
    return (f"{item.id:>4}  {_when(item.recorded_at)}  {incident:<8}  {item.media_type:<24} "
            f"{_size(item.size):>10}  {item.original_name}{where}{state}")


def _url_warnings(flags: Sequence[str]) -> list[str]:
    return [f"Check the address: {flag}." for flag in flags]


_DETAIL_HEADINGS = {
    "capture": "How it was captured",
    "context": "Where and when (device clock)",
    "reported_by_file": "What the file says about itself (not checked)",
    "notes": "Noticed on import",
    "file_modified_reported": "File last changed (as its file system says)",
    "original_path": "Imported from",
    "name_bytes_hex": "Name as raw bytes (hex)",
    "kind": "Kind",
}


def _detail_lines(value: Any, depth: int) -> list[str]:
    """Nested details as indented lines a person can read, not JSON."""
    pad = "  " * depth
    lines: list[str] = []
    for key, inner in value.items():
        if inner in (None, {}, [], ""):
            continue
        label = _DETAIL_HEADINGS.get(key, key.replace("_", " "))
        if isinstance(inner, dict):
            lines.append(f"{pad}{label}:")
            lines.extend(_detail_lines(inner, depth + 1))
        elif isinstance(inner, list):
            shown = "; ".join(str(v) if not isinstance(v, dict) else
                              json.dumps(v, ensure_ascii=False) for v in inner)
            lines.append(f"{pad}{label + ':':<20} {shown}")
        else:
            lines.append(f"{pad}{label + ':':<20} {inner}")
    return lines


def _report_text(report: VerifyReport) -> str:
    if report.ok:
        return (
            f"Vault verified: {report.events} events, {report.blobs} files "
            f"({_size(report.bytes_checked)}), {report.checkpoints} checkpoints, all intact.\n"
            f"Root: {report.root}"
        )
    first = report.failures[0]
    where = f"event {first.seq}" if first.seq is not None else "the vault file"
    lines = [f"Verification FAILED at {where} ({first.kind}): {first.message}"]
    for other in report.failures[1:10]:
        at = f"event {other.seq}" if other.seq is not None else "vault"
        lines.append(f"  also {at} ({other.kind}): {other.message}")
    if len(report.failures) > 10:
        lines.append(f"  … and {len(report.failures) - 10} more problems.")
    lines.append("Keep this vault as it is and restore a backup to keep working; "
                 "the damaged copy may still be needed to show what happened.")
    return "\n".join(lines)


# ---- commands -------------------------------------------------------------------


class _Session:
    """Opens the vault for one command and always locks it again."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.folder: Path = resolve_vault_folder(args.vault)

    def passphrase(self) -> str:
        return _secret(PASSPHRASE_ENV, "Passphrase: ", self.args.passphrase_file)

    def open(self) -> Any:
        from evidence_kit.core.errors import VaultMissing
        from evidence_kit.core.vault import Vault, vault_exists

        if not self.folder.is_dir() or not vault_exists(self.folder):
            raise VaultMissing(
                f"There is no vault in {self.folder}. Create one with 'evidence-kit init', "
                "or give the right folder with --vault."
            )
        return Vault.open(self.folder, self.passphrase(), wait_seconds=LOCK_WAIT_SECONDS)


def cmd_init(session: _Session) -> int:
    from evidence_kit.core.vault import Vault

    passphrase = _new_passphrase(PASSPHRASE_ENV, "Choose a passphrase: ",
                                 session.args.passphrase_file)
    vault, code = Vault.create(session.folder, passphrase, kdf=kdf_from_environment()())
    with vault:
        _out(f"Created a vault in {session.folder}")
        _out(f"Key fingerprint: {vault.key_fingerprint}")
    _out()
    _out("Your recovery code (shown only this once):")
    _out()
    _out(f"    {code}")
    _out()
    _out("Write it on paper and keep it somewhere safe, away from this computer. It is the only")
    _out("way back in if you forget your passphrase; nobody, including us, can recover it.")
    return 0


def cmd_incident(session: _Session) -> int:
    args = session.args
    with session.open() as vault:
        if args.incident_command == "new":
            incident = vault.create_incident(args.title)
            _out(f"Incident {incident.id}: {incident.title}")
            return 0
        incidents = vault.incidents()
        if args.json:
            _json(incidents)
        elif not incidents:
            _out("No incidents yet. Start one with: evidence-kit incident new TITLE")
        else:
            for inc in incidents:
                count = f"{inc.item_count} item" + ("" if inc.item_count == 1 else "s")
                span = (f", {_when(inc.first_at)} to {_when(inc.last_at)} UTC"
                        if inc.first_at and inc.last_at else "")
                _out(f"{inc.id:>4}  {inc.title}  ({count}{span})")
    return 0


def _details(args: argparse.Namespace) -> Any:
    from evidence_kit.capture.categories import category_by_id
    from evidence_kit.intake import Details

    if args.category is not None:
        category_by_id(args.category)  # refuse a typo before anything is grabbed or read
    return Details(incident=args.incident, url=args.url, note=args.note, account=args.account,
                   description=args.description, category=args.category)


def cmd_add(session: _Session) -> int:
    from evidence_kit.intake import import_paths

    args = session.args
    details = _details(args)
    with session.open() as vault:
        if args.incident is not None:
            vault.incident(args.incident)
        report = import_paths(vault, args.files, details)
    for item in report.added:
        _out(f"Added item {item.id}: {item.original_name} ({_size(item.size)}, "
             f"SHA-256 {item.sha256})")
        if item.id in report.duplicates:
            _out(f"  The same file was already in the vault as item {report.duplicates[item.id]}.")
    if report.added:
        for warning in _url_warnings(report.added[0].url_flags):
            _out(f"  {warning}")
    for problem in report.problems:
        sys.stderr.write(f"evidence-kit: not added: {problem.message}\n")
    if report.problems and report.added:
        sys.stderr.write(f"evidence-kit: added {len(report.added)} of "
                         f"{len(report.added) + len(report.problems)} files; the others "
                         "are listed above.\n")
    return 2 if report.problems else 0


def cmd_capture(session: _Session) -> int:
    from evidence_kit.capture.screen import (
        ALL_MONITORS,
        MAX_DELAY_SECONDS,
        Region,
        ScreenGrabber,
    )
    from evidence_kit.intake import store_capture

    args = session.args
    details = _details(args)
    target: int | Region = ALL_MONITORS
    if args.region is not None:
        target = Region.parse(args.region)
    elif args.monitor is not None:
        target = args.monitor
    if not 0 <= args.delay <= MAX_DELAY_SECONDS:  # before any "Capturing in…" is printed
        raise BadInput(f"The delay must be between 0 and {MAX_DELAY_SECONDS} seconds.")
    if args.choose_region or args.region is None:
        from evidence_kit.handoff import ask_app_to_capture

        request = {"capture": "region" if args.choose_region else "screen",
                   "monitor": args.monitor or 0, "delay": round(args.delay)}
        answer = ask_app_to_capture(session.folder, request)
        if answer is not None and answer.get("ok"):
            _out("Evidence Kit is open, so it is capturing now: add the details in its window.")
            return 0
        if args.choose_region:
            raise BadInput("--choose-region needs the Evidence Kit app to be open; "
                           "start it, or give the area with --region X,Y,W,H.")
    with session.open() as vault:
        if args.incident is not None:
            vault.incident(args.incident)
        with ScreenGrabber(clock=vault.clock) as grabber:
            grabber.resolve(target)  # a bad monitor or region fails before the wait
            if args.delay > 0:
                unit = "second" if args.delay == 1 else "seconds"
                sys.stderr.write(f"Capturing in {args.delay:g} {unit}…\n")
            grab = grabber.grab(target, delay=args.delay)
        item = store_capture(vault, grab, details)
    _out(f"Captured item {item.id}: {grab.width}×{grab.height} pixels, "
         f"SHA-256 {item.sha256}")
    for warning in _url_warnings(item.url_flags):
        _out(f"  {warning}")
    if item.url is None:
        _out("Tip: add the page's address with --url, copied from the browser's address bar.")
    return 0


def cmd_sighting(session: _Session) -> int:
    from evidence_kit.capture import stop_path
    from evidence_kit.core.errors import Refused
    from evidence_kit.intake import record_sighting

    args = session.args
    # The steps come first and whatever happens next: they matter more than the record.
    _out(stop_path.guidance_text())
    _out()
    if args.files:
        raise Refused(
            "This record never takes a file or a picture: do not save, copy or send the "
            "image. Give only where you saw it (--url, --platform) and when."
        )
    if not any((args.url, args.platform, args.seen_at, args.found_by, args.told, args.note)):
        _out("Nothing was recorded. To keep a written record, run this again with where "
             "you saw it (--url or --platform) and, if you like, --seen-at, --told, --note.")
        return 0
    with session.open() as vault:
        seq = record_sighting(vault, url=args.url, platform=args.platform,
                              seen_at=args.seen_at, found_by=args.found_by, told=args.told,
                              note=args.note)
    _out(f"Recorded in words only, as event {seq}. No picture was taken or kept.")
    return 0


def cmd_categories(session: _Session) -> int:
    from evidence_kit.capture.categories import CATEGORIES

    for category in CATEGORIES:
        _out(f"{category.id:<28} {category.label}: {category.description}")
    return 0


def cmd_note(session: _Session) -> int:
    args = session.args
    with session.open() as vault:
        note = vault.add_note(args.text, item=args.item, incident=args.incident)
    _out(f"Note saved (journal entry {note.seq}).")
    return 0


def cmd_list(session: _Session) -> int:
    args = session.args
    with session.open() as vault:
        if args.incident is not None:
            vault.incident(args.incident)
        items = vault.items(incident=args.incident)
        sightings = vault.sightings() if args.incident is None else []
    if args.json:
        _json(items)
        return 0
    if not items:
        _out("No evidence yet. Add files with: evidence-kit add FILE…")
    else:
        _out(f"{'ITEM':>4}  {'RECORDED (UTC)':<19}  {'INCIDENT':<8}  {'TYPE':<24} "
             f"{'SIZE':>10}  NAME / ADDRESS")
        for item in items:
            _out(_item_line(item))
    if sightings:
        _out()
        _out("Reports of sexual images of children (words only, nothing kept):")
        for event in sightings:
            where = (event.payload.get("url") or {}).get("text") or event.payload.get(
                "platform") or "place not given"
            _out(f"  {_when(event.recorded_at)}  {where}  told: "
                 f"{event.payload.get('told') or 'not recorded'}")
    return 0


def cmd_show(session: _Session) -> int:
    args = session.args
    with session.open() as vault:
        item = vault.item(args.id)
        history = vault.item_history(args.id)
        notes = vault.notes(item=args.id)
    if args.json:
        _json({"item": item, "notes": notes, "history": history})
        return 0
    _out(f"Item {item.id}: {item.original_name}" + ("  [withdrawn]" if item.withdrawn else ""))
    rows = [
        ("Recorded (UTC)", item.recorded_at),
        ("How", "screen capture" if item.method == "capture" else "imported file"),
        ("Type", item.media_type),
        ("Size", f"{item.size} bytes"),
        ("SHA-256", item.sha256),
        ("Incident", str(item.incident_id) if item.incident_id else "none"),
        ("Address", item.url or ""),
        *(("", warning) for warning in _url_warnings(item.url_flags)),
        ("Platform", item.platform or ""),
        ("Account", item.account or ""),
        ("What it shows", item.description or ""),
        ("Category", item.category or ""),
    ]
    for label, value in rows:
        if value:
            _out(f"  {label:<16} {value}")
    for line in _detail_lines(item.details, 1):
        _out(line)
    if notes:
        _out("Notes:")
        for n in notes:
            _out(f"  [{n.recorded_at}] {n.text}")
    _out("History:")
    for event in history:
        _out(f"  event {event.seq:>5}  {event.recorded_at}  {event.type}")
    return 0


def cmd_extract(session: _Session) -> int:
    args = session.args
    with session.open() as vault:
        out = vault.extract(args.id, args.out, overwrite=args.force)
    _out(f"Wrote the original bytes of item {args.id} to {out}")
    return 0


def cmd_verify(session: _Session) -> int:
    args = session.args
    with session.open() as vault:
        report = vault.verify()
        fingerprint = vault.key_fingerprint
    if args.json:
        _json({"ok": report.ok, **dataclasses.asdict(report)})
    else:
        _out(_report_text(report))
        _out(f"Signing key fingerprint: {fingerprint}")
    return 0 if report.ok else 1


def cmd_checkpoint(session: _Session) -> int:
    with session.open() as vault:
        info = vault.checkpoint()
    sys.stdout.write(info.note)
    sys.stderr.write(
        "This signed checkpoint fixes the journal as it is now. Give a copy to someone you "
        "trust (your DSL, say): anyone holding it can later check that nothing recorded "
        "before it was changed or removed.\n"
    )
    return 0


def cmd_passwd(session: _Session) -> int:
    from evidence_kit.core.vault import Vault

    current = session.passphrase()
    with Vault.open(session.folder, current, wait_seconds=LOCK_WAIT_SECONDS) as vault:
        new = _new_passphrase()
        vault.change_passphrase(current, new)
    _out("Passphrase changed. The old one no longer opens this vault.")
    return 0


def cmd_recover(session: _Session) -> int:
    from evidence_kit.core.vault import Vault

    code = _recovery_code()
    new = _new_passphrase()
    with Vault.recover(session.folder, code, new):
        pass
    _out("The recovery code worked and your new passphrase is set.")
    return 0


def cmd_backup(session: _Session) -> int:
    with session.open() as vault:
        dest = vault.backup(session.args.dest)
    _out(f"Backup written to {dest}. It opens with the same passphrase and recovery code.")
    return 0


def cmd_export(session: _Session) -> int:
    from evidence_kit.export.exporter import export_pack
    from evidence_kit.export.pack import PackRequest

    args = session.args
    request = PackRequest(recipient=args.recipient, incident=args.incident,
                          items=args.items or (), marking=args.marking,
                          include_originals=args.include_originals)

    def progress(done: int, total: int, what: str) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\r  {done}/{total} {what[:40]:<40}")

    with session.open() as vault:
        result = export_pack(vault, request, args.out, progress)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    _out(f"Pack {result.pack_id}: {result.exhibits} exhibits, {result.pages} pages "
         f"(recorded as event {result.event_seq})")
    _out(f"  {result.pdf}\n    SHA-256 {result.pdf_sha256}")
    _out(f"  {result.bundle}\n    SHA-256 {result.bundle_sha256}")
    if result.unshown:
        _out("Some characters could not be drawn with the fonts on this computer and are "
             "shown by name in the PDF: " + " ".join(result.unshown))
    return 0


def cmd_verify_bundle(session: _Session) -> int:
    from evidence_kit.export.verify import verify_bundle

    report = verify_bundle(session.args.bundle)
    if session.args.json:
        _json(report.to_json())
    else:
        _out(report.text())
    return report.exit_code


COMMANDS: dict[str, Callable[[_Session], int]] = {
    "init": cmd_init,
    "incident": cmd_incident,
    "add": cmd_add,
    "capture": cmd_capture,
    "sighting": cmd_sighting,
    "categories": cmd_categories,
    "note": cmd_note,
    "list": cmd_list,
    "show": cmd_show,
    "extract": cmd_extract,
    "verify": cmd_verify,
    "checkpoint": cmd_checkpoint,
    "passwd": cmd_passwd,
    "recover": cmd_recover,
    "backup": cmd_backup,
    "export": cmd_export,
    "verify-bundle": cmd_verify_bundle,
}


StartApp = Callable[[argparse.Namespace], int]


def _print_help(_args: argparse.Namespace) -> int:
    build_parser().print_help()
    return 0


def main(argv: Sequence[str] | None = None, start_app: StartApp = _print_help) -> int:
    """Run one command. With none, ``start_app`` runs (the entry point passes the app)."""
    from evidence_kit.settings import configure_logging

    configure_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return start_app(args)
    try:
        return COMMANDS[args.command](_Session(args))
    except EvidenceKitError as exc:
        sys.stderr.write(f"evidence-kit: {exc}\n")
        return exc.exit_code
    except (KeyboardInterrupt, EOFError):
        sys.stderr.write("\nevidence-kit: stopped; nothing was half-saved.\n")
        return 130
