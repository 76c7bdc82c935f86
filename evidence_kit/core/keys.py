"""Keys: the passphrase and the recovery code each unwrap the vault's random data key.

``vault.keys`` is JSON holding, for each way in (passphrase, recovery code), the Argon2id
parameters and salt and the data key sealed with AES-256-GCM under the derived key. A
wrong passphrase fails the GCM tag, which is the only way we ever learn it is wrong.
The associated data binds every wrap to its vault id and purpose, so a wrap cannot be
moved to another vault or slot.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from evidence_kit.core.errors import KeysFileDamaged, WrongPassphrase
from evidence_kit.core.fsutil import atomic_write

KEYS_FORMAT = "evidence-kit/vault.keys/1"
DATA_KEY_BYTES = 32

# Never below this, whatever the tuning says (OWASP's second Argon2id profile is weaker).
FLOOR_MEMORY_KIB = 64 * 1024
FLOOR_PASSES = 3
LANES = 4
MAX_MEMORY_KIB = 1024 * 1024
DEFAULT_TARGET_SECONDS = 0.6
# Refused when read from vault.keys: tuning never goes near these, and a file asking for
# more (2^40 KiB, 10^9 passes) would exhaust memory or hang the unlock for hours.
CAP_MEMORY_KIB = 4 * MAX_MEMORY_KIB
CAP_PASSES = 64
CAP_LANES = 64

# No 0/O, 1/I/L or U: 30 symbols that survive handwriting and reading aloud (~147 bits).
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_GROUPS = 6
RECOVERY_GROUP_LEN = 5


@dataclass(frozen=True)
class KdfParams:
    memory_kib: int
    passes: int
    lanes: int

    def __post_init__(self) -> None:
        if self.memory_kib < FLOOR_MEMORY_KIB or self.passes < FLOOR_PASSES or self.lanes < 1:
            raise ValueError("Argon2id parameters below the floor of 64 MiB and 3 passes")
        if (self.memory_kib > CAP_MEMORY_KIB or self.passes > CAP_PASSES
                or self.lanes > CAP_LANES):
            raise ValueError("Argon2id parameters above the caps of 4 GiB and 64 passes")

    def derive(self, secret: bytes, salt: bytes) -> bytes:
        kdf = Argon2id(
            salt=salt,
            length=32,
            iterations=self.passes,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        )
        return kdf.derive(secret)


FLOOR_PARAMS = KdfParams(FLOOR_MEMORY_KIB, FLOOR_PASSES, LANES)


def tune_kdf(target_seconds: float = DEFAULT_TARGET_SECONDS) -> KdfParams:
    """Grow memory (then passes) from the floor until one derivation takes ``target_seconds``.

    Memory first, because memory is what makes guessing on GPUs expensive.
    """
    params = FLOOR_PARAMS
    salt = os.urandom(16)
    while True:
        started = time.perf_counter()
        params.derive(b"tuning", salt)
        took = time.perf_counter() - started
        if took >= target_seconds * 0.8:
            return params
        factor = max(1.2, min(4.0, target_seconds / max(took, 1e-3)))
        if params.memory_kib < MAX_MEMORY_KIB:
            memory = min(MAX_MEMORY_KIB, int(params.memory_kib * factor) // 1024 * 1024)
            params = KdfParams(max(memory, params.memory_kib + 1024), params.passes, LANES)
        elif params.passes >= CAP_PASSES:
            return params  # a machine this fast is protected enough at the cap
        else:
            passes = min(CAP_PASSES, int(params.passes * factor) + 1)
            params = KdfParams(params.memory_kib, passes, LANES)


def new_recovery_code() -> str:
    groups = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LEN))
        for _ in range(RECOVERY_GROUPS)
    ]
    return "-".join(groups)


def normalise_recovery_code(text: str) -> str:
    """Accept what people type: lower case, and spaces or dashes anywhere."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("expected base64 text")
    return base64.b64decode(text, validate=True)


@dataclass(frozen=True)
class Wrap:
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    sealed: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "kdf": "argon2id",
            "memory_kib": self.kdf.memory_kib,
            "passes": self.kdf.passes,
            "lanes": self.kdf.lanes,
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "sealed_key": _b64(self.sealed),
        }

    @staticmethod
    def from_json(obj: Any) -> Wrap:
        if not isinstance(obj, dict) or obj.get("kdf") != "argon2id":
            raise ValueError("unknown key derivation")
        memory, passes, lanes = (int(obj[k]) for k in ("memory_kib", "passes", "lanes"))
        if memory > CAP_MEMORY_KIB or passes > CAP_PASSES or lanes > CAP_LANES:
            raise KeysFileDamaged(
                f"vault.keys asks for key-derivation settings far beyond any Evidence Kit "
                f"uses ({memory:,} KiB of memory, {passes:,} passes), so it was not tried: "
                "it is damaged or was not made by Evidence Kit. Restore vault.keys from a "
                "backup."
            )
        return Wrap(
            KdfParams(memory, passes, lanes),
            _unb64(obj["salt"]),
            _unb64(obj["nonce"]),
            _unb64(obj["sealed_key"]),
        )


