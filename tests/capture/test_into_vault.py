"""From the screen and from files into the vault, through the API and the command line.

These drive :mod:`evidence_kit.intake` and ``evidence-kit capture/add/sighting`` end to
end: real X server, real files, real vault; pixels and bytes compared exactly after
``extract``.
"""

from __future__ import annotations

import email.message
import email.utils
import io
import json
import wave
import zipfile
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from evidence_kit.capture.screen import Region, ScreenGrabber
from evidence_kit.core.errors import Refused
from evidence_kit.core.journal import EventType
from evidence_kit.core.vault import Vault
from evidence_kit.intake import Details, import_paths, record_sighting, store_capture
from tests.conftest import run_cli_process

from .paint_pattern import SCREEN_HEIGHT, SCREEN_WIDTH

if TYPE_CHECKING:
    from .conftest import Painter


def crop(pattern: ModuleType, region: Region) -> bytes:
    full: bytes = pattern.pattern_rgb(SCREEN_WIDTH, SCREEN_HEIGHT)
    stride = SCREEN_WIDTH * 3
    return b"".join(full[y * stride + region.left * 3: y * stride + region.right * 3]
                    for y in range(region.top, region.bottom))


def rgb_of(path_or_bytes: Path | bytes) -> tuple[tuple[int, int], bytes]:
    raw = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    with Image.open(io.BytesIO(raw)) as image:
        return image.size, image.convert("RGB").tobytes()


@pytest.mark.screen
def test_capture_api_stores_exact_pixels_with_context(
    vault: Vault, x_screen: str, painter: Painter, pattern: ModuleType, tmp_path: Path,
) -> None:
    region = Region(211, 97, 333, 177)
    with ScreenGrabber(clock=vault.clock) as grabber:
        grab = grabber.grab(region)
    item = store_capture(vault, grab, Details(url="https://www.tiktok.com/@someone/video/1",
                                              category="harassment"))
    out = vault.extract(item.id, tmp_path / "region.png")
    assert rgb_of(out) == ((333, 177), crop(pattern, region))
    assert out.read_bytes() == grab.data
    assert item.method == "capture" and item.platform == "TikTok"
    capture = item.details["capture"]
    assert capture["region"] == {"left": 211, "top": 97, "width": 333, "height": 177}
    context = item.details["context"]
    assert context["time_utc"].endswith("Z") and context["utc_offset"]
    assert vault.thumbnail(item.sha256) is not None
    assert vault.verify().ok


@pytest.mark.screen
def test_capture_cli_region_and_monitor_then_extract(
    vault: Vault, vault_dir: Path, x_screen: str, painter: Painter, pattern: ModuleType,
    tmp_path: Path,
) -> None:
    vault.lock()
    region = Region(5, 600, 250, 199)
    done = run_cli_process("--vault", vault_dir, "capture", "--region", region.as_text(),
                           "--url", "https://x.com/someone/status/99", "--delay", "0.2")
    assert done.returncode == 0, done.stderr
    assert "Capturing in 0.2 seconds" in done.stderr
    monitor = run_cli_process("--vault", vault_dir, "capture", "--monitor", "1")
    assert monitor.returncode == 0, monitor.stderr
    for item_id, expected_size, expected in (
        ("1", (250, 199), crop(pattern, region)),
        ("2", (SCREEN_WIDTH, SCREEN_HEIGHT), pattern.pattern_rgb(SCREEN_WIDTH, SCREEN_HEIGHT)),
    ):
        out = tmp_path / f"{item_id}.png"
        extracted = run_cli_process("--vault", vault_dir, "extract", item_id, "--out", out)
        assert extracted.returncode == 0, extracted.stderr
        assert rgb_of(out) == (expected_size, expected)
    shown = json.loads(run_cli_process("--vault", vault_dir, "show", "1", "--json").stdout)
    assert shown["item"]["details"]["capture"]["delay_ms"] == 200
    assert shown["item"]["platform"] == "X (Twitter)"
    history = [e["type"] for e in shown["history"]]
    assert history == [EventType.ITEM_CAPTURED, EventType.ITEM_EXTRACTED]


