"""What can be done about an incident, in the words the app and the packs both use.

Each kind is recorded as an ``action.recorded`` event whose payload names the kind's
id and holds its fields; the ids are stable (old records keep theirs), the labels are
what people read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

CHECK_AFTER = dt.timedelta(hours=24)
REMOVAL_REQUESTED = "removal-requested"
REMOVAL_CHECKED = "removal-checked"
STILL_UP = "still-up"
REMOVED = "removed"
REPORT_HARMFUL_CONTENT = "report-harmful-content"
RHC_AFTER = dt.timedelta(hours=48)
"""Report Harmful Content takes a case only once a platform report is this old."""


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    placeholder: str = ""


@dataclass(frozen=True)
class ActionKind:
    id: str
    label: str
    """What the user did, as a menu item and a heading."""
    fields: tuple[Field, ...]


ACTION_KINDS: tuple[ActionKind, ...] = (
    ActionKind("told-slt", "Told SLT or my line manager", (
        Field("who", "Who you told", "e.g. Mrs Khan, deputy head"),
        Field("how", "How", "in person, email, phone…"),
    )),
    ActionKind("told-dsl", "Told the designated safeguarding lead (DSL)", (
        Field("who", "Who you told", "the DSL or deputy DSL, by name"),
        Field("how", "How", "in person, email, phone…"),
    )),
    ActionKind("reported-platform", "Reported it to the platform", (
        Field("platform", "Platform or site", "e.g. Facebook"),
        Field("reference", "Report reference", "the reference or ticket number, if given"),
        Field("what", "What you reported", "the post, page or account"),
    )),
    ActionKind(REMOVAL_REQUESTED, "Asked for it to be taken down", (
        Field("asked_by", "Who asked", "e.g. me, or the headteacher"),
        Field("asked", "Asked whom", "the platform, the site's owner, the poster…"),
        Field("what", "What should come down", "the post, page or account"),
        Field("reference", "Reference", "if one was given"),
    )),
    ActionKind(REMOVAL_CHECKED, "Checked whether it was taken down", ()),
    # The policies' step when a site will not co-operate: go to whoever hosts it.
    ActionKind("escalated-host", "Escalated to the site's host or internet service provider", (
        Field("host", "Host or provider", "e.g. the web host, the ISP"),
        Field("reference", "Reference", "the reference or ticket number, if given"),
        Field("what", "What you asked for", "removal of the page, the account…"),
    )),
    ActionKind(REPORT_HARMFUL_CONTENT, "Reported it to Report Harmful Content", (
        Field("reference", "Report Harmful Content reference", ""),
        Field("what", "What you reported", "the post, page or account"),
    )),
    ActionKind("police", "Reported it to the police", (
        Field("reference", "Crime reference number", "e.g. 1234567/26"),
        Field("officer", "Officer", "name and collar number, if given"),
        Field("force", "Police force or station", ""),
    )),
    ActionKind("lado", "Referred to the LADO", (
        Field("reference", "LADO reference", ""),
        Field("by", "Who referred it", "e.g. the DSL"),
    )),
    # Who else has been told: the LADO's referral form asks for each, with its date and
    # reference. The ids hold "parent" and "social", the words the LADO pack looks for.
    ActionKind("told-parents", "Told the child's parents or carers", (
        Field("who", "Who was told", "e.g. Mr and Mrs Brown, the pupil's parents"),
        Field("by", "Told by", "e.g. the DSL, the headteacher"),
        Field("reference", "Reference", "if one was given"),
    )),
    ActionKind("told-social-care", "Told children's social care", (
        Field("who", "Who was told", "e.g. the duty social worker, the MASH"),
        Field("by", "Told by", "e.g. the DSL"),
        Field("reference", "Social care reference", "the case or contact number, if given"),
    )),
    ActionKind("union", "Contacted my union or professional association", (
        Field("organisation", "Union or association", "e.g. NEU, NASUWT, ASCL, UNISON"),
        Field("who", "Who you spoke to", ""),
        Field("reference", "Reference", ""),
    )),
    ActionKind("support", "Support offered or used", (
        Field("service", "Which support",
              "Professionals Online Safety Helpline, the union, the employee assistance line"),
        Field("who", "Who you spoke to", ""),
        Field("reference", "Reference", ""),
    )),
    # The policies let the police be told only with the member of staff's consent.
    ActionKind("consent-police", "My consent to the school reporting it to the police", (
        Field("consent", "Do you consent?", "yes or no"),
        Field("given_to", "Told to", "e.g. the headteacher"),
    )),
    ActionKind("outcome", "Outcome", (
        Field("what", "What was decided or what happened", ""),
        Field("by", "Decided by", "e.g. the headteacher, the police"),
    )),
)

_KINDS = {kind.id: kind for kind in ACTION_KINDS}


def action_kind(kind_id: str) -> ActionKind | None:
    return _KINDS.get(kind_id)
