"""What a LADO referral asks that only the member of staff can say: the adult the
allegation concerns, the children involved, and which of the LADO's harm criteria apply.

Kept as ``incident.referral`` events, one per save, each holding the whole of the
details (the latest is the one in force, as with an incident's summary). The payload
holds only what the user typed or ticked, never anything of the computer it was typed
on, so its record can go in a LADO pack's bundle. Nothing here is ever guessed: a field
left empty stays empty and the pack says "(to be completed)".

Read straight from the journal rather than from a state table: the referral changes no
other state, and so no vault needs its schema changed to hold it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from evidence_kit.core import queries, store
from evidence_kit.core.errors import BadInput
from evidence_kit.core.journal import EventType, Record
from evidence_kit.core.model import Event

HARM_CRITERIA = (
    "behaved in a way that has harmed a child, or may have harmed a child",
    "possibly committed a criminal offence against or related to a child",
    "behaved towards a child or children in a way that indicates they may pose a risk of "
    "harm to children",
    "behaved or may have behaved in a way that indicates they may not be suitable to work "
    "with children",
)
"""The four criteria of the LADO's own referral forms (Working Together to Safeguard
Children), in their words; numbered 1 to 4 in this order."""

MAX_CHILDREN = 30
_FIELD_CHARS = 500


@dataclass(frozen=True)
class Adult:
    name: str = ""
    role: str = ""
    relationship: str = ""
    """Their relationship to the school: e.g. a parent, a governor, a member of staff."""

    @property
    def empty(self) -> bool:
        return not (self.name or self.role or self.relationship)


@dataclass(frozen=True)
class Child:
    name: str = ""
    """A name or initials, as the user wrote them."""
    age: str = ""
    """As written ("14", "Year 9"): never worked out from anything."""
    school: str = ""

    @property
    def empty(self) -> bool:
        return not (self.name or self.age or self.school)


@dataclass(frozen=True)
class Referral:
    adult: Adult = Adult()
    children: tuple[Child, ...] = ()
    criteria: tuple[int, ...] = ()
    """Which of :data:`HARM_CRITERIA` apply, numbered from 1, in order."""

    @property
    def empty(self) -> bool:
        return self.adult.empty and not self.children and not self.criteria

    def payload(self, incident_id: int) -> dict[str, Any]:
        return {
            "incident": incident_id,
            "adult": None if self.adult.empty else {
                "name": self.adult.name, "role": self.adult.role,
                "relationship": self.adult.relationship},
            "children": [{"name": c.name, "age": c.age, "school": c.school}
                         for c in self.children],
            "criteria": list(self.criteria),
        }


def _text(value: object, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadInput(f"The {what} must be text.")
    tidy = " ".join(value.split())
    try:
        tidy.encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(f"The {what} contains characters that are not valid text.") from None
    if len(tidy) > _FIELD_CHARS:
        raise BadInput(f"The {what} is longer than {_FIELD_CHARS} characters.")
    return tidy


def make(adult: Adult, children: Iterable[Child], criteria: Iterable[int]) -> Referral:
    """The referral tidied (spaces collapsed, empty children dropped) and checked."""
    tidy_adult = Adult(_text(adult.name, "adult's name"), _text(adult.role, "adult's role"),
                       _text(adult.relationship, "adult's relationship to the school"))
    kids = tuple(c for c in (Child(_text(c.name, "child's name"), _text(c.age, "child's age"),
                                   _text(c.school, "child's school")) for c in children)
                 if not c.empty)
    if len(kids) > MAX_CHILDREN:
        raise BadInput(f"A referral here holds at most {MAX_CHILDREN} children; attach a "
                       "list for more.")
    chosen: list[int] = []
    for number in criteria:
        if isinstance(number, bool) or not isinstance(number, int) \
                or not 1 <= number <= len(HARM_CRITERIA):
            raise BadInput(f"{number!r} is not one of the LADO's criteria: give 1 to "
                           f"{len(HARM_CRITERIA)}.")
        if number not in chosen:
            chosen.append(number)
    return Referral(tidy_adult, kids, tuple(sorted(chosen)))


def parse_child(text: str) -> Child:
    """``NAME[, AGE[, SCHOOL]]`` as typed on the command line (a school's name may hold
    commas: everything after the second comma is the school)."""
    parts = [p.strip() for p in text.split(",", 2)]
    name, age, school = [*parts, "", ""][:3]
    child = Child(name, age, school)
    if child.empty:
        raise BadInput(f"{text!r} names no child: give it as 'NAME OR INITIALS, AGE, SCHOOL'.")
    return child


def from_payload(payload: Mapping[str, Any]) -> Referral:
    """Read back leniently: a record is never refused for its shape, only shown."""
    raw_adult = payload.get("adult")
    adult = Adult(**{k: str(raw_adult.get(k) or "") for k in ("name", "role", "relationship")}
                  ) if isinstance(raw_adult, Mapping) else Adult()
    children = tuple(Child(**{k: str(c.get(k) or "") for k in ("name", "age", "school")})
                     for c in payload.get("children") or () if isinstance(c, Mapping))
    criteria = tuple(n for n in payload.get("criteria") or ()
                     if isinstance(n, int) and not isinstance(n, bool)
                     and 1 <= n <= len(HARM_CRITERIA))
    return Referral(adult, children, criteria)


class _Vault(Protocol):
    @property
    def conn(self) -> store.Connection: ...
    def incident(self, incident_id: int) -> Any: ...
    def append(self, type: str, payload: dict[str, Any], what: str = ...) -> Record: ...


def record(vault: _Vault, incident_id: int, referral: Referral) -> Record:
    """Save the details for an incident: one event, replacing what was saved before."""
    vault.incident(incident_id)  # NotFound in words if there is no such incident
    return vault.append(EventType.INCIDENT_REFERRAL, referral.payload(incident_id),
                        "the referral details")


def events(vault: _Vault, upto: int | None = None) -> dict[int, Event]:
    """Each incident's latest referral event (up to event ``upto``)."""
    latest: dict[int, Event] = {}
    for event in queries.events_of_types(vault.conn, {EventType.INCIDENT_REFERRAL}):
        incident = event.payload.get("incident")
        if isinstance(incident, int) and (upto is None or event.seq <= upto):
            latest[incident] = event
    return latest


def current(vault: _Vault, incident_id: int) -> Referral:
    found = events(vault).get(incident_id)
    return from_payload(found.payload) if found is not None else Referral()
