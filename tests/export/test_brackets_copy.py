"""Brackets copied out of right-to-left text read as written (issue 11, step 4).

A bracket drawn at a right-to-left level is the mirrored bracket's glyph; without the
characters as written beside it, a reader copying the line got ")یہ(" for "(یہ)"."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from evidence_kit.export.styles import BODY
from evidence_kit.export.text import draw_lines, layout
from tests.export.conftest import needs_poppler, tool


@needs_poppler
@pytest.mark.parametrize(("text", "bracketed"), [
    ("یہ پیغام (یہ) اور بار", "(یہ)"),         # Urdu letters in an Arabic font, brackets not
    ("שלום (עולם) טוב", "(עולם)"),             # Hebrew and its brackets in one font
    ("تم نشر «تهديد» على", "«تهديد»"),
])
def test_brackets_in_right_to_left_lines_copy_as_written(tmp_path: Path, text: str,
                                                         bracketed: str) -> None:
    path = tmp_path / "rtl.pdf"
    canvas = Canvas(str(path))
    draw_lines(canvas, layout(text, BODY, 400), 72, 760, 400, BODY)
    canvas.showPage()
    canvas.save()
    copied = subprocess.run([tool("pdftotext"), "-enc", "UTF-8", str(path), "-"],
                            capture_output=True, check=True, timeout=60).stdout.decode("utf-8")
    copied = unicodedata.normalize("NFKC", re.sub("[\u202a-\u202e\u200e\u200f]", "", copied))
    assert bracketed in copied
    assert " ".join(copied.split()) == text
