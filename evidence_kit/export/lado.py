"""The LADO section: the fields referral forms ask for, filled from what the vault
knows, and "(to be completed)" only where it cannot know. Nothing about children is
ever guessed; the harm criteria are the LADO's own, ticked by the referrer."""

from __future__ import annotations

from reportlab.platypus import Flowable

from evidence_kit import wording
from evidence_kit.core import tracking
from evidence_kit.core.model import Event
from evidence_kit.core.profile import Contact
from evidence_kit.core.referral import HARM_CRITERIA, Adult, Child, Referral
from evidence_kit.export.pack import Pack, exhibit_time
from evidence_kit.export.police import shows
from evidence_kit.export.recipient_facts import (
    TO_FILL,
    action_line,
    actions_in_words,
    actions_of,
    kind_of,
    who,
)
from evidence_kit.export.styles import Styled

TICKED = "[X]"
UNTICKED = "[ ]"


def _contact_text(contact: Contact) -> str:
    return ", ".join(x for x in (contact.name, contact.phone, contact.email) if x)


def _dsl(pack: Pack) -> Contact | None:
    found = pack.profile.contact("Designated safeguarding lead")
    return found if found is not None and _contact_text(found) else None


def _referrer(pack: Pack) -> str:
    dsl = _dsl(pack)
    if dsl is None:
        return (f"{TO_FILL}: the designated safeguarding lead (no DSL is recorded in the "
                "school contacts)")
    return f"{dsl.name or 'The designated safeguarding lead'}, {dsl.role}"


def _incident_dates(pack: Pack) -> str:
    days = sorted({(pack.seen_date(e), wording.day(exhibit_time(e.item),
                                                   pack.item_zone(e.item)))
                   for e in pack.exhibits})
    return ", ".join(text for _, text in days) + " (as seen, device dates)"


def _referral_date(pack: Pack) -> str:
    referred = actions_of(pack, "lado")
    made = f"this pack was prepared on {wording.day(pack.made_at, pack.zone)}"
    if referred:
        return f"{wording.describe_action(referred[-1], pack.zone).when}; {made}"
    return f"{TO_FILL} ({made})"


def _first_report(pack: Pack) -> str:
    if not pack.actions:
        return TO_FILL
    first = min(pack.actions, key=lambda e: (tracking.happened_at(e), e.seq))
    return action_line(pack, first)


def _told(pack: Pack, events: list[Event]) -> str:
    if not events:
        return TO_FILL
    return "\n".join(action_line(pack, e) for e in events)


def _by_incident(pack: Pack, parts: list[tuple[int, str]]) -> str:
    """Lines from several incidents' details, each named by its incident when the pack
    covers more than one and they differ."""
    texts = list(dict.fromkeys(text for _, text in parts))
    if len(texts) <= 1 or not pack.several_incidents:
        return "\n".join(texts)
    return "\n".join(f"{pack.incident_title(i)}: {text}" for i, text in parts)


def _part(label: str, value: str) -> str:
    return f"{label}: {value or TO_FILL}"


def _adult_text(adult: Adult) -> str:
    return "; ".join((_part("Name", adult.name), _part("Role", adult.role),
                      _part("Relationship to the school", adult.relationship)))


def _adult(pack: Pack) -> str:
    parts = [(i, _adult_text(r.adult)) for i, r in pack.referrals if not r.adult.empty]
    return _by_incident(pack, parts) if parts else TO_FILL


def _child_text(child: Child) -> str:
    return "; ".join((_part("Name or initials", child.name), _part("Age", child.age),
                      _part("School", child.school)))


def _children(pack: Pack) -> str:
    found = list(dict.fromkeys(c for _, r in pack.referrals for c in r.children))
    if not found:
        return TO_FILL
    return "\n".join(_child_text(c) for c in found)


def _criteria(pack: Pack) -> str:
    chosen: dict[int, list[int]] = {}
    for incident_id, details in pack.referrals:
        for number in details.criteria:
            chosen.setdefault(number, []).append(incident_id)
    with_criteria = [i for i, r in pack.referrals if r.criteria]
    lines = []
    for number, words in enumerate(HARM_CRITERIA, start=1):
        where = chosen.get(number, [])
        line = f"{TICKED if where else UNTICKED} {words}"
        if where and pack.several_incidents and len(where) < len(with_criteria):
            line += " (" + "; ".join(pack.incident_title(i) for i in where) + ")"
        lines.append(line)
    if not chosen:
        head = f"{TO_FILL}: none was ticked. The adult has:"
    else:
        head = "Ticked by the member of staff. The adult has:"
    return "\n".join([head, *lines])


def _what_happened(pack: Pack) -> str:
    if pack.several_incidents:
        lines = [f"{i.title}: {i.summary or TO_FILL}" for i in pack.incidents]
    else:
        lines = [pack.incident.summary if pack.incident and pack.incident.summary
                 else TO_FILL]
    return "\n".join([*lines, "See the chronology and the exhibits."])


def referral_of(pack: Pack, incident_id: int) -> Referral:
    return dict(pack.referrals).get(incident_id, Referral())


def _supporting(pack: Pack) -> str:
    lines = [f"This evidence pack {pack.pack_id} and the verifiable ZIP bundle beside it; "
             "the exhibits:"]
    lines += [f"{e.mark}: {shows(e)}" for e in pack.exhibits]
    return "\n".join(lines)


def lado_rows(pack: Pack) -> list[tuple[str, str]]:
    dsl = _dsl(pack)
    profile = pack.profile
    return [
        ("Referrer", _referrer(pack)),
        ("Referrer's contact details", _contact_text(dsl) if dsl else TO_FILL),
        ("Person reporting (the member of staff)", who(pack)),
        ("Organisation", profile.school or TO_FILL),
        ("The adult this concerns (if any)", _adult(pack)),
        ("The child or children involved (if any): names, ages, school", _children(pack)),
        ("Dates of the incident(s)", _incident_dates(pack)),
        ("Date of this referral", _referral_date(pack)),
        ("How and to whom it was first reported", _first_report(pack)),
        ("Category of harm (the LADO criteria: those that apply are ticked)",
         _criteria(pack)),
        ("What happened", _what_happened(pack)),
        ("Told the police", _told(pack, [e for e in actions_of(pack, "police")
                                         if "consent" not in kind_of(e)])),
        ("Told parents or carers", _told(pack, actions_of(pack, "parent", "carer"))),
        ("Told children's social care", _told(pack, actions_of(pack, "social"))),
        ("Actions taken so far", actions_in_words(pack)),
        ("Supporting documents", _supporting(pack)),
    ]


def lado_section(pack: Pack, s: Styled) -> list[Flowable]:
    out: list[Flowable] = [*s.heading("For the LADO: referral details")]
    out += s.para(
        "The fields a LADO referral form asks for, filled in from what the member of staff "
        "recorded. Fields marked '(to be completed)' were not recorded and should be filled "
        "in by the referrer; nothing about a child is ever guessed. Indecent images of "
        "children are never included in a pack: where one was seen, Evidence Kit keeps only "
        "a written note of where and when, never the image."
    )
    out.append(s.fields(lado_rows(pack), label_width=150))
    return out
