"""Each recipient's pack read back for the fields their own paperwork asks for: the
police statement and continuity, the LADO referral, the SLT review. Real vaults, real
exports, the PDFs read with pdftotext; the pages rendered with pdftoppm."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from evidence_kit import intake
from evidence_kit.core import keys
from evidence_kit.core.actions import ACTION_KINDS
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.model import Event
from evidence_kit.core.profile import Contact, Profile, save_profile
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export.continuity import NAMES_A_FOLDER, NAMES_OTHER_ITEMS, withheld_reason
from evidence_kit.export.exporter import ExportResult, export_pack
from evidence_kit.export.pack import PackRequest
from evidence_kit.export.redact import Box, redact_item
from tests.conftest import PASSPHRASE
from tests.export.conftest import needs_poppler, pdf_text, screenshot, tool

ZONE = "Europe/London"
START = dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.UTC)


@dataclass
class Packs:
    vault: Vault
    items: dict[str, int]
    packs: dict[str, ExportResult]
    earlier: ExportResult
    extracted_to: Path


def _capture(vault: Vault, name: str, when: str, incident: int, **fields: object) -> int:
    return vault.add_item(NewItem(
        data=screenshot(640, 400, (40, 90, 160), len(name)), name=f"{name}.png",
        media_type="image/png", method="capture", incident=incident,
        details={"capture": {"time_utc": when, "profile": "Jane Smith"}}, **fields,  # type: ignore[arg-type]
    )).id


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Packs]:
    root = tmp_path_factory.mktemp("recipients")
    clock = FixedClock(START, step=dt.timedelta(seconds=5))
    vault, _code = Vault.create(root / "vault", PASSPHRASE, clock=clock, kdf=keys.FLOOR_PARAMS)
    try:
        save_profile(vault, Profile(
            name="Jane Smith", role="Teacher of English", school="Hillside Academy",
            initials="JS", contacts=(
                Contact("Headteacher or line manager", "Mr Head"),
                Contact("Designated safeguarding lead (DSL)", "Ms Dee Esel", "01632 960000",
                        "dsl@hillside.example"))))
        incident = vault.create_incident("Posts in the parents' group").id
        vault.set_incident_summary(incident, "Posts calling me a liar.")
        items = {
            "old": _capture(vault, "old", "2026-03-10T10:05:00.000000Z", incident,
                            url={"text": "https://www.facebook.com/groups/p/posts/1",
                                 "valid": True, "flags": []},
                            platform="Facebook", account="@parent_a",
                            description="A post calling me a liar"),
            "new": _capture(vault, "new", "2026-03-12T19:30:00.000000Z", incident,
                            description="A threat to visit my house"),
        }
        # A new capture's address, given in the details dialog after the capture.
        intake.add_details(vault, items["new"], intake.Details(
            incident=incident, url="https://www.facebook.com/groups/p/posts/2",
            url_source="clipboard", account="@parent_b"))
        photo = tmp_path_factory.mktemp("phone") / "IMG_0042.jpg"
        photo.write_bytes(screenshot(500, 700, (10, 10, 10), 3))
        items["photo"] = intake.import_file(vault, photo, intake.Details(
            incident=incident, description="A message sent to my phone",
            url="https://www.instagram.com/p/abc", url_source="typed")).id
        items["redacted"] = redact_item(vault, items["old"], [Box(10, 10, 100, 40)],
                                        "a pupil's name").id
        extracted_to = root / "extracted.png"
        vault.extract(items["old"], extracted_to)
        earlier = export_pack(vault, PackRequest("slt", incident=incident, timezone=ZONE),
                              root / "earlier")
        vault.record_action(incident, "told-slt", "2026-03-13", {"who": "Mr Head",
                                                                  "how": "in person"})
        vault.record_action(incident, "reported-platform", "2026-03-13",
                            {"platform": "Facebook", "reference": "FB-777"})
        first = vault.record_action(incident, "removal-requested", "2026-03-13T10:00+00:00",
                                    {"asked": "Facebook", "what": "the post about me"})
        vault.record_action(incident, "removal-checked", "2026-03-14T11:00+00:00",
                            {"request": first.seq, "result": "still-up"})
        vault.record_action(incident, "removal-requested", "2026-03-16T08:00+00:00",
                            {"asked": "Instagram", "what": "the message"})
        vault.record_action(incident, "consent-police", "2026-03-14",
                            {"note": "Yes, I agree the school may tell the police"})
        vault.record_action(incident, "police", "2026-03-15", {"reference": "CR-2026-0099"})
        out = root / "out"
        made = {who: export_pack(vault, PackRequest(who, incident=incident,  # type: ignore[arg-type]
                                                    timezone=ZONE), out)
                for who in ("police", "lado", "slt")}
        yield Packs(vault, items, made, earlier, extracted_to)
    finally:
        vault.lock()


def _flat(pdf: Path) -> str:
    return re.sub(r"\s+", " ", "\n".join(pdf_text(pdf)))


def _page(pdf: Path, heading: str) -> int:
    for number, text in enumerate(pdf_text(pdf), start=1):
        if heading in text:
            return number
    raise AssertionError(f"{heading!r} is on no page")


# ---- police -----------------------------------------------------------------------------


@needs_poppler
def test_statement_produces_each_exhibit_in_its_own_sentence(packs: Packs) -> None:
    text = _flat(packs.packs["police"].pdf)
    assert "Draft witness statement (DRAFT)" in text
    assert "section 9 of the Criminal Justice Act 1967" in text and "MG11" in text
    for mark, shows in (("JS/1", "A post calling me a liar"),
                        ("JS/2", "A threat to visit my house"),
                        ("JS/3", "A message sent to my phone")):
        assert f"I produce exhibit {mark}, which shows {shows}." in text, mark
    assert "by capturing my computer screen with Evidence Kit" in text
    assert "by importing a picture named IMG_0042.jpg into Evidence Kit" in text
    # How each address was obtained, as recorded; an old record says it was not.
    assert ("https://www.facebook.com/groups/p/posts/1; how the address was obtained was "
            "not recorded") in text
    assert "posts/2, was filled in from my computer's clipboard" in text
    assert "instagram.com/p/abc, was typed in by me" in text
    assert "redacted with black boxes (a pupil's name)" in text
    assert "the unredacted original is kept unaltered in my Evidence Kit vault" in text
    assert "recorded the web address" not in text  # the tool never claims it read it


@needs_poppler
def test_continuity_lists_every_event_in_words(packs: Packs) -> None:
    text = _flat(packs.packs["police"].pdf)
    assert "Continuity of each exhibit" in text
    assert "Captured by Jane Smith with Evidence Kit" in text
    assert "Imported by Jane Smith from a file named IMG_0042.jpg" in text
    assert "Details added or changed" in text
    assert "Redacted copy made (black boxes)" in text
    assert "extracted to a file on the producer's computer" in text
    assert f"Exported in evidence pack {packs.earlier.pack_id}" in text
    assert f"Exported in this pack, {packs.packs['police'].pack_id}" in text
    assert "record withheld because its record names a folder" in text
    # Nothing of the producer's machine: the folder the extraction went to is not named.
    assert str(packs.extracted_to.parent) not in text


def test_no_folder_of_the_producer_reaches_the_bundle(packs: Packs) -> None:
    # New extraction and export records name only files, so they may be disclosed;
    # what must never be is where on the producer's computer anything went.
    vault = packs.vault
    private = [e for e in vault.events() if e.type in ("item.extracted", "export.started")]
    assert {e.type for e in private} == {"item.extracted", "export.started"}
    with zipfile.ZipFile(packs.packs["police"].bundle) as z:
        names = z.namelist()
        records = b"".join(z.read(n) for n in names if n.startswith("records/"))
    assert records, names
    assert str(packs.extracted_to).encode() not in records
    assert str(packs.extracted_to.parent).encode() not in records


def test_a_record_naming_nothing_private_may_be_disclosed() -> None:
    def event(payload: dict[str, object]) -> Event:
        return Event(5, "item.extracted", "2026-03-16T09:00:00.000000Z", payload, "00")
    assert withheld_reason(event({"item": 1, "to": "/home/jane/x.png"}), {1}) == NAMES_A_FOLDER
    assert withheld_reason(event({"item": 1, "to": "C:\\Users\\jane\\x.png"}), {1}) \
        == NAMES_A_FOLDER
    assert withheld_reason(event({"pack": "EK-1", "items": [1, 9]}), {1}) == NAMES_OTHER_ITEMS
    assert withheld_reason(event({"pack": "EK-1", "items": [1]}), {1}) is None


# ---- LADO -------------------------------------------------------------------------------


@needs_poppler
def test_lado_referral_fields(packs: Packs) -> None:
    text = _flat(packs.packs["lado"].pdf)
    assert "Referrer Ms Dee Esel, Designated safeguarding lead (DSL)" in text
    assert "01632 960000, dsl@hillside.example" in text
    assert "Person reporting (the member of staff) Jane Smith, Teacher of English" in text
    assert "Organisation Hillside Academy" in text
    for label in ("The adult this concerns (if any) (to be completed)",
                  "names, ages, school (to be completed)",
                  "Told parents or carers (to be completed)",
                  "Told children's social care (to be completed)"):
        assert label in text, label
    assert "10 Mar 2026, 12 Mar 2026" in text  # the incident dates, in words
    assert "Date of this referral (to be completed) (this pack was prepared on 16 Mar 2026)" \
        in text
    assert "How and to whom it was first reported Fri 13 Mar 2026: Told SLT" in text
    assert "[ ] possibly committed a criminal offence against or related to a child" in text
    assert "Told the police Sun 15 Mar 2026: Reported it to the police" in text
    assert "CR-2026-0099" in text
    assert "JS/1: A post calling me a liar" in text and "JS/3: A message sent" in text
    assert not re.search(r"\d{4}-\d\d-\d\dT", text.split("Integrity")[0])  # no ISO dates


# ---- SLT --------------------------------------------------------------------------------


@needs_poppler
def test_slt_removal_checks_consent_and_review(packs: Packs) -> None:
    text = _flat(packs.packs["slt"].pdf)
    pages = pdf_text(packs.packs["slt"].pdf)
    section = re.sub(r"\s+", " ", pages[_page(packs.packs["slt"].pdf,
                                                "has reported online abuse") - 1])
    # The Facebook post was still up on the 14th: its next check fell due on the 15th.
    assert section.index("Overdue") < section.index("has reported online abuse")
    assert "The check that the post about me was taken down was due Sun 15 Mar 2026" in text
    assert "OVERDUE: the post about me" in text
    assert "Checked 1 time; last on Sat 14 Mar 2026 11:00:00 GMT" in text
    assert "it is still up" in text
    assert "the message" in text and "Not yet checked" in text
    assert "Next review Sun 15 Mar 2026" in text
    assert "Consider escalating" in text and "Report Harmful Content" in text
    assert "Facebook was told on Fri 13 Mar 2026 and nothing" in text
    consent_label = next(k.label for k in ACTION_KINDS if k.id == "consent-police")
    assert "Consent to the school reporting" in text
    assert f"Sat 14 Mar 2026: {consent_label}" in text
    assert "Yes, I agree the school may tell the police" in text
    # Each action once: the pack's "Actions taken" table, not a second list.
    assert text.count("FB-777") == 1
    assert "Done so far" not in text


# ---- the pages, as a reader sees them ------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize(("who", "heading"), [
    ("police", "I produce exhibit JS/1"), ("police", "Every event in the journal that"),
    ("lado", "Person reporting"), ("slt", "has reported online abuse")])
def test_pages_render(packs: Packs, tmp_path: Path, who: str, heading: str) -> None:
    pdf = packs.packs[who].pdf
    page = _page(pdf, heading)
    stem = tmp_path / f"{who}-{page}"
    subprocess.run([tool("pdftoppm"), "-r", "50", "-png", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(stem)], check=True, timeout=60)
    from PIL import Image
    with Image.open(f"{stem}.png") as image:
        dark = sum(image.convert("L").histogram()[:128])
    assert dark > 500  # the page carries text, not a blank


def test_a_mark_first_used_by_this_pack_is_in_its_continuity(vault: Vault) -> None:
    from evidence_kit.export.pack import gather
    from evidence_kit.export.police import continuity_rows

    item = vault.add_item(NewItem(data=b"a message\n", name="m.txt", media_type="text/plain"))
    save_profile(vault, Profile(name="Jane Smith", initials="JS"))
    pack = gather(vault, PackRequest("police", items=(item.id,)), vault.checkpoint())
    assert [m.item for m in pack.new_marks] == [item.id]
    rows = continuity_rows(pack, pack.exhibits[0])
    assert rows[0][1] == "Imported by Jane Smith from a file named m.txt"
    assert [r[1] for r in rows[-2:]] == [
        "Exhibit mark JS/1 assigned for this pack",
        f"Exported in this pack, {pack.pack_id}, for the police"]


def test_lado_referral_date_and_police_come_from_the_actions(vault: Vault) -> None:
    from evidence_kit.export.pack import gather
    from evidence_kit.export.recipients import lado_rows

    save_profile(vault, Profile(name="Jane Smith", initials="JS"))
    incident = vault.create_incident("Posts").id
    vault.add_item(NewItem(data=b"a message\n", name="m.txt", media_type="text/plain",
                           incident=incident))
    vault.record_action(incident, "consent-police", "2026-03-14", {})
    vault.record_action(incident, "lado", "2026-03-15", {"reference": "LADO-42"})
    rows = dict(lado_rows(gather(vault, PackRequest("lado", incident=incident),
                                 vault.checkpoint())))
    assert rows["Date of this referral"].startswith("Sun 15 Mar 2026; this pack was prepared")
    assert rows["Told the police"] == "(to be completed)"  # consent is not a report
    assert rows["Referrer"].startswith("(to be completed): the designated safeguarding lead")
    assert rows["Organisation"] == "(to be completed)"
