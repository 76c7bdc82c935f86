"""Does a fresh capture look the same as the original? Pictures drawn here."""

from __future__ import annotations

from evidence_kit.capture import likeness
from evidence_kit.core.vault import NewItem, Vault
from tests.capture.chat_pictures import OTHER_POST, POST, chat, rescaled_jpeg


def test_the_same_post_recaptured_shifted_or_rescaled_looks_the_same() -> None:
    original = chat(POST)
    for again in (chat(POST, shift=3), rescaled_jpeg(original)):
        found = likeness.compare_pictures(original, again)
        assert found.same, found
        assert found.bits_apart is not None and found.bits_apart <= likeness.SAME_BITS


def test_a_different_post_in_the_same_layout_looks_different_once_words_are_read() -> None:
    original, other = chat(POST), chat(OTHER_POST)
    with_words = likeness.compare_pictures(original, other, "\n".join(POST),
                                           "\n".join(OTHER_POST))
    assert not with_words.same
    assert with_words.words is not None and with_words.words < 0.3


def test_one_changed_count_still_looks_the_same_but_a_deleted_comment_does_not() -> None:
    original = chat(POST)
    liked = [*POST[:-1], "Liked by 215 people · 3 hours ago"]
    assert likeness.compare_pictures(original, chat(liked), "\n".join(POST),
                                     "\n".join(liked)).same
    gone = POST[3:]
    assert not likeness.compare_pictures(original, chat(gone), "\n".join(POST),
                                         "\n".join(gone)).same


def test_a_picture_that_cannot_be_decoded_is_never_the_same() -> None:
    found = likeness.compare_pictures(chat(POST), b"not a picture")
    assert not found.same and found.bits_apart is None


def test_look_alikes_names_the_near_duplicate_but_not_its_own_redacted_copy(
        vault: Vault) -> None:
    def add(data: bytes, name: str, details: dict[str, object] | None = None) -> int:
        return vault.add_item(NewItem(data=data, name=name, media_type="image/png",
                                      details=details or {})).id

    first = add(chat(POST), "first.png")
    add(chat(OTHER_POST, size=(900, 1400)), "other.png")
    copy = add(chat(POST, shift=1), "copy.png", {"derived_from": {"item": first}})
    again = vault.add_item(NewItem(data=rescaled_jpeg(chat(POST)), name="again.jpg",
                                   media_type="image/jpeg"))
    found = likeness.look_alikes(vault, again, vault.items())
    assert [f.item.id for f in found] == [first, copy]
    assert likeness.look_alikes(vault, vault.item(copy), vault.items()) == [
        likeness.LookAlike(vault.item(again.id), found[1].likeness)]
