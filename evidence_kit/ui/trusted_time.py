"""Trusted time in the app: the Settings part that turns it on, and the drain that sends
queued requests off the UI thread (at unlock, and whenever something waits).

Nothing is sent until the user names an authority and turns it on; only a checkpoint's
SHA-256 hash leaves the computer (see :mod:`evidence_kit.core.timestamps`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evidence_kit import wording
from evidence_kit.core import timestamps
from evidence_kit.core.errors import EvidenceKitError
from evidence_kit.ui.messages import show_error
from evidence_kit.ui.session import VaultSession
from evidence_kit.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

# How often the app looks for requests that wait (one settings read; the network is used
# only when something is queued and trusted time is on).
CHECK_EVERY_MS = 60_000

EXPLAIN = (
    "Times Evidence Kit records come from this computer's clock, which anyone at it could "
    "change. Trusted time adds proof from outside: each time the journal is checkpointed, "
    "a timestamp authority you choose signs a token saying that the checkpoint existed at "
    "its time. A pack carries the tokens, and anyone can check them with OpenSSL.")
WHAT_LEAVES = (
    "What leaves this computer: only the checkpoint's SHA-256 hash, a short fingerprint "
    "that reveals nothing of what the vault holds. No evidence, no names, no notes. Off "
    "until you turn it on; no authority is contacted until you add it. While offline, "
    "requests wait and are sent later.")
WHAT_IT_PROVES = (
    "What it proves: everything recorded before a stamped checkpoint existed by the "
    "authority's time. It does not make the device times themselves right: device times "
    "stay the device's.")


class TrustedTimeDrainer(QObject):
    """Sends what waits, on a worker: at unlock, and every minute while something waits."""

    drained = Signal(object)  # a DrainReport

    def __init__(self, session: VaultSession, tasks: TaskRunner,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tasks = tasks
        self._running = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.drain_if_waiting)
        session.unlocked.connect(self._unlocked)
        session.locked.connect(lambda _why: self.timer.stop())

    def _unlocked(self) -> None:
        self.timer.start()
        QTimer.singleShot(0, self.drain_if_waiting)

    def drain_if_waiting(self) -> None:
        if self._running or not self.session.is_unlocked:
            return
        vault = self.session.vault
        try:
            if not timestamps.is_on(vault) or not timestamps.pending(vault):
                return
        except EvidenceKitError:
            return
        self.drain_now()

    def drain_now(self) -> None:
        if self._running or not self.session.is_unlocked:
            return
        vault = self.session.vault
        self._running = True

        def done(report: Any) -> None:
            self._running = False
            for problem in report.problems:
                log.info("timestamp refused: %s", problem)
            self.drained.emit(report)

        def failed(exc: BaseException) -> None:
            # Locked mid-way, or the disk: what was not kept stays queued for next time.
            self._running = False
            log.info("timestamp drain stopped: %s", exc)

        # Not a write task: a lock must not wait for an authority's slow answer; a drain
        # cut short by the lock leaves its requests queued.
        self.tasks.run("timestamps", lambda _progress: timestamps.drain(vault),
                       on_done=done, on_error=failed, context=self)


class AddAuthorityDialog(QDialog):
    """Choose a suggested authority (or another) and its root certificate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a timestamp authority")
        self.choice = QComboBox(self)
        for suggestion in timestamps.SUGGESTED:
            self.choice.addItem(f"{suggestion.name} ({suggestion.url})", suggestion)
        self.choice.addItem("Another authority…", None)
        self.choice.setAccessibleName("Authority")
        self.name = QLineEdit(self)
        self.url = QLineEdit(self)
        self.root_path = QLineEdit(self)
        self.root_path.setPlaceholderText("the authority's root certificate file (.pem, .crt)")
        self.browse = QPushButton("&Choose file…", self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setProperty("hint", True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        root_row = QHBoxLayout()
        root_row.addWidget(self.root_path, 1)
        root_row.addWidget(self.browse)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("A&uthority:", self.choice)
        form.addRow("&Name:", self.name)
        form.addRow("&Address:", self.url)
        root_label = QLabel("&Root certificate:", self)
        root_label.setBuddy(self.root_path)
        form.addRow(root_label, root_row)
        form.addRow("", self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Add")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Adding an authority does not contact it.", self))
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.choice.currentIndexChanged.connect(self._chosen)
        self.browse.clicked.connect(self._browse)
        self._chosen()

    def _chosen(self) -> None:
        suggestion = self.choice.currentData()
        self.name.setText(suggestion.name if suggestion else "")
        self.url.setText(suggestion.url if suggestion else "")
        included = suggestion is not None and suggestion.root_file is not None
        self.root_path.setEnabled(not included)
        self.browse.setEnabled(not included)
        self.root_path.setText("")
        self.note.setText(f"{suggestion.note[0].upper()}{suggestion.note[1:]}."
                          if suggestion else "Give its address and the root certificate "
                          "its tokens chain to, as the authority publishes it.")

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "The authority's root certificate", "",
            "Certificates (*.pem *.crt *.cer *.der);;All files (*)")
        if path:
            self.root_path.setText(path)

    def authority(self) -> timestamps.Authority:
        """The authority as chosen; BadInput in words when something is missing."""
        from evidence_kit.core.errors import BadInput

        suggestion = self.choice.currentData()
        pem = None
        if suggestion is not None and suggestion.root_file is not None:
            pem = timestamps.suggested_root(suggestion)
        else:
            text = self.root_path.text().strip()
            if not text:
                raise BadInput("Choose the authority's root certificate file: tokens are "
                               "checked against it, and nothing is fetched to check them.")
            try:
                data = Path(text).read_bytes()
            except OSError as exc:
                raise BadInput(f"{text} could not be read: {exc.strerror or exc}.") from exc
            pem = timestamps.roots_from_file(data, text)
        assert pem is not None
        return timestamps.Authority(self.name.text().strip(), self.url.text().strip(), pem)


