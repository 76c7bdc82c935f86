"""Documents: PDFs (pages, title, author as the file states them)."""

from __future__ import annotations

import importlib
import io
import logging
import warnings

from evidence_kit.capture.imports.facts import Draft

# pypdf reports every oddity of a damaged PDF through logging, which without a handler
# lands on the user's terminal; a damaged PDF is kept and noted, not shouted about.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)


def describe_pdf(data: bytes) -> Draft:
    facts = Draft("application/pdf", "pdf")
    try:
        pypdf = importlib.import_module("pypdf")
    except ImportError:
        facts.notes.append("The PDF's pages, title and author cannot be read on this "
                           "computer (the pypdf reader is not installed); it is kept as it is.")
        return facts
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                facts.report("encrypted", True)
                return facts
            facts.report("pages", len(reader.pages))
            meta = reader.metadata
            if meta is not None:
                facts.report("title", meta.get("/Title"))
                facts.report("author", meta.get("/Author"))
                facts.report("created", meta.get("/CreationDate"))
                facts.report("producer", meta.get("/Producer"))
    except Exception as exc:  # pypdf raises many types on damaged files; only details are lost
        facts.notes.append(f"The PDF's pages could not be counted: {exc}.")
    return facts

