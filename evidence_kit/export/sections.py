"""The pack's sections as ReportLab flowables: cover, contents, chronology, timeline,
actions, exhibits and the integrity appendix. The recipient's own section is in
:mod:`.recipients`; page mechanics are in :mod:`.pdf`.

Over 400 lines on purpose: the pack's shared sections (cover, chronology, exhibits,
appendix) are laid out together so one style reads the same throughout; each recipient's
own pages live in their own modules.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import replace

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
)

from evidence_kit import wording
from evidence_kit.capture.scrolling import STITCHED_KEY
from evidence_kit.core import media
from evidence_kit.core.model import Item
from evidence_kit.export import chart, conduct, earlier, instructions, mailtext
from evidence_kit.export.images import PixelSource, image_flowables
from evidence_kit.export.pack import (
    DERIVATION_KEY,
    RECIPIENT_NAMES,
    Exhibit,
    Pack,
    category_label,
    exhibit_time,
    shows_machine,
    without_machine,
)
from evidence_kit.export.recipients import SECTION_TITLES, SECTIONS
from evidence_kit.export.rows import Cell
from evidence_kit.export.styles import (
    BODY,
    CONTENTS_LOOK,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    H1,
    MARKING,
    MONO,
    MUTED,
    SHADE,
    SMALL,
    Styled,
)

ReadBlob = Callable[[str, int | None], bytes]


class Anchor(Flowable):  # type: ignore[misc]
    """Takes no space; notes the page it lands on, for the contents and the outline."""

    def __init__(self, key: str, pages: MutableMapping[str, int]) -> None:
        super().__init__()
        self.key = key
        self.pages = pages
        self.width = self.height = 0
        # It notes the page of what follows it (a heading), so it goes where that goes.
        self.keepWithNext = True

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.pages[self.key] = self.canv.getPageNumber()


# ---- cover and contents ------------------------------------------------------------


def cover(pack: Pack, s: Styled) -> list[Flowable]:
    span = pack.span()
    p = pack.profile
    prepared_by = ", ".join(x for x in (p.name, p.role, p.school) if x) or "(not recorded)"
    out: list[Flowable] = [
        Spacer(1, 36),
        s.text(pack.request.marking, replace(H1, color=MARKING, size=13, leading=16)),
        Spacer(1, 18),
        s.text("Evidence pack", replace(H1, size=26, leading=31)),
        s.text(pack.title, replace(H1, size=17, leading=22, role="regular")),
        Spacer(1, 18),
        s.fields([
            ("Prepared by", prepared_by),
            ("Prepared for", RECIPIENT_NAMES[pack.request.recipient]),
            ("Date prepared", pack.local_and_utc(pack.made_at)),
            ("Period covered", f"{pack.seen(span[0])}\nto {pack.seen(span[1])}"
             if span else "—"),
            ("Exhibits", f"{len(pack.exhibits)} ({pack.exhibits[0].mark} to "
             f"{pack.exhibits[-1].mark})" if len(pack.exhibits) > 1
             else f"1 ({pack.exhibits[0].mark})"),
            ("Pack reference", pack.pack_id),
            ("Handling", pack.request.marking),
            ("Signing key fingerprint", pack.key_fingerprint),
        ], label_width=140),
        Spacer(1, 22),
        s.notice(
            "This pack contains distressing material",
            "It reproduces abusive, threatening or offensive messages and images aimed at a "
            "member of staff. Read it somewhere private, and take a break if you need one.",
        ),
        s.notice(
            "Checking that nothing has been altered",
            "A ZIP bundle with the same reference accompanies this pack. It holds the "
            "original files byte for byte and a signature that anyone can check; the last "
            "section of this pack explains how, step by step.", background=SHADE,
            edge=MUTED),
        PageBreak(),
    ]
    return out


def contents(entries: Sequence[tuple[str, int, int]], s: Styled) -> list[Flowable]:
    """``entries``: (title, level, page). Built after the body, so the pages are known."""
    out: list[Flowable] = [*s.heading("Contents"), Spacer(1, 4)]
    rows = []
    for title, level, page in entries:
        style = BODY if level == 0 else replace(SMALL, color=MUTED)
        indent = "" if level == 0 else "    "
        rows.append([Cell(indent + title, style), Cell(str(page), replace(style, align="right"))])
    table = s.rows(rows, [FRAME_WIDTH - 50, 50], CONTENTS_LOOK)
    out += [table, PageBreak()]
    return out


# ---- recipient section, chronology, timeline, actions --------------------------------


def recipient(pack: Pack, s: Styled, pages: MutableMapping[str, int]) -> list[Flowable]:
    who = pack.request.recipient
    # The chronology follows on the same page when its start fits: a page break here
    # left the page after a short section (the police's offences) mostly empty.
    return [Anchor(f"section:{SECTION_TITLES[who]}", pages), *SECTIONS[who](pack, s),
            Spacer(1, 14), CondPageBreak(CHRONOLOGY_START)]


CHRONOLOGY_START = 150.0
"""Points for the chronology's heading, its introduction and its first rows."""
IN_BRIEF_CHARS = 400
IN_FULL = "… (in full on the exhibit's page)"


