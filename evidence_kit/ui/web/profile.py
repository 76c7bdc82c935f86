"""The web browser's profile: off the record unless the user chose to stay logged in."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from evidence_kit.ui.web.engine import Engine

PROFILE_NAME = "evidence-kit-web-browser"


def profile_folder() -> Path:
    """Where the web browser keeps logins (cookies, site storage) when asked to: the only
    place it ever writes, and only with "Stay logged in between sessions" on."""
    from platformdirs import user_data_path

    return user_data_path("evidence-kit", appauthor=False) / "web-browser-logins"


KEEP_LOGINS_WARNING = (
    "The web browser then keeps your logins (cookies and what sites store) between "
    "sessions, unencrypted, in {folder}. Anyone who can use this computer account can "
    "read them and be logged in as you. Off (the default), nothing of the web browser "
    "is written to disk.")


def make_profile(engine: Engine, keep_logins: bool, parent: Any,
                 folder: Path | None = None) -> Any:
    core = engine.core
    profile_type = core.QWebEngineProfile
    if keep_logins:
        where = folder or profile_folder()
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        profile = profile_type(PROFILE_NAME, parent)
        profile.setPersistentStoragePath(str(where))
        profile.setPersistentCookiesPolicy(
            profile_type.PersistentCookiesPolicy.ForcePersistentCookies)
    else:
        profile = profile_type(parent)  # no name: off the record, memory only
        profile.setPersistentCookiesPolicy(
            profile_type.PersistentCookiesPolicy.NoPersistentCookies)
    # Pages seen stay in memory even for a kept profile: the cache holds the evidence.
    profile.setHttpCacheType(profile_type.HttpCacheType.MemoryHttpCache)
    policy = getattr(profile_type, "PersistentPermissionsPolicy", None)
    if policy is not None:
        profile.setPersistentPermissionsPolicy(policy.AskEveryTime)
    return profile


def delete_logins(folder: Path | None = None) -> bool:
    """Remove every login the web browser kept; True if there was something to remove."""
    where = folder or profile_folder()
    if not where.exists():
        return False
    shutil.rmtree(where)
    return True
