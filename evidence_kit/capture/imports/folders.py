"""Walking the folders the user chose, apart from describing any one file."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from evidence_kit.core.errors import FileProblem

JUNK_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store", "icon\r"})
JUNK_DIRS = frozenset({"__macosx", ".spotlight-v100", ".trashes", ".fseventsd", ".git"})


def _is_junk(path: Path) -> bool:
    name = path.name.lower()
    return name in JUNK_NAMES or name.startswith(".")


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    try:
        entries = sorted(folder.iterdir(), key=lambda p: (p.name.casefold(), p.name))
    except OSError as exc:
        # Skipping it silently could lose evidence the user believes was added.
        raise FileProblem(
            f"The folder {folder} could not be opened ({exc.strerror or exc}); nothing was "
            "added from it."
        ) from exc
    for entry in entries:
        if _is_junk(entry) or entry.name.lower() in JUNK_DIRS:
            continue
        # Symlinked folders are skipped: they can loop, or lead outside what was chosen.
        if entry.is_dir() and not entry.is_symlink():
            found.extend(_walk(entry))
        elif entry.is_file():
            found.append(entry)
    return found


def iter_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files to import: files as given, folders expanded (sorted, junk skipped).

    A file named explicitly is kept even if hidden (the user chose it), and so is a
    path that does not exist or is not a regular file: reading it is where the
    per-file loop reports it by name without stopping the others. Duplicates (the
    same file reached twice) are listed once, at their first place. Raises
    :class:`FileProblem` only for a folder that cannot be listed.
    """
    result: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        found = _walk(path) if path.is_dir() else [path]
        for item in found:
            key = item.resolve()
            if key not in seen:
                seen.add(key)
                result.append(item)
    return result