def in_brief(text: str, limit: int = IN_BRIEF_CHARS) -> str:
    """A long field cut at a word for a table of many exhibits; the exhibit's own page
    carries all of it, so a reader of the chronology is never shown pages of one post."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip() + IN_FULL


def chronology(pack: Pack, s: Styled, pages: MutableMapping[str, int]) -> list[Flowable]:
    out: list[Flowable] = [Anchor("section:Chronology", pages), *s.heading("Chronology")]
    out += s.para("Every exhibit in time order. Times are the device's clock when the item "
                  "was captured or imported, shown in the local time in force then (with "
                  "its zone and offset from UTC) and in UTC.", SMALL)
    several = pack.several_incidents
    rows = []
    for exhibit in pack.exhibits:
        item = exhibit.item
        when = pack.local_and_utc(exhibit_time(item), pack.item_zone(item))
        if item.posted_at:
            when += f"\nposted (as the page showed): {wording.posted_words(item.posted_at, True)}"
        shows = in_brief(item.description or item.original_name)
        if item.category:
            shows += f"\n({category_label(item.category)})"
        row = [exhibit.mark, when, item.platform or "—", in_brief(item.account or "—", 120),
               shows]
        if several:
            row.insert(1, pack.incident_title(item.incident_id))
        rows.append(row)
    if several:
        out.append(s.grid(["Exhibit", "Incident", "Date and time", "Platform", "Account",
                           "What it shows"], rows, [40, 76, 112, 62, 80, FRAME_WIDTH - 370]))
        out += [Spacer(1, 10), *conduct.incidents_section(pack, s),
                *conduct.conduct_section(pack, s)]
    else:
        out.append(s.grid(["Exhibit", "Date and time", "Platform", "Account",
                           "What it shows"], rows, [44, 122, 72, 96, FRAME_WIDTH - 334]))
        for note in pack.incident_notes:
            if note is pack.incident_notes[0]:
                out += [Spacer(1, 10), *s.heading("Notes on the incident", 2)]
            out += s.headed(f"{pack.local(note.recorded_at)} (event {note.seq})", note.text)
    out.append(Spacer(1, 12))
    return out


def timeline(pack: Pack, s: Styled, pages: MutableMapping[str, int], font: str
             ) -> list[Flowable]:
    dates = [pack.seen_date(e) for e in pack.exhibits]
    data = chart.series(dates)
    out: list[Flowable] = [CondPageBreak(280), Anchor("section:Timeline", pages),
                           *s.heading("Timeline")]
    quiet = sum(1 for c in data.counts if c == 0)
    out += s.para(
        f"How many items were recorded in each {data.unit} from the first to the latest "
        f"({wording.plural(len(data.counts), data.unit)}, {quiet} with none).", SMALL)
    out += [chart.timeline_drawing(data, FRAME_WIDTH, font), Spacer(1, 12)]
    return out


def actions(pack: Pack, s: Styled, pages: MutableMapping[str, int]) -> list[Flowable]:
    out: list[Flowable] = [CondPageBreak(120), Anchor("section:Actions taken", pages),
                           *s.heading("Actions taken")]
    if not pack.actions:
        out += s.para("No actions (telling SLT, reports to the platform, the police or the "
                      "LADO) have been recorded for this incident yet.")
    else:
        rows = []
        for event in pack.actions:
            words = wording.describe_action(event, pack.zone)
            rows.append([words.happened or "—", words.heading, words.detail_text() or "—",
                         f"{words.recorded}\nevent {event.seq}"])
        out.append(s.grid(["Date", "Action", "Details", "Recorded"], rows,
                          [64, 110, FRAME_WIDTH - 290, 116]))
    out.append(PageBreak())
    return out


# ---- exhibits --------------------------------------------------------------------------


def _history_text(exhibit: Exhibit, pack: Pack) -> str:
    words = {"item.captured": "captured", "item.imported": "imported",
             "item.details": "details changed", "item.moved": "moved to another incident",
             "note.added": "note added", "item.withdrawn": "withdrawn",
             "exhibit.marked": "exhibit mark assigned",
             "preview.made": "preview made"}
    return "\n".join(f"event {e.seq}: {words.get(e.type, e.type)}, {wording.utc(e.recorded_at)}"
                     for e in exhibit.history)


HASH_LABELS = frozenset({"SHA-256 of the original", "SHA-256 of the redacted copy",
                         "SHA-256 of the joined image",
                         "Merkle root"})


def exhibit_rows(exhibit: Exhibit, pack: Pack) -> list[tuple[str, str]]:
    item = exhibit.item
    how = ("Screen capture with Evidence Kit" if item.method == "capture"
           else f"Imported file: {item.original_name}")
    if exhibit.all_frames:
        how = (f"Scrolling screen capture with Evidence Kit: the window was scrolled and "
               f"{len(exhibit.all_frames)} pictures kept, one after each scroll; it stopped "
               f"because {exhibit.stopped or 'it was stopped'}.")
    size = wording.size_exact(item.size)
    width, height = item.details.get("width"), item.details.get("height")
    reported = item.details.get("reported_by_file")
    if isinstance(reported, dict):
        width, height = reported.get("width", width), reported.get("height", height)
    if isinstance(width, int) and isinstance(height, int):
        size += f", {width}×{height} pixels"
    rows = [
        ("Exhibit", exhibit.mark),
        ("What it shows", item.description or "—"),
        ("Category", category_label(item.category) or "—"),
        ("When (device time)", pack.exhibit_when(item)),
        *([("When it was posted (as shown on the page)", wording.posted_words(item.posted_at))]
          if item.posted_at else []),
        ("Web address", item.url or "—"),
        ("Platform", item.platform or "—"),
        ("Account responsible", item.account or "—"),
        ("How it was obtained", how),
        *([("Window in front", front)] if (front := wording.in_front(item.details)) else []),
        ("File", f"{item.media_type}, {size}"),
        ("SHA-256 of the original", item.sha256),
        ("Recorded as", f"event {item.created_seq}, {wording.utc(item.recorded_at)}"),
    ]
    if exhibit.all_frames:
        rows += _scroll_rows(exhibit)
    if exhibit.redacted is not None:
        red = exhibit.redacted
        link = red.details.get("derived_from", {})
        reason = link.get("reason") if isinstance(link, dict) else ""
        rows += [
            ("Shown here", "A REDACTED COPY: black boxes hide third parties"
             + (f" ({reason})" if reason else "") + ". The original is unchanged"
             + (" and is in the bundle." if exhibit.original_in_pack
                else "; it is not included in this pack, but its hash above identifies it.")),
            ("SHA-256 of the redacted copy", red.sha256),
            ("Redacted copy recorded as", f"event {red.created_seq}, "
             f"{wording.utc(red.recorded_at)}"),
        ]
    return rows


def _scroll_rows(exhibit: Exhibit) -> list[tuple[str, str]]:
    """A scrolling capture: what is shown, each frame with its place in the joined image."""
    frames = exhibit.all_frames
    joined = exhibit.stitched
    link = joined.details.get(STITCHED_KEY) if joined is not None else None
    offsets = [f.get("offset") for f in link.get("frames", [])] if isinstance(link, dict) else []
    rows: list[tuple[str, str]] = []
    if joined is not None and isinstance(link, dict):
        still = [f"{n} rows at the {where}" for n, where in (
            (link.get("header_rows"), "top"), (link.get("footer_rows"), "bottom")) if n]
        kept = (f" ({' and '.join(still)} stayed in place in every picture and are shown "
                "once)" if still else "")
        rows += [("Shown here", "The pictures JOINED into one image where their rows are "
                  f"exactly the same{kept}. Each picture is an original in the bundle; "
                  "evidence-kit verify-bundle checks the joined image against them pixel "
                  "for pixel."),
                 ("SHA-256 of the joined image", joined.sha256)]
    elif exhibit.stitch_failed:
        rows.append(("Shown here", f"The first picture only: the pictures could not be "
                     f"joined ({exhibit.stitch_failed}). Every picture is in the bundle."))
    for index, frame in enumerate(frames, 1):
        where = (f"\nits rows {link.get('header_rows')} to "
                 f"{int(link.get('frame_height', 0)) - int(link.get('footer_rows', 0))} are "
                 f"the joined image's rows from {offsets[index - 1]}"
                 if isinstance(link, dict) and index <= len(offsets) else "")
        rows += [(f"Picture {index} of {len(frames)}", f"{exhibit.frame_path(index, frame)}"
                  f"{where}"),
                 (f"SHA-256 of picture {index}", frame.sha256)]
    return rows


_PICTURE_PROBLEMS = (media.DAMAGED_PARTIAL, media.TOO_LARGE, media.CANNOT_SHOW)


def _decoded_when_recorded(item: Item) -> bool:
    """Whether the picture was decoded whole when it was recorded, so the pack need not
    decode it again (a full decode was a third of an export's time). Captures are our
    own PNGs; an import's check leaves a note when it could not decode the picture. The
    bytes are the same ones: the pack re-hashes every exhibit as it reads it. Anything
    uncertain takes the full decode."""
    if item.method == "capture":
        return True
    notes = item.details.get("notes") if isinstance(item.details, dict) else None
    if not isinstance(notes, list):
        return False
    return not any(isinstance(n, str) and n.startswith(_PICTURE_PROBLEMS) for n in notes)


def exhibit_section(exhibit: Exhibit, pack: Pack, s: Styled, pages: MutableMapping[str, int],
                    read_blob: ReadBlob) -> list[Flowable]:
    title = f"Exhibit {exhibit.mark}"
    out: list[Flowable] = [Anchor(f"exhibit:{exhibit.mark}", pages), *s.heading(title)]
    rows = exhibit_rows(exhibit, pack)
    mono = HASH_LABELS | {label for label, _ in rows if label.startswith("SHA-256 of picture")}
    out.append(s.fields(rows, label_width=138, value_style=BODY, mono=mono))
    # Under the details it points from, not after the picture: there it was left alone
    # on a page of its own when the picture filled the one before.
    out += [Spacer(1, 3), s.text("How it was captured, and its events in the journal: see "
                                 "'Technical details' at the end of this pack.",
                                 replace(SMALL, color=MUTED)), Spacer(1, 8)]
    shown = exhibit.shown
    tail = _after_picture(exhibit, pack, s)
    # Only images are needed whole; of anything else at most the text shown is read.
    data = read_blob(shown.sha256, read_limit(exhibit))
    if exhibit.is_image:
        # Pictures are kept even when they cannot be decoded whole (too large, cut short,
        # a codec missing here); the pack then says so instead of failing to draw them.
        decision = (media.PreviewDecision(True) if _decoded_when_recorded(shown)
                    else media.preview_decision(data))
        source = None
        if decision.show and not decision.partial:
            try:
                source = PixelSource(data, shown.original_name)
            except (OSError, ValueError, SyntaxError):
                source = None
        if source is not None:
            out.append(CondPageBreak(160))
            out += image_flowables(source, exhibit.mark, s.seams, then=_short_height(tail))
        else:
            reason = decision.message or "It could not be drawn."
            out += s.para(f"This file is kept but cannot be shown. {reason} Its exact bytes "
                          "are in the bundle.")
    else:
        out += _non_image(exhibit, data, s)
    out += tail
    out.append(PageBreak())
    return out


def _after_picture(exhibit: Exhibit, pack: Pack, s: Styled) -> list[Flowable]:
    """What an exhibit's page shows under its picture: the text read from it, its notes."""
    out: list[Flowable] = []
    if exhibit.read_text:
        out += _read_text(exhibit.read_text, s)
    if exhibit.notes:
        notes: list[Flowable] = [Spacer(1, 8), *s.heading("Notes", 3)]
        for note in exhibit.notes:
            notes += s.headed(f"{pack.local(note.recorded_at)} (event {note.seq})", note.text)
        # A heading is kept with the first note, so no page ends on a lone heading.
        out += [KeepTogether(notes[:5]), *notes[5:]]
    return out


KEPT_UNDER_PICTURE = 0.3
"""What follows a picture is kept on its page when it is at most this share of a page."""


def _short_height(flowables: list[Flowable]) -> float:
    """The height of ``flowables`` laid out on an empty page, if it is short enough to
    keep under a picture (:data:`KEPT_UNDER_PICTURE`), else 0."""
    limit = KEPT_UNDER_PICTURE * FRAME_HEIGHT
    total = needed = 0.0
    pending = list(flowables)
    while pending:
        flowable = pending.pop(0)
        if isinstance(flowable, KeepTogether):  # measured by its parts (it needs a canvas)
            pending[:0] = flowable._content
            continue
        if isinstance(flowable, CondPageBreak):  # a heading asks for room below it
            needed = max(needed, total + flowable.height)
            continue
        total += flowable.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1] + flowable.getSpaceAfter() \
            + flowable.getSpaceBefore()
        if max(total, needed) > limit:
            return 0.0
    needed = max(total, needed)
    return needed + 1.0 if needed else 0.0  # a point to spare: the frame compares exactly


