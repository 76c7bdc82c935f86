"""The app's side of :mod:`evidence_kit.handoff`: capture when the command line asks."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from evidence_kit.handoff import MAX_MESSAGE, parse_request, prepare_socket_folder, socket_path
from evidence_kit.intake import Details

CaptureRequest = Callable[[str, int, int, Details], None]
CheckRequest = Callable[[Details], str | None]  # why the details cannot be used, or None


class CaptureListener(QObject):
    """Listens on the vault's private socket while the app runs."""

    def __init__(self, vault_folder: Path, on_request: CaptureRequest,
                 parent: QObject | None = None, *, check: CheckRequest | None = None) -> None:
        super().__init__(parent)
        self._on_request = on_request
        self._check = check
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self.path = socket_path(vault_folder)
        if self.path is None:
            return
        prepare_socket_folder(self.path)
        with contextlib.suppress(OSError):
            QLocalServer.removeServer(str(self.path))  # left by an app that was killed
        self._server.listen(str(self.path))

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            conn = self._server.nextPendingConnection()
            conn.readyRead.connect(lambda c=conn: self._read(c))
            conn.disconnected.connect(conn.deleteLater)

    def _read(self, conn: QLocalSocket) -> None:
        if not conn.canReadLine() and conn.bytesAvailable() < MAX_MESSAGE:
            return
        request = parse_request(bytes(conn.readLine(MAX_MESSAGE).data()))
        details = Details(**request["details"]) if request is not None else None
        refusal = self._check(details) if details is not None and self._check else None
        answer: dict[str, Any] = {"ok": request is not None and refusal is None}
        if refusal is not None:
            answer["message"] = refusal
        conn.write(json.dumps(answer).encode("utf-8") + b"\n")
        conn.flush()
        conn.disconnectFromServer()
        # After the answer: the capture may open windows, and the command is waiting.
        if request is not None and details is not None and refusal is None:
            self._on_request(request["capture"], request["monitor"], request["delay"],
                             details)

    def close(self) -> None:
        self._server.close()
