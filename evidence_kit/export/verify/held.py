"""A bundle checked against what the recipient already holds, not only against itself.

A bundle's signature shows only that whoever holds the vault's key made it, and that is
the producer. What anchors it outside them:

- an earlier pack from the same vault (``--since``): the same key, and the earlier
  pack's journal must be a prefix of this one's (its leaves, and an RFC 6962
  consistency proof between the two signed roots), so nothing recorded before it was
  removed or changed; a different history is named at the first event that differs;
- the PDF handed over beside the ZIP (``--pdf``): it must be the one the bundle lists;
- a fingerprint obtained separately (``--fingerprint``): the key must be that one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path
from typing import Any

from evidence_kit import wording
from evidence_kit.core import merkle
from evidence_kit.core.checkpoint import fingerprint
from evidence_kit.core.journal import Record
from evidence_kit.export.verify.checks import inspect
from evidence_kit.export.verify.reading import State
from evidence_kit.export.verify.report import ALTERED, INTACT, BundleReport, Finding

_FINGERPRINT = re.compile(r"[0-9a-f]{32}(?:[0-9a-f]{32})?\Z")


def parse_fingerprint(text: str) -> str:
    """The fingerprint as typed (spaces, colons, any case) in its plain form, or
    ValueError."""
    plain = re.sub(r"[\s:]", "", text).lower()
    if not _FINGERPRINT.match(plain):
        raise ValueError("a key fingerprint is 32 hexadecimal characters (spaces allowed), "
                         "as Evidence Kit shows it")
    return plain


def compare(report: BundleReport, state: State, *, since: Path | None = None,
            pdf: Path | None = None, expected_key: str | None = None) -> BundleReport:
    """``report`` with the comparisons added; a bundle that is not intact is left as it is
    (there is nothing trustworthy to compare)."""
    if report.status != INTACT:
        return report
    findings: list[Finding] = []
    compared = False
    if expected_key is not None:
        compared = _pin(state, parse_fingerprint(expected_key), findings)
    if pdf is not None:
        findings.append(_pdf(state, Path(pdf)))
    if since is not None:
        findings.append(_since(state, report, Path(since)))
    ok = all(f.ok for f in findings)
    return dataclasses.replace(report, status=INTACT if ok else ALTERED,
                               findings=(*report.findings, *findings), key_compared=compared)


def _pin(state: State, expected: str, findings: list[Finding]) -> bool:
    full = hashlib.sha256(state.key).hexdigest()
    if full.startswith(expected):
        findings.append(Finding("key", True, "the key's fingerprint is the one you obtained "
                                "separately"))
        return True
    findings.append(Finding("key", False, f"the bundle is signed by the key with fingerprint "
                            f"{fingerprint(state.key)}, not the one you expected: whoever made "
                            "it does not hold the key you were given"))
    return False


def _pdf(state: State, pdf: Path) -> Finding:
    listed_name = state.manifest.get("pdf") if isinstance(state.manifest, dict) else None
    listed = state.hashes.get(str(listed_name))
    if listed is None:
        return Finding("pdf", False, f"the bundle lists no PDF, so {pdf.name} cannot be "
                       "checked against it")
    digest = hashlib.sha256()
    try:
        with open(pdf, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        return Finding("pdf", False, f"{pdf.name} could not be read: {exc.strerror or exc}")
    if digest.hexdigest() != listed:
        return Finding("pdf", False, f"{pdf.name} is not the PDF this bundle lists "
                       f"({listed_name}): its SHA-256 differs, so it was changed or belongs "
                       "to another pack")
    return Finding("pdf", True, f"{pdf.name} is byte for byte the PDF the bundle lists "
                   f"({listed_name})")


def _made(manifest: Any) -> str:
    made_at = manifest.get("made_at") if isinstance(manifest, dict) else None
    pack = manifest.get("pack") if isinstance(manifest, dict) else None
    day = wording.day(made_at) if isinstance(made_at, str) else ""
    return f"the pack of {day} ({pack})" if day else f"the pack {pack}"


def _event_words(record: Record | None, which: str) -> str:
    if record is None:
        return f"{which} discloses only its hash"
    return f"{which} it is a {record.type} event recorded {wording.utc(record.recorded_at)}"


def _since(state: State, report: BundleReport, since: Path) -> Finding:
    old_report, old = inspect(since)
    if old_report.status != INTACT:
        first = old_report.first_problem
        why = first.message if first else old_report.status
        return Finding("history", False, f"the earlier pack {since.name} does not check out "
                       f"itself ({why}), so this pack cannot be compared with it")
    earlier = _made(old.manifest)
    if old.key != state.key:
        return Finding("history", False, f"{earlier} was signed with another key "
                       f"({fingerprint(old.key)}), not this pack's "
                       f"({fingerprint(state.key)}): they do not come from the same vault")
    old_log = old.manifest.get("log") if isinstance(old.manifest, dict) else None
    new_log = state.manifest.get("log") if isinstance(state.manifest, dict) else None
    if old_log != new_log:
        return Finding("history", False, f"{earlier} belongs to another journal than this "
                       "pack")
    old_size, new_size = len(old.leaves), len(state.leaves)
    differs = next((i for i in range(min(old_size, new_size))
                    if old.leaves[i] != state.leaves[i]), None)
    if differs is not None:
        seq = differs + 1
        return Finding("history", False, f"this pack's journal diverges from {earlier} at "
                       f"event {seq}: that event was changed, removed or replaced since "
                       f"(in {_event_words(old.records.get(seq), 'the earlier pack')}; in "
                       f"{_event_words(state.records.get(seq), 'this pack')})")
    if old_size > new_size:
        return Finding("history", False, f"{earlier} already signed {old_size} events but "
                       f"this pack signs only {new_size}: events {new_size + 1} to {old_size} "
                       "were removed since")
    proof = merkle.consistency_proof(old_size, state.leaves) if old_size else []
    if old_size and not merkle.verify_consistency(old_size, new_size, old.root, state.root,
                                                  proof):
        return Finding("history", False, f"the signed roots of {earlier} and this pack are "
                       "not consistent")
    listed = {(e.pack, e.tree_size, e.root) for e in report.earlier_packs}
    old_id = old.manifest.get("pack") if isinstance(old.manifest, dict) else None
    if (isinstance(state.manifest, dict) and "earlier_packs" in state.manifest
            and (old_id, old_size, old.root.hex()) not in listed and old_size < new_size):
        return Finding("history", False, f"this pack does not list {earlier} among the "
                       "earlier packs of its vault: the journal's record of that export is "
                       "gone")
    added = new_size - old_size
    return Finding("history", True, f"nothing recorded before {earlier} was removed or "
                   f"changed: its {wording.plural(old_size, 'event')} are the first of this "
                   f"pack's {new_size} (consistency proof checked), and "
                   f"{wording.plural(added, 'event')} were recorded since")