READ_TEXT_CAVEAT = "Text read from the image by software; may contain errors."
MAX_QUOTED_CHARS = 6000


def _read_text(words: str, s: Styled) -> list[Flowable]:
    shown = words if len(words) <= MAX_QUOTED_CHARS else (
        words[:MAX_QUOTED_CHARS] + f"\n[… the first {MAX_QUOTED_CHARS:,} of "
        f"{len(words):,} characters]")
    head = [Spacer(1, 8), *s.heading("Text read from the image", 3),
            s.text(READ_TEXT_CAVEAT, replace(SMALL, color=MUTED))]
    body = s.para(shown)
    return [KeepTogether([*head, *body[:1]]), *body[1:]]


def technical(pack: Pack, s: Styled, pages: MutableMapping[str, int]) -> list[Flowable]:
    """Everything recorded with each exhibit (monitor, tool versions, what a file says
    about itself) and its events, in one table for the whole pack rather than a page per
    exhibit."""
    out: list[Flowable] = [Anchor("section:Technical details", pages),
                           *s.heading("Technical details")]
    out += s.para("What was recorded with each exhibit besides what its own page shows, and "
                  "the journal events that concern it (their records are in the bundle).",
                  SMALL)
    machine = shows_machine(pack.request.recipient)
    rows: list[list[str]] = []
    for exhibit in pack.exhibits:
        details = {k: v for k, v in exhibit.item.details.items() if k != DERIVATION_KEY}
        pairs = wording.detail_pairs(details if machine else without_machine(details))
        pairs.append(("History in the journal", _history_text(exhibit, pack)))
        for index, (label, value) in enumerate(pairs):
            rows.append([exhibit.mark if index == 0 else "", label, value])
    out.append(s.grid(["Exhibit", "Recorded", "Value"], rows, [44, 150, FRAME_WIDTH - 194]))
    if machine:
        out += [Spacer(1, 4), *s.para(
            "Some records made by earlier versions of Evidence Kit also name the folder a "
            "file was imported from and the computer's user and host names; they are shown "
            "here as recorded, because the records' hashes depend on them.", SMALL)]
    out.append(PageBreak())
    return out


