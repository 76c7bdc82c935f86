"""What the user reads about a failure: a fitting title for each error; a bug as a bug."""

from __future__ import annotations

import inspect
import logging
from typing import Any

import pytest

from evidence_kit import settings, wording
from evidence_kit.core import errors
from evidence_kit.ui.messages import BUG_TITLE, describe, show_error

from .conftest import Said

ALL_ERRORS = [cls for _name, cls in inspect.getmembers(errors, inspect.isclass)
              if issubclass(cls, errors.EvidenceKitError)]
GENERIC = "That could not be done"


def test_the_error_tree_is_found() -> None:
    assert errors.WrongPassphrase in ALL_ERRORS and errors.StorageFull in ALL_ERRORS
    assert len(ALL_ERRORS) >= 15


@pytest.mark.parametrize("cls", ALL_ERRORS, ids=lambda c: c.__name__)
def test_every_error_class_gets_its_own_sentence_and_a_fitting_title(cls: type) -> None:
    message = describe(cls("The one plain sentence."))
    assert message.text == "The one plain sentence."
    assert message.title and message.title != BUG_TITLE
    if cls not in (errors.EvidenceKitError, errors.BadInput):
        assert message.title != GENERIC, f"{cls.__name__} has no title of its own"
    assert "damaged" not in message.title or issubclass(cls, errors.IntegrityFailure)


@pytest.mark.parametrize(("exc", "title", "hint"), [
    (errors.WrongPassphrase("x"), "Wrong passphrase", "Caps Lock"),
    (errors.StorageFull("x"), "The disk is full", "Free some space"),
    (errors.IntegrityFailure("x"), "The vault may be damaged", "Check the vault"),
    (errors.VaultExists("x"), "There is already a vault here", "another folder"),
    (errors.VaultInUse("x"), "The vault is already open", ""),
    (errors.VaultLocked("x"), "The vault is locked", ""),
])
def test_the_next_step_is_said_where_there_is_one(exc: Exception, title: str,
                                                   hint: str) -> None:
    message = describe(exc)
    assert message.title == title
    assert hint in message.hint
    assert message.full.startswith("x")


@pytest.mark.parametrize("bug", [KeyError("no such column"), RuntimeError("boom"),
                                 AttributeError("'NoneType' object has no attribute 'id'")])
def test_a_bug_is_told_as_a_bug_and_never_as_damage(bug: Exception,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="evidence_kit"):
        message = describe(bug, "saving the note")
    assert message.title == BUG_TITLE
    assert message.text == wording.bug_message(settings.log_file())
    assert str(settings.log_file()) in message.full
    assert "damaged" not in message.full and "backup" not in message.full
    assert len(caplog.records) == 1 and caplog.records[0].exc_info is not None
    assert "saving the note" in caplog.records[0].getMessage()


def test_a_bug_seen_twice_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    bug = ValueError("seen by the task runner, then shown")
    with caplog.at_level(logging.ERROR, logger="evidence_kit"):
        describe(bug)
        describe(bug)
    assert len(caplog.records) == 1


def test_show_error_puts_the_words_in_one_box(qapp: Any, said: Said) -> None:
    show_error(None, errors.StorageFull("The disk is full; nothing was half-written."),
               "saving the note")
    show_error(None, errors.StorageFull("The disk is full."), "capturing",
               title="The screen could not be captured")
    show_error(None, RuntimeError("boom"), "capturing",
               title="The screen could not be captured")
    (kind1, title1, text1), (_k2, title2, _t2), (kind3, title3, text3) = said.boxes
    assert (kind1, title1) == ("warning", "The disk is full")
    assert text1.startswith("The disk is full; nothing was half-written.")
    assert "Free some space" in text1
    assert title2 == "The screen could not be captured"
    assert (kind3, title3) == ("critical", BUG_TITLE)  # a bug keeps its own title
    assert text3 == wording.bug_message(settings.log_file())
