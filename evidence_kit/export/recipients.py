"""The part of a pack written for its reader: SLT, the police or the LADO.

The words are factual and neutral. The police section points to the kinds of offence
the material may concern without saying any is made out; that is for the police and
prosecutors. Fields nobody has recorded are left visibly blank to fill in, never
guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from reportlab.platypus import Flowable, Spacer

from evidence_kit import wording
from evidence_kit.export.conduct import account_key, account_names, shown_account
from evidence_kit.export.pack import Pack, category_label
from evidence_kit.export.styles import ACCENT, FRAME_WIDTH, SHADE, SMALL, Styled

TO_FILL = "(to be completed)"


def _how(pack: Pack, index: int) -> str:
    exhibit = pack.exhibits[index]
    item = exhibit.item
    if item.method == "capture":
        return f"Screen capture made with {pack.tool}"
    return f"File imported into {pack.tool} ({item.original_name})"


def _facts(pack: Pack) -> dict[str, str]:
    span = pack.span()
    # Spellings of one account (case, spaces, a leading @) are counted together.
    names = account_names(e.item.account for e in pack.exhibits)
    accounts = Counter(shown_account(names[account_key(e.item.account)])
                       for e in pack.exhibits if e.item.account and e.item.account.strip())
    platforms = Counter(e.item.platform for e in pack.exhibits if e.item.platform)
    categories = Counter(category_label(e.item.category) for e in pack.exhibits
                         if e.item.category)
    return {
        "count": str(len(pack.exhibits)),
        "first": pack.seen(span[0]) if span else "",
        "last": pack.seen(span[1]) if span else "",
        "accounts": ", ".join(f"{a} ({n})" for a, n in accounts.most_common()) or "not recorded",
        "platforms": ", ".join(f"{p} ({n})" for p, n in platforms.most_common())
        or "not recorded",
        "categories": ", ".join(f"{c} ({n})" for c, n in categories.most_common())
        or "not recorded",
        # Days as the person lived them (local dates), not UTC dates.
        "days": str(len({pack.seen_date(e) for e in pack.exhibits})),
    }


def _who(pack: Pack) -> str:
    p = pack.profile
    bits = [p.name or "the member of staff"]
    if p.role:
        bits.append(p.role)
    if p.school:
        bits.append(p.school)
    return ", ".join(bits)


def summary_rows(pack: Pack) -> list[tuple[str, str]]:
    facts = _facts(pack)
    rows = [
        ("Evidence", f"{facts['count']} exhibits on {facts['days']} different days"),
        ("First item", facts["first"]),
        ("Latest item", facts["last"]),
        ("Platforms", facts["platforms"]),
        ("Accounts responsible", facts["accounts"]),
        ("What it shows", facts["categories"]),
    ]
    if pack.incident is not None and pack.incident.summary:
        rows.insert(0, ("Summary (by the member of staff)", pack.incident.summary))
    return rows


def _actions_so_far(pack: Pack) -> str:
    if not pack.actions:
        return "None recorded in this pack."
    parts = []
    for event in pack.actions:
        words = wording.describe_action(event, pack.zone)
        details = words.detail_text()
        parts.append(f"{words.when}: {words.heading}" + (f" ({details})" if details else ""))
    return "\n".join(parts)


def slt_section(pack: Pack, s: Styled) -> list[Flowable]:
    out: list[Flowable] = [*s.heading("For the senior leadership team")]
    out += s.para(
        f"{_who(pack)} has reported online abuse and asks the school to act on it. This "
        "section summarises the evidence; the chronology, the exhibits and a record of what "
        "has been done so far follow."
    )
    out.append(s.fields(summary_rows(pack), label_width=150))
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
    out += s.heading("Done so far", 2)
    out += s.para(_actions_so_far(pack))
    return out


def police_section(pack: Pack, s: Styled) -> list[Flowable]:
    out: list[Flowable] = [*s.heading("For the police")]
    out += s.heading("Exhibit list", 2)
    rows = []
    for index, exhibit in enumerate(pack.exhibits):
        item = exhibit.item
        described = item.description or category_label(item.category) or item.original_name
        if exhibit.redacted is not None:  # on its own line: the description may be RTL
            described += "\n(shown redacted" + (
                "; the unredacted original is in the bundle)" if exhibit.original_in_pack
                else "; the unredacted original is held by the producer)")
        when = f"{pack.exhibit_when(item)}\n{_how(pack, index)}"
        rows.append([exhibit.mark, described, when])
    out.append(s.grid(["Exhibit", "Description", "When and how produced (device time)"],
                      rows, [52, FRAME_WIDTH - 52 - 190, 190]))
    out.append(Spacer(1, 8))
    out += s.heading("Draft paragraph for a witness statement", 2)
    out.append(s.notice(
        "Draft only",
        "This is a suggested wording for the officer taking the statement, built from what "
        "was recorded. It must be read, corrected and adopted by the witness in their own "
        "words.", background=SHADE, edge=ACCENT))
    out += s.para(draft_statement(pack))
    out += s.heading("Offences the material may concern", 2)
    out += s.para(
        "These pointers are neutral and are not a view on whether any offence is made out; "
        "that is for the police and the Crown Prosecution Service to decide.", SMALL)
    facts = _facts(pack)
    out.append(s.bullets([
        "Harassment (Protection from Harassment Act 1997) requires a course of conduct: "
        "conduct on at least two occasions. This pack records "
        f"{facts['count']} items on {facts['days']} different days; accounts recorded: "
        f"{facts['accounts']}.",
        "Sending messages that are indecent, grossly offensive, threatening or false in order "
        "to cause distress or anxiety (Malicious Communications Act 1988; Communications Act "
        "2003).",
        "Threatening communications and false communications (Online Safety Act 2023).",
        "Where material was posted about the school or its staff by a pupil, the school's "
        "behaviour procedures may apply alongside any police action.",
    ]))
    return out


def draft_statement(pack: Pack) -> str:
    seen = pack.span()
    first = pack.exhibits[0].mark
    last = pack.exhibits[-1].mark
    marks = first if first == last else f"{first} to {last}"
    who = pack.profile.name or "[name]"
    role = pack.profile.role or "[role]"
    school = pack.profile.school or "[school]"
    span = ""
    if seen:
        first_seen, last_seen = seen
        span = (f" between {pack.seen(first_seen)} and {pack.seen(last_seen)}"
                if pack.seen_date(first_seen) != pack.seen_date(last_seen)
                else f" on {pack.seen(first_seen)}")
    captures = sum(1 for e in pack.exhibits if e.item.method == "capture")
    imports = len(pack.exhibits) - captures
    how = []
    if captures:
        how.append(f"{captures} by capturing my computer screen with {pack.tool}, which "
                   "recorded the time from my computer's clock, the web address and the "
                   "SHA-256 hash of each capture as it was made")
    if imports:
        how.append(f"{imports} by importing files (such as screenshots from my phone or "
                   f"saved messages) into {pack.tool}, which recorded the SHA-256 hash of each "
                   "file as it was imported")
    return (
        f"I am {who}, {role} at {school}.{span and ' I saw the material described below'}"
        f"{span}. I recorded it as it appeared to me: {'; and '.join(how)}. The records are "
        f"kept in an encrypted, tamper-evident journal that only I can open. I produce the "
        f"resulting {len(pack.exhibits)} exhibits as {marks}. Each exhibit in the attached "
        f"pack {pack.pack_id} shows its SHA-256 hash; the files in the accompanying bundle "
        "have those same hashes, and the bundle is signed by my journal's key, with "
        f"fingerprint {pack.key_fingerprint}. I have not altered any of the originals."
    )


LADO_FIELDS: tuple[tuple[str, Callable[[Pack], str]], ...] = (
    ("Referrer", lambda p: _who(p)),
    ("Referrer's contact details", lambda p: TO_FILL),
    ("The adult this concerns (if any)", lambda p: TO_FILL),
    ("The child or children involved (if any)", lambda p: TO_FILL),
    ("Dates of the concern", lambda p: _dates(p)),
    ("Category of harm", lambda p: _facts(p)["categories"] + "\n" + TO_FILL),
    ("What happened", lambda p: (p.incident.summary if p.incident and p.incident.summary
                                 else TO_FILL) + "\nSee the chronology and the exhibits."),
    ("Who else has been told", lambda p: _told(p)),
    ("Actions taken so far", lambda p: _actions_so_far(p)),
    ("Supporting documents", lambda p: f"This evidence pack {p.pack_id}: "
     f"{len(p.exhibits)} exhibits ({p.exhibits[0].mark}–{p.exhibits[-1].mark}) and the "
     "verifiable ZIP bundle beside it."),
)


def _dates(pack: Pack) -> str:
    span = pack.span()
    if not span:
        return TO_FILL
    return f"{pack.seen(span[0])} to {pack.seen(span[1])} (device times)"


def _told(pack: Pack) -> str:
    told = []
    for event in pack.actions:
        words = wording.describe_action(event, pack.zone)
        details = words.detail_text()
        told.append(words.heading + (f" ({details})" if details else ""))
    return "\n".join(told) if told else TO_FILL


def lado_section(pack: Pack, s: Styled) -> list[Flowable]:
    out: list[Flowable] = [*s.heading("For the LADO: referral details")]
    out += s.para(
        "The fields a LADO referral form asks for, filled in from what the member of staff "
        "recorded. Fields marked '(to be completed)' were not recorded and should be filled "
        "in by the referrer. Indecent images of children are never included in a pack: "
        "where one was seen, Evidence Kit keeps only a written note of where and when, never "
        "the image."
    )
    out.append(s.fields([(label, value(pack)) for label, value in LADO_FIELDS],
                        label_width=150))
    return out


SECTIONS = {"slt": slt_section, "police": police_section, "lado": lado_section}
SECTION_TITLES = {"slt": "For the senior leadership team", "police": "For the police",
                  "lado": "For the LADO: referral details"}
