"""Shared fixtures: real SQLCipher vaults in temporary folders, and the CLI run for real."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from evidence_kit.cli import main as cli_main
from evidence_kit.core import keys
from evidence_kit.core.clock import FixedClock
from evidence_kit.core.vault import Vault

PASSPHRASE = "correct horse battery staple"

# Qt must never try a real display unless a test asks for one.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never the user's own app settings or log: a folder of the test run's own, so a vault
# folder saved by a test is not found by the next one and no log lands in $HOME.
_RUN_DIR = Path(tempfile.mkdtemp(prefix="evidence-kit-tests-"))
os.environ["EVIDENCE_KIT_APP_CONFIG"] = str(_RUN_DIR / "app.json")
os.environ["EVIDENCE_KIT_LOG_DIR"] = str(_RUN_DIR / "log")
# The app reads the text of pictures after each capture or import (Tesseract, ~1 s each):
# off for the suite, so widget tests do not wait for it; the tests of it turn it on.
os.environ["EVIDENCE_KIT_READ_TEXT"] = "0"


_GUI_FIXTURES = frozenset({"qtbot", "qapp"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for Qt's fixtures needs Qt widgets: mark it ``gui`` itself.

    So ``-m "not gui"`` leaves out every widget test without each file remembering to say so.
    """
    for item in items:
        if _GUI_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime(2026, 3, 14, 9, 26, 53, tzinfo=dt.UTC),
                      step=dt.timedelta(milliseconds=1))


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_dir: Path, clock: FixedClock) -> Iterator[Vault]:
    """An open vault with the floor KDF (the tuned one is tested on its own)."""
    opened, _code = Vault.create(vault_dir, PASSPHRASE, clock=clock, kdf=keys.FLOOR_PARAMS)
    try:
        yield opened
    finally:
        opened.lock()


@pytest.fixture
def recovery_vault(vault_dir: Path, clock: FixedClock) -> tuple[Path, str]:
    opened, code = Vault.create(vault_dir, PASSPHRASE, clock=clock, kdf=keys.FLOOR_PARAMS)
    opened.lock()
    return vault_dir, code


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVIDENCE_KIT_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("EVIDENCE_KIT_KDF_SECONDS", "0")
    monkeypatch.delenv("EVIDENCE_KIT_VAULT", raising=False)


@pytest.fixture
def cli(cli_env: None, capsys: pytest.CaptureFixture[str], vault_dir: Path):  # type: ignore[no-untyped-def]
    """Run the command line in this process against ``vault_dir``."""

    def run(*args: str | os.PathLike[str]) -> CliResult:
        code = cli_main(["--vault", str(vault_dir), *map(os.fspath, args)])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def run_cli_process(
    *args: str | os.PathLike[str], env: dict[str, str] | None = None, timeout: float = 60,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """The command line in its own process, as scripts and the exit-code contract see it."""
    full_env = {**os.environ, "EVIDENCE_KIT_PASSPHRASE": PASSPHRASE,
                "EVIDENCE_KIT_KDF_SECONDS": "0", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "evidence_kit", *map(os.fspath, args)],
        capture_output=True, text=True, env=full_env, timeout=timeout, input=input,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to prove an operation changed nothing."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


@contextlib.contextmanager
def in_zone(name: str) -> Iterator[None]:
    """The process's local time zone set to ``name`` (an IANA name), then put back."""
    if not hasattr(time, "tzset"):
        pytest.skip("time zones can only be switched on POSIX")
    patch = pytest.MonkeyPatch()
    patch.setenv("TZ", name)
    time.tzset()
    try:
        yield
    finally:
        patch.undo()
        time.tzset()


@pytest.fixture
def london() -> Iterator[None]:
    """A machine in the UK: BST in summer, GMT in winter."""
    with in_zone("Europe/London"):
        yield
