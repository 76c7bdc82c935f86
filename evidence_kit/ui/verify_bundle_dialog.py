"""Checking an evidence pack someone received: no vault, nothing written or extracted.

The ZIP is checked off the UI thread (it hashes every file in it) through the app's task
runner, and the result is shown in words: one line for the whole pack, green or red, a
line for each exhibit and one for each check. The dialog needs no unlocked vault, so a
recipient (a headteacher, a police officer, a LADO) can use the app only for this.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evidence_kit.export.verify import BundleReport, verify_bundle
from evidence_kit.ui.messages import BundleWords, bundle_words, describe
from evidence_kit.ui.style import fit_to_screen
from evidence_kit.ui.tasks import TaskHandle, TaskRunner

OK_COLOUR = "#1b5e20"
BAD_COLOUR = "#a3231a"
_SUMMARY_STYLE = {
    True: "QFrame#summary { background: #e8f5e9; border: 1px solid #81c784; "
          "border-radius: 8px; }",
    False: "QFrame#summary { background: #fdecea; border: 1px solid #e57373; "
           "border-radius: 8px; }",
}


def _wrapping(parent: QWidget, selectable: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                      | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return label


def _fill(listing: QListWidget, lines: tuple[tuple[bool, str], ...], empty: str) -> None:
    listing.clear()
    for ok, words in lines:
        entry = QListWidgetItem(("✔  " if ok else "✘  ") + words)
        entry.setForeground(Qt.GlobalColor.darkGreen if ok else Qt.GlobalColor.darkRed)
        listing.addItem(entry)
    if not lines:
        listing.addItem(empty)


class VerifyBundleDialog(QDialog):
    """Choose a pack's ZIP, check it, and say what the check found."""

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None,
                 path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check an evidence pack")
        self.tasks = tasks
        self.report: BundleReport | None = None
        self.words: BundleWords | None = None
        self._handle: TaskHandle | None = None

        intro = _wrapping(self)
        intro.setText(
            "Someone gave you an evidence pack made with Evidence Kit: a PDF and a ZIP file. "
            "Choose the ZIP. Every file in it is checked against the signed list, the "
            "signature and the journal's proofs. Nothing is extracted, opened or changed, "
            "and no vault is needed. If you hold an earlier pack from the same sender, "
            "choose it too: the check then shows whether anything recorded before it was "
            "removed or changed.")
        self.path = QLineEdit(str(path) if path else "", self)
        self.path.setAccessibleName("The pack's ZIP file")
        self.path.setPlaceholderText("evidence-pack-….zip")
        self.choose_button = QPushButton("&Choose the ZIP…", self)
        self.check_button = QPushButton("Chec&k", self)
        self.check_button.setDefault(True)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.choose_button)
        path_row.addWidget(self.check_button)
        # An earlier pack from the same sender anchors the check outside them: the new
        # pack must extend its journal, or something recorded before it was changed.
        self.since = QLineEdit(self)
        self.since.setAccessibleName("An earlier pack to check against (optional)")
        self.since.setPlaceholderText("Optional: an earlier pack's ZIP from the same sender")
        self.since_button = QPushButton("Check against an &earlier pack…", self)
        since_row = QHBoxLayout()
        since_row.addWidget(self.since, 1)
        since_row.addWidget(self.since_button)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(10)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Checking")
        self.busy.setVisible(False)

        # ---- the result
        self.summary = QFrame(self)
        self.summary.setObjectName("summary")
        self.headline = QLabel(self.summary)
        self.headline.setProperty("subheading", True)
        self.headline.setWordWrap(True)
        self.headline.setAccessibleName("Result")
        self.details = _wrapping(self.summary, selectable=True)
        summary_layout = QVBoxLayout(self.summary)
        summary_layout.setContentsMargins(14, 10, 14, 10)
        summary_layout.addWidget(self.headline)
        summary_layout.addWidget(self.details)
        self.summary.setVisible(False)
        self.exhibits = QListWidget(self)
        self.exhibits.setWordWrap(True)
        self.exhibits.setAccessibleName("Exhibits")
        self.checks = QListWidget(self)
        self.checks.setWordWrap(True)
        self.checks.setAccessibleName("Checks")
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.exhibits, "&Exhibits")
        self.tabs.addTab(self.checks, "What was &checked")
        self.tabs.setVisible(False)
        self.next_steps = _wrapping(self)
        self.next_steps.setVisible(False)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(path_row)
        layout.addLayout(since_row)
        layout.addWidget(self.busy)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.next_steps)
        self._spacer = layout.count()
        layout.addStretch(1)  # takes the room while there is no result to show
        layout.addWidget(self.buttons)

        self.choose_button.clicked.connect(self.choose)
        self.since_button.clicked.connect(self.choose_earlier)
        self.check_button.clicked.connect(self.check)
        self.path.returnPressed.connect(self.check)
        self.path.textChanged.connect(self._update)
        self._update()
        fit_to_screen(self, 760, 560)

    def _update(self) -> None:
        self.check_button.setEnabled(bool(self.path.text().strip()) and self._handle is None)

    @property
    def running(self) -> bool:
        return self._handle is not None

    def choose(self) -> None:
        start = self.path.text().strip()
        folder = str(Path(start).parent) if start else str(Path.home())
        chosen, _filter = QFileDialog.getOpenFileName(
            self, "Choose the evidence pack's ZIP file", folder,
            "Evidence pack bundles (*.zip);;All files (*)")
        if chosen:
            self.path.setText(chosen)
            self.check()

    def choose_earlier(self) -> None:
        start = self.since.text().strip() or self.path.text().strip()
        folder = str(Path(start).parent) if start else str(Path.home())
        chosen, _filter = QFileDialog.getOpenFileName(
            self, "Choose an earlier pack's ZIP from the same sender", folder,
            "Evidence pack bundles (*.zip);;All files (*)")
        if chosen:
            self.since.setText(chosen)
            self.check()

    def check(self) -> None:
        text = self.path.text().strip()
        if not text or self._handle is not None:
            return
        path = Path(text).expanduser()
        earlier = self.since.text().strip()
        since = Path(earlier).expanduser() if earlier else None
        self.summary.setVisible(False)
        self.tabs.setVisible(False)
        self.next_steps.setVisible(False)
        self.busy.setVisible(True)
        self.choose_button.setEnabled(False)
        self.since_button.setEnabled(False)
        self._handle = self.tasks.run("verify-bundle",
                                      lambda _p: verify_bundle(path, since=since),
                                      on_done=self._done, on_error=self._failed, context=self)
        self._update()

    def _finished(self) -> None:
        self._handle = None
        self.busy.setVisible(False)
        self.choose_button.setEnabled(True)
        self.since_button.setEnabled(True)
        self._update()

    def _done(self, report: BundleReport) -> None:
        self._finished()
        self.show_report(report)

    def _failed(self, exc: BaseException) -> None:
        self._finished()
        message = describe(exc, "checking the pack")
        self._show_summary(False, message.title, message.full)
        self.tabs.setVisible(False)
        self.next_steps.setVisible(False)
        self._layout.setStretch(self._spacer, 1)

    def _show_summary(self, ok: bool, headline: str, details: str) -> None:
        self.summary.setStyleSheet(_SUMMARY_STYLE[ok])
        self.headline.setText(headline)
        self.headline.setStyleSheet(f"color: {OK_COLOUR if ok else BAD_COLOUR};")
        self.details.setText(details)
        self.summary.setVisible(True)

    def show_report(self, report: BundleReport) -> None:
        words = bundle_words(report)
        self.report, self.words = report, words
        self._show_summary(words.ok, words.headline, words.details)
        _fill(self.exhibits, words.exhibits,
              "The exhibits could not be checked: see “What was checked”.")
        _fill(self.checks, words.checks, "")
        failed_before_exhibits = not words.exhibits and any(not ok for ok, _ in words.checks)
        self.tabs.setCurrentIndex(1 if failed_before_exhibits else 0)
        self.tabs.setTabText(0, f"&Exhibits ({len(words.exhibits)})")
        self.tabs.setVisible(bool(words.checks or words.exhibits))
        self._layout.setStretch(self._spacer, 0 if self.tabs.isVisible() else 1)
        self.next_steps.setText(words.next_steps)
        self.next_steps.setVisible(True)

    def reject(self) -> None:
        if self._handle is not None:
            return  # the check cannot be interrupted halfway; it takes seconds
        super().reject()


def open_verify_bundle_dialog(tasks: TaskRunner, parent: QWidget | None,
                              path: Path | None = None) -> VerifyBundleDialog:
    """Show the dialog (not modal, deletes itself when closed); checks ``path`` at once
    if given."""
    dialog = VerifyBundleDialog(tasks, parent, path)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    if path is not None:
        dialog.check()
    return dialog
