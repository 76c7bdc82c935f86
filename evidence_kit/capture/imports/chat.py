"""Chat exports: WhatsApp text exports, bare or inside the ZIP the phone shares."""

from __future__ import annotations

import io
import re
import zipfile

from evidence_kit.capture.imports.facts import Draft, JsonValue
from evidence_kit.core import zipscreen

MAX_CHAT_TEXT_BYTES = zipscreen.LENIENT.max_member_bytes
"""A WhatsApp text export of years of chat is a few MB; more is not a chat export."""


_DATE = r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[AaPp]\.?\s?[Mm]\.?)?"
_ANDROID_LINE = re.compile(rf"^({_DATE}),?\s({_TIME})\s[-–]\s(.*)$")
_IOS_LINE = re.compile(rf"^\[({_DATE}),?\s({_TIME})\]\s(.*)$")
_SENDER = re.compile(r"^([^:\n]{1,120}?):\s(.*)$")
# Exports sprinkle direction marks and BOMs at line starts; they are not content.
_INVISIBLE_PREFIX = "\ufeff\u200e\u200f\u202a\u202b\u202c\u2066\u2067\u2068\u2069"
_MAX_PARTICIPANTS = 1000


def whatsapp_summary(text: str) -> dict[str, JsonValue] | None:
    """Message count, participants and first/last date of a WhatsApp export, or None.

    Dates are returned exactly as written: the export uses the phone's locale, so
    12/03/2024 may be March or December, and only the person who exported knows.
    """
    pattern = None
    count = 0
    participants: dict[str, None] = {}
    first = last = None
    for raw_line in text.splitlines():
        line = raw_line.lstrip(_INVISIBLE_PREFIX)
        if not line.strip():
            continue
        if pattern is None:
            pattern = next((p for p in (_ANDROID_LINE, _IOS_LINE) if p.match(line)), None)
            if pattern is None:
                return None  # an export starts with a dated line; anything else is not one
        found = pattern.match(line)
        if found is None:
            continue  # the next line of a multi-line message
        stamp = f"{found.group(1)}, {found.group(2)}"
        first = first or stamp
        last = stamp
        sender = _SENDER.match(found.group(3).lstrip(_INVISIBLE_PREFIX))
        if sender is not None:
            count += 1
            if len(participants) < _MAX_PARTICIPANTS:
                participants[sender.group(1).strip(_INVISIBLE_PREFIX + " ")] = None
    if pattern is None or count == 0:
        return None
    return {
        "chat_format": "WhatsApp (Android)" if pattern is _ANDROID_LINE else "WhatsApp (iOS)",
        "message_count": count,
        "participants": list(participants),
        "first_message_at": first,
        "last_message_at": last,
    }


def decode_text(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:65536]:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    controls = sum(1 for c in text[:65536] if ord(c) < 32 and c not in "\t\n\r\f\v\x1b")
    return None if controls > 8 else text


_CHAT_MEMBER = re.compile(r"^(_chat\.txt|WhatsApp.*\.txt)$", re.IGNORECASE)


def describe_zip(data: bytes) -> Draft:
    facts = Draft("application/zip", "other")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        facts.notes.append(f"The ZIP archive is damaged; its contents could not be listed ({exc}).")
        return facts
    with archive:
        screening = zipscreen.screen(archive, zipscreen.LENIENT)
        facts.report("entries", screening.entries)
        facts.notes.extend(screening.notes)
        names = [member.name for member in screening.members]
        if any(n.startswith("word/") for n in names) and "[Content_Types].xml" in names:
            facts.media_type = (
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            )
            return facts
        chats = [m for m in screening.members if _CHAT_MEMBER.match(m.name)]
        if not chats:
            return facts
        member = chats[0]
        if member.unreadable is not None:
            # The archive is the user's evidence: it is kept, only the chat is not read.
            facts.notes.append(f"The chat file {member.name} inside the ZIP {member.unreadable}"
                               ", so it was not read; the ZIP is kept as it is.")
            return facts
        try:
            with archive.open(member.info) as stream:
                content = stream.read(zipscreen.LENIENT.max_member_bytes + 1)
        except Exception as exc:  # zipfile/zlib raise many types on damaged or encrypted data
            facts.notes.append(f"The chat inside the ZIP could not be read ({exc!r}).")
            return facts
        if len(content) > zipscreen.LENIENT.max_member_bytes:
            facts.notes.append(f"The chat file {member.name} inside the ZIP is larger than any "
                               "real chat export, so it was not read; the ZIP is kept as it is.")
            return facts
        text = decode_text(content)
        summary = whatsapp_summary(text) if text is not None else None
        if summary is None:
            return facts
        facts.kind = "chat"
        facts.reported.update(summary)
        facts.report("chat_file", member.name)
        facts.report("other_files_in_archive", len(screening.members) - 1)
    return facts
