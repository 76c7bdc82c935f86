"""Turning stored bytes into something to look at, in memory only (Qt-free).

Emails are parsed with the standard library and shown as text: HTML bodies are reduced
to their words, so nothing in a message can reach out to the network or run.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from email.message import EmailMessage
from html.parser import HTMLParser

MAX_TEXT_PREVIEW = 2 * 1024 * 1024
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/csv")


@dataclass(frozen=True)
class Preview:
    kind: str  # "image", "text", "email", "none"
    text: str = ""
    note: str = ""


class _Words(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._skip += 1
        elif tag in ("br", "p", "div", "tr", "li", "h1", "h2", "h3"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _Words()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _decode_text(data: bytes) -> str:
    chunk = data[:MAX_TEXT_PREVIEW]
    for encoding in ("utf-8", "utf-16"):
        try:
            if encoding == "utf-16" and not chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
                continue
            return chunk.decode(encoding)
        except UnicodeDecodeError:
            continue
    return chunk.decode("utf-8", errors="replace")


def email_text(data: bytes) -> str:
    message = email.message_from_bytes(data, policy=email.policy.default)
    lines = []
    for header in ("From", "To", "Cc", "Date", "Subject", "Message-ID"):
        value = message.get(header)
        if value:
            lines.append(f"{header}: {value}")
    body_text = ""
    if isinstance(message, EmailMessage):
        body = message.get_body(preferencelist=("plain", "html"))
        if body is not None:
            try:
                content = body.get_content()
            except (LookupError, ValueError):
                content = ""
            if isinstance(content, str):
                body_text = (html_to_text(content) if body.get_content_subtype() == "html"
                             else content)
        attachments = [part.get_filename() or part.get_content_type()
                       for part in message.iter_attachments()]
        if attachments:
            lines.append("Attachments: " + ", ".join(attachments))
    return "\n".join(lines) + "\n\n" + body_text.strip()


def preview_for(media_type: str, data: bytes) -> Preview:
    if media_type.startswith("image/"):
        return Preview("image")
    if media_type == "message/rfc822":
        try:
            return Preview("email", email_text(data),
                           "The message as text. Links and pictures in it are not loaded.")
        except Exception:
            return Preview("none", note="This email could not be read for a preview.")
    if media_type.startswith(TEXT_TYPES):
        note = "" if len(data) <= MAX_TEXT_PREVIEW else "Only the start of the file is shown."
        return Preview("text", _decode_text(data), note)
    if media_type.startswith("audio/"):
        return Preview("none", note=(
            "This is a sound recording. Evidence Kit cannot play sound in this version. "
            "To listen, use “Save a copy…” and open the copy in your usual player (the "
            "copy is not encrypted; delete it afterwards)."))
    if media_type == "application/pdf":
        return Preview("none", note=(
            "PDF documents are not shown here. To read it, use “Save a copy…” and open "
            "the copy (the copy is not encrypted; delete it afterwards)."))
    return Preview("none", note="There is no preview for this kind of file; its details "
                                "and fingerprint are on the right.")
