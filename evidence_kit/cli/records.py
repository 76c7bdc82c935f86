"""What the member of staff records besides evidence: ``profile``, ``action``, ``redact``.

These write exactly what the app's Settings, "Record what you did" and redaction
dialogs write (the same library calls with the same values), so a pack made from the
command line is the pack the app would make.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from evidence_kit import wording
from evidence_kit.core.actions import (
    ACTION_KINDS,
    REMOVAL_CHECKED,
    REMOVED,
    STILL_UP,
    ActionKind,
)
from evidence_kit.core.errors import BadInput
from evidence_kit.core.profile import STANDARD_CONTACT_ROLES, Contact, Profile

from .shared import Parser, Session, json_out, out, subcommand

# The field ``--to WHO`` fills for each kind: whoever the step went to.
TO_FIELD = {"told-slt": "who", "told-dsl": "who", "reported-platform": "platform",
            "removal-requested": "asked", "escalated-host": "host", "union": "organisation",
            "support": "service", "consent-police": "given_to", "police": "force",
            "told-parents": "who", "told-social-care": "who",
            "report-harmful-content": None, "lado": None, "outcome": None,
            REMOVAL_CHECKED: None}


def register(sub: Any) -> None:
    _register_profile(sub)
    _register_action(sub)
    _register_redact(sub)


# ---- profile -------------------------------------------------------------------------


def _register_profile(sub: Any) -> None:
    profile = subcommand(sub, "profile", "show or set who you are and whom you would tell",
                         "Show your name, role, initials (for exhibit marks such as JS/1), "
                         "school and the school's contacts, as the app's Settings keeps "
                         "them; or change them with 'profile set'. Packs print them.",
                         cmd_profile)
    profile.add_argument("--json", action="store_true", help="print the profile as JSON")
    actions = profile.add_subparsers(dest="profile_command", metavar="ACTION",
                                     parser_class=Parser)
    roles = "; ".join(STANDARD_CONTACT_ROLES)
    change = subcommand(actions, "set", "change your details or the school's contacts",
                        "Change what is given; everything else stays as it was. Contacts "
                        "are matched by role.",
                        epilog=f"Standard contact roles (the start of one is enough): {roles}.")
    change.add_argument("--name", help="your name, as packs print it")
    change.add_argument("--initials", help="your initials, for exhibit marks (JS/1, JS/2, …)")
    change.add_argument("--role", help="your role, e.g. 'Year 6 teacher'")
    change.add_argument("--school", help="the school's name")
    change.add_argument("--contact", action="append", default=[],
                        metavar="ROLE=NAME[,PHONE[,EMAIL]]",
                        help="one of the school's contacts, e.g. 'Designated safeguarding "
                        "lead=Mr Patel,0161 000 0000,dsl@school.example'; 'ROLE=' removes "
                        "it; repeat for more")


def parse_contact(text: str) -> tuple[str, Contact | None]:
    """``ROLE=NAME[,PHONE[,EMAIL]]`` → (role, contact, or None to remove it)."""
    role, eq, rest = text.partition("=")
    role = " ".join(role.split())
    if not eq or not role:
        raise BadInput(f"{text!r} is not a contact: give it as ROLE=NAME[,PHONE[,EMAIL]].")
    matches = [r for r in STANDARD_CONTACT_ROLES if r.casefold().startswith(role.casefold())]
    if len(matches) == 1:
        role = matches[0]
    parts = [p.strip() for p in rest.split(",")]
    if len(parts) > 3:
        raise BadInput(f"{text!r} has more than a name, a phone number and an email address.")
    name, phone, email = [*parts, "", "", ""][:3]
    if not (name or phone or email):
        return role, None
    return role, Contact(role=role, name=name, phone=phone, email=email)


def changed_profile(current: Profile, args: argparse.Namespace) -> Profile:
    """The profile with what was given changed, tidied as the app's form tidies it."""
    values = {"name": current.name, "role": current.role, "initials": current.initials,
              "school": current.school}
    for key in values:
        given = getattr(args, key)
        if given is not None:
            values[key] = given.strip().upper() if key == "initials" else given.strip()
    contacts = list(current.contacts)
    for text in args.contact:
        role, contact = parse_contact(text)
        at = next((n for n, c in enumerate(contacts) if c.role == role), None)
        if contact is None:
            if at is not None:
                del contacts[at]
        elif at is None:
            contacts.append(contact)
        else:
            contacts[at] = contact
    return Profile(contacts=tuple(contacts), **values)


