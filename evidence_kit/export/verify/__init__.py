"""Checking a bundle on the recipient's side: no vault, no Qt, nothing written to disk.

``verify_bundle(path)`` checks the bundle against itself (:mod:`.checks`, with each
exhibit in :mod:`.exhibits`); given what the recipient already holds (an earlier pack,
the PDF, a fingerprint obtained separately) it also checks against that
(:mod:`.held`). The result is a :class:`BundleReport` (:mod:`.report`).
"""

from __future__ import annotations

from pathlib import Path

from evidence_kit.export.verify.checks import MAX_BUNDLE_BYTES, inspect
from evidence_kit.export.verify.held import compare, parse_fingerprint
from evidence_kit.export.verify.reading import MAX_SMALL_FILE
from evidence_kit.export.verify.report import (
    ALTERED,
    INTACT,
    KEY_NOT_COMPARED,
    NOT_A_BUNDLE,
    BundleReport,
    EarlierPack,
    ExhibitStatus,
    Finding,
    StampStatus,
)

__all__ = ["ALTERED", "INTACT", "KEY_NOT_COMPARED", "MAX_BUNDLE_BYTES", "MAX_SMALL_FILE",
           "NOT_A_BUNDLE", "BundleReport", "EarlierPack", "ExhibitStatus", "Finding", "StampStatus",
           "parse_fingerprint", "verify_bundle"]


def verify_bundle(path: Path, *, since: Path | None = None, pdf: Path | None = None,
                  fingerprint: str | None = None, tsa_roots: str | None = None
                  ) -> BundleReport:
    """Check a bundle; never raises for a bad or hostile file, it reports it.

    ``fingerprint`` must be well-formed (:func:`parse_fingerprint` raises ValueError).
    ``tsa_roots``: PEM root certificates the recipient trusts for timestamps, in place of
    those the pack carries."""
    if fingerprint is not None:
        parse_fingerprint(fingerprint)
    report, state = inspect(Path(path), tsa_roots)
    return compare(report, state, since=since, pdf=pdf, expected_key=fingerprint)