TEXT_TYPES = ("text/", "message/rfc822", "application/json", "application/xml")
MAX_TEXT_SHOWN = 6000
MAX_EMAIL_READ = 4 * 1024 * 1024
"""An email's body may sit deep in base64 after attachments: read this much to find it."""
MAX_EMAIL_BODY_SHOWN = 20_000


def read_limit(exhibit: Exhibit) -> int | None:
    """How much of a file the pack reads: images whole, emails enough to decode."""
    if exhibit.is_image:
        return None
    if exhibit.shown.media_type == "message/rfc822":
        return MAX_EMAIL_READ
    return MAX_TEXT_SHOWN + 1


def _non_image(exhibit: Exhibit, data: bytes, s: Styled) -> list[Flowable]:
    shown = exhibit.shown
    where = exhibit.original_path if exhibit.original_in_pack else "the producer's vault"
    if shown.media_type == "message/rfc822":
        message = mailtext.readable(data)
        if message is not None:
            return _email(message, where, s)
    out = s.para(f"This exhibit is a file of type {shown.media_type}; it is not an image, so "
                 f"it is not reproduced as a picture. Its exact bytes are in the bundle at "
                 f"{where}.")
    if shown.media_type.startswith(TEXT_TYPES):
        text = data[:MAX_TEXT_SHOWN].decode("utf-8", errors="replace")
        cut = len(data) > MAX_TEXT_SHOWN
        out += [*s.heading("Its text" + (" (the beginning)" if cut else ""), 3),
                s.text(text + ("\n…" if cut else ""), MONO), Spacer(1, 6)]
    return out


