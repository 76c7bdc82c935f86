"""Any text, any length; nothing of the producer's machine; emails and photos readable.

Real vaults, real packs read back with pdftotext (issue 11, steps 3, 5 and 6)."""

from __future__ import annotations

import base64
import datetime as dt
import getpass
import io
import re
import socket
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from evidence_kit.capture.context import capture_context
from evidence_kit.core import keys
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import MAX_TEXT_CHARS, NewItem, Vault
from evidence_kit.export.exporter import export_pack
from evidence_kit.export.images import FittedImage, ImageStrip, PixelSource, image_flowables
from evidence_kit.export.pack import RECIPIENTS, PackRequest
from evidence_kit.export.seams import Seams
from evidence_kit.export.styles import BODY
from evidence_kit.export.text import layout
from evidence_kit.intake import Details, import_file
from tests.conftest import PASSPHRASE
from tests.export.conftest import needs_poppler, pdf_text, screenshot

pytestmark = needs_poppler
CLOCK = dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.UTC)
MARKER = "MARKER-7f3a"


def _vault(folder: Path) -> Vault:
    clock = FixedClock(CLOCK, step=dt.timedelta(seconds=7))
    vault, _code = Vault.create(folder, PASSPHRASE, clock=clock, kdf=keys.FLOOR_PARAMS)
    save_profile(vault, Profile(initials="JS"))  # exhibit marks need the producer's initials
    return vault


def _tokens(prefix: str, joiner: str, limit: int) -> str:
    """Numbered tokens up to ``limit`` characters, so every part can be found again."""
    out, number, length = [], 0, 0
    while length < limit:  # a running total: summing the list each time took minutes
        number += 1
        out.append(f"{prefix}{number:05d}")
        length += len(out[-1]) + len(joiner)
    return joiner.join(out)[:limit].rsplit(joiner, 1)[0]


def _found(text: str, value: str, prefix: str) -> None:
    wanted = set(re.findall(prefix + r"\d{5}", value))
    missing = wanted - set(re.findall(prefix + r"\d{5}", re.sub(r"\s+", "", text)))
    assert not missing, f"{len(missing)} of {len(wanted)} {prefix} tokens missing"


@pytest.mark.slow
def test_every_field_at_the_vaults_maximum_exports_for_every_recipient(tmp_path: Path) -> None:
    size = MAX_TEXT_CHARS
    fields = {
        "title": _tokens("t", " ", size), "summary": _tokens("s", " ", size),
        "description": _tokens("d", " ", size), "note": _tokens("n", " ", size),
        "account": _tokens("a", ",", size),  # one word: breaks only after its commas
        "url": "https://example.com/" + _tokens("u", "/", size - 40) + "?q=1&r=2",
        "incident note": _tokens("i", " ", size), "action": _tokens("w", " ", size),
    }
    vault = _vault(tmp_path / "vault")
    try:
        incident = vault.create_incident(fields["title"])
        vault.set_incident_summary(incident.id, fields["summary"])
        vault.add_item(NewItem(
            data=screenshot(800, 600, (10, 20, 30)), name="a.png", media_type="image/png",
            method="capture", incident=incident.id,
            url={"text": fields["url"], "valid": True, "flags": []}, platform="Example",
            account=fields["account"], description=fields["description"],
            note=fields["note"], category="harassment"))
        vault.add_note(fields["incident note"], incident=incident.id)
        vault.record_action(incident.id, "told_slt", "2026-03-15", {"who": fields["action"]})
        for who in RECIPIENTS:
            result = export_pack(vault, PackRequest(recipient=who, incident=incident.id,
                                                    timezone="Europe/London"), tmp_path / who)
            text = "\n".join(pdf_text(result.pdf))
            for name, value in fields.items():
                if name == "summary" and who == "police":
                    continue  # the police pack has no summary: its statement is the witness's
                prefix = re.match(r"https://example.com/(\w)", value)
                _found(text, value, prefix.group(1) if prefix else value[0])
    finally:
        vault.lock()


def test_a_word_longer_than_a_line_breaks_after_slashes_and_keeps_every_character() -> None:
    url = "https://example.com/" + "/".join(f"part{i}" for i in range(60)) + "?a=1&b=2"
    lines = layout(url, BODY, 200)
    texts = ["".join(r.logical for r in line.runs) for line in lines]
    assert "".join(texts) == url
    assert all(t.endswith(("/", "?", "&", "=")) for t in texts[:-1])
    solid = "x" * 5000  # no break point at all: between characters, nothing lost
    assert "".join(r.logical for line in layout(solid, BODY, 200) for r in line.runs) == solid