def _aad(vault_id: str, slot: str) -> bytes:
    return f"{KEYS_FORMAT}|{vault_id}|{slot}".encode()


def seal(data_key: bytes, secret: bytes, kdf: KdfParams, vault_id: str, slot: str) -> Wrap:
    salt = os.urandom(16)
    nonce = os.urandom(12)
    kek = kdf.derive(secret, salt)
    sealed = AESGCM(kek).encrypt(nonce, data_key, _aad(vault_id, slot))
    return Wrap(kdf, salt, nonce, sealed)


def unseal(wrap: Wrap, secret: bytes, vault_id: str, slot: str) -> bytes:
    kek = wrap.kdf.derive(secret, wrap.salt)
    try:
        key = AESGCM(kek).decrypt(wrap.nonce, wrap.sealed, _aad(vault_id, slot))
    except InvalidTag:
        what = "recovery code" if slot == "recovery" else "passphrase"
        raise WrongPassphrase(f"That {what} is not right for this vault.") from None
    if len(key) != DATA_KEY_BYTES:
        raise KeysFileDamaged("vault.keys holds a key of the wrong length.")
    return key


@dataclass(frozen=True)
class KeysFile:
    vault_id: str
    created_at: str
    passphrase: Wrap
    recovery: Wrap

    def to_bytes(self) -> bytes:
        body = {
            "format": KEYS_FORMAT,
            "vault_id": self.vault_id,
            "created_at": self.created_at,
            "passphrase": self.passphrase.to_json(),
            "recovery": self.recovery.to_json(),
        }
        return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("utf-8")

    @staticmethod
    def load(path: Path) -> KeysFile:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise KeysFileDamaged(
                f"{path.parent} has no vault.keys file, so the vault cannot be unlocked. "
                "Restore vault.keys from a backup."
            ) from None
        except OSError as exc:
            raise KeysFileDamaged(f"vault.keys could not be read: {exc.strerror}.") from exc
        try:
            obj = json.loads(raw.decode("utf-8"))
            if obj.get("format") != KEYS_FORMAT:
                raise ValueError("unknown format")
            return KeysFile(
                vault_id=str(obj["vault_id"]),
                created_at=str(obj["created_at"]),
                passphrase=Wrap.from_json(obj["passphrase"]),
                recovery=Wrap.from_json(obj["recovery"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
            raise KeysFileDamaged(
                "vault.keys is damaged, so the vault cannot be unlocked. "
                "Restore vault.keys from a backup (the database alone cannot be opened)."
            ) from exc

    def save(self, path: Path) -> None:
        atomic_write(path, self.to_bytes())

    def unlock_with_passphrase(self, passphrase: str) -> bytes:
        return unseal(self.passphrase, passphrase.encode("utf-8"), self.vault_id, "passphrase")

    def unlock_with_recovery_code(self, code: str) -> bytes:
        secret = normalise_recovery_code(code).encode("ascii", "replace")
        return unseal(self.recovery, secret, self.vault_id, "recovery")

    def with_passphrase(self, data_key: bytes, passphrase: str) -> KeysFile:
        """The same data key under a new passphrase: copies of the old file still open."""
        wrap = seal(data_key, passphrase.encode("utf-8"), self.passphrase.kdf, self.vault_id,
                    "passphrase")
        return KeysFile(self.vault_id, self.created_at, wrap, self.recovery)

    def with_recovery_code(self, data_key: bytes, recovery_code: str) -> KeysFile:
        """The same data key under a new recovery code; the old code's wrap is dropped."""
        wrap = seal(data_key, normalise_recovery_code(recovery_code).encode("ascii"),
                    self.recovery.kdf, self.vault_id, "recovery")
        return KeysFile(self.vault_id, self.created_at, self.passphrase, wrap)

    def rotated(self, new_data_key: bytes, passphrase: str, recovery_code: str) -> KeysFile:
        """Both ways in, freshly salted, for a new data key (a key rotation).

        The recovery code must be new too: the old one is only known as a wrap of the old
        key, and it may be as exposed as the old passphrase.
        """
        return new_keys_file(new_data_key, passphrase, recovery_code, self.vault_id,
                             self.created_at, self.passphrase.kdf)


def new_keys_file(
    data_key: bytes, passphrase: str, recovery_code: str, vault_id: str, created_at: str,
    kdf: KdfParams,
) -> KeysFile:
    return KeysFile(
        vault_id=vault_id,
        created_at=created_at,
        passphrase=seal(data_key, passphrase.encode("utf-8"), kdf, vault_id, "passphrase"),
        recovery=seal(
            data_key, normalise_recovery_code(recovery_code).encode("ascii"), kdf, vault_id,
            "recovery",
        ),
    )


def sqlcipher_raw_key(data_key: bytes) -> str:
    """The form SQLCipher takes a raw 256-bit key in, so it skips its own slow KDF."""
    return f"x'{data_key.hex()}'"
