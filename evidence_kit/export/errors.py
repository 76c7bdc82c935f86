"""What can go wrong while making or checking an evidence pack, in words a user can act on.

They slot into the core hierarchy, so the command line's exit codes follow: bad input
is 2, an environment failure (no usable font, a full disk) is 3, and a bundle whose
contents do not match its signatures is an integrity failure (1).
"""

from __future__ import annotations

from evidence_kit.core.errors import BadInput, EnvironmentFailure, IntegrityFailure


class NothingToExport(BadInput):
    """The incident or the chosen items hold no evidence that can go into a pack."""


class FontsMissing(EnvironmentFailure):
    """No font on this computer can draw the pack's text."""


class RedactionRefused(BadInput):
    """A redaction that cannot be made (not an image, rectangles outside it, …)."""



RESTORE_ADVICE = ("Nothing was exported. Keep this vault as it is and restore your most "
                  "recent backup (see the README, \"Backups\").")


class PackCheckFailed(IntegrityFailure):
    """The journal or an exhibit's content failed the check made before every pack."""
