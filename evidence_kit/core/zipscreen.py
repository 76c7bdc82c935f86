"""One screen for every ZIP we open, with two policies for the two kinds of ZIP we meet.

*Strict* is for evidence bundles handed to a recipient (``verify-bundle``): a bundle
is something we wrote, so anything a bundle never holds (a path that climbs out, a
link, a folder, a duplicate or encrypted entry, an odd compression method, absurd sizes
or a zip-bomb ratio) refuses the whole archive before one member is read, and so does
any layout but one plain archive from the first byte to the last (see :mod:`.zipwalk`:
otherwise two unzip tools can show two different packs from one file).

*Lenient* is for the user's own ZIPs (a WhatsApp chat export): those are evidence
and are kept whatever they hold, so nothing refuses the archive; a member that could
exhaust memory is only marked as not to be read, and the reason becomes a note.

Names are decoded here too: a member without the UTF-8 flag is read as the program
that wrote it meant (the Info-ZIP Unicode path field, else UTF-8 when the bytes are
valid UTF-8, as macOS and Linux tools write, else cp437, the ZIP default).
"""

from __future__ import annotations

import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from evidence_kit.core import zipwalk
from evidence_kit.core.errors import BadInput

_UTF8_FLAG = 0x800
_UNICODE_PATH_FIELD = 0x7075


class ZipRefused(BadInput):
    """A ZIP the strict policy will not read; the message says which entry and why."""


@dataclass(frozen=True)
class ZipPolicy:
    refuse: bool
    """True: the first problem refuses the archive. False: problems are only noted."""
    max_entries: int
    max_member_bytes: int
    """The largest member that will be read."""
    max_total_bytes: int
    max_ratio: int
    ratio_floor: int
    """Members below this size may compress well without being bombs."""
    too_big: str
    """How a member over ``max_member_bytes`` is described."""
    exact_layout: bool = False
    """Refuse folders and any bytes but one archive's, walked over the raw file."""


STRICT = ZipPolicy(refuse=True, max_entries=50_000,
                   max_member_bytes=600 * 1024**2,  # the largest item a vault takes is 512 MB
                   max_total_bytes=16 * 1024**3,
                   max_ratio=150,  # text compresses ~10×; screenshots are stored; bombs 1000×+
                   ratio_floor=1024 * 1024, too_big="more than any exhibit can be",
                   exact_layout=True)
LENIENT = ZipPolicy(refuse=False, max_entries=200_000,
                    max_member_bytes=64 * 1024**2,  # years of WhatsApp text is a few MB
                    max_total_bytes=16 * 1024**3,
                    max_ratio=200, ratio_floor=1024 * 1024,
                    too_big="far more than any real chat export")


@dataclass(frozen=True)
class Member:
    name: str
    """The name as its writer meant it (see :func:`member_name`)."""
    info: zipfile.ZipInfo
    unreadable: str | None = None
    """Lenient policy only: why this member will not be read, or None."""


@dataclass(frozen=True)
class Screening:
    entries: int
    """Every entry in the archive, folders included."""
    members: tuple[Member, ...]
    """The files (not folders) screened, in archive order."""
    notes: tuple[str, ...] = ()

    def readable(self) -> dict[str, zipfile.ZipInfo]:
        """Members that may be read, by the name zipfile gives them."""
        return {m.info.filename: m.info for m in self.members if m.unreadable is None}


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as the program that wrote it would show it."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    # zipfile decoded the raw bytes as cp437, which maps every byte: this is lossless.
    raw = info.orig_filename.encode("cp437")
    unicode_path = _unicode_path_field(info.extra, raw)
    if unicode_path is not None:
        return unicode_path
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return info.filename