def _email(message: mailtext.ReadableEmail, where: str, s: Styled) -> list[Flowable]:
    out = s.para(f"This exhibit is an email. Its headers and text are shown here as a mail "
                 f"program would show them; the message itself, exactly as it was kept, is "
                 f"in the bundle at {where}.")
    rows = list(message.headers)
    if message.attachments:
        rows.append(("Attachments", ", ".join(message.attachments)))
    if rows:
        out.append(s.fields(rows, label_width=90))
    body = message.body
    cut = len(body) > MAX_EMAIL_BODY_SHOWN
    title = "Its text" + (" (from its HTML part)" if message.from_html else "") + (
        " (the beginning)" if cut else "")
    text = body[:MAX_EMAIL_BODY_SHOWN] + ("\n…" if cut else "") if body else \
        "(The email has no text part.)"
    out += [Spacer(1, 6), KeepTogether([*s.heading(title, 3), s.text(text.split("\n")[0])]),
            *([s.text("\n".join(text.split("\n")[1:]))] if "\n" in text else []),
            Spacer(1, 6)]
    return out


# ---- integrity appendix ----------------------------------------------------------------


def appendix(pack: Pack, s: Styled, pages: MutableMapping[str, int], zip_name: str,
             unshown: Sequence[str]) -> list[Flowable]:
    cp = pack.checkpoint
    out: list[Flowable] = [Anchor("section:Integrity: how to check this pack", pages),
                           *s.heading("Integrity: how to check this pack")]
    out += s.para(
        "Everything recorded in Evidence Kit is an event in a journal. Each event's record "
        "is hashed with SHA-256 (its 'leaf'); the leaves are combined into one Merkle root "
        "(RFC 6962), and the root is signed with the vault's Ed25519 key. This pack carries "
        "the signed checkpoint below, the records of the events it discloses, and the hash "
        "of every other event, which reveals nothing about it.")
    if pack.journal_checked:
        out += s.para(
            f"When this pack was made, the journal of "
            f"{wording.plural(pack.journal_checked, 'event')} was checked in full (every "
            "record's hash, every link, the latest checkpoint's signature) and every "
            "exhibit re-hashed: intact.")
    out.append(s.fields([
        ("Checkpoint", f"{wording.plural(cp.tree_size, 'event')}, made "
         f"{wording.utc(cp.made_at)} (device time)"),
        ("Merkle root", cp.root),
        ("Signing key fingerprint", pack.key_fingerprint),
        ("Disclosed events", f"{len(pack.disclosed)} of {cp.tree_size}"),
        ("Bundle", zip_name),
    ], label_width=138, mono=HASH_LABELS))
    out += [Spacer(1, 6), s.text("The signed checkpoint (checkpoint.txt in the bundle):", SMALL),
            s.text(cp.note.rstrip("\n"), MONO), Spacer(1, 8)]
    out += earlier.section(pack.earlier, s)
    out += s.heading("How to check it", 2)
    for number, step in enumerate(instructions.steps(zip_name), start=1):
        out += [s.text(f"{number}. {step.title}", replace(BODY, role="bold")),
                s.text(step.text, BODY)]
        if step.commands:
            out.append(s.text("\n".join(step.commands), MONO))
        out.append(Spacer(1, 5))
    out += s.heading("What a successful check proves", 2)
    out.append(s.bullets(instructions.PROVES))
    out += s.heading("What it does not prove", 2)
    out.append(s.bullets(instructions.DOES_NOT_PROVE))
    if unshown:
        out += s.heading("Characters shown by name", 2)
        out += s.para(
            "No font on the computer that made this pack could draw some characters, so "
            "they are shown by name in square brackets (for example [pouting face] or "
            "[U+0BA4]). The exact text is in the journal records in the bundle. Shown by "
            "name: " + " ".join(sorted(unshown))[:600])
    out.append(Spacer(1, 6))
    out += s.para(f"Made with {pack.tool} on {pack.local(pack.made_at)} (device clock).",
                  SMALL)
    return out
