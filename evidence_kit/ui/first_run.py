"""First run: choose a passphrase, keep the recovery code, say who you are and whom to tell.

The wizard is layout and page flow only. Creating the vault, saving the recovery code
and the profile are done by the callbacks it is given (the app controller's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from evidence_kit.core.profile import Profile
from evidence_kit.ui.passphrase import NewPassphraseForm
from evidence_kit.ui.profile_forms import ContactsEditor, ProfileForm, profile_from
from evidence_kit.ui.style import fit_to_screen


@dataclass(frozen=True)
class FirstRunActions:
    """What the wizard asks its controller to do."""

    create: Callable[[str, Callable[[str], None], Callable[[BaseException], None]], None]
    print_code: Callable[[QWidget, str], None]
    save_code: Callable[[QWidget, str], bool]
    save_profile: Callable[[Profile], None]


def _scrolling_layout(page: QWizardPage) -> QVBoxLayout:
    """The layout to fill a page with, inside a scroll area: at 200 % or on a small screen
    the page scrolls and the wizard's own buttons (Create my vault, Next) stay in view."""
    body = QWidget(page)
    area = QScrollArea(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(body)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(area)
    return QVBoxLayout(body)


def _para(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class PassphrasePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle("Choose a passphrase")
        self.setSubTitle("Your evidence is kept encrypted on this computer. The passphrase "
                         "is the key.")
        self.form = NewPassphraseForm(self, "Passphrase")
        warning = _para(
            "<b>Nobody can reset this passphrase for you</b>, not even the people who "
            "make Evidence Kit. Next you will get a recovery code: it is the only other "
            "way in. Choose something other people in your home cannot guess, such as "
            "four or five unrelated words.", self)
        warning.setProperty("warning", True)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setVisible(False)
        self.busy.setAccessibleName("Creating your vault")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")
        layout = _scrolling_layout(self)
        layout.addWidget(self.form)
        layout.addWidget(warning)
        layout.addStretch(1)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Create my vault")
        self.form.validityChanged.connect(lambda _v: self.completeChanged.emit())
        self.form.submitted.connect(self._submit)
        self._creating = False

    def initializePage(self) -> None:
        self.form.setFocus()

    def isComplete(self) -> bool:
        return self.form.valid and not self._creating

    def _submit(self) -> None:
        if self.isComplete():
            self._wizard.next()

    def validatePage(self) -> bool:
        if self._wizard.recovery_code:
            return True
        if self._creating or not self.form.valid:
            return False
        self._creating = True
        self.completeChanged.emit()
        self.form.setEnabled(False)
        self.busy.setVisible(True)
        self.status.setText("Creating your encrypted vault. This takes a few seconds…")
        self._wizard.ops.create(self.form.passphrase(), self._created, self._failed)
        return False

    def _created(self, code: str) -> None:
        self._creating = False
        self._wizard.recovery_code = code
        self.busy.setVisible(False)
        self.status.setText("")
        self.form.clear()
        self._wizard.next()

    def _failed(self, message: BaseException) -> None:
        self._creating = False
        self.busy.setVisible(False)
        self.form.setEnabled(True)
        self.status.setText(self._wizard.describe(message))
        self.completeChanged.emit()


class RecoveryPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle("Your recovery code")
        self.setSubTitle("This is shown only once. Write it down now.")
        intro = _para(
            "If you ever forget your passphrase, this code is the only way back into your "
            "evidence. Write it on paper and keep it somewhere safe that other people in "
            "your home do not look, away from this computer.", self)
        self.code = QLabel(self)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setWordWrap(True)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setWeight(QFont.Weight.Bold)
        self.code.setFont(font)
        self.code.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.code.setAccessibleName("Recovery code")
        self.code.setProperty("codeBox", True)
        self.print_button = QPushButton("&Print…", self)
        self.save_button = QPushButton("&Save to a file…", self)
        self.print_button.clicked.connect(
            lambda: wizard.ops.print_code(self, self._wizard.recovery_code))
        self.save_button.clicked.connect(self._save)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        self.saved = QLabel(self)
        self.saved.setWordWrap(True)
        file_note = _para(
            "A file with the code on this computer is only as safe as the computer: if you "
            "save it, put it on a USB stick or print it, then delete the file.", self)
        file_note.setProperty("hint", True)
        self.confirm = QCheckBox("I have &written it down (or printed it) and put it "
                                 "somewhere safe", self)
        self.confirm.toggled.connect(self._confirmed)
        layout = _scrolling_layout(self)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(self.code)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        layout.addWidget(self.saved)
        layout.addWidget(file_note)
        layout.addStretch(1)
        layout.addWidget(self.confirm)

    def initializePage(self) -> None:
        self.code.setText(self._wizard.recovery_code)
        # Focus on the tick box (Space ticks it): a blinking cursor in the code made it look
        # editable. After the wizard's own focus choice, which would put it in the code.
        QTimer.singleShot(0, self.confirm.setFocus)
        self._confirmed(self.confirm.isChecked())

    def _confirmed(self, checked: bool) -> None:
        # Until the code is safe, nothing may close the wizard and lose it.
        cancel = self._wizard.button(QWizard.WizardButton.CancelButton)
        if cancel is not None:
            cancel.setEnabled(checked)
        self.completeChanged.emit()

    def _save(self) -> None:
        if self._wizard.ops.save_code(self, self._wizard.recovery_code):
            self.saved.setText("Saved. Remember to move it off this computer.")

    def isComplete(self) -> bool:
        return self.confirm.isChecked()

    def cleanupPage(self) -> None:
        self.code.clear()


class ProfilePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard)
        self.setTitle("About you")
        self.setSubTitle("This goes on the evidence packs you give to your school or the "
                         "police. You can change it later in Settings.")
        self.form = ProfileForm(self)
        self.setButtonText(QWizard.WizardButton.CancelButton, "Skip for now")
        layout = _scrolling_layout(self)
        layout.addWidget(self.form)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.form.name.setFocus()


class ContactsPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard)
        self.setTitle("People you can turn to")
        self.setSubTitle("Your school's policy says whom to tell. Fill in what you know now; "
                         "leave the rest for later (Settings).")
        self.editor = ContactsEditor(self)
        self.setButtonText(QWizard.WizardButton.CancelButton, "Skip for now")
        layout = _scrolling_layout(self)
        layout.addWidget(self.editor)


class FirstRunWizard(QWizard):
    def __init__(
        self, actions: FirstRunActions, describe: Callable[[BaseException], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = actions
        self.describe = describe
        self.recovery_code = ""
        self.setWindowTitle("Evidence Kit")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, False)
        self.passphrase_page = PassphrasePage(self)
        self.recovery_page = RecoveryPage(self)
        self.profile_page = ProfilePage(self)
        self.contacts_page = ContactsPage(self)
        for page in (self.passphrase_page, self.recovery_page, self.profile_page,
                     self.contacts_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Finish")
        fit_to_screen(self, 720, 600)

    def reject(self) -> None:
        if self.recovery_code and self.currentPage() is self.recovery_page \
                and not self.recovery_page.confirm.isChecked():
            return  # the code is shown once: do not let Escape lose it
        if self.recovery_code:
            self._save_profile()
            self.recovery_code = ""
        super().reject()

    def accept(self) -> None:
        self._save_profile()
        self.recovery_code = ""
        super().accept()

    def _save_profile(self) -> None:
        if self.currentId() >= self.pageIds()[2]:
            self.ops.save_profile(profile_from(self.profile_page.form,
                                                   self.contacts_page.editor))
