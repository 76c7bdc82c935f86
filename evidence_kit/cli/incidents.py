"""Commands about incidents: ``incident new``, ``incident list`` and ``incident summary``
(steps taken about them are ``action``, in :mod:`.records`)."""

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
    summary = subcommand(actions, "summary", "write or replace an incident's summary",
                         "Write the incident's summary, as the app's 'Incident summary' "
                         "does: in a few sentences, what happened, when, and who seems to "
                         "be behind it. Packs print it.")
    summary.add_argument("id", type=int, metavar="ID", help="the incident's number")
    summary.add_argument("text", help="the summary, in any language (quote it)")
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
        if args.incident_command == "summary":
            # Stripped as the app's summary box strips it.
            incident = vault.set_incident_summary(args.id, args.text.strip())
            out(f"Summary of incident {incident.id} ({incident.title}) saved.")
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
