"""Bringing evidence into the vault: the one path the command line and the app both use.

Files are read once, hashed at once, described from their bytes and stored exactly as
they arrived; a bad file is reported by name and the rest carry on. Screen captures
come in here too, with everything that says where and when they were taken. Qt-free.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_kit.capture.categories import category_by_id
from evidence_kit.capture.context import capture_context
from evidence_kit.capture.imports import describe, iter_files
from evidence_kit.capture.page import (
    ARCHIVE,
    FULL_PAGE,
    PAGE_KEY,
    PAGE_TEXT,
    PageCapture,
    PagePicture,
)
from evidence_kit.capture.screen import ENCODER, Grab
from evidence_kit.capture.scrolling import SCROLL_KEY, STITCHED_KEY, ScrollResult
from evidence_kit.capture.urls import check_url
from evidence_kit.core import media
from evidence_kit.core.clock import utc_stamp
from evidence_kit.core.errors import BadInput, FileProblem
from evidence_kit.core.journal import EventType
from evidence_kit.core.model import Item
from evidence_kit.core.posted import check_posted_at
from evidence_kit.core.profile import load_profile
from evidence_kit.core.vault import MAX_ITEM_BYTES, NewItem, Vault, file_time_reported


@dataclass(frozen=True)
class Details:
    """What the user says about a piece of evidence (all optional)."""

    incident: int | None = None
    url: str | None = None
    note: str | None = None
    account: str | None = None
    description: str | None = None
    category: str | None = None
    platform: str | None = None
    posted_at: str | None = None
    """When the page said it was posted, as shown there (YYYY-MM-DD [HH:MM])."""
    url_source: str | None = None
    """How the address was obtained: "typed", "clipboard" (or "browser"); None if unknown.
    Recorded with the address so a statement can say it, never guessed afterwards."""


ImportOptions = Details  # the name callers of the import path know it by


@dataclass(frozen=True)
class ImportProblem:
    path: str
    message: str


@dataclass(frozen=True)
class ImportReport:
    added: tuple[Item, ...] = ()
    problems: tuple[ImportProblem, ...] = field(default_factory=tuple)
    # new item id → the earlier item that already held the same bytes
    duplicates: dict[int, int] = field(default_factory=dict)
    # files found in a folder whose exact bytes the vault already keeps (a re-run import)
    already_kept: tuple[str, ...] = ()

    def already_kept_text(self) -> str | None:
        """One sentence for the files skipped because the vault already keeps them."""
        count = len(self.already_kept)
        if not count:
            return None
        files = "1 file was" if count == 1 else f"{count} files were"
        return f"{files} already in the vault with exactly the same content, so not added again."


ImportProgress = Callable[[int, int, str], None]


def shown_path(path: Path) -> str:
    """A path as printable text, whatever bytes its name is made of."""
    return os.fsdecode(path).encode("utf-8", "replace").decode("utf-8")


def display_name(path: Path) -> tuple[str, str | None]:
    """The file name as text, plus its raw bytes in hex when they are not valid UTF-8."""
    raw = os.fsencode(path.name)
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), raw.hex()


def _require_regular(mode: int, shown: str) -> None:
    if not stat.S_ISREG(mode):
        raise FileProblem(f"{shown} is not a regular file (it is a device, a pipe or the "
                          "like), so there is nothing in it to keep.")


def read_evidence_file(path: Path) -> bytes:
    """Read a file to add, turning every way it can fail into one plain sentence."""
    shown = shown_path(path)
    try:
        if path.is_dir():
            raise FileProblem(f"{shown} is a folder, not a file.")
        _require_regular(path.stat().st_mode, shown)
        # Non-blocking, so a pipe swapped in after the check cannot hang us holding the
        # vault's lock; the check is repeated on what was actually opened.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb") as handle:
            opened = os.fstat(handle.fileno())
            _require_regular(opened.st_mode, shown)
            if opened.st_size > MAX_ITEM_BYTES:
                raise FileProblem(f"{shown} is larger than {MAX_ITEM_BYTES // (1024 * 1024)} "
                                  "MB; it was not added.")
            data = handle.read(MAX_ITEM_BYTES + 1)
    except FileNotFoundError:
        raise FileProblem(f"{shown} was not found.") from None
    except PermissionError:
        raise FileProblem(f"{shown} could not be read: permission denied.") from None
    except IsADirectoryError:
        raise FileProblem(f"{shown} is a folder, not a file.") from None
    except OSError as exc:
        raise FileProblem(f"{shown} could not be read: {exc.strerror or exc}.") from None
    if len(data) > MAX_ITEM_BYTES:
        raise FileProblem(f"{shown} grew while it was read; it was not added.")
    return data


def _thumbnail(data: bytes) -> bytes | None:
    # None when the picture cannot be shown (too large, undecodable): the app and the
    # packs show media.preview_decision's placeholder instead.
    return media.thumbnail_png(data)


def _url_record(record: dict[str, Any], details: Details) -> dict[str, Any]:
    if details.url_source:
        record["source"] = details.url_source
    return record


def _user_fields(details: Details) -> dict[str, Any]:
    """The user's words, checked; the URL kept as typed, with what we noticed about it."""
    if details.category is not None:
        category_by_id(details.category)
    url = check_url(details.url) if details.url is not None else None
    return {
        "incident": details.incident,
        "url": _url_record(url.to_record(), details) if url else None,
        "platform": details.platform or (url.platform if url else None),
        "account": details.account,
        "description": details.description,
        "category": details.category,
        "note": details.note,
        "posted_at": check_posted_at(details.posted_at) if details.posted_at else None,
    }


