"""The private folder a pack is built in, named for its owner, and cleaned after a crash.

A pack is built in ``.evidence-kit-export-<pid>-<token>-…/`` inside the folder the user
chose (never the system's temporary folder: it holds decrypted evidence, and a rename
into place must not cross disks). The token is the owning process's start time (and,
on Linux, the boot it started in), so a reused pid is not taken for the owner.

Before the folder is made it is written in the vault's settings (encrypted, outside
the journal); the exporter removes the entry when it is done. A process killed in
between leaves the entry, so the next opening of the vault finds the folder again
(:func:`cleanup_stale`, called by the command line and the app) and, if its owner is
gone, removes it and tells the user.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

STAGING_PREFIX = ".evidence-kit-export-"
REGISTRY_KEY = "export.stagings"
_OWNED = re.compile(re.escape(STAGING_PREFIX) + r"(\d+)-([0-9a-f]+)-")


class _Settings(Protocol):
    read_only: bool

    def setting(self, key: str, default: str | None = None) -> str | None: ...
    def set_setting(self, key: str, value: str) -> None: ...


@dataclass(frozen=True)
class Owner:
    pid: int
    token: str


def _linux_token(pid: int) -> str | None:
    """Boot id and start time (clock ticks since boot) of ``pid``, or None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and brackets: count from the last ")".
    fields = stat[stat.rfind(")") + 2:].split()
    return f"{boot.replace('-', '')[:8]}{int(fields[19]):x}"


_OWN_TOKEN: str | None = None


def this_process() -> Owner:
    global _OWN_TOKEN
    if _OWN_TOKEN is None:
        _OWN_TOKEN = _linux_token(os.getpid()) or os.urandom(6).hex()
    return Owner(os.getpid(), _OWN_TOKEN)


def is_alive(owner: Owner) -> bool:
    if owner == this_process():
        return True
    if owner.pid <= 0:
        return False
    if Path("/proc/self/stat").exists():
        return _linux_token(owner.pid) == owner.token
    if os.name != "posix":
        # A staging of another process is only found once that process has let go of
        # the vault (the folder lock), so without a way to ask we take it for gone.
        return False
    try:
        os.kill(owner.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True  # alive under that pid; without /proc its start time cannot be read


def owner_of(folder: Path) -> Owner | None:
    found = _OWNED.match(folder.name)
    return Owner(int(found.group(1)), found.group(2)) if found else None


def _registry(vault: _Settings) -> list[str]:
    try:
        entries = json.loads(vault.setting(REGISTRY_KEY) or "[]")
    except ValueError:
        return []
    return [e for e in entries if isinstance(e, str)] if isinstance(entries, list) else []


def _save(vault: _Settings, entries: list[str]) -> None:
    vault.set_setting(REGISTRY_KEY, json.dumps(sorted(set(entries)), ensure_ascii=False))


def make_staging(vault: _Settings, out_dir: Path) -> Path:
    """Make (and remember) a private folder for one pack in ``out_dir``."""
    me = this_process()
    # mkdtemp's random tail after the owner: a name that exists already cannot be reused.
    planned = os.fsdecode(out_dir.resolve() / f"{STAGING_PREFIX}{me.pid}-{me.token}-")
    _save(vault, [*_registry(vault), planned])
    staging = Path(tempfile.mkdtemp(prefix=Path(planned).name, dir=out_dir))  # 0700
    _save(vault, [*(e for e in _registry(vault) if e != planned), os.fsdecode(staging.resolve())])
    return staging


def release(vault: _Settings, staging: Path) -> None:
    """Remove the folder and forget it (the pack is published, or failed)."""
    shutil.rmtree(staging, ignore_errors=True)
    name = os.fsdecode(staging.resolve())
    with contextlib.suppress(Exception):  # a locked or full vault: cleaned next time
        _save(vault, [e for e in _registry(vault)
                      if e != name and not name.startswith(e)])


def cleanup_stale(vault: _Settings) -> list[str]:
    """Remove the building folders of exports whose process is gone; one notice each."""
    entries = _registry(vault)
    if not entries:
        return []
    candidates: dict[Path, Owner] = {}
    for entry in entries:
        path = Path(entry)
        with contextlib.suppress(OSError):
            for child in path.parent.iterdir():
                owner = owner_of(child)
                if owner is not None and child.is_dir() and child.name.startswith(path.name):
                    candidates[child] = owner
    notices: list[str] = []
    kept: list[str] = []
    for folder, owner in sorted(candidates.items()):
        if is_alive(owner):
            kept.append(os.fsdecode(folder))
            continue
        try:
            shutil.rmtree(folder)
        except OSError as exc:
            kept.append(os.fsdecode(folder))
            notices.append(f"An export that was stopped before it finished left decrypted "
                           f"evidence in {folder}, and it could not be removed "
                           f"({exc.strerror or exc}): delete that folder yourself.")
            continue
        notices.append(f"An export that was stopped before it finished had left decrypted "
                       f"evidence in {folder}; that folder has been removed.")
    for entry in entries:
        owner = owner_of(Path(entry))
        if owner is not None and is_alive(owner) and entry not in kept:
            kept.append(entry)
    if not vault.read_only:
        with contextlib.suppress(Exception):
            _save(vault, kept)
    return notices