def cmd_profile(session: Session) -> int:
    from evidence_kit.core.profile import load_profile, save_profile
    from evidence_kit.core.vault import check_text

    args = session.args
    with session.open() as vault:
        profile = load_profile(vault)
        if args.profile_command == "set":
            profile = changed_profile(profile, args)
            for key in ("name", "role", "initials", "school"):
                check_text(getattr(profile, key), key)
            save_profile(vault, profile)
    if args.profile_command != "set" and args.json:
        json_out(profile)
        return 0
    out(f"Name:      {profile.name or '(not set)'}")
    out(f"Role:      {profile.role or '(not set)'}")
    out(f"Initials:  {profile.initials or '(not set)'} (exhibits are marked "
        f"{profile.exhibit_prefix}/1, {profile.exhibit_prefix}/2, …)")
    out(f"School:    {profile.school or '(not set)'}")
    if profile.contacts:
        out("Contacts:")
        for c in profile.contacts:
            out(f"  {c.role}: " + ", ".join(x for x in (c.name, c.phone, c.email) if x))
    else:
        out("Contacts:  none yet (add with: evidence-kit profile set --contact ROLE=NAME,…)")
    if args.profile_command == "set":
        out("Saved.")
    return 0


# ---- actions -------------------------------------------------------------------------


def _option(key: str) -> str:
    return "--" + key.replace("_", "-")


def _register_action(sub: Any) -> None:
    kinds = "\n".join(f"  {k.id:<24}{k.label}" for k in ACTION_KINDS)
    action = subcommand(sub, "action", "record what you did about an incident, or list it",
                        "Record a step taken about an incident (told SLT, reported it to "
                        "the platform, asked for it to be taken down, …) with the date it "
                        "happened, as the app's 'Record what you did' does; or list them.",
                        cmd_action, epilog="Kinds of step:\n" + kinds)
    action.formatter_class = argparse.RawDescriptionHelpFormatter
    kinds_sub = action.add_subparsers(dest="kind", metavar="KIND", required=True,
                                      parser_class=Parser)
    listing = subcommand(kinds_sub, "list", "list the steps recorded",
                         "List the steps recorded, in the order they happened, with any "
                         "checks that are due.")
    listing.add_argument("--incident", type=int, metavar="ID", help="only incident ID's steps")
    listing.add_argument("--json", action="store_true", help="print the steps as JSON")
    for kind in ACTION_KINDS:
        _register_kind(kinds_sub, kind)


def _register_kind(kinds_sub: Any, kind: ActionKind) -> None:
    parser = subcommand(kinds_sub, kind.id, kind.label[:1].lower() + kind.label[1:],
                        f"Record: {kind.label}.")
    parser.add_argument("--incident", type=int, metavar="ID",
                        help="the incident it was about (needed when there is more than one)")
    parser.add_argument("--on", metavar="WHEN",
                        help="when it happened, your local time: YYYY-MM-DD or "
                        "'YYYY-MM-DD HH:MM' (default: now)")
    to = TO_FIELD.get(kind.id)
    for field in kind.fields:
        hint = f" ({field.placeholder})" if field.placeholder else ""
        also = " (or --to)" if field.key == to else ""
        parser.add_argument(_option(field.key), dest=f"field_{field.key}", metavar="TEXT",
                            help=f"{field.label.rstrip('?')}{hint}{also}")
    if to is not None:
        parser.add_argument("--to", metavar="WHO", dest="to",
                            help=f"whom it went to: the same as {_option(to)}")
    if kind.id == REMOVAL_CHECKED:
        parser.add_argument("--result", required=True, choices=(REMOVED, STILL_UP),
                            help="what you found: it was removed, or it is still up")
        parser.add_argument("--request", type=int, metavar="EVENT",
                            help="the request being checked, by event number (see 'action "
                            "list'); needed when more than one is waiting")
    parser.add_argument("--note", help="anything else about it")


