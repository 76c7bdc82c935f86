"""The streaming PDF join: correct objects, page numbers and outline; memory that does not
grow with the size of what it joins; refusal of PDFs it does not understand."""

from __future__ import annotations

import hashlib
import io
import random
import tracemalloc
from pathlib import Path

import pikepdf  # the independent cross-check is required, never skipped
import pypdf
import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Image as RLImage

from evidence_kit.export import pdfjoin
from evidence_kit.export.pdfjoin import (
    Name,
    OutlineEntry,
    PdfJoinError,
    Raw,
    Ref,
    StreamingJoin,
    _Lexer,
    _Truncated,
    join_pdfs,
)
from evidence_kit.export.styles import PAGE_HEIGHT, PAGE_WIDTH

SIZE = (PAGE_WIDTH, PAGE_HEIGHT)


def noise_png(width: int, height: int, seed: int) -> bytes:
    """A PNG that does not compress: its PDF stream is as large as the pixels."""
    noise = random.Random(seed).randbytes(width * height * 3)
    image = Image.frombytes("RGB", (width, height), noise)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def chunk(path: Path, texts: list[str], image: bytes | None = None) -> Path:
    """A ReportLab PDF, one page per text, with an image on the first page."""
    canvas = Canvas(str(path), pagesize=SIZE, invariant=1)
    canvas.setTitle("chunk (with a reference-like 3 0 R in a string)")
    for number, text in enumerate(texts):
        canvas.drawString(72, 700, text)
        if image is not None and number == 0:
            RLImage(io.BytesIO(image), width=200, height=150).drawOn(canvas, 72, 400)
        canvas.showPage()
    canvas.save()
    return path


def footers(path: Path, total: int) -> Path:
    canvas = Canvas(str(path), pagesize=SIZE, invariant=1)
    for page in range(1, total + 1):
        canvas.drawRightString(PAGE_WIDTH - 40, 24, f"Page {page} of {total}")
        canvas.showPage()
    canvas.save()
    return path


def test_values_are_read_as_pdf_says() -> None:
    lexer = _Lexer(b"<< /A 1 0 R /B [1 0 2 0 R] /C (a (1 0 R) \\) 2 0 R) /D <4142> "
                   b"/E#20F 3.5 % a comment 9 0 R\n /G true /H 12 >>", complete=True)
    value = lexer.value()
    assert value == {
        Name(b"/A"): Ref(1), Name(b"/B"): [Raw(b"1"), Raw(b"0"), Ref(2)],
        Name(b"/C"): Raw(b"(a (1 0 R) \\) 2 0 R)"), Name(b"/D"): Raw(b"<4142>"),
        Name(b"/E#20F"): Raw(b"3.5"), Name(b"/G"): Raw(b"true"), Name(b"/H"): Raw(b"12"),
    }
    assert pdfjoin.serialize(value).startswith(b"<</A 1 0 R /B [1 0 2 0 R] /C (a (1 0 R)")


@pytest.mark.parametrize("cut", [3, 6, 9, 11, 14])
def test_a_window_that_ends_inside_an_object_asks_for_more(cut: int) -> None:
    data = b"<< /K [12 0 R] >>"
    with pytest.raises(_Truncated):
        _Lexer(data[:cut], complete=False).value()
    assert _Lexer(data, complete=True).value() == {Name(b"/K"): [Ref(12)]}


