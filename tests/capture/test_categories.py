"""Categories: the policies' misuse grid plus the kinds staff meet most."""

from __future__ import annotations

import re

import pytest

from evidence_kit.capture.categories import CATEGORIES, category_by_id, category_ids
from evidence_kit.capture.errors import UnknownCategory
from evidence_kit.core.errors import BadInput


def test_the_policy_grid_is_complete() -> None:
    for area in ("contact", "conduct", "content"):
        for kind in ("commercial", "aggressive", "sexual", "values"):
            category = category_by_id(f"{area}-{kind}")
            assert category.group == area
            assert category.code == f"{area.capitalize()}: {kind}"
            # plain words first: the grid's name is the second line, not the label
            assert ":" not in category.label


@pytest.mark.parametrize(
    "category_id",
    [
        "threat",
        "harassment",
        "impersonation",
        "images-without-consent",
        "false-allegation",
        "hate",
        "doxxing",
        "other",
    ],
)
def test_the_common_kinds_are_present(category_id: str) -> None:
    assert category_by_id(category_id).id == category_id


def test_ids_are_unique_stable_slugs_with_label_and_one_line_description() -> None:
    ids = category_ids()
    assert len(ids) == len(set(ids)) == len(CATEGORIES) == 20
    for category in CATEGORIES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", category.id)
        assert category.label and category.label[0].isupper()
        assert category.description.endswith(".") and "\n" not in category.description


def test_sexual_content_points_to_the_stop_path() -> None:
    assert "stop path" in category_by_id("content-sexual").description


@pytest.mark.parametrize("bad", ["Harassment", "bullying", "", "contact_aggressive"])
def test_unknown_ids_are_bad_input_listing_the_real_ones(bad: str) -> None:
    with pytest.raises(UnknownCategory, match="harassment") as caught:
        category_by_id(bad)
    assert isinstance(caught.value, BadInput)
    assert repr(bad) in str(caught.value)


def test_the_plain_names_come_first_in_the_order_the_issue_gives() -> None:
    assert [c.label for c in CATEGORIES[:9]] == [
        "Threat", "Harassment", "Impersonation or fake profile",
        "Sharing my images without consent", "False allegation", "Hate",
        "My personal details posted", "Sexual content", "Other"]
    assert all(c.code for c in CATEGORIES if c.group != "kind")
    assert not any(c.code for c in CATEGORIES if c.group == "kind")