def import_file(vault: Vault, path: Path, details: Details) -> Item:
    item = _import_file(vault, path, details, skip_kept=False)
    assert item is not None
    return item


def _already_kept(vault: Vault, sha256: str) -> bool:
    # By content, as the vault keeps it: withdrawn items' bytes are purged, so not kept.
    return any(not vault.item(i).withdrawn for i in vault.items_with_content(sha256))


def _import_file(vault: Vault, path: Path, details: Details, *, skip_kept: bool) -> Item | None:
    path = Path(path)
    if path.resolve().is_relative_to(vault.folder.resolve()):
        raise FileProblem(f"{shown_path(path)} is part of the vault itself, not evidence.")
    data = read_evidence_file(path)
    sha256 = hashlib.sha256(data).hexdigest()
    if skip_kept and _already_kept(vault, sha256):
        return None
    name, name_hex = display_name(path)
    if not data:
        raise FileProblem(f"{name} is empty; there is nothing to keep.")
    facts = describe(data, name)
    recorded: dict[str, Any] = {
        "kind": facts.kind,
        "reported_by_file": facts.to_record()["reported"],
        "notes": list(facts.notes),
        "file_modified_reported": file_time_reported(path),
        # Only the file's own name (kept as the item's name): the folder it came from
        # names the producer's account and computer, and packs are read by others.
    }
    if name_hex is not None:
        recorded["name_bytes_hex"] = name_hex
    thumb = _thumbnail(data) if facts.kind == "image" else None
    return vault.add_item(NewItem(
        data=data, name=name, media_type=facts.media_type, method="import",
        details=recorded, expected_sha256=sha256, thumbnail=thumb, **_user_fields(details),
    ))


