"""Fixtures for packs: one real vault with evidence in many scripts, exported once per
module for each recipient (exports take about a second, so tests share them)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from evidence_kit.core import keys
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export.exporter import ExportResult, export_pack
from evidence_kit.export.pack import PackRequest
from evidence_kit.export.redact import Box, redact_item
from tests.conftest import PASSPHRASE

SCRIPTS = {
    "arabic": "تم نشر تهديد على الصفحة",
    "urdu": "یہ پیغام دھمکی آمیز ہے",
    "polish": "Zażółć gęślą jaźń — groźba",
    "cyrillic": "Угрозы в комментариях",
    "cjk": "在评论中受到威胁 — 脅迫 — 협박",
    "emoji": "😡🔪 👩🏽‍🏫 🏳️‍🌈",
}
TALL_HEIGHT = 9000  # over two pages at the page width: sliced, not shrunk
ZONE = "Europe/London"


def screenshot(width: int, height: int, colour: tuple[int, int, int], seed: int = 0) -> bytes:
    """A screen-like PNG: a coloured title bar and rows of dark 'text' on a pale page."""
    image = Image.new("RGB", (width, height), (236, 240, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 48], fill=colour)
    for row, y in enumerate(range(70, height - 20, 28)):
        length = 200 + (row * 137 + seed * 61) % (width - 300)
        draw.rectangle([40, y, 40 + length, y + 12], fill=(40, 40, 48))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


@dataclass
class Built:
    """A vault with evidence, and the packs exported from it."""

    folder: Path
    vault: Vault
    incident: int
    other_incident: int
    items: dict[str, int]
    redacted_item: int
    packs: dict[str, ExportResult]
    out: Path

    def export(self, request: PackRequest, out: Path | None = None) -> ExportResult:
        return export_pack(self.vault, request, out or self.out)


def populate(vault: Vault) -> tuple[int, int, dict[str, int], int]:
    save_profile(vault, Profile(name="Jane Smith", role="Teacher of English",
                                school="Hillside Academy", initials="JS"))
    incident = vault.create_incident("Abuse in the parents' Facebook group")
    vault.set_incident_summary(incident.id, "Posts calling me a liar, and a threat to come "
                               "to my house. " + SCRIPTS["polish"])
    other = vault.create_incident("A separate matter that must stay private")
    items: dict[str, int] = {}
    for index, (script, text) in enumerate(SCRIPTS.items()):
        height = TALL_HEIGHT if script == "polish" else 1080
        item = vault.add_item(NewItem(
            data=screenshot(1920, height, (30 + 30 * index, 90, 160), index),
            name=f"capture-{script}.png", media_type="image/png", method="capture",
            incident=incident.id,
            url={"text": f"https://www.facebook.com/groups/parents/posts/{1000 + index}",
                 "valid": True, "flags": []},
            platform="Facebook", account=f"@parent_{index % 2}", description=text,
            category="harassment", note=f"Seen on my phone first. {text}",
            details={"capture": {"time_utc": f"2026-03-{10 + index:02d}T1{index}:05:00.000000Z",
                                 "monitor": {"index": 1, "width": 1920, "height": 1080},
                                 "tool": "mss"}},
        ))
        items[script] = item.id
    email = vault.add_item(NewItem(
        data=b"From: someone@example.com\nSubject: You\n\nI know where you live.\n",
        name="threat.eml", media_type="message/rfc822", incident=incident.id,
        description="An email threatening to visit", account="someone@example.com",
        details={"reported_by_file": {"from": "someone@example.com", "subject": "You"}}))
    items["email"] = email.id
    private = vault.add_item(NewItem(
        data=screenshot(800, 600, (200, 30, 30), 99), name="private.png",
        media_type="image/png", incident=other.id, description="PRIVATE-OTHER-INCIDENT"))
    items["private"] = private.id
    vault.add_note("A note on the whole incident: " + SCRIPTS["arabic"], incident=incident.id)
    vault.record_action(incident.id, "told_slt", "2026-03-15", {"who": "Mr Head"})
    vault.record_action(incident.id, "platform_report", "2026-03-15",
                        {"platform": "Facebook", "reference": "FB-123456"})
    redacted = redact_item(vault, items["arabic"], [Box(40, 60, 400, 120)], "a pupil's name")
    return incident.id, other.id, items, redacted.id


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("packs")
    clock = FixedClock(dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.UTC),
                       step=dt.timedelta(seconds=7))
    vault, _code = Vault.create(root / "vault", PASSPHRASE, clock=clock,
                                kdf=keys.FLOOR_PARAMS)
    try:
        incident, other, items, redacted = populate(vault)
        out = root / "out"
        packs = {who: export_pack(vault, PackRequest(recipient=who, incident=incident,  # type: ignore[arg-type]
                                                     timezone=ZONE), out)
                 for who in ("police", "slt", "lado")}
        yield Built(root / "vault", vault, incident, other, items, redacted, packs, out)
    finally:
        vault.lock()


def pdf_text(path: Path) -> list[str]:
    """The text of each page, as pdftotext reads it (NFKC, so Arabic presentation forms
    compare equal to the letters typed)."""
    out = subprocess.run([tool("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True, timeout=60).stdout.decode("utf-8")
    return [unicodedata.normalize("NFKC", page) for page in out.split("\f")[:-1]]


def tool(name: str) -> str:
    """The full path of a command-line tool the test needs (it is skipped without one)."""
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None
                                   or shutil.which("pdftoppm") is None,
                                   reason="poppler-utils is not installed")


def rewrite_zip(source: Path, target: Path,
                change: Callable[[str, bytes], bytes | None]) -> None:
    """Copy a ZIP, letting ``change`` alter a member's bytes (or drop it with None)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info, data)
