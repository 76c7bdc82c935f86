"""Text read from pictures, kept in the vault: its event, its search index, verify."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from evidence_kit.core import store
from evidence_kit.core.errors import NotFound
from evidence_kit.core.journal import EventType
from evidence_kit.core.model import FailureKind
from evidence_kit.core.vault import NewItem, Vault


def _png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


def _picture(vault: Vault, colour: str = "white") -> int:
    return vault.add_item(NewItem(data=_png(colour), name=f"{colour}.png",
                                  media_type="image/png")).id


def _read(vault: Vault, item_id: int, text: str) -> None:
    item = vault.item(item_id)
    vault.record_text(item_id, item.sha256, text, "tesseract 5.5.4", ["eng", "urd"])


TEXTS = {
    "red": "Everyone knows where Mrs Jones lives: 14 Acacia Avenue",
    "blue": "یہ پیغام دھمکی آمیز ہے — Zażółć gęślą jaźń",
    "green": "我知道你住在哪里 今晚见 😡🔪",
}


@pytest.fixture
def read_vault(vault: Vault) -> tuple[Vault, dict[str, int]]:
    ids = {colour: _picture(vault, colour) for colour in TEXTS}
    for colour, text in TEXTS.items():
        _read(vault, ids[colour], text)
    return vault, ids


def test_the_reading_is_a_derivative_event_with_the_text_as_a_stored_file(
        read_vault: tuple[Vault, dict[str, int]]) -> None:
    vault, ids = read_vault
    found = vault.read_text(ids["blue"])
    assert found is not None and found.text == TEXTS["blue"]
    assert found.engine == "tesseract 5.5.4" and found.languages == ("eng", "urd")
    event = vault.event(found.seq)
    assert event.type == EventType.TEXT_READ
    assert event.payload["item"] == ids["blue"]
    assert event.payload["of"] == vault.item(ids["blue"]).sha256
    assert "text" not in event.payload  # the words are a stored file, named by hash
    assert event.payload["file"]["size"] == len(TEXTS["blue"].encode())
    # Not in the item's history, so a pack never discloses it.
    assert found.seq not in {e.seq for e in vault.item_history(ids["blue"])}
    assert vault.verify().ok


@pytest.mark.parametrize(("words", "expected"), [
    (["acacia"], {"red"}),
    (["ACACIA", "jones"], {"red"}),
    (["acacia", "tenby"], set()),
    (["پیغام"], {"blue"}),
    (["gęślą"], {"blue"}),
    (["住在哪里"], {"green"}),
    (["今晚"], {"green"}),  # two characters of a script written without spaces
    (["晚今"], set()),
    (["gesla"], {"blue"}),  # accents folded, as people type in a hurry
    (["acac"], {"red"}),  # the start of a word
    (["😡🔪"], {"green"}),
    (["14"], {"red"}),
    (['"quoted'], set()),
])
def test_search_finds_words_in_any_script(read_vault: tuple[Vault, dict[str, int]],
                                          words: list[str], expected: set[str]) -> None:
    vault, ids = read_vault
    assert vault.find_text(words) == {ids[c] for c in expected}


def test_the_index_is_inside_the_encrypted_database(
        read_vault: tuple[Vault, dict[str, int]]) -> None:
    vault, _ids = read_vault
    names = {r[0] for r in vault.conn.execute("SELECT name FROM sqlite_master")}
    assert {"item_texts", "item_text_index"} <= names
    raw = b"".join(p.read_bytes() for p in vault.folder.iterdir() if p.is_file())
    assert b"Acacia" not in raw and "پیغام".encode() not in raw


def test_reading_again_replaces_the_indexed_text(read_vault: tuple[Vault, dict[str, int]]
                                                 ) -> None:
    vault, ids = read_vault
    _read(vault, ids["red"], "A different reading")
    assert vault.find_text(["acacia"]) == set()
    assert vault.find_text(["different"]) == {ids["red"]}
    assert vault.read_text(ids["red"]).text == "A different reading"  # type: ignore[union-attr]
    assert vault.verify().ok


def test_withdrawal_purges_the_text_with_the_picture(
        read_vault: tuple[Vault, dict[str, int]]) -> None:
    vault, ids = read_vault
    other = _picture(vault, "black")
    _read(vault, other, TEXTS["red"])  # the same words, so the same stored file
    vault.withdraw_item(ids["red"], "captured by mistake")
    assert vault.read_text(ids["red"]) is None
    assert vault.find_text(["acacia"]) == {other}
    assert vault.read_text(other).text == TEXTS["red"]  # type: ignore[union-attr]
    vault.withdraw_item(other, "also a mistake")
    assert vault.find_text(["acacia"]) == set()
    sha = vault.event(vault.event_count() - 1).payload["sha256"]
    assert sha  # the withdrawal names the picture
    rows = vault.conn.execute("SELECT count(*) FROM chunks c JOIN blobs b ON b.sha256 = "
                              "c.sha256 WHERE b.purged_seq IS NOT NULL").fetchone()[0]
    assert rows == 0
    assert vault.verify().ok


def test_a_reading_of_a_picture_the_item_no_longer_holds_is_refused(vault: Vault) -> None:
    item_id = _picture(vault)
    with pytest.raises(NotFound):
        vault.record_text(item_id, "0" * 64, "words", "tesseract", ["eng"])
    vault.withdraw_item(item_id, "mistake")
    with pytest.raises(NotFound):
        vault.record_text(item_id, vault.item(item_id).sha256, "words", "tesseract", ["eng"])


def test_verify_notices_changed_text(read_vault: tuple[Vault, dict[str, int]]) -> None:
    vault, ids = read_vault
    found = vault.read_text(ids["red"])
    assert found is not None
    vault.conn.execute("UPDATE chunks SET data = ? WHERE sha256 = ?",
                       (b"Nobody knows anything", found.sha256))
    report = vault.verify()
    assert [f.kind for f in report.failures] == [FailureKind.CONTENT_CHANGED]
    assert report.failures[0].seq == found.seq


def test_items_without_text_are_the_unread_pictures(vault: Vault) -> None:
    first, second = _picture(vault, "red"), _picture(vault, "blue")
    vault.add_item(NewItem(data=b"a note", name="n.txt", media_type="text/plain"))
    _read(vault, first, "")  # read, nothing found: not read again
    assert vault.items_without_text() == [second]


def test_an_older_vault_is_upgraded_to_hold_text(vault: Vault) -> None:
    vault.conn.execute("DROP TABLE item_text_index")
    vault.conn.execute("DROP TABLE item_texts")
    vault.conn.execute("PRAGMA user_version = 2")
    store.migrate(vault.conn)
    item_id = _picture(vault)
    _read(vault, item_id, "upgraded words")
    assert vault.find_text(["upgraded"]) == {item_id}
