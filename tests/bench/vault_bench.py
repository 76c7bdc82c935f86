"""Vault benchmark: adding 1 MB items and verifying, against the raw floor of the same work.

The floor is measured in the same run, on the same disk: SHA-256 of the bytes plus one
keyed SQLCipher insert (committed, synchronous=FULL, WAL) for adding, and one keyed read
plus SHA-256 for verifying. Goals: add ≤ 1.25× the floor; verify ≥ 80 % of its throughput.

    python tests/bench/vault_bench.py [--items N] [--size BYTES]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import tempfile
import time
from pathlib import Path

from evidence_kit.core import keys, store
from evidence_kit.core.vault import NewItem, Vault


def floor(folder: Path, payloads: list[bytes]) -> tuple[list[float], float]:
    key = os.urandom(32)
    conn = store.connect(folder / "floor.db", key, create=True)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, sha TEXT, data BLOB)")
    add_times = []
    for data in payloads:
        started = time.perf_counter()
        digest = hashlib.sha256(data).hexdigest()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (sha, data) VALUES (?, ?)", (digest, data))
        conn.execute("COMMIT")
        add_times.append(time.perf_counter() - started)
    conn.close()
    conn = store.connect(folder / "floor.db", key)  # cold-ish: a new connection, no cache
    started = time.perf_counter()
    total = 0
    for (data,) in conn.execute("SELECT data FROM t ORDER BY id"):
        hashlib.sha256(data).hexdigest()
        total += len(data)
    read_seconds = time.perf_counter() - started
    conn.close()
    return add_times, total / read_seconds


def ours(folder: Path, payloads: list[bytes]) -> tuple[list[float], float]:
    vault, _ = Vault.create(folder / "vault", "bench", kdf=keys.FLOOR_PARAMS)
    add_times = []
    with vault:
        for n, data in enumerate(payloads):
            started = time.perf_counter()
            vault.add_item(NewItem(data=data, name=f"item{n}.bin",
                                   media_type="application/octet-stream"))
            add_times.append(time.perf_counter() - started)
    with Vault.open(folder / "vault", "bench") as vault:
        started = time.perf_counter()
        report = vault.verify()
        seconds = time.perf_counter() - started
        assert report.ok, report.failures
    return add_times, report.bytes_checked / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args()
    payloads = [os.urandom(args.size) for _ in range(args.items)]
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        folder = Path(tmp)
        # Interleave two rounds so a noisy neighbour hurts both sides alike.
        f_add, f_read = floor(folder, payloads)
        o_add, o_verify = ours(folder, payloads)
        (folder / "floor.db").unlink()
        f_add2, f_read2 = floor(folder, payloads)
    floor_add = statistics.median(f_add + f_add2) * 1000
    our_add = statistics.median(o_add) * 1000
    floor_read = max(f_read, f_read2) / 1e6
    our_verify = o_verify / 1e6
    print(f"items: {args.items} × {args.size:,} bytes")
    print(f"add     floor {floor_add:7.2f} ms/item   ours {our_add:7.2f} ms/item   "
          f"ratio {our_add / floor_add:4.2f}×  (goal ≤ 1.25×)")
    print(f"verify  floor {floor_read:7.1f} MB/s      ours {our_verify:7.1f} MB/s      "
          f"ratio {our_verify / floor_read:4.0%}  (goal ≥ 80 %)")


if __name__ == "__main__":
    main()
