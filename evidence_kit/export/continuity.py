"""Which records of an exhibit's extractions and exports may go into a bundle.

A recipient checking continuity would like every record that touched an exhibit; but
an extraction's record names the file it was written to and an export's the folder the
pack went to, which describe the producer's computer, and an export's record names the
items of other packs, which may belong to other incidents. Those records stay hashes
only and the pack tells them in words, with the reason.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from evidence_kit.core.model import Event

# Keys whose values are places on the producer's computer (older and current records).
_MACHINE_KEYS = ("to", "folder", "path", "original_path", "source")
NAMES_A_FOLDER = "its record names a folder on the producer's computer"
NAMES_OTHER_ITEMS = "its record names items that are not in this pack"


def _looks_like_path(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    return value.startswith(("/", "\\\\", "~")) or (len(value) > 2 and value[1] == ":"
                                                    and value[2] in "\\/")


def withheld_reason(event: Event, pack_items: Collection[int]) -> str | None:
    """Why this record is not disclosed, or None when it holds nothing private."""
    payload = event.payload
    if any(key in payload for key in _MACHINE_KEYS) or any(
            _looks_like_path(v) for v in payload.values()):
        return NAMES_A_FOLDER
    named = payload.get("items")
    if isinstance(named, list) and not _all_in(named, pack_items):
        return NAMES_OTHER_ITEMS
    return None


def _all_in(named: list[Any], pack_items: Collection[int]) -> bool:
    # An export's record names every item it carried: checked once per exhibit, so a
    # set's own test rather than a loop in Python (500 × 500 for a 500-exhibit pack).
    if isinstance(pack_items, set | frozenset):
        try:
            return pack_items.issuperset(named)
        except TypeError:  # something unhashable in a record: compare one by one
            pass
    return all(i in pack_items for i in named)