def test_join_keeps_every_page_in_order_with_numbers_and_outline(tmp_path: Path) -> None:
    image = noise_png(120, 90, 1)
    parts = [chunk(tmp_path / "a.pdf", ["alpha one", "alpha two"], image),
             chunk(tmp_path / "b.pdf", ["beta one"]),
             chunk(tmp_path / "c.pdf", ["gamma één ✓", "gamma two", "gamma three"], image)]
    target = tmp_path / "joined.pdf"
    outline = [OutlineEntry("Start", 0, 1), OutlineEntry("Exhibits", 0, 3),
               OutlineEntry("Exhibit JS/1", 1, 3), OutlineEntry("Exhibit JS/2 — ü", 1, 4),
               OutlineEntry("End (appendix)", 0, 6)]
    pages = join_pdfs(parts, footers(tmp_path / "f.pdf", 6), outline, target,
                      {"Title": "Evidence pack X", "Producer": "test"}, b"0123456789abcdef")
    assert pages == 6
    reader = pypdf.PdfReader(target, strict=True)
    texts = [page.extract_text() for page in reader.pages]
    expected = ["alpha one", "alpha two", "beta one", "gamma", "gamma two", "gamma three"]
    for number, (text, want) in enumerate(zip(texts, expected, strict=True), start=1):
        assert want in text
        assert f"Page {number} of 6" in text
    assert reader.metadata is not None and reader.metadata.title == "Evidence pack X"
    top = [(e.title, reader.get_destination_page_number(e)) for e in reader.outline
           if not isinstance(e, list)]
    assert top == [("Start", 0), ("Exhibits", 2), ("End (appendix)", 5)]
    children = next(e for e in reader.outline if isinstance(e, list))
    assert [(e.title, reader.get_destination_page_number(e)) for e in children] == [
        ("Exhibit JS/1", 2), ("Exhibit JS/2 — ü", 3)]
    # The image streams are the chunks' bytes, untouched.
    images = [x for p in reader.pages for x in p["/Resources"]["/XObject"].values()
              if x.get_object()["/Subtype"] == "/Image"]
    source = pypdf.PdfReader(parts[0]).pages[0]["/Resources"]["/XObject"]
    original = next(x.get_object().get_data() for x in source.values())
    assert len(images) == 2
    assert all(hashlib.sha256(x.get_object().get_data()).digest()
               == hashlib.sha256(original).digest() for x in images)
    assert all(p.exists() for p in parts)  # kept unless asked to remove them


def test_qpdf_finds_nothing_wrong(tmp_path: Path) -> None:
    parts = [chunk(tmp_path / f"{n}.pdf", [f"page {n}"], noise_png(50, 40, n)) for n in range(3)]
    target = tmp_path / "joined.pdf"
    join_pdfs(parts, footers(tmp_path / "f.pdf", 3), [OutlineEntry("One", 0, 1)], target,
              {"Title": "t"}, bytes(16), remove_joined=True)
    assert not any(p.exists() for p in parts)
    with pikepdf.open(target) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert len(pdf.pages) == 3


def test_memory_does_not_grow_with_what_is_joined(tmp_path: Path) -> None:
    """Twelve chunks of about 2 MB each: the join holds at most a copy buffer, and the
    same whether it joins three or twelve."""
    big = chunk(tmp_path / "big.pdf", ["big"], noise_png(900, 700, 7))
    assert big.stat().st_size > 1_800_000

    def peak(count: int) -> int:
        foot = footers(tmp_path / f"f{count}.pdf", count)
        tracemalloc.start()
        try:
            join_pdfs([big] * count, foot, [], tmp_path / f"j{count}.pdf", {"Title": "t"},
                      bytes(16))
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    few, many = peak(3), peak(12)
    assert (tmp_path / "j12.pdf").stat().st_size > 12 * 1_800_000
    assert many < 3 * 2**20, many
    assert many < few + 256 * 1024, (few, many)


