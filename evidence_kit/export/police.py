"""The police section: the exhibit list, the draft statement producing each exhibit in
its own sentence, each exhibit's continuity in words, and neutral pointers to offences.

The statement says only what the app knows: how each exhibit was made, and how its web
address came to be recorded (typed, from the clipboard, read from the browser) where
that was recorded, "not recorded" where it was not. The s9 declaration belongs to the
officer's own form (MG11), so it is not drafted here.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, Spacer

from evidence_kit import wording
from evidence_kit.core.journal import EventType
from evidence_kit.core.model import Event
from evidence_kit.export.continuity import withheld_reason
from evidence_kit.export.pack import RECIPIENT_NAMES, Exhibit, Pack, category_label
from evidence_kit.export.recipient_facts import facts
from evidence_kit.export.styles import ACCENT, FRAME_WIDTH, SHADE, SMALL, Styled

URL_SOURCES = {
    "typed": "typed in by me",
    "clipboard": "filled in from my computer's clipboard (I had copied it) and checked by me",
    "browser": "read from the browser by Evidence Kit",
    "command line": "given by me on the command line",
}
URL_NOT_RECORDED = "how the address was obtained was not recorded"


def _how(pack: Pack, exhibit: Exhibit) -> str:
    item = exhibit.item
    if _page_part(exhibit):
        return f"Web page captured in the web browser of {pack.tool} ({_page_part(exhibit)})"
    if item.method == "capture":
        return f"Screen capture made with {pack.tool}"
    return f"File imported into {pack.tool} ({item.original_name})"


PAGE_PARTS = {"visible": "the part of the page shown on the screen",
              "whole page": "the whole page, top to bottom",
              "archive": "an archive of the page that opens offline (MHTML)",
              "page text": "the text of the page as the browser held it (HTML)"}


def _page_part(exhibit: Exhibit) -> str | None:
    capture = exhibit.item.details.get("capture")
    if not isinstance(capture, dict) or capture.get("method") != "web page":
        return None
    part = str(capture.get("part"))
    return PAGE_PARTS.get(part, part)


def url_source(exhibit: Exhibit) -> str | None:
    """How the exhibit's current address was obtained, as recorded with it (or None)."""
    found: Any = None
    for event in exhibit.history:  # the latest address given wins, with its source
        url = event.payload.get("url")
        if isinstance(url, dict) and event.type in (EventType.ITEM_CAPTURED,
                                                    EventType.ITEM_IMPORTED,
                                                    EventType.ITEM_DETAILS):
            found = url.get("source")
    if not found and isinstance(exhibit.item.details.get("url"), dict):
        found = exhibit.item.details["url"].get("source")
    return str(found) if isinstance(found, str) and found else None


def shows(exhibit: Exhibit) -> str:
    item = exhibit.item
    return (item.description or category_label(item.category)
            or f"the file {item.original_name}")


_SENTENCE_ENDS = (".", "!", "?", "…", "。", "！", "？", "؟", "۔")


def _sentence(words: str) -> str:
    """A description as the end of a sentence: ``posted .`` and ``Short note..`` read
    as slips in a statement the police may adopt."""
    words = words.strip()
    return words if words.endswith(_SENTENCE_ENDS) else words + "."


def _unredacted(exhibit: Exhibit) -> str:
    if exhibit.original_in_pack:
        return f"the unredacted original is in the accompanying bundle at {exhibit.original_path}"
    return ("the unredacted original is kept unaltered in my Evidence Kit vault and is not "
            "in this pack; its SHA-256 hash identifies it")


def _kind(media_type: str) -> str:
    if media_type.startswith("image/"):
        return "a picture"
    if media_type == "message/rfc822":
        return "an email"
    if media_type.startswith(("audio/", "video/")):
        return "a recording"
    return "a file"


