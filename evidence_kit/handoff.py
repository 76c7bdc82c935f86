"""Handing a capture request from the command line to the app that has the vault open.

While the app runs it owns the vault (one process at a time), so ``evidence-kit
capture`` — the command a desktop's own keyboard shortcut runs where we cannot set a
global one (Wayland) — would be refused. Instead the app listens on a private socket
named after the vault, and the command asks it to capture. Only requests to capture
travel this way, with the details typed on the command line (the address, the note,
the incident…), which the app keeps with the capture and shows in its details window;
nothing from the vault ever travels back. Qt-free on this side.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import tempfile
from pathlib import Path
from typing import Any

from evidence_kit.capture.categories import category_by_id
from evidence_kit.capture.errors import UnknownCategory

# A note is the longest detail; far more than anyone types, far less than a worry.
MAX_MESSAGE = 256 * 1024
DETAIL_TEXTS = ("url", "note", "account", "description", "category", "platform")


def socket_path(vault_folder: Path) -> Path | None:
    """A per-user, per-vault socket path; None where Unix sockets are not available."""
    if not hasattr(socket, "AF_UNIX") or os.name != "posix":
        return None
    runtime = os.environ.get("XDG_RUNTIME_DIR") or os.path.join(
        tempfile.gettempdir(), f"evidence-kit-{os.getuid()}")
    tag = hashlib.sha256(os.fsencode(Path(vault_folder).resolve())).hexdigest()[:16]
    return Path(runtime) / "evidence-kit" / f"{tag}.sock"


def prepare_socket_folder(path: Path) -> None:
    """The folder holding the socket is the user's alone."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.parent.chmod(0o700)


def ask_app_to_capture(vault_folder: Path, request: dict[str, Any],
                       timeout: float = 3.0) -> dict[str, Any] | None:
    """Send ``request`` to a running app; its answer, or None when no app is listening."""
    path = socket_path(vault_folder)
    data = encode_request(request)
    if path is None or not path.exists() or data is None:
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout)
        try:
            conn.connect(str(path))
            conn.sendall(data)
            answer = b""
            while not answer.endswith(b"\n") and len(answer) < MAX_MESSAGE:
                chunk = conn.recv(MAX_MESSAGE)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            return None  # a socket left by an app that died: capture the usual way
    with contextlib.suppress(ValueError):
        parsed = json.loads(answer.decode("utf-8"))
        if isinstance(parsed, dict):
            return parsed
    return None


def encode_request(request: dict[str, Any]) -> bytes | None:
    """The request as sent, or None when its details are too long to send."""
    data = json.dumps(request, ensure_ascii=False).encode("utf-8") + b"\n"
    return data if len(data) <= MAX_MESSAGE else None


def _details(raw: object) -> dict[str, Any] | None:
    """The details of a request: known names only, texts as texts, an incident number."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not set(raw) <= {*DETAIL_TEXTS, "incident"}:
        return None
    details: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None:
            continue
        if key == "incident":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                return None
        elif not isinstance(value, str):
            return None
        details[key] = value
    if "category" in details:
        try:
            category_by_id(details["category"])
        except UnknownCategory:
            return None
    return details


def parse_request(data: bytes) -> dict[str, Any] | None:
    """What the app accepts: a capture mode, a monitor number, a delay and the details
    the user typed; nothing else."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("capture") not in ("region", "screen", "scroll"):
        return None
    monitor, delay = raw.get("monitor", 0), raw.get("delay", 0)
    if not isinstance(monitor, int) or not isinstance(delay, int | float):
        return None
    if isinstance(monitor, bool) or not 0 <= monitor <= 64 or not 0 <= delay <= 300:
        return None
    details = _details(raw.get("details"))
    if details is None:
        return None
    return {"capture": raw["capture"], "monitor": monitor, "delay": int(delay),
            "details": details}
