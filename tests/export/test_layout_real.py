"""Packs read as a recipient reads them, from evidence unlike the shared fixtures: a
1170×2532 phone screenshot, a 1920×9000 thread, notes in seven scripts and one of
100,000 characters (:mod:`tests.export.layout_data`)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from evidence_kit.core import keys
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export.exporter import ExportResult, export_pack
from evidence_kit.export.pack import PackRequest
from evidence_kit.export.sections import CHRONOLOGY_START
from evidence_kit.export.styles import MARGIN_BOTTOM, PAGE_HEIGHT
from tests.conftest import PASSPHRASE
from tests.export.conftest import needs_poppler, pdf_text, tool
from tests.export.layout_data import NOTES, PHONE, THREAD, phone_screenshot, populate

pytestmark = needs_poppler
ZONE = "Europe/London"


def _vault(root: Path) -> Vault:
    clock = FixedClock(dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC),
                       step=dt.timedelta(seconds=7))
    vault, _code = Vault.create(root / "vault", PASSPHRASE, clock=clock,
                                kdf=keys.FLOOR_PARAMS)
    return vault


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ExportResult]]:
    root = tmp_path_factory.mktemp("layout")
    vault = _vault(root)
    try:
        incident, _items = populate(vault)
        yield {who: export_pack(vault, PackRequest(recipient=who, incident=incident,  # type: ignore[arg-type]
                                                   timezone=ZONE), root / "out")
               for who in ("police", "lado")}
    finally:
        vault.lock()


def _images(page: pypdf.PageObject) -> list[tuple[int, int]]:
    """The pixel sizes of the pictures drawn on a page (not the overlay's)."""
    resources = page.get("/Resources") or {}
    found = []
    for xobject in (resources.get("/XObject") or {}).values():
        obj = xobject.get_object()
        if obj.get("/Subtype") == "/Image":
            found.append((int(obj["/Width"]), int(obj["/Height"])))
    return found


def _body(text: str) -> str:
    """A page's text without the running header and footer."""
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join(line for line in lines if not re.match(
        r"^(Evidence pack|Pack) EK-|^OFFICIAL|^for |^Page \d+ of \d+$",
        line.strip()))


@pytest.mark.parametrize("who", ["police", "lado"])
def test_strips_name_their_part_and_the_pages_before_and_after(
        packs: dict[str, ExportResult], who: str) -> None:
    pages = pdf_text(packs[who].pdf)
    parts: dict[int, int] = {}  # part -> page
    for number, text in enumerate(pages, start=1):
        for part, count in re.findall(r"JK/\d, part (\d) of (\d)", text):
            parts[int(part)] = number
            total = int(count)
        for before in re.findall(r"\(continued from page (\d+)\)", text):
            assert int(before) == number - 1
        for after in re.findall(r"continues on page (\d+) \(part", text):
            assert int(after) == number + 1
    assert total >= 3 and sorted(parts) == list(range(1, total + 1))
    assert [parts[k] for k in sorted(parts)] == list(range(parts[1], parts[1] + total))
    assert f"of {THREAD[1]:,}" in pages[parts[total] - 1]
    # The thread's first strip starts on the page with its heading and details.
    assert "A forum thread naming me" in pages[parts[1] - 1]


@pytest.mark.parametrize("who", ["police", "lado"])
def test_a_phone_screenshot_is_on_the_page_with_its_details(
        packs: dict[str, ExportResult], who: str) -> None:
    reader = pypdf.PdfReader(packs[who].pdf)
    pages = pdf_text(packs[who].pdf)
    (heading,) = [n for n, text in enumerate(pages) if "Exhibit JK/1\n" in text
                  and "How it was obtained" in text and "IMG_4471.PNG" in text]
    assert PHONE in _images(reader.pages[heading])


@pytest.mark.parametrize("who", ["police", "lado"])
def test_no_page_is_empty_and_every_note_is_there(
        packs: dict[str, ExportResult], who: str) -> None:
    reader = pypdf.PdfReader(packs[who].pdf)
    pages = pdf_text(packs[who].pdf)
    for number, text in enumerate(pages):
        if not _images(reader.pages[number]):
            assert len(_body(text)) > 80, f"page {number + 1} is nearly empty"
    whole = "".join(pages)
    for script in ("russian", "chinese", "polish"):
        assert unicodedata.normalize("NFKC", NOTES[script]) in whole.replace("\n", " "), script
    # Every line of the 100,000-character note (a page's header and footer may sit
    # inside a sentence that goes on over the page).
    assert re.sub(r"\s+", " ", whole).count("What I saw, in order, as I remember it.") >= 2400
    # A note's date never ends a page without its text.
    for text in pages:
        assert not re.search(r"\(event \d+\)\s*$", _body(text))


def _lowest_text(pdf: Path, page: int) -> float:
    """How far down the page (in points from its top) its body text reaches."""
    out = subprocess.run([tool("pdftotext"), "-bbox", "-f", str(page), "-l", str(page),
                          str(pdf), "-"], capture_output=True, check=True, timeout=60,
                         text=True).stdout
    bottoms = [float(y) for y in re.findall(r'yMax="([\d.]+)"', out)]
    return max(y for y in bottoms if y < PAGE_HEIGHT - MARGIN_BOTTOM)


@pytest.mark.parametrize("who", ["police", "lado"])
def test_the_chronology_starts_on_the_page_before_when_it_fits(
        packs: dict[str, ExportResult], tmp_path: Path, who: str) -> None:
    vault = _vault(tmp_path)
    try:
        save_profile(vault, Profile(name="Joanna Kowalska", initials="JK"))
        incident = vault.create_incident("One message")
        vault.add_item(NewItem(data=phone_screenshot(), name="IMG_4471.PNG",
                               media_type="image/png", incident=incident.id,
                               description="The parents' chat"))
        one = export_pack(vault, PackRequest(recipient=who, incident=incident.id,  # type: ignore[arg-type]
                                             timezone=ZONE), tmp_path / "out")
    finally:
        vault.lock()
    for result in (one, packs[who]):
        pages = pdf_text(result.pdf)
        (chronology,) = [n for n, text in enumerate(pages) if n > 1  # after the contents
                         and "\nChronology\n" in f"\n{_body(text)}"]
        if not _body(pages[chronology]).startswith("Chronology"):
            continue  # it follows the recipient's section on the same page
        # It starts a page only when the page before had no room for its beginning.
        left = PAGE_HEIGHT - MARGIN_BOTTOM - _lowest_text(result.pdf, chronology)
        assert left < CHRONOLOGY_START + 30


@pytest.mark.slow
def test_every_page_renders(packs: dict[str, ExportResult], tmp_path: Path) -> None:
    for who, result in packs.items():
        subprocess.run([tool("pdftoppm"), "-r", "20", "-png", str(result.pdf),
                        str(tmp_path / who)], check=True, timeout=300)
        assert len(list(tmp_path.glob(f"{who}-*.png"))) == result.pages