@pytest.mark.screen
def test_capture_cli_refuses_a_region_off_the_screen(
    vault: Vault, vault_dir: Path, x_screen: str,
) -> None:
    vault.lock()
    result = run_cli_process("--vault", vault_dir, "capture", "--region", "1200,700,500,500")
    assert result.returncode == 2 and "not entirely on the screen" in result.stderr
    bad_category = run_cli_process("--vault", vault_dir, "capture", "--category", "nonsense")
    assert bad_category.returncode == 2 and "nonsense" in bad_category.stderr
    assert json.loads(run_cli_process("--vault", vault_dir, "list", "--json").stdout) == []


def test_capture_without_a_screen_says_so(vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    result = run_cli_process("--vault", vault_dir, "capture",
                             env={"DISPLAY": "", "WAYLAND_DISPLAY": ""})
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.strip()


def sample_files(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {}
    msg = email.message.EmailMessage()
    msg["From"] = "Angry Parent <angry@example.org>"
    msg["To"] = "teacher@school.example"
    msg["Subject"] = "Ты пожалеешь — you will regret this"
    msg["Date"] = email.utils.format_datetime(email.utils.parsedate_to_datetime(
        "Tue, 12 Mar 2024 21:40:00 +0000"))
    msg["Message-ID"] = "<abc123@example.org>"
    msg.set_content("I know where you live.")
    files["email"] = folder / "threat.eml"
    files["email"].write_bytes(bytes(msg))
    files["voicemail"] = folder / "voicemail.wav"
    with wave.open(str(files["voicemail"]), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x01" * 8000 * 3)
    photo = Image.new("RGB", (120, 80), (90, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone 12"
    exif[0x0132] = "2024:03:12 21:41:05"
    files["photo"] = folder / "IMG_0001.jpg"
    photo.save(files["photo"], format="JPEG", exif=exif)
    chat = ("12/03/2024, 21:05 - Parent A: did you see what Miss S did\n"
            "12/03/2024, 21:06 - Parent B: she should be sacked 😡\n"
            "13/03/2024, 07:30 - Parent A: I'm posting it on Facebook\n")
    files["chat"] = folder / "WhatsApp Chat with Parents.txt"
    files["chat"].write_text(chat, encoding="utf-8")
    files["chat_zip"] = folder / "WhatsApp Chat - Parents.zip"
    with zipfile.ZipFile(files["chat_zip"], "w") as z:
        z.writestr("_chat.txt", "[12/03/2024, 21:05:33] Parent A: hello\n"
                                "[12/03/2024, 21:06:01] Parent B: hi\n")
    files["truncated"] = folder / "cut-short.png"
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), (1, 2, 3)).save(buffer, format="PNG")
    files["truncated"].write_bytes(buffer.getvalue()[:-150])
    files["empty"] = folder / "empty.txt"
    files["empty"].write_bytes(b"")
    files["binary"] = folder / "mystery.dat"
    files["binary"].write_bytes(bytes(range(256)) * 7)
    return files


def test_folder_import_keeps_good_files_and_names_bad_ones(
    vault: Vault, tmp_path: Path,
) -> None:
    files = sample_files(tmp_path / "evidence")
    seen: list[tuple[int, int]] = []
    report = import_paths(vault, [tmp_path / "evidence"], Details(),
                          progress=lambda done, total, _name: seen.append((done, total)))
    by_name = {item.original_name: item for item in report.added}
    problems = {Path(p.path).name: p.message for p in report.problems}
    assert set(problems) == {"empty.txt"}
    assert "empty" in problems["empty.txt"]
    assert len(by_name) == 7
    assert seen[-1] == (8, 8)
    cut = by_name["cut-short.png"]
    assert any("only part of it can be shown" in n for n in cut.details["notes"])
    assert vault.thumbnail(cut.sha256) is not None  # the part that decodes is previewed
    for key in ("email", "voicemail", "photo", "chat", "chat_zip", "binary", "truncated"):
        item = by_name[files[key].name]
        assert vault.read_blob(item.sha256) == files[key].read_bytes()
    mail = by_name["threat.eml"].details["reported_by_file"]
    assert mail["subject"] == "Ты пожалеешь — you will regret this"
    assert mail["message_id"] == "<abc123@example.org>"
    assert by_name["voicemail.wav"].details["reported_by_file"]["duration_ms"] == 3000
    photo = by_name["IMG_0001.jpg"].details["reported_by_file"]
    assert photo["camera_model"] == "Phone 12"
    chat = by_name["WhatsApp Chat with Parents.txt"]
    assert chat.details["kind"] == "chat"
    facts = chat.details["reported_by_file"]
    assert facts["message_count"] == 3
    assert facts["participants"] == ["Parent A", "Parent B"]
    assert facts["last_message_at"] == "13/03/2024, 07:30"
    assert by_name["mystery.dat"].media_type == "application/octet-stream"
    assert vault.verify().ok


def test_add_cli_with_hostile_urls_keeps_them_as_given(
    vault: Vault, vault_dir: Path, tmp_path: Path,
) -> None:
    vault.lock()
    doc = tmp_path / "note.txt"
    doc.write_text("evidence")
    hostile = {
        "javascript:alert(document.cookie)": "javascript",
        "https://аpple.com/login": "internationalised",
        "https://example.org/" + "a" * 10_000: "very long",
        "not even a url": "not a web address",
    }
    for url, flag in hostile.items():
        result = run_cli_process("--vault", vault_dir, "add", doc, "--url", url)
        assert result.returncode == 0, result.stderr
        item = json.loads(run_cli_process("--vault", vault_dir, "list", "--json").stdout)[-1]
        assert item["url"] == url
        shown = json.loads(run_cli_process("--vault", vault_dir, "show", str(item["id"]),
                                           "--json").stdout)
        assert any(flag in f for f in shown["history"][0]["payload"]["url"]["flags"])
    assert run_cli_process("--vault", vault_dir, "verify").returncode == 0


def test_sighting_takes_words_only(vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    seq = record_sighting(vault, url="https://bad.example/post/1", seen_at="yesterday 9pm",
                          found_by="me", told="DSL (Mrs Khan)")
    event = vault.event(seq)
    assert event.type == EventType.SIGHTING_REPORTED
    assert event.payload["told"] == "DSL (Mrs Khan)"
    with pytest.raises(Refused):
        record_sighting(vault, url="data:image/png;base64,iVBORw0KGgo=")
    vault.lock()
    picture = tmp_path / "picture.png"
    Image.new("RGB", (10, 10), (255, 0, 0)).save(picture)
    refused = run_cli_process("--vault", vault_dir, "sighting", "--url",
                              "https://bad.example/2", picture)
    assert refused.returncode == 2
    assert "never takes a file" in refused.stderr
    assert "Tell your DSL now" in refused.stdout  # the steps are shown even when refused
    ok = run_cli_process("--vault", vault_dir, "sighting", "--url", "https://bad.example/3",
                         "--told", "DSL")
    assert ok.returncode == 0 and "words only" in ok.stdout
    with Vault.open(vault_dir, "correct horse battery staple") as again:
        assert again.items() == []
        assert again.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0
        assert len(again.sightings()) == 2
        assert again.verify().ok


def test_iphone_heic_photo_is_kept_verbatim_with_a_preview(vault: Vault, tmp_path: Path) -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    photo = tmp_path / "IMG_4032.HEIC"
    Image.new("RGB", (96, 64), (200, 10, 10)).save(photo, format="HEIF")
    report = import_paths(vault, [photo], Details())
    assert report.problems == ()
    item = report.added[0]
    assert item.media_type == "image/heic"
    assert vault.read_blob(item.sha256) == photo.read_bytes()
    assert item.details["reported_by_file"]["width"] == 96
    thumb = vault.thumbnail(item.sha256)
    assert thumb is not None and rgb_of(thumb)[0] == (96, 64)


def test_a_rerun_folder_import_adds_only_what_is_missing(vault: Vault, tmp_path: Path) -> None:
    folder = tmp_path / "phone"
    folder.mkdir()
    for index in range(5):
        (folder / f"note-{index}.txt").write_text(f"message {index}\n", encoding="utf-8")
    first = import_paths(vault, [folder / "note-0.txt", folder / "note-1.txt"], Details())
    assert len(first.added) == 2  # as if the first run was interrupted after two files
    again = import_paths(vault, [folder], Details())
    assert sorted(item.original_name for item in again.added) == [
        "note-2.txt", "note-3.txt", "note-4.txt"]
    assert len(again.already_kept) == 2
    assert again.already_kept_text() == (
        "2 files were already in the vault with exactly the same content, so not added again.")
    named = import_paths(vault, [folder / "note-0.txt"], Details())
    assert len(named.added) == 1  # a file named on its own is added again, as a duplicate
    assert named.duplicates[named.added[0].id] == first.added[0].id
