"""What a bundle check found, as values the command line, JSON and the app all render."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

INTACT, ALTERED, NOT_A_BUNDLE = "intact", "altered", "not a bundle"
KEY_NOT_COMPARED = ("The key was not compared with one obtained separately: the signature "
                    "shows which key signed, not who holds it. Compare the fingerprint with "
                    "one the sender gives you another way, or check with --fingerprint.")


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    message: str


@dataclass(frozen=True)
class ExhibitStatus:
    mark: str
    ok: bool
    message: str


@dataclass(frozen=True)
class StampStatus:
    """A trusted timestamp the bundle carries, and whether it is accepted."""

    event: int  # the event that kept the token
    tree_size: int  # what it covers: the journal up to this event
    authority: str
    stamped_at: str | None  # the authority's time (UTC), when the token holds
    accepted: bool
    message: str


@dataclass(frozen=True)
class EarlierPack:
    """A pack made earlier from the same vault, as the bundle's manifest lists it."""

    pack: str
    made_at: str
    recipient: str
    tree_size: int
    root: str


@dataclass(frozen=True)
class BundleReport:
    path: str
    status: str  # INTACT, ALTERED or NOT_A_BUNDLE
    findings: tuple[Finding, ...]
    exhibits: tuple[ExhibitStatus, ...] = ()
    pack: str | None = None
    key_fingerprint: str | None = None
    tree_size: int | None = None
    root: str | None = None
    key_compared: bool = False
    """True only when the key was checked against a fingerprint given separately."""
    earlier_packs: tuple[EarlierPack, ...] = ()
    timestamps: tuple[StampStatus, ...] = ()
    """Trusted timestamps; one not accepted does not make the bundle altered."""

    @property
    def ok(self) -> bool:
        return self.status == INTACT

    @property
    def exit_code(self) -> int:
        return {INTACT: 0, ALTERED: 1}.get(self.status, 2)

    @property
    def first_problem(self) -> Finding | None:
        return next((f for f in self.findings if not f.ok), None)

    @property
    def caveats(self) -> tuple[str, ...]:
        return () if self.key_compared or self.status != INTACT else (KEY_NOT_COMPARED,)

    def to_json(self) -> dict[str, Any]:
        first = self.first_problem
        return {**asdict(self), "ok": self.ok, "caveats": list(self.caveats),
                "first_problem": asdict(first) if first else None}

    def text(self) -> str:
        label = {INTACT: "INTACT", ALTERED: "ALTERED", NOT_A_BUNDLE: "NOT A BUNDLE"}
        lines = [f"{self.path}: {label[self.status]}"]
        first = self.first_problem
        if first is not None:
            lines.append(f"First problem ({first.check}): {first.message}")
        if self.pack:
            lines.append(f"Pack {self.pack}; key fingerprint {self.key_fingerprint}")
        for finding in self.findings:
            lines.append(f"  [{'ok' if finding.ok else 'FAILED'}] {finding.check}: "
                         f"{finding.message}")
        if self.exhibits:
            lines.append("Exhibits:")
            for exhibit in self.exhibits:
                lines.append(f"  [{'ok' if exhibit.ok else 'FAILED'}] {exhibit.mark}: "
                             f"{exhibit.message}")
        if self.earlier_packs:
            lines.append("Earlier packs from the same vault (check any you hold with --since):")
            for earlier in self.earlier_packs:
                lines.append(f"  {earlier.pack} for {earlier.recipient}, made "
                             f"{earlier.made_at}: {earlier.tree_size} events, root "
                             f"{earlier.root[:16]}…")
        if self.timestamps:
            lines.append("Trusted time:")
            for stamp in self.timestamps:
                lines.append(f"  [{'accepted' if stamp.accepted else 'NOT ACCEPTED'}] "
                             f"{stamp.message}")
        elif self.status == INTACT:
            lines.append("Trusted time: none; every time in the pack is the device's own.")
        lines.extend(self.caveats)
        return "\n".join(lines)