def test_an_address_that_fits_on_a_line_is_never_broken() -> None:
    url = "https://example.com/posts/12345?ref=share"
    text = "Seen at " + "word " * 9 + url
    lines = layout(text, BODY, 260)
    texts = ["".join(r.logical for r in line.runs) for line in lines]
    assert len(texts) > 1 and any(url in t for t in texts)


def test_nothing_of_the_machine_reaches_any_new_pack(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: f"{MARKER}-user")
    monkeypatch.setattr(socket, "gethostname", lambda: f"{MARKER}-host")
    folder = tmp_path / MARKER / "Pictures"
    folder.mkdir(parents=True)
    (folder / "phone.png").write_bytes(screenshot(400, 300, (90, 20, 30)))
    vault = _vault(tmp_path / "vault")
    try:
        incident = vault.create_incident("Marker incident")
        import_file(vault, folder / "phone.png", Details(incident=incident.id))
        context = capture_context(vault.clock, None)
        vault.add_item(NewItem(data=screenshot(400, 300, (1, 2, 3), 4), name="cap.png",
                               media_type="image/png", method="capture", incident=incident.id,
                               details={"context": context}))
        vault.extract(1, tmp_path / MARKER / "extracted.png")
        for who in RECIPIENTS:
            result = export_pack(vault, PackRequest(recipient=who, incident=incident.id),
                                 tmp_path / MARKER / who)
            assert MARKER not in "\n".join(pdf_text(result.pdf))
            with zipfile.ZipFile(result.bundle) as bundle:
                for member in bundle.namelist():
                    assert MARKER not in member
                    if not member.endswith(".pdf"):
                        assert MARKER.encode() not in bundle.read(member), (who, member)
        for event in vault.events():
            assert MARKER not in repr(event.payload), event.type
    finally:
        vault.lock()


def test_old_records_show_their_machine_only_in_the_police_technical_appendix(
        tmp_path: Path) -> None:
    vault = _vault(tmp_path / "vault")
    try:
        incident = vault.create_incident("Old records")
        vault.add_item(NewItem(  # as earlier versions recorded an import and a capture
            data=screenshot(400, 300, (9, 9, 9)), name="old.png", media_type="image/png",
            incident=incident.id,
            details={"original_path": f"/home/{MARKER}/Pictures/old.png",
                     "context": {"host_name": f"{MARKER}-host", "os_user": MARKER,
                                 "os_release": "6.1.0-MARKER", "python_version": "3.11.2",
                                 "tool": "Evidence Kit"}}))
        for who in RECIPIENTS:
            result = export_pack(vault, PackRequest(recipient=who, incident=incident.id),
                                 tmp_path / who)
            text = "\n".join(pdf_text(result.pdf))
            with zipfile.ZipFile(result.bundle) as bundle:  # disclosed as they are
                assert any(MARKER.encode() in bundle.read(m) for m in bundle.namelist()
                           if m.startswith("records/"))
            if who == "police":
                appendix = text.index("Technical details\n", text.index("Exhibit EK/1\n")
                                      if "Exhibit EK/1\n" in text else 0)
                assert MARKER in text[appendix:] and MARKER not in text[:appendix]
            else:
                assert MARKER not in text and "python" not in text.lower()
    finally:
        vault.lock()


def test_an_email_shows_its_decoded_headers_and_text_and_the_eml_is_untouched(
        tmp_path: Path) -> None:
    body = "Ich weiß, wo du wohnst. Zażółć gęślą jaźń.\nSecond line of the threat.\n"
    eml = ("From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <jm@example.com>\r\n"
           "To: Ms Jones <j.jones@school.example>\r\n"
           "Subject: =?utf-8?b?" + base64.b64encode("Wir sehen uns — bald".encode()).decode()
           + "?=\r\nDate: Tue, 10 Mar 2026 21:04:00 +0000\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           + base64.encodebytes(body.encode()).decode().replace("\n", "\r\n")).encode()
    vault = _vault(tmp_path / "vault")
    try:
        incident = vault.create_incident("Email")
        vault.add_item(NewItem(data=eml, name="threat.eml", media_type="message/rfc822",
                               incident=incident.id))
        result = export_pack(vault, PackRequest(recipient="police", incident=incident.id),
                             tmp_path / "out")
        text = re.sub(r"\s+", " ", "\n".join(pdf_text(result.pdf)))
        assert "Jürgen Müller" in text and "Wir sehen uns — bald" in text
        assert "Ich weiß, wo du wohnst." in text and "Second line of the threat." in text
        assert "=?utf-8?" not in text and base64.encodebytes(body.encode()).decode()[:20] \
            not in text
        with zipfile.ZipFile(result.bundle) as bundle:
            originals = [m for m in bundle.namelist() if m.startswith("originals/")]
            assert [bundle.read(m) for m in originals] == [eml]
    finally:
        vault.lock()


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 210, 220)).save(out, format="PNG")
    return out.getvalue()


