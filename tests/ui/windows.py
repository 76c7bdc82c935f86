"""Every top-level window the app shows, built for real on a real vault, in each of its states.

The keyboard, mnemonic and screen-size tests walk this one list, so a window added to the
app and left out here is the only way to escape them: add new windows here.

Each state is a name and a function that puts the window into that state (a tab, a wizard
page, a page of the main window) and returns it, shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from evidence_kit.core import keys
from evidence_kit.core.profile import Profile
from evidence_kit.core.vault import Vault
from evidence_kit.ui.controller import AppController
from evidence_kit.ui.tasks import TaskRunner
from tests.conftest import PASSPHRASE
from tests.ui.conftest import Prepared, unlock


@dataclass(frozen=True)
class State:
    name: str
    show: Callable[[], QWidget]


def _shown(widget: QWidget) -> QWidget:
    widget.show()
    widget.activateWindow()
    for _ in range(5):
        QApplication.processEvents()
    return widget


def _tabs(name: str, widget: QWidget, tabs: QTabWidget) -> Iterator[State]:
    for index in range(tabs.count()):
        def show(index: int = index) -> QWidget:
            tabs.setCurrentIndex(index)
            return _shown(widget)
        yield State(f"{name}, tab {tabs.tabText(index).replace('&', '')!r}", show)


def _image() -> QImage:
    image = QImage(1600, 1000, QImage.Format.Format_RGB32)
    image.fill(QColor("#3b5998"))
    return image


def main_window_states(controller: AppController, unlock: Callable[[], None],
                       item: int) -> Iterator[State]:
    """The main window's pages: locked, the evidence list, one item."""
    window = controller.window

    def locked() -> QWidget:
        controller.show_start_page()
        return _shown(window)

    def browser() -> QWidget:
        if not controller.session.is_unlocked:
            unlock()
        assert controller.workspace is not None
        controller.workspace.show_browser()
        return _shown(window)

    def viewer() -> QWidget:
        browser()
        assert controller.workspace is not None
        controller.workspace.open_item(item)
        return _shown(window)

    yield State("main window, unlock page", locked)
    yield State("main window, evidence list", browser)
    yield State("main window, an item", viewer)


def welcome_state(controller: AppController) -> State:
    def show() -> QWidget:
        controller.show_start_page()
        return _shown(controller.window)
    return State("main window, welcome page", show)


