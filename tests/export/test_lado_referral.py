"""The LADO pack filled from the referral details the user saved: the adult, the
children, the criteria ticked [X] and unticked [ ], who else was told (parents or carers,
children's social care) with date and reference; across two incidents; and the
referral's record in the LADO's bundle only."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from evidence_kit.core import keys, referral
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.journal import parse_record
from evidence_kit.core.profile import Contact, Profile, save_profile
from evidence_kit.core.referral import HARM_CRITERIA, Adult, Child
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export.exporter import ExportResult, export_pack
from evidence_kit.export.pack import PackRequest, gather
from evidence_kit.export.recipients import lado_rows
from evidence_kit.export.verify import verify_bundle
from tests.conftest import PASSPHRASE
from tests.export.conftest import needs_poppler, pdf_text, screenshot, tool

ZONE = "Europe/London"


@dataclass
class Made:
    vault: Vault
    incidents: tuple[int, int]
    referral_seqs: tuple[int, int]
    lado: ExportResult
    police: ExportResult


def _fill(vault: Vault) -> tuple[tuple[int, int], tuple[int, int]]:
    save_profile(vault, Profile(name="Jane Smith", role="Year 6 teacher", initials="JS",
                                school="Hillside Academy", contacts=(
                                    Contact("Designated safeguarding lead (DSL)",
                                            "Ms Dee Esel"),)))
    first = vault.create_incident("Comments on the school page").id
    second = vault.create_incident("Messages to a pupil").id
    vault.set_incident_summary(first, "Comments calling me a liar.")
    vault.set_incident_summary(second, "Messages about me sent to a pupil.")
    for n, incident in enumerate((first, second, first)):
        vault.add_item(NewItem(
            data=screenshot(400, 300, (30, 90, 160), n), name=f"shot{n}.png",
            media_type="image/png", method="capture", incident=incident,
            account="@parent_a", description=f"Post {n}",
            details={"capture": {"time_utc": f"2026-03-1{n}T10:00:00.000000Z"}}))
    one = referral.record(vault, first, referral.make(
        Adult("Mr A Brown", "parent governor", "a parent of a pupil"),
        [Child("A.B.", "11", "Hillside Academy")], [1, 3]))
    two = referral.record(vault, second, referral.make(
        Adult("Mr A Brown", "parent governor", "a parent of a pupil"),
        [Child("A.B.", "11", "Hillside Academy"), Child("C.D.", "10", "Hillside Academy")],
        [3]))
    vault.record_action(second, "told-parents", "2026-03-13",
                        {"who": "Mrs D, the pupil's mother", "by": "the DSL", "reference": "P-1"})
    vault.record_action(second, "told-social-care", "2026-03-14T09:30+00:00",
                        {"who": "the duty social worker", "reference": "MASH-2026-77"})
    return (first, second), (one.seq, two.seq)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Made]:
    root = tmp_path_factory.mktemp("lado")
    clock = FixedClock(dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.UTC),
                       step=dt.timedelta(seconds=5))
    vault, _code = Vault.create(root / "vault", PASSPHRASE, clock=clock, kdf=keys.FLOOR_PARAMS)
    try:
        incidents, seqs = _fill(vault)
        packs = {who: export_pack(vault, PackRequest(who, incidents=incidents,
                                                     timezone=ZONE), root / who)
                 for who in ("lado", "police")}
        yield Made(vault, incidents, seqs, packs["lado"], packs["police"])
    finally:
        vault.lock()


def _flat(pdf: Path) -> str:
    return re.sub(r"\s+", " ", "\n".join(pdf_text(pdf)))


@needs_poppler
def test_the_lado_pack_shows_the_saved_details(made: Made) -> None:
    text = _flat(made.lado.pdf)
    assert ("The adult this concerns (if any) Name: Mr A Brown; Role: parent governor; "
            "Relationship to the school: a parent of a pupil") in text
    assert "Name or initials: A.B.; Age: 11; School: Hillside Academy" in text
    assert "Name or initials: C.D.; Age: 10; School: Hillside Academy" in text
    assert text.count("Name or initials: A.B.") == 1  # one child, in both incidents
    assert "Ticked by the member of staff. The adult has:" in text
    assert f"[X] {HARM_CRITERIA[0]} (Comments on the school page)" in text
    assert f"[ ] {HARM_CRITERIA[1]}" in text
    assert f"[X] {HARM_CRITERIA[2]} [ ]" in text  # both incidents: no incident named
    assert f"[ ] {HARM_CRITERIA[3]}" in text
    assert "Told parents or carers Fri 13 Mar 2026: Told the child's parents or carers (" \
        in text
    for detail in ("Who was told: Mrs D, the pupil's mother", "Told by: the DSL",
                   "Reference: P-1", "Who was told: the duty social worker"):
        assert detail in text, detail
    assert "Told children's social care Sat 14 Mar 2026, 09:30 GMT (UTC+00:00): Told " \
        "children's social care" in text
    assert "Social care reference: MASH-2026-77" in text
    # Each incident's own account of what happened.
    assert "Comments on the school page: Comments calling me a liar." in text
    assert "Messages to a pupil: Messages about me sent to a pupil." in text
    assert "(to be completed): none was ticked" not in text


def test_only_the_ladOs_bundle_holds_the_referral_records(made: Made) -> None:
    for result, expected in ((made.lado, True), (made.police, False)):
        with zipfile.ZipFile(result.bundle) as z:
            names = set(z.namelist())
            for seq in made.referral_seqs:
                name = f"records/{seq:06d}.json"
                assert (name in names) is expected, (result.pdf.name, name)
                if expected:
                    record = parse_record(z.read(name))
                    assert record.type == "incident.referral"
                    assert set(record.payload) == {"incident", "adult", "children",
                                                   "criteria"}
        report = verify_bundle(result.bundle)
        assert report.ok, report.text()
    with zipfile.ZipFile(made.police.bundle) as z:
        assert not any(b"C.D." in z.read(n) for n in z.namelist() if n.startswith("records/"))


def test_without_details_the_fields_stay_to_be_completed(vault: Vault) -> None:
    save_profile(vault, Profile(name="Jane Smith", initials="JS"))
    incident = vault.create_incident("Posts").id
    vault.add_item(NewItem(data=b"a message\n", name="m.txt", media_type="text/plain",
                           incident=incident))
    rows = dict(lado_rows(gather(vault, PackRequest("lado", incident=incident),
                                 vault.checkpoint())))
    assert rows["The adult this concerns (if any)"] == "(to be completed)"
    assert rows["The child or children involved (if any): names, ages, school"] \
        == "(to be completed)"
    criteria = rows["Category of harm (the LADO criteria: those that apply are ticked)"]
    assert criteria.startswith("(to be completed): none was ticked")
    assert criteria.count("[ ]") == 4 and "[X]" not in criteria
    # Saved later with a child only: the adult's part says so rather than guessing.
    referral.record(vault, incident, referral.make(Adult(role="coach"), [Child("AB")], []))
    rows = dict(lado_rows(gather(vault, PackRequest("lado", incident=incident),
                                 vault.checkpoint())))
    assert rows["The adult this concerns (if any)"] == (
        "Name: (to be completed); Role: coach; Relationship to the school: (to be completed)")
    assert rows["The child or children involved (if any): names, ages, school"] == (
        "Name or initials: AB; Age: (to be completed); School: (to be completed)")


@needs_poppler
def test_the_referral_page_renders(made: Made, tmp_path: Path) -> None:
    pages = pdf_text(made.lado.pdf)
    page = next(n for n, t in enumerate(pages, start=1) if "Relationship to the" in t)
    stem = tmp_path / "lado"
    subprocess.run([tool("pdftoppm"), "-r", "50", "-png", "-f", str(page), "-l", str(page),
                    "-singlefile", str(made.lado.pdf), str(stem)], check=True, timeout=60)
    from PIL import Image
    with Image.open(f"{stem}.png") as image:
        dark = sum(image.convert("L").histogram()[:128])
    assert dark > 500
