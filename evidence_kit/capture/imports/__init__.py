"""What an imported file is, read from its bytes without changing them.

:func:`describe` is pure: it looks at the bytes the vault has already hashed and
returns the type, a kind for the browser, and the facts the file states about
itself (an email's headers, a photo's EXIF time, a voicemail's length). Those facts
are kept under ``reported`` because they are claims made by the file, not checked
by us: a camera clock can be wrong and an email header can be forged.

The type comes from the content first and the name second (:mod:`.sniff`), so a
renamed file is typed by what it is; the mismatch is noted, never fixed. Every
parser here reads hostile input: lengths are checked before use, reads are bounded,
and failing to read a detail (a broken EXIF block, a damaged PDF) only omits that
detail. Walking folders (:mod:`.folders`) is apart from describing a file.
"""

from evidence_kit.capture.imports.chat import whatsapp_summary
from evidence_kit.capture.imports.facts import KINDS, OCTET_STREAM, ImportFacts, JsonValue
from evidence_kit.capture.imports.folders import iter_files
from evidence_kit.capture.imports.sniff import describe

__all__ = [
    "KINDS",
    "OCTET_STREAM",
    "ImportFacts",
    "JsonValue",
    "describe",
    "iter_files",
    "whatsapp_summary",
]
