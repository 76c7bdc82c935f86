"""The dialog a recipient uses to check a pack: intact, altered and not-a-pack, in words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from evidence_kit.core import keys
from evidence_kit.core.vault import Vault
from evidence_kit.export.exporter import ExportResult, export_pack
from evidence_kit.export.pack import PackRequest
from evidence_kit.ui.messages import bundle_words
from evidence_kit.ui.tasks import TaskRunner
from evidence_kit.ui.verify_bundle_dialog import VerifyBundleDialog
from tests.conftest import PASSPHRASE
from tests.export.conftest import populate, rewrite_zip

from .conftest import Prepared

pytestmark = pytest.mark.gui



@pytest.fixture
def pack(vault: Vault, tmp_path: Path) -> ExportResult:
    incident, _other, _items, _redacted = populate(vault)
    return export_pack(vault, PackRequest(recipient="police", incident=incident),
                       tmp_path / "out")


def _check(qtbot: Any, runner: TaskRunner, path: Path) -> VerifyBundleDialog:
    dialog = VerifyBundleDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.path, str(path))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert dialog.running and dialog.busy.isVisible()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    assert not dialog.busy.isVisible()
    return dialog


def _lines(dialog: VerifyBundleDialog, which: str) -> list[str]:
    listing = dialog.exhibits if which == "exhibits" else dialog.checks
    return [listing.item(row).text() for row in range(listing.count())]


def test_intact_pack(qtbot: Any, runner: TaskRunner, pack: ExportResult) -> None:
    dialog = _check(qtbot, runner, pack.bundle)
    assert dialog.words is not None and dialog.words.ok
    assert dialog.headline.text() == "Intact: nothing in this pack was changed."
    assert "#1b5e20" in dialog.headline.styleSheet()  # green
    assert pack.pack_id in dialog.details.text()
    exhibits = _lines(dialog, "exhibits")
    assert len(exhibits) == pack.exhibits
    assert all(line.startswith("✔  Exhibit JS/") and "unchanged" in line for line in exhibits)
    assert any("redacted copy" in line for line in exhibits)
    checks = _lines(dialog, "checks")
    assert checks and all(line.startswith("✔") for line in checks)
    assert any(line.startswith("✔  Signature:") for line in checks)
    assert dialog.tabs.isVisible() and dialog.tabs.currentIndex() == 0
    assert "fingerprint" in dialog.next_steps.text()


def test_altered_original_is_named(qtbot: Any, runner: TaskRunner, pack: ExportResult,
                                   tmp_path: Path) -> None:
    altered = tmp_path / "altered.zip"

    def flip(name: str, data: bytes) -> bytes:
        if name.startswith("originals/JS-2_"):
            return data[:100] + bytes([data[100] ^ 1]) + data[101:]
        return data

    rewrite_zip(pack.bundle, altered, flip)
    dialog = _check(qtbot, runner, altered)
    assert dialog.words is not None and not dialog.words.ok
    assert dialog.headline.text() == "Altered: this pack is not as it was signed."
    assert "#a3231a" in dialog.headline.styleSheet()  # red
    assert "originals/JS-2_" in dialog.details.text()
    assert "1 of 7 exhibits does not match what was recorded: JS/2" in dialog.details.text()
    checks = _lines(dialog, "checks")
    assert any(line.startswith("✘  Files:") and "originals/JS-2_" in line for line in checks)
    assert any(line.startswith("✔  Signature:") for line in checks)
    assert any(line.startswith("✔  Disclosed records:") for line in checks)
    exhibits = _lines(dialog, "exhibits")
    assert [line[:1] for line in exhibits] == ["✔", "✘", "✔", "✔", "✔", "✔", "✔"]
    assert exhibits[1].startswith("✘  Exhibit JS/2: DOES NOT MATCH.")
    assert dialog.tabs.currentIndex() == 0
    assert "fresh copy" in dialog.next_steps.text()


def test_forged_list_shows_the_checks(qtbot: Any, runner: TaskRunner, pack: ExportResult,
                                      tmp_path: Path) -> None:
    forged = tmp_path / "forged.zip"
    rewrite_zip(pack.bundle, forged, lambda n, d: d.replace(b"  originals/", b"  originalz/")
                if n == "SHA256SUMS" else d)
    dialog = _check(qtbot, runner, forged)
    assert dialog.headline.text().startswith("Altered")
    assert "signature" in dialog.details.text().lower()
    assert dialog.tabs.currentIndex() == 1  # no exhibit was reached: the checks are shown
    assert _lines(dialog, "checks")[0].startswith("✘  Signature:")


def test_altered_redacted_copy_is_named_per_exhibit(pack: ExportResult, tmp_path: Path
                                                    ) -> None:
    """A file changed and SHA256SUMS re-made to match, without the key: the signature
    catches it; and the words name what was found for each exhibit checked."""
    from evidence_kit.export.verify import verify_bundle

    report = verify_bundle(pack.bundle)
    words = bundle_words(report)
    assert [ok for ok, _ in words.exhibits] == [True] * pack.exhibits
    broken = tmp_path / "sums.zip"
    rewrite_zip(pack.bundle, broken, lambda n, d: d.replace(b"  originals/", b"  originalz/")
                if n == "SHA256SUMS" else d)
    words = bundle_words(verify_bundle(broken))
    assert not words.ok and "signature" in words.details.lower()


def test_not_a_pack(qtbot: Any, runner: TaskRunner, tmp_path: Path) -> None:
    other = tmp_path / "holiday.zip"
    import zipfile

    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("photo.jpg", b"not evidence")
    dialog = _check(qtbot, runner, other)
    assert dialog.headline.text() == "This is not an Evidence Kit pack."
    assert "Nothing was extracted" in dialog.details.text()
    assert not dialog.tabs.isVisible()
    assert "evidence-pack-" in dialog.next_steps.text()
    dialog.path.setText(str(tmp_path / "missing.zip"))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    assert "no such file" in dialog.details.text().lower()


# ---- from the app, with no vault unlocked -----------------------------------------------


def _open_dialogs() -> list[VerifyBundleDialog]:
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, VerifyBundleDialog) and w.isVisible()]


def test_reachable_while_locked_and_without_a_vault(
        qtbot: Any, make_app: Any, prepared: Prepared, tmp_path: Path) -> None:
    sender, _code = Vault.create(tmp_path / "sender", PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    try:
        incident, _other, _items, _redacted = populate(sender)
        pack = export_pack(sender, PackRequest(recipient="lado", incident=incident),
                           tmp_path / "received")
    finally:
        sender.lock()
    app = make_app(prepared.folder)
    assert not app.session.is_unlocked
    assert app.window.verify_bundle_action.isEnabled()
    assert app.window.verify_bundle_action in app.window.file_menu.actions()
    assert app.window.verify_bundle_action in app.window.help_menu.actions()
    qtbot.mouseClick(app.unlock_view.check_pack_button, Qt.MouseButton.LeftButton)
    assert len(_open_dialogs()) == 1
    app.window.verify_bundle_action.trigger()
    assert len(_open_dialogs()) == 1  # the one already open is brought forward
    dialog = _open_dialogs()[0]
    dialog.path.setText(str(pack.bundle))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    assert dialog.words is not None and dialog.words.ok
    dialog.close()

    nobody = make_app(tmp_path / "no-vault-here")  # a recipient who has no vault at all
    assert nobody.window.pages.currentWidget() is nobody.welcome_view
    qtbot.mouseClick(nobody.welcome_view.check_pack_button, Qt.MouseButton.LeftButton)
    assert len(_open_dialogs()) == 1


def test_checked_against_an_earlier_pack(qtbot: Any, runner: TaskRunner, vault: Vault,
                                         pack: ExportResult, tmp_path: Path) -> None:
    vault.add_note("Something happened after the first pack.")
    later = export_pack(vault, PackRequest(recipient="slt", incident=1), tmp_path / "later")
    dialog = VerifyBundleDialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.since, str(pack.bundle))
    qtbot.keyClicks(dialog.path, str(later.bundle))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    assert dialog.words is not None and dialog.words.ok
    history = [line for line in _lines(dialog, "checks") if "Against the earlier pack" in line]
    assert len(history) == 1 and "Nothing recorded before the pack of" in history[0]
    # The other way round the earlier pack holds events the "new" one lacks.
    dialog.report = None
    dialog.since.setText(str(later.bundle))
    dialog.path.setText(str(pack.bundle))
    dialog.check()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    assert dialog.words is not None and not dialog.words.ok
    assert "removed" in dialog.words.details
