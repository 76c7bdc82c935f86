"""Every word the app says about a failure or a check comes from here.

Core errors already carry one plain sentence (``str(err)``); this module adds a short
title and, where it helps, what to do next. Anything that is not an Evidence Kit error
is a bug: the user is told so (never that the vault may be damaged), with where the log
is, and the traceback goes to that log. :func:`show_error` is the one way a failure
reaches a message box.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evidence_kit import settings, wording
from evidence_kit.core import errors
from evidence_kit.core.model import VerifyReport
from evidence_kit.export.errors import (
    FontsMissing,
    NothingToExport,
    RedactionRefused,
)
from evidence_kit.export.verify import ALTERED, INTACT, BundleReport
from evidence_kit.wording import VaultCheckWords, vault_check

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

BUG_TITLE = "Something went wrong in Evidence Kit"
_LOGGED = "_evidence_kit_logged"


def log_bug(exc: BaseException, doing: str = "") -> None:
    """Log an unexpected exception with its traceback, once however many places see it."""
    if getattr(exc, _LOGGED, False):
        return
    log.error("bug%s: %s", f" while {doing}" if doing else "", exc,
              exc_info=(type(exc), exc, exc.__traceback__))
    with contextlib.suppress(AttributeError, TypeError):  # a type that takes no attributes
        setattr(exc, _LOGGED, True)


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
    if isinstance(exc, FontsMissing):
        return UserMessage(
            "No font can draw the pack", str(exc),
            "Install a common font family (DejaVu, Noto or Liberation on Linux), or ask "
            "whoever set up Evidence Kit for you, then make the pack again.",
        )
    if isinstance(exc, NothingToExport):
        return UserMessage("Nothing to export", str(exc))
    if isinstance(exc, RedactionRefused):
        return UserMessage("The redaction cannot be made", str(exc))
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
    if isinstance(exc, errors.FileProblem):
        return UserMessage("That file cannot be used", str(exc))
    if isinstance(exc, errors.MediaRejected):
        return UserMessage("That picture cannot be used", str(exc))
    if isinstance(exc, errors.NotFound):
        return UserMessage("Not found", str(exc))
    if isinstance(exc, errors.Refused):
        return UserMessage("Not allowed", str(exc))
    if isinstance(exc, errors.BadInput):
        return UserMessage("That could not be done", str(exc))
    if isinstance(exc, errors.EvidenceKitError):
        return UserMessage("That could not be done", str(exc))
    log_bug(exc, doing)
    return UserMessage(BUG_TITLE, wording.bug_message(settings.log_file()))


def show_error(parent: QWidget | None, exc: BaseException, doing: str,
               title: str | None = None) -> UserMessage:
    """Tell the user, in a message box over ``parent``, that ``doing`` failed and why.

    ``title`` replaces the usual one for the failures we expect; a bug keeps its own.
    """
    from PySide6.QtWidgets import QMessageBox

    message = describe(exc, doing)
    if isinstance(exc, errors.EvidenceKitError):
        if title:
            message = UserMessage(title, message.text, message.hint)
        QMessageBox.warning(parent, message.title, message.full)
    else:
        QMessageBox.critical(parent, message.title, message.full)
    return message


VerifyWords = VaultCheckWords


def verify_words(report: VerifyReport) -> VerifyWords:
    """The result of a vault check, in words a worried person can act on."""
    return vault_check(report)


# ---- a pack someone received: the result of verify-bundle ----------------------------

_CHECK_NAMES = {
    "bundle": "The ZIP file",
    "signature": "Signature",
    "files": "Files",
    "key": "Signing key",
    "checkpoint": "Signed checkpoint",
    "leaves": "Journal",
    "records": "Disclosed records",
    "exhibits": "Exhibits",
    "history": "Against the earlier pack",
    "pdf": "The PDF",
}


@dataclass(frozen=True)
class BundleWords:
    ok: bool
    headline: str
    details: str
    checks: tuple[tuple[bool, str], ...]
    """Each check that was made: (passed, "Name: what was found")."""
    exhibits: tuple[tuple[bool, str], ...]
    """Each exhibit: (matches, "JS/1: what was found")."""
    next_steps: str


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    first = text.split(" ", 1)[0]
    if first.isalpha():  # not a file name such as "originals/JS-1_x.png"
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def bundle_words(report: BundleReport) -> BundleWords:
    """What checking an evidence pack's ZIP found, for the person who received it."""
    checks = tuple((f.ok, f"{_CHECK_NAMES.get(f.check, f.check.capitalize())}: "
                          f"{_sentence(f.message)}") for f in report.findings)
    checks += tuple((t.accepted, f"Trusted time: {_sentence(t.message)}")
                    for t in report.timestamps)
    exhibits = tuple((e.ok, f"Exhibit {e.mark}: "
                            + ("unchanged. " if e.ok else "DOES NOT MATCH. ")
                            + _sentence(e.message)) for e in report.exhibits)
    first = report.first_problem
    who = ""
    if report.pack:
        who = (f"Pack {report.pack}, signed with the key whose fingerprint is "
               f"{report.key_fingerprint}.")
    if report.status == INTACT:
        count = len(report.exhibits)
        return BundleWords(
            True, "Intact: nothing in this pack was changed.",
            " ".join(part for part in (
                who, f"Every file matches the signed list, and all {count:,} exhibit"
                f"{'' if count == 1 else 's'} are exactly the files that were recorded "
                "in the signed, hash-chained journal.") if part),
            checks, exhibits,
            "Check the key fingerprint above against the one the sender gives you another "
            "way (by phone, in person or in a separate email): the signature shows which "
            "key signed the pack, not who holds it. Times shown in the pack come from the "
            "sender's device clock.",
        )
    if report.status == ALTERED:
        problem = _sentence(first.message) if first else "Something does not match."
        bad = [e.mark for e in report.exhibits if not e.ok]
        which = ""
        if bad:
            total = len(report.exhibits)
            which = (f" {len(bad)} of {total} exhibit{'s' if total != 1 else ''} "
                     f"{'does' if len(bad) == 1 else 'do'} not match what was recorded: "
                     f"{', '.join(bad)}; the others do.")
        return BundleWords(
            False, "Altered: this pack is not as it was signed.",
            f"The first problem found: {problem}{which}" + (f" {who}" if who else ""),
            checks, exhibits,
            "Do not rely on the files that do not match. Ask the sender for a fresh copy of "
            "the pack (the PDF and the ZIP together), and tell them what this check found.",
        )
    reason = _sentence(first.message) if first else ""
    return BundleWords(
        False, "This is not an Evidence Kit pack.",
        f"{reason} Nothing was extracted or changed.".strip(),
        (), (),
        "Choose the ZIP file that came with the pack's PDF: its name starts with "
        "“evidence-pack-”.",
    )
