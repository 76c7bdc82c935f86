"""A page capture in a pack: four linked originals, and what a redaction leaves out."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image

from evidence_kit.capture.page import ARCHIVE, FULL_PAGE, PAGE_TEXT, PageCapture, PagePicture
from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import Vault
from evidence_kit.export.pack import PackRequest, gather
from evidence_kit.export.redact import Box, redact_item
from evidence_kit.intake import Details, commit_page_capture
from evidence_kit.wording import local_record

ADDRESS = "https://www.facebook.com/groups/parents/posts/123"


def png(width: int, height: int) -> PagePicture:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return PagePicture(out.getvalue(), width, height)


def capture(height: int = 3000) -> PageCapture:
    return PageCapture(
        address=ADDRESS, typed="facebook.com/groups/parents/posts/123", title="A post",
        read_at=dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC), visible=png(800, 600),
        full=png(800, min(height, 30_000)), content_height=height,
        archive=b"MIME-Version: 1.0\r\n\r\nthe page", page_text="<p>Пример words</p>",
        engine="Qt WebEngine (test)", device_pixel_ratio="1")


def test_a_page_capture_is_four_linked_originals_with_the_address_read(vault: Vault) -> None:
    items = commit_page_capture(vault, capture(40_000), Details())
    first = items.visible
    assert first.url == ADDRESS and first.platform == "Facebook"
    assert vault.item_history(first.id)[0].payload["url"]["source"] == "browser"
    assert [p.details["page_capture"]["part"] for p in items.parts] == [
        FULL_PAGE, ARCHIVE, PAGE_TEXT]
    assert all(p.details["page_capture"]["item"] == first.id for p in items.parts)
    page = first.details["page"]
    assert page["address_typed"].startswith("facebook.com") and page["title"] == "A post"
    assert page["full_page_cut_at"] == 30_000 and page["content_height"] == 40_000
    assert first.details["context"]["time_local"] == local_record(
        dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC))["local"]
    text = vault.read_blob(items.parts[2].sha256).decode("utf-8")
    assert "Пример" in text
    assert vault.verify().ok


def test_a_redacted_page_leaves_out_its_archive_and_text_unless_asked(vault: Vault) -> None:
    save_profile(vault, Profile(name="Jane Smith", initials="JS"))
    incident = vault.create_incident("Posts").id
    items = commit_page_capture(vault, capture(), Details(incident=incident))
    redact_item(vault, items.parts[0].id, [Box(0, 0, 100, 50)], "a pupil's name")
    shown = {e.item.id for e in gather(vault, PackRequest(recipient="police",
                                                          incident=incident),
                                       vault.checkpoint()).exhibits}
    assert shown == {items.visible.id, items.parts[0].id}
    everything = gather(vault, PackRequest(recipient="police", incident=incident,
                                           include_originals=True), vault.checkpoint())
    assert {e.item.id for e in everything.exhibits} == {i.id for i in items.all}
