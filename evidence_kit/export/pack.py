"""What goes into one evidence pack, gathered from the vault once, as frozen values.

The PDF and the ZIP are both drawn from a :class:`Pack`, so they cannot disagree
about which exhibits, hashes and events were disclosed. Gathering is the only step
that touches the vault; everything after it could run on another thread.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from evidence_kit import __version__
from evidence_kit.capture.categories import category_by_id
from evidence_kit.core.actions import action_kind
from evidence_kit.core.clock import parse_utc_stamp, utc_stamp
from evidence_kit.core.errors import BadInput, EvidenceKitError
from evidence_kit.core.journal import EventType
from evidence_kit.core.model import CheckpointInfo, Event, Incident, Item, Note
from evidence_kit.core.profile import Profile, load_profile
from evidence_kit.core.vault import Vault
from evidence_kit.export.errors import NothingToExport

Recipient = Literal["slt", "police", "lado"]
RECIPIENTS: tuple[Recipient, ...] = ("slt", "police", "lado")
RECIPIENT_NAMES = {
    "slt": "the senior leadership team (SLT)",
    "police": "the police",
    "lado": "the Local Authority Designated Officer (LADO)",
}
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
DERIVATION_KEY = "derived_from"
"""Where a redacted copy's item details name its original (see :mod:`.redact`)."""

# Events whose payloads concern other exports or copies, not the evidence itself;
# disclosing them could name items of other incidents, so they stay hashes only.
_NOT_DISCLOSED = {EventType.EXPORT_MADE, EventType.ITEM_EXTRACTED, EventType.BACKUP_MADE}


@dataclass(frozen=True)
class PackRequest:
    """What the user asked for: which evidence, for whom, and how it is marked."""

    recipient: Recipient
    incident: int | None = None
    items: tuple[int, ...] = ()
    marking: str = DEFAULT_MARKING
    include_originals: bool = False
    """Put unredacted originals in the pack even where a redacted copy exists."""
    use_redactions: bool = True
    timezone: str | None = None
    """IANA zone for local times (default: this computer's)."""

    def __post_init__(self) -> None:
        if self.recipient not in RECIPIENTS:
            raise BadInput(f"A pack is for one of: {', '.join(RECIPIENTS)}.")
        if (self.incident is None) == (not self.items):
            raise BadInput("Choose either one incident or a list of items to export.")


@dataclass(frozen=True)
class Exhibit:
    mark: str  # "JS/1"
    number: int
    item: Item
    notes: tuple[Note, ...]
    history: tuple[Event, ...]
    redacted: Item | None = None
    """The redacted copy shown instead of the original, when there is one."""
    original_in_pack: bool = True

    @property
    def file_stem(self) -> str:
        return self.mark.replace("/", "-")

    @property
    def original_path(self) -> str:
        return f"originals/{self.file_stem}_{safe_name(self.item.original_name)}"

    @property
    def redacted_path(self) -> str | None:
        if self.redacted is None:
            return None
        return f"redacted/{self.file_stem}-redacted_{safe_name(self.redacted.original_name)}"

    @property
    def shown(self) -> Item:
        """The item whose image the pack shows."""
        return self.redacted or self.item

    @property
    def is_image(self) -> bool:
        return self.shown.media_type.startswith("image/")


