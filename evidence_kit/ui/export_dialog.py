"""Making an evidence pack: what goes in, for whom, how it is marked and where it goes.

The pack is made off the UI thread through the app's task runner (it reads every
exhibit and writes a PDF and a ZIP, which takes seconds to a minute). It writes to the
vault (the export is recorded as an event), so a lock asked for meanwhile waits for it,
or stops it at the next exhibit: a stopped export leaves no files behind and records
nothing. At the end the dialog shows the two files with their SHA-256 fingerprints.

Several incidents can go in one pack (a course of conduct). Where the pack needs
exhibit marks and no initials are set, the dialog asks for them itself; for the LADO it
offers the referral details form when an incident has none.

Over 400 lines on purpose: one form (what, for whom, marking, where) and the task
that makes the pack; the pack itself is made in the export package.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from evidence_kit import wording
from evidence_kit.core import marks, referral
from evidence_kit.core.model import Incident, Item
from evidence_kit.core.profile import Profile, load_profile, save_profile
from evidence_kit.core.vault import Vault
from evidence_kit.export.exporter import ExportResult, export_pack
from evidence_kit.export.pack import DEFAULT_MARKING, DERIVATION_KEY, PackRequest, Recipient
from evidence_kit.ui import text
from evidence_kit.ui.messages import describe, show_error
from evidence_kit.ui.profile_forms import suggest_initials
from evidence_kit.ui.referral_form import ReferralForm
from evidence_kit.ui.style import fit_to_screen
from evidence_kit.ui.tasks import Cancelled, TaskHandle, TaskRunner

log = logging.getLogger(__name__)

FOLDER_SETTING = "export_folder"

RECIPIENT_CHOICES: tuple[tuple[Recipient, str, str], ...] = (
    ("slt", "&Senior leadership team (SLT)",
     "A summary, what the school's policy asks of it, and the actions you request."),
    ("police", "The &police",
     "Adds an exhibit list and a draft paragraph for your witness statement."),
    ("lado", "The &LADO",
     "Adds the fields a referral to the Local Authority Designated Officer asks for."),
)


def default_folder() -> Path:
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    base = Path(documents) if documents and Path(documents).is_dir() else Path.home()
    return base / "Evidence packs"


def _hint(words: str, parent: QWidget) -> QLabel:
    label = QLabel(words, parent)
    label.setWordWrap(True)
    label.setProperty("hint", True)
    return label


def is_redacted_copy(item: Item) -> bool:
    return isinstance(item.details, dict) and DERIVATION_KEY in item.details


class _FileRow(QFrame):
    """One file of the finished pack: its name, size and SHA-256, selectable."""

    def __init__(self, heading: str, path: Path, sha256: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        title = QLabel(f"<b>{heading}</b>", self)
        name = QLabel(self)
        name.setTextFormat(Qt.TextFormat.PlainText)
        try:
            size = text.size_text(path.stat().st_size)
        except OSError:
            size = ""
        name.setText(f"{path.name}" + (f"  ({size})" if size else ""))
        name.setWordWrap(True)
        name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        fingerprint = QLabel(f"SHA-256: {sha256}", self)
        fingerprint.setTextFormat(Qt.TextFormat.PlainText)
        fingerprint.setProperty("mono", True)
        fingerprint.setWordWrap(True)
        fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        fingerprint.setAccessibleName(f"SHA-256 of {path.name}")
        self.fingerprint = fingerprint
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(title)
        layout.addWidget(name)
        layout.addWidget(fingerprint)


class ExportDialog(QDialog):
    """Choose and make a pack; afterwards, the files and their fingerprints."""

    def __init__(self, vault: Vault, tasks: TaskRunner, incidents: Sequence[Incident],
                 current_incident: int | None, selected: Sequence[Item],
                 folder: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export an evidence pack")
        self.vault = vault
        self.tasks = tasks
        self.selected = [i for i in selected if not i.withdrawn]
        self.made: ExportResult | None = None
        self._handle: TaskHandle | None = None
        self._close_when_stopped = False

        # ---- what goes in
        what = QGroupBox("What goes in", self)
        self.whole_incident = QRadioButton("Whole &incidents (tick two or more to show a "
                                           "course of conduct):", what)
        self.incident_list = QListWidget(what)
        self.incident_list.setAccessibleName("Incidents to include")
        self.incident_titles = {i.id: i.title for i in incidents}
        for incident in incidents:
            entry = QListWidgetItem(
                f"{incident.title}  ({wording.plural(incident.item_count, 'item')})",
                self.incident_list)
            entry.setData(Qt.ItemDataRole.UserRole, incident.id)
            entry.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                           | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if incident.id == current_incident
                                else Qt.CheckState.Unchecked)
            if incident.id == current_incident:
                self.incident_list.setCurrentItem(entry)
        rows = min(max(len(incidents), 2), 5)
        self.incident_list.setMaximumHeight(
            rows * self.incident_list.fontMetrics().height() * 3 // 2 + 8)
        count = len(self.selected)
        self.selected_items = QRadioButton(
            f"The {count} item{'s' if count != 1 else ''} selected in the lis&t"
            if count else "Items selected in the lis&t (none selected)", what)
        what_layout = QVBoxLayout(what)
        what_layout.addWidget(self.whole_incident)
        what_layout.addWidget(self.incident_list)
        what_layout.addWidget(self.selected_items)
        self.scope = QButtonGroup(self)
        self.scope.addButton(self.whole_incident)
        self.scope.addButton(self.selected_items)
        if not incidents:
            self.whole_incident.setEnabled(False)
            self.incident_list.setEnabled(False)
        self.selected_items.setEnabled(bool(self.selected))
        if self.selected and (current_incident is None or count > 1 or not incidents):
            self.selected_items.setChecked(True)
        elif incidents:
            self.whole_incident.setChecked(True)
            if current_incident is None and len(incidents) == 1:
                self.incident_list.item(0).setCheckState(Qt.CheckState.Checked)

        # ---- for whom
        whom = QGroupBox("Who it is for", self)
        whom_layout = QVBoxLayout(whom)
        whom_layout.setSpacing(2)
        self.recipients = QButtonGroup(self)
        self.recipient_buttons: dict[str, QRadioButton] = {}
        for key, label, explanation in RECIPIENT_CHOICES:
            button = QRadioButton(label, whom)
            self.recipients.addButton(button)
            self.recipient_buttons[key] = button
            whom_layout.addWidget(button)
            note = _hint(explanation, whom)
            note.setContentsMargins(24, 0, 0, 4)
            whom_layout.addWidget(note)
        self.referral_offer = QFrame(whom)
        self.referral_offer.setProperty("card", True)
        self.referral_text = QLabel(self.referral_offer)
        self.referral_text.setWordWrap(True)
        self.referral_button = QPushButton("Add the referral &details…", self.referral_offer)
        offer_layout = QVBoxLayout(self.referral_offer)
        offer_layout.setContentsMargins(12, 8, 12, 8)
        offer_layout.addWidget(self.referral_text)
        offer_row = QHBoxLayout()
        offer_row.addWidget(self.referral_button)
        offer_row.addStretch(1)
        offer_layout.addLayout(offer_row)
        whom_layout.addWidget(self.referral_offer)
        self.referral_offer.setVisible(False)
        self._referred: set[int] = set()
        self._read_referrals()

        # ---- the producer's initials, when none are set
        self.profile = self._read_profile()
        self.initials_box = QGroupBox("Your initials, for the exhibit marks", self)
        self.initials = QLineEdit(suggest_initials(self.profile.name), self.initials_box)
        self.initials.setAccessibleName("Your initials for exhibit marks")
        self.initials.setMaxLength(6)
        self.initials.setMaximumWidth(120)
        self.initials.setPlaceholderText("JS")
        self.initials_hint = _hint("", self.initials_box)
        initials_form = QFormLayout(self.initials_box)
        initials_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        initials_label = QLabel("I&nitials:", self.initials_box)
        initials_label.setBuddy(self.initials)
        initials_form.addRow(initials_label, self.initials)
        initials_form.addRow(self.initials_hint)
        self.asking_initials = marks.initials(self.profile) is None
        self.initials_box.setVisible(self.asking_initials)
        self._show_marks()

        # ---- how
        how = QGroupBox("Marking and redactions", self)
        self.marking = QLineEdit(DEFAULT_MARKING, how)
        self.marking.setAccessibleName("Handling marking")
        self.marking.setToolTip("Printed at the top and foot of every page")
        self.use_redactions = QCheckBox("Use my &redacted copies where I made them", how)
        self.use_redactions.setChecked(True)
        self.include_originals = QCheckBox(
            "Also put the &unredacted originals in the ZIP (police only)", how)
        how_form = QFormLayout(how)
        how_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        marking_label = QLabel("Mar&king:", how)
        marking_label.setBuddy(self.marking)
        how_form.addRow(marking_label, self.marking)
        how_form.addRow(self.use_redactions)
        how_form.addRow(self.include_originals)

        # ---- where
        where = QGroupBox("Save in", self)
        self.folder = QLineEdit(str(folder or default_folder()), where)
        self.folder.setAccessibleName("Folder for the pack")
        self.choose_button = QPushButton("C&hoose…", where)
        where_row = QHBoxLayout(where)
        where_row.addWidget(self.folder, 1)
        where_row.addWidget(self.choose_button)

        warning = _hint(
            "The PDF and ZIP are not encrypted: they hold copies of your evidence. Give them "
            "only to the person they are for, and delete copies you no longer need. Making "
            "the pack is recorded in the vault's history.", self)

        form_page = self.form_page = QWidget(self)
        form_layout = QVBoxLayout(form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(what)
        left.addWidget(whom)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.initials_box)
        right.addWidget(how)
        right.addWidget(where)
        right.addWidget(warning)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        form_layout.addLayout(columns)

        # ---- the finished pack
        result_page = self.result_page = QWidget(self)
        self.result_layout = QVBoxLayout(result_page)
        self.result_layout.setContentsMargins(0, 0, 0, 0)
        self.result_headline = QLabel(result_page)
        self.result_headline.setProperty("subheading", True)
        self.result_headline.setProperty("ok", True)
        self.result_headline.setWordWrap(True)
        self.result_text = QLabel(result_page)
        self.result_text.setWordWrap(True)
        self.result_text.setTextFormat(Qt.TextFormat.PlainText)
        self.open_button = QPushButton("&Open the folder", result_page)
        self.copy_button = QPushButton("&Copy the fingerprints", result_page)
        self.copy_button.setToolTip("Copy both file names and SHA-256 fingerprints, to send "
                                    "separately so the recipient can compare them")
        result_buttons = QHBoxLayout()
        result_buttons.addWidget(self.open_button)
        result_buttons.addWidget(self.copy_button)
        self.packs_button = QPushButton("&Packs you made…", result_page)
        self.packs_button.setToolTip("Every pack made from this vault; delete a pack's files "
                                     "there once it has been handed over")
        result_buttons.addWidget(self.packs_button)
        result_buttons.addStretch(1)
        self.files_box = QVBoxLayout()
        self.result_layout.addWidget(self.result_headline)
        self.result_layout.addWidget(self.result_text)
        self.result_layout.addLayout(self.files_box)
        self.result_layout.addLayout(result_buttons)
        self.result_layout.addStretch(1)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(form_page)
        self.pages.addWidget(result_page)

        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Export progress")
        self.progress.setVisible(False)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.make_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.make_button.setText("&Make the pack")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self.choose_button.clicked.connect(self.choose_folder)
        self.open_button.clicked.connect(self.open_folder)
        self.copy_button.clicked.connect(self.copy_fingerprints)
        self.packs_button.clicked.connect(self.show_packs_made)
        for toggle in (self.whole_incident, self.selected_items,
                       *self.recipient_buttons.values(), self.use_redactions):
            toggle.toggled.connect(self._update)
        self.incident_list.itemChanged.connect(self._update)
        self.initials.textChanged.connect(self._show_marks)
        self.initials.textChanged.connect(self._update)
        self.referral_button.clicked.connect(self.add_referral)
        self.marking.textChanged.connect(self._update)
        self.folder.textChanged.connect(self._update)
        self._update()
        fit_to_screen(self, 860, self.sizeHint().height() + 20)

    # ---- choices -------------------------------------------------------------------

    @property
    def recipient(self) -> Recipient | None:
        for key, button in self.recipient_buttons.items():
            if button.isChecked():
                return key  # type: ignore[return-value]
        return None

    def ticked_incidents(self) -> list[int]:
        """The incidents ticked in the list, in its order (the vault's)."""
        found = []
        for row in range(self.incident_list.count()):
            entry = self.incident_list.item(row)
            if entry.checkState() == Qt.CheckState.Checked:
                found.append(int(entry.data(Qt.ItemDataRole.UserRole)))
        return found

    def chosen_incidents(self) -> list[int]:
        """The incidents the pack would cover: those ticked, or those the chosen items
        are in."""
        if self.whole_incident.isChecked():
            return self.ticked_incidents()
        return sorted({i.incident_id for i in self.selected if i.incident_id is not None})

    def _update(self) -> None:
        police = self.recipient == "police"
        self.include_originals.setEnabled(police and self.use_redactions.isChecked())
        if not self.include_originals.isEnabled():
            self.include_originals.setChecked(False)
        self.incident_list.setEnabled(self.whole_incident.isChecked())
        chosen = ((self.whole_incident.isChecked() and bool(self.ticked_incidents()))
                  or (self.selected_items.isChecked() and bool(self.selected)))
        ready = (self.recipient is not None and bool(self.folder.text().strip()) and chosen
                 and self._initials_ready())
        self.make_button.setEnabled(ready and self._handle is None)
        self._offer_referral()
        if self._handle is None and self.made is None:
            self.status.setProperty("error", False)
            self._repolish(self.status)
            self.status.setText("" if ready else self._missing())

    def _missing(self) -> str:
        if self.recipient is None:
            return "Choose who the pack is for."
        if not self.folder.text().strip():
            return "Choose a folder to save the pack in."
        if not self._initials_ready() and (self.ticked_incidents()
                                           or self.selected_items.isChecked()):
            return "Type your initials for the exhibit marks (letters only, e.g. JS)."
        return "Tick an incident, or select items in the list first."

    # ---- the initials --------------------------------------------------------------

    def _read_profile(self) -> Profile:
        try:
            return load_profile(self.vault)
        except Exception:  # the form still opens; the export says what is wrong
            log.info("could not read the profile", exc_info=True)
            return Profile()

    def _typed_initials(self) -> str | None:
        return marks.initials(Profile(initials=self.initials.text()))

    def _initials_ready(self) -> bool:
        return not self.asking_initials or self._typed_initials() is not None

    def _show_marks(self) -> None:
        mark = self._typed_initials() or "JS"
        self.initials_hint.setText(
            f"Each exhibit is marked with your initials and a number, as the police do: "
            f"{mark}/1, {mark}/2. An item's mark is given the first time it goes into a "
            "pack and never changes, in every pack for anyone. They are kept with your "
            "details in Settings.")

    def _save_initials(self) -> None:
        """Keep the initials typed here in the profile, before the export needs them."""
        typed = self._typed_initials()
        if typed is None:
            raise marks.InitialsMissing(marks.INITIALS_NEEDED)
        profile = dataclasses.replace(self._read_profile(), initials=typed)
        save_profile(self.vault, profile)
        self.profile = profile
        self.asking_initials = False
        self.initials_box.setVisible(False)

    # ---- the LADO's referral details ------------------------------------------------

    def _read_referrals(self) -> None:
        try:
            saved = referral.events(self.vault)
        except Exception:  # only an offer: the pack itself reads them again
            log.info("could not read the referral details", exc_info=True)
            saved = {}
        self._referred = {i for i, e in saved.items()
                          if not referral.from_payload(e.payload).empty}

    def _missing_referral(self) -> int | None:
        if self.recipient != "lado":
            return None
        return next((i for i in self.chosen_incidents() if i not in self._referred), None)

    def _offer_referral(self) -> None:
        missing = self._missing_referral()
        self.referral_offer.setVisible(missing is not None)
        if missing is not None:
            title = self.incident_titles.get(missing, f"incident {missing}")
            self.referral_text.setText(
                "The LADO's form asks about the adult it concerns, the children involved "
                f"and which of its criteria apply. None are saved for “{title}”: add them "
                "now, or the pack marks them “(to be completed)”.")
            if self.isVisible():
                self._fit_offer()

    def _fit_offer(self) -> None:
        """Make room for the offer's words: a wrapped label's height is not asked for by
        the layouts around it, so the dialog would squash it."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        offer = self.referral_offer
        short = offer.heightForWidth(offer.width()) - offer.height()
        if short > 0:
            fit_to_screen(self, self.width(), self.height() + short)

    def add_referral(self) -> ReferralForm | None:
        missing = self._missing_referral()
        if missing is None:
            return None
        try:
            form = ReferralForm(self.vault, missing, self)
        except Exception as exc:
            self._show_error(exc)
            return None
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(self._referral_saved)
        form.open()
        self.referral_form = form
        return form

    def _referral_saved(self, _incident_id: int) -> None:
        self._read_referrals()
        self._update()

    def request(self) -> PackRequest:
        recipient = self.recipient
        if recipient is None:
            raise ValueError("no recipient chosen")
        marking = " ".join(self.marking.text().split()) or DEFAULT_MARKING
        if self.whole_incident.isChecked():
            return PackRequest(recipient=recipient, incidents=tuple(self.ticked_incidents()),
                               marking=marking,
                               use_redactions=self.use_redactions.isChecked(),
                               include_originals=self.include_originals.isChecked())
        originals = [i.id for i in self.selected if not is_redacted_copy(i)]
        copies = [int(i.details[DERIVATION_KEY]["item"]) for i in self.selected
                  if is_redacted_copy(i) and isinstance(i.details[DERIVATION_KEY], dict)
                  and isinstance(i.details[DERIVATION_KEY].get("item"), int)]
        # A redacted copy chosen on its own stands for its original (shown redacted).
        chosen = tuple(dict.fromkeys([*originals, *copies]))
        return PackRequest(recipient=recipient, items=chosen, marking=marking,
                           use_redactions=self.use_redactions.isChecked(),
                           include_originals=self.include_originals.isChecked())

    def choose_folder(self) -> None:
        start = self.folder.text().strip() or str(default_folder())
        while start and not Path(start).is_dir() and Path(start).parent != Path(start):
            start = str(Path(start).parent)
        chosen = QFileDialog.getExistingDirectory(self, "Where should the pack be saved?",
                                                  start)
        if chosen:
            self.folder.setText(chosen)

    # ---- making it -----------------------------------------------------------------

    def start(self) -> None:
        if self._handle is not None or not self.make_button.isEnabled():
            return
        try:
            request = self.request()
            if self.asking_initials:
                self._save_initials()
        except Exception as exc:
            self._show_error(exc)
            return
        out = Path(self.folder.text().strip()).expanduser()
        vault = self.vault

        def work(report: Any) -> ExportResult:
            return export_pack(vault, request, out, lambda done, total, _what: report(done,
                                                                                      total))

        self.form_page.setEnabled(False)
        self.make_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setProperty("error", False)
        self._repolish(self.status)
        self.status.setText("Gathering the evidence…")
        self._handle = self.tasks.run("export", work, on_done=self._done,
                                      on_error=self._failed, on_progress=self._progress,
                                      writes=True, cancellable=True, context=self)

    def _progress(self, done: int, total: int) -> None:
        if total <= 0:
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        if done >= total:
            self.progress.setRange(0, 0)
            self.status.setText("Writing the ZIP bundle and recording the export…")
        else:
            self.status.setText(f"Making the PDF… ({100 * done // total}%)")

    def _done(self, result: ExportResult) -> None:
        self._handle = None
        self.made = result
        self.progress.setVisible(False)
        self.status.clear()
        try:
            self.vault.set_setting(FOLDER_SETTING, str(result.pdf.parent))
        except Exception:  # remembering the folder is a convenience only
            log.info("could not remember the export folder", exc_info=True)
        self.show_result(result)
        if self._close_when_stopped:
            super().reject()

    def show_result(self, result: ExportResult) -> None:
        self.result_headline.setText("The pack is ready.")
        exhibits = wording.plural(result.exhibits, "exhibit")
        pages = wording.plural(result.pages, "page")
        lines = [f"{exhibits}, {pages}, reference {result.pack_id}. Both files "
                 f"are in {result.pdf.parent}. Give the recipient both: the ZIP lets them "
                 "check that nothing in the pack was changed.",
                 "Making it was recorded in the vault's history (event "
                 f"{result.event_seq}).",
                 "The two files are not encrypted. Once the pack has been handed over, "
                 "you can delete them under Vault ▸ Packs you made."]
        if result.unshown:
            lines.append("No font on this computer could draw some characters ("
                         + " ".join(result.unshown[:10])
                         + "); the pack names them in words instead.")
        self.result_text.setText("\n\n".join(lines))
        self.pdf_row = _FileRow("The PDF (to read)", result.pdf, result.pdf_sha256,
                                self.result_page)
        self.zip_row = _FileRow("The ZIP (to check it)", result.bundle, result.bundle_sha256,
                                self.result_page)
        self.files_box.addWidget(self.pdf_row)
        self.files_box.addWidget(self.zip_row)
        self.pages.setCurrentIndex(1)
        self.buttons.clear()
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.accept)
        self.open_button.setDefault(True)
        self.open_button.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self._handle = None
        self.progress.setVisible(False)
        self.form_page.setEnabled(True)
        if self._close_when_stopped:
            super().reject()
            return
        self._update()
        if isinstance(exc, Cancelled):
            self.status.setProperty("error", False)
            self._repolish(self.status)
            self.status.setText("Stopped. Nothing was saved and nothing was recorded.")
        else:
            self._show_error(exc)

    def _show_error(self, exc: BaseException) -> None:
        message = describe(exc, "making the pack")
        self.status.setProperty("error", True)
        self._repolish(self.status)
        self.status.setText(f"{message.title}. {message.full}")

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    @property
    def running(self) -> bool:
        return self._handle is not None

    def reject(self) -> None:
        """Cancel stops a running export first (at its next exhibit), then closes."""
        if self._handle is not None:
            self._close_when_stopped = True
            self._handle.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Stopping…")
            return
        super().reject()

    # ---- afterwards ----------------------------------------------------------------

    def open_folder(self) -> None:
        if self.made is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.made.pdf.parent)))

    def show_packs_made(self) -> None:
        from evidence_kit.ui.packs_made import open_packs_made

        open_packs_made(self, self.vault, self.tasks,
                        self.made.pack_id if self.made is not None else None)

    def fingerprints_text(self) -> str:
        if self.made is None:
            return ""
        r = self.made
        return (f"Evidence pack {r.pack_id}\n"
                f"{r.pdf.name}\nSHA-256: {r.pdf_sha256}\n"
                f"{r.bundle.name}\nSHA-256: {r.bundle_sha256}\n")

    def copy_fingerprints(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.fingerprints_text())
            self.status.setText("Copied. Send them separately from the pack itself.")


def open_export_dialog(vault: Vault, tasks: TaskRunner, current_incident: int | None,
                       selected: Sequence[Item], parent: QWidget) -> ExportDialog | None:
    """Open the export dialog for the unlocked vault (window-modal; deletes itself)."""
    try:
        incidents = vault.incidents()
        remembered = vault.setting(FOLDER_SETTING)
    except Exception as exc:
        show_error(parent, exc, "preparing the export")
        return None
    dialog = ExportDialog(vault, tasks, incidents, current_incident, selected,
                          Path(remembered) if remembered else None, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