def exhibit_sentence(pack: Pack, exhibit: Exhibit) -> str:
    """One exhibit produced in the statement: mark, what it shows, when and how it was
    made, its address and how that was obtained, any redaction."""
    item = exhibit.item
    when = pack.seen(exhibit)
    if _page_part(exhibit):
        made = (f"by capturing the web page in the web browser of {pack.tool} on {when} "
                f"({_page_part(exhibit)})")
    elif item.method == "capture":
        made = f"by capturing my computer screen with {pack.tool} on {when}"
    else:
        # What the file is, never where it came from: only the witness can say that.
        made = (f"by importing {_kind(item.media_type)} named {item.original_name} into "
                f"{pack.tool} on {when}")
    text = (f"I produce exhibit {exhibit.mark}, which shows {_sentence(shows(exhibit))} "
            f"I made it {made}.")
    if item.account:
        text += f" The account responsible is shown as {item.account}."
    if item.url:
        source = url_source(exhibit)
        text += (f" The web address recorded with it, {item.url}, was "
                 f"{URL_SOURCES.get(source, f'obtained: {source}')}." if source
                 else f" The web address recorded with it is {item.url}; {URL_NOT_RECORDED}.")
    if exhibit.redacted is not None:
        link = exhibit.redacted.details.get("derived_from")
        reason = link.get("reason") if isinstance(link, dict) else None
        text += (" The copy shown in the pack is redacted with black boxes"
                 + (f" ({reason})" if reason else "") + f"; {_unredacted(exhibit)}.")
    return text + f" Its SHA-256 hash is {item.sha256}."


def draft_statement(pack: Pack) -> list[str]:
    """The draft statement's paragraphs: who I am, one per exhibit, and how they are kept."""
    who = pack.profile.name or "[name]"
    role = pack.profile.role or "[role]"
    school = pack.profile.school or "[school]"
    opening = (f"I am {who}, {role} at {school}. I saw the material described below and "
               f"recorded it as it appeared to me, in {len(pack.exhibits)} "
               f"{'exhibit' if len(pack.exhibits) == 1 else 'exhibits'}.")
    closing = (
        "The records are kept in an encrypted, tamper-evident journal that only I can open; "
        "the times are my computer's clock. Each exhibit in the attached pack "
        f"{pack.pack_id} shows its SHA-256 hash; the files in the accompanying bundle have "
        "those same hashes, and the bundle is signed by my journal's key, with fingerprint "
        f"{pack.key_fingerprint}. I have not altered any of the originals.")
    return [opening, *(exhibit_sentence(pack, e) for e in pack.exhibits), closing]


# ---- continuity -----------------------------------------------------------------------


def _by(pack: Pack, exhibit: Exhibit) -> str:
    capture = exhibit.item.details.get("capture")
    named = capture.get("profile") if isinstance(capture, dict) else None
    return str(named or pack.profile.name or "the member of staff")


def _event_words(pack: Pack, exhibit: Exhibit, event: Event) -> str | None:
    p = event.payload
    kind = event.type
    if kind == EventType.ITEM_CAPTURED:
        return f"Captured by {_by(pack, exhibit)} with {pack.tool}"
    if kind == EventType.ITEM_IMPORTED:
        return (f"Imported by {_by(pack, exhibit)} from a file named "
                f"{exhibit.item.original_name}")
    if kind == EventType.ITEM_DETAILS:
        changed = [wording.detail_label(k) for k in p if k != "item"]
        return "Details added or changed" + (f": {', '.join(changed)}" if changed else "")
    if kind == EventType.ITEM_MOVED:
        return "Moved from one incident to another in the vault"
    if kind == EventType.NOTE_ADDED:
        return "Note added"
    if kind == EventType.EXHIBIT_MARKED:
        return f"Exhibit mark {p.get('mark', exhibit.mark)} assigned"
    if kind == EventType.ITEM_EXTRACTED:
        return "The original's exact bytes extracted to a file on the producer's computer"
    if kind in (EventType.EXPORT_STARTED, EventType.EXPORT_MADE):
        whom = RECIPIENT_NAMES.get(str(p.get("for")), "a recipient")
        return f"Exported in evidence pack {p.get('pack', '(no reference)')} for {whom}"
    if kind == EventType.ITEM_WITHDRAWN:
        return "Withdrawn"
    return None


