"""Exporting: redactions, chosen items, the command line, and failures that leave nothing."""

from __future__ import annotations

import errno
import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from evidence_kit.core.errors import NotFound, StorageFull
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export import exporter
from evidence_kit.export.bundle import BundleWriter
from evidence_kit.export.errors import NothingToExport, RedactionRefused
from evidence_kit.export.pack import PackRequest, gather
from evidence_kit.export.redact import Box, redact_item
from evidence_kit.export.verify import verify_bundle
from tests.conftest import CliResult, run_cli_process
from tests.export.conftest import ZONE, Built, populate, screenshot


def _members(bundle: Path) -> list[str]:
    with zipfile.ZipFile(bundle) as z:
        return z.namelist()


def test_redaction_keeps_the_original_and_links_to_it(built: Built) -> None:
    vault = built.vault
    original = vault.item(built.items["arabic"])
    copy = vault.item(built.redacted_item)
    assert copy.details["derived_from"]["sha256"] == original.sha256
    assert hashlib.sha256(vault.read_blob(original.sha256)).hexdigest() == original.sha256
    assert copy.sha256 != original.sha256
    names = _members(built.packs["slt"].bundle)
    assert any(n.startswith("redacted/JS-") for n in names)
    assert not any("capture-arabic.png" in n and n.startswith("originals/") for n in names)


def test_earlier_exports_are_not_read_into_each_exhibit(built: Built) -> None:
    """An export's record names every item it carried; reading it again for every item
    of the next pack made gathering cost exports × items² (22 s for 500 items after three
    exports). The exhibits' histories leave such records out, and never read them."""
    vault = built.vault
    item = built.items["polish"]
    assert any(e.type == "export.started" for e in vault.item_history(item))
    assert all(e.type != "export.started" for e in vault.item_history(
        item, exclude={"export.started", "export.made", "item.extracted"}))
    pack = gather(vault, PackRequest(recipient="slt", incident=built.incident),
                  vault.checkpoint())
    histories = [e for exhibit in pack.exhibits for e in exhibit.history]
    assert histories and all(e.type not in ("export.made", "export.started")
                             for e in histories)


def test_police_can_include_originals_and_choose_items(built: Built, tmp_path: Path) -> None:
    chosen = (built.items["arabic"], built.items["email"])
    result = built.export(PackRequest(recipient="police", items=chosen,
                                      include_originals=True, timezone=ZONE), tmp_path)
    names = _members(result.bundle)
    assert any(n.endswith("capture-arabic.png") and n.startswith("originals/") for n in names)
    assert any(n.startswith("redacted/") for n in names)
    assert result.exhibits == 2
    report = verify_bundle(result.bundle)
    assert report.ok, report.text()
    with zipfile.ZipFile(result.bundle) as z:
        manifest = json.loads(z.read("manifest.json"))
    assert {e["item"] for e in manifest["exhibits"]} == set(chosen)


def test_redaction_refusals(built: Built) -> None:
    with pytest.raises(RedactionRefused, match="not inside"):
        redact_item(built.vault, built.items["cyrillic"], [Box(1900, 0, 100, 10)])
    with pytest.raises(RedactionRefused, match="not an image"):
        redact_item(built.vault, built.items["email"], [Box(0, 0, 1, 1)])
    with pytest.raises(RedactionRefused, match="itself a redacted copy"):
        redact_item(built.vault, built.redacted_item, [Box(0, 0, 1, 1)])
    with pytest.raises(RedactionRefused, match="LEFT,TOP,WIDTH,HEIGHT"):
        Box.parse("1,2,3")


def test_nothing_to_export(vault: Vault, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    empty = vault.create_incident("Nothing yet")
    with pytest.raises(NothingToExport):
        exporter.export_pack(vault, PackRequest(recipient="slt", incident=empty.id), tmp_path)
    with pytest.raises(NotFound):
        exporter.export_pack(vault, PackRequest(recipient="slt", incident=99), tmp_path)
    item = vault.add_item(NewItem(data=screenshot(200, 100, (1, 2, 3)), name="a.png",
                                  media_type="image/png", incident=empty.id))
    vault.withdraw_item(item.id, "added by mistake")
    with pytest.raises(NothingToExport, match="withdrawn"):
        exporter.export_pack(vault, PackRequest(recipient="slt", items=(item.id,)), tmp_path)
    assert not tmp_path.exists()


def test_full_disk_leaves_no_partial_pack(vault: Vault, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    incident, _other, _items, _red = populate(vault)
    before = vault.event_count()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    # The exhibits go into the ZIP from the reading thread, while the PDF is laid out.
    monkeypatch.setattr(BundleWriter, "add_original", full)
    out = tmp_path / "out"
    with pytest.raises(StorageFull, match="disk is full"):
        exporter.export_pack(vault, PackRequest(recipient="slt", incident=incident), out)
    assert list(out.iterdir()) == []  # no pack, no staging folder
    assert vault.event_count() == before + 0 or all(
        e.type != "export.made" for e in vault.events(before))


def _cli(cli: object, *args: str | Path) -> CliResult:
    return cli(*args)  # type: ignore[operator, no-any-return]


@pytest.mark.slow
def test_cli_export_and_verify_bundle(cli: object, vault_dir: Path, tmp_path: Path) -> None:
    assert _cli(cli, "init").code == 0
    vault = Vault.open(vault_dir, "correct horse battery staple")
    try:
        incident, _o, _i, _r = populate(vault)
    finally:
        vault.lock()
    out = tmp_path / "packs"
    done = _cli(cli, "export", "--incident", str(incident), "--for", "police", "--out", out)
    assert done.code == 0, done.err
    bundle = next(out.glob("*.zip"))
    assert str(bundle) in done.out and "SHA-256" in done.out
    # verify-bundle needs no vault: run it as a recipient would, with no vault at all.
    checked = run_cli_process("verify-bundle", bundle, "--json",
                              env={"EVIDENCE_KIT_VAULT": str(tmp_path / "nowhere")})
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["status"] == "intact"
    words = run_cli_process("verify-bundle", bundle)
    assert words.returncode == 0 and "INTACT" in words.stdout
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip")
    assert run_cli_process("verify-bundle", broken).returncode == 2
    with pytest.raises(SystemExit) as usage:
        _cli(cli, "export", "--items", "1,x", "--for", "police", "--out", out)
    assert usage.value.code == 2
    wrong = _cli(cli, "export", "--incident", "99", "--for", "lado", "--out", out)
    assert wrong.code == 2 and "no incident 99" in wrong.err.lower()
