"""The one-page guide for people who receive an evidence pack (SLT, DSL, police, LADO).

    python packaging/recipient_guide.py          write it
    python packaging/recipient_guide.py --check  exit 1 if it is out of date

It is the bundle's own README.txt: both come from
``evidence_kit.export.instructions.readme_text``, here with the values that differ from
pack to pack (its reference, file names, key fingerprint, checkpoint) replaced by words
saying where to find them. Nothing is copied by hand, so the two cannot drift apart.

Written to ``resources/recipient-guide.txt`` (to print or hand out) and into the
README between the ``recipient-guide`` markers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "resources" / "recipient-guide.txt"
README = ROOT / "README.md"
BEGIN = "<!-- recipient-guide: begin (made by packaging/recipient_guide.py; do not edit) -->"
END = "<!-- recipient-guide: end -->"

# In place of one pack's own values: where the reader finds them in the pack they hold.
PLACEHOLDERS = {
    "pack_id": "EK-… (the reference printed on every page of the PDF)",
    "zip_name": "evidence-pack-….zip",
    "pdf_name": "evidence-pack-….pdf",
    "fingerprint": "(printed on the PDF's cover)",
    "tree_size": "N",
    "root_hex": "(see the PDF's integrity section)",
    "marking": "as marked on the pack",
}


def guide_text() -> str:
    """The bundle README's words for any pack, with LF line ends."""
    sys.path.insert(0, str(ROOT))
    from evidence_kit.export.instructions import readme_text

    text = readme_text(**PLACEHOLDERS)  # type: ignore[arg-type]  # tree_size as words
    return text.replace("\r\n", "\n")


def readme_block(guide: str) -> str:
    return f"{BEGIN}\n```text\n{guide.rstrip()}\n```\n{END}"


def readme_with(readme: str, guide: str) -> str:
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"recipient_guide: README.md has no {BEGIN!r} … {END!r} markers; "
                         "add them where the guide should go")
    return readme[:start] + readme_block(guide) + readme[end + len(END):]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only check that the guide and the README are up to date")
    args = parser.parse_args(argv)
    guide = guide_text()
    readme = README.read_text(encoding="utf-8")
    wanted_readme = readme_with(readme, guide)
    if args.check:
        stale = [path.relative_to(ROOT) for path, ok in (
            (GUIDE, GUIDE.is_file() and GUIDE.read_text(encoding="utf-8") == guide),
            (README, readme == wanted_readme)) if not ok]
        for path in stale:
            print(f"recipient_guide: {path} is out of date; run python "
                  "packaging/recipient_guide.py", file=sys.stderr)
        return 1 if stale else 0
    GUIDE.parent.mkdir(parents=True, exist_ok=True)
    GUIDE.write_text(guide, encoding="utf-8", newline="\n")
    if wanted_readme != readme:
        README.write_text(wanted_readme, encoding="utf-8", newline="\n")
    print(f"{GUIDE.relative_to(ROOT)}\n{README.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
