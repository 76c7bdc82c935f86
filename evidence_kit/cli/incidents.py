"""Commands about incidents: ``incident new`` and ``incident list`` (actions come later)."""

from __future__ import annotations

from typing import Any

from evidence_kit import wording

from .shared import Parser, Session, json_out, out, subcommand


def register(sub: Any) -> None:
    incident = subcommand(sub, "incident", "create or list incidents",
                          "Incidents group evidence: one for each thing that happened (a run "
                          "of posts, a message thread). Start one, or list them.",
                          cmd_incident)
    actions = incident.add_subparsers(dest="incident_command", metavar="ACTION",
                                      required=True, parser_class=Parser)
    new = subcommand(actions, "new", "start a new incident",
                     "Start a new incident; its number is printed, for --incident.")
    new.add_argument("title", help="a short title, e.g. \"Comments on the school page\"")
    listing = subcommand(actions, "list", "list incidents",
                         "List the incidents with how many items each holds and when.")
    listing.add_argument("--json", action="store_true",
                         help="print the incidents as JSON, for scripts")


def cmd_incident(session: Session) -> int:
    args = session.args
    with session.open() as vault:
        if args.incident_command == "new":
            incident = vault.create_incident(args.title)
            out(f"Incident {incident.id}: {incident.title}")
            return 0
        incidents = vault.incidents()
        if args.json:
            json_out(incidents)
        elif not incidents:
            out("No incidents yet. Start one with: evidence-kit incident new TITLE")
        else:
            for inc in incidents:
                count = wording.plural(inc.item_count, "item")
                span = (f", {wording.when_compact(inc.first_at)} to "
                        f"{wording.when_compact(inc.last_at)}"
                        if inc.first_at and inc.last_at else "")
                out(f"{inc.id:>4}  {inc.title}  ({count}{span})")
    return 0
