"""``verify`` reports, as information and not as a fault, where recorded device times go
backwards between events (as happens when the device clock is changed)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from evidence_kit import wording
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.vault import Vault
from tests.conftest import PASSPHRASE


def test_a_clock_put_back_is_information_not_failure(vault: Vault, clock: FixedClock) -> None:
    vault.add_note("first")
    clock.advance(dt.timedelta(seconds=30))
    vault.add_note("clock nudged back a little later")  # forwards: nothing to say
    clock.advance(-dt.timedelta(seconds=20))
    vault.add_note("20 s back: the clock being corrected, not worth a word")
    before = vault.event_count()
    clock.advance(-dt.timedelta(hours=2, minutes=10))
    vault.add_note("after the clock was put back")
    report = vault.verify()
    assert report.ok, report.failures
    [step] = report.clock_steps
    assert step.seq == before + 1 and step.seconds_back // 60 == 130
    london = wording.zone_named("Europe/London")
    line = wording.clock_step(step, london)
    assert line.startswith(f"event {before + 1} is recorded 2 h 10 min earlier than event "
                           f"{before} (")
    assert "GMT" in line and "UTC" in line  # March 14th: London is on GMT
    assert line.endswith("the device clock may have been changed")


def test_the_command_line_says_it_after_the_verdict(vault: Vault, clock: FixedClock) -> None:
    clock.advance(-dt.timedelta(days=1, hours=3))
    vault.add_note("yesterday, says the clock")
    vault.lock()
    done = subprocess.run([sys.executable, "-m", "evidence_kit", "--vault", str(vault.folder),
                           "verify"], capture_output=True, text=True, check=False,
                          env={"EVIDENCE_KIT_PASSPHRASE": PASSPHRASE, "TZ": "Europe/London",
                               "PATH": "/usr/bin:/bin", "PYTHONPATH": sys.path[0] or "."})
    assert done.returncode == 0, done.stderr
    assert "all intact" in done.stdout
    assert "Information: event" in done.stdout and "1 day 3 h earlier" in done.stdout
