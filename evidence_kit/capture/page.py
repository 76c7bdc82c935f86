"""A capture of a web page made in the app's own web browser: what it keeps. Qt-free.

The web browser (``ui/web``) reads everything from the engine at one moment; this
module says how those readings are recorded, so the command line, the packs and the
tests read the same fields. One page capture is four items in the vault, each an
original of its own: the visible part exactly as shown, the whole page rendered in one
pass, an offline archive (MHTML) and the page's text (the rendered DOM as HTML). The
three after the first name it in ``details["page_capture"]``, so the link is in the
hash chain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from evidence_kit.core.clock import utc_stamp

PAGE_KEY = "page_capture"
"""Where a page capture's later parts name its first (the visible part)."""

FULL_PAGE = "whole page"
ARCHIVE = "archive"
PAGE_TEXT = "page text"
PART_WORDS = {
    FULL_PAGE: "the whole page, as one picture",
    ARCHIVE: "an archive of the page (MHTML) that opens offline",
    PAGE_TEXT: "the page's text as the browser had it (HTML)",
}
"""Each later part in words, as its description says which part it is."""
LEFT_OUT_WHEN_REDACTED = frozenset({ARCHIVE, PAGE_TEXT})
"""Parts that hold everything a redacted copy of the page's pictures hides."""

MAX_FULL_HEIGHT = 30_000
"""The tallest whole-page picture, in CSS pixels: beyond it a page is cut (and that is
said). 30,000 px at 1280 wide is about 150 MB of pixels while it is encoded."""


@dataclass(frozen=True)
class PagePicture:
    png: bytes
    width: int
    height: int


@dataclass(frozen=True)
class PageCapture:
    """Everything read from the web browser for one capture, in memory only."""

    address: str
    """The address the engine shows for the page (after any redirects)."""
    typed: str | None
    """The address the user asked for, when it differs from :attr:`address`."""
    title: str
    read_at: dt.datetime
    visible: PagePicture
    full: PagePicture | None
    content_height: int
    """The page's own height in CSS pixels, as the page reported it."""
    archive: bytes | None
    page_text: str | None
    engine: str
    """The web engine and its version (Qt WebEngine, Chromium)."""
    device_pixel_ratio: str
    problems: tuple[str, ...] = ()
    """What could not be kept (the archive failed, …), in words."""

    @property
    def cut(self) -> bool:
        return self.full is not None and self.content_height > MAX_FULL_HEIGHT

    def record(self) -> dict[str, Any]:
        """The page's facts, JSON-able with no floats, kept with every part."""
        return {
            "address": self.address,
            "address_typed": self.typed,
            "title": self.title,
            "read_at": utc_stamp(self.read_at),
            "content_height": self.content_height,
            "full_page_cut_at": MAX_FULL_HEIGHT if self.cut else None,
            "engine": self.engine,
            "device_pixel_ratio": self.device_pixel_ratio,
            "not_kept": list(self.problems),
        }


def part_of(details: Any) -> dict[str, Any] | None:
    """The link a page capture's part holds to its first part, or None."""
    link = details.get(PAGE_KEY) if isinstance(details, dict) else None
    return link if isinstance(link, dict) and isinstance(link.get("item"), int) else None


def cut_note(capture: PageCapture) -> str | None:
    if not capture.cut:
        return None
    return (f"The page is {capture.content_height:,} pixels tall; the whole-page picture "
            f"stops at {MAX_FULL_HEIGHT:,} pixels. The archive and the page text hold all "
            "of it.")
