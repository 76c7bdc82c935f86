"""The earlier packs made from the same vault, listed in every pack.

A recipient holding any earlier pack (or hearing of one from a colleague) can then
compare: the new pack must extend the journal each earlier one signed
(``verify-bundle NEW.zip --since OLD.zip``), and a pack that leaves out an export the
recipient knows was made shows that the journal's record of it is gone.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable

from evidence_kit import wording
from evidence_kit.core import exports
from evidence_kit.core.journal import EventType
from evidence_kit.core.vault import Vault
from evidence_kit.export.styles import Styled
from evidence_kit.export.verify.report import EarlierPack


def earlier_packs(vault: Vault, upto: int) -> tuple[EarlierPack, ...]:
    """Every export recorded and published in the first ``upto`` events, oldest first.

    A pack's details are in its ``export.started`` event; ``export.made`` only confirms
    it (an older vault's ``export.made`` holds them itself): :func:`exports.states`
    reads both the same way."""
    events = [e for e in vault.events() if e.seq <= upto
              and e.type in (EventType.EXPORT_STARTED, EventType.EXPORT_MADE)]
    found = []
    for state in exports.states(events):
        if not state.published:
            continue  # never handed over, so no recipient can hold it
        event = state.event
        payload = event.payload
        checkpoint = payload.get("checkpoint") or {}
        found.append(EarlierPack(str(payload.get("pack")), event.recorded_at,
                                 str(payload.get("for")), int(checkpoint.get("tree_size", 0)),
                                 str(checkpoint.get("root", ""))))
    return tuple(found)


def manifest_entries(packs: tuple[EarlierPack, ...]) -> list[dict[str, Any]]:
    return [{"pack": p.pack, "made_at": p.made_at, "for": p.recipient,
             "tree_size": p.tree_size, "root": p.root} for p in packs]


def section(packs: tuple[EarlierPack, ...], s: Styled) -> list[Flowable]:
    """The integrity appendix's list of earlier packs (nothing when there are none)."""
    if not packs:
        return []
    out = [*s.heading("Earlier packs from the same vault", 2)]
    out += s.para(
        "Whoever holds one of these can check that this pack's journal extends it: "
        "evidence-kit verify-bundle THIS.zip --since EARLIER.zip. Each row gives the "
        "checkpoint the earlier pack carried.")
    out.append(s.fields([
        (p.pack, f"for {p.recipient}, made {wording.utc(p.made_at)} (device time); "
         f"{wording.plural(p.tree_size, 'event')}, Merkle root {p.root}")
        for p in packs], label_width=150))
    return out
