"""Emails and Outlook messages: their headers as written."""

from __future__ import annotations

import sys
import types

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


def test_outlook_msg_details_come_from_extract_msg_when_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    closed: list[bool] = []

    class FakeMessage:
        sender = "Angry Parent <angry.parent@example.com>"
        to = "j.jones@school.example"
        cc = None
        date = "Tue, 12 Mar 2024 15:05:33 +0100"
        subject = "You will regret this"
        messageId = "<x@y>"
        attachments = (types.SimpleNamespace(longFilename="car.png", shortFilename="CAR.PNG"),)

        def close(self) -> None:
            closed.append(True)

    opened: list[bytes] = []

    def open_msg(data: bytes) -> FakeMessage:
        opened.append(data)
        return FakeMessage()

    fake = types.ModuleType("extract_msg")
    fake.openMsg = open_msg  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "extract_msg", fake)

    data = ole_bytes(with_msg_streams=False)
    facts = describe(data, "complaint.msg")
    assert opened == [data]
    assert closed == [True]
    assert facts.reported["subject"] == "You will regret this"
    assert facts.reported["attachments"] == ["car.png"]
    assert "cc" not in facts.reported


def test_other_ole_files_are_not_called_emails() -> None:
    facts = describe(ole_bytes(with_msg_streams=False), "old.doc")
    assert (facts.media_type, facts.kind) == ("application/x-ole-storage", "other")
