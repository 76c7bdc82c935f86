"""Commands about incidents: ``incident new``, ``list``, ``show``, ``summary`` and
``referral`` (steps taken about them are ``action``, in :mod:`.records`)."""

from __future__ import annotations

import argparse
from typing import Any

from evidence_kit import wording
from evidence_kit.core import referral
from evidence_kit.core.referral import HARM_CRITERIA, Adult, Referral

from .shared import Parser, Session, json_out, out, subcommand


def register(sub: Any) -> None:
    incident = subcommand(sub, "incident", "create, list or describe incidents",
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
    _register_referral(actions)
    show = subcommand(actions, "show", "show one incident: its summary, referral details "
                      "and steps", "Show an incident: its title, summary, how many items "
                      "it holds, the LADO referral details saved for it and the steps "
                      "recorded about it.")
    show.add_argument("id", type=int, metavar="ID", help="the incident's number")
    show.add_argument("--json", action="store_true",
                      help="print the incident and its referral details as JSON, for scripts")
    listing = subcommand(actions, "list", "list incidents",
                         "List the incidents with how many items each holds and when.")
    listing.add_argument("--json", action="store_true",
                         help="print the incidents as JSON, for scripts")


def _register_referral(actions: Any) -> None:
    criteria = "\n".join(f"  {n}  the adult has {words}"
                         for n, words in enumerate(HARM_CRITERIA, start=1))
    parser = subcommand(
        actions, "referral", "save the LADO referral details only you can give",
        "Save what a referral to the LADO asks that only you can say, as the app's "
        "'LADO referral details' form does: the adult the allegation concerns (if any), "
        "the child or children involved, and which of the LADO's criteria apply. Nothing "
        "is guessed: what you leave out, the LADO pack marks '(to be completed)'. Each "
        "option given replaces what was saved for it; the rest stays as it was. With no "
        "options, shows what is saved.",
        epilog="The LADO's criteria (for --criterion):\n" + criteria)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("id", type=int, metavar="ID", help="the incident's number")
    parser.add_argument("--adult", metavar="NAME[,ROLE[,RELATIONSHIP]]",
                        help="the adult the allegation concerns: their name, their role "
                        "and their relationship to the school, e.g. 'Mr A Brown, parent "
                        "governor, a parent of a pupil'; '' says there is none")
    parser.add_argument("--child", action="append", default=None,
                        metavar="NAME,AGE,SCHOOL",
                        help="a child involved: name or initials, age and school, e.g. "
                        "'A.B., 14, Hillside Academy'; repeat for each child")
    parser.add_argument("--no-children", action="store_true",
                        help="no child is involved: forget any saved")
    parser.add_argument("--criterion", action="append", type=int, default=None,
                        choices=range(1, len(HARM_CRITERIA) + 1), metavar="N",
                        help="one of the LADO's criteria that applies, by number (see "
                        "below); repeat for each")
    parser.add_argument("--no-criteria", action="store_true",
                        help="untick every criterion")
    parser.add_argument("--json", action="store_true",
                        help="print the saved details as JSON, for scripts")


def parse_adult(text: str) -> Adult:
    """``NAME[,ROLE[,RELATIONSHIP]]``: everything after the second comma is the
    relationship, which may hold commas of its own."""
    parts = [p.strip() for p in text.split(",", 2)]
    name, role, relationship = [*parts, "", ""][:3]
    return Adult(name, role, relationship)


def changed_referral(saved: Referral, args: argparse.Namespace) -> Referral:
    """The details with what was given replaced, tidied as the app's form tidies them."""
    from evidence_kit.core.errors import BadInput

    if args.child and args.no_children:
        raise BadInput("Give --child or --no-children, not both.")
    if args.criterion and args.no_criteria:
        raise BadInput("Give --criterion or --no-criteria, not both.")
    adult = parse_adult(args.adult) if args.adult is not None else saved.adult
    children = saved.children
    if args.no_children:
        children = ()
    elif args.child:
        children = tuple(referral.parse_child(text) for text in args.child)
    criteria = saved.criteria
    if args.no_criteria:
        criteria = ()
    elif args.criterion:
        criteria = tuple(args.criterion)
    return referral.make(adult, children, criteria)


def referral_lines(details: Referral) -> list[str]:
    """The details in words, as ``incident show`` and ``incident referral`` print them."""
    lines = ["LADO referral details:"]
    adult = details.adult
    if adult.empty:
        lines.append("  The adult it concerns: (not given)")
    else:
        lines.append("  The adult it concerns: " + ", ".join(
            x for x in (adult.name or "(no name)", adult.role, adult.relationship) if x))
    if details.children:
        for child in details.children:
            lines.append("  A child involved: " + ", ".join(
                x for x in (child.name or "(no name)", child.age and f"age {child.age}",
                            child.school) if x))
    else:
        lines.append("  Children involved: (none given)")
    if details.criteria:
        lines.append("  The LADO criteria that apply: the adult has")
        lines += [f"    {n}. {HARM_CRITERIA[n - 1]}" for n in details.criteria]
    else:
        lines.append("  The LADO criteria that apply: (none ticked)")
    return lines


def _referral_json(details: Referral) -> dict[str, Any]:
    return {"adult": None if details.adult.empty else details.adult,
            "children": list(details.children), "criteria": list(details.criteria)}


def _cmd_referral(vault: Any, args: argparse.Namespace) -> int:
    vault.incident(args.id)
    saved = referral.current(vault, args.id)
    given = (args.adult is not None or args.child or args.no_children or args.criterion
             or args.no_criteria)
    details = changed_referral(saved, args) if given else saved
    if given and details != saved:
        referral.record(vault, args.id, details)
    if args.json:
        json_out(_referral_json(details))
        return 0
    for line in referral_lines(details):
        out(line)
    if given:
        out("Saved." if details != saved else "Nothing changed.")
    return 0


def _cmd_show(vault: Any, args: argparse.Namespace) -> int:
    incident = vault.incident(args.id)
    details = referral.current(vault, args.id)
    steps = vault.actions(incident=args.id)
    if args.json:
        json_out({"incident": incident, "referral": _referral_json(details),
                  "actions": len(steps)})
        return 0
    out(f"Incident {incident.id}: {incident.title}")
    count = wording.plural(incident.item_count, "item")
    span = (f", {wording.when_compact(incident.first_at)} to "
            f"{wording.when_compact(incident.last_at)}"
            if incident.first_at and incident.last_at else "")
    out(f"  {count}{span}")
    out(f"Summary: {incident.summary or '(none written)'}")
    for line in referral_lines(details):
        out(line)
    out(f"Steps recorded: {len(steps)} (see: evidence-kit action list --incident "
        f"{incident.id})")
    return 0


def cmd_incident(session: Session) -> int:
    args = session.args
    with session.open() as vault:
        if args.incident_command == "referral":
            return _cmd_referral(vault, args)
        if args.incident_command == "show":
            return _cmd_show(vault, args)
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