def dialog_states(vault: Vault, folder: Path, parent: QWidget | None,
                  keep: list[Any]) -> Iterator[State]:
    """Every dialog, each built as its controller builds it (``keep`` holds them alive)."""
    from evidence_kit.capture.categories import CATEGORIES
    from evidence_kit.core.actions import ACTION_KINDS
    from evidence_kit.ui.about import AboutDialog
    from evidence_kit.ui.capture_dialog import CaptureDetailsDialog
    from evidence_kit.ui.dialogs import (
        ChangePassphraseDialog,
        EditDetailsDialog,
        SettingsDialog,
        VerifyDialog,
    )
    from evidence_kit.ui.export_dialog import ExportDialog
    from evidence_kit.ui.first_run import FirstRunActions, FirstRunWizard
    from evidence_kit.ui.guidance import GuidanceDialog
    from evidence_kit.ui.packs_made import PacksMadeDialog
    from evidence_kit.ui.redact_dialog import RedactDialog
    from evidence_kit.ui.referral_form import ReferralForm
    from evidence_kit.ui.stop_path_dialog import StopPathDialog
    from evidence_kit.ui.tracking import RecordActionDialog
    from evidence_kit.ui.unlock import RecoveryDialog
    from evidence_kit.ui.verify_bundle_dialog import VerifyBundleDialog

    tasks = TaskRunner()
    keep.append(tasks)
    items = vault.items()
    item = items[0]
    incidents = vault.incidents()
    profile = Profile(name="Jo Smith", role="Year 6 teacher", initials="JS",
                      school="Riverside Primary School")
    categories = [(c.id, c.label) for c in CATEGORIES]

    def made(factory: Callable[[], QWidget]) -> Callable[[], QWidget]:
        made_: list[QWidget] = []

        def show() -> QWidget:
            if not made_:
                made_.append(factory())
                keep.append(made_[0])
            return _shown(made_[0])
        return show

    settings = SettingsDialog(profile, 5, folder, folder, vault.key_fingerprint, parent,
                              shortcut="Ctrl+Alt+Shift+E")
    keep.append(settings)
    yield from _tabs("Settings", settings, settings.tabs)

    def create(_passphrase: str, done: Callable[[str], None],
               _failed: Callable[[BaseException], None]) -> None:
        done("ABCD-EFGH-IJKL-MNOP-QRST-UVWX")

    wizard = FirstRunWizard(FirstRunActions(create=create, print_code=lambda _w, _c: None,
                                            save_code=lambda _w, _c: False,
                                            save_profile=lambda _p: None),
                            str, parent)
    keep.append(wizard)
    for page_id in wizard.pageIds():
        def show_page(page_id: int = page_id) -> QWidget:
            _shown(wizard)
            while wizard.currentId() != page_id:
                if wizard.currentId() == wizard.pageIds()[0]:
                    form = wizard.passphrase_page.form
                    form.first.edit.setText(PASSPHRASE)
                    form.second.edit.setText(PASSPHRASE)
                if wizard.currentPage() is wizard.recovery_page:
                    wizard.recovery_page.confirm.setChecked(True)
                wizard.next()
                QApplication.processEvents()
            return _shown(wizard)
        yield State(f"first-run wizard, {wizard.page(page_id).title()!r}", show_page)

    yield State("capture details", made(lambda: CaptureDetailsDialog(
        item, _image(), incidents, None, None, parent)))
    yield State("edit details", made(lambda: EditDetailsDialog(item, categories, parent)))
    yield State("export", made(lambda: ExportDialog(vault, tasks, incidents, None, [item],
                                                    folder.parent, parent)))
    yield State("redact", made(lambda: RedactDialog(vault, tasks, item, _image(), parent)))
    yield State("LADO referral details", made(lambda: ReferralForm(vault, incidents[0].id,
                                                                     parent)))
    yield State("stop path", made(lambda: StopPathDialog(profile, True, "today 10:15",
                                                         parent)))
    yield State("stop path, locked", made(lambda: StopPathDialog(profile, False,
                                                                 "today 10:15", parent)))
    now = dt.datetime(2026, 3, 16, 16, 5, tzinfo=dt.UTC)
    for kind in ACTION_KINDS:
        yield State(f"record what you did: {kind.label}", made(
            lambda kind=kind: RecordActionDialog(kind, now, [(1, "Remove the post")], None,
                                                 parent)))
    yield State("guidance", made(lambda: GuidanceDialog(profile, "Ctrl+Alt+Shift+E", parent)))
    yield State("about", made(lambda: AboutDialog(folder, folder / "app.json", parent)))
    yield State("packs you made", made(lambda: PacksMadeDialog(vault, tasks, parent)))
    yield State("check a pack", made(lambda: VerifyBundleDialog(tasks, parent)))
    yield State("check the vault", made(lambda: VerifyDialog(parent)))
    yield State("change passphrase", made(lambda: ChangePassphraseDialog(parent)))
    yield State("recovery code", made(lambda: RecoveryDialog(parent)))


def fits(window: QWidget) -> str | None:
    """Why ``window`` does not fit the screen it is on, or None."""
    screen = window.screen()
    area = screen.availableGeometry()
    frame = window.frameGeometry()
    if not area.contains(frame):
        return (f"{frame.width()}×{frame.height()} at ({frame.x()}, {frame.y()}) outside "
                f"the available {area.width()}×{area.height()}")
    return None


def outside(window: QWidget, widget: QWidget) -> bool:
    """Whether ``widget`` is (even partly) cut off by its window's edges."""
    top_left = widget.mapTo(window, widget.rect().topLeft())
    rect = QRect(top_left, widget.size())
    return not window.rect().contains(rect)


@pytest.fixture
def states(qtbot: Any, make_app: Callable[..., AppController], prepared: Prepared,
           tmp_path: Path) -> Iterator[list[State]]:
    controller = make_app(prepared.folder)
    empty = make_app(tmp_path / "no vault yet")
    keep: list[Any] = []
    listed = [welcome_state(empty)]
    listed += main_window_states(controller, lambda: unlock(qtbot, controller),
                                 prepared.items["fb0"])
    # The dialogs on a vault of their own: the app's controller holds the prepared one.
    opened, _code = Vault.create(tmp_path / "dialogs", PASSPHRASE, kdf=keys.FLOOR_PARAMS)
    try:
        from evidence_kit.intake import Details, import_files
        from tests.ui.conftest import picture
        src = picture(tmp_path / "post.png", (1600, 1000), "#3b5998", "post")
        opened.create_incident("Facebook group comments")
        import_files(opened, [src], Details(incident=1, url="https://example.com/p/1"))
        listed += dialog_states(opened, tmp_path / "dialogs", controller.window, keep)
        yield listed
    finally:
        for widget in keep:
            if isinstance(widget, QWidget) and shiboken6.isValid(widget):
                widget.close()
        opened.lock()
