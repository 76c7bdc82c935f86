"""Building the pack's PDF in bounded memory.

ReportLab keeps every page, with its images, until ``save()``, and then builds the whole
file in memory: about 1.5 MB per screenshot page. So the body is built in chunks of a
few exhibits, each in memory (never in a temporary file: the pages hold decrypted
evidence) and copied into the output file as soon as it is built by :mod:`.pdfjoin`,
which holds only the objects' numbers and offsets. Page numbers ("Page X of Y") need the total,
which is only known after every chunk is built, so they are drawn on a separate thin
PDF and laid over each page as the chunks are joined; so are the captions of a sliced
picture's strips, which name the pages of the strips before and after (:mod:`.seams`).
The cover and contents are built last, when the pages of every section are known.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from evidence_kit import __version__
from evidence_kit.core.clock import parse_utc_stamp
from evidence_kit.export import sections
from evidence_kit.export.fonts import fonts
from evidence_kit.export.pack import RECIPIENT_NAMES, Pack
from evidence_kit.export.pdfjoin import OutlineEntry, Ref, StreamingJoin
from evidence_kit.export.recipients import SECTION_TITLES
from evidence_kit.export.seams import Caption
from evidence_kit.export.styles import (
    FRAME_HEIGHT,
    FRAME_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_X,
    MARKING,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    Styled,
)
from evidence_kit.export.text import Coverage, draw_line
from evidence_kit.export.writebehind import WriteBehind
from evidence_kit.export.xobjects import IMAGE_KEY, ImageBank, banked

EXHIBITS_PER_CHUNK = 12
"""Each chunk embeds its own font subsets, so fewer, larger chunks cost less; measured
with 500 exhibits: 8 a chunk 4.8 s and 146 MB, 12 4.5 s and 147 MB, 16 4.8 s and 151 MB
(a chunk's pictures wait in memory for the join)."""
DECORATION = "EKpageDecoration"
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class PdfResult:
    pages: int
    unshown: tuple[str, ...]
    """Characters no font could draw, shown by name instead."""


class _Doc(BaseDocTemplate):  # type: ignore[misc]
    """One chunk of the pack: A4, with the marking and the pack's reference on every page."""

    def __init__(self, target: io.BytesIO, pack: Pack) -> None:
        super().__init__(
            target, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN_X,
            rightMargin=MARGIN_X, topMargin=PAGE_HEIGHT - MARGIN_BOTTOM - FRAME_HEIGHT,
            bottomMargin=MARGIN_BOTTOM, title=f"Evidence pack {pack.pack_id}",
            creator=pack.tool, producer=pack.tool, invariant=0,
        )
        self.pack = pack
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._decorate)])

    def _decorate(self, canvas: Canvas, doc: Any) -> None:
        # The same on every page: drawn once per chunk as a form, which each page shows
        # (five lines of text a page were a tenth of the drawing of a pack).
        if not canvas.hasForm(DECORATION):
            canvas.beginForm(DECORATION)
            self._draw_decoration(canvas)
            canvas.endForm()
        canvas.doForm(DECORATION)

    def _draw_decoration(self, canvas: Canvas) -> None:
        pack = self.pack
        canvas.saveState()
        top = PAGE_HEIGHT - 30
        marking = pack.request.marking
        draw_line(canvas, PAGE_WIDTH / 2, top, marking, 8.5, role="bold", align="center",
                  color=MARKING)
        draw_line(canvas, MARGIN_X, top, f"Evidence pack {pack.pack_id}", 7.5, color=MUTED)
        draw_line(canvas, PAGE_WIDTH - MARGIN_X, top,
                  f"for {RECIPIENT_NAMES[pack.request.recipient].removeprefix('the ')}", 7.5,
                  align="right", color=MUTED)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, top - 6, PAGE_WIDTH - MARGIN_X, top - 6)
        canvas.line(MARGIN_X, 36, PAGE_WIDTH - MARGIN_X, 36)
        draw_line(canvas, PAGE_WIDTH / 2, 24, marking, 8, role="bold", align="center",
                  color=MARKING)
        draw_line(canvas, MARGIN_X, 24, f"Pack {pack.pack_id}", 7.5, color=MUTED)
        canvas.restoreState()


@contextlib.contextmanager
def _no_ascii85() -> Iterator[None]:
    """Binary image streams: measured 25 % smaller and 2.7 times faster than ASCII85."""
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before


def _build(label: str, pack: Pack, story: list[Flowable], s: Styled,
           bank: ImageBank | None = None) -> tuple[bytes, int]:
    """One chunk built in memory: its PDF and its number of pages; with ``bank``, its
    pictures are only named in it, and kept in the bank for the join."""
    s.seams.begin(label)
    buffer = io.BytesIO()
    doc = _Doc(buffer, pack)
    with banked(bank) if bank is not None else contextlib.nullcontext():
        doc.build(story)
    # Its page template calls back into it, a cycle that only the cyclic collector
    # frees, and with the document its canvas and every picture of the chunk (up to
    # 45 MB waited for a collection once tables stopped making garbage). The canvas is
    # let go of now, so the pictures go as soon as the chunk is written.
    doc.canv = None
    return buffer.getvalue(), int(doc.page)