def continuity_rows(pack: Pack, exhibit: Exhibit) -> list[list[str]]:
    """Every event that touched the exhibit, in words, oldest first: [when, what, record]."""
    pack_items = {e.item.id for e in pack.exhibits} | {
        e.redacted.id for e in pack.exhibits if e.redacted is not None}
    disclosed = set(pack.disclosed)
    rows: list[tuple[int, list[str]]] = []
    events = sorted({e.seq: e for e in (*exhibit.history, *exhibit.continuity)}.values(),
                    key=lambda e: e.seq)
    for event in events:
        words = _event_words(pack, exhibit, event)
        if words is None:
            continue
        if event.seq in disclosed:
            record = f"event {event.seq}: its record is in the bundle"
        else:
            reason = withheld_reason(event, pack_items) or "it concerns other evidence"
            record = f"event {event.seq}: record withheld because {reason}"
        rows.append((event.seq, [pack.local(event.recorded_at), words, record]))
    if exhibit.redacted is not None:
        red = exhibit.redacted
        rows.append((red.created_seq, [
            pack.local(red.recorded_at), "Redacted copy made (black boxes); the original "
            "is unchanged", f"event {red.created_seq}: its record is in the bundle"]))
    rows.sort(key=lambda r: r[0])
    if any(m.item == exhibit.item.id for m in pack.new_marks):
        rows.append((0, [pack.local(pack.made_at), f"Exhibit mark {exhibit.mark} assigned "
                     "for this pack", "recorded in the journal once the pack is written"]))
    rows.append((0, [pack.local(pack.made_at), f"Exported in this pack, {pack.pack_id}, for "
                 f"{RECIPIENT_NAMES[pack.request.recipient]}",
                 "recorded in the journal once the pack is written"]))
    return [r for _, r in rows]


def continuity(pack: Pack, s: Styled) -> list[Flowable]:
    out: list[Flowable] = [*s.heading("Continuity of each exhibit", 2)]
    out += s.para(
        "Every event in the journal that touched each exhibit, oldest first (device times). "
        "Each record is in the bundle unless it names a folder on the producer's computer "
        "(as records made by earlier versions did) or items outside this pack: such a record "
        "is withheld, and the bundle holds only its hash, which proves it exists in the "
        "journal without revealing it.", SMALL)
    for exhibit in pack.exhibits:
        out.append(CondPageBreak(110))  # no heading left alone at the foot of a page
        out += s.heading(f"Exhibit {exhibit.mark}", 3)
        out.append(s.grid(["When", "What happened", "Its record"],
                          continuity_rows(pack, exhibit), [128, FRAME_WIDTH - 128 - 150, 150]))
        out.append(Spacer(1, 6))
    return out


def police_section(pack: Pack, s: Styled) -> list[Flowable]:
    out: list[Flowable] = [*s.heading("For the police")]
    out += s.heading("Exhibit list", 2)
    rows = []
    for exhibit in pack.exhibits:
        described = shows(exhibit)
        if exhibit.redacted is not None:  # on its own line: the description may be RTL
            described += "\n(shown redacted" + (
                "; the unredacted original is in the bundle)" if exhibit.original_in_pack
                else "; the unredacted original is held by the producer)")
        when = f"{pack.exhibit_when(exhibit.item)}\n{_how(pack, exhibit)}"
        rows.append([exhibit.mark, described, when])
    out.append(s.grid(["Exhibit", "Description", "When and how produced (device time)"],
                      rows, [52, FRAME_WIDTH - 52 - 190, 190]))
    out.append(Spacer(1, 8))
    out += s.heading("Draft witness statement (DRAFT)", 2)
    out.append(s.notice(
        "Draft only",
        "This is a suggested wording for the officer taking the statement, built from what "
        "was recorded. It must be read, corrected and adopted by the witness in their own "
        "words. The declaration under section 9 of the Criminal Justice Act 1967 and the "
        "signature belong to the officer's own statement form (MG11), so they are not "
        "drafted here.", background=SHADE, edge=ACCENT))
    for paragraph in draft_statement(pack):
        out += s.para(paragraph)
    out += continuity(pack, s)
    out += s.heading("Offences the material may concern", 2)
    out += s.para(
        "These pointers are neutral and are not a view on whether any offence is made out; "
        "that is for the police and the Crown Prosecution Service to decide.", SMALL)
    found = facts(pack)
    out.append(s.bullets([
        "Harassment (Protection from Harassment Act 1997) requires a course of conduct: "
        "conduct on at least two occasions. This pack records "
        f"{found['count']} items on {found['days']} different days; accounts recorded: "
        f"{found['accounts']}.",
        "Sending messages that are indecent, grossly offensive, threatening or false in order "
        "to cause distress or anxiety (Malicious Communications Act 1988; Communications Act "
        "2003).",
        "Threatening communications and false communications (Online Safety Act 2023).",
        "Where material was posted about the school or its staff by a pupil, the school's "
        "behaviour procedures may apply alongside any police action.",
    ]))
    return out
