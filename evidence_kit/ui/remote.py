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

CaptureRequest = Callable[[str, int, int], None]


class CaptureListener(QObject):
    """Listens on the vault's private socket while the app runs."""

    def __init__(self, vault_folder: Path, on_request: CaptureRequest,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_request = on_request
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
        answer: dict[str, Any] = {"ok": request is not None}
        conn.write(json.dumps(answer).encode("utf-8") + b"\n")
        conn.flush()
        conn.disconnectFromServer()
        if request is not None:
            self._on_request(request["capture"], request["monitor"], request["delay"])

    def close(self) -> None:
        self._server.close()
