"""Bringing files into the vault: the one path the command line and the app both use.

Each file is read once, hashed at once, checked, described and stored; a bad file is
reported by name and the rest carry on. Qt-free.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_kit.core import media
from evidence_kit.core.errors import BadInput, FileProblem
from evidence_kit.core.model import Item
from evidence_kit.core.vault import MAX_ITEM_BYTES, NewItem, Vault, file_time_reported


@dataclass(frozen=True)
class ImportOptions:
    incident: int | None = None
    url: str | None = None
    note: str | None = None
    account: str | None = None
    description: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class ImportProblem:
    path: str
    message: str


@dataclass(frozen=True)
class ImportReport:
    added: tuple[Item, ...] = ()
    problems: tuple[ImportProblem, ...] = field(default_factory=tuple)


ImportProgress = Callable[[int, int, str], None]


def display_name(path: Path) -> tuple[str, str | None]:
    """The file name as text, plus its raw bytes in hex when they are not valid UTF-8."""
    raw = os.fsencode(path.name)
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), raw.hex()


def read_evidence_file(path: Path) -> bytes:
    """Read a file to add, turning every way it can fail into one plain sentence."""
    shown = os.fsdecode(path).encode("utf-8", "replace").decode("utf-8")
    try:
        if path.is_dir():
            raise FileProblem(f"{shown} is a folder, not a file.")
        size = path.stat().st_size
        if size > MAX_ITEM_BYTES:
            raise FileProblem(
                f"{shown} is larger than {MAX_ITEM_BYTES // (1024 * 1024)} MB; it was not added."
            )
        with open(path, "rb") as handle:
            data = handle.read(MAX_ITEM_BYTES + 1)
    except FileNotFoundError:
        raise FileProblem(f"{shown} was not found.") from None
    except PermissionError:
        raise FileProblem(f"{shown} could not be read: permission denied.") from None
    except IsADirectoryError:
        raise FileProblem(f"{shown} is a folder, not a file.") from None
    except OSError as exc:
        raise FileProblem(f"{shown} could not be read: {exc.strerror or exc}.") from None
    if len(data) > MAX_ITEM_BYTES:
        raise FileProblem(f"{shown} grew while it was read; it was not added.")
    return data


def sniff(data: bytes, name: str) -> tuple[str, dict[str, Any]]:
    """Media type and facts reported by the file. Images must decode, whole."""
    if media.looks_like_image(data):
        facts = media.check_image(data, name)
        return facts.media_type, {"width": facts.width, "height": facts.height}
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream", {}


def url_record(url: str | None) -> dict[str, Any] | None:
    if url is None:
        return None
    from evidence_kit.capture.urls import check_url

    check = check_url(url)
    return {"text": check.text, "valid": check.valid, "flags": list(check.flags)}


def import_file(vault: Vault, path: Path, options: ImportOptions) -> Item:
    path = Path(path)
    data = read_evidence_file(path)
    sha256 = hashlib.sha256(data).hexdigest()
    name, name_hex = display_name(path)
    if not data:
        raise FileProblem(f"{name} is empty; there is nothing to keep.")
    media_type, reported = sniff(data, name)
    details: dict[str, Any] = {
        "reported_by_file": reported,
        "file_modified_reported": file_time_reported(path),
    }
    if name_hex is not None:
        details["name_bytes_hex"] = name_hex
    thumb = media.thumbnail_png(data) if media_type.startswith("image/") else None
    return vault.add_item(NewItem(
        data=data, name=name, media_type=media_type, method="import",
        incident=options.incident, url=url_record(options.url),
        account=options.account, description=options.description, category=options.category,
        note=options.note, details=details, expected_sha256=sha256, thumbnail=thumb,
    ))


def import_files(
    vault: Vault, paths: Sequence[Path], options: ImportOptions,
    progress: ImportProgress | None = None,
) -> ImportReport:
    added: list[Item] = []
    problems: list[ImportProblem] = []
    for index, path in enumerate(paths, start=1):
        shown = os.fsdecode(path).encode("utf-8", "replace").decode("utf-8")
        if progress is not None:
            progress(index - 1, len(paths), shown)
        try:
            added.append(import_file(vault, Path(path), options))
        except BadInput as exc:  # vault or disk failures stop the whole import instead
            problems.append(ImportProblem(shown, str(exc)))
    if progress is not None:
        progress(len(paths), len(paths), "")
    return ImportReport(tuple(added), tuple(problems))
