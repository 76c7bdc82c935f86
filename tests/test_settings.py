"""The one place the command line and the app agree on folders, secrets and the KDF."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from evidence_kit import settings
from evidence_kit.core import keys
from evidence_kit.core.errors import BadInput


def test_vault_folder_order_is_flag_then_environment_then_saved_then_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = settings.AppConfig(tmp_path / "app.json", vault_folder=tmp_path / "saved")
    config.save()
    monkeypatch.setenv(settings.CONFIG_ENV, str(config.path))
    monkeypatch.delenv(settings.VAULT_ENV, raising=False)
    # The command line passes no config: it must read the app's saved folder itself.
    assert settings.resolve_vault_folder(None) == tmp_path / "saved"
    monkeypatch.setenv(settings.VAULT_ENV, str(tmp_path / "env"))
    assert settings.resolve_vault_folder(None) == tmp_path / "env"
    assert settings.resolve_vault_folder(tmp_path / "flag") == tmp_path / "flag"
    monkeypatch.delenv(settings.VAULT_ENV)
    (tmp_path / "app.json").write_text("not json", encoding="utf-8")
    assert settings.resolve_vault_folder(None) == settings.default_vault_dir()


@pytest.mark.parametrize("value", ["fast", "nan", "inf", "-inf", ""])
def test_kdf_seconds_that_are_not_a_number_are_refused(
        value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.KDF_SECONDS_ENV, value)
    with pytest.raises(BadInput, match="number of seconds"):
        settings.kdf_from_environment()


def test_kdf_seconds_zero_is_the_floor_and_unset_is_tuned(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.KDF_SECONDS_ENV, "0")
    assert settings.kdf_from_environment()() == keys.FLOOR_PARAMS
    monkeypatch.delenv(settings.KDF_SECONDS_ENV)
    assert settings.kdf_from_environment() is keys.tune_kdf


def test_secret_file_keeps_everything_but_one_trailing_newline(tmp_path: Path) -> None:
    path = tmp_path / "pass"
    path.write_bytes(b" two words \n\n")
    assert settings.read_secret_file(path) == " two words \n"
    path.write_bytes("zażółć gęślą\r\n".encode())
    assert settings.read_secret_file(path) == "zażółć gęślą"


def test_secret_file_that_never_ends_is_refused_not_read_for_ever(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="not a regular file"):
        settings.read_secret_file(Path(os.devnull))
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(BadInput, match="not a regular file"):
        settings.read_secret_file(fifo)
    big = tmp_path / "big"
    big.write_bytes(b"x" * (settings.MAX_SECRET_FILE_BYTES + 1))
    with pytest.raises(BadInput, match="too long"):
        settings.read_secret_file(big)


def test_app_and_command_line_ask_for_the_same_passphrase_length() -> None:
    """One number: a passphrase the command line accepts is never refused by the app."""
    from evidence_kit.cli import shared

    assert shared.MIN_PASSPHRASE_CHARS == settings.MIN_PASSPHRASE_CHARS
    from evidence_kit.ui.passphrase import estimate

    short = "violet kettle harbour"[:settings.MIN_PASSPHRASE_CHARS - 1]
    enough = "violet kettle harbour"[:settings.MIN_PASSPHRASE_CHARS]
    assert shared._too_short(short) is not None and shared._too_short(enough) is None
    assert estimate(short).label == "Too short" and estimate(enough).label != "Too short"
