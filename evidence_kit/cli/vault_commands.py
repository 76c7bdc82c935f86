"""Commands about the vault itself: init, passwd, recover, recovery-code, backup, verify,
checkpoint."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

from evidence_kit import wording
from evidence_kit.core.errors import WrongPassphrase
from evidence_kit.settings import (
    MIN_PASSPHRASE_CHARS,
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    RECOVERY_CODE_ENV,
    kdf_from_environment,
)

from .shared import (
    LOCK_WAIT_SECONDS,
    PROMPT_TRIES,
    Session,
    json_out,
    new_passphrase,
    out,
    recovery_code,
    recovery_code_prompted,
    subcommand,
    tell,
)


def register(sub: Any) -> None:
    subcommand(sub, "init", "create a vault and show its recovery code once",
               "Create a new, empty vault in the vault folder and show its recovery code, "
               "once: write it down.", cmd_init,
               epilog=f"The passphrase (at least {MIN_PASSPHRASE_CHARS} characters) is asked "
               f"for twice at a terminal; scripts give it in ${PASSPHRASE_ENV} or with "
               "--passphrase-file.")

    verify = subcommand(sub, "verify", "check every event, file and checkpoint",
                        "Re-read every event and every file in the vault, recompute the "
                        "hash chain and check every signed checkpoint. Exit 1 names the "
                        "first problem.", cmd_verify)
    verify.add_argument("--json", action="store_true",
                        help="print the result as JSON, for scripts")
    verify.add_argument("--against", type=Path, metavar="FILE",
                        help="also check that the journal extends this signed checkpoint, "
                        "one you gave someone earlier (checkpoint --out)")

    checkpoint = subcommand(sub, "checkpoint", "sign the journal as it is now",
                            "Sign the journal as it is now and print the signed checkpoint: "
                            "give a copy to someone you trust.", cmd_checkpoint)
    checkpoint.add_argument("--out", type=Path, metavar="FILE",
                            help="write the checkpoint to FILE (it holds no evidence) to hand "
                            "to someone you trust")
    passwd = subcommand(
        sub, "passwd", "change the passphrase",
        "Change the vault's passphrase. The recovery code stays the same. Copies of "
        "vault.keys made before the change (in backups, say) still open the vault with the "
        "old passphrase; if someone may know it, add --rotate-key.", cmd_passwd,
        epilog=f"At a terminal both are asked for. Scripts give the current one in "
        f"${PASSPHRASE_ENV} (or --passphrase-file) and the new one in "
        f"${NEW_PASSPHRASE_ENV}.")
    passwd.add_argument("--rotate-key", action="store_true",
                        help="also re-encrypt the vault under a new key and issue a new "
                        "recovery code, so no earlier copy of vault.keys opens it: do this "
                        "when the old passphrase may be known to someone")
    recovery = subcommand(sub, "recovery-code", "issue a new recovery code",
                          "Issue a new recovery code; the old one stops opening this vault.",
                          None)
    recovery.add_argument("--new", action="store_true", required=True,
                          help="issue a new recovery code and show it once")
    recovery.set_defaults(handler=cmd_recovery_code)
    subcommand(sub, "recover", "set a new passphrase using the recovery code",
               "Forgot the passphrase? Set a new one with the recovery code you wrote down "
               "when the vault was made.", cmd_recover,
               epilog=f"At a terminal both are asked for. Scripts give the code in "
               f"${RECOVERY_CODE_ENV} and the new passphrase in ${NEW_PASSPHRASE_ENV}.")
    backup = subcommand(sub, "backup", "copy the vault consistently to a new folder",
                        "Copy the vault, consistently, to a new folder. The copy opens with "
                        "the same passphrase and recovery code.", cmd_backup)
    backup.add_argument("dest", type=Path, metavar="DEST",
                        help="the new folder for the copy (it must not exist yet)")


def cmd_init(session: Session) -> int:
    from evidence_kit.core.vault import Vault

    passphrase = new_passphrase(PASSPHRASE_ENV, "Choose a passphrase: ",
                                session.args.passphrase_file)
    vault, code = Vault.create(session.folder, passphrase, kdf=kdf_from_environment()())
    with vault:
        out(f"Created a vault in {session.folder}")
        out(f"Key fingerprint: {vault.key_fingerprint}")
    out()
    out("Your recovery code (shown only this once):")
    out()
    out(f"    {code}")
    out()
    out("Write it on paper and keep it somewhere safe, away from this computer. It is the only")
    out("way back in if you forget your passphrase; nobody, including us, can recover it.")
    return 0


def cmd_verify(session: Session) -> int:
    from evidence_kit.core.held import check_held, read_note

    args = session.args
    note = read_note(args.against) if args.against is not None else None
    with session.open() as vault:
        report = vault.verify()
        fingerprint = vault.key_fingerprint
        held = check_held(vault, note) if note is not None else None
    ok = report.ok and (held is None or held.extends)
    if args.json:
        result = {"ok": ok, **dataclasses.asdict(report)}
        if held is not None:
            result["against"] = {"file": str(args.against), **dataclasses.asdict(held)}
        json_out(result)
    else:
        out(wording.vault_check_text(report))
        for line in wording.vault_time_notes(report):
            out(line)
        if held is not None:
            out(held.message)
        out(f"Signing key fingerprint: {fingerprint}")
    return 0 if ok else 1


_HAND_OVER = ("This signed checkpoint fixes the journal as it is now. Give a copy to someone "
              "you trust (your DSL, say): anyone holding it can later check that nothing "
              "recorded before it was changed or removed (verify --against FILE).")


def cmd_checkpoint(session: Session) -> int:
    from evidence_kit.core.held import write_checkpoint

    target = session.args.out
    with session.open() as vault:
        info = vault.checkpoint() if target is None else write_checkpoint(vault, target)
    if target is None:
        sys.stdout.write(info.note)
        sys.stderr.write(_HAND_OVER + "\n")
    else:
        out(f"Checkpoint of {info.tree_size} events written to {target}.")
        out(_HAND_OVER)
    return 0


def cmd_passwd(session: Session) -> int:
    from evidence_kit.core.vault import Vault

    vault, current = session.open_with(
        lambda passphrase: (Vault.open(session.folder, passphrase,
                                       wait_seconds=LOCK_WAIT_SECONDS), passphrase))
    session.opened(vault)
    with vault:
        new = new_passphrase()
        if not session.args.rotate_key:
            vault.change_passphrase(current, new)
            out("Passphrase changed. The old one no longer opens this copy of vault.keys, "
                "but backups and copies of vault.keys made before today still open with the "
                "old passphrase.")
            out("If someone may know the old passphrase, run 'evidence-kit passwd "
                "--rotate-key' to re-encrypt the vault under a new key.")
            return 0
        code = vault.rotate_key(current, new)
    out("Passphrase changed and the vault re-encrypted under a new key: no copy of "
        "vault.keys made before now opens it, with the old passphrase or the old recovery "
        "code. Backups made before now are copies of the old vault and still open with "
        "those; delete them if they may be in the wrong hands, and make a new backup.")
    _show_recovery_code(code)
    return 0


def _show_recovery_code(code: str) -> None:
    out()
    out("Your new recovery code (shown only this once; the old one no longer works):")
    out()
    out(f"    {code}")
    out()
    out("Write it on paper and keep it somewhere safe, away from this computer.")


def cmd_recovery_code(session: Session) -> int:
    from evidence_kit.core.vault import Vault

    vault, current = session.open_with(
        lambda passphrase: (Vault.open(session.folder, passphrase,
                                       wait_seconds=LOCK_WAIT_SECONDS), passphrase))
    with vault:
        code = vault.replace_recovery_code(current)
    out("A new recovery code is set. The old code no longer opens this copy of vault.keys; "
        "backups and copies of vault.keys made before today still open with it (use "
        "'evidence-kit passwd --rotate-key' to end that).")
    _show_recovery_code(code)
    return 0


def cmd_recover(session: Session) -> int:
    from evidence_kit.core.vault import Vault

    code = recovery_code()
    new = new_passphrase()
    attempts = PROMPT_TRIES if recovery_code_prompted() else 1
    for attempt in range(1, attempts + 1):
        try:
            with Vault.recover(session.folder, code, new):
                pass
            break
        except WrongPassphrase as exc:
            if attempt == attempts:
                raise
            tell(f"{exc} Try again.")
            code = recovery_code()
    out("The recovery code worked and your new passphrase is set.")
    return 0


def cmd_backup(session: Session) -> int:
    with session.open() as vault:
        shown = len(vault.notices)
        dest = vault.backup(session.args.dest)
        for notice in vault.notices[shown:]:
            tell(notice)
    out(f"Backup written to {dest}. It opens with the same passphrase and recovery code.")
    return 0
