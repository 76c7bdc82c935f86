"""What a killed command leaves behind, cleaned on the next run, with a word to the user.

* ``passwd`` (and anything else that rewrites ``vault.keys`` or ``vault.head``) writes
  ``.vault.keys.XXXX.partial`` and renames it into place: a kill before the rename
  leaves the partial file, and the old ``vault.keys`` still in force.
* ``backup DEST`` builds the copy in a hidden ``.DEST.XXXX`` folder beside DEST and
  renames it when complete: a kill leaves that folder. Before building it, the backup
  writes ``.backup-staging`` in the vault folder naming it, and signs the folder itself
  with :data:`STAGING_SIGN`, so only a folder we made is ever removed.

Cleaning runs once the vault's lock is held, so the process that left them is gone.
The leftovers hold only encrypted pages and wrapped keys, never decrypted evidence.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

from evidence_kit.core.fsutil import atomic_write, unfinished

PENDING_BACKUP = ".backup-staging"
STAGING_SIGN = ".evidence-kit-backup"
_PARTIALS = {"vault.keys": "a change of passphrase or keys",
             "vault.head": "a checkpoint"}


def clean(folder: Path) -> list[str]:
    """Remove leftovers of killed commands; one sentence per kind removed."""
    said: list[str] = []
    for name, what in _PARTIALS.items():
        found = unfinished(folder / name)
        for path in found:
            with contextlib.suppress(OSError):
                path.unlink()
        if found and name == "vault.keys":
            said.append(f"An earlier {what} was stopped part-way and left an unfinished "
                        f"copy of {name}; it was removed. {name} itself was never half "
                        "written: the passphrase that just opened the vault is the one "
                        "in force.")
    said += _clean_backup(folder)
    return said


def _clean_backup(folder: Path) -> list[str]:
    marker = folder / PENDING_BACKUP
    try:
        staging = Path(json.loads(marker.read_text("utf-8"))["staging"])
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError):
        staging = None
    said = []
    if staging is not None and is_staging(staging):
        shutil.rmtree(staging, ignore_errors=True)
        said.append(f"An earlier backup was stopped part-way and left an unfinished copy "
                    f"in {staging}; it was removed. Make the backup again.")
    with contextlib.suppress(OSError):
        marker.unlink()
    return said


def is_staging(path: Path) -> bool:
    """A hidden folder a backup of ours was built in (signed, or still empty)."""
    try:
        return (path.is_dir() and not path.is_symlink() and path.name.startswith(".")
                and ((path / STAGING_SIGN).is_file() or not any(path.iterdir())))
    except OSError:
        return False


def backup_started(folder: Path, staging: Path) -> None:
    (staging / STAGING_SIGN).touch(mode=0o600)
    atomic_write(folder / PENDING_BACKUP, json.dumps({"staging": str(staging)}).encode())


def backup_ended(folder: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (folder / PENDING_BACKUP).unlink()


def sweep_beside(dest: Path) -> list[str]:
    """Unfinished copies of earlier backups to the same place (their marker was lost
    with another vault folder, or the kill came before it was written)."""
    said = []
    for path in dest.parent.glob(f".{dest.name}.*"):
        if is_staging(path):
            shutil.rmtree(path, ignore_errors=True)
            said.append(f"An unfinished earlier backup, {path}, was removed.")
    return said
