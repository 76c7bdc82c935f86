"""Each exhibit against its record: the original, and a redacted copy naming its original."""

from __future__ import annotations

from typing import Any

from evidence_kit.export.verify.reading import Altered, State
from evidence_kit.export.verify.report import ExhibitStatus


def check_exhibits(manifest: Any, records: dict[int, dict[str, Any]], state: State
                    ) -> list[ExhibitStatus]:
    if not isinstance(manifest, dict) or not isinstance(manifest.get("exhibits"), list):
        raise Altered("exhibits", "manifest.json does not list the exhibits")
    out = []
    for entry in manifest["exhibits"]:
        if not isinstance(entry, dict):
            raise Altered("exhibits", "manifest.json has an exhibit that is not an object")
        out.append(_exhibit(entry, records, state))
    if all(e.ok for e in out):
        state.ok("exhibits", f"all {len(out)} exhibits have the SHA-256 their records give")
    return out


def _recorded_file(records: dict[int, dict[str, Any]], event: Any) -> dict[str, Any] | None:
    payload = records.get(event) if isinstance(event, int) else None
    file = payload.get("file") if isinstance(payload, dict) else None
    return file if isinstance(file, dict) else None


def _exhibit(entry: dict[str, Any], records: dict[int, dict[str, Any]], state: State
             ) -> ExhibitStatus:
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
    return ExhibitStatus(mark, True, "; ".join(parts))
