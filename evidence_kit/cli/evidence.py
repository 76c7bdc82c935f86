"""Commands that take evidence in or read it back.

add, capture, sighting, categories, note, list, show, extract.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from evidence_kit import wording
from evidence_kit.core.errors import BadInput

from .shared import Session, json_out, out, subcommand, url_warnings


def register(sub: Any) -> None:
    add = subcommand(sub, "add", "add files exactly as they are",
                     "Add files (or every file in a folder) to the vault, byte for byte, "
                     "with the details you give.", cmd_add)
    add.add_argument("files", nargs="+", type=Path, metavar="FILE",
                     help="a file or folder to add (folders are added with everything in them)")
    item_options(add)

    capture = subcommand(sub, "capture", "capture the screen, a monitor or a region now",
                         "Capture the whole screen, one monitor or a region now. While the "
                         "app is open it holds the vault, so the app is asked to capture "
                         "instead.", cmd_capture)
    where = capture.add_mutually_exclusive_group()
    where.add_argument("--monitor", type=int, metavar="N",
                       help="monitor N (1, 2, …); 0 or absent means all monitors")
    where.add_argument("--region", metavar="X,Y,W,H",
                       help="a rectangle in virtual-screen pixels")
    capture.add_argument("--delay", type=float, default=0.0, metavar="S",
                         help="wait S seconds first (time to open a menu or switch window)")
    capture.add_argument("--choose-region", action="store_true",
                         help="ask the open app to let you drag out the area (for a desktop "
                         "keyboard shortcut)")
    capture.add_argument("--scroll", action="store_true",
                         help="ask the open app to let you drag out an area, then scroll it "
                         "and keep a picture after each scroll, joined into one (long "
                         "chats and threads)")
    item_options(capture)

    sighting = subcommand(
        sub, "sighting",
        "record, in words only, that you saw a sexual image of a child (takes no file)",
        "Shows what to do now if you saw a sexual image of a child, and records in words "
        "only where and when. Never capture, save or send the image.", cmd_sighting)
    sighting.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    sighting.add_argument("--url", help="where it was seen (the address, not the picture)")
    sighting.add_argument("--platform", help="the site or app")
    sighting.add_argument("--seen-at", metavar="WHEN", help="when you saw it, in your words")
    sighting.add_argument("--found-by", metavar="WHO", help="who found it")
    sighting.add_argument("--told", metavar="WHO", help="who has been told so far")
    sighting.add_argument("--note", help="anything else, in words")

    subcommand(sub, "categories", "list the categories evidence can be filed under",
               "List the categories evidence can be filed under, with the id --category "
               "takes.", cmd_categories)

    note = subcommand(sub, "note", "write a note (to an incident, an item, or the vault)",
                      "Write a note into the journal: about an incident, about one item, or "
                      "about the vault as a whole.", cmd_note)
    note.add_argument("text", help="the note, in any language")
    target = note.add_mutually_exclusive_group()
    target.add_argument("--incident", type=int, metavar="ID",
                        help="the incident the note is about")
    target.add_argument("--item", type=int, metavar="ID", help="the item the note is about")

    items = subcommand(sub, "list", "list the evidence",
                       "List every item of evidence, oldest first, and any text-only "
                       "reports.", cmd_list)
    items.add_argument("--incident", type=int, metavar="ID",
                       help="only the items of incident ID")
    items.add_argument("--find", nargs="+", metavar="WORD",
                       help="only items whose details or text read from the picture hold "
                       "every WORD")
    items.add_argument("--json", action="store_true", help="print the items as JSON, for scripts")

    show = subcommand(sub, "show", "everything recorded about one item",
                      "Show everything recorded about one item: its details, notes and "
                      "history.", cmd_show)
    show.add_argument("id", type=int, metavar="ID", help="the item's number (see 'list')")
    show.add_argument("--json", action="store_true", help="print it as JSON, for scripts")

    extract = subcommand(sub, "extract", "write an item's original bytes to a file",
                         "Write an item's original bytes, exactly, to a file. The extraction "
                         "is recorded in the journal.", cmd_extract)
    extract.add_argument("id", type=int, metavar="ID", help="the item's number (see 'list')")
    extract.add_argument("--out", type=Path, required=True, metavar="FILE",
                         help="the file to write")
    extract.add_argument("--force", action="store_true", help="replace FILE if it exists")


def item_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help="the web address the evidence came from")
    parser.add_argument("--note", help="a note kept with the evidence")
    parser.add_argument("--incident", type=int, metavar="ID",
                        help="file it under incident ID (see 'incident list')")
    parser.add_argument("--account", help="the account or handle responsible")
    parser.add_argument("--what", dest="description", metavar="TEXT",
                        help="what it shows, in a few words")
    parser.add_argument("--category", metavar="ID",
                        help="a category id (see 'evidence-kit categories')")
    parser.add_argument("--posted-at", metavar="WHEN",
                        help="when the page says it was posted, as shown there: YYYY-MM-DD "
                        "or 'YYYY-MM-DD HH:MM' (kept beside the capture time, not instead)")


def _details(args: argparse.Namespace) -> Any:
    from evidence_kit.capture.categories import category_by_id
    from evidence_kit.intake import Details

    if args.category is not None:
        category_by_id(args.category)  # refuse a typo before anything is grabbed or read
    if args.posted_at is not None:
        from evidence_kit.core.posted import check_posted_at

        check_posted_at(args.posted_at)
    return Details(incident=args.incident, url=args.url, note=args.note, account=args.account,
                   description=args.description, category=args.category,
                   posted_at=args.posted_at,
                   url_source="command line" if args.url else None)


def cmd_add(session: Session) -> int:
    from evidence_kit.intake import import_paths

    args = session.args
    details = _details(args)
    with session.open() as vault:
        if args.incident is not None:
            vault.incident(args.incident)
        report = import_paths(vault, args.files, details)
    for item in report.added:
        out(f"Added item {item.id}: {item.original_name} ({wording.size(item.size)}, "
            f"SHA-256 {item.sha256})")
        if item.id in report.duplicates:
            out(f"  The same file was already in the vault as item {report.duplicates[item.id]}.")
    if report.added:
        for warning in url_warnings(report.added[0].url_flags):
            out(f"  {warning}")
    kept = report.already_kept_text()
    if kept:
        out(kept)
    for problem in report.problems:
        sys.stderr.write(f"evidence-kit: not added: {problem.message}\n")
    if report.problems and report.added:
        sys.stderr.write(f"evidence-kit: added {len(report.added)} of "
                         f"{len(report.added) + len(report.problems)} files; the others "
                         "are listed above.\n")
    return 2 if report.problems else 0


def cmd_capture(session: Session) -> int:
    import dataclasses

    from evidence_kit.capture.errors import BadRegion
    from evidence_kit.capture.foreground import InFrontReader
    from evidence_kit.capture.screen import (
        ALL_MONITORS,
        MAX_DELAY_SECONDS,
        Region,
        ScreenGrabber,
    )
    from evidence_kit.intake import store_capture

    args = session.args
    details = _details(args)
    target: int | Region = ALL_MONITORS
    if args.region is not None:
        target = Region.parse(args.region)
        if target.width <= 0 or target.height <= 0:
            # Known without a screen or the vault: say so before asking for either.
            raise BadRegion(f"The region {target.as_text()} is empty: its width and height "
                            "must be at least one pixel.")
    elif args.monitor is not None:
        target = args.monitor
    if not 0 <= args.delay <= MAX_DELAY_SECONDS:  # before any "Capturing in…" is printed
        raise BadInput(f"The delay must be between 0 and {MAX_DELAY_SECONDS} seconds.")
    if args.scroll and (args.region is not None or args.monitor is not None):
        raise BadInput("--scroll lets you choose the area in the app; leave out --region "
                       "and --monitor.")
    if args.choose_region or args.scroll or args.region is None:
        from evidence_kit.handoff import ask_app_to_capture, encode_request, socket_path

        given = {"url": details.url, "note": details.note, "incident": details.incident,
                 "account": details.account, "description": details.description,
                 "category": details.category}
        mode = "scroll" if args.scroll else "region" if args.choose_region else "screen"
        request = {"capture": mode,
                   "monitor": args.monitor or 0, "delay": round(args.delay),
                   "details": {k: v for k, v in given.items() if v is not None}}
        path = socket_path(session.folder)
        if encode_request(request) is None and path is not None and path.exists():
            raise BadInput("The note and details are too long to hand to the open app; "
                           "shorten the note, or add it in the app's window.")
        answer = ask_app_to_capture(session.folder, request)
        if answer is not None and answer.get("ok"):
            out("Evidence Kit is open, so it is capturing now: check the details in its "
                "window.")
            return 0
        if answer is not None and isinstance(answer.get("message"), str):
            raise BadInput(answer["message"])  # the app refused, in words (no such incident)
        if args.scroll:
            raise BadInput("--scroll needs the Evidence Kit app to be open (it scrolls the "
                           "window and shows a Stop button); start it, then run this again.")
        if args.choose_region:
            raise BadInput("--choose-region needs the Evidence Kit app to be open; "
                           "start it, or give the area with --region X,Y,W,H.")
    with session.open() as vault:
        if args.incident is not None:
            vault.incident(args.incident)
        with ScreenGrabber(clock=vault.clock) as grabber:
            grabber.resolve(target)  # a bad monitor or region fails before the wait
            if args.delay > 0:
                unit = "second" if args.delay == 1 else "seconds"
                sys.stderr.write(f"Capturing in {args.delay:g} {unit}…\n")
            grab = grabber.grab(target, delay=args.delay)
        # Read after the grab, not before: nothing of ours is on the screen to hide, and
        # the pixels come first. A terminal in front is what was in front.
        reader = InFrontReader()
        grab = dataclasses.replace(grab, in_front=reader.read().to_record())
        reader.close()
        item = store_capture(vault, grab, details)
    out(f"Captured item {item.id}: {grab.width}×{grab.height} pixels, "
        f"SHA-256 {item.sha256}")
    for warning in url_warnings(item.url_flags):
        out(f"  {warning}")
    if item.url is None:
        out("Tip: add the page's address with --url, copied from the browser's address bar.")
    return 0


def cmd_sighting(session: Session) -> int:
    from evidence_kit.capture import stop_path
    from evidence_kit.core.errors import Refused
    from evidence_kit.intake import record_sighting

    args = session.args
    # The steps come first and whatever happens next: they matter more than the record.
    out(stop_path.guidance_text())
    out()
    if args.files:
        raise Refused(
            "This record never takes a file or a picture: do not save, copy or send the "
            "image. Give only where you saw it (--url, --platform) and when."
        )
    if not any((args.url, args.platform, args.seen_at, args.found_by, args.told, args.note)):
        out("Nothing was recorded. To keep a written record, run this again with where "
            "you saw it (--url or --platform) and, if you like, --seen-at, --told, --note.")
        return 0
    with session.open() as vault:
        seq = record_sighting(vault, url=args.url, platform=args.platform,
                              seen_at=args.seen_at, found_by=args.found_by, told=args.told,
                              note=args.note)
    out(f"Recorded in words only, as event {seq}. No picture was taken or kept.")
    return 0


def cmd_categories(session: Session) -> int:
    from evidence_kit.capture.categories import CATEGORIES

    for category in CATEGORIES:
        out(f"{category.id:<28} {category.label}: {category.description}")
    return 0


def cmd_note(session: Session) -> int:
    args = session.args
    with session.open() as vault:
        vault.add_note(args.text, item=args.item, incident=args.incident)
    # In words, not the journal's number: what was kept and with what.
    where = (f"item {args.item}" if args.item is not None
             else f"incident {args.incident}" if args.incident is not None else "the vault")
    out(f"Note saved with {where}: it is kept in the vault's record with the time it was "
        "written and cannot be changed or removed.")
    return 0


def cmd_list(session: Session) -> int:
    args = session.args
    with session.open() as vault:
        if args.incident is not None:
            vault.incident(args.incident)
        items = vault.items(incident=args.incident)
        if args.find:
            items = _found(vault, items, args.find)
        sightings = vault.sightings() if args.incident is None and not args.find else []
        unpublished = [s for s in vault.exports() if not s.published]
    if args.json:
        json_out(items)
        return 0
    if not items and args.find:
        out("Nothing holds " + " and ".join(f"“{w}”" for w in args.find) + ".")
    elif not items:
        out("No evidence yet. Add files with: evidence-kit add FILE…")
    else:
        out(wording.item_list_header())
        for item in items:
            out(wording.item_line(item))
    if sightings:
        out()
        out("Reports of sexual images of children (words only, nothing kept):")
        for event in sightings:
            where = (event.payload.get("url") or {}).get("text") or event.payload.get(
                "platform") or "place not given"
            out(f"  {wording.when_compact(event.recorded_at)}  {where}  told: "
                f"{event.payload.get('told') or 'not recorded'}")
    if unpublished:
        out()
        out("Exports that never published (no pack was handed over):")
        for state in unpublished:
            out(wording.export_line(state))
    return 0


def _found(vault: Any, items: list[Any], words: list[str]) -> list[Any]:
    """The items whose details or read text hold every word (as the app's Find box)."""
    folded = [w.casefold() for w in " ".join(words).split()]
    hits = vault.find_text(folded)

    def details(item: Any) -> str:
        return " ".join(filter(None, (item.original_name, item.description, item.account,
                                      item.url, item.platform, item.category))).casefold()

    return [i for i in items if i.id in hits or all(w in details(i) for w in folded)]


def cmd_show(session: Session) -> int:
    args = session.args
    with session.open() as vault:
        item = vault.item(args.id)
        history = vault.item_history(args.id)
        notes = vault.notes(item=args.id)
        exports = {s.event.seq: s for s in vault.exports()}
        mark = vault.exhibit_marks().get(args.id)
    if args.json:
        json_out({"item": item, "notes": notes, "history": history,
                  "mark": mark.mark if mark else None,
                  "unpublished_exports": [s for s in exports if not exports[s].published]})
        return 0
    out(f"Item {item.id}: {item.original_name}" + ("  [withdrawn]" if item.withdrawn else ""))
    rows = [
        ("Recorded", wording.when(item.recorded_at, wording.item_zone(item))),
        ("", wording.utc(item.recorded_at)),
        *((("Posted (page)", wording.posted_words(item.posted_at)),) if item.posted_at
          else ()),
        ("How", "screen capture" if item.method == "capture" else "imported file"),
        ("Type", item.media_type),
        ("Size", wording.size_exact(item.size)),
        ("SHA-256", item.sha256),
        ("Exhibit mark", mark.mark if mark else "not yet (given at its first export)"),
        ("Incident", str(item.incident_id) if item.incident_id else "none"),
        ("Address", item.url or ""),
        *(("", warning) for warning in url_warnings(item.url_flags)),
        ("Platform", item.platform or ""),
        ("Account", item.account or ""),
        ("What it shows", item.description or ""),
        ("Category", item.category or ""),
    ]
    for label, value in rows:
        if value:
            out(f"  {label:<16} {value}")
    for line in wording.detail_lines(item.details, 1):
        out(line)
    if notes:
        out("Notes:")
        for n in notes:
            out(f"  [{wording.when_compact(n.recorded_at)}] {n.text}")
    out("History:")
    for event in history:
        state = exports.get(event.seq)
        extra = "" if state is None or state.published else "  (started, never published)"
        out(f"  event {event.seq:>5}  {wording.when_compact(event.recorded_at)}  "
            f"{event.type}{extra}")
    return 0


def cmd_extract(session: Session) -> int:
    args = session.args
    with session.open() as vault:
        written = vault.extract(args.id, args.out, overwrite=args.force)
    out(f"Wrote the original bytes of item {args.id} to {written}")
    return 0
