"""Voicemails, voice notes and recordings: type and stated length."""

from __future__ import annotations

from evidence_kit.capture.imports import (
    describe,
)
from tests.capture.imports.samples import (
    amr_bytes,
    assert_plain_json,
    flac_bytes,
    iso_media,
    mp3_with_info_header,
    opus_bytes,
    wav_bytes,
)

# --------------------------------------------------------------------------- audio / video


def test_wav_voicemail_duration_in_whole_milliseconds() -> None:
    facts = describe(wav_bytes(frames=12_345, rate=8000), "voicemail.wav")
    assert (facts.media_type, facts.kind) == ("audio/wav", "audio")
    assert facts.reported["duration_ms"] == 1543  # 12345 / 8000 s, rounded down
    assert facts.reported["sample_rate"] == 8000
    assert_plain_json(facts)


def test_a_wav_cut_short_keeps_the_header_s_claim_or_says_why_not() -> None:
    data = wav_bytes()[:30]
    facts = describe(data, "voicemail.wav")
    assert facts.media_type == "audio/wav"
    assert "duration_ms" not in facts.reported
    assert facts.notes


def test_mp3_duration_comes_from_its_info_header() -> None:
    facts = describe(mp3_with_info_header(frames=100), "voicemail.mp3")
    assert (facts.media_type, facts.kind) == ("audio/mpeg", "audio")
    assert facts.reported["duration_ms"] == 100 * 1152 * 1000 // 44_100


def test_mp3_without_a_length_header_is_typed_but_not_guessed() -> None:
    data = mp3_with_info_header()
    bare = data[20:]  # no ID3; first frame's Info header damaged below
    bare = bare[:36] + b"XXXX" + bare[40:]
    facts = describe(bare, "clip.mp3")
    assert facts.media_type == "audio/mpeg"
    assert "duration_ms" not in facts.reported


def test_m4a_voicemail_duration_and_creation_time() -> None:
    facts = describe(iso_media(b"M4A ", b"soun", 1000, 61_500), "Voicemail.m4a")
    assert (facts.media_type, facts.kind) == ("audio/mp4", "audio")
    assert facts.reported["duration_ms"] == 61_500
    assert str(facts.reported["created_utc"]).startswith("2024-")


def test_mp4_screen_recording_is_video() -> None:
    facts = describe(iso_media(b"isom", b"vide", 600, 6000), "ScreenRecording.mp4")
    assert (facts.media_type, facts.kind) == ("video/mp4", "video")
    assert facts.reported["duration_ms"] == 10_000


def test_ogg_opus_duration_accounts_for_pre_skip() -> None:
    facts = describe(opus_bytes(seconds=5), "voice-note.ogg")
    assert (facts.media_type, facts.kind) == ("audio/ogg", "audio")
    assert facts.reported["duration_ms"] == 5000


def test_amr_voicemail_duration_counts_frames() -> None:
    facts = describe(amr_bytes(frames=150), "voicemail.amr")
    assert (facts.media_type, facts.kind) == ("audio/amr", "audio")
    assert facts.reported["duration_ms"] == 3000


def test_amr_with_an_unknown_frame_gives_no_length() -> None:
    data = amr_bytes(frames=10) + bytes([0x6C]) + bytes(40)  # frame type 13 is reserved
    facts = describe(data, "voicemail.amr")
    assert facts.media_type == "audio/amr"
    assert "duration_ms" not in facts.reported


def test_flac_duration_from_streaminfo() -> None:
    facts = describe(flac_bytes(samples=44_100 * 3), "recording.flac")
    assert (facts.media_type, facts.reported["duration_ms"]) == ("audio/flac", 3000)
