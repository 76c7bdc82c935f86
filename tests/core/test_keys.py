from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from evidence_kit.core import keys
from evidence_kit.core.errors import KeysFileDamaged, WrongPassphrase


def make(tmp_path: Path) -> tuple[keys.KeysFile, bytes, str, Path]:
    data_key = b"\x11" * 32
    code = keys.new_recovery_code()
    kf = keys.new_keys_file(data_key, "pässwörd 🔑", code, "vault-a", "2026-01-01T00:00:00.000000Z",
                            keys.FLOOR_PARAMS)
    path = tmp_path / "vault.keys"
    kf.save(path)
    return kf, data_key, code, path


def test_passphrase_and_recovery_code_both_unwrap_the_same_key(tmp_path: Path) -> None:
    _, data_key, code, path = make(tmp_path)
    loaded = keys.KeysFile.load(path)
    assert loaded.unlock_with_passphrase("pässwörd 🔑") == data_key
    assert loaded.unlock_with_recovery_code(code) == data_key
    # People type codes in lower case, with spaces instead of dashes.
    assert loaded.unlock_with_recovery_code(code.lower().replace("-", " ")) == data_key


def test_wrong_secrets_fail_the_tag(tmp_path: Path) -> None:
    _, _, code, path = make(tmp_path)
    loaded = keys.KeysFile.load(path)
    with pytest.raises(WrongPassphrase, match="passphrase"):
        loaded.unlock_with_passphrase("passwörd 🔑")
    with pytest.raises(WrongPassphrase, match="recovery code"):
        loaded.unlock_with_recovery_code(code[:-1] + ("2" if code[-1] != "2" else "3"))


def test_a_wrap_cannot_be_moved_to_another_vault(tmp_path: Path) -> None:
    kf, _, _, _ = make(tmp_path)
    moved = keys.KeysFile("vault-b", kf.created_at, kf.passphrase, kf.recovery)
    with pytest.raises(WrongPassphrase):
        moved.unlock_with_passphrase("pässwörd 🔑")


def test_recovery_code_shape() -> None:
    code = keys.new_recovery_code()
    groups = code.split("-")
    assert len(groups) == 6 and all(len(g) == 5 for g in groups)
    assert set(code.replace("-", "")) <= set(keys.RECOVERY_ALPHABET)
    assert not set("01ILOU") & set(keys.RECOVERY_ALPHABET)
    assert len({keys.new_recovery_code() for _ in range(50)}) == 50


def test_floor_is_enforced() -> None:
    with pytest.raises(ValueError, match="floor"):
        keys.KdfParams(32 * 1024, 3, 4)
    with pytest.raises(ValueError, match="floor"):
        keys.KdfParams(64 * 1024, 2, 4)


def test_tuning_reaches_the_target_and_never_goes_below_the_floor() -> None:
    params = keys.tune_kdf(0.3)
    assert params.memory_kib >= keys.FLOOR_MEMORY_KIB and params.passes >= keys.FLOOR_PASSES
    started = time.perf_counter()
    params.derive(b"x", b"s" * 16)
    took = time.perf_counter() - started
    assert took >= 0.3 * 0.6  # machine noise aside, it is not the bare floor's ~0.1 s
    assert keys.tune_kdf(0.0) == keys.FLOOR_PARAMS


@pytest.mark.parametrize(
    "damage",
    [
        lambda obj: obj.pop("passphrase"),
        lambda obj: obj.update(format="something else"),
        lambda obj: obj["passphrase"].update(salt="%%% not base64"),
        lambda obj: obj["recovery"].update(memory_kib=1024),
    ],
)
def test_damaged_keys_file_is_reported_as_such(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    _, _, _, path = make(tmp_path)
    obj = json.loads(path.read_text())
    damage(obj)
    path.write_text(json.dumps(obj))
    with pytest.raises(KeysFileDamaged, match=r"vault\.keys"):
        keys.KeysFile.load(path)


def test_keys_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "vault.keys"
    path.write_bytes(b"\x00\xff garbage")
    with pytest.raises(KeysFileDamaged):
        keys.KeysFile.load(path)
    with pytest.raises(KeysFileDamaged, match=r"no vault\.keys"):
        keys.KeysFile.load(tmp_path / "missing.keys")
