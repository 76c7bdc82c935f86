"""Every error the core raises on purpose, so callers can tell users what happened.

Anything that is *not* an :class:`EvidenceKitError` is a bug and should surface as one.
Environment failures (disk full, permissions) are kept apart from bad input and from
integrity failures, because the user's next step differs for each::

    EvidenceKitError
    ├── BadInput                    the request cannot be carried out as given (exit 2)
    │   ├── FileProblem             a file to add is missing, a folder, unreadable, too big
    │   ├── MediaRejected           an image that does not decode, is truncated or is a bomb
    │   ├── NotFound                no item or incident with that id
    │   ├── Refused                 the operation is not allowed (e.g. a file on the stop path)
    │   └── VaultExists             init where a vault (or other files) already is
    ├── VaultUnavailable            the vault cannot be opened (exit 3)
    │   ├── VaultMissing            no vault at that place
    │   ├── KeysFileDamaged         vault.keys is missing pieces or is not what we wrote
    │   ├── WrongPassphrase         the passphrase (or recovery code) does not unwrap the key
    │   ├── VaultInUse              another process has the vault open
    │   └── VaultLocked             the vault was locked; unlock it again
    ├── EnvironmentFailure          the machine let us down (exit 3)
    │   └── StorageFull             the disk is full; nothing was half-written
    └── IntegrityFailure            the key unwraps but the data is damaged (exit 1)
        └── VaultDamaged            a write refused: this process has seen the vault damaged

Database errors are sorted by SQLite's result code (``store.db_error``): FULL is
StorageFull; BUSY and LOCKED are VaultInUse; READONLY, IOERR and CANTOPEN are other
EnvironmentFailures; CORRUPT and NOTADB are IntegrityFailure. Any other code is a bug:
logged with its traceback and re-raised as the driver's own exception, never dressed
up as one of these.
"""

from __future__ import annotations


class EvidenceKitError(Exception):
    """Base of every expected failure. ``str(err)`` is one plain sentence for the user."""

    exit_code = 2


class BadInput(EvidenceKitError):
    exit_code = 2


class FileProblem(BadInput):
    pass


class MediaRejected(BadInput):
    pass


class NotFound(BadInput):
    pass


class Refused(BadInput):
    pass


class VaultUnavailable(EvidenceKitError):
    exit_code = 3


class VaultMissing(VaultUnavailable):
    pass


class VaultExists(BadInput):
    pass


class KeysFileDamaged(VaultUnavailable):
    pass


class WrongPassphrase(VaultUnavailable):
    pass


class VaultInUse(VaultUnavailable):
    pass


class VaultLocked(VaultUnavailable):
    pass


class EnvironmentFailure(EvidenceKitError):
    exit_code = 3


class StorageFull(EnvironmentFailure):
    pass


class IntegrityFailure(EvidenceKitError):
    exit_code = 1


class VaultDamaged(IntegrityFailure):
    """A write refused because this process has met damage in the vault (see
    :mod:`evidence_kit.core.damage`): writing more into a damaged file risks what is left."""