def happened_on(text: str | None, now: dt.datetime) -> str:
    """As the app's date field records it: local wall time, to the minute, with offset."""
    if text is None:
        local = now.astimezone()
        return local.replace(second=0, microsecond=0).isoformat(timespec="minutes")
    given = text.strip()
    try:
        moment = dt.datetime.fromisoformat(given)
    except ValueError:
        raise BadInput(f"{text!r} is not a date: give it as YYYY-MM-DD or "
                       "'YYYY-MM-DD HH:MM'.") from None
    if moment.tzinfo is not None:
        raise BadInput("Give the date in your local time, without a zone or offset.")
    return moment.astimezone().isoformat(timespec="minutes")


def _which_incident(vault: Any, given: int | None) -> int:
    if given is not None:
        vault.incident(given)
        return given
    incidents = vault.incidents()
    if len(incidents) == 1:
        return int(incidents[0].id)
    if not incidents:
        raise BadInput("There are no incidents yet; start one with 'evidence-kit incident "
                       "new TITLE'.")
    raise BadInput("There is more than one incident: say which with --incident ID.")


def _request_checked(vault: Any, incident: int | None, given: int | None
                     ) -> tuple[int, int | None]:
    """(request, incident) for a removal check, as the app's 'Which request' gives it."""
    from evidence_kit.core.tracking import open_checks

    checks = open_checks(vault.actions())
    if given is not None:
        found = [c for c in checks if c.request_seq == given]
        if not found:
            raise BadInput(f"Event {given} is not a request waiting for a check; see "
                           "'evidence-kit action list'.")
        return given, found[0].incident if incident is None else incident
    if incident is not None:
        checks = [c for c in checks if c.incident == incident]
    if not checks:
        raise BadInput("There is no request to take something down waiting for a check. "
                       "Record 'removal-requested' first.")
    if len(checks) > 1:
        listed = ", ".join(str(c.request_seq) for c in checks)
        raise BadInput(f"More than one request is waiting for a check (events {listed}): "
                       "say which with --request.")
    return checks[0].request_seq, checks[0].incident if incident is None else incident


def action_details(kind: ActionKind, args: argparse.Namespace) -> dict[str, object]:
    """The details as the app's dialog makes them: only what was given, stripped."""
    to = TO_FIELD.get(kind.id)
    details: dict[str, object] = {}
    for field in kind.fields:
        value = getattr(args, f"field_{field.key}")
        if field.key == to and getattr(args, "to", None) is not None:
            if value is not None:
                raise BadInput(f"Give {_option(to)} or --to, not both.")
            value = args.to
        if value is not None and value.strip():
            details[field.key] = value.strip()
    if args.note is not None and args.note.strip():
        details["note"] = args.note.strip()
    return details


def cmd_action(session: Session) -> int:
    from evidence_kit.core.actions import action_kind

    args = session.args
    if args.kind == "list":
        return _list_actions(session)
    kind = action_kind(args.kind)
    assert kind is not None  # argparse only offers known kinds
    details = action_details(kind, args)
    with session.open() as vault:
        if kind.id == REMOVAL_CHECKED:
            request, incident = _request_checked(vault, args.incident, args.request)
            if incident is None:
                incident = _which_incident(vault, None)
            details["request"] = request
            details["result"] = args.result
        else:
            incident = _which_incident(vault, args.incident)
        when = happened_on(args.on, vault.clock.now())
        record = vault.record_action(incident, kind.id, when, details)
    out(f"Recorded as event {record.seq}: {kind.label} "
        f"({wording.date_given(when)}), incident {incident}.")
    if kind.id == REMOVAL_CHECKED and args.result == STILL_UP:
        out("It is still up: capture it again so the record shows it, and check again in "
            "24 hours.")
    return 0


