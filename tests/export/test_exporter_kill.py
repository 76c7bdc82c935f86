"""Export killed with SIGKILL (issue 12): no decrypted staging and no unrecorded pack after.

The exporter pauses at a named point when the test-only ``EVIDENCE_KIT_TEST_PAUSE_AT``
is set (see exporter.PAUSE_ENV); the test kills it there, runs the next command, and
checks what is left.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from evidence_kit.core.profile import Profile, save_profile
from evidence_kit.core.vault import NewItem, Vault
from evidence_kit.export import staging
from evidence_kit.export.exporter import PAUSE_ENV
from tests.conftest import PASSPHRASE, run_cli_process
from tests.export.conftest import screenshot


def _stagings(out: Path) -> list[Path]:
    return sorted(out.glob(staging.STAGING_PREFIX + "*")) if out.exists() else []


def _packs(out: Path) -> list[Path]:
    return sorted(p for p in out.glob("evidence-pack-*") if p.is_file()) if out.exists() else []


def _prepare(vault: Vault) -> int:
    save_profile(vault, Profile(initials="JS"))
    incident = vault.create_incident("Posts").id
    for n in range(2):
        vault.add_item(NewItem(data=screenshot(640, 400, (20, 40 * n, 90), n),
                               name=f"post-{n}.png", media_type="image/png",
                               incident=incident))
    vault.lock()
    return incident


def _export_killed(vault_dir: Path, incident: int, out: Path, point: str | None,
                   marker: Path) -> None:
    env = {**os.environ, "EVIDENCE_KIT_PASSPHRASE": PASSPHRASE, "EVIDENCE_KIT_KDF_SECONDS": "0"}
    if point is not None:
        env[PAUSE_ENV] = f"{point}:{marker}"
    child = subprocess.Popen(
        [sys.executable, "-m", "evidence_kit", "--vault", str(vault_dir), "export",
         "--incident", str(incident), "--for", "police", "--out", str(out)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not (marker.exists() if point is not None else _stagings(out)):
            assert child.poll() is None, child.stderr.read() if child.stderr else ""
            assert time.monotonic() < deadline, "the export never reached the point"
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        if child.stderr:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL


@pytest.mark.slow
@pytest.mark.parametrize("point", [None, "building", "recorded", "published"])
def test_a_killed_export_leaves_nothing_decrypted_and_nothing_unrecorded(
        vault: Vault, vault_dir: Path, tmp_path: Path, point: str | None) -> None:
    incident = _prepare(vault)
    out = tmp_path / "packs"
    _export_killed(vault_dir, incident, out, point, tmp_path / "paused")
    assert _stagings(out), "the kill came before the pack was being built"
    if point == "recorded":
        assert any(p.suffix == ".pdf" for p in _stagings(out)[0].iterdir())

    after = run_cli_process("--vault", vault_dir, "list")
    assert after.returncode == 0, after.stderr
    assert "has been removed" in after.stderr and str(out) in after.stderr
    assert _stagings(out) == []
    with Vault.open(vault_dir, PASSPHRASE) as opened:
        exports = opened.exports()
        assert opened.setting(staging.REGISTRY_KEY) in (None, "[]")
    packs = _packs(out)
    if point == "published":
        assert len(packs) == 2 and len(exports) == 1 and exports[0].published
        recorded = {f["name"]: f["sha256"] for f in exports[0].event.payload["files"]}
        assert recorded.keys() == {p.name for p in packs}
        assert "never published" not in after.stdout
    elif point == "recorded":
        assert packs == [] and len(exports) == 1 and not exports[0].published
        assert "never published" in after.stdout
        shown = run_cli_process("--vault", vault_dir, "show", "1")
        assert "export.started  (started, never published)" in shown.stdout
    else:
        assert packs == [] and exports == []
    checked = run_cli_process("--vault", vault_dir, "verify", "--json")
    assert checked.returncode == 0 and json.loads(checked.stdout)["ok"], checked.stdout
    again = run_cli_process("--vault", vault_dir, "list")
    assert "removed" not in again.stderr  # told once


def test_only_stagings_of_dead_owners_are_removed(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    me = staging.this_process()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    gone = out / f"{staging.STAGING_PREFIX}{int(dead.stdout)}-{me.token}-x1"
    reused = out / f"{staging.STAGING_PREFIX}1-0-x2"  # pid 1 lives, but started otherwise
    alive = staging.make_staging(vault, out)
    other_vault = out / f"{staging.STAGING_PREFIX}{int(dead.stdout)}-abc"  # not ours: no owner
    for folder in (gone, reused, other_vault):
        folder.mkdir()
        (folder / "part-main.pdf").write_bytes(b"%PDF decrypted evidence")
    vault.set_setting(staging.REGISTRY_KEY, json.dumps(
        [str(gone.resolve()), str(reused.resolve()), str(alive.resolve())]))
    notices = staging.cleanup_stale(vault)
    assert not gone.exists() and not reused.exists()
    assert alive.is_dir() and other_vault.is_dir()
    assert len(notices) == 2 and all("has been removed" in n for n in notices)
    assert json.loads(vault.setting(staging.REGISTRY_KEY) or "[]") == [str(alive.resolve())]
    staging.release(vault, alive)
    assert not alive.exists() and json.loads(vault.setting(staging.REGISTRY_KEY) or "") == []
    assert staging.cleanup_stale(vault) == []
