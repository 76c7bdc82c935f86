"""The LADO referral details: one ``incident.referral`` event per save, the latest in
force, tidied and checked, holding only what the user typed, and accepted by verify."""

from __future__ import annotations

import pytest

from evidence_kit.core import referral
from evidence_kit.core.errors import BadInput, NotFound
from evidence_kit.core.journal import EventType
from evidence_kit.core.referral import Adult, Child, Referral
from evidence_kit.core.vault import Vault


def test_saved_details_are_one_event_and_the_latest_is_in_force(vault: Vault) -> None:
    first = vault.create_incident("Posts").id
    second = vault.create_incident("Messages").id
    assert referral.current(vault, first) == Referral()
    details = referral.make(Adult("  Mr A   Brown ", "parent governor", ""),
                            [Child("A.B.", "14", "Hillside Academy"), Child(" ", "", ""),
                             Child("CD")], [3, 1, 3])
    assert details == Referral(Adult("Mr A Brown", "parent governor", ""),
                               (Child("A.B.", "14", "Hillside Academy"), Child("CD")),
                               (1, 3))
    before = vault.event_count()
    made = referral.record(vault, first, details)
    assert vault.event_count() == before + 1 and made.type == EventType.INCIDENT_REFERRAL
    assert referral.current(vault, first) == details
    assert referral.current(vault, second) == Referral()
    referral.record(vault, first, referral.make(Adult(), [], [4]))
    assert referral.current(vault, first) == Referral(criteria=(4,))
    # As of an earlier event, the earlier details.
    assert referral.from_payload(referral.events(vault, made.seq)[first].payload) == details


def test_the_record_holds_only_what_was_typed(vault: Vault) -> None:
    incident = vault.create_incident("Posts").id
    made = referral.record(vault, incident, referral.make(
        Adult("Mr A Brown", "coach", "a volunteer"), [Child("AB", "9", "Hillside")], [2]))
    assert made.payload == {
        "incident": incident,
        "adult": {"name": "Mr A Brown", "role": "coach", "relationship": "a volunteer"},
        "children": [{"name": "AB", "age": "9", "school": "Hillside"}],
        "criteria": [2],
    }
    # With no adult the record says so, rather than holding three empty strings.
    empty_adult = referral.record(vault, incident, referral.make(Adult(" "), [], [1]))
    assert empty_adult.payload["adult"] is None


def test_verify_and_the_projection_accept_the_new_kind(vault: Vault) -> None:
    incident = vault.create_incident("Posts").id
    referral.record(vault, incident, referral.make(Adult("X"), [Child("AB")], [1, 2]))
    vault.checkpoint()
    report = vault.verify()
    assert report.ok, report


@pytest.mark.parametrize(("criteria", "words"), [
    ([0], "not one of the LADO's criteria"), ([5], "give 1 to 4"),
    ([True], "not one of"), (["1"], "not one of")])
def test_a_criterion_that_is_not_the_ladOs_is_refused(vault: Vault, criteria: list[object],
                                                       words: str) -> None:
    with pytest.raises(BadInput, match=words):
        referral.make(Adult(), [], criteria)  # type: ignore[arg-type]


def test_bad_input_is_refused_in_words_and_records_nothing(vault: Vault) -> None:
    incident = vault.create_incident("Posts").id
    before = vault.event_count()
    with pytest.raises(BadInput, match="longer than"):
        referral.make(Adult("x" * 501), [], [])
    with pytest.raises(BadInput, match="not valid text"):
        referral.make(Adult("\ud800"), [], [])
    with pytest.raises(BadInput, match="at most"):
        referral.make(Adult(), [Child(str(n)) for n in range(referral.MAX_CHILDREN + 1)], [])
    with pytest.raises(NotFound):
        referral.record(vault, 99, Referral(criteria=(1,)))
    assert vault.event_count() == before
    assert referral.current(vault, incident) == Referral()


def test_a_child_as_typed_on_the_command_line() -> None:
    assert referral.parse_child("A.B., 14, St Mary's, Upton") == Child(
        "A.B.", "14", "St Mary's, Upton")
    assert referral.parse_child("CD") == Child("CD")
    with pytest.raises(BadInput, match="names no child"):
        referral.parse_child(" , , ")


def test_an_odd_record_is_read_leniently() -> None:
    odd = referral.from_payload({"adult": "Mr X", "children": [{"name": "AB", "age": 9},
                                                               "CD"],
                                 "criteria": [1, 7, "2", True]})
    assert odd == Referral(Adult(), (Child("AB", "9"),), (1,))