def import_paths(
    vault: Vault, paths: Sequence[Path], details: Details,
    progress: ImportProgress | None = None,
) -> ImportReport:
    """Import files and folders (recursively); one bad file never stops the rest."""
    problems: list[ImportProblem] = []
    files: list[Path] = []
    # Files found by walking a folder: a folder added again (an import that was
    # interrupted) adds only what is missing. A file named on its own is added again.
    walked: set[Path] = set()
    own = vault.folder.resolve()
    for given in paths:
        try:
            found = iter_files([Path(given)])
            if Path(given).is_dir():
                walked.update(found)
        except BadInput as exc:
            problems.append(ImportProblem(shown_path(Path(given)), str(exc)))
            continue
        kept = [f for f in found if not f.resolve().is_relative_to(own)]
        if len(kept) < len(found):
            problems.append(ImportProblem(
                shown_path(Path(given)),
                f"The vault's own files in {shown_path(own)} were skipped: they are not "
                "evidence.",
            ))
        files.extend(kept)
    if not files and not problems:  # only empty folders were given
        problems.extend(ImportProblem(shown_path(Path(p)), f"{shown_path(Path(p))} has no "
                                      "files to add.") for p in paths)
    added: list[Item] = []
    duplicates: dict[int, int] = {}
    already: list[str] = []
    for index, path in enumerate(files):
        if progress is not None:
            progress(index, len(files), shown_path(path))
        try:
            item = _import_file(vault, path, details, skip_kept=path in walked)
        except BadInput as exc:  # vault or disk failures stop the whole import instead
            problems.append(ImportProblem(shown_path(path), str(exc)))
            continue
        if item is None:
            already.append(shown_path(path))
            continue
        added.append(item)
        earlier = [i for i in vault.items_with_content(item.sha256) if i != item.id]
        if earlier:
            duplicates[item.id] = earlier[0]
    if progress is not None:
        progress(len(files), len(files), "")
    return ImportReport(tuple(added), tuple(problems), duplicates, tuple(already))


import_files = import_paths


def commit_capture(vault: Vault, grab: Grab, details: Details,
                   selection: dict[str, Any] | None = None) -> Item:
    """Commit a screen grab at once, with where and when it was taken.

    ``selection`` says how a region was chosen (on a frozen frame, in the app); it is
    recorded with the capture's details.
    """
    profile = load_profile(vault)
    context = capture_context(vault.clock, profile.name or None, at=grab.grabbed_at)
    name = f"capture-{grab.grabbed_at.strftime('%Y%m%d-%H%M%S')}.png"
    recorded: dict[str, Any] = {"kind": "image", "capture": grab.to_record(),
                                "context": context}
    if selection is not None:
        recorded["selection"] = selection
    if grab.in_front is not None:
        recorded["in_front"] = grab.in_front
    return vault.add_item(NewItem(
        data=grab.data, name=name, media_type=grab.media_type, method="capture",
        details=recorded, **_user_fields(details),
    ))


def sequence_partners(vault: Vault, item_id: int) -> list[int]:
    """The other items of the scrolling capture whose first frame is ``item_id``."""
    item = vault.item(item_id)
    scroll = item.details.get(SCROLL_KEY) if isinstance(item.details, dict) else None
    if not isinstance(scroll, dict) or scroll.get("frame") != 1:
        return []
    for event in vault.item_history(item_id):
        if event.type == EventType.CAPTURE_SCROLLED:
            return [int(i) for i in event.payload.get("items", []) if i != item_id]
    return []


