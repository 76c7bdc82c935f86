"""PDFs and plain text."""

from __future__ import annotations

import io
import sys

import pytest

from evidence_kit.capture.imports import (
    describe,
)
from tests.capture.imports.samples import (
    assert_plain_json,
    pdf_bytes,
)

# --------------------------------------------------------------------------- pdf and text


def test_pdf_pages_and_title_are_reported() -> None:
    facts = describe(pdf_bytes(3), "minutes.pdf")
    assert (facts.media_type, facts.kind) == ("application/pdf", "pdf")
    assert facts.reported["pages"] == 3
    assert facts.reported["title"] == "Minutes of the governors' meeting"
    assert_plain_json(facts)


def test_a_damaged_pdf_is_still_a_pdf() -> None:
    facts = describe(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "broken.pdf")
    assert (facts.media_type, facts.kind) == ("application/pdf", "pdf")
    assert "pages" not in facts.reported
    assert facts.notes


def test_plain_text_in_any_script() -> None:
    text = "Notes\nمرحبا بالعالم\n你好，世界\nשלום\n👋🏽 done\n"
    facts = describe(text.encode("utf-8"), "notes.txt")
    assert (facts.media_type, facts.kind) == ("text/plain", "text")
    assert facts.reported["lines"] == 5


def test_a_saved_web_page_is_html_text() -> None:
    facts = describe(b"<!DOCTYPE html><html><body>post</body></html>", "page")
    assert (facts.media_type, facts.kind) == ("text/html", "text")


def test_pdf_author_and_title_are_read_in_a_plain_install() -> None:
    import pypdf  # a dependency now, not only a test extra

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Complaint", "/Author": "A. Parent"})
    out = io.BytesIO()
    writer.write(out)
    facts = describe(out.getvalue(), "complaint.pdf")
    assert (facts.reported["pages"], facts.reported["title"], facts.reported["author"]) == (
        1, "Complaint", "A. Parent")


def test_a_pdf_without_its_reader_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)
    facts = describe(b"%PDF-1.7\n%%EOF\n", "minutes.pdf")
    assert facts.kind == "pdf"
    assert any("cannot be read on this computer" in note for note in facts.notes)