def _footers(total: int, captions: Sequence[Caption]) -> bytes:
    """The overlay of every page: its number, and the captions of picture strips, which
    name other pages of the pack (:mod:`.seams`)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=0)
    on_page: dict[int, list[Caption]] = {}
    for caption in captions:
        on_page.setdefault(caption.page, []).append(caption)
    for page in range(1, total + 1):
        draw_line(canvas, PAGE_WIDTH - MARGIN_X, 24, f"Page {page} of {total}", 8,
                  align="right", color=MUTED)
        for caption in on_page.get(page, ()):
            draw_line(canvas, caption.x, caption.y, caption.text, 7.2, color=MUTED)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@contextlib.contextmanager
def _writing_behind(handle: BinaryIO, final_to: Callable[[int], None] | None
                    ) -> Iterator[WriteBehind]:
    out = WriteBehind(handle, final_to)
    try:
        yield out
    except BaseException:
        out.abandon()
        raise
    out.close()


def build_pdf(pack: Pack, read_blob: sections.ReadBlob, target: Path, zip_name: str,
              progress: Progress | None = None,
              final_to: Callable[[int], None] | None = None) -> PdfResult:
    """Write the pack's PDF to the file ``target``; ``final_to`` is told how much of
    it is written as it grows (:class:`.hashbehind.HashBehind`)."""
    fontset = fonts()
    coverage = Coverage()
    s = Styled(coverage)
    total_steps = len(pack.exhibits) + 3
    done = 0

    def tick(message: str, amount: int = 1) -> None:
        nonlocal done
        done += amount
        if progress is not None:
            progress(min(done, total_steps), total_steps, message)

    parts: list[tuple[str, int, dict[str, int]]] = []  # (chunk, pages, anchors)
    body: list[Ref] = []
    # Written by a thread of its own, while the layout goes on (.writebehind).
    with _no_ascii85(), open(target, "wb", buffering=0) as handle, \
            _writing_behind(handle, final_to) as out:
        join = StreamingJoin(out)
        written = out.flush

        bank = ImageBank()

        def build(label: str, story: list[Flowable], anchors: dict[str, int]) -> None:
            data, pages = _build(label, pack, story, s, bank)
            body.extend(join.add(data, label, bank.data, IMAGE_KEY.encode("ascii")))
            bank.clear()
            parts.append((label, pages, anchors))
            written()

        anchors: dict[str, int] = {}
        build("main", [*sections.recipient(pack, s, anchors),
                       *sections.chronology(pack, s, anchors),
                       *sections.timeline(pack, s, anchors, fontset.regular.name),
                       *sections.actions(pack, s, anchors)], anchors)
        tick("chronology")
        for start in range(0, len(pack.exhibits), EXHIBITS_PER_CHUNK):
            chunk = pack.exhibits[start:start + EXHIBITS_PER_CHUNK]
            anchors = {}
            story = []
            for exhibit in chunk:
                story += sections.exhibit_section(exhibit, pack, s, anchors, read_blob)
            build(f"exhibits-{start:06d}", story, anchors)
            tick(f"exhibit {chunk[-1].mark}", len(chunk))
        anchors = {}
        build("appendix", [*sections.technical(pack, s, anchors),
                           *sections.appendix(pack, s, anchors, zip_name,
                                              sorted(coverage.named))], anchors)
        tick("integrity appendix")
        front, front_pages, outline = _front(pack, s, parts)
        front_refs = join.add(front, "front")
        total = front_pages + sum(pages for _, pages, _ in parts)
        first_page: dict[str, int] = {}
        page = front_pages + 1
        for label, pages, _ in parts:
            first_page[label] = page
            page += pages
        made = parse_utc_stamp(pack.made_at).strftime("%Y%m%d%H%M%S")
        join.finish([*front_refs, *body], _footers(total, s.seams.captions(first_page)),
                    [OutlineEntry(*entry) for entry in outline], {
                        "Title": f"Evidence pack {pack.pack_id}",
                        "Creator": f"Evidence Kit {__version__}",
                        "Producer": f"Evidence Kit {__version__} (ReportLab)",
                        "CreationDate": f"D:{made}Z",
                    }, hashlib.sha256(pack.pack_id.encode("utf-8")).digest()[:16])
    tick("joined")
    return PdfResult(total, tuple(sorted(coverage.named)))


def _entries(pack: Pack, parts: Sequence[tuple[str, int, dict[str, int]]], offset: int
             ) -> list[tuple[str, int, int]]:
    """Contents entries (title, level, absolute page) in document order."""
    entries: list[tuple[str, int, int]] = []
    base = offset
    for _, pages, anchors in parts:
        for key, page in sorted(anchors.items(), key=lambda kv: kv[1]):
            kind, _, name = key.partition(":")
            title = f"Exhibit {name}" if kind == "exhibit" else name
            level = 1 if kind == "exhibit" else 0
            if kind == "exhibit" and not any(e[0] == "Exhibits" for e in entries):
                entries.append(("Exhibits", 0, base + page))
            entries.append((title, level, base + page))
        base += pages
    order = [SECTION_TITLES[pack.request.recipient], "Chronology", "Timeline",
             "Actions taken"]
    entries.sort(key=lambda e: (e[2], order.index(e[0]) if e[0] in order else 99))
    return entries


def _front(pack: Pack, s: Styled, parts: Sequence[tuple[str, int, dict[str, int]]]
           ) -> tuple[bytes, int, list[tuple[str, int, int]]]:
    """Cover and contents; rebuilt until their own length stops changing the numbers."""
    front_pages = 2
    for _attempt in range(4):
        entries = _entries(pack, parts, front_pages)
        story = [*sections.cover(pack, s), *sections.contents(entries, s)]
        data, built = _build("front", pack, story, s)
        if built == front_pages:
            break
        front_pages = built
    outline = [("Cover", 0, 1), ("Contents", 0, 2), *_entries(pack, parts, front_pages)]
    return data, front_pages, outline