def test_a_phone_screenshot_fits_one_page_and_only_very_tall_captures_are_sliced() -> None:
    phone = image_flowables(PixelSource(_png(1170, 2532), "phone.png"), "JS/1", Seams())
    assert len(phone) == 1 and isinstance(phone[0], FittedImage)
    width, height = phone[0].wrap(500, 2000)
    assert height <= 740 and width <= 500
    thread = image_flowables(PixelSource(_png(1080, 9000), "thread.png"), "JS/2", Seams())
    assert all(isinstance(f, ImageStrip) for f in thread)
    first, rest = thread[0].split(500, 700)
    assert isinstance(first, ImageStrip) and isinstance(rest, ImageStrip)
    assert rest.part.y0 < first.part.y1  # the seam overlaps: no line is cut in half
    assert rest.seam == first.part.y1 - rest.part.y0


def test_no_blank_final_slice() -> None:
    strip = image_flowables(PixelSource(_png(1080, 9000), "thread.png"), "JS/3",
                            Seams())[0]
    parts = [strip]
    while True:
        pieces = parts[-1].split(500, 700)
        if len(pieces) < 2:
            break
        parts[-1:] = pieces
    last = parts[-1]
    assert last.part.y1 == 9000
    assert (last.part.y1 - last.part.y0 - last.seam) * last.scale >= 100


def test_the_chronology_gives_a_long_description_in_brief() -> None:
    from evidence_kit.export.sections import IN_BRIEF_CHARS, IN_FULL, in_brief

    long = "A long post naming me and my class. " * 80
    brief = in_brief(long)
    assert brief.endswith(IN_FULL) and len(brief) <= IN_BRIEF_CHARS + len(IN_FULL)
    assert long.startswith(brief[: -len(IN_FULL)])  # cut at a word, nothing changed
    assert not brief[: -len(IN_FULL)].endswith(" ")
    assert in_brief("short") == "short"
    unbroken = "x" * 1000  # no space to cut at: cut at the limit, still marked
    assert in_brief(unbroken) == "x" * IN_BRIEF_CHARS + IN_FULL


@pytest.mark.parametrize("height", [1700, 2100, 2600])
def test_a_tall_capture_keeps_its_short_note_on_its_page(tmp_path: Path, height: int) -> None:
    """A capture up to about two pages tall is fitted to one page; its short note stays
    under it, shrinking it a little, rather than going alone to a page of its own."""
    import pypdf

    vault = _vault(tmp_path / "vault")
    try:
        incident = vault.create_incident("Tall capture")
        note = "Posted under the class photo on Sunday night; screenshot taken straight away."
        vault.add_item(NewItem(
            data=screenshot(1080, height, (59, 89, 152)), name="tall.png",
            media_type="image/png", method="capture", incident=incident.id,
            url={"text": "https://social.example/post/1", "valid": True, "flags": []},
            platform="Example", account="@someone", description="A long thread",
            note=note, category="harassment"))
        result = export_pack(vault, PackRequest("slt", incident=incident.id), tmp_path / "out")
    finally:
        vault.lock()
    pages = pdf_text(result.pdf)
    with_note = [n for n, page in enumerate(pages) if "straight away" in page]
    assert len(with_note) == 1
    page = pypdf.PdfReader(result.pdf).pages[with_note[0]]
    drawn = [name for name, ref in page["/Resources"].get("/XObject", {}).items()
             if ref.get_object().get("/Subtype") == "/Image"]
    assert drawn, "the note is on a page without its picture"


def test_the_statement_ends_a_description_once_however_it_was_typed(tmp_path: Path) -> None:
    """A description typed with its own full stop, or a space after it, ends its sentence
    in the draft statement once: no "posted ." and no "note.."."""
    vault = _vault(tmp_path / "vault")
    try:
        incident = vault.create_incident("Statement")
        for number, description in enumerate(["Short note.", "Threats posted  ",
                                               "یہ پیغام دھمکی آمیز ہے۔", "Is this legal?"]):
            vault.add_item(NewItem(
                data=screenshot(800, 600, (10, 20, 30), seed=number), name=f"{number}.png",
                media_type="image/png", method="capture", incident=incident.id,
                description=description, category="harassment"))
        result = export_pack(vault, PackRequest("police", incident=incident.id),
                             tmp_path / "out")
    finally:
        vault.lock()
    text = re.sub(r"\s+", " ", " ".join(pdf_text(result.pdf)))
    assert "which shows Short note. I made it" in text
    assert "which shows Threats posted. I made it" in text
    assert "which shows Is this legal? I made it" in text
    assert "آمیز" in text and "۔." not in text and ".۔" not in text  # read in either order
    assert ".." not in text.replace("...", "") and " . " not in text
