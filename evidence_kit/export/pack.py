"""What goes into one evidence pack, gathered from the vault once, as frozen values.

The PDF and the ZIP are both drawn from a :class:`Pack`, so they cannot disagree
about which exhibits, hashes and events were disclosed. Gathering is the only step
that touches the vault; everything after it could run on another thread.

Just over 400 lines on purpose: gathering a pack is one pass over the vault (items,
marks, actions, continuity), and splitting it would pass half-built packs between
modules.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from evidence_kit import __version__, wording
from evidence_kit.capture.categories import category_by_id
from evidence_kit.capture.page import LEFT_OUT_WHEN_REDACTED, part_of
from evidence_kit.capture.scrolling import SCROLL_KEY, STITCHED_KEY
from evidence_kit.core import marks, referral
from evidence_kit.core.clock import parse_utc_stamp, utc_stamp
from evidence_kit.core.errors import BadInput, EvidenceKitError
from evidence_kit.core.journal import EventType
from evidence_kit.core.marks import Mark
from evidence_kit.core.model import CheckpointInfo, Event, Incident, Item, Note
from evidence_kit.core.profile import Profile, load_profile
from evidence_kit.core.referral import Referral
from evidence_kit.core.vault import Vault
from evidence_kit.export.continuity import withheld_reason
from evidence_kit.export.earlier import earlier_packs
from evidence_kit.export.errors import NothingToExport
from evidence_kit.export.verify.report import EarlierPack

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

MACHINE_KEYS = frozenset({"original_path", "host_name", "os_user", "os_release", "os_version",
                          "python_version"})
"""Details earlier versions recorded about the producer's computer: the folder a file
came from (``/home/<user>/…``), the user and host names, the kernel and Python builds.
New records keep none of them; old records are disclosed as they are (their hashes
depend on every byte), but the PDF shows them only in the police pack's technical
appendix."""


def without_machine(details: Any) -> Any:
    """``details`` without :data:`MACHINE_KEYS`, at any depth."""
    if isinstance(details, dict):
        return {k: without_machine(v) for k, v in details.items() if k not in MACHINE_KEYS}
    if isinstance(details, list):
        return [without_machine(v) for v in details]
    return details


def shows_machine(recipient: Recipient) -> bool:
    """Whether the pack's technical appendix may show :data:`MACHINE_KEYS` (police only:
    continuity may turn on which computer made a record)."""
    return recipient == "police"


# Events whose payloads concern other exports or copies, not the evidence itself;
# disclosing them could name items of other incidents, so they stay hashes only.
_NOT_DISCLOSED = {EventType.EXPORT_MADE, EventType.EXPORT_STARTED, EventType.ITEM_EXTRACTED,
                  EventType.BACKUP_MADE}


@dataclass(frozen=True)
class PackRequest:
    """What the user asked for: which evidence, for whom, and how it is marked."""

    recipient: Recipient
    incident: int | None = None
    """One incident (kept for callers that name just one); see ``incidents``."""
    items: tuple[int, ...] = ()
    marking: str = DEFAULT_MARKING
    include_originals: bool = False
    """Put unredacted originals in the pack even where a redacted copy exists."""
    use_redactions: bool = True
    timezone: str | None = None
    """IANA zone for times that recorded none (old events, the pack's own times);
    default: this computer's. Times recorded with a zone are shown in that zone."""
    incidents: tuple[int, ...] = ()
    """Several incidents in one pack (a course of conduct). ``incident`` and this agree:
    with one incident both name it; with several, ``incident`` is None."""

    def __post_init__(self) -> None:
        if self.recipient not in RECIPIENTS:
            raise BadInput(f"A pack is for one of: {', '.join(RECIPIENTS)}.")
        chosen = tuple(dict.fromkeys(self.incidents))
        if self.incident is not None:
            if chosen and chosen != (self.incident,):
                raise BadInput("Give the incidents either as one incident or as a list, "
                               "not both.")
            chosen = (self.incident,)
        # Frozen: the normalised values are set once, here.
        object.__setattr__(self, "incidents", chosen)
        object.__setattr__(self, "incident", chosen[0] if len(chosen) == 1 else None)
        if bool(chosen) == bool(self.items):
            raise BadInput("Choose either incidents or a list of items to export.")


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
    continuity: tuple[Event, ...] = ()
    """Extractions and exports of the item: told in words in the police pack's continuity
    (their records are disclosed only where :mod:`.continuity` finds them harmless)."""
    read_text: str | None = None
    """Text software read from the picture the pack shows (the redacted copy's own when
    it shows one: the original's holds what the copy hides); None when none was read."""
    frames: tuple[Item, ...] = ()
    """A scrolling capture's other frames, after ``item`` (its first), in order."""
    stitched: Item | None = None
    """A scrolling capture's frames joined into one image: shown instead of the first
    frame, unless a redacted copy is shown."""
    stopped: str | None = None
    """Why a scrolling capture stopped, as recorded."""
    stitch_failed: str | None = None

    def frame_path(self, index: int, item: Item) -> str:
        """Frame ``index`` (1-based; 1 is ``item`` itself, at :attr:`original_path`)."""
        # A frame's own name says which it is ("…-frame-02-of-05.png").
        return self.original_path if index == 1 else (
            f"originals/{self.file_stem}_{safe_name(item.original_name)}")

    @property
    def stitched_path(self) -> str | None:
        if self.stitched is None:
            return None
        return f"derived/{self.file_stem}-stitched_{safe_name(self.stitched.original_name)}"

    @property
    def all_frames(self) -> tuple[Item, ...]:
        return (self.item, *self.frames) if self.frames or self.stitched else ()

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
        return self.redacted or self.stitched or self.item

    @property
    def is_image(self) -> bool:
        return self.shown.media_type.startswith("image/")


@dataclass(frozen=True)
class Pack:
    pack_id: str
    request: PackRequest
    made_at: str  # UTC stamp
    zone: wording.Zone
    """For times recorded without a zone of their own."""
    profile: Profile
    vault_id: str
    incident: Incident | None
    """The one incident asked for; None for several (see ``incidents``) or chosen items."""
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
    new_marks: tuple[Mark, ...] = ()
    """Marks this pack is the first to use: recorded with its export, or not at all."""
    journal_checked: int = 0
    """How many events were checked in full (and every exhibit re-hashed) for this pack."""
    earlier: tuple[EarlierPack, ...] = ()
    """Packs made before this one from the same vault (see :mod:`.earlier`)."""
    incidents: tuple[Incident, ...] = ()
    """Every incident the pack covers: those asked for, or those the chosen items are in."""
    referrals: tuple[tuple[int, Referral], ...] = ()
    """LADO packs only: each covered incident's referral details (incident id, details),
    for those where any were saved."""

    @property
    def title(self) -> str:
        if self.incident is not None:
            return self.incident.title
        if len(self.request.incidents) > 1:
            return "; ".join(i.title for i in self.incidents)
        return f"{len(self.exhibits)} selected items"

    @property
    def several_incidents(self) -> bool:
        return len(self.incidents) > 1

    def incident_title(self, incident_id: int | None) -> str:
        for incident in self.incidents:
            if incident.id == incident_id:
                return incident.title
        return "—"

    def notes_of(self, incident_id: int) -> tuple[Note, ...]:
        return tuple(n for n in self.incident_notes if n.incident_id == incident_id)

    def period(self) -> tuple[str, str] | None:
        stamps = sorted(exhibit_time(e.item) for e in self.exhibits)
        return (stamps[0], stamps[-1]) if stamps else None

    def span(self) -> tuple[Exhibit, Exhibit] | None:
        """The first and the latest exhibit seen (the period the pack covers)."""
        ordered = sorted(self.exhibits, key=lambda e: (exhibit_time(e.item), e.number))
        return (ordered[0], ordered[-1]) if ordered else None

    def seen(self, exhibit: Exhibit) -> str:
        """When an exhibit was seen, local time in its own zone."""
        return self.local(exhibit_time(exhibit.item), self.item_zone(exhibit.item))

    def seen_date(self, exhibit: Exhibit) -> dt.date:
        found = wording.local_date(exhibit_time(exhibit.item), self.item_zone(exhibit.item))
        assert found is not None  # exhibit_time only returns stamps that parse
        return found

    def local(self, stamp: str, zone: wording.Zone | None = None) -> str:
        """``Tue 14 Jul 2026 18:00:00 BST (UTC+01:00)``, in the zone in force then."""
        return wording.when(stamp, zone or self.zone)

    def local_and_utc(self, stamp: str, zone: wording.Zone | None = None) -> str:
        return wording.when_and_utc(stamp, zone or self.zone)

    def item_zone(self, item: Item) -> wording.Zone:
        """The zone recorded with the item (captures), else the pack's."""
        return wording.item_zone(item, self.zone)

    def exhibit_when(self, item: Item) -> str:
        """When the evidence was seen, local (in its own zone) above UTC."""
        return self.local_and_utc(exhibit_time(item), self.item_zone(item))


def safe_name(name: str) -> str:
    """A file name that is the same on every system and cannot climb out of a folder."""
    cleaned = re.sub(r"[^\w.\-]+", "_", name, flags=re.UNICODE).strip("._") or "file"
    stem, dot, ext = cleaned.rpartition(".")
    if dot and len(ext) <= 8:
        return f"{stem[:80]}.{ext}"
    return cleaned[:90]


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


def _read_text(vault: Vault, shown: Item, tree_size: int) -> str | None:
    """The text read from exactly the picture shown, as of the pack's checkpoint."""
    if not shown.media_type.startswith("image/") or shown.withdrawn:
        return None
    found = vault.read_text(shown.id)
    if found is None or found.seq > tree_size or found.of_sha256 != shown.sha256:
        return None
    return found.text or None


def _without_page_text(originals: list[Item], redacted: set[int]) -> list[Item]:
    """Leave out a page capture's archive and text where a picture of it is redacted:
    they hold, as words and pictures, whatever the black boxes hide."""
    hidden = set(redacted)
    for item in originals:  # the whole-page picture names the page's first part
        link = part_of(item.details)
        if link is not None and item.id in redacted:
            hidden.add(link["item"])
    return [i for i in originals
            if not ((link := part_of(i.details)) is not None
                    and link.get("part") in LEFT_OUT_WHEN_REDACTED
                    and link["item"] in hidden)]


def _choose_items(vault: Vault, request: PackRequest) -> tuple[list[Item], list[Item]]:
    """The originals to export, and every item that might be a redacted copy of one."""
    if request.incidents:
        pool = []
        for incident_id in request.incidents:
            vault.incident(incident_id)  # NotFound in words if there is no such incident
            pool += vault.items(incident=incident_id)
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
    derived = {i.id for i in _derivatives(pool).values()} | {
        i.id for i in pool if _in_sequence(i)}
    originals = [i for i in pool if not i.withdrawn and i.id not in derived
                 and not (isinstance(i.details, dict) and DERIVATION_KEY in i.details
                          and bool(request.incidents))]
    if not request.incidents:
        originals = [i for i in originals if i.id in request.items]
    if request.use_redactions and not request.include_originals:
        originals = _without_page_text(originals, set(_derivatives(pool)))
    if not originals:
        raise NothingToExport("There is no evidence to export: the incident has no items "
                              "(or every item was withdrawn).")
    return sorted(originals, key=lambda i: (exhibit_time(i), i.id)), pool


def _in_sequence(item: Item) -> bool:
    """A scrolling capture's later frame or its stitch: shown under its first frame."""
    details = item.details if isinstance(item.details, dict) else {}
    scroll = details.get(SCROLL_KEY)
    return STITCHED_KEY in details or (isinstance(scroll, dict) and scroll.get("frame") != 1)


def _sequences(vault: Vault, originals: list[Item]) -> dict[int, dict[str, Any]]:
    """Each scrolling capture's record, by its first frame's item id."""
    if not any(isinstance(i.details, dict) and SCROLL_KEY in i.details for i in originals):
        return {}  # the usual pack: no scan of the journal
    found: dict[int, dict[str, Any]] = {}
    for event in vault.events():
        if event.type == EventType.CAPTURE_SCROLLED and event.payload.get("items"):
            found[int(event.payload["items"][0])] = event.payload
    return found


def check_request(vault: Vault, request: PackRequest) -> None:
    """Refuse a request that cannot make a pack, before anything is written anywhere."""
    originals, _pool = _choose_items(vault, request)
    known = vault.exhibit_marks()
    if any(item.id not in known for item in originals):
        marks.require_initials(load_profile(vault))


def _plan_marks(vault: Vault, originals: list[Item], profile: Profile
                ) -> tuple[dict[int, Mark], tuple[Mark, ...]]:
    """Each exhibit's mark: the one recorded, else the next unused number (in the
    pack's order), which the export records if and only if it succeeds."""
    known = vault.exhibit_marks()
    unmarked = [item for item in originals if item.id not in known]
    if not unmarked:
        return known, ()
    prefix = marks.require_initials(profile)
    start = max((m.number for m in known.values()), default=0) + 1
    planned = tuple(Mark(item.id, f"{prefix}/{number}", number, 0)
                    for number, item in enumerate(unmarked, start=start))
    return {**known, **{m.item: m for m in planned}}, planned


def gather(vault: Vault, request: PackRequest, checkpoint: CheckpointInfo,
           journal_checked: int = 0) -> Pack:
    """Read everything the pack needs, as of ``checkpoint``."""
    zone = wording.zone_named(request.timezone)
    profile = load_profile(vault)
    originals, pool = _choose_items(vault, request)
    derivatives = _derivatives(pool) if request.use_redactions else {}
    marked, new_marks = _plan_marks(vault, originals, profile)
    exhibits = []
    disclosed: set[int] = {1}  # vault.created binds the signing key to the journal
    # Read once for the whole pack: an export's record names every item it carried.
    exported = [(s.event, _named_items(s.event)) for s in vault.exports()
                if s.published and s.event.seq <= checkpoint.tree_size]
    sequences = _sequences(vault, originals)
    pack_items = {i.id for i in originals} | {d.id for d in derivatives.values()} | {
        i for p in sequences.values() for i in p["items"]}
    for item in originals:
        read = [e for e in vault.item_history(
            item.id, exclude={EventType.EXPORT_MADE, EventType.EXPORT_STARTED})
            if e.seq <= checkpoint.tree_size]
        history = tuple(e for e in read if e.type not in _NOT_DISCLOSED)
        continuity = tuple(sorted(
            [e for e in read if e.type == EventType.ITEM_EXTRACTED]
            + [e for e, named in exported if item.id in named],
            key=lambda e: e.seq))
        disclosed.update(e.seq for e in continuity
                         if withheld_reason(e, pack_items) is None)
        notes = tuple(n for n in vault.notes(item=item.id) if n.seq <= checkpoint.tree_size)
        redacted = derivatives.get(item.id)
        sequence = sequences.get(item.id, {})
        frames = tuple(vault.item(int(f["item"])) for f in sequence.get("frames", [])[1:])
        joined = sequence.get("stitched")
        stitched = vault.item(int(joined["item"])) if isinstance(joined, dict) else None
        if stitched is not None and stitched.withdrawn:
            stitched = None
        for extra in (*frames, *([stitched] if stitched else [])):
            disclosed.update(e.seq for e in vault.item_history(extra.id, exclude=_NOT_DISCLOSED)
                             if e.seq <= checkpoint.tree_size)
        exhibits.append(Exhibit(
            read_text=_read_text(vault, redacted or stitched or item, checkpoint.tree_size),
            mark=marked[item.id].mark, number=marked[item.id].number, item=item, notes=notes,
            history=history, redacted=redacted,
            original_in_pack=redacted is None or request.include_originals,
            continuity=continuity, frames=frames, stitched=stitched,
            stopped=sequence.get("stopped"), stitch_failed=sequence.get("stitch_failed"),
        ))
        disclosed.update(e.seq for e in history)
        if redacted is not None:
            disclosed.update(e.seq for e in vault.item_history(redacted.id, exclude=_NOT_DISCLOSED)
                             if e.seq <= checkpoint.tree_size)
    incident = vault.incident(request.incident) if request.incident is not None else None
    incident_notes: tuple[Note, ...] = ()
    actions: tuple[Event, ...] = ()
    covered: tuple[Incident, ...]
    if request.incidents:
        covered = tuple(vault.incident(i) for i in request.incidents)
        incident_notes = tuple(n for i in request.incidents for n in vault.notes(incident=i))
        actions = tuple(sorted((a for i in request.incidents for a in vault.actions(incident=i)),
                               key=lambda a: a.seq))
        disclosed.update(_incident_events(vault, set(request.incidents)))
    else:
        in_use = {e.item.incident_id for e in exhibits if e.item.incident_id is not None}
        covered = tuple(vault.incident(i) for i in sorted(in_use))
        actions = tuple(a for i in sorted(in_use) for a in vault.actions(incident=i))
    disclosed.update(n.seq for n in incident_notes)
    disclosed.update(a.seq for a in actions)
    referrals: list[tuple[int, Referral]] = []
    if request.recipient == "lado":
        # Only the LADO's pack prints them, so only its bundle holds their records: the
        # children's names stay out of the police's and SLT's bundles.
        saved = referral.events(vault, checkpoint.tree_size)
        for covered_incident in covered:
            found = saved.get(covered_incident.id)
            if found is not None and not referral.from_payload(found.payload).empty:
                referrals.append((covered_incident.id, referral.from_payload(found.payload)))
                disclosed.add(found.seq)
    disclosed = {s for s in disclosed if s <= checkpoint.tree_size}
    now = vault.clock.now()
    return Pack(
        pack_id=new_pack_id(zone.at(now)), request=request, made_at=utc_stamp(now),
        zone=zone, profile=profile, vault_id=vault.vault_id, incident=incident,
        incident_notes=tuple(n for n in incident_notes if n.seq <= checkpoint.tree_size),
        exhibits=tuple(exhibits),
        actions=tuple(a for a in actions if a.seq <= checkpoint.tree_size),
        checkpoint=checkpoint, public_key=vault.public_key,
        key_fingerprint=vault.key_fingerprint, disclosed=tuple(sorted(disclosed)),
        new_marks=new_marks, journal_checked=journal_checked,
        earlier=earlier_packs(vault, checkpoint.tree_size), incidents=covered,
        referrals=tuple(referrals),
    )


def _named_items(event: Event) -> frozenset[Any]:
    """The items an export's record names (each exhibit asks whether it is one)."""
    named = event.payload.get("items")
    if not isinstance(named, list):
        return frozenset()
    return frozenset(i for i in named if isinstance(i, int | str))


def _incident_events(vault: Vault, incident_ids: set[int]) -> set[int]:
    """The incidents' own events (created, renamed, summary)."""
    kinds = (EventType.INCIDENT_CREATED, EventType.INCIDENT_RENAMED, EventType.INCIDENT_SUMMARY)
    return {e.seq for e in vault.events_of_type(*kinds)
            if e.payload.get("incident") in incident_ids}


def category_label(category: str | None) -> str | None:
    if not category:
        return None
    try:
        return category_by_id(category).label
    except EvidenceKitError:
        return category  # a category this version does not know: as recorded