@dataclass(frozen=True)
class Pack:
    pack_id: str
    request: PackRequest
    made_at: str  # UTC stamp
    zone: dt.tzinfo
    profile: Profile
    vault_id: str
    incident: Incident | None
    incident_notes: tuple[Note, ...]
    exhibits: tuple[Exhibit, ...]
    actions: tuple[Event, ...]
    checkpoint: CheckpointInfo
    public_key: bytes
    key_fingerprint: str
    disclosed: tuple[int, ...]
    """Sequence numbers of the events whose records go into the bundle."""
    tool: str = f"Evidence Kit {__version__}"
    notices: tuple[str, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        if self.incident is not None:
            return self.incident.title
        return f"{len(self.exhibits)} selected items"

    def period(self) -> tuple[str, str] | None:
        stamps = sorted(exhibit_time(e.item) for e in self.exhibits)
        return (stamps[0], stamps[-1]) if stamps else None

    def local(self, stamp: str) -> str:
        return local_text(stamp, self.zone)

    def local_short(self, stamp: str) -> str:
        moment = parse_utc_stamp(stamp).astimezone(self.zone)
        return moment.strftime("%d %b %Y %H:%M:%S ") + (moment.tzname() or "")


def safe_name(name: str) -> str:
    """A file name that is the same on every system and cannot climb out of a folder."""
    cleaned = re.sub(r"[^\w.\-]+", "_", name, flags=re.UNICODE).strip("._") or "file"
    stem, dot, ext = cleaned.rpartition(".")
    if dot and len(ext) <= 8:
        return f"{stem[:80]}.{ext}"
    return cleaned[:90]


def resolve_zone(name: str | None) -> dt.tzinfo:
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise BadInput(f"{name} is not a time zone this computer knows.") from exc
    local = dt.datetime.now().astimezone().tzinfo
    return local or dt.UTC


def local_text(stamp: str, zone: dt.tzinfo) -> str:
    moment = parse_utc_stamp(stamp).astimezone(zone)
    return moment.strftime("%a %d %b %Y %H:%M:%S ") + (moment.tzname() or "")


def utc_text(stamp: str) -> str:
    return parse_utc_stamp(stamp).strftime("%Y-%m-%d %H:%M:%S UTC")


def exhibit_time(item: Item) -> str:
    """When the evidence was seen: the capture's own time if recorded, else when stored."""
    found = _find_stamp(item.details, ("time_utc", "grabbed_at"), depth=3)
    return found or item.recorded_at


def _find_stamp(value: Any, keys: tuple[str, ...], depth: int) -> str | None:
    if not isinstance(value, dict) or depth < 0:
        return None
    for key in keys:
        candidate = value.get(key)
        if isinstance(candidate, str):
            try:
                parse_utc_stamp(candidate)
                return candidate
            except ValueError:
                continue
    for nested in value.values():
        found = _find_stamp(nested, keys, depth - 1)
        if found:
            return found
    return None


def new_pack_id(clock_now: dt.datetime) -> str:
    return f"EK-{clock_now.strftime('%Y%m%d-%H%M')}-{secrets.token_hex(3).upper()}"


def _derivatives(items: Iterable[Item]) -> dict[int, Item]:
    """The newest redacted copy of each original, keyed by the original's id."""
    found: dict[int, Item] = {}
    for item in items:
        link = item.details.get(DERIVATION_KEY) if isinstance(item.details, dict) else None
        if isinstance(link, dict) and isinstance(link.get("item"), int) and not item.withdrawn:
            found[link["item"]] = item  # items come oldest first, so the newest wins
    return found


def _choose_items(vault: Vault, request: PackRequest) -> tuple[list[Item], list[Item]]:
    """The originals to export, and every item that might be a redacted copy of one."""
    if request.incident is not None:
        vault.incident(request.incident)  # NotFound in words if there is no such incident
        pool = vault.items(incident=request.incident)
    else:
        wanted = list(dict.fromkeys(request.items))
        pool = [vault.item(i) for i in wanted]
        derived_ids = {i.id for i in vault.items() if isinstance(i.details, dict)
                       and isinstance(i.details.get(DERIVATION_KEY), dict)
                       and i.details[DERIVATION_KEY].get("item") in wanted}
        pool += [vault.item(i) for i in sorted(derived_ids - set(wanted))]
    withdrawn = [i for i in pool if i.withdrawn and i.id in request.items]
    if withdrawn:
        raise NothingToExport(
            f"Item {withdrawn[0].id} was withdrawn and its content purged; it cannot be "
            "exported."
        )
    derived = {i.id for i in _derivatives(pool).values()}
    originals = [i for i in pool if not i.withdrawn and i.id not in derived
                 and not (isinstance(i.details, dict) and DERIVATION_KEY in i.details
                          and request.incident is not None)]
    if request.incident is None:
        originals = [i for i in originals if i.id in request.items]
    if not originals:
        raise NothingToExport("There is no evidence to export: the incident has no items "
                              "(or every item was withdrawn).")
    return sorted(originals, key=lambda i: (exhibit_time(i), i.id)), pool


def gather(vault: Vault, request: PackRequest, checkpoint: CheckpointInfo) -> Pack:
    """Read everything the pack needs, as of ``checkpoint``."""
    zone = resolve_zone(request.timezone)
    profile = load_profile(vault)
    originals, pool = _choose_items(vault, request)
    derivatives = _derivatives(pool) if request.use_redactions else {}
    prefix = profile.exhibit_prefix
    exhibits = []
    disclosed: set[int] = {1}  # vault.created binds the signing key to the journal
    for number, item in enumerate(originals, start=1):
        history = tuple(e for e in vault.item_history(item.id, exclude=_NOT_DISCLOSED)
                        if e.seq <= checkpoint.tree_size)
        notes = tuple(n for n in vault.notes(item=item.id) if n.seq <= checkpoint.tree_size)
        redacted = derivatives.get(item.id)
        exhibits.append(Exhibit(
            mark=f"{prefix}/{number}", number=number, item=item, notes=notes,
            history=history, redacted=redacted,
            original_in_pack=redacted is None or request.include_originals,
        ))
        disclosed.update(e.seq for e in history)
        if redacted is not None:
            disclosed.update(e.seq for e in vault.item_history(redacted.id, exclude=_NOT_DISCLOSED)
                             if e.seq <= checkpoint.tree_size)
    incident = vault.incident(request.incident) if request.incident is not None else None
    incident_notes: tuple[Note, ...] = ()
    actions: tuple[Event, ...] = ()
    if incident is not None:
        incident_notes = tuple(vault.notes(incident=incident.id))
        actions = tuple(vault.actions(incident=incident.id))
        disclosed.update(_incident_events(vault, incident.id))
    else:
        incidents = {e.item.incident_id for e in exhibits if e.item.incident_id is not None}
        actions = tuple(a for i in sorted(incidents) for a in vault.actions(incident=i))
    disclosed.update(n.seq for n in incident_notes)
    disclosed.update(a.seq for a in actions)
    disclosed = {s for s in disclosed if s <= checkpoint.tree_size}
    now = vault.clock.now()
    return Pack(
        pack_id=new_pack_id(now.astimezone(zone)), request=request, made_at=utc_stamp(now),
        zone=zone, profile=profile, vault_id=vault.vault_id, incident=incident,
        incident_notes=tuple(n for n in incident_notes if n.seq <= checkpoint.tree_size),
        exhibits=tuple(exhibits),
        actions=tuple(a for a in actions if a.seq <= checkpoint.tree_size),
        checkpoint=checkpoint, public_key=vault.public_key,
        key_fingerprint=vault.key_fingerprint, disclosed=tuple(sorted(disclosed)),
    )


def _incident_events(vault: Vault, incident_id: int) -> set[int]:
    """The incident's own events (created, renamed, summary)."""
    kinds = {EventType.INCIDENT_CREATED, EventType.INCIDENT_RENAMED, EventType.INCIDENT_SUMMARY}
    return {e.seq for e in vault.events() if e.type in kinds
            and e.payload.get("incident") == incident_id}


_ACRONYMS = {"slt": "SLT", "lado": "LADO", "dsl": "DSL", "url": "URL", "iwf": "IWF",
             "ceop": "CEOP", "posh": "POSH"}


def describe_action(event: Event) -> tuple[str, str]:
    """A tracking event as (what was done, the details) in the app's own words."""
    payload: dict[str, Any] = event.payload
    kind = action_kind(str(payload.get("action", "")))
    if kind is not None:
        action = kind.label
        labels = {f.key: f.label for f in kind.fields}
    else:  # a kind this version does not know: its id, made readable
        action = " ".join(_ACRONYMS.get(word, word) for word in
                          str(payload.get("action", "action")).replace("_", " ")
                          .replace(".", " ").replace("-", " ").split())
        action = action[:1].upper() + action[1:]
        labels = {}
    details = payload.get("details") or {}
    parts = []
    if isinstance(details, dict):
        for key, value in details.items():
            if value not in (None, "", [], {}):
                label = labels.get(key, key.replace("_", " "))
                parts.append(f"{label}: {plain_value(value)}")
    return action, "; ".join(parts)


def when_done(happened_on: Any) -> str:
    """The date a person gave for an action, readable (``2026-03-13T10:20+00:00`` →
    ``Fri 13 Mar 2026, 10:20``); anything else is shown as given."""
    if not isinstance(happened_on, str) or not happened_on:
        return "—"
    try:
        moment = dt.datetime.fromisoformat(happened_on.replace("Z", "+00:00"))
    except ValueError:
        return happened_on
    if len(happened_on) <= 10:
        return moment.strftime("%a %d %b %Y")
    zone = moment.strftime(" %Z") if moment.tzinfo and moment.utcoffset() else (
        " UTC" if moment.tzinfo else "")
    return moment.strftime("%a %d %b %Y, %H:%M") + zone


def category_label(category: str | None) -> str | None:
    if not category:
        return None
    try:
        return category_by_id(category).label
    except EvidenceKitError:
        return category  # a category this version does not know: as recorded


def plain_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {plain_value(v)}" for k, v in value.items()
                         if v not in (None, "", [], {}))
    if isinstance(value, list):
        return ", ".join(plain_value(v) for v in value)
    return str(value)


def flatten_details(details: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Every recorded detail as (label, value) rows, nested keys joined with ' › '."""
    rows: list[tuple[str, str]] = []
    if isinstance(details, dict):
        for key, value in details.items():
            label = f"{prefix} › {key}" if prefix else str(key)
            if isinstance(value, dict):
                rows += flatten_details(value, label)
            elif value not in (None, "", [], {}):
                rows.append((label.replace("_", " "), plain_value(value)))
    return rows