class TrustedTimePanel(QWidget):
    """The "Trusted time" part of Settings. Changes take effect at once (like the
    passphrase button), since turning it on is its own decision."""

    def __init__(self, session: VaultSession, drainer: TrustedTimeDrainer | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.drainer = drainer
        self.on = QCheckBox("Have checkpoints timestamped by the authorities bel&ow", self)
        self.authorities = QListWidget(self)
        self.authorities.setAccessibleName("Timestamp authorities")
        self.authorities.setMaximumHeight(90)
        self.add_button = QPushButton("A&dd authority…", self)
        self.remove_button = QPushButton("Re&move", self)
        self.send_button = QPushButton("Send &now", self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        for text in (EXPLAIN, WHAT_LEAVES, WHAT_IT_PROVES):
            label = QLabel(text, self)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addWidget(self.on)
        layout.addWidget(self.authorities)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.send_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.on.toggled.connect(self._toggled)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.send_button.clicked.connect(self._send)
        if drainer is not None:
            drainer.drained.connect(lambda _report: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        if not self.session.is_unlocked:
            return
        state = timestamps.status(self.session.vault)
        self.on.blockSignals(True)
        self.on.setChecked(state.on)
        self.on.setEnabled(bool(state.authorities))
        self.on.blockSignals(False)
        self.authorities.clear()
        for authority in state.authorities:
            self.authorities.addItem(f"{authority.name}  ({authority.url})")
        self.remove_button.setEnabled(bool(state.authorities))
        self.send_button.setEnabled(state.on and state.queued > 0)
        lines = [("On" if state.on else "Off") + f". Waiting to be sent: "
                 f"{wording.plural(state.queued, 'request')}; kept: "
                 f"{wording.plural(state.stamped, 'token')}."]
        if not state.authorities:
            lines.append("Add an authority to turn it on.")
        last = state.last
        if last is not None:
            lines.append(f"Latest: the journal up to event {last.tree_size} existed by "
                         f"{wording.when_short(last.stamped_at)} "
                         f"({wording.utc(last.stamped_at)}), according to {last.authority}.")
        self.status.setText("\n".join(lines))

    def _toggled(self, checked: bool) -> None:
        vault = self.session.vault
        try:
            if checked:
                timestamps.turn_on(vault)
                vault.checkpoint()  # queues it: what is recorded so far is stamped now
            else:
                timestamps.turn_off(vault)
        except Exception as exc:
            show_error(self, exc, "changing trusted time")
        self.refresh()
        if checked and self.drainer is not None:
            self.drainer.drain_now()

    def _add(self) -> None:
        dialog = AddAuthorityDialog(self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                timestamps.add_authority(self.session.vault, dialog.authority())
            except EvidenceKitError as exc:
                QMessageBox.warning(dialog, "Authority not added", str(exc))
                continue
            break
        dialog.deleteLater()
        self.refresh()

    def _remove(self) -> None:
        row = self.authorities.currentRow()
        chosen = timestamps.authorities(self.session.vault)
        if not chosen:
            return
        authority = chosen[row if 0 <= row < len(chosen) else 0]
        try:
            timestamps.remove_authority(self.session.vault, authority.name)
        except Exception as exc:
            show_error(self, exc, "removing the authority")
        self.refresh()

    def _send(self) -> None:
        if self.drainer is not None:
            self.drainer.drain_now()
