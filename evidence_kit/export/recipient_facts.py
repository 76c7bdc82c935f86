"""What the three recipients' sections share: the facts of a pack in words, the
producer's name, and the actions read from the journal by kind."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from evidence_kit import wording
from evidence_kit.core import tracking
from evidence_kit.core.clock import parse_utc_stamp
from evidence_kit.core.model import Event
from evidence_kit.export.conduct import account_key, account_names, shown_account
from evidence_kit.export.pack import Pack, category_label

TO_FILL = "(to be completed)"


def facts(pack: Pack) -> dict[str, str]:
    span = pack.span()
    # Spellings of one account (case, spaces, a leading @) are counted together.
    names = account_names(e.item.account for e in pack.exhibits)
    accounts = Counter(shown_account(names[account_key(e.item.account)])
                       for e in pack.exhibits if e.item.account and e.item.account.strip())
    platforms = Counter(e.item.platform for e in pack.exhibits if e.item.platform)
    categories = Counter(category_label(e.item.category) for e in pack.exhibits
                         if e.item.category)
    return {
        "count": str(len(pack.exhibits)),
        "first": pack.seen(span[0]) if span else "",
        "last": pack.seen(span[1]) if span else "",
        "accounts": ", ".join(f"{a} ({n})" for a, n in accounts.most_common()) or "not recorded",
        "platforms": ", ".join(f"{p} ({n})" for p, n in platforms.most_common())
        or "not recorded",
        "categories": ", ".join(f"{c} ({n})" for c, n in categories.most_common())
        or "not recorded",
        # Days as the person lived them (local dates), not UTC dates.
        "days": str(len({pack.seen_date(e) for e in pack.exhibits})),
    }


def who(pack: Pack) -> str:
    p = pack.profile
    bits = [p.name or "the member of staff"]
    if p.role:
        bits.append(p.role)
    if p.school:
        bits.append(p.school)
    return ", ".join(bits)


def summary_rows(pack: Pack) -> list[tuple[str, str]]:
    found = facts(pack)
    rows = [
        ("Evidence", f"{found['count']} exhibits on {found['days']} different days"),
        ("First item", found["first"]),
        ("Latest item", found["last"]),
        ("Platforms", found["platforms"]),
        ("Accounts responsible", found["accounts"]),
        ("What it shows", found["categories"]),
    ]
    if pack.incident is not None and pack.incident.summary:
        rows.insert(0, ("Summary (by the member of staff)", pack.incident.summary))
    return rows


def kind_of(event: Event) -> str:
    """An action's kind, with old spellings (``told_slt``) read as the current ids."""
    return str(event.payload.get("action") or "").replace("_", "-").lower()


def actions_of(pack: Pack, *words: str) -> list[Event]:
    """The pack's actions whose kind contains any of ``words`` (oldest first)."""
    return [e for e in pack.actions if any(w in kind_of(e) for w in words)]


def action_line(pack: Pack, event: Event) -> str:
    words = wording.describe_action(event, pack.zone)
    details = words.detail_text()
    return f"{words.when}: {words.heading}" + (f" ({details})" if details else "")


def actions_in_words(pack: Pack) -> str:
    if not pack.actions:
        return "None recorded in this pack."
    ordered = sorted(pack.actions, key=lambda e: (tracking.happened_at(e), e.seq))
    return "\n".join(action_line(pack, e) for e in ordered)


def made_at(pack: Pack) -> dt.datetime:
    """The pack's own moment: 'now' for anything due or overdue (the vault's clock)."""
    return parse_utc_stamp(pack.made_at)


def moment(pack: Pack, at: dt.datetime) -> str:
    return wording.when(at, pack.zone)
