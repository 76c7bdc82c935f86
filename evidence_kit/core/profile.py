"""Who the vault belongs to and whom they would tell: kept encrypted in the vault's settings.

Not evidence, so not journaled; exports copy what they use into their own event.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Protocol

PROFILE_KEY = "profile"


@dataclass(frozen=True)
class Contact:
    role: str  # e.g. "Headteacher", "Designated safeguarding lead", "LADO"
    name: str = ""
    phone: str = ""
    email: str = ""


# The contacts the policies tell staff to turn to, offered as empty rows at first run.
STANDARD_CONTACT_ROLES = (
    "Headteacher or line manager",
    "Designated safeguarding lead (DSL)",
    "Deputy DSL",
    "LADO (Local Authority Designated Officer)",
    "Police (non-emergency 101)",
    "Union or professional association",
    "Employee assistance line",
    "Professionals Online Safety Helpline",
)


@dataclass(frozen=True)
class Profile:
    name: str = ""
    role: str = ""
    initials: str = ""
    school: str = ""
    contacts: tuple[Contact, ...] = field(default_factory=tuple)

    @property
    def exhibit_prefix(self) -> str:
        """The producer's initials for exhibit marks such as ``JS/1``."""
        if self.initials.strip():
            return self.initials.strip().upper()
        letters = [part[0] for part in self.name.split() if part]
        return "".join(letters).upper() or "EK"

    def contact(self, role_prefix: str) -> Contact | None:
        for c in self.contacts:
            if c.role.lower().startswith(role_prefix.lower()):
                return c
        return None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @staticmethod
    def from_json(text: str | None) -> Profile:
        if not text:
            return Profile()
        raw: dict[str, Any] = json.loads(text)
        known = {f.name for f in fields(Contact)}
        contacts = tuple(
            Contact(**{k: str(v) for k, v in c.items() if k in known})
            for c in raw.get("contacts", [])
        )
        return Profile(
            name=str(raw.get("name", "")), role=str(raw.get("role", "")),
            initials=str(raw.get("initials", "")), school=str(raw.get("school", "")),
            contacts=contacts,
        )


class SettingsStore(Protocol):
    def setting(self, key: str, default: str | None = None) -> str | None: ...
    def set_setting(self, key: str, value: str) -> None: ...


def load_profile(store: SettingsStore) -> Profile:
    return Profile.from_json(store.setting(PROFILE_KEY))


def save_profile(store: SettingsStore, profile: Profile) -> None:
    store.set_setting(PROFILE_KEY, profile.to_json())
