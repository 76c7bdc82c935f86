"""Emails and Outlook messages: their headers as written."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from evidence_kit.capture.imports import (
    describe,
)
from tests.capture.imports.samples import (
    assert_plain_json,
    email_bytes,
    ole_bytes,
)

# --------------------------------------------------------------------------- email


def test_eml_headers_are_reported_as_written_and_decoded() -> None:
    facts = describe(email_bytes(), "message.eml")
    assert (facts.media_type, facts.kind) == ("message/rfc822", "email")
    reported = facts.reported
    assert reported["from"] == "Angry Parent <angry.parent@example.com>"
    assert reported["to"] == "Ms Jones <j.jones@school.example>"
    assert reported["subject"] == "Über die Klassenfahrt – you will regret this 💬"
    assert reported["date"] == "Tue, 12 Mar 2024 15:05:33 +0100"
    assert reported["date_utc"] == "2024-03-12T14:05:33.000000Z"
    assert reported["message_id"] == "<abc.123@mail.example.com>"
    assert reported["attachments"] == ["screenshot of her car.png"]
    assert_plain_json(facts)


def test_an_email_is_recognised_by_content_whatever_its_name() -> None:
    facts = describe(email_bytes(), "saved.txt")
    assert facts.kind == "email"
    assert any(".txt" in note for note in facts.notes)


def test_a_broken_email_still_gives_what_it_can() -> None:
    data = b"From: someone\nSubject: =?utf-8?q?broken=ZZ?=\nDate: not a date\n\nbody"
    facts = describe(data, "odd.eml")
    assert facts.kind == "email"
    assert facts.reported["from"] == "someone"
    assert "date_utc" not in facts.reported
    assert_plain_json(facts)


def test_outlook_msg_without_a_reader_is_typed_and_explained(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "extract_msg", None)
    facts = describe(ole_bytes(with_msg_streams=True), "complaint.msg")
    assert (facts.media_type, facts.kind) == ("application/vnd.ms-outlook", "email")
    assert facts.reported == {}
    assert any("Outlook" in note for note in facts.notes)


def test_other_ole_files_are_not_called_emails() -> None:
    facts = describe(ole_bytes(with_msg_streams=False), "old.doc")
    assert (facts.media_type, facts.kind) == ("application/x-ole-storage", "other")


# --------------------------------------------------------------------------- real .msg

MSG_DATA = Path(__file__).parent / "data" / "msg"


@pytest.mark.parametrize(("name", "sender", "to", "subject", "sent_utc"), [
    ("sent.msg", "xmailuser", "'xmailuser@xmailserver.test' <xmailuser@xmailserver.test>",
     "Sent time", "2021-02-15T08:19:04.974725Z"),
    ("sent2.msg", "UnoKenji", "ku@digitaldolphins.jp <ku@digitaldolphins.jp>",
     "Sending test", "2021-08-31T01:56:16.675441Z"),
])
def test_real_outlook_messages_give_their_own_headers(
        name: str, sender: str, to: str, subject: str, sent_utc: str) -> None:
    data = (MSG_DATA / name).read_bytes()
    assert data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # a real OLE file
    facts = describe(data, name)
    assert (facts.media_type, facts.kind) == ("application/vnd.ms-outlook", "email")
    assert facts.reported["from"] == sender
    assert facts.reported["to"] == to
    assert facts.reported["subject"] == subject
    assert facts.reported["date_utc"] == sent_utc
    assert str(facts.reported["date"]).startswith(sent_utc[:10])
    assert facts.notes == ()
    assert_plain_json(facts)


def test_a_real_msg_is_kept_byte_for_byte_with_its_headers(vault: Any) -> None:
    from evidence_kit.intake import Details, import_files

    source = MSG_DATA / "sent2.msg"
    report = import_files(vault, [source], Details())
    item = vault.item(report.added[0].id)
    assert vault.read_blob(item.sha256) == source.read_bytes()
    assert item.media_type == "application/vnd.ms-outlook"
    reported = item.details["reported_by_file"]
    assert (reported["from"], reported["subject"], reported["date_utc"]) == (
        "UnoKenji", "Sending test", "2021-08-31T01:56:16.675441Z")
