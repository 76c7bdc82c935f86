"""Text reading benchmark: a 1080p capture's text read and recorded; search over 10,000.

Reading: Evidence Kit's whole path (``ocr.read_item``: the picture read from the vault,
checked, decoded, read by Tesseract with six languages, the text stored and indexed as
an event) against the floor of the same work, Tesseract alone on the decoded pixels
through the same warm engine. The ``tesseract`` program fed over stdin/stdout (how
``pytesseract`` works, less its temporary files) is timed beside them. Goal: ≤ 2 s.

Search: a vault holding the text of ``--items`` pictures (about 130 words each, in
English, Welsh, Polish, Urdu, Chinese and emoji); ``Vault.find_text`` for common,
rare, several, Urdu and two-character Chinese words, against the floor of one
FTS5 query for the same words (whole, not as prefixes) on the same keyed connection. Goal: ≤ 100 ms.

    python tests/bench/ocr_bench.py [--items N] [--rounds R]
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from PIL import Image

from evidence_kit.capture import ocr
from evidence_kit.core import keys, texts
from evidence_kit.core.vault import NewItem, Vault
from tests.capture.chat_pictures import POST, URDU, chat

LINES = (*POST, "Reply from @sam_k: you should all go round there tonight",
         "@parent_of_two: I heard she was shouting at the children again",
         "Seen by 41 · Shared 12 times")


def capture_1080p() -> bytes:
    return chat(LINES + LINES[:5], size=(1920, 1080), rtl=URDU)


def median_time(work: object, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_reading(folder: Path, rounds: int) -> None:
    data = capture_1080p()
    reader = ocr.engine()
    started = time.perf_counter()
    reader.read(data)  # loads the six languages once, as the app's first reading does
    load = time.perf_counter() - started
    with Image.open(io.BytesIO(data)) as opened:
        pixels = opened.convert("RGB")
    api = reader._ready()

    def floor() -> None:
        with reader._lock:
            api.SetImage(pixels)
            api.GetUTF8Text()
            api.Clear()

    vault, _ = Vault.create(folder / "vault", "bench", kdf=keys.FLOOR_PARAMS)
    with vault:
        ids = [vault.add_item(NewItem(data=data, name=f"c{n}.png", media_type="image/png",
                                      method="capture")).id for n in range(rounds)]
        queue = iter(ids)
        ours = median_time(lambda: ocr.read_item(vault, next(queue), reader), rounds)
    raw = median_time(floor, rounds)
    cli = None
    program = shutil.which("tesseract")
    if program is not None:
        langs = "+".join(reader.languages)
        cli = median_time(lambda: subprocess.run(
            [program, "stdin", "stdout", "-l", langs], input=data, capture_output=True,
            check=True), max(1, rounds // 2))
    print(f"1080p capture, {reader.version}, languages {'+'.join(reader.languages)}")
    print(f"  first reading loads the languages: {load:.2f} s (once per app session)")
    print(f"  floor (Tesseract on the pixels): {raw:.2f} s")
    print(f"  Evidence Kit read_item:          {ours:.2f} s  ({ours / raw:.2f}× the floor; "
          f"goal ≤ 2 s)")
    if cli is not None:
        print(f"  tesseract program over stdin:    {cli:.2f} s  ({cli / raw:.2f}× the floor)")


_LATIN_WORDS = ("everyone knows where she lives avenue street tonight school teacher "
                "parents group comment reply shared liked people hours ago disgusting "
                "sacked report police shouting children class year dw i'n gwybod ble mae "
                "hi'n byw athrawes wszyscy wiedzą gdzie ona mieszka groźba")
_URDU_WORDS = "یہ پیغام دھمکی آمیز ہے سب جانتے ہیں کہ وہ کہاں رہتی"
VOCAB_LATIN = _LATIN_WORDS.split(" ")
VOCAB_OTHER = (_URDU_WORDS.split(" ")
               + list("我知道你住在哪里今晚见老师学校家长") + ["😡", "🔪", "👩🏽‍🏫"])


def bench_search(folder: Path, count: int, rounds: int) -> None:
    rng = random.Random(16)
    vault, _ = Vault.create(folder / "search", "bench", kdf=keys.FLOOR_PARAMS)
    with vault:
        conn = vault.conn
        started = time.perf_counter()
        conn.execute("BEGIN")
        for item_id in range(1, count + 1):
            words = [rng.choice(VOCAB_LATIN) for _ in range(110)]
            words += [rng.choice(VOCAB_OTHER) for _ in range(20)]
            words.append(f"ref{item_id:05d}")
            texts.index(conn, item_id, " ".join(words))
        conn.execute("COMMIT")
        built = time.perf_counter() - started
        print(f"search over the text of {count:,} items (index built in {built:.1f} s)")
        queries = {
            "a common word": ["everyone"],
            "a rare word": [f"ref{count // 2:05d}"],
            "three words": ["gdzie", "avenue", "tonight"],
            "Urdu": ["پیغام"],
            "two Chinese characters": ["今晚"],
        }
        for label, words in queries.items():
            phrase = " AND ".join(f'"{texts.spaced(w).strip()}"' for w in words)

            def floor(phrase: str = phrase) -> None:
                conn.execute("SELECT rowid FROM item_text_index WHERE item_text_index "
                             "MATCH ?", (phrase,)).fetchall()

            raw = median_time(floor, rounds)
            ours = median_time(lambda words=words: vault.find_text(words), rounds)
            hits = len(vault.find_text(words))
            print(f"  {label:34s} {hits:6,} hits  floor {raw * 1000:6.1f} ms  "
                  f"find_text {ours * 1000:6.1f} ms  ({ours / raw:.2f}×; goal ≤ 100 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_reading(folder, args.rounds)
        bench_search(folder, args.items, args.rounds)


if __name__ == "__main__":
    main()
