"""Reading members out of a bundle that was screened first, and what the checks gather.

Members are hashed as they stream out of the ZIP, one at a time, so memory stays small
whatever the bundle holds; only small files (records, leaves, JSON) are read whole.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from evidence_kit.core import zipscreen
from evidence_kit.core.journal import Record
from evidence_kit.export.verify.report import Finding

MAX_SMALL_FILE = 64 * 1024**2  # records, leaves, JSON: read whole, so kept modest


class Refused(Exception):
    """The ZIP is not a bundle we will read."""


class Altered(Exception):
    def __init__(self, check: str, message: str) -> None:
        super().__init__(message)
        self.check = check


@dataclass
class State:
    """Findings so far, and what the checks learnt that later checks compare."""

    findings: list[Finding] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)  # member -> actual sha256
    key: bytes = b""
    manifest: Any = None
    leaves: list[bytes] = field(default_factory=list)
    root: bytes = b""
    records: dict[int, Record] = field(default_factory=dict)
    tsa_roots: str | None = None  # roots the recipient gave for timestamps (PEM)

    def ok(self, check: str, message: str) -> None:
        self.findings.append(Finding(check, True, message))

    def failed(self, check: str, message: str) -> None:
        self.findings.append(Finding(check, False, message))


def screen(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    try:
        return zipscreen.screen(archive, zipscreen.STRICT).readable()
    except zipscreen.ZipRefused as exc:
        raise Refused(str(exc)) from exc


def stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    read = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(1 << 20):
                read += len(chunk)
                if read > info.file_size:  # zipfile stops at the size, but be sure
                    raise Altered("files", f"{info.filename} is longer than the ZIP says")
                yield chunk
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError) as exc:
        raise Altered("files", f"{info.filename} is damaged inside the ZIP ({exc})") from exc


def read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_SMALL_FILE:
        raise Refused(f"{info.filename} is far larger than that kind of file ever is")
    return b"".join(stream(archive, info))


def need(members: dict[str, zipfile.ZipInfo], name: str) -> zipfile.ZipInfo:
    info = members.get(name)
    if info is None:
        raise Altered("files", f"{name} is missing from the bundle")
    return info


def load_json(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
              name: str) -> Any:
    data = read(archive, need(members, name))
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Altered("files", f"{name} is not valid JSON") from None
