"""'When it was posted (as shown on the page)': checked, kept beside the capture time,
changed later as the app's details dialog changes it, and worded for recipients."""

from __future__ import annotations

import pytest

from evidence_kit import wording
from evidence_kit.core.errors import BadInput
from evidence_kit.core.posted import check_posted_at, posted_date
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.intake import Details, add_details


@pytest.mark.parametrize(("given", "stored"), [
    ("2026-03-11", "2026-03-11"), (" 2026-03-11  21:40 ", "2026-03-11T21:40"),
    ("2026-03-11T09:05", "2026-03-11T09:05"), ("", ""),
])
def test_accepted_shapes(given: str, stored: str) -> None:
    assert check_posted_at(given) == stored


@pytest.mark.parametrize("given", ["yesterday", "2026-02-30", "2026-03-11 25:00",
                                   "11/03/2026", "2026-03-11 21:40+01:00"])
def test_refused_in_one_sentence(given: str) -> None:
    with pytest.raises(BadInput, match=r"YYYY-MM-DD") as caught:
        check_posted_at(given)
    assert str(caught.value).count(". ") == 0


def test_kept_and_changed_through_the_apps_details(vault: Vault) -> None:
    item = vault.add_item(NewItem(data=b"x", name="a.txt", media_type="text/plain",
                                  posted_at="2026-03-11 21:40"))
    assert item.posted_at == "2026-03-11T21:40"
    plain = vault.add_item(NewItem(data=b"y", name="b.txt", media_type="text/plain"))
    assert plain.posted_at is None
    assert "posted_at" not in vault.event(plain.created_seq).payload  # old records unchanged
    before = vault.event_count()
    add_details(vault, item.id, Details(posted_at="2026-03-11 21:40"))
    assert vault.event_count() == before  # nothing changed, nothing written
    add_details(vault, item.id, Details(posted_at="2026-03-10"))
    assert vault.item(item.id).posted_at == "2026-03-10"
    add_details(vault, item.id, Details(posted_at=""))
    assert vault.item(item.id).posted_at is None
    assert vault.verify().ok  # the state rebuilt from the journal agrees


def test_worded_for_recipients() -> None:
    assert wording.posted_words("2026-03-11T21:40") == (
        "Wed 11 Mar 2026, 21:40 (as the page showed it; the page gave no time zone)")
    assert wording.posted_words("2026-03-11") == "Wed 11 Mar 2026 (as the page showed it)"
    assert wording.posted_words("2026-03-11T21:40", short=True) == "Wed 11 Mar 2026, 21:40"
    assert posted_date("2026-03-11T21:40") is not None and posted_date("junk") is None
