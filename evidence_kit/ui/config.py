"""The little the app must know before the vault is unlocked.

Kept in a small JSON file in the user's configuration folder: where the vault is, and
the capture shortcut (captures work while the vault is locked, so the shortcut must be
known before it opens). Nothing about the evidence is here: every other setting lives
encrypted inside the vault.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from evidence_kit.core.fsutil import atomic_write

CONFIG_ENV = "EVIDENCE_KIT_APP_CONFIG"
DEFAULT_SHORTCUT = "Ctrl+Alt+Shift+E"


def default_config_path() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path("evidence-kit", appauthor=False) / "app.json"


@dataclass
class AppConfig:
    path: Path
    vault_folder: Path | None = None
    capture_shortcut: str = DEFAULT_SHORTCUT
    """The global capture shortcut in Qt's portable text; "" turns it off."""

    @classmethod
    def load(cls, path: Path) -> AppConfig:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = None
        raw = raw if isinstance(raw, dict) else {}
        folder = raw.get("vault_folder")
        shortcut = raw.get("capture_shortcut", DEFAULT_SHORTCUT)
        return cls(path, Path(folder) if isinstance(folder, str) and folder else None,
                   shortcut if isinstance(shortcut, str) else DEFAULT_SHORTCUT)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        body = {"vault_folder": os.fspath(self.vault_folder) if self.vault_folder else None,
                "capture_shortcut": self.capture_shortcut}
        atomic_write(self.path, (json.dumps(body, indent=2) + "\n").encode("utf-8"))


def resolve_vault_folder(given: Path | None, config: AppConfig) -> Path:
    """--vault, then $EVIDENCE_KIT_VAULT, then the saved default, then the data folder."""
    from evidence_kit.cli import VAULT_ENV, default_vault_dir

    if given is not None:
        return Path(given)
    if os.environ.get(VAULT_ENV):
        return Path(os.environ[VAULT_ENV])
    if config.vault_folder is not None:
        return config.vault_folder
    return default_vault_dir()
