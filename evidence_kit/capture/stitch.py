"""Join scrolled frames of one window into one tall image, exactly, or say it cannot.

Frames are compared as raw rows of pixels: two rows match only when every byte is the
same, so a stitch never blends, scales or guesses. For each pair of neighbours the
stitcher looks for the shift at which the bottom of one frame's scrolling part is the
top of the next one's, row for row. Rows that stay the same at the same place on the
screen in every frame (a sticky header or footer, a toolbar) are kept once: the header
at the top of the stitch and the footer at its bottom.

When no shift matches, the result is :class:`StitchFailed` naming the two frames, never
a guess: the frames remain the evidence, and a recipient can check any stitch with
:func:`check_stitch` against them. No Qt, no numpy: rows are ``bytes`` and Python's
list and bytes comparisons run in C.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image

from evidence_kit.core.errors import BadInput

MIN_OVERLAP_ROWS = 8
"""Fewer rows in common than this is no evidence that two frames overlap: a few blank
rows match anywhere."""


class StitchFailed(BadInput):
    """The frames could not be joined exactly; they are to be kept unstitched."""

    def __init__(self, message: str, *, frame: int | None = None) -> None:
        super().__init__(message)
        self.frame = frame
        """The (0-based) frame that could not be placed after the one before it."""


@dataclass(frozen=True)
class Stitch:
    image: Image.Image
    offsets: tuple[int, ...]
    """For each frame, the row of the stitch where the frame's row ``header_rows`` is:
    its scrolling part, rows ``header_rows`` to ``height - footer_rows``, lies there."""
    header_rows: int
    footer_rows: int
    frame_height: int

    def to_record(self) -> dict[str, Any]:
        """How the stitch was made, JSON-able, so a recipient can redo the check."""
        width, height = self.image.size
        return {
            "method": "exact row matching",
            "width": width,
            "height": height,
            "frame_height": self.frame_height,
            "header_rows": self.header_rows,
            "footer_rows": self.footer_rows,
            "offsets": list(self.offsets),
            "how_to_check": (
                "For each frame, its rows from header_rows to frame_height - footer_rows "
                "are the stitch's rows from its offset on; the first header_rows rows of "
                "the stitch are the first frame's, the last footer_rows the last frame's."
            ),
        }


def _rows(image: Image.Image, mode: str) -> list[bytes]:
    data = image.convert(mode).tobytes() if image.mode != mode else image.tobytes()
    stride = len(data) // image.height
    return [data[i:i + stride] for i in range(0, len(data), stride)]


def _common_mode(frames: Sequence[Image.Image]) -> str:
    modes = {f.mode for f in frames}
    if len(modes) == 1 and next(iter(modes)) in ("RGB", "RGBA", "L"):
        return next(iter(modes))
    return "RGB"


def _sticky(frames: list[list[bytes]], height: int) -> tuple[int, int]:
    """Rows the same at the same place in every frame, from the top and from the bottom."""
    first = frames[0]
    header = 0
    while header < height and all(f[header] == first[header] for f in frames[1:]):
        header += 1
    footer = 0
    while (footer < height - header
           and all(f[height - 1 - footer] == first[height - 1 - footer] for f in frames[1:])):
        footer += 1
    return header, footer


def _shift(before: list[bytes], after: list[bytes], previous: int | None) -> int | None:
    """How far ``after`` scrolled past ``before`` (rows), or None if they do not overlap.

    Rows are compared by hash first (a blank stretch would otherwise cost a full row
    comparison per candidate shift), then byte for byte at the shift chosen. Several
    shifts can fit where the content repeats (blank stretches); the one the previous
    pair scrolled by wins, as a wheel scrolls by the same step each time, then the
    smallest (the largest overlap).
    """
    body = len(before)
    need = min(MIN_OVERLAP_ROWS, body)
    early = [hash(r) for r in before]
    late = [hash(r) for r in after]
    top = late[0]
    fits = [s for s in range(0, body - need + 1)
            if early[s] == top and early[s:] == late[:body - s]]
    if previous is not None and previous in fits:
        fits.insert(0, previous)
    for shift in fits:
        if before[shift:] == after[:body - shift]:
            return shift
    return None


def _uniform(row: bytes, pixel: int) -> bool:
    return row == row[:pixel] * (len(row) // pixel)


def _sticky_tries(first: list[bytes], header: int, footer: int, height: int, pixel: int
                  ) -> list[tuple[int, int]]:
    """The rows staying in place to try, most first: only rows of one colour (a blank
    stretch) at the inner edge of what looked like a bar are given back, one at a time,
    so a join that cannot succeed is tried a few times, not once per row."""
    inner_header = 0
    while inner_header < header and _uniform(first[header - 1 - inner_header], pixel):
        inner_header += 1
    inner_footer = 0
    while inner_footer < footer and _uniform(first[height - footer + inner_footer], pixel):
        inner_footer += 1
    tries = [(header, footer)]
    tries += [(header, footer - n) for n in range(1, inner_footer + 1)]
    tries += [(header - n, footer) for n in range(1, inner_header + 1)]
    tries.append((header - inner_header, footer - inner_footer))
    return list(dict.fromkeys(tries))


def _join(rows: list[list[bytes]], header: int, footer: int, height: int
          ) -> tuple[list[bytes], list[int]]:
    """The frames' bodies joined where each continues the one before, and where each
    starts; StitchFailed where two do not overlap."""
    bodies = [r[header:height - footer] for r in rows]
    out = list(bodies[0])
    offsets = [header]
    position = 0  # where the previous body starts in ``out`` (without the header)
    previous: int | None = None
    for index in range(1, len(bodies)):
        shift = _shift(bodies[index - 1], bodies[index], previous)
        if shift is None:
            raise StitchFailed(
                f"Could not find where frames {index} and {index + 1} overlap: no rows of "
                "one continue the other exactly. The frames are kept as they are, "
                "unstitched.", frame=index)
        if shift:
            previous = shift
        position += shift
        out.extend(bodies[index][len(out) - position:])
        offsets.append(header + position)
    return out, offsets


def stitch(frames: Sequence[Image.Image]) -> Stitch:
    """Join frames (same size, top to bottom in scrolling order) into one image."""
    if not frames:
        raise BadInput("There are no frames to join.")
    size = frames[0].size
    if any(f.size != size for f in frames):
        raise BadInput("The frames are not all the same size, so they cannot be joined.")
    width, height = size
    mode = _common_mode(frames)
    rows = [_rows(f, mode) for f in frames]
    if len(rows) == 1 or all(r == rows[0] for r in rows[1:]):
        return Stitch(frames[0].convert(mode), (0,) * len(rows), 0, 0, height)
    header, footer = _sticky(rows, height)
    # A blank stretch at the top or foot of every frame looks like a bar that stays in
    # place, and taken as one it can leave too few rows to find the overlap: then the
    # frames are joined again with fewer rows taken as staying in place.
    tries = _sticky_tries(rows[0], header, footer, height, len(mode))
    for attempt, (header, footer) in enumerate(tries):
        try:
            out, offsets = _join(rows, header, footer, height)
            break
        except StitchFailed:
            if attempt == len(tries) - 1:
                raise
    joined = b"".join(rows[0][:header] + out + rows[-1][height - footer:])
    image = Image.frombytes(mode, (width, header + len(out) + footer), joined)
    return Stitch(image, tuple(offsets), header, footer, height)


def check_stitch(stitched: Image.Image, frames: Sequence[Image.Image], offsets: Sequence[int],
                 header_rows: int, footer_rows: int) -> bool:
    """True when the stitch is exactly the frames placed at their recorded offsets."""
    if not frames or len(offsets) != len(frames):
        return False
    mode = _common_mode(frames)
    image_rows = _rows(stitched, mode)
    width, height = frames[0].size
    if stitched.size[0] != width:
        return False
    total = len(image_rows)
    covered = set(range(header_rows)) | set(range(total - footer_rows, total))
    for frame, offset in zip(frames, offsets, strict=True):
        body = _rows(frame, mode)[header_rows:height - footer_rows]
        if offset < 0 or image_rows[offset:offset + len(body)] != body:
            return False
        covered.update(range(offset, offset + len(body)))
    first, last = _rows(frames[0], mode), _rows(frames[-1], mode)
    return (image_rows[:header_rows] == first[:header_rows]
            and image_rows[total - footer_rows:] == last[height - footer_rows:]
            and covered == set(range(total)))
