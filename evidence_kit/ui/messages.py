"""Every word the app says about a failure or a check comes from here.

Core errors already carry one plain sentence (``str(err)``); this module adds a short
title and, where it helps, what to do next. Anything that is not an Evidence Kit error
is a bug: the user gets a calm sentence and the details go to the log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from evidence_kit.core import errors
from evidence_kit.core.model import VerifyReport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UserMessage:
    title: str
    text: str
    hint: str = ""

    @property
    def full(self) -> str:
        return f"{self.text}\n\n{self.hint}" if self.hint else self.text


def describe(exc: BaseException, doing: str = "") -> UserMessage:
    """A title, the sentence and the next step for an exception raised by the core."""
    if isinstance(exc, errors.WrongPassphrase):
        return UserMessage(
            "Wrong passphrase", str(exc),
            "Check that Caps Lock is off and try again. If you have forgotten it, "
            "use your recovery code.",
        )
    if isinstance(exc, errors.VaultInUse):
        return UserMessage("The vault is already open", str(exc))
    if isinstance(exc, errors.VaultMissing):
        return UserMessage("No vault here", str(exc))
    if isinstance(exc, errors.VaultExists):
        return UserMessage("There is already a vault here", str(exc),
                           "Choose another folder, or open the vault that is there.")
    if isinstance(exc, errors.KeysFileDamaged):
        return UserMessage("The vault cannot be unlocked", str(exc))
    if isinstance(exc, errors.VaultLocked):
        return UserMessage("The vault is locked", str(exc))
    if isinstance(exc, errors.StorageFull):
        return UserMessage("The disk is full", str(exc),
                           "Free some space (empty the bin, move large files) and try again.")
    if isinstance(exc, errors.EnvironmentFailure):
        return UserMessage("The computer could not save this", str(exc))
    if isinstance(exc, errors.IntegrityFailure):
        return UserMessage(
            "The vault may be damaged", str(exc),
            "Use Vault ▸ Check the vault to see what is affected. Keep this vault as it "
            "is, and restore your most recent backup to carry on working.",
        )
    if isinstance(exc, errors.VaultUnavailable):
        return UserMessage("The vault cannot be opened", str(exc))
    if isinstance(exc, errors.BadInput):
        return UserMessage("That could not be done", str(exc))
    if isinstance(exc, errors.EvidenceKitError):
        return UserMessage("That could not be done", str(exc))
    log.error("unexpected error%s", f" while {doing}" if doing else "",
              exc_info=(type(exc), exc, exc.__traceback__))
    what = f" while {doing}" if doing else ""
    return UserMessage(
        "Something unexpected happened",
        f"Evidence Kit ran into a problem it did not expect{what}.",
        "Everything saved before this is safe: each change is saved whole or not at all. "
        "Please try again; if it keeps happening, tell whoever set up Evidence Kit for you.",
    )


@dataclass(frozen=True)
class VerifyWords:
    ok: bool
    headline: str
    details: str
    next_steps: str


def _size(n: int) -> str:
    value = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} bytes"


def verify_words(report: VerifyReport) -> VerifyWords:
    """The result of a vault check, in words a worried person can act on."""
    if report.ok:
        return VerifyWords(
            True,
            "Everything checks out.",
            f"All {report.events:,} recorded events and {report.blobs:,} stored files "
            f"({_size(report.bytes_checked)}) are exactly as they were recorded, nothing "
            f"is missing or out of order, and "
            + ("the signed checkpoint matches." if report.checkpoints == 1 else
               f"all {report.checkpoints:,} signed checkpoints match."),
            "Nothing to do. Making a backup from time to time keeps a second safe copy.",
        )
    first = report.failures[0]
    where = f"event {first.seq}" if first.seq is not None else "the vault file"
    lines = [f"The first problem is at {where} ({first.kind}): {first.message}"]
    for other in report.failures[1:5]:
        at = f"event {other.seq}" if other.seq is not None else "the vault file"
        lines.append(f"Also at {at} ({other.kind}): {other.message}")
    if len(report.failures) > 5:
        lines.append(f"…and {len(report.failures) - 5} more.")
    return VerifyWords(
        False,
        f"The check found {len(report.failures)} problem"
        f"{'' if len(report.failures) == 1 else 's'}.",
        "\n".join(lines),
        "Do not delete or change anything in this vault: it may be needed to show what "
        "happened. Make a backup of it as it is, then restore your most recent good "
        "backup to carry on. If you share evidence from this vault, say that the check "
        "failed.",
    )