def commit_scroll(vault: Vault, result: ScrollResult, details: Details,
                  selection: dict[str, Any] | None = None) -> list[Item]:
    """Commit a scrolling capture at once: every frame an original, the stitched image
    a derivative naming each frame's offset in it, and one event tying them together.

    All in one transaction. The first frame takes the exhibit mark; the other frames and
    the stitch are shown under it. Returns the items: the frames, then the stitch.
    """
    profile = load_profile(vault)
    user = _user_fields(details)
    count = len(result.frames)
    first = result.frames[0]
    news: list[NewItem] = []
    for index, grab in enumerate(result.frames, 1):
        context = capture_context(vault.clock, profile.name or None, at=grab.grabbed_at)
        recorded: dict[str, Any] = {
            "kind": "image", "capture": grab.to_record(), "context": context,
            SCROLL_KEY: {"frame": index, "of": count, "stopped": result.stopped},
        }
        if selection is not None:
            recorded["selection"] = selection
        if grab.in_front is not None:
            recorded["in_front"] = grab.in_front
        stamp = grab.grabbed_at.strftime("%Y%m%d-%H%M%S")
        news.append(NewItem(
            data=grab.data, name=f"scroll-{stamp}-frame-{index:02d}-of-{count:02d}.png",
            media_type=grab.media_type, method="capture", details=recorded,
            # Every frame is a row of the evidence list: each shows its own picture.
            exhibit=index == 1, thumbnail=_thumbnail(grab.data),
            **user))
    frame_shas = [hashlib.sha256(g.data).hexdigest() for g in result.frames]
    stitch = result.stitched
    if stitch is not None and result.stitched_png is not None:
        record = stitch.to_record()
        record["frames"] = [{"frame": i, "sha256": sha, "offset": off} for i, (sha, off)
                            in enumerate(zip(frame_shas, stitch.offsets, strict=True), 1)]
        stamp = first.grabbed_at.strftime("%Y%m%d-%H%M%S")
        news.append(NewItem(
            data=result.stitched_png, name=f"scroll-{stamp}-stitched.png",
            media_type="image/png", method="capture",
            details={"kind": "image", STITCHED_KEY: record,
                     **({"in_front": first.in_front} if first.in_front else {})},
            exhibit=False, thumbnail=_thumbnail(result.stitched_png), **user))

    def sequence(ids: list[int]) -> tuple[str, dict[str, Any]]:
        frames = [{"item": item_id, "sha256": sha,
                   "offset": stitch.offsets[i] if stitch is not None else None}
                  for i, (item_id, sha) in enumerate(zip(ids, frame_shas, strict=False))]
        stitched = ({"item": ids[count], "sha256": hashlib.sha256(
            result.stitched_png).hexdigest()} if len(ids) > count and result.stitched_png
            else None)
        return EventType.CAPTURE_SCROLLED, {
            "items": ids, "frames": frames, "stitched": stitched,
            "stitch": stitch.to_record() if stitch is not None else None,
            "stitch_failed": result.failure, "stopped": result.stopped,
            "method": result.method, "region": first.region.to_record(),
        }

    return vault.add_items(news, "the scrolling capture", then=sequence)


def add_details(vault: Vault, item_id: int, details: Details,
                new_incident: str | None = None) -> Item:
    """What the user said about a capture after it was committed, as new events.

    Only what differs from the item is recorded (one details event at most); a change
    of incident is a move (``new_incident`` names one to create first); a note is a
    note event on the item. Nothing is written when nothing changed.
    """
    item = vault.item(item_id)
    fields: dict[str, Any] = {}
    if details.category is not None:
        category_by_id(details.category)
    url_check = check_url(details.url) if details.url is not None else None
    if details.url is not None and details.url != item.url:
        assert url_check is not None
        fields["url"] = _url_record(url_check.to_record(), details)
    platform = details.platform or (url_check.platform if url_check else None)
    wanted = {"platform": platform, "account": details.account,
              "description": details.description, "category": details.category}
    for key, value in wanted.items():
        if value is not None and value != getattr(item, key):
            fields[key] = value
    if details.posted_at is not None:
        posted = check_posted_at(details.posted_at)
        if posted != (item.posted_at or ""):
            fields["posted_at"] = posted
    if fields:
        item = vault.update_item(item_id, **fields)
    target = details.incident
    if new_incident is not None and new_incident.strip():
        target = vault.create_incident(new_incident.strip()).id
    if target != item.incident_id:
        item = vault.move_item(item_id, target)
        # A scrolling capture's other frames and its stitch go with its first frame.
        for partner in sequence_partners(vault, item_id):
            if vault.item(partner).incident_id != target:
                vault.move_item(partner, target)
    if details.note is not None and details.note.strip():
        vault.add_note(details.note, item=item_id)
    return item


DISCARD_REASON = "Discarded by the person who captured it, straight after capturing."


