"""An email as its reader saw it: decoded headers and the body as text.

The pack shows this beside the untouched ``.eml`` in the bundle; raw MIME (base64,
quoted-printable, ``=?utf-8?b?…?=`` subjects) means nothing to a headteacher. Only the
standard library's parser is used; a message it cannot read is shown as raw text.
"""

from __future__ import annotations

import email
import email.message
import email.policy
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

HEADERS = ("From", "To", "Cc", "Date", "Subject")
_BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
           "blockquote", "hr"}
_HIDDEN = {"script", "style", "head", "title"}


@dataclass(frozen=True)
class ReadableEmail:
    headers: tuple[tuple[str, str], ...]
    body: str
    from_html: bool
    """The message had no plain-text part: its HTML part is shown as text."""
    attachments: tuple[str, ...] = ()


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _header(message: email.message.Message, name: str) -> str | None:
    try:
        value = message.get(name)
    except Exception:  # a broken header: the rest of the message is still worth showing
        return None
    return None if value is None else " ".join(str(value).split())


def readable(data: bytes) -> ReadableEmail | None:
    """The message's headers decoded (RFC 2047) and its body as text; None if it cannot
    be parsed as an email at all."""
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except Exception:
        return None
    headers = tuple((name, value) for name in HEADERS
                    if (value := _header(message, name)) is not None)
    body, from_html = "", False
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        if part is not None:
            content = part.get_content()
            if isinstance(content, bytes):
                content = content.decode("utf-8", errors="replace")
            from_html = part.get_content_subtype() == "html"
            body = html_text(content) if from_html else content
    except Exception:  # an unknown charset or a malformed part: headers only
        body = ""
    attachments: list[str] = []
    try:
        for item in message.iter_attachments():
            attachments.append(str(item.get_filename() or "(no name)"))
    except Exception:  # a malformed MIME tree: the names are a convenience, not evidence
        attachments = []
    if not headers and not body:
        return None
    return ReadableEmail(headers, body.strip("\n"), from_html, tuple(attachments))
