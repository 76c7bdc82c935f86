"""The plain words a recipient reads on how to check a bundle, and what checking proves.

One source for the PDF's integrity appendix and the bundle's README.txt, so the two
can never give different instructions.
"""

from __future__ import annotations

from dataclasses import dataclass

SUMS = "SHA256SUMS"
SIGNATURE = "SHA256SUMS.sig"
PUBKEY_PEM = "pubkey.pem"
PUBKEY_RAW = "pubkey.raw"
CHECKPOINT = "checkpoint.txt"
LEAVES = "leaves.txt"
PROOFS = "proofs.json"
MANIFEST = "manifest.json"
README = "README.txt"
TIMESTAMPS = "timestamps/"


@dataclass(frozen=True)
class StampFiles:
    """Where one trusted timestamp's files are in the bundle (``seq``: the event that
    kept the token)."""

    seq: int
    tree_size: int
    authority: str
    stamped_at: str
    has_chain: bool = True

    @property
    def token(self) -> str:
        return f"{TIMESTAMPS}{self.seq}.tsr"

    @property
    def note(self) -> str:
        return f"{TIMESTAMPS}{self.seq}-checkpoint.txt"

    @property
    def root(self) -> str:
        return f"{TIMESTAMPS}{self.seq}-root.pem"

    @property
    def chain(self) -> str:
        return f"{TIMESTAMPS}{self.seq}-chain.pem"

    def command(self) -> str:
        extra = f" -untrusted {self.chain}" if self.has_chain else ""
        return (f"openssl ts -verify -data {self.note} -in {self.token} -CAfile {self.root}"
                f"{extra}")


STAMP_TEMPLATE = StampFiles(0, 0, "", "")


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    commands: tuple[str, ...] = ()


def stamp_step(stamps: tuple[StampFiles, ...]) -> Step:
    template = STAMP_TEMPLATE.command().replace("/0", "/N")
    commands: tuple[str, ...] = (template,)
    if stamps:
        commands = tuple(f"{s.command()}\n       (journal up to event {s.tree_size}; "
                         f"{s.authority}, {s.stamped_at})" for s in stamps)
    return Step(
        "Check the trusted timestamps (where the pack has a timestamps/ folder)",
        "Times in the pack are the device's own. Where the sender turned on trusted time, "
        "an independent timestamp authority signed a token over a signed checkpoint of the "
        "journal (only its hash left the sender's computer): the token proves that every "
        "event up to that checkpoint existed by the authority's time. For each token N, "
        "OpenSSL checks it against the authority's root certificate; Evidence Kit also "
        "checks that the checkpoint is signed by the vault's key and is the journal in "
        "leaves.txt. The root in the pack came from the sender: compare it with the root "
        "the authority publishes (openssl x509 -in timestamps/N-root.pem -noout "
        "-fingerprint -sha256), or give yours to verify-bundle with --tsa-root.",
        commands,
    )


def steps(zip_name: str, stamps: tuple[StampFiles, ...] = ()) -> tuple[Step, ...]:
    return (
        Step(
            "Unpack the ZIP into an empty folder",
            "Open a terminal (Windows: PowerShell) in that folder. Nothing needs to be "
            "installed for steps 2 to 4 on Windows, macOS or Linux.",
        ),
        Step(
            "Check every file against SHA256SUMS",
            "Each line of SHA256SUMS is a file's SHA-256 fingerprint and its name. Any "
            "change to a file, however small, changes its fingerprint.",
            (
                "Linux:    sha256sum -c SHA256SUMS",
                "macOS:    shasum -a 256 -c SHA256SUMS",
                "Windows:  certutil -hashfile originals\\<file> SHA256",
                "          (or PowerShell: Get-FileHash -Algorithm SHA256 originals\\<file>)",
                "          and compare with the line for that file in SHA256SUMS.",
            ),
        ),
        Step(
            "Check the signature on SHA256SUMS",
            "SHA256SUMS.sig is an Ed25519 signature made by the vault's own key over "
            "SHA256SUMS. OpenSSL 3 checks it (Linux and macOS usually have it; on Windows it "
            "comes with Git for Windows):",
            (
                "openssl pkeyutl -verify -pubin -inkey pubkey.pem -rawin "
                "-in SHA256SUMS -sigfile SHA256SUMS.sig",
            ),
        ),
        Step(
            "Compare the key fingerprint",
            "The signature only shows the files came from whoever holds this key. Compare "
            "the key fingerprint printed in the PDF with the one the member of staff gives "
            "you by another route (or with an earlier pack). It is the first 32 characters of "
            "the SHA-256 of pubkey.raw, in groups of four:",
            (
                "Linux:    sha256sum pubkey.raw",
                "macOS:    shasum -a 256 pubkey.raw",
                "Windows:  certutil -hashfile pubkey.raw SHA256",
            ),
        ),
        Step(
            "Check everything at once with Evidence Kit (optional)",
            "Evidence Kit's free command checks all of the above and also that every record "
            "belongs to the signed journal (its leaf, its place in leaves.txt and its "
            "inclusion proof against the signed checkpoint) and that every original's "
            "SHA-256 is the one recorded when it was captured or imported (and that a joined "
            "scrolling capture is exactly its pictures, pixel for pixel, at the places "
            "recorded). It reads the ZIP without unpacking it and needs no vault:",
            (f"evidence-kit verify-bundle {zip_name}",),
        ),
        stamp_step(stamps),
    )


