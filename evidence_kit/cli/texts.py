"""read-text: the words in pictures, read by software (OCR) and kept as derivatives."""

from __future__ import annotations

from typing import Any

from evidence_kit.capture import ocr
from evidence_kit.core.errors import BadInput

from .shared import Session, json_out, out, subcommand


def register(sub: Any) -> None:
    read = subcommand(
        sub, "read-text", "read the text in pictures (OCR) and keep it with them",
        "Read the words in an item's picture with Tesseract, on this computer, and keep "
        "them in the vault as a record linked to the item, so 'list --find' and the app's "
        "Find box search them. With --all, every picture whose text was not read yet. "
        "The text is read by software and may contain errors.", cmd_read_text)
    read.add_argument("ids", nargs="*", type=int, metavar="ID",
                      help="the items to read (see 'list')")
    read.add_argument("--all", action="store_true",
                      help="every picture whose text has not been read yet")
    read.add_argument("--show", action="store_true", help="print the text read")
    read.add_argument("--json", action="store_true", help="print the readings as JSON")


def cmd_read_text(session: Session) -> int:
    args = session.args
    if bool(args.ids) == bool(args.all):
        raise BadInput("Give the numbers of the items to read, or --all (not both).")
    reader = ocr.engine()  # says plainly when text reading is unavailable here
    readings = []
    with session.open() as vault:
        wanted = vault.items_without_text() if args.all else list(args.ids)
        for item_id in wanted:
            item = vault.item(item_id)
            if not item.media_type.startswith("image/"):
                raise BadInput(f"Item {item_id} is not a picture ({item.media_type}); "
                               "only pictures have their text read.")
            if item.withdrawn:
                raise BadInput(f"Item {item_id} was withdrawn; its picture is gone.")
            readings.append(ocr.read_item(vault, item_id, reader))
    if args.json:
        json_out([{"item": r.item_id, "event": r.seq, "engine": r.engine,
                   "languages": list(r.languages), "text": r.text} for r in readings])
        return 0
    if not readings:
        out("Every picture's text has already been read.")
    for r in readings:
        words = len(r.text.split())
        out(f"Item {r.item_id}: read {words} word{'s' if words != 1 else ''} with {r.engine} "
            f"({', '.join(r.languages)}); kept as event {r.seq}.")
        if args.show and r.text:
            out(r.text)
            out()
    if readings:
        out("Text read from a picture by software may contain errors.")
    return 0
