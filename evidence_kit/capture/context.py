"""Where and when a capture happened, as the device saw it.

The times come from the device clock and are labelled so: integrity proves the
record has not changed since, not that the clock was right.
"""

from __future__ import annotations

import datetime as dt
import platform

import evidence_kit
from evidence_kit import wording
from evidence_kit.core.clock import Clock, utc_stamp

ContextValue = str | int | bool | None


def _os_description() -> dict[str, ContextValue]:
    """The kind of system, as a reader of the pack may want it; never the kernel build,
    host name or user name, which say whose computer it was, not how it captured."""
    system = platform.system()
    distribution: str | None = None
    if system == "Linux":
        try:
            distribution = platform.freedesktop_os_release().get("PRETTY_NAME")
        except OSError:
            distribution = None
    elif system == "Darwin":
        distribution = f"macOS {platform.mac_ver()[0]}".strip() or None
    elif system == "Windows":
        distribution = f"Windows {platform.release()} {platform.win32_edition() or ''}".strip()
    return {"os": system or None, "os_distribution": distribution}


def capture_context(
    clock: Clock, profile_name: str | None, *, at: dt.datetime | None = None
) -> dict[str, ContextValue]:
    """The capture's time and operator, as a flat JSON-able dict (no floats).

    ``at`` describes a moment already taken (for example :attr:`Grab.grabbed_at`, so
    a delayed grab records when the pixels were read); otherwise the clock is asked.
    """
    moment = at if at is not None else clock.now()
    local = wording.local_record(moment)
    context: dict[str, ContextValue] = {
        "time_utc": utc_stamp(moment),
        "time_local": local["local"],
        "time_zone": local["abbreviation"],
        "utc_offset": local["offset"],
        # The IANA name, so the time can be shown later as it was then (BST in July
        # even in December); the abbreviation and offset alone cannot say that.
        "zone": local["zone"],
        "time_source": "device clock",
    }
    context.update(_os_description())
    context.update(
        {
            "profile": profile_name,
            "tool": "Evidence Kit",
            "tool_version": evidence_kit.__version__,
        }
    )
    return context
