"""The exact layout of a ZIP, walked over its raw bytes, for the strict (bundle) policy.

Unzip tools disagree about where a ZIP starts. Python's zipfile and Info-ZIP read the
*last* end record and the central directory it points to; 7-Zip and streaming readers
(bsdtar) read local headers from the first byte. A file holding a forged archive in
front of a genuine one therefore shows different files to different tools, and a check
made with one of them proves nothing about what the recipient opens with another. So a
bundle must be one archive and nothing else, laid out the only way our writer lays it
out::

    local header, data[, data descriptor]   for every member, back to back from byte 0
    central directory                       one entry per member, in the same order
    [ZIP64 end record, ZIP64 locator]       only where sizes or counts need them
    end record                              the last 22 bytes: no comment, nothing after

Each central entry must agree with its local header (name, flags, method, CRC and both
sizes, read from the ZIP64 extra field where a header says 0xFFFFFFFF). Anything else
is refused with a sentence saying what was found; the walk reads headers only, never a
member's data.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

from evidence_kit.core.errors import BadInput

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"
_END = b"PK\x05\x06"
_END64 = b"PK\x06\x06"
_LOCATOR64 = b"PK\x06\x07"
_DESCRIPTOR = b"PK\x07\x08"
_LOCAL_FMT = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL_FMT = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END_FMT = struct.Struct("<4sHHHHIIH")
_END64_FMT = struct.Struct("<4sQHHIIQQQQ")
_LOCATOR64_FMT = struct.Struct("<4sIQI")
_ZIP64_FIELD = 0x0001
_DATA_DESCRIPTOR_FLAG = 0x08
_FULL32, _FULL16 = 0xFFFFFFFF, 0xFFFF
MAX_CENTRAL_BYTES = 64 * 1024**2  # 50,000 entries with long names is under 10 MB


class BadStructure(BadInput):
    """The ZIP is not laid out as one plain archive; the message says how."""


@dataclass(frozen=True)
class Entry:
    name: str
    offset: int
    """Where its local header starts."""
    data_offset: int
    end: int
    """Where the next member must start (after the data and any data descriptor)."""
    compressed_size: int
    size: int
    crc: int
    flags: int
    method: int
    is_dir: bool


def _decode(raw: bytes, flags: int) -> str:
    return raw.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")


def _extra_fields(extra: bytes, where: str) -> dict[int, bytes]:
    fields: dict[int, bytes] = {}
    pos = 0
    while pos + 4 <= len(extra):
        kind, length = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4:pos + 4 + length]
        if len(body) != length:
            break
        fields.setdefault(kind, body)
        pos += 4 + length
    if pos != len(extra):
        raise BadStructure(f"{where} has a malformed extra field")
    return fields


def _zip64_values(fields: dict[int, bytes], wanted: list[str], where: str) -> dict[str, int]:
    """The ZIP64 field's 64-bit values, in the spec's order, for the fields whose 32-bit
    header value is 0xFFFFFFFF."""
    if not wanted:
        return {}
    body = fields.get(_ZIP64_FIELD)
    if body is None:
        raise BadStructure(f"{where} says its sizes are in a ZIP64 field it does not have")
    if len(body) < 8 * len(wanted):
        raise BadStructure(f"{where} has a ZIP64 field too short for its sizes")
    return {name: int(struct.unpack_from("<Q", body, 8 * i)[0])
            for i, name in enumerate(wanted)}


def _read_at(handle: BinaryIO, offset: int, length: int) -> bytes:
    handle.seek(offset)
    data = handle.read(length)
    return data


def _end_record(handle: BinaryIO, size: int) -> tuple[int, int, int, int]:
    """(entries, central size, central offset, where the end records start)."""
    if size < _END_FMT.size:
        raise BadStructure("it is too short to be a ZIP archive")
    tail = _read_at(handle, size - _END_FMT.size, _END_FMT.size)
    if tail[:4] != _END:
        window = _read_at(handle, max(0, size - 65_557), min(size, 65_557))
        at = window.rfind(_END)
        if at >= 0 and at + _END_FMT.size <= len(window):
            comment = struct.unpack_from("<H", window, at + 20)[0]
            after = len(window) - at - _END_FMT.size
            if comment and comment == after:
                raise BadStructure("it has an archive comment, which bundles never have "
                                   "and some tools show as if it were part of the pack")
            raise BadStructure(f"it has {after - comment:,} bytes of data after the ZIP's "
                               "end record")
        raise BadStructure("it has no ZIP end record at its end")
    (_sig, disk, cd_disk, here, entries, cd_size, cd_offset,
     comment) = _END_FMT.unpack(tail)
    if comment:
        raise BadStructure("its end record is malformed")
    if disk or cd_disk or here != entries:
        raise BadStructure("it is one part of a multi-part (spanned) archive")
    start = size - _END_FMT.size
    if _FULL16 in (entries,) or _FULL32 in (cd_size, cd_offset):
        return _zip64_end(handle, start)
    return entries, cd_size, cd_offset, start


def _zip64_end(handle: BinaryIO, end_at: int) -> tuple[int, int, int, int]:
    at = end_at - _LOCATOR64_FMT.size
    locator = _read_at(handle, at, _LOCATOR64_FMT.size) if at >= 0 else b""
    if len(locator) != _LOCATOR64_FMT.size or locator[:4] != _LOCATOR64:
        raise BadStructure("its end record points to a ZIP64 end record that is not there")
    _sig, disk, record_at, disks = _LOCATOR64_FMT.unpack(locator)
    record = _read_at(handle, record_at, _END64_FMT.size)
    if disk != 0 or disks != 1 or len(record) != _END64_FMT.size or record[:4] != _END64:
        raise BadStructure("its ZIP64 end record is missing or malformed")
    (_s, length, _made, _need, this_disk, cd_disk, here, entries, cd_size,
     cd_offset) = _END64_FMT.unpack(record)
    if record_at + 12 + length != at:
        raise BadStructure("there are bytes between its ZIP64 end record and its locator")
    if this_disk or cd_disk or here != entries:
        raise BadStructure("it is one part of a multi-part (spanned) archive")
    return entries, cd_size, cd_offset, record_at


@dataclass(frozen=True)
class _Central:
    raw_name: bytes
    flags: int
    method: int
    crc: int
    compressed_size: int
    size: int
    offset: int


def _central_entries(handle: BinaryIO, entries: int, cd_size: int, cd_offset: int
                     ) -> list[_Central]:
    if cd_size > MAX_CENTRAL_BYTES:
        raise BadStructure("its central directory is far larger than any bundle's")
    data = _read_at(handle, cd_offset, cd_size)
    out: list[_Central] = []
    pos = 0
    while pos < len(data):
        head = data[pos:pos + _CENTRAL_FMT.size]
        if len(head) < _CENTRAL_FMT.size or head[:4] != _CENTRAL:
            raise BadStructure(f"its central directory is damaged after {len(out):,} entries")
        (_sig, _made, _need, flags, method, _time, _date, crc, csize, usize, nlen, xlen,
         clen, disk, _iattr, _eattr, offset) = _CENTRAL_FMT.unpack(head)
        start = pos + _CENTRAL_FMT.size
        raw_name = data[start:start + nlen]
        extra = data[start + nlen:start + nlen + xlen]
        name = _decode(raw_name, flags)
        where = f"the central directory's entry for {name!r}"
        if len(raw_name) + len(extra) != nlen + xlen:
            raise BadStructure(f"{where} runs past the end of the central directory")
        if clen:
            raise BadStructure(f"{where} carries a comment, which bundles never have")
        wanted = [field for field, value in (("size", usize), ("csize", csize),
                                             ("offset", offset)) if value == _FULL32]
        if disk == _FULL16:
            wanted.append("disk")
        big = _zip64_values(_extra_fields(extra, where), wanted, where)
        if big.get("disk", disk):
            raise BadStructure(f"{where} is on another disk of a spanned archive")
        out.append(_Central(raw_name, flags, method, crc, big.get("csize", csize),
                            big.get("size", usize), big.get("offset", offset)))
        pos = start + nlen + xlen + clen
    if len(out) != entries:
        raise BadStructure(f"its end record counts {entries:,} entries but the central "
                           f"directory holds {len(out):,}")
    return out


def _local_entry(handle: BinaryIO, pos: int, central: _Central) -> Entry:
    name = _decode(central.raw_name, central.flags)
    head = _read_at(handle, pos, _LOCAL_FMT.size)
    if len(head) < _LOCAL_FMT.size or head[:4] != _LOCAL:
        raise BadStructure(f"there is no local header for {name!r} where the central "
                           "directory puts it")
    (_sig, _need, flags, method, _time, _date, crc, csize, usize, nlen,
     xlen) = _LOCAL_FMT.unpack(head)
    rest = _read_at(handle, pos + _LOCAL_FMT.size, nlen + xlen)
    raw_name, extra = rest[:nlen], rest[nlen:]
    if len(rest) != nlen + xlen:
        raise BadStructure(f"the local header of {name!r} runs past the end of the file")
    where = f"the local header of {name!r}"
    if raw_name != central.raw_name:
        raise BadStructure(f"{where} names another file ({_decode(raw_name, flags)!r}) than "
                           "the central directory does, so tools would disagree on its name")
    wanted = [field for field, value in (("size", usize), ("csize", csize))
              if value == _FULL32]
    fields = _extra_fields(extra, where)
    big = _zip64_values(fields, wanted, where)
    size, compressed = big.get("size", usize), big.get("csize", csize)
    data_offset = pos + _LOCAL_FMT.size + nlen + xlen
    end = data_offset + central.compressed_size
    if flags & _DATA_DESCRIPTOR_FLAG:
        crc, compressed, size, descriptor = _descriptor(
            handle, end, _ZIP64_FIELD in fields, name)
        end += descriptor
    for what, local, listed in (("flags", flags, central.flags),
                                ("compression method", method, central.method),
                                ("CRC", crc, central.crc),
                                ("compressed size", compressed, central.compressed_size),
                                ("size", size, central.size)):
        if local != listed:
            raise BadStructure(f"{where} gives a different {what} than the central "
                               "directory does, so tools would read different contents")
    return Entry(name, pos, data_offset, end, compressed, size, crc, flags, method,
                 name.endswith("/"))


def _descriptor(handle: BinaryIO, at: int, zip64: bool, name: str
                ) -> tuple[int, int, int, int]:
    """CRC, compressed size, size and length of the data descriptor at ``at``."""
    width = 8 if zip64 else 4
    length = 4 + 2 * width
    data = _read_at(handle, at, 4 + length)
    signed = data[:4] == _DESCRIPTOR
    body = data[4:] if signed else data[:length]
    if len(body) < length:
        raise BadStructure(f"the data descriptor of {name!r} runs past the end of the file")
    crc, compressed, size = struct.unpack_from("<IQQ" if zip64 else "<III", body)
    return int(crc), int(compressed), int(size), length + (4 if signed else 0)


def walk(handle: BinaryIO, size: int) -> tuple[Entry, ...]:
    """Every member of the archive in ``handle`` (``size`` bytes), or :class:`BadStructure`."""
    entries, cd_size, cd_offset, end_at = _end_record(handle, size)
    front = end_at - cd_size - cd_offset
    if front > 0:
        raise BadStructure(f"it has {front:,} bytes in front of the archive its end record "
                           "describes (another archive, perhaps, which some unzip tools "
                           "would show instead)")
    if front < 0:
        raise BadStructure("its central directory overlaps the end record")
    if entries == 0 or _read_at(handle, 0, 4) != _LOCAL:
        raise BadStructure("it does not begin with a file's local header")
    found: list[Entry] = []
    seen: set[bytes] = set()
    pos = 0
    for central in _central_entries(handle, entries, cd_size, cd_offset):
        name = _decode(central.raw_name, central.flags)
        if central.raw_name in seen:
            raise BadStructure(f"the name {name!r} appears more than once")
        seen.add(central.raw_name)
        if central.offset != pos:
            problem = ("a gap before" if central.offset > pos
                       else "an overlap with the member before")
            raise BadStructure(f"there is {problem} {name!r}: members must follow each other "
                               "exactly, in the central directory's order")
        entry = _local_entry(handle, pos, central)
        if entry.is_dir:
            raise BadStructure(f"it holds a folder entry {name!r}; bundles hold files only, "
                               "and unzip tools would create the folder")
        pos = entry.end
        found.append(entry)
    if pos != cd_offset:
        gap = "a gap" if pos < cd_offset else "an overlap"
        raise BadStructure(f"there is {gap} between the last member and the central directory")
    return tuple(found)

