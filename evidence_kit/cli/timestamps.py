"""``evidence-kit timestamp``: trusted time, opt-in (RFC 3161 tokens over checkpoints)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from evidence_kit import wording
from evidence_kit.core.errors import BadInput

from .shared import Parser, Session, json_out, out, subcommand

EXPLAIN = (
    "Times recorded on this computer are its own clock's, which anyone at it can change. "
    "With trusted time on, each checkpoint of the journal is sent to the timestamp "
    "authorities you name, and each sends back a signed token: proof, checkable by anyone "
    "with OpenSSL, that every event up to that checkpoint existed by the authority's time. "
    "Only the checkpoint's SHA-256 hash leaves the computer: no evidence, no names, no "
    "notes. Off until you turn it on; nothing is contacted until you name an authority. "
    "Requests made while offline wait and are sent later.")

SUGGESTIONS = "Well-known free authorities (none is contacted unless you add it):"


def _suggestions() -> str:
    from evidence_kit.core.timestamps import SUGGESTED

    lines = [SUGGESTIONS]
    for s in SUGGESTED:
        root = ("--root-included" if s.root_file else "--root FILE")
        lines.append(f"  evidence-kit timestamp authorities add {s.name} {s.url} {root}")
        lines.append(textwrap.fill(f"({s.note})", 78, initial_indent="      ",
                                   subsequent_indent="       "))
    return "\n".join(lines)


def register(sub: Any) -> None:
    group = subcommand(sub, "timestamp", "trusted time: have checkpoints timestamped by an "
                       "authority you choose (off by default)", EXPLAIN, cmd_timestamp,
                       epilog="Start with 'timestamp authorities add', then 'timestamp on'.")
    actions = group.add_subparsers(dest="timestamp_command", metavar="ACTION",
                                   required=True, parser_class=Parser)
    auth = subcommand(actions, "authorities", "list, add or remove timestamp authorities",
                      "The timestamp authorities checkpoints are sent to while trusted time "
                      "is on. With no action, list them.")
    which = auth.add_subparsers(dest="authorities_command", metavar="ACTION",
                                parser_class=Parser)
    subcommand(which, "list", "list the authorities named")
    add = subcommand(which, "add", "name an authority (it is not contacted now)",
                     textwrap.fill("Name a timestamp authority: its address and the root "
                                   "certificate its tokens must chain to (nothing is fetched "
                                   "to check a token). Nothing is sent until trusted time is "
                                   "on.", 78), epilog=_suggestions())
    add.formatter_class = _raw()
    add.add_argument("name", help="a name for it, as packs will show it, e.g. FreeTSA")
    add.add_argument("url", help="its RFC 3161 address, e.g. https://freetsa.org/tsr")
    roots = add.add_mutually_exclusive_group(required=True)
    roots.add_argument("--root", type=Path, metavar="CERTFILE",
                       help="the authority's root certificate(s), PEM or DER, obtained "
                       "from the authority")
    roots.add_argument("--root-included", action="store_true",
                       help="use the root shipped with Evidence Kit for a suggested "
                       "authority (DigiCert, Sectigo)")
    remove = subcommand(which, "remove", "stop using an authority",
                        "Stop using an authority. Tokens it already gave stay in the journal.")
    remove.add_argument("name", help="the authority's name, as 'authorities list' shows it")
    subcommand(actions, "on", "turn trusted time on",
               "Turn trusted time on: the latest checkpoint, and every one after it, is "
               "sent (as a hash) to each authority named. Needs at least one authority.")
    subcommand(actions, "off", "turn trusted time off",
               "Turn trusted time off: nothing more is sent. Tokens already kept stay in "
               "the journal; requests still queued wait until it is turned on again.")
    status = subcommand(actions, "status", "say whether it is on, what is queued and the "
                        "latest token",
                        "Whether trusted time is on, the authorities, how many requests "
                        "wait to be sent, how many tokens are kept and what the latest "
                        "proves.")
    status.add_argument("--json", action="store_true", help="print it as JSON, for scripts")
    subcommand(actions, "drain", "send queued requests now",
               "Send the requests that are waiting (the app does this by itself from time "
               "to time). Those that cannot be sent stay queued; a reply that does not "
               "check out is reported and dropped. Exit 1 if any reply was refused.")


def _raw() -> Any:
    import argparse

    return argparse.RawDescriptionHelpFormatter


def cmd_timestamp(session: Session) -> int:
    from evidence_kit.core import timestamps

    args = session.args
    command = args.timestamp_command
    root_pem = None
    if command == "authorities" and args.authorities_command == "add":
        root_pem = _root_pem(args)
    with session.open() as vault:
        if command == "authorities":
            return _authorities(vault, args, root_pem)
        if command == "on":
            timestamps.turn_on(vault)
            vault.checkpoint()  # queues it: the history so far is stamped at once
            out("Trusted time is on. Only each checkpoint's SHA-256 hash is sent, to: "
                + ", ".join(a.name for a in timestamps.authorities(vault)) + ".")
            return _drain(vault)
        if command == "off":
            timestamps.turn_off(vault)
            out("Trusted time is off: nothing more is sent. Tokens already kept stay in the "
                "journal.")
            return 0
        if command == "drain":
            if not timestamps.is_on(vault):
                out("Trusted time is off, so nothing was sent.")
                return 0
            return _drain(vault)
        return _status(vault, args.json)


def _root_pem(args: Any) -> str:
    from evidence_kit.core import timestamps

    if args.root_included:
        found = next((s for s in timestamps.SUGGESTED if s.name.lower() == args.name.lower()
                      and s.root_file), None)
        if found is None:
            names = ", ".join(s.name for s in timestamps.SUGGESTED if s.root_file)
            raise BadInput(f"Evidence Kit ships a root only for {names}; for {args.name} give "
                           "the root file with --root.")
        pem = timestamps.suggested_root(found)
        assert pem is not None  # found has a root file
        return pem
    try:
        data = Path(args.root).read_bytes()
    except OSError as exc:
        raise BadInput(f"{args.root} could not be read: {exc.strerror or exc}.") from exc
    return timestamps.roots_from_file(data, str(args.root))


def _authorities(vault: Any, args: Any, root_pem: str | None) -> int:
    from evidence_kit.core import timestamps

    action = args.authorities_command or "list"
    if action == "add":
        assert root_pem is not None
        timestamps.add_authority(vault, timestamps.Authority(args.name, args.url, root_pem))
        out(f"{args.name} ({args.url}) added; it has not been contacted. "
            + ("Trusted time is on: the next checkpoint goes to it too."
               if timestamps.is_on(vault) else "Turn trusted time on with 'timestamp on'."))
        return 0
    if action == "remove":
        timestamps.remove_authority(vault, args.name)
        out(f"{args.name} removed. Tokens it already gave stay in the journal.")
        return 0
    chosen = timestamps.authorities(vault)
    if not chosen:
        out("No timestamp authority is named.")
        out(_suggestions())
    for authority in chosen:
        out(f"{authority.name}  {authority.url}")
    return 0


def _drain(vault: Any) -> int:
    from evidence_kit.core import timestamps

    report = timestamps.drain(vault)
    if report.stamped:
        out(f"{wording.plural(len(report.stamped), 'token')} received and kept.")
    if report.queued:
        out(f"{wording.plural(report.queued, 'request')} could not be sent (offline, or the "
            "authority did not answer) and wait to be sent later.")
    for problem in report.problems:
        out(f"Refused: {problem}")
    if not (report.stamped or report.queued or report.problems):
        out("Nothing was waiting to be sent.")
    return 1 if report.problems else 0


def _status(vault: Any, as_json: bool) -> int:
    from evidence_kit.core import timestamps

    state = timestamps.status(vault)
    last = state.last
    proves = None
    if last is not None:
        proves = (f"the journal up to event {last.tree_size} existed by "
                  f"{wording.when_short(last.stamped_at)} ({wording.utc(last.stamped_at)}), "
                  f"according to {last.authority}")
    if as_json:
        json_out({"on": state.on, "authorities": [{"name": a.name, "url": a.url}
                                                  for a in state.authorities],
                  "queued": state.queued, "stamped": state.stamped,
                  "last": None if last is None else {
                      "event": last.seq, "tree_size": last.tree_size,
                      "authority": last.authority, "stamped_at": last.stamped_at,
                      "says": proves}})
        return 0
    out(f"Trusted time is {'on' if state.on else 'off'}.")
    if state.authorities:
        out("Authorities: " + ", ".join(f"{a.name} ({a.url})" for a in state.authorities))
    else:
        out("No authority is named.")
    out(f"Queued: {wording.plural(state.queued, 'request')}; kept: "
        f"{wording.plural(state.stamped, 'token')}.")
    if proves is not None:
        out(f"Latest: {proves}.")
    return 0
