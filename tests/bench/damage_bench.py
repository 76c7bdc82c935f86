"""What the page check before a command's first write costs, against the raw floor.

A command that only appends (``note``, ``add``, ``capture``) checks every page of
vault.db before its first write, up to ``damage.FULL_CHECK_LIMIT`` (core/damage.py). The
floor is reading the same file and computing one HMAC-SHA512 per 4096-byte page (what
SQLCipher's page authentication costs at the least); the figure is the time of
``note`` in a fresh process's vault with and without the check.

    python tests/bench/damage_bench.py [--megabytes N]
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import tempfile
import time
from pathlib import Path

from evidence_kit.core import damage, keys
from evidence_kit.core.vault import DB_NAME, NewItem, Vault

PASSPHRASE = "bench passphrase words"


def floor(db: Path) -> float:
    key = os.urandom(64)
    started = time.perf_counter()
    with open(db, "rb") as handle:
        while page := handle.read(4096):
            hmac.new(key, page, hashlib.sha512).digest()
    return time.perf_counter() - started


def first_write(folder: Path, check: bool) -> float:
    with Vault.open(folder, PASSPHRASE) as vault:
        vault.check_pages_before_writing = check
        started = time.perf_counter()
        vault.add_note("bench")
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "vault"
        vault, _ = Vault.create(folder, PASSPHRASE, kdf=keys.FLOOR_PARAMS)
        with vault:
            for n in range(args.megabytes):
                vault.add_item(NewItem(os.urandom(1 << 20), f"{n}.bin",
                                       "application/octet-stream"))
        size = (folder / DB_NAME).stat().st_size
        floor(folder / DB_NAME)  # warm the page cache, as a command run after another
        raw = min(floor(folder / DB_NAME) for _ in range(3))
        without = min(first_write(folder, False) for _ in range(3))
        checked = min(first_write(folder, True) for _ in range(3))
        print(f"vault.db {size / 1e6:.0f} MB (limit {damage.FULL_CHECK_LIMIT / 1e6:.0f} MB)")
        print(f"floor: read + HMAC-SHA512 per page   {raw * 1000:7.0f} ms "
              f"({size / raw / 1e6:.0f} MB/s)")
        print(f"first write, structure check only    {without * 1000:7.0f} ms")
        print(f"first write, every page checked      {checked * 1000:7.0f} ms "
              f"({(checked - without) / raw:.2f}x the floor for the check)")


if __name__ == "__main__":
    main()