def _unicode_path_field(extra: bytes, raw: bytes) -> str | None:
    pos = 0
    while pos + 4 <= len(extra):
        kind, size = struct.unpack("<HH", extra[pos:pos + 4])
        body = extra[pos + 4:pos + 4 + size]
        pos += 4 + size
        if kind != _UNICODE_PATH_FIELD or len(body) < 5 or body[0] != 1:
            continue
        # The field carries the CRC of the name it stands for: a stale one is ignored.
        (crc,) = struct.unpack("<I", body[1:5])
        if crc != zlib.crc32(raw):
            return None
        try:
            return body[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def bad_name(name: str) -> str | None:
    """Why a member name could lead outside a folder it was extracted to, or None."""
    if not name or "\x00" in name:
        return "has an empty or binary name"
    if "\\" in name:
        return "uses backslashes in its path"
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "has an absolute path"
    parts = PurePosixPath(name).parts
    if any(part == ".." for part in parts):
        return "climbs out of the folder with '..'"
    if any(part in ("", ".") for part in name.rstrip("/").split("/")):
        return "has an empty or '.' path part"
    return None


def _size_problem(info: zipfile.ZipInfo, policy: ZipPolicy) -> str | None:
    if info.file_size > policy.max_member_bytes:
        return f"claims {info.file_size:,} bytes, {policy.too_big}"
    if (info.file_size > policy.ratio_floor
            and info.file_size > policy.max_ratio * max(info.compress_size, 1)):
        return (f"would expand {info.file_size:,} bytes from {info.compress_size:,} "
                "(a 'zip bomb')")
    return None


def screen(archive: zipfile.ZipFile, policy: ZipPolicy) -> Screening:
    """Screen every entry before any is read; raises :class:`ZipRefused` only if strict."""
    infos = archive.infolist()
    notes: list[str] = []
    if len(infos) > policy.max_entries:
        if policy.refuse:
            raise ZipRefused(f"it has {len(infos):,} entries, more than any bundle has")
        notes.append(f"The archive has {len(infos):,} entries; only the first "
                     f"{policy.max_entries:,} were looked at.")
    members: list[Member] = []
    seen_folded: set[str] = set()
    total = 0
    for info in infos[:policy.max_entries]:
        problem = _strict_problem(info, seen_folded) if policy.refuse else None
        if problem is not None:
            raise ZipRefused(problem)
        if info.is_dir():
            continue
        unreadable = _size_problem(info, policy)
        if unreadable is None and info.flag_bits & 0x1:
            unreadable = "is encrypted"
        if unreadable is not None and policy.refuse:
            raise ZipRefused(f"the entry {info.filename!r} {unreadable}")
        total += info.file_size
        if total > policy.max_total_bytes and policy.refuse:
            raise ZipRefused("its entries add up to more than any bundle holds")
        members.append(Member(member_name(info), info, unreadable))
    if policy.exact_layout:
        _check_layout(archive, infos)
    return Screening(len(infos), tuple(members), tuple(notes))


def _check_layout(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    handle = archive.fp
    if handle is None:
        raise ZipRefused("the archive is closed")
    handle.seek(0, 2)
    try:
        walked = zipwalk.walk(handle, handle.tell())  # type: ignore[arg-type]
    except zipwalk.BadStructure as exc:
        raise ZipRefused(str(exc)) from exc
    # What zipfile will read must be what the walk found, member for member.
    if [(e.offset, e.size) for e in walked] != [(i.header_offset, i.file_size) for i in infos]:
        raise ZipRefused("its members are not where its central directory says")


def _strict_problem(info: zipfile.ZipInfo, seen_folded: set[str]) -> str | None:
    name = info.filename
    problem = bad_name(name)
    if problem:
        return f"the entry {name!r} {problem}"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"the entry {name!r} is a link"
    if info.flag_bits & 0x1:
        return f"the entry {name!r} is encrypted"
    if info.is_dir():
        return (f"the entry {name!r} is a folder; bundles hold files only, and unzip tools "
                "would create it")
    folded = name.casefold()
    if folded in seen_folded:
        return f"the name {name!r} appears more than once"
    seen_folded.add(folded)
    if not info.is_dir() and info.compress_type not in (zipfile.ZIP_STORED,
                                                         zipfile.ZIP_DEFLATED):
        return f"the entry {name!r} uses a compression method bundles never use"
    return None
