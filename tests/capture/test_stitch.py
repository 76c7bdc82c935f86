"""The stitcher joins scrolled frames exactly, keeps sticky rows once, and says when it cannot."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from evidence_kit.capture.stitch import MIN_OVERLAP_ROWS, StitchFailed, check_stitch, stitch
from evidence_kit.core.errors import BadInput

WIDTH = 13


def _row(rng: random.Random) -> bytes:
    return bytes(rng.randrange(256) for _ in range(WIDTH * 3))


def _content(rng: random.Random, length: int) -> list[bytes]:
    """Rows like a page's: mostly distinct lines, with short blank stretches between."""
    blank = b"\xff" * (WIDTH * 3)
    rows: list[bytes] = []
    while len(rows) < length:
        rows.append(_row(rng))
        if rng.random() < 0.3:
            rows.extend([blank] * rng.randrange(1, 4))
    return rows[:length]


def _image(rows: list[bytes]) -> Image.Image:
    return Image.frombytes("RGB", (WIDTH, len(rows)), b"".join(rows))


def _frames(content: list[bytes], header: list[bytes], footer: list[bytes], body: int,
            steps: list[int]) -> tuple[list[Image.Image], list[int]]:
    """Cut the content as a window of ``body`` rows scrolled by ``steps`` shows it."""
    last = len(content) - body
    positions = [0]
    # The drawn steps first; then, as the capture scrolls on to the end, the largest
    # step that still overlaps.
    for step in [*steps, *[body - MIN_OVERLAP_ROWS] * len(content)]:
        if positions[-1] == last:
            break
        positions.append(min(positions[-1] + step, last))
    frames = [_image(header + content[p:p + body] + footer) for p in positions]
    return frames, positions


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), header_rows=st.integers(0, 12), footer_rows=st.integers(0, 6),
       body=st.integers(20, 60), extra=st.integers(0, 300), data=st.data())
def test_a_stitch_of_scrolled_frames_is_the_content_exactly(
        seed: int, header_rows: int, footer_rows: int, body: int, extra: int,
        data: st.DataObject) -> None:
    rng = random.Random(seed)
    content = _content(rng, body + extra)
    header = [_row(rng) for _ in range(header_rows)]
    footer = [_row(rng) for _ in range(footer_rows)]
    steps = data.draw(st.lists(st.integers(1, body - MIN_OVERLAP_ROWS), min_size=1,
                               max_size=20))
    frames, positions = _frames(content, header, footer, body, steps)

    result = stitch(frames)

    assert result.image.tobytes() == b"".join(header + content + footer)
    assert [o - result.offsets[0] for o in result.offsets] == positions
    assert check_stitch(result.image, frames, result.offsets, result.header_rows,
                        result.footer_rows)


def test_offsets_and_sticky_rows_are_recorded_for_a_recipient() -> None:
    rng = random.Random(7)
    content = [_row(rng) for _ in range(100)]
    header, footer = [_row(rng) for _ in range(5)], [_row(rng) for _ in range(3)]
    frames, _ = _frames(content, header, footer, 40, [30, 30])

    result = stitch(frames)

    record = result.to_record()
    assert record["header_rows"] == 5 and record["footer_rows"] == 3
    assert record["offsets"] == [5, 35, 65]
    assert (record["width"], record["height"]) == (WIDTH, 108)


def test_frames_that_do_not_overlap_are_refused_not_guessed() -> None:
    rng = random.Random(3)
    content = [_row(rng) for _ in range(120)]
    header = [_row(rng) for _ in range(4)]
    frames = [_image(header + content[0:40]), _image(header + content[38:78])]  # 2 rows shared

    with pytest.raises(StitchFailed, match="Could not find where frames 1 and 2 overlap") as got:
        stitch(frames)
    assert got.value.frame == 1


def test_a_window_that_never_scrolled_gives_its_one_frame() -> None:
    frame = _image(_content(random.Random(1), 30))
    result = stitch([frame, frame.copy(), frame.copy()])
    assert result.image.tobytes() == frame.tobytes()
    assert result.offsets == (0, 0, 0)


def test_frames_of_different_sizes_are_refused_in_words() -> None:
    with pytest.raises(BadInput, match="not all the same size"):
        stitch([Image.new("RGB", (10, 10)), Image.new("RGB", (10, 11))])
    with pytest.raises(BadInput, match="no frames"):
        stitch([])


def test_the_check_finds_a_stitch_that_does_not_match_its_frames() -> None:
    rng = random.Random(5)
    content = [_row(rng) for _ in range(90)]
    frames, _ = _frames(content, [], [], 40, [25, 25])
    result = stitch(frames)
    tampered = result.image.copy()
    tampered.putpixel((0, 50), (1, 2, 3) if tampered.getpixel((0, 50)) != (1, 2, 3) else (4, 5, 6))

    assert not check_stitch(tampered, frames, result.offsets, 0, 0)
    assert not check_stitch(result.image, frames, [o + 1 for o in result.offsets], 0, 0)


def test_blank_rows_at_the_foot_of_every_frame_are_not_taken_for_a_footer() -> None:
    """Found by the property test above: both frames end on a blank stretch, which looks
    like a bar staying in place; taken as one, too few rows were left to find the
    overlap, and the capture was kept unstitched."""
    rng = random.Random(12)
    blank = b"\xff" * (WIDTH * 3)
    content = [_row(rng) for _ in range(32)]
    content[19] = content[31] = blank
    frames, positions = _frames(content, [], [], 20, [12])
    assert positions == [0, 12]
    result = stitch(frames)
    assert result.image.tobytes() == b"".join(content)
    assert check_stitch(result.image, frames, result.offsets, result.header_rows,
                        result.footer_rows)