def _list_actions(session: Session) -> int:
    from evidence_kit.core.tracking import happened_at, open_checks

    args = session.args
    with session.open() as vault:
        if args.incident is not None:
            vault.incident(args.incident)
        events = sorted(vault.actions(incident=args.incident), key=happened_at)
        now = vault.clock.now()
    checks = open_checks(events)
    if args.json:
        json_out({"actions": [
            {"event": e.seq, "incident": e.payload.get("incident"),
             "action": e.payload.get("action"),
             "label": wording.describe_action(e).heading,
             "happened_on": e.payload.get("happened_on"), "recorded_at": e.recorded_at,
             "details": e.payload.get("details") or {}} for e in events],
            "checks": [{"request": c.request_seq, "incident": c.incident, "what": c.what,
                        "due_at": c.due_at.isoformat(), "due": c.is_due(now)}
                       for c in checks]})
        return 0
    if not events:
        out("Nothing recorded yet. Record a step with: evidence-kit action KIND …")
    for event in events:
        words = wording.describe_action(event)
        out(f"event {event.seq}  incident {event.payload.get('incident')}  "
            f"{words.when}  {words.heading}")
        for line in words.detail_text("\n").splitlines():
            out(f"    {line}")
    for check in checks:
        state = "DUE" if check.is_due(now) else "due"
        out(f"{state} {wording.when(check.due_at)}: check whether “{check.what}” was taken "
            f"down (request event {check.request_seq}).")
    return 0


# ---- redaction -----------------------------------------------------------------------


def _register_redact(sub: Any) -> None:
    redact = subcommand(sub, "redact", "make a redacted copy of an image, with black boxes",
                        "Make a redacted copy of an image item, with black boxes over "
                        "third parties (pupils, parents), as the app's Redact does. The "
                        "original is never changed; packs show the copy and print both "
                        "fingerprints.", cmd_redact)
    redact.add_argument("id", type=int, metavar="ID", help="the image item's number")
    redact.add_argument("--box", action="append", required=True, metavar="X,Y,W,H[:LABEL]",
                        help="a box in the image's pixels (left, top, width, height) and "
                        "what it hides; repeat for more")
    redact.add_argument("--reason", metavar="TEXT",
                        help="what the boxes hide, and why (printed in the pack); default: "
                        "the boxes' labels")


def parse_boxes(texts: list[str]) -> tuple[list[Any], list[str]]:
    from evidence_kit.export.redact import Box

    boxes, labels = [], []
    for text in texts:
        shape, _colon, label = text.partition(":")
        boxes.append(Box.parse(shape.strip()))
        if label.strip():
            labels.append(" ".join(label.split()))
    return boxes, labels


def cmd_redact(session: Session) -> int:
    from evidence_kit.export.redact import redact_item

    args = session.args
    boxes, labels = parse_boxes(args.box)
    given = args.reason if args.reason is not None else "; ".join(dict.fromkeys(labels))
    # Tidied as the app's reason field is, and required as it is there.
    reason = " ".join(given.split())
    if not reason:
        raise BadInput("Say what the boxes hide, and why: give --reason TEXT or a label "
                       "on a box (X,Y,W,H:label).")
    with session.open() as vault:
        created = redact_item(vault, args.id, boxes, reason)
    out(f"Redacted copy of item {args.id} saved as item {created.id} "
        f"({wording.plural(len(boxes), 'box', 'boxes')}, SHA-256 {created.sha256}). "
        "The original is unchanged.")
    return 0