PROVES = (
    "The files in the bundle are exactly the files that were recorded: each original's "
    "SHA-256 is the one written into the journal when it was captured or imported.",
    "Nothing disclosed was changed, and no event was removed or reordered, between the "
    "moment each was recorded and the signed checkpoint this pack carries; the records of "
    "other, undisclosed events are represented only by their hashes, which reveal nothing "
    "about them.",
    "The bundle was signed by the key of the vault that holds the journal.",
)

DOES_NOT_PROVE = (
    "That the times are right: every time comes from the clock of the device that made "
    "the record (its 'device time'), which its owner could have set wrongly. A trusted "
    "timestamp (step 6), where there is one, proves only that events existed by its time.",
    "That what a screen showed was genuine: a capture shows what was on the screen, not "
    "who wrote it or whether the page was real.",
    "Who holds the key: compare the key fingerprint with one obtained separately.",
    "Anything about events after the checkpoint, or that nothing was recorded and withdrawn "
    "before it (withdrawn items stay in the journal as hashes).",
)


def readme_text(pack_id: str, zip_name: str, pdf_name: str, fingerprint: str,
                tree_size: int, root_hex: str, marking: str,
                stamps: tuple[StampFiles, ...] = ()) -> str:
    lines = [
        f"EVIDENCE PACK {pack_id}",
        "",
        "This ZIP holds evidence of online abuse kept with Evidence Kit, and everything you",
        "need to check for yourself that none of it has been altered.",
        "",
        "WHAT IS IN IT",
        f"  {pdf_name:<28} the evidence pack to read (chronology, exhibits, integrity notes)",
        "  originals/                   the exhibits exactly as captured or imported",
        "  redacted/                    redacted copies made for sharing (where there are any)",
        "  derived/                     scrolling captures joined from the pictures in originals/",
        "  records/                     the journal records of the disclosed events, byte for byte",
        f"  {LEAVES:<28} the hash of every event in the journal, in order",
        f"  {PROOFS:<28} inclusion proofs of the disclosed events",
        f"  {CHECKPOINT:<28} the signed checkpoint: the journal's size and Merkle root",
        f"  {PUBKEY_PEM}, {PUBKEY_RAW}      the vault's public signing key (Ed25519)",
        f"  {MANIFEST:<28} which file is which exhibit, for programs",
        f"  {TIMESTAMPS:<28} trusted timestamps over checkpoints (where there are any)",
        f"  {SUMS}, {SIGNATURE}  fingerprints of every file, and their signature",
        "",
        f"Key fingerprint:  {fingerprint}",
        f"Checkpoint:       {tree_size} events, Merkle root {root_hex}",
        "",
        "HOW TO CHECK IT",
    ]
    for number, step in enumerate(steps(zip_name, stamps), start=1):
        lines += ["", f"{number}. {step.title}", *_wrap(step.text, "   ")]
        lines += [f"     {line}" for command in step.commands for line in command.split("\n")]
    lines += ["", "WHAT A SUCCESSFUL CHECK PROVES"]
    for point in PROVES:
        lines += _wrap(point, "  - ")
    lines += ["", "WHAT IT DOES NOT PROVE"]
    for point in DOES_NOT_PROVE:
        lines += _wrap(point, "  - ")
    lines += ["", f"Handling: {marking}. The pack contains material that may be distressing.",
              ""]
    return "\r\n".join(lines)  # CRLF so Notepad on older Windows shows the lines


def _wrap(text: str, first: str, width: int = 84) -> list[str]:
    out, line = [], first
    indent = " " * len(first)
    for word in text.split():
        if len(line) + len(word) + 1 > width and line.strip():
            out.append(line.rstrip())
            line = indent
        line += word + " "
    out.append(line.rstrip())
    return out
