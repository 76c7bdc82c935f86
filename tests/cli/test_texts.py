"""read-text and list --find: the words in pictures, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evidence_kit.capture import ocr
from evidence_kit.core.vault import Vault
from tests.capture.chat_pictures import POST, chat
from tests.cli.conftest import png
from tests.conftest import PASSPHRASE


def _add(cli, path: Path, data: bytes) -> None:  # type: ignore[no-untyped-def]
    path.write_bytes(data)
    assert cli("add", path).code == 0


def test_list_find_searches_the_text_read_from_pictures(  # type: ignore[no-untyped-def]
        inited, vault_dir: Path, tmp_path: Path) -> None:
    _add(inited, tmp_path / "a.png", png(40, 30))
    _add(inited, tmp_path / "b.png", png(50, 30))
    vault = Vault.open(vault_dir, PASSPHRASE)
    try:
        second = vault.item(2)
        vault.record_text(2, second.sha256, "他知道我住在哪里 — 14 Acacia Avenue",
                          "tesseract 5.5.4", ["eng"])
    finally:
        vault.lock()
    found = inited("list", "--find", "acacia", "--json")
    assert found.code == 0, found.err
    assert [i["id"] for i in json.loads(found.out)] == [2]
    assert "b.png" in inited("list", "--find", "住在").out
    nothing = inited("list", "--find", "tenby")
    assert nothing.code == 0 and "Nothing holds “tenby”" in nothing.out


def test_read_text_refuses_what_is_not_a_picture_and_asks_for_ids(  # type: ignore[no-untyped-def]
        inited, tmp_path: Path) -> None:
    if ocr.available() is not None:
        pytest.skip("Tesseract is not installed")
    note = tmp_path / "call.txt"
    note.write_text("a call", encoding="utf-8")
    assert inited("add", note).code == 0
    refused = inited("read-text", "1")
    assert refused.code == 2 and "not a picture" in refused.err
    assert inited("read-text").code == 2


@pytest.mark.slow
def test_read_text_reads_every_unread_picture_with_tesseract(  # type: ignore[no-untyped-def]
        inited, tmp_path: Path) -> None:
    if ocr.available() is not None:
        pytest.skip("Tesseract is not installed")
    _add(inited, tmp_path / "post.png", chat(POST))
    read = inited("read-text", "--all", "--show")
    assert read.code == 0, read.err
    assert "Item 1: read" in read.out and "14 Acacia Avenue" in read.out
    assert "may contain errors" in read.out
    assert [i["id"] for i in json.loads(inited("list", "--find", "acacia", "--json").out)] == [1]
    assert "already been read" in inited("read-text", "--all").out
    assert inited("verify").code == 0


def test_without_tesseract_read_text_says_so_and_exits_cleanly(  # type: ignore[no-untyped-def]
        inited, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _add(inited, tmp_path / "a.png", png())
    monkeypatch.setattr(ocr, "_candidate_folders", lambda: [tmp_path])
    ocr.reset()
    try:
        result = inited("read-text", "1")
    finally:
        ocr.reset()
    assert result.code != 0
    assert "Text reading is unavailable" in result.err
    assert inited("list").code == 0  # everything else works
