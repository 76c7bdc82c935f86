"""Emails (.eml, RFC 5322) and Outlook messages (.msg): the headers as written."""

from __future__ import annotations

import datetime as dt
import email
import email.message
import email.policy
import email.utils
import importlib
import re

from evidence_kit.capture.imports.facts import Draft
from evidence_kit.core.clock import utc_stamp

_HEADER_LINE = re.compile(rb"^[!-9;-~]{1,76}:[ \t]?", re.MULTILINE)
_KNOWN_HEADERS = re.compile(
    rb"^(from|to|subject|date|message-id|received|return-path|mime-version|"
    rb"delivered-to|reply-to|cc|x-[a-z0-9-]+):",
    re.IGNORECASE | re.MULTILINE,
)
_EMAIL_HEADERS = {
    "From": "from",
    "To": "to",
    "Cc": "cc",
    "Date": "date",
    "Subject": "subject",
    "Message-ID": "message_id",
}


def looks_like_email(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith(b"From "):  # an mbox "From " line before the headers
        head = head.split(b"\n", 1)[-1]
    if not _HEADER_LINE.match(head):
        return False
    block = re.split(rb"\r?\n\r?\n", head, maxsplit=1)[0]
    found = {m.group(1).lower() for m in _KNOWN_HEADERS.finditer(block)}
    return len(found) >= 2 and bool(found & {b"from", b"to", b"subject", b"date"})


def _header_text(message: email.message.Message, header: str) -> str | None:
    try:
        value = message.get(header)
        return None if value is None else str(value)
    except Exception:  # the modern parser trips on some broken headers; fall back to raw
        return None


def describe_email(data: bytes) -> Draft:
    facts = Draft("message/rfc822", "email")
    modern = email.message_from_bytes(data, policy=email.policy.default)
    raw = email.message_from_bytes(data, policy=email.policy.compat32)
    for header, key in _EMAIL_HEADERS.items():
        text = _header_text(modern, header)
        if text is None:
            text = _header_text(raw, header)
        facts.report(key, text)
    date_text = _header_text(raw, "Date")
    if date_text:
        try:
            sent = email.utils.parsedate_to_datetime(date_text)
            if sent.tzinfo is not None:
                facts.report("date_utc", utc_stamp(sent))
        except (TypeError, ValueError, IndexError):
            pass  # not a date at all: the header is shown as written
        except OverflowError:
            # "31 Dec 9999 23:59:59 -2359" parses, then overflows in UTC: keep, and say so.
            facts.notes.append("The email's date could not be read (it is out of range); it "
                               "is shown as written.")
    attachments: list[str] = []
    try:
        for part in modern.walk():
            if part.is_multipart():
                continue
            filename = part.get_filename()
            if filename or part.get_content_disposition() == "attachment":
                attachments.append(str(filename) if filename else "(no name)")
    except Exception as exc:  # a malformed MIME tree still leaves the headers worth keeping
        facts.notes.append(f"The email's attachments could not all be listed: {exc}.")
    if attachments:
        facts.report("attachments", attachments)
    if modern.defects:
        facts.notes.append("The email is not perfectly formed; its headers are shown as found.")
    return facts


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MSG_STREAM_NAME = "__substg1.0_".encode("utf-16-le")


def describe_outlook(data: bytes) -> Draft:
    facts = Draft("application/vnd.ms-outlook", "email")
    try:
        extract_msg = importlib.import_module("extract_msg")
    except ImportError:
        facts.notes.append(
            "Outlook .msg details (sender, date, subject) cannot be read on this computer; "
            "the message is kept as it is."
        )
        return facts
    try:
        message = extract_msg.openMsg(data)
        try:
            facts.report("from", message.sender)
            facts.report("to", message.to)
            facts.report("cc", message.cc)
            facts.report("date", message.date)
            sent = message.date
            if isinstance(sent, dt.datetime) and sent.tzinfo is not None:
                # As for an .eml: the sending time in UTC beside what the file says.
                facts.report("date_utc", utc_stamp(sent))
            facts.report("subject", message.subject)
            facts.report("message_id", message.messageId)
            names = [
                getattr(item, "longFilename", None) or getattr(item, "shortFilename", None)
                for item in getattr(message, "attachments", [])
            ]
            facts.report("attachments", [n or "(no name)" for n in names])
        finally:
            message.close()
    except Exception as exc:  # the library reads hostile files; any failure costs only details
        facts.notes.append(f"The Outlook message's details could not be read: {exc}.")
    return facts

