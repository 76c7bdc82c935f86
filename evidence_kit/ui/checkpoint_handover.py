"""The vault menu's checkpoint hand-over: give a signed checkpoint to someone you trust,
and later check the vault against one you gave.

Whoever holds a checkpoint (SLT, a union rep) holds an anchor outside the producer: if
the journal is ever rewritten, even by someone with the passphrase, the vault no longer
extends it. The work is the Qt-free :mod:`evidence_kit.core.held`; this is its dialogs.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from evidence_kit.core.held import HeldCheck, check_held, read_note, write_checkpoint
from evidence_kit.core.model import CheckpointInfo
from evidence_kit.core.vault import Vault
from evidence_kit.ui.messages import describe
from evidence_kit.ui.tasks import TaskRunner

GIVE_TEXT = "&Give a checkpoint to someone you trust…"
CHECK_TEXT = "Check against a checkpoint you &gave…"
_WHY = ("It holds no evidence: only the number of events and one hash over them, signed "
        "with this vault's key. Whoever keeps it can later check that nothing recorded "
        "before today was removed or changed, even by someone who knows the passphrase.")


def give_checkpoint(parent: QWidget, vault: Vault, tasks: TaskRunner) -> None:
    name = f"evidence-kit-checkpoint-{dt.date.today():%Y-%m-%d}.txt"
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, "Save a checkpoint to give to someone you trust", str(Path.home() / name),
        "Checkpoints (*.txt);;All files (*)")
    if not chosen:
        return

    def done(info: CheckpointInfo) -> None:
        QMessageBox.information(
            parent, "Checkpoint saved",
            f"A signed checkpoint of {info.tree_size:,} events is in:\n{chosen}\n\nGive a "
            f"copy to someone you trust (your DSL, a union rep) by email or on paper. {_WHY}")

    def failed(exc: BaseException) -> None:
        message = describe(exc, "saving the checkpoint")
        QMessageBox.warning(parent, message.title, message.full)

    tasks.run("checkpoint", lambda _p: write_checkpoint(vault, Path(chosen)), on_done=done,
              on_error=failed, writes=True)


def check_against_checkpoint(parent: QWidget, vault: Vault, tasks: TaskRunner) -> None:
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, "Choose the checkpoint you gave someone", str(Path.home()),
        "Checkpoints (*.txt);;All files (*)")
    if not chosen:
        return

    def done(held: HeldCheck) -> None:
        if held.extends:
            QMessageBox.information(parent, "The vault extends that checkpoint", held.message)
        else:
            QMessageBox.warning(parent, "The vault does not extend that checkpoint",
                                held.message + " Keep the checkpoint and every pack you "
                                "made; they show what the journal held before.")

    def failed(exc: BaseException) -> None:
        message = describe(exc, "checking against the checkpoint")
        QMessageBox.warning(parent, message.title, message.full)

    tasks.run("check-held", lambda _p: check_held(vault, read_note(Path(chosen))),
              on_done=done, on_error=failed)