def test_refuses_what_it_does_not_understand(tmp_path: Path) -> None:
    source = chunk(tmp_path / "a.pdf", ["one"])
    modern = tmp_path / "modern.pdf"
    with pikepdf.open(source) as pdf:  # an xref stream and object streams
        pdf.save(modern, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    foot = footers(tmp_path / "f.pdf", 1)
    with pytest.raises(PdfJoinError, match="cross-reference"):
        join_pdfs([modern], foot, [], tmp_path / "out.pdf", {}, bytes(16))
    not_pdf = tmp_path / "not.pdf"
    not_pdf.write_bytes(b"hello")
    with pytest.raises(PdfJoinError, match="not a PDF"):
        join_pdfs([not_pdf], foot, [], tmp_path / "out.pdf", {}, bytes(16))
    with pytest.raises(PdfJoinError, match="page numbers"):
        join_pdfs([source, source], foot, [], tmp_path / "out.pdf", {}, bytes(16))
    with pytest.raises(PdfJoinError, match="past the last page"):
        join_pdfs([source], foot, [OutlineEntry("x", 0, 2)], tmp_path / "out.pdf", {},
                  bytes(16))


def test_pages_added_last_can_be_listed_first(tmp_path: Path) -> None:
    """The pack's cover and contents are built after every exhibit, yet come first."""
    body = chunk(tmp_path / "body.pdf", ["body one", "body two"]).read_bytes()
    front = chunk(tmp_path / "front.pdf", ["the cover"]).read_bytes()
    target = tmp_path / "joined.pdf"
    with open(target, "wb") as handle:
        join = StreamingJoin(handle)
        body_pages = join.add(body, "body")
        front_pages = join.add(front, "front")
        join.finish([*front_pages, *body_pages],
                    footers(tmp_path / "f.pdf", 3).read_bytes(),
                    [OutlineEntry("Cover", 0, 1), OutlineEntry("Body", 0, 2)], {"Title": "t"},
                    bytes(16))
    reader = pypdf.PdfReader(target, strict=True)
    texts = [page.extract_text() for page in reader.pages]
    for text, want, number in zip(texts, ["the cover", "body one", "body two"], (1, 2, 3),
                                  strict=True):
        assert want in text and f"Page {number} of 3" in text
    assert [reader.get_destination_page_number(e) for e in reader.outline] == [0, 1]
    with pikepdf.open(target) as pdf:
        assert pdf.check_pdf_syntax() == []
    with open(tmp_path / "bad.pdf", "wb") as handle:
        join = StreamingJoin(handle)
        pages = join.add(body, "body")
        with pytest.raises(PdfJoinError, match="every page once"):
            join.finish([pages[0], pages[0]], footers(tmp_path / "g.pdf", 2).read_bytes(), [],
                        {}, bytes(16))


def test_a_later_chunks_newer_version_is_declared_in_the_catalog(tmp_path: Path) -> None:
    """ReportLab writes some chunks as PDF 1.5, after the joined file's header is out."""
    older = chunk(tmp_path / "a.pdf", ["one"]).read_bytes()
    newer = b"%PDF-1.5" + chunk(tmp_path / "b.pdf", ["two"]).read_bytes()[8:]
    (tmp_path / "b15.pdf").write_bytes(newer)
    (tmp_path / "a14.pdf").write_bytes(older)
    target = tmp_path / "joined.pdf"
    join_pdfs([tmp_path / "a14.pdf", tmp_path / "b15.pdf"], footers(tmp_path / "f.pdf", 2),
              [], target, {}, bytes(16))
    assert target.read_bytes().startswith(b"%PDF-1.4")
    with pikepdf.open(target) as pdf:
        assert pdf.Root.Version == "/1.5"
        assert len(pdf.pages) == 2


def test_a_chunk_that_names_its_pictures_gets_them_from_the_bank(tmp_path: Path) -> None:
    """Exhibit pictures are kept out of the chunk's bytes and written by the join."""
    from evidence_kit.export.pdfimage import from_png
    from evidence_kit.export.xobjects import IMAGE_KEY, ImageBank, banked, draw_image

    png = noise_png(64, 48, 3)
    image = from_png(png)
    assert image is not None
    bank = ImageBank()
    buffer = io.BytesIO()
    with banked(bank):
        canvas = Canvas(buffer, pagesize=SIZE, invariant=1)
        canvas.translate(72, 400)
        draw_image(canvas, image, 128, 96)
        canvas.showPage()
        canvas.save()
    chunk_bytes = buffer.getvalue()
    assert image.data not in chunk_bytes and len(bank.data) == 1
    target = tmp_path / "joined.pdf"
    with open(target, "wb") as handle:
        join = StreamingJoin(handle)
        pages = join.add(chunk_bytes, "chunk", bank.data, IMAGE_KEY.encode())
        join.finish(pages, footers(tmp_path / "f.pdf", 1).read_bytes(), [], {}, bytes(16))
    joined = target.read_bytes()
    assert image.data in joined and IMAGE_KEY.encode() not in joined
    with pikepdf.open(target) as pdf:
        assert pdf.check_pdf_syntax() == []
        (xobject,) = pdf.pages[0].get_images().values()
        assert xobject.read_raw_bytes() == image.data
    with open(tmp_path / "missing.pdf", "wb") as handle, \
            pytest.raises(PdfJoinError, match="not given"):
        StreamingJoin(handle).add(chunk_bytes, "chunk", {}, IMAGE_KEY.encode())


def test_arrays_of_numbers_are_kept_whole_and_references_still_found() -> None:
    assert _Lexer(b"[0 0 595.2756 841.8898]", complete=True).value() == Raw(
        b"[0 0 595.2756 841.8898]")
    assert _Lexer(b"[ 600 -12 .5\n+3 ]", complete=True).value() == Raw(b"[ 600 -12 .5\n+3 ]")
    assert _Lexer(b"[1 0 R 2 0 R]", complete=True).value() == [Ref(1), Ref(2)]
    assert _Lexer(b"[0 0 612 792] /x", complete=True).value() == Raw(b"[0 0 612 792]")
    with pytest.raises(_Truncated):  # cut short inside the numbers: read more
        _Lexer(b"[0 0 612 7", complete=False).value()
