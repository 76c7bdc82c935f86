"""The LADO section: the fields referral forms ask for, filled from what the vault
knows, and "(to be completed)" only where it cannot know. Nothing about children is
ever guessed; the harm criteria are the LADO's own, ticked by the referrer."""

from __future__ import annotations

from reportlab.platypus import Flowable

from evidence_kit import wording
from evidence_kit.core import tracking
from evidence_kit.core.model import Event
from evidence_kit.core.profile import Contact
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

HARM_CRITERIA = (
    "behaved in a way that has harmed a child, or may have harmed a child",
    "possibly committed a criminal offence against or related to a child",
    "behaved towards a child or children in a way that indicates they may pose a risk of "
    "harm to children",
    "behaved or may have behaved in a way that indicates they may not be suitable to work "
    "with children",
)
TICK_BOX = "[   ]"


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
        ("The adult this concerns (if any)", TO_FILL),
        ("The child or children involved (if any): names, ages, school", TO_FILL),
        ("Dates of the incident(s)", _incident_dates(pack)),
        ("Date of this referral", _referral_date(pack)),
        ("How and to whom it was first reported", _first_report(pack)),
        ("Category of harm (the LADO criteria: tick those that apply)",
         "The adult has:\n" + "\n".join(f"{TICK_BOX} {c}" for c in HARM_CRITERIA)),
        ("What happened", (pack.incident.summary if pack.incident and pack.incident.summary
                           else TO_FILL) + "\nSee the chronology and the exhibits."),
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