def discard_capture(vault: Vault, item_id: int, reason: str = DISCARD_REASON) -> None:
    """Withdraw a capture the user did not want: the image is purged, the events stay."""
    vault.withdraw_item(item_id, reason)


def add_preview(vault: Vault, item: Item, data: bytes) -> None:
    """The browser's thumbnail, made after the commit so it never delays the evidence."""
    thumb = _thumbnail(data)
    if thumb is not None:
        vault.set_thumbnail(item.sha256, thumb)


def store_capture(vault: Vault, grab: Grab, details: Details) -> Item:
    item = commit_capture(vault, grab, details)
    add_preview(vault, item, grab.data)
    return item


def record_sighting(
    vault: Vault, *, url: str | None, platform: str | None = None, seen_at: str | None = None,
    found_by: str | None = None, told: str | None = None, note: str | None = None,
) -> int:
    """The stop path. Returns the event number of the text-only record."""
    checked = check_url(url) if url is not None else None
    record = vault.report_sighting(
        url=checked.to_record() if checked else None,
        platform=platform or (checked.platform if checked else None),
        seen_at=seen_at, found_by=found_by, told=told, note=note,
    )
    return record.seq


@dataclass(frozen=True)
class PageItems:
    """The items one page capture became: the visible part first, then the others."""

    visible: Item
    parts: tuple[Item, ...]

    @property
    def all(self) -> tuple[Item, ...]:
        return (self.visible, *self.parts)


def commit_page_capture(vault: Vault, capture: PageCapture, details: Details) -> PageItems:
    """Commit a page capture at once: the visible part, then each part linked to it.

    The address is the one the engine read, recorded as read from the browser; the user's
    other details (incident, account …) come afterwards through :func:`add_page_details`.
    """
    details = dataclasses.replace(details, url=capture.address, url_source="browser")
    profile = load_profile(vault)
    context = capture_context(vault.clock, profile.name or None, at=capture.read_at)
    page = capture.record()
    stamp = capture.read_at.strftime("%Y%m%d-%H%M%S")
    fields = _user_fields(details)

    def picture(part: str, shot: PagePicture) -> dict[str, Any]:
        return {"kind": "image", "context": context, "page": page, "capture": {
            "method": "web page", "part": part, "grabbed_at": utc_stamp(capture.read_at),
            "media_type": "image/png", "width": shot.width, "height": shot.height,
            "tool": capture.engine, "encoder": ENCODER}}

    visible = vault.add_item(NewItem(
        data=capture.visible.png, name=f"page-{stamp}.png", media_type="image/png",
        method="capture", details=picture("visible", capture.visible), **fields))
    link = {"item": visible.id, "sha256": visible.sha256}
    wanted: list[tuple[str, bytes, str, str, dict[str, Any]]] = []
    if capture.full is not None:
        wanted.append((FULL_PAGE, capture.full.png, f"page-{stamp}-whole.png", "image/png",
                       picture(FULL_PAGE, capture.full)))
    if capture.archive:
        wanted.append((ARCHIVE, capture.archive, f"page-{stamp}.mhtml", "multipart/related",
                       {"kind": "document", "context": context, "page": page,
                        "capture": {"method": "web page", "part": ARCHIVE,
                                    "format": "MHTML (MIME HTML, RFC 2557)",
                                    "tool": capture.engine}}))
    if capture.page_text is not None:
        wanted.append((PAGE_TEXT, capture.page_text.encode("utf-8"), f"page-{stamp}.html",
                       "text/html", {"kind": "text", "context": context, "page": page,
                                     "capture": {"method": "web page", "part": PAGE_TEXT,
                                                 "format": "the rendered page (DOM) as HTML",
                                                 "tool": capture.engine}}))
    parts = []
    for part, data, name, media_type, recorded in wanted:
        recorded[PAGE_KEY] = {**link, "part": part}
        parts.append(vault.add_item(NewItem(
            data=data, name=name, media_type=media_type, method="capture",
            details=recorded, **fields)))
    return PageItems(visible, tuple(parts))

