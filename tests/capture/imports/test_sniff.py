"""Typing by content, and whatever bytes come in: described or clearly refused."""

from __future__ import annotations

import hashlib
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence_kit.capture.imports import (
    OCTET_STREAM,
    describe,
)
from evidence_kit.core.errors import BadInput, FileProblem
from tests.capture.imports.samples import (
    ANDROID_CHAT,
    amr_bytes,
    assert_plain_json,
    email_bytes,
    flac_bytes,
    iso_media,
    jpeg_with_exif,
    mp3_with_info_header,
    ole_bytes,
    opus_bytes,
    pdf_bytes,
    random_bytes,
    wav_bytes,
    zip_bytes,
)

# --------------------------------------------------------------------------- anything else


def test_an_empty_file_is_refused_by_name() -> None:
    with pytest.raises(FileProblem, match=r"nothing\.txt is empty") as caught:
        describe(b"", "nothing.txt")
    assert isinstance(caught.value, BadInput)


def test_random_binary_is_an_octet_stream() -> None:
    facts = describe(random_bytes(), "blob.bin")
    assert (facts.media_type, facts.kind) == (OCTET_STREAM, "other")
    assert facts.notes == ()


def test_random_binary_with_a_media_name_says_so() -> None:
    facts = describe(random_bytes(), "voicemail.mp3")
    assert facts.media_type == OCTET_STREAM
    assert any(".mp3" in note and "not recognised" in note for note in facts.notes)


def test_describe_never_changes_the_bytes() -> None:
    samples = [email_bytes(), jpeg_with_exif(), wav_bytes(), ANDROID_CHAT.encode()]
    for sample in samples:
        buffer = bytearray(sample)
        before = hashlib.sha256(buffer).hexdigest()
        describe(buffer, "sample")
        assert hashlib.sha256(buffer).hexdigest() == before


@pytest.mark.parametrize("seed", range(200))
def test_mangled_files_never_crash_the_describer(seed: int) -> None:
    rng = random.Random(seed)
    samples = [
        email_bytes(),
        wav_bytes(),
        mp3_with_info_header(),
        iso_media(b"M4A ", b"soun", 1000, 5000),
        opus_bytes(3),
        amr_bytes(20),
        flac_bytes(1000),
        zip_bytes({"_chat.txt": ANDROID_CHAT.encode()}),
        ANDROID_CHAT.encode(),
        jpeg_with_exif(),
        pdf_bytes(2),
        ole_bytes(with_msg_streams=True),
    ]
    data = bytearray(rng.choice(samples))
    for _ in range(rng.randint(1, 12)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    data = data[: rng.randint(1, len(data))]
    try:
        facts = describe(bytes(data), "mangled")
    except BadInput:
        return  # a clear refusal is fine; any other exception is a bug
    assert_plain_json(facts)


@given(
    data=st.binary(min_size=1, max_size=3000),
    name=st.sampled_from(["x.bin", "x.eml", "x.txt", "x.jpg", "x.zip", "x.msg", "x.m4a"]),
)
def test_any_bytes_are_described_or_clearly_refused(data: bytes, name: str) -> None:
    try:
        facts = describe(data, name)
    except BadInput as exc:
        assert name in str(exc)
        return
    assert_plain_json(facts)
