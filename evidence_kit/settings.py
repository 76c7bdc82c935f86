"""What the command line and the app must agree on before a vault is open. Qt-free.

Environment variable names, the default vault folder, the app's small settings file, how
a secret file is read, the key-derivation speed scripts may ask for, and where the log
is. One module, so ``evidence-kit capture`` and the running app find the same vault, and
a bad ``EVIDENCE_KIT_KDF_SECONDS`` means the same thing to both.

Nothing about the evidence is kept here: every other setting lives encrypted in the vault.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_kit.core import keys
from evidence_kit.core.errors import BadInput
from evidence_kit.core.fsutil import atomic_write

PASSPHRASE_ENV = "EVIDENCE_KIT_PASSPHRASE"  # noqa: S105 - a variable name
NEW_PASSPHRASE_ENV = "EVIDENCE_KIT_NEW_PASSPHRASE"  # noqa: S105
RECOVERY_CODE_ENV = "EVIDENCE_KIT_RECOVERY_CODE"
VAULT_ENV = "EVIDENCE_KIT_VAULT"
CONFIG_ENV = "EVIDENCE_KIT_APP_CONFIG"
# Scripts and tests may ask for a faster key derivation; it never goes below the floor.
KDF_SECONDS_ENV = "EVIDENCE_KIT_KDF_SECONDS"
# INFO shows when the vault unlocks and locks (never what is in it); scripts and the
# end-to-end test read that.
LOG_LEVEL_ENV = "EVIDENCE_KIT_LOG_LEVEL"
LOG_DIR_ENV = "EVIDENCE_KIT_LOG_DIR"

# The shortest passphrase a new vault accepts, in the app and on the command line alike:
# one number, so a passphrase typed into either is judged the same way.
MIN_PASSPHRASE_CHARS = 10

DEFAULT_SHORTCUT = "Ctrl+Alt+Shift+E"
# A passphrase file holds one line; anything much longer is not a passphrase (and a
# device such as /dev/zero would otherwise be read for ever).
MAX_SECRET_FILE_BYTES = 64 * 1024


def default_vault_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("evidence-kit", appauthor=False) / "vault"


def default_config_path() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path("evidence-kit", appauthor=False) / "app.json"


@dataclass
class AppConfig:
    """The little the app must know before the vault is unlocked.

    Where the vault is, and the capture shortcut (captures work while the vault is
    locked, so the shortcut must be known before it opens).
    """

    path: Path
    vault_folder: Path | None = None
    capture_shortcut: str = DEFAULT_SHORTCUT
    """The global capture shortcut in Qt's portable text; "" turns it off."""
    web_keep_logins: bool = False
    """The web browser keeps logins between sessions (unencrypted, in a named folder)."""

    @classmethod
    def load(cls, path: Path | None = None) -> AppConfig:
        path = path if path is not None else default_config_path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = None
        raw = raw if isinstance(raw, dict) else {}
        folder = raw.get("vault_folder")
        shortcut = raw.get("capture_shortcut", DEFAULT_SHORTCUT)
        return cls(path, Path(folder) if isinstance(folder, str) and folder else None,
                   shortcut if isinstance(shortcut, str) else DEFAULT_SHORTCUT,
                   raw.get("web_keep_logins") is True)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        body = {"vault_folder": os.fspath(self.vault_folder) if self.vault_folder else None,
                "capture_shortcut": self.capture_shortcut,
                "web_keep_logins": self.web_keep_logins}
        atomic_write(self.path, (json.dumps(body, indent=2) + "\n").encode("utf-8"))


def resolve_vault_folder(given: Path | None, config: AppConfig | None = None) -> Path:
    """--vault, then $EVIDENCE_KIT_VAULT, then the app's saved folder, then the data folder.

    The command line and the app both call this, so a capture asked for on the command
    line reaches the app that has the same vault open.
    """
    if given is not None:
        return Path(given)
    if os.environ.get(VAULT_ENV):
        return Path(os.environ[VAULT_ENV])
    config = config if config is not None else AppConfig.load()
    if config.vault_folder is not None:
        return config.vault_folder
    return default_vault_dir()


def read_secret_file(path: Path) -> str:
    """A passphrase kept in a file: its one line, without the newline an editor adds."""
    try:
        if not path.is_file():
            raise BadInput(f"The passphrase file {path} is not a regular file.")
        with path.open("rb") as handle:
            data = handle.read(MAX_SECRET_FILE_BYTES + 1)
    except OSError as exc:
        raise BadInput(f"The passphrase file {path} could not be read.") from exc
    if len(data) > MAX_SECRET_FILE_BYTES:
        raise BadInput(f"The passphrase file {path} is far too long to hold a passphrase.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(f"The passphrase file {path} is not text (UTF-8).") from exc
    # Exactly one trailing newline is what editors add; anything else is the passphrase.
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith("\n"):
        return text[:-1]
    return text


KdfFactory = Callable[[], keys.KdfParams]


def kdf_from_environment() -> KdfFactory:
    """How a new vault's key derivation is chosen: tuned, unless a script asks otherwise.

    ``EVIDENCE_KIT_KDF_SECONDS=0`` (or less) takes the floor, a positive number tunes to
    that many seconds; anything else is refused, in the app as on the command line.
    """
    wanted = os.environ.get(KDF_SECONDS_ENV)
    if wanted is None:
        return keys.tune_kdf
    try:
        seconds = float(wanted)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds):
        raise BadInput(f"{KDF_SECONDS_ENV} must be a number of seconds, not {wanted!r}.")
    if seconds <= 0:
        return lambda: keys.FLOOR_PARAMS
    return lambda: keys.tune_kdf(seconds)


# ---- the log --------------------------------------------------------------------------


def log_dir() -> Path:
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_log_path

    return user_log_path("evidence-kit", appauthor=False)


def log_file() -> Path:
    """Where faults in Evidence Kit itself are written (never any evidence)."""
    return log_dir() / "evidence-kit.log"


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is now (tests and the app may replace it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


_configured = False


def configure_logging(console_format: str = "evidence-kit: %(message)s") -> None:
    """Warnings to stderr (at the level the environment asks), faults to the log file.

    The file gets tracebacks of bugs so they can be reported; it is private (0600 in a
    0700 folder) and small (rotated at 1 MB). Messages never hold evidence: the code logs
    what went wrong, not what was being kept.
    """
    global _configured
    if _configured:
        return
    _configured = True
    root = logging.getLogger("evidence_kit")
    level = os.environ.get(LOG_LEVEL_ENV, "WARNING").upper()
    root.setLevel(min(getattr(logging, level, logging.WARNING), logging.WARNING))
    console = _CurrentStderr()
    console.setLevel(getattr(logging, level, logging.WARNING))
    console.setFormatter(logging.Formatter(console_format))
    root.addHandler(console)
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = log_file()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.close(fd)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=2, encoding="utf-8")
    except OSError:
        return  # no log file is no reason to stop the user working
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
