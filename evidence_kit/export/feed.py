"""Each exhibit's content read once, for both the ZIP and the PDF.

Reading a capture out of the vault (decrypting its pages, checking its SHA-256) is the
least any export must do, and before this module the export did it twice: once for the
PDF's pictures and once for the ZIP's originals. Here, when the PDF builder asks for an
exhibit's content, the exhibit's files are read once, in full: streamed into the ZIP as
they are read, and the part the PDF shows is handed back to it. Whatever the PDF never
asks for is written to the ZIP at the end (:meth:`ExhibitFeed.finish`).

(A worker thread that read ahead of the page layout was tried and measured slower:
SQLCipher decrypts holding Python's GIL, so the two threads only took turns, and each
turn waited for the other to let go.)

Memory stays as it was: a picture is held once, as the PDF needs it whole anyway; every
file is streamed into the ZIP a chunk at a time; and of what the PDF shows as text only
the first bytes are kept (:func:`.sections.read_limit`).

Every full read checks the content against its SHA-256; a mismatch stops the export
with the exhibit named (:class:`.PackCheckFailed`), as the check made before every pack.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from evidence_kit.core.errors import IntegrityFailure
from evidence_kit.core.vault import Vault
from evidence_kit.export.bundle import BundleWriter, CheckedContent, exhibit_files
from evidence_kit.export.errors import RESTORE_ADVICE, PackCheckFailed
from evidence_kit.export.pack import Exhibit, Pack
from evidence_kit.export.sections import read_limit


@contextlib.contextmanager
def naming(exhibit: Exhibit | None) -> Iterator[None]:
    """An exhibit's failed hash check, said as the check made before every pack."""
    try:
        yield
    except IntegrityFailure as exc:
        if isinstance(exc, PackCheckFailed):
            raise
        what = (f"the content of exhibit {exhibit.mark} (item {exhibit.item.id})"
                if exhibit else "an exhibit's content")
        raise PackCheckFailed(f"The vault failed the check made before every pack: {what} "
                              f"no longer matches the SHA-256 recorded when it was added. "
                              f"{RESTORE_ADVICE}") from exc


class ExhibitFeed:
    """Reads the pack's exhibits once each, writing them into ``bundle`` and giving the
    PDF builder what it shows (:meth:`read_blob`); :meth:`finish` writes the rest."""

    def __init__(self, vault: Vault, pack: Pack, bundle: BundleWriter) -> None:
        self.vault = vault
        self.bundle = bundle
        self._whose = {e.shown.sha256: e for e in pack.exhibits}
        self._pending: list[Exhibit] = list(pack.exhibits)  # not yet in the ZIP

    def read_blob(self, sha256: str, limit: int | None = None) -> bytes:
        """What the PDF shows of an exhibit: read with its files as they go into the ZIP
        the first time it is asked for, else read again (checked the same way)."""
        for index, exhibit in enumerate(self._pending):
            if exhibit.shown.sha256 == sha256 and read_limit(exhibit) == limit:
                del self._pending[index]
                return self._write(exhibit)
        with naming(self._whose.get(sha256)):
            return self.vault.read_blob(sha256, limit)

    def finish(self) -> None:
        """Write (and so check) every exhibit the PDF did not ask for."""
        while self._pending:
            self._write(self._pending.pop(0))

    def _write(self, exhibit: Exhibit) -> bytes:
        shown, limit = exhibit.shown, read_limit(exhibit)
        kept: list[bytes] = []
        keeping = [True]  # two files of one exhibit may hold the same bytes (frames)

        def chunks(sha256: str) -> Iterator[bytes]:
            size = 0
            keep = sha256 == shown.sha256 and keeping[0]
            for chunk in self.vault.iter_blob(sha256):
                if keep and (limit is None or size < limit):
                    kept.append(chunk)
                size += len(chunk)
                yield chunk
            if keep:
                keeping[0] = False

        with naming(exhibit):
            files = exhibit_files(exhibit)
            if not exhibit.original_in_pack:
                # Shown only redacted: its content is still checked for this pack.
                for _chunk in chunks(exhibit.item.sha256):
                    pass
            for sha256, add in files:
                add(self.bundle, CheckedContent(sha256, chunks(sha256)))
            if shown.sha256 not in {sha for sha, _add in files} | {exhibit.item.sha256}:
                for _chunk in chunks(shown.sha256):  # shown, though not in this ZIP
                    pass
        data = kept[0] if len(kept) == 1 else b"".join(kept)
        return data if limit is None else data[:limit]
