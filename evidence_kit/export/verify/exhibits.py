"""Each exhibit against its record: the original, and a redacted copy naming its original;
for a scrolling capture, every frame, and the joined image against the frames, pixel for
pixel."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from PIL import Image

from evidence_kit.capture.stitch import check_stitch
from evidence_kit.export.verify.reading import Altered, State
from evidence_kit.export.verify.report import ExhibitStatus

ReadMember = Callable[[str], bytes]


def check_exhibits(manifest: Any, records: dict[int, dict[str, Any]], state: State,
                   read_member: ReadMember | None = None) -> list[ExhibitStatus]:
    if not isinstance(manifest, dict) or not isinstance(manifest.get("exhibits"), list):
        raise Altered("exhibits", "manifest.json does not list the exhibits")
    out = []
    for entry in manifest["exhibits"]:
        if not isinstance(entry, dict):
            raise Altered("exhibits", "manifest.json has an exhibit that is not an object")
        out.append(_exhibit(entry, records, state, read_member))
    if all(e.ok for e in out):
        state.ok("exhibits", f"all {len(out)} exhibits have the SHA-256 their records give")
    return out


def _recorded_file(records: dict[int, dict[str, Any]], event: Any) -> dict[str, Any] | None:
    payload = records.get(event) if isinstance(event, int) else None
    file = payload.get("file") if isinstance(payload, dict) else None
    return file if isinstance(file, dict) else None


def _exhibit(entry: dict[str, Any], records: dict[int, dict[str, Any]], state: State,
             read_member: ReadMember | None = None) -> ExhibitStatus:
    mark = str(entry.get("mark"))
    recorded = _recorded_file(records, entry.get("event"))
    if recorded is None:
        return ExhibitStatus(mark, False, f"its record (event {entry.get('event')}) is not in "
                             "the bundle")
    original_sha = recorded.get("sha256")
    parts = []
    file = entry.get("file")
    if file is not None:
        actual = state.hashes.get(str(file))
        if actual is None:
            return ExhibitStatus(mark, False, f"its original {file} is missing")
        if actual != original_sha:
            return ExhibitStatus(mark, False, f"{file} is not the file recorded in event "
                                 f"{entry['event']}: its SHA-256 differs")
        parts.append(f"original {file} has the SHA-256 recorded in event {entry['event']}")
    else:
        parts.append(f"original not included; event {entry['event']} records its SHA-256 "
                     f"{str(original_sha)[:16]}…")
    redacted = entry.get("redacted")
    if isinstance(redacted, dict):
        event = redacted.get("event")
        rec = _recorded_file(records, event)
        payload = records.get(event, {}) if isinstance(event, int) else {}
        details = payload.get("details") if isinstance(payload, dict) else None
        link = details.get("derived_from") if isinstance(details, dict) else None
        actual = state.hashes.get(str(redacted.get("file")))
        if rec is None or actual is None or actual != rec.get("sha256"):
            return ExhibitStatus(mark, False, f"the redacted copy {redacted.get('file')} is not "
                                 "the one recorded")
        if not isinstance(link, dict) or link.get("sha256") != original_sha:
            return ExhibitStatus(mark, False, "the redacted copy's record does not name this "
                                 "original")
        parts.append(f"redacted copy matches event {redacted.get('event')}, which names the "
                     "original")
    if "frames" in entry:
        problem = _sequence(entry, records, state, read_member, parts)
        if problem is not None:
            return ExhibitStatus(mark, False, problem)
    return ExhibitStatus(mark, True, "; ".join(parts))


def _picture(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def _sequence(entry: dict[str, Any], records: dict[int, dict[str, Any]], state: State,
              read_member: ReadMember | None, parts: list[str]) -> str | None:
    """A scrolling capture's frames against their records, then the joined image."""
    frames = entry.get("frames")
    if not isinstance(frames, list) or not frames:
        return "manifest.json lists its frames wrongly"
    shas = []
    for frame in frames:
        rec = _recorded_file(records, frame.get("event")) if isinstance(frame, dict) else None
        if rec is None:
            return f"the record of its frame {frame!r} is not in the bundle"
        shas.append(rec.get("sha256"))
        file = frame.get("file")
        if file is not None and state.hashes.get(str(file)) != rec.get("sha256"):
            return f"its frame {file} is not the one recorded in event {frame.get('event')}"
    parts.append(f"all {len(frames)} frames have the SHA-256 their records give")
    joined = entry.get("stitched")
    if not isinstance(joined, dict):
        return None
    event = joined.get("event")
    rec = _recorded_file(records, event)
    payload = records.get(event, {}) if isinstance(event, int) else {}
    details = payload.get("details") if isinstance(payload, dict) else None
    link = details.get("stitched_from") if isinstance(details, dict) else None
    if rec is not None and joined.get("file") is None:
        # Withheld with the original (a redacted copy is shown): nothing to compare.
        parts.append("the joined image is withheld with the original")
        return None
    if rec is None or state.hashes.get(str(joined.get("file"))) != rec.get("sha256"):
        return f"the joined image {joined.get('file')} is not the one recorded"
    if not isinstance(link, dict) or [f.get("sha256") for f in link.get("frames", [])] != shas:
        return "the joined image's record does not name these frames, in this order"
    if read_member is None or any(f.get("file") is None for f in frames):
        parts.append("the joined image's record names these frames")
        return None
    try:
        same = check_stitch(_picture(read_member(str(joined["file"]))),
                            [_picture(read_member(str(f["file"]))) for f in frames],
                            [int(f["offset"]) for f in link["frames"]],
                            int(link["header_rows"]), int(link["footer_rows"]))
    except (OSError, ValueError, KeyError, TypeError, Image.DecompressionBombError) as exc:
        return f"its frames or joined image could not be read as pictures ({exc})"
    if not same:
        return ("the joined image is not its frames placed at the recorded offsets: the "
                "frames are the evidence")
    parts.append("the joined image is exactly its frames at the recorded offsets")
    return None
