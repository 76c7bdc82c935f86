"""Walking the folders the user chose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evidence_kit.capture.imports import (
    describe,
    iter_files,
)
from evidence_kit.core.errors import BadInput, FileProblem
from tests.capture.imports.samples import (
    ANDROID_CHAT,
    email_bytes,
    jpeg_with_exif,
    png_bytes,
    random_bytes,
    wav_bytes,
)

# --------------------------------------------------------------------------- folders


def test_folders_expand_sorted_without_system_junk(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / ".git").mkdir()
    for name in [
        "b/z.png",
        "b/a.eml",
        "Alpha.txt",
        "alpha2.txt",
        ".DS_Store",
        "Thumbs.db",
        "desktop.ini",
        "._Alpha.txt",
        "__MACOSX/._z.png",
        ".git/config",
    ]:
        (tmp_path / name).write_bytes(b"x")
    assert iter_files([tmp_path]) == [
        tmp_path / "Alpha.txt",
        tmp_path / "alpha2.txt",
        tmp_path / "b" / "a.eml",
        tmp_path / "b" / "z.png",
    ]


def test_files_named_explicitly_are_kept_in_order_once(tmp_path: Path) -> None:
    hidden = tmp_path / ".hidden-note.txt"
    first = tmp_path / "z.txt"
    for path in (hidden, first):
        path.write_bytes(b"x")
    assert iter_files([first, str(hidden), first, tmp_path]) == [first, hidden]


def test_a_missing_path_is_kept_for_the_per_file_loop_to_report(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"x")
    missing = tmp_path / "nope.png"
    assert iter_files([missing, tmp_path]) == [missing, tmp_path / "a.txt"]


def test_a_folder_that_cannot_be_listed_is_a_file_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()

    def refuse(self: Path) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)
    with pytest.raises(FileProblem, match="could not be opened") as caught:
        iter_files([locked])
    assert "locked" in str(caught.value)


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_bytes(b"x")
    (tmp_path / "real" / "loop").symlink_to(tmp_path / "real", target_is_directory=True)
    assert iter_files([tmp_path]) == [tmp_path / "real" / "a.txt"]


def test_a_mixed_folder_reports_bad_files_by_name_and_describes_the_rest(
    tmp_path: Path,
) -> None:
    files = {
        "01 email.eml": email_bytes(),
        "02 empty.png": b"",
        "03 photo.jpg": jpeg_with_exif(),
        "04 truncated.png": png_bytes((200, 200))[:100],
        "05 voicemail.wav": wav_bytes(),
        "06 chat.txt": ANDROID_CHAT.encode(),
        "07 unknown.bin": random_bytes(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    described: dict[str, str] = {}
    refused: dict[str, str] = {}
    for path in iter_files([tmp_path]):
        try:
            described[path.name] = describe(path.read_bytes(), path.name).kind
        except BadInput as exc:
            refused[path.name] = str(exc)

    assert described == {
        "01 email.eml": "email",
        "03 photo.jpg": "image",
        "04 truncated.png": "image",  # kept, with a note: see test_images
        "05 voicemail.wav": "audio",
        "06 chat.txt": "chat",
        "07 unknown.bin": "other",
    }
    assert set(refused) == {"02 empty.png"}
    assert all(name in message for name, message in refused.items())
