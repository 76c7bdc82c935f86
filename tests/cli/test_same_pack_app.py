"""A LADO pack of two incidents made in the app, driven as a person does, equals the one
the command line makes, field for field.

One vault is filled through the command line and copied. On one copy the referral
details are saved with ``incident referral`` and the pack made with ``export``; on the
other they are typed into the app's form (offered by the export dialog) and the pack is
made by the dialog. The gathered packs are equal once the reference, the time and the
checkpoint are set aside, and so are the PDFs' words.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from evidence_kit.cli import main as cli_main
from evidence_kit.cli.checks import export_request
from evidence_kit.cli.parser import build_parser
from evidence_kit.core import referral
from evidence_kit.core.vault import LOCK_NAME, Vault
from evidence_kit.export.pack import Pack, gather
from evidence_kit.ui.export_dialog import ExportDialog
from evidence_kit.ui.referral_form import ReferralForm
from evidence_kit.ui.tasks import TaskRunner
from tests.cli.test_same_pack import _PACK_ID, _fill, _set_aside, _words
from tests.conftest import PASSPHRASE
from tests.export.conftest import needs_poppler

ADULT = ("Mr A Brown", "parent governor", "a parent of a pupil")
CHILDREN = {1: [("A.B.", "11", "Hillside Academy")],
            2: [("A.B.", "11", "Hillside Academy"), ("C.D.", "10", "Hillside Academy")]}
CRITERIA = {1: (1, 3), 2: (3,)}


@pytest.fixture
def runner(qtbot: Any) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.wait(30_000)


def _referral_by_command_line(vault_dir: Path, incident: int) -> None:
    argv = ["--vault", str(vault_dir), "incident", "referral", str(incident),
            "--adult", ", ".join(ADULT)]
    for child in CHILDREN[incident]:
        argv += ["--child", ", ".join(child)]
    for number in CRITERIA[incident]:
        argv += ["--criterion", str(number)]
    assert cli_main(argv) == 0


def _referral_in_the_app(qtbot: Any, form: ReferralForm, incident: int) -> None:
    assert form.incident_id == incident
    for field, text in zip((form.adult_name, form.adult_role, form.adult_relationship),
                           ADULT, strict=True):
        qtbot.keyClicks(field, text)
    for n, (name, age, school) in enumerate(CHILDREN[incident]):
        if n >= len(form.child_rows):
            qtbot.mouseClick(form.add_child_button, Qt.MouseButton.LeftButton)
        row = form.child_rows[n]
        qtbot.keyClicks(row.name, name)
        qtbot.keyClicks(row.age, age)
        qtbot.keyClicks(row.school, school)
    for number in CRITERIA[incident]:
        box = form.criteria[number - 1]
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()


def _tick(qtbot: Any, dialog: ExportDialog, incident: int) -> None:
    listing = dialog.incident_list
    entry = next(listing.item(r) for r in range(listing.count())
                 if listing.item(r).data(Qt.ItemDataRole.UserRole) == incident)
    rect = listing.visualItemRect(entry)
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(rect.left() + 10, rect.center().y()))


def _without_root(words: list[str]) -> list[str]:
    """The checkpoint's Merkle root set aside: the referral details were saved in each
    copy separately, so the two journals end in records with their own salts."""
    return ["ROOT" if words[n - 2:n] == ["Merkle", "root"] else word
            for n, word in enumerate(words)]


@needs_poppler
def test_a_lado_pack_of_two_incidents_from_the_app_equals_the_command_lines(  # type: ignore[no-untyped-def]
        inited, vault_dir: Path, tmp_path: Path, qtbot: Any, runner: TaskRunner) -> None:
    _fill(inited, tmp_path)
    for step in (("action", "told-parents", "--incident", "2", "--who", "Mrs D",
                  "--reference", "P-1", "--on", "2026-03-14 09:00"),
                 ("action", "told-social-care", "--incident", "2", "--who",
                  "the duty social worker", "--reference", "MASH-77", "--on",
                  "2026-03-14 10:00")):
        done = inited(*step)
        assert done.code == 0, done.err
    copies = {}
    for name in ("cli", "app"):
        copies[name] = tmp_path / f"vault-{name}"
        shutil.copytree(vault_dir, copies[name], ignore=shutil.ignore_patterns(LOCK_NAME))

    # The command line: the details, then the pack.
    for incident in (1, 2):
        _referral_by_command_line(copies["cli"], incident)
    argv = ["--incident", "1,2", "--for", "lado"]
    cli_request = export_request(build_parser().parse_args(
        ["--vault", str(copies["cli"]), "export", *argv, "--out", str(tmp_path)]))
    # Gathered before either export, so neither pack's own export is in the other's
    # continuity.
    with Vault.open(copies["cli"], PASSPHRASE) as cli_vault:
        from_cli = gather(cli_vault, cli_request, cli_vault.checkpoint())
        assert referral.current(cli_vault, 2).children[1].name == "C.D."
    assert cli_main(["--vault", str(copies["cli"]), "export", *argv, "--out",
                     str(tmp_path / "out-cli")]) == 0

    # The app: the export dialog, the details typed into the form it offers, the pack.
    with Vault.open(copies["app"], PASSPHRASE) as app_vault:
        dialog = ExportDialog(app_vault, runner, app_vault.incidents(), 1, [],
                              tmp_path / "out-app")
        qtbot.addWidget(dialog)
        dialog.show()
        _tick(qtbot, dialog, 2)
        button = dialog.recipient_buttons["lado"]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton,
                         pos=QPoint(8, button.height() // 2))
        for incident in (1, 2):
            assert dialog.referral_offer.isVisible()
            qtbot.mouseClick(dialog.referral_button, Qt.MouseButton.LeftButton)
            _referral_in_the_app(qtbot, dialog.referral_form, incident)
        assert not dialog.referral_offer.isVisible()
        app_request = dialog.request()
        assert app_request == cli_request
        from_app = gather(app_vault, app_request, app_vault.checkpoint())
        qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.made is not None, timeout=60_000)
        made = dialog.made
        assert made is not None

    assert len(from_cli.referrals) == 2
    for field in dataclasses.fields(Pack):
        assert getattr(_set_aside(from_cli), field.name) == getattr(
            _set_aside(from_app), field.name), field.name

    cli_pdf = next((tmp_path / "out-cli").glob("*.pdf"))
    cli_id = _PACK_ID.search(cli_pdf.name)
    assert cli_id is not None
    cli_words = _without_root(" ".join(_words(cli_pdf, cli_id.group(0))).split())
    app_words = _without_root(" ".join(_words(made.pdf, made.pack_id)).split())
    text = " ".join(app_words)
    assert "[X] behaved in a way that has harmed a child" in text
    assert "Name or initials: C.D.; Age: 10; School: Hillside Academy" in text
    assert "Social care reference: MASH-77" in text
    # The course of conduct, as the command line's multi-incident pack has it.
    assert "The incidents in this pack" in text
    assert "Course of conduct: accounts and days" in text
    assert "Comments calling me a liar." in text and "Messages to my own account." in text
    missing = Counter(cli_words) - Counter(app_words)
    extra = Counter(app_words) - Counter(cli_words)
    assert not missing and not extra, (missing, extra)
