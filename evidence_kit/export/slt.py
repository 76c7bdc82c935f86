"""The SLT section: what the school has been asked to do and where each request stands
(the 24-hour removal checks from :mod:`evidence_kit.core.tracking`, overdue ones first),
the next review date, whether the member of staff consents to a police report, and the
policy's steps. The actions themselves are listed once, in the pack's "Actions taken"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.platypus import Flowable

from evidence_kit import wording
from evidence_kit.core import tracking
from evidence_kit.core.actions import CHECK_AFTER, REMOVAL_CHECKED, REMOVAL_REQUESTED, REMOVED
from evidence_kit.core.model import Event
from evidence_kit.export.pack import Pack
from evidence_kit.export.recipient_facts import (
    action_line,
    actions_of,
    made_at,
    moment,
    summary_rows,
    who,
)
from evidence_kit.export.styles import ACCENT, FRAME_WIDTH, SHADE, Styled


@dataclass(frozen=True)
class RequestState:
    what: str
    asked_at: dt.datetime
    due_at: dt.datetime
    checked: str
    """Whether and when it was checked, and what was found, in words."""
    overdue: bool


def _what(request: Event) -> str:
    details = request.payload.get("details") or {}
    for key in ("what", "asked", "platform"):
        value = details.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "the content"


def _checks_of(actions: list[Event], request: Event) -> list[Event]:
    """The checks following one request, in order (a still-up check starts the next)."""
    chain: list[Event] = []
    current = request.seq
    while True:
        nxt = next((e for e in actions if e.payload.get("action") == REMOVAL_CHECKED
                    and (e.payload.get("details") or {}).get("request") == current), None)
        if nxt is None:
            return chain
        chain.append(nxt)
        current = nxt.seq


def request_states(pack: Pack) -> list[RequestState]:
    actions = list(pack.actions)
    now = made_at(pack)
    open_due = {c.request_seq: c for c in tracking.open_checks(actions)}
    found = []
    for request in (e for e in actions if e.payload.get("action") == REMOVAL_REQUESTED):
        asked = tracking.happened_at(request)
        checks = _checks_of(actions, request)
        last = checks[-1] if checks else None
        pending = open_due.get(last.seq if last else request.seq)
        due = pending.due_at if pending else asked + CHECK_AFTER
        if last is None:
            checked = "Not yet checked"
        else:
            result = (last.payload.get("details") or {}).get("result")
            found_text = "it has been taken down" if result == REMOVED else (
                "it is still up" if result else "result not recorded")
            checked = (f"Checked {len(checks)} time{'s' if len(checks) > 1 else ''}; last on "
                       f"{moment(pack, tracking.happened_at(last))}: {found_text}")
            if pending is not None:
                checked += f"; next check due {moment(pack, pending.due_at)}"
        found.append(RequestState(_what(request), asked, due, checked,
                                  pending is not None and pending.is_due(now)))
    return found


def _consent(pack: Pack) -> str:
    recorded = actions_of(pack, "consent")
    if not recorded:
        return ("Not recorded yet. The policy says the school reports to the police only "
                "with the member of staff's consent: ask them, and record their answer.")
    return action_line(pack, recorded[-1])


def _escalation(pack: Pack) -> list[str]:
    """Platform reports 48 hours old with nothing taken down: Report Harmful Content."""
    by_seq = {e.seq: e for e in pack.actions}
    return [f"{found.platform} was told on "
            f"{wording.describe_action(by_seq[found.report_seq], pack.zone).when} and nothing "
            "has been recorded as taken down: the school can now escalate to Report Harmful "
            "Content (reportharmfulcontent.com), which reviews platform reports at least 48 "
            "hours old." for found in tracking.escalations(list(pack.actions), made_at(pack))]


def _next_review(states: list[RequestState], pack: Pack) -> str:
    pending = [s.due_at for s in states if s.checked == "Not yet checked"
               or "next check due" in s.checked]
    if pending:
        return f"{moment(pack, min(pending))} (the next removal check falls due)"
    return "(to be agreed by SLT with the member of staff)"


def slt_section(pack: Pack, s: Styled) -> list[Flowable]:
    out: list[Flowable] = [*s.heading("For the senior leadership team")]
    states = request_states(pack)
    overdue = [st for st in states if st.overdue]
    if overdue:
        out.append(s.notice(
            "Overdue", "\n".join(f"The check that {st.what} was taken down was due "
                                 f"{moment(pack, st.due_at)} and has not been recorded."
                                 for st in overdue)))
    for text in _escalation(pack):
        out.append(s.notice("Consider escalating", text, background=SHADE, edge=ACCENT))
    out += s.para(
        f"{who(pack)} has reported online abuse and asks the school to act on it. This "
        "section summarises the evidence; the chronology, the exhibits and a record of what "
        "has been done so far follow."
    )
    out.append(s.fields([
        *summary_rows(pack),
        ("Consent to the school reporting to the police", _consent(pack)),
        ("Next review", _next_review(states, pack)),
    ], label_width=150))
    out += s.heading("Removal requests and the 24-hour checks", 2)
    if states:
        out.append(s.grid(
            ["What should come down", "Asked", "Check due", "Checked and result"],
            [[("OVERDUE: " if st.overdue else "") + st.what, moment(pack, st.asked_at),
              moment(pack, st.due_at), st.checked] for st in states],
            [120, 110, 110, FRAME_WIDTH - 340]))
    else:
        out += s.para("No removal request has been recorded yet.")
    out += s.heading("What the school's policy asks of the school", 2)
    out.append(s.bullets([
        "Investigate promptly, and support the member of staff throughout.",
        "Ask the website or platform to remove or amend the material as a matter of urgency "
        "(within 24 hours), helping the member of staff where the site insists they report "
        "it themselves; then check that it has been removed.",
        "If a site does not co-operate, contact its internet service provider.",
        "Report threatening or intimidating material to the police only with the member of "
        "staff's consent: it is for them to decide whether to involve the police.",
        "Where a pupil is found to be responsible, follow the behaviour policy; where a child "
        "may be at risk, or an adult who works with children may be involved, follow "
        "safeguarding procedures (the DSL and, where it applies, the LADO).",
        "Offer support: the staff member's union or professional association, the employee "
        "assistance programme, and the Professionals Online Safety Helpline.",
    ]))
    out += s.heading("Actions requested", 2)
    requests = []
    addresses = sorted({e.item.url for e in pack.exhibits if e.item.url})
    if addresses:
        requests.append("Request removal of the material at:\n" + "\n".join(addresses))
    else:
        requests.append("Request removal of the material shown in the exhibits.")
    requests += [
        "Confirm to the member of staff when each request was made and when removal was "
        "checked.",
        "Record what the school decides and who will follow it up.",
    ]
    out.append(s.bullets(requests))
    out += s.para("What has been done so far is listed once, with its dates, under "
                  "\"Actions taken\" after the timeline.")
    return out
