"""A scrolling capture is committed as its frames (originals), the stitch (a derivative
naming each frame's offset) and one event for the sequence; verify accepts it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random

from PIL import Image

from evidence_kit.capture.screen import ENCODER, MEDIA_TYPE, TOOL, Grab, MonitorInfo, Region
from evidence_kit.capture.scrolling import STOPPED_END, ScrollResult, encode_rgb
from evidence_kit.capture.stitch import check_stitch, stitch
from evidence_kit.core.vault import Vault
from evidence_kit.intake import STITCHED_KEY, Details, commit_scroll

WIDTH, BODY = 40, 60


def _frames() -> list[Image.Image]:
    rng = random.Random(11)
    rows = [bytes(rng.randrange(256) for _ in range(WIDTH * 3)) for _ in range(200)]
    header = [b"\x10" * WIDTH * 3] * 6
    return [Image.frombytes("RGB", (WIDTH, 6 + BODY), b"".join(header + rows[p:p + BODY]))
            for p in (0, 40, 80, 120, 140)]


def _result(images: list[Image.Image], *, joined: bool = True) -> ScrollResult:
    region = Region(10, 20, WIDTH, 6 + BODY)
    monitor = MonitorInfo(1, 0, 0, 1280, 800)
    start = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)
    grabs = tuple(Grab(data=encode_rgb(image), media_type=MEDIA_TYPE, width=WIDTH,
                       height=6 + BODY, monitor=monitor, region=region,
                       device_pixel_ratio="1", tool=TOOL, encoder=ENCODER,
                       grabbed_at=start + dt.timedelta(seconds=i), delay_ms=0,
                       in_front={"shown_as": "WhatsApp — 'Parents group'"})
                  for i, image in enumerate(images))
    method = {"scrolled_by": "mouse wheel", "frames": len(grabs)}
    if not joined:
        return ScrollResult(grabs, STOPPED_END, None, None,
                            "Could not find where frames 2 and 3 overlap", method)
    done = stitch(images)
    return ScrollResult(grabs, STOPPED_END, done, encode_rgb(done.image), None, method)


def _image(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def test_frames_stitch_and_one_sequence_event_are_kept_and_verify(vault: Vault) -> None:
    images = _frames()
    items = commit_scroll(vault, _result(images), Details(url="https://web.whatsapp.com/"))

    frames, stitched = items[:-1], items[-1]
    assert len(frames) == 5 and all(i.method == "capture" for i in items)
    assert [vault.read_blob(f.sha256) for f in frames] == [
        encode_rgb(image) for image in images]
    assert [f.details["scroll"]["frame"] for f in frames] == [1, 2, 3, 4, 5]
    assert frames[0].details["in_front"]["shown_as"] == "WhatsApp — 'Parents group'"
    link = stitched.details[STITCHED_KEY]
    assert [f["sha256"] for f in link["frames"]] == [f.sha256 for f in frames]
    offsets = [f["offset"] for f in link["frames"]]
    assert check_stitch(_image(vault.read_blob(stitched.sha256)),
                        [_image(vault.read_blob(f.sha256)) for f in frames], offsets,
                        link["header_rows"], link["footer_rows"])
    assert set(vault.exhibit_marks()) <= {frames[0].id}, "the frames are one exhibit"

    sequence = [e for e in vault.events() if e.type == "capture.scrolled"]
    assert len(sequence) == 1
    payload = sequence[0].payload
    assert payload["items"] == [i.id for i in items]
    assert payload["stitched"] == {"item": stitched.id, "sha256": hashlib.sha256(
        vault.read_blob(stitched.sha256)).hexdigest()}
    assert [f["offset"] for f in payload["frames"]] == offsets
    assert payload["stopped"] == STOPPED_END
    assert "capture.scrolled" in [e.type for e in vault.item_history(frames[2].id)]
    assert vault.verify().ok


def test_frames_that_could_not_be_joined_are_kept_unstitched(vault: Vault) -> None:
    items = commit_scroll(vault, _result(_frames(), joined=False), Details())

    assert len(items) == 5 and not any(STITCHED_KEY in i.details for i in items)
    payload = next(e for e in vault.events() if e.type == "capture.scrolled").payload
    assert payload["stitched"] is None and payload["stitch"] is None
    assert payload["stitch_failed"].startswith("Could not find where")
    assert all(f["offset"] is None for f in payload["frames"])
    assert vault.verify().ok


def test_moving_the_first_frame_moves_the_whole_scrolling_capture(vault: Vault) -> None:
    from evidence_kit.intake import add_details

    items = commit_scroll(vault, _result(_frames()), Details())
    add_details(vault, items[0].id, Details(), new_incident="The parents' group chat")

    incident = vault.item(items[0].id).incident_id
    assert incident is not None
    assert [vault.item(i.id).incident_id for i in items] == [incident] * len(items)
